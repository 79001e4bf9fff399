/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvreport.h"

#include <string.h>

/* Every field's one name: in a GstStructure and in JSON */
#define F_ENCODER "encoder"
#define F_HARDWARE "hardware"
#define F_DEVICE "device"
#define F_VENDOR "vendor"
#define F_DRIVER "driver"
#define F_RATE_CONTROL "rate-control"
#define J_RATE_CONTROL "rate_control"
#define F_REASON "reason"
#define F_VA_STATUS "va-status"
#define J_VA_STATUS "va_status"
#define F_REJECTED "rejected"
#define F_FALLBACKS "fallbacks"

static void
rejection_free (GstQsvReportRejection * r)
{
  g_free (r->factory);
  g_free (r->reason);
  g_free (r);
}

static void
fallback_free (GstQsvReportFallback * f)
{
  g_free (f->from);
  g_free (f->to);
  g_free (f->error);
  g_free (f);
}

GstQsvReport *
gst_qsv_report_new (void)
{
  GstQsvReport *report = g_new0 (GstQsvReport, 1);

  report->rejected = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rejection_free);
  report->fallbacks = g_ptr_array_new_with_free_func ((GDestroyNotify)
      fallback_free);
  return report;
}

GstQsvReport *
gst_qsv_report_copy (const GstQsvReport * report)
{
  GstQsvReport *copy = gst_qsv_report_new ();
  guint i;

  copy->encoder = g_strdup (report->encoder);
  copy->hardware = report->hardware;
  copy->device = g_strdup (report->device);
  copy->vendor = g_strdup (report->vendor);
  copy->driver = g_strdup (report->driver);
  copy->rate_control = g_strdup (report->rate_control);
  copy->reason = g_strdup (report->reason);
  copy->va_status = g_strdup (report->va_status);
  for (i = 0; i < report->rejected->len; i++) {
    const GstQsvReportRejection *r = g_ptr_array_index (report->rejected, i);

    gst_qsv_report_add_rejected (copy, r->factory, r->reason);
  }
  for (i = 0; i < report->fallbacks->len; i++) {
    const GstQsvReportFallback *f = g_ptr_array_index (report->fallbacks, i);

    gst_qsv_report_add_fallback (copy, f->from, f->to, f->error);
  }
  return copy;
}

void
gst_qsv_report_free (GstQsvReport * report)
{
  if (!report)
    return;
  g_free (report->encoder);
  g_free (report->device);
  g_free (report->vendor);
  g_free (report->driver);
  g_free (report->rate_control);
  g_free (report->reason);
  g_free (report->va_status);
  g_ptr_array_unref (report->rejected);
  g_ptr_array_unref (report->fallbacks);
  g_free (report);
}

void
gst_qsv_report_add_rejected (GstQsvReport * report, const gchar * factory,
    const gchar * reason)
{
  GstQsvReportRejection *r = g_new0 (GstQsvReportRejection, 1);

  r->factory = g_strdup (factory);
  r->reason = g_strdup (reason);
  g_ptr_array_add (report->rejected, r);
}

void
gst_qsv_report_add_fallback (GstQsvReport * report, const gchar * from,
    const gchar * to, const gchar * error)
{
  GstQsvReportFallback *f = g_new0 (GstQsvReportFallback, 1);

  f->from = g_strdup (from);
  f->to = g_strdup (to);
  f->error = g_strdup (error);
  g_ptr_array_add (report->fallbacks, f);
}

const GstQsvReportFallback *
gst_qsv_report_last_fallback (const GstQsvReport * report)
{
  return report->fallbacks->len ? g_ptr_array_index (report->fallbacks,
      report->fallbacks->len - 1) : NULL;
}

/* ---------------------------------------------------------------------- */
/* The text of a rejection and of a fallback: the same in every format    */

/* "factory: reason" (factory names never hold ": ") */
static gchar *
rejection_text (const GstQsvReportRejection * r)
{
  return r->reason ? g_strdup_printf ("%s: %s", r->factory ? r->factory : "",
      r->reason) : g_strdup (r->factory ? r->factory : "");
}

static void
add_rejection_text (GstQsvReport * report, const gchar * text)
{
  const gchar *sep = strstr (text, ": ");
  gchar *factory = sep ? g_strndup (text, sep - text) : g_strdup (text);

  gst_qsv_report_add_rejected (report, factory, sep ? sep + 2 : NULL);
  g_free (factory);
}

/* "from -> to: error" (factory names never hold " -> " or ": ") */
static gchar *
fallback_text (const GstQsvReportFallback * f)
{
  if (!f->from || !f->to)
    return g_strdup (f->error ? f->error : "");
  return g_strdup_printf ("%s -> %s: %s", f->from, f->to,
      f->error ? f->error : "");
}

static void
add_fallback_text (GstQsvReport * report, const gchar * text)
{
  const gchar *arrow = strstr (text, " -> ");
  const gchar *colon = arrow ? strstr (arrow + 4, ": ") : NULL;
  gchar *from, *to;

  if (!colon) {
    gst_qsv_report_add_fallback (report, NULL, NULL, text);
    return;
  }
  from = g_strndup (text, arrow - text);
  to = g_strndup (arrow + 4, colon - arrow - 4);
  gst_qsv_report_add_fallback (report, from, to, colon + 2);
  g_free (from);
  g_free (to);
}

/* ---------------------------------------------------------------------- */
/* GstStructure                                                           */

static void
take_string_array (GstStructure * s, const gchar * field, GPtrArray * items,
    gchar * (*to_text) (gconstpointer item))
{
  GValue array = G_VALUE_INIT;
  guint i;

  g_value_init (&array, GST_TYPE_ARRAY);
  for (i = 0; i < items->len; i++) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_STRING);
    g_value_take_string (&v, to_text (g_ptr_array_index (items, i)));
    gst_value_array_append_and_take_value (&array, &v);
  }
  gst_structure_take_value (s, field, &array);
}

