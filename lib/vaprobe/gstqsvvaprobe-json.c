/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The probe result as JSON: the schema documented in README.md
 * ("qsvautoenc-probe --json"); a device's members come from the field table
 * of gstqsvvaprobe-device.c. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvvaprobe.h"
#include "gstqsvvaprobe-json.h"
#include "gstqsvvaprobe-priv.h"

static void
field_to_json (GstQsvJson * json, const GstQsvVaDevice * dev,
    const GstQsvVaDeviceField * f)
{
  gconstpointer p = (const guint8 *) dev + f->offset;
  const gint *version = p;
  gchar *v;

  switch (f->type) {
    case GST_QSV_VA_FIELD_STRING:
      gst_qsv_json_add_string (json, f->name, *(gchar * const *) p);
      break;
    case GST_QSV_VA_FIELD_STATUS:
      gst_qsv_json_add_string (json, f->name,
          gst_qsv_va_status_nick (*(const GstQsvVaStatus *) p));
      break;
    case GST_QSV_VA_FIELD_INT:
      gst_qsv_json_add_int (json, f->name, *(const gint *) p);
      break;
    case GST_QSV_VA_FIELD_INT64:
      gst_qsv_json_add_int (json, f->name, *(const gint64 *) p);
      break;
    case GST_QSV_VA_FIELD_BOOLEAN:
      gst_qsv_json_add_bool (json, f->name, *(const gboolean *) p);
      break;
    case GST_QSV_VA_FIELD_VERSION:
      v = version[0] || version[1] ?
          g_strdup_printf ("%d.%d", version[0], version[1]) : NULL;
      gst_qsv_json_add_string (json, f->name, v);
      g_free (v);
      break;
  }
}

static void
device_to_json (GstQsvJson * json, const GstQsvVaDevice * dev)
{
  guint i, p, e, codec;

  gst_qsv_json_begin_object (json, NULL);
  for (i = 0; i < gst_qsv_va_device_n_fields; i++) {
    if (gst_qsv_va_device_fields[i].flags & GST_QSV_VA_FIELD_JSON)
      field_to_json (json, dev, &gst_qsv_va_device_fields[i]);
  }

  for (codec = 0; codec < GST_QSV_VA_N_CODECS; codec++) {
    const GstQsvVaCodecTable *t = &gst_qsv_va_codecs[codec];
    gchar *key = g_strdup_printf ("%s_encode", t->nick);

    /* "h264_encode", "h265_encode": {entrypoint: {profile: caps}} */
    gst_qsv_json_begin_object (json, key);
    for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++) {
      gst_qsv_json_begin_object (json, gst_qsv_va_entrypoint_name (e));
      for (p = 0; p < t->n_profiles; p++) {
        const GstQsvVaEntrypointCaps *c =
            gst_qsv_va_device_codec_caps (dev, codec, p, e);
        gchar *rc;

        if (!c->present)
          continue;
        rc = gst_qsv_va_rate_control_to_string (c->rate_control);
        gst_qsv_json_begin_object (json, t->profile_nicks[p]);
        gst_qsv_json_add_string_list (json, "rate_control", rc);
        gst_qsv_json_add_int (json, "max_width", c->max_width);
        gst_qsv_json_add_int (json, "max_height", c->max_height);
        gst_qsv_json_end_object (json);
        g_free (rc);
      }
      gst_qsv_json_end_object (json);
    }
    gst_qsv_json_end_object (json);
    g_free (key);
  }
  gst_qsv_json_end_object (json);
}

/**
 * gst_qsv_va_probe_result_add_json:
 *
 * Adds the result's members to the JSON object being written: the schema
 * documented in README.md ("qsvautoenc-probe --json").
 */
void
gst_qsv_va_probe_result_add_json (const GstQsvVaProbeResult * result,
    GstQsvJson * json)
{
  const GstQsvVaDevice *chosen = gst_qsv_va_probe_result_get_chosen (result);
  guint i;

  gst_qsv_json_add_bool (json, "va_built", gst_qsv_va_probe_is_built ());
  gst_qsv_json_add_string (json, "status", gst_qsv_va_status_nick (result->status));
  gst_qsv_json_add_bool (json, "hardware",
      gst_qsv_va_status_is_hardware (result->status));
  gst_qsv_json_add_string (json, "message", result->message);
  gst_qsv_json_add_string (json, "device", chosen ? chosen->path : NULL);
  gst_qsv_json_add_bool (json, "explicit_device", result->explicit_device);
  gst_qsv_json_begin_array (json, "devices");
  for (i = 0; i < result->devices->len; i++)
    device_to_json (json, g_ptr_array_index (result->devices, i));
  gst_qsv_json_end_array (json);
}

gchar *
gst_qsv_va_probe_result_to_json (const GstQsvVaProbeResult * result)
{
  GstQsvJson *json = gst_qsv_json_new ();

  gst_qsv_json_begin_object (json, NULL);
  gst_qsv_va_probe_result_add_json (result, json);
  gst_qsv_json_end_object (json);
  return gst_qsv_json_free (json, FALSE);
}
