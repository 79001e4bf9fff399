/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the bin says of its choice: the typed selection report
 * (gstqsvreport.h) behind the selection-report property and the
 * qsvautoenc-selected / qsvautoenc-fallback messages, with the reason for
 * the active encoder. Called where the active encoder changes (selection,
 * fallback); the report and the read-only properties are under the object
 * lock. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc-priv.h"

#include "gstqsvreport.h"

#define GST_CAT_DEFAULT gst_qsv_auto_enc_debug

/* ---------------------------------------------------------------------- */
/* Reporting                                                              */

/* The probed device a hardware candidate was chosen for. */
static const GstQsvVaDevice *
candidate_device (GstQsvAutoEnc * self, const GstQsvCandidate * c)
{
  guint i;

  for (i = 0; self->probe && c->device && i < self->probe->devices->len; i++) {
    const GstQsvVaDevice *d = g_ptr_array_index (self->probe->devices, i);

    if (g_strcmp0 (d->path, c->device) == 0)
      return d;
  }
  return NULL;
}

static gchar *
choice_reason (GstQsvAutoEnc * self, const GstQsvCandidate * c)
{
  const GstQsvVaDevice *dev = candidate_device (self, c);
  gchar *reason;

  if (gst_qsv_encoder_info_is_hardware (c->info))
    reason = g_strdup_printf ("hardware %s encode on %s (%s), "
        "rate-control %s", self->codec->name, c->device ? c->device : "?",
        dev && dev->vendor ? dev->vendor : "unknown vendor",
        gst_qsv_rate_control_nick (c->rate_control));
  else if (self->probe && self->probe->status != GST_QSV_VA_STATUS_OK)
    reason = g_strdup_printf ("software: %s", self->probe->message);
  else
    reason = g_strdup_printf ("software: no hardware candidate is usable "
        "(see rejected), rate-control %s",
        gst_qsv_rate_control_nick (c->rate_control));
  if (c->note) {
    gchar *r = g_strconcat (reason, "; ", c->note, NULL);
    g_free (reason);
    reason = r;
  }
  return reason;
}

/* The report of the active encoder: the selection's rejections, and the
 * fallbacks so far plus the one from @fallback_from (if any). */
static GstQsvReport *
make_report (GstQsvAutoEnc * self, const gchar * fallback_from,
    const gchar * fallback_error)
{
  const GstQsvCandidate *c = self->active;
  const GstQsvVaDevice *dev = candidate_device (self, c);
  GstQsvReport *report = gst_qsv_report_new (), *prev = NULL;
  guint i;

  /* the fallbacks so far, from the report kept in the property */
  GST_OBJECT_LOCK (self);
  if (self->report)
    prev = gst_qsv_report_from_structure (self->report);
  GST_OBJECT_UNLOCK (self);
  if (prev) {
    GPtrArray *none = report->fallbacks;

    report->fallbacks = prev->fallbacks;
    prev->fallbacks = none;
    gst_qsv_report_free (prev);
  }
  report->encoder = g_strdup (c->factory);
  report->hardware = gst_qsv_encoder_info_is_hardware (c->info);
  if (report->hardware) {
    report->device = g_strdup (c->device);
    report->vendor = g_strdup (dev ? dev->vendor : NULL);
    report->driver = g_strdup (dev ? dev->va_driver : NULL);
  }
  report->rate_control = g_strdup (gst_qsv_rate_control_nick (c->rate_control));
  report->reason = choice_reason (self, c);
  report->va_status = g_strdup (self->probe ?
      gst_qsv_va_status_nick (self->probe->status) : "not-built");
  for (i = 0; i < self->selection->rejected->len; i++) {
    const GstQsvRejection *r = g_ptr_array_index (self->selection->rejected,
        i);

    gst_qsv_report_add_rejected (report, r->factory, r->reason);
  }
  if (fallback_from)
    gst_qsv_report_add_fallback (report, fallback_from, c->factory,
        fallback_error);
  return report;
}

/* Fills the report and the read-only properties for the new active
 * encoder, and returns the selection message's structure. */
GstStructure *
gst_qsv_auto_enc_update_report (GstQsvAutoEnc * self, const gchar * name,
    const gchar * fallback_from, const gchar * fallback_error)
{
  GstQsvReport *report = make_report (self, fallback_from, fallback_error);
  GstStructure *msg = gst_qsv_report_to_structure (report, name);

  GST_OBJECT_LOCK (self);
  g_free (self->active_encoder);
  self->active_encoder = g_strdup (report->encoder);
  self->hardware = report->hardware;
  g_free (self->active_device);
  self->active_device = g_strdup (report->device);
  g_clear_pointer (&self->report, gst_structure_free);
  self->report = gst_qsv_report_to_structure (report,
      GST_QSV_REPORT_STRUCTURE_NAME);
  GST_OBJECT_UNLOCK (self);

  GST_INFO_OBJECT (self, "using %s (%s): %s", report->encoder,
      report->hardware ? "hardware" : "software", report->reason);
  gst_qsv_report_free (report);
  gst_qsv_auto_enc_notify_active (self);
  return msg;
}
