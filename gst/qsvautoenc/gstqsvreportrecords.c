/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The qsvautoenc-report tracer's GstTracerRecords (GST_DEBUG=GST_TRACER:7):
 * made once, logged with every string quoted. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvreporttracer-priv.h"

static GstTracerRecord *tr_selection, *tr_fallback, *tr_totals;

/* Record values are printed into "(string)%s": quote and escape them, so
 * that every record parses back as a GstStructure whatever the text. */
static gchar *
quoted (const gchar * s)
{
  gchar *escaped = g_strescape (s ? s : "", NULL);
  gchar *q = g_strdup_printf ("\"%s\"", escaped);

  g_free (escaped);
  return q;
}

#define STRING_FIELD(desc) GST_TYPE_STRUCTURE, gst_structure_new ("value", \
    "type", G_TYPE_GTYPE, G_TYPE_STRING, "description", G_TYPE_STRING, \
    desc, "related-to", GST_TYPE_TRACER_VALUE_SCOPE, \
    GST_TRACER_VALUE_SCOPE_ELEMENT, NULL)
#define TYPED_FIELD(gtype, desc) GST_TYPE_STRUCTURE, gst_structure_new \
    ("value", "type", G_TYPE_GTYPE, gtype, "description", G_TYPE_STRING, \
    desc, "related-to", GST_TYPE_TRACER_VALUE_SCOPE, \
    GST_TRACER_VALUE_SCOPE_ELEMENT, NULL)

void
gst_qsv_tracer_records_init (void)
{
  tr_selection = gst_tracer_record_new ("qsvautoenc-selection.class",
      "element", STRING_FIELD ("the encoder element (qsvautoenc or plain)"),
      "pipeline", STRING_FIELD ("its top-level bin"),
      "encoder", STRING_FIELD ("factory of the encoder doing the work"),
      "hardware", TYPED_FIELD (G_TYPE_BOOLEAN, "hardware encoder"),
      "device", STRING_FIELD ("render node, empty for software"),
      "reason", STRING_FIELD ("why this encoder"), NULL);
  tr_fallback = gst_tracer_record_new ("qsvautoenc-fallback.class",
      "element", STRING_FIELD ("the qsvautoenc element"),
      "pipeline", STRING_FIELD ("its top-level bin"),
      "failed", STRING_FIELD ("factory of the encoder that failed (the "
          "older name of failed-encoder)"),
      "failed-encoder", STRING_FIELD ("factory of the encoder that failed"),
      "encoder", STRING_FIELD ("factory of its replacement"),
      "hardware", TYPED_FIELD (G_TYPE_BOOLEAN, "replacement is hardware"),
      "error", STRING_FIELD ("what failed"), NULL);
  tr_totals = gst_tracer_record_new ("qsvautoenc-totals.class",
      "element", STRING_FIELD ("the encoder element"),
      "pipeline", STRING_FIELD ("its top-level bin"),
      "encoder", STRING_FIELD ("factory of the encoder at the end"),
      "hardware", TYPED_FIELD (G_TYPE_BOOLEAN, "hardware encoder"),
      "frames-in", TYPED_FIELD (G_TYPE_UINT64, "raw frames in"),
      "frames-out", TYPED_FIELD (G_TYPE_UINT64, "coded frames out"),
      "bytes-out", TYPED_FIELD (G_TYPE_UINT64, "coded bytes out"),
      "fps", TYPED_FIELD (G_TYPE_DOUBLE, "frames out per second"), NULL);
  GST_OBJECT_FLAG_SET (tr_selection, GST_OBJECT_FLAG_MAY_BE_LEAKED);
  GST_OBJECT_FLAG_SET (tr_fallback, GST_OBJECT_FLAG_MAY_BE_LEAKED);
  GST_OBJECT_FLAG_SET (tr_totals, GST_OBJECT_FLAG_MAY_BE_LEAKED);
}

void
gst_qsv_tracer_log_selection (const gchar * element, const gchar * pipeline,
    const gchar * encoder, gboolean hardware, const gchar * device,
    const gchar * reason)
{
  gchar *v[5] = { quoted (element), quoted (pipeline), quoted (encoder),
    quoted (device), quoted (reason)
  };
  guint i;

  gst_tracer_record_log (tr_selection, v[0], v[1], v[2], hardware, v[3],
      v[4]);
  for (i = 0; i < G_N_ELEMENTS (v); i++)
    g_free (v[i]);
}

void
gst_qsv_tracer_log_fallback (const gchar * element, const gchar * pipeline,
    const gchar * failed, const gchar * encoder, gboolean hardware,
    const gchar * error)
{
  gchar *v[5] = { quoted (element), quoted (pipeline), quoted (failed),
    quoted (encoder), quoted (error)
  };
  guint i;

  /* "failed" is the older name of "failed-encoder": both */
  gst_tracer_record_log (tr_fallback, v[0], v[1], v[2], v[2], v[3], hardware,
      v[4]);
  for (i = 0; i < G_N_ELEMENTS (v); i++)
    g_free (v[i]);
}

void
gst_qsv_tracer_log_totals (const gchar * element, const gchar * pipeline,
    const gchar * encoder, gboolean hardware, guint64 frames_in,
    guint64 frames_out, guint64 bytes_out, gdouble fps)
{
  gchar *v[3] = { quoted (element), quoted (pipeline), quoted (encoder) };
  guint i;

  gst_tracer_record_log (tr_totals, v[0], v[1], v[2], hardware, frames_in,
      frames_out, bytes_out, fps);
  for (i = 0; i < G_N_ELEMENTS (v); i++)
    g_free (v[i]);
}