GstStructure *
gst_qsv_report_to_structure (const GstQsvReport * report, const gchar * name)
{
  GstStructure *s;

  s = gst_structure_new (name ? name : GST_QSV_REPORT_STRUCTURE_NAME,
      F_ENCODER, G_TYPE_STRING, report->encoder,
      F_HARDWARE, G_TYPE_BOOLEAN, report->hardware,
      F_DEVICE, G_TYPE_STRING, report->device,
      F_VENDOR, G_TYPE_STRING, report->vendor,
      F_DRIVER, G_TYPE_STRING, report->driver,
      F_RATE_CONTROL, G_TYPE_STRING, report->rate_control,
      F_REASON, G_TYPE_STRING, report->reason,
      F_VA_STATUS, G_TYPE_STRING, report->va_status, NULL);
  take_string_array (s, F_REJECTED, report->rejected,
      (gchar * (*)(gconstpointer)) rejection_text);
  take_string_array (s, F_FALLBACKS, report->fallbacks,
      (gchar * (*)(gconstpointer)) fallback_text);
  return s;
}

static gchar *
dup_string_field (const GstStructure * s, const gchar * field)
{
  const GValue *v = gst_structure_get_value (s, field);

  return v && G_VALUE_HOLDS_STRING (v) ? g_value_dup_string (v) : NULL;
}

static void
read_string_array (const GstStructure * s, const gchar * field,
    GstQsvReport * report, void (*add) (GstQsvReport *, const gchar *))
{
  const GValue *array = gst_structure_get_value (s, field);
  guint i;

  if (!array || !GST_VALUE_HOLDS_ARRAY (array))
    return;
  for (i = 0; i < gst_value_array_get_size (array); i++) {
    const GValue *v = gst_value_array_get_value (array, i);

    if (G_VALUE_HOLDS_STRING (v) && g_value_get_string (v))
      add (report, g_value_get_string (v));
  }
}

GstQsvReport *
gst_qsv_report_from_structure (const GstStructure * s)
{
  GstQsvReport *report = gst_qsv_report_new ();

  report->encoder = dup_string_field (s, F_ENCODER);
  gst_structure_get_boolean (s, F_HARDWARE, &report->hardware);
  report->device = dup_string_field (s, F_DEVICE);
  report->vendor = dup_string_field (s, F_VENDOR);
  report->driver = dup_string_field (s, F_DRIVER);
  report->rate_control = dup_string_field (s, F_RATE_CONTROL);
  report->reason = dup_string_field (s, F_REASON);
  report->va_status = dup_string_field (s, F_VA_STATUS);
  read_string_array (s, F_REJECTED, report, add_rejection_text);
  read_string_array (s, F_FALLBACKS, report, add_fallback_text);
  return report;
}

/* ---------------------------------------------------------------------- */
/* JSON                                                                   */

void
gst_qsv_report_add_json (const GstQsvReport * report, GstQsvJson * json)
{
  guint i;

  gst_qsv_json_add_string (json, F_ENCODER, report->encoder);
  gst_qsv_json_add_bool (json, F_HARDWARE, report->hardware);
  gst_qsv_json_add_string (json, F_DEVICE, report->device);
  gst_qsv_json_add_string (json, F_VENDOR, report->vendor);
  gst_qsv_json_add_string (json, F_DRIVER, report->driver);
  gst_qsv_json_add_string (json, J_RATE_CONTROL, report->rate_control);
  gst_qsv_json_add_string (json, J_VA_STATUS, report->va_status);
  gst_qsv_json_add_string (json, F_REASON, report->reason);
  gst_qsv_json_begin_array (json, F_FALLBACKS);
  for (i = 0; i < report->fallbacks->len; i++) {
    gchar *text = fallback_text (g_ptr_array_index (report->fallbacks, i));

    gst_qsv_json_add_string (json, NULL, text);
    g_free (text);
  }
  gst_qsv_json_end_array (json);
  gst_qsv_json_begin_array (json, F_REJECTED);
  for (i = 0; i < report->rejected->len; i++) {
    gchar *text = rejection_text (g_ptr_array_index (report->rejected, i));

    gst_qsv_json_add_string (json, NULL, text);
    g_free (text);
  }
  gst_qsv_json_end_array (json);
}

gchar *
gst_qsv_report_to_json (const GstQsvReport * report)
{
  GstQsvJson *json = gst_qsv_json_new ();

  gst_qsv_json_begin_object (json, NULL);
  gst_qsv_report_add_json (report, json);
  gst_qsv_json_end_object (json);
  return gst_qsv_json_free (json, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Which elements report                                                  */

/* Called from class_init of every element that posts reports (qsvautoenc,
 * later its H.265 sibling). gst_element_register() copies the class's
 * metadata into the factory, and the registry cache keeps it. */
void
gst_qsv_report_mark_element_class (GstElementClass * klass)
{
  gst_element_class_add_metadata (klass, GST_QSV_REPORT_METADATA_KEY,
      "selection-report");
}

/* By factory, as GStreamer's tracers tell elements apart (the leaks
 * tracer's filters, gstfactories.c): a subclass or a stand-in under the
 * same factory counts, an unrelated element with a look-alike property
 * does not, and the tracer needs no header of the element. */
gboolean
gst_qsv_report_element_is_reporter (GstElement * element)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  return factory && gst_element_factory_get_metadata (factory,
      GST_QSV_REPORT_METADATA_KEY) != NULL;
}
