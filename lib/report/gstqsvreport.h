/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The selection report: which encoder works, why, on which device, which
 * candidates were rejected and which fallbacks happened. One typed struct,
 * shared by the element (its `selection-report` property and its
 * qsvautoenc-selected / qsvautoenc-fallback messages), the
 * qsvautoenc-report tracer (records and status file) and qsvautoenc-probe
 * (its JSON): every field has one name, spelt with '-' in a GstStructure
 * and with '_' in JSON (rate-control / rate_control). */

#ifndef __GST_QSV_REPORT_H__
#define __GST_QSV_REPORT_H__

#include <gst/gst.h>
#include "gstqsvjson.h"

G_BEGIN_DECLS

/* the name of the `selection-report` structure */
#define GST_QSV_REPORT_STRUCTURE_NAME "qsvautoenc-report"
/* the bus messages carrying a report */
#define GST_QSV_REPORT_SELECTED "qsvautoenc-selected"
#define GST_QSV_REPORT_FALLBACK "qsvautoenc-fallback"

typedef struct
{
  gchar *factory;
  gchar *reason;
} GstQsvReportRejection;

typedef struct
{
  gchar *from;                  /* the factory that failed */
  gchar *to;                    /* its replacement */
  gchar *error;                 /* what failed */
} GstQsvReportFallback;

typedef struct
{
  gchar *encoder;               /* factory doing the work */
  gboolean hardware;
  gchar *device;                /* render node; NULL for software */
  gchar *vendor;                /* VA vendor string of that node, or NULL */
  gchar *driver;                /* VA driver of that node ("iHD"), or NULL */
  gchar *rate_control;          /* cbr, vbr, cqp */
  gchar *reason;                /* one line: why this encoder */
  gchar *va_status;             /* the probe's class (ok, no-device, ...) */
  GPtrArray *rejected;          /* GstQsvReportRejection*, in order */
  GPtrArray *fallbacks;         /* GstQsvReportFallback*, oldest first */
} GstQsvReport;

GstQsvReport *gst_qsv_report_new (void);
GstQsvReport *gst_qsv_report_copy (const GstQsvReport * report);
void gst_qsv_report_free (GstQsvReport * report);
void gst_qsv_report_add_rejected (GstQsvReport * report,
    const gchar * factory, const gchar * reason);
void gst_qsv_report_add_fallback (GstQsvReport * report, const gchar * from,
    const gchar * to, const gchar * error);
/* NULL before the first fallback */
const GstQsvReportFallback *gst_qsv_report_last_fallback (const GstQsvReport *
    report);

/* @name: GST_QSV_REPORT_STRUCTURE_NAME or a message name. Fields: encoder,
 * hardware, device, vendor, driver, rate-control, reason, va-status,
 * rejected (array of "factory: reason"), fallbacks (array of
 * "from -> to: error"). */
GstStructure *gst_qsv_report_to_structure (const GstQsvReport * report,
    const gchar * name);
/* Reads those fields from any structure that has them (the property, a
 * message); absent fields stay NULL / empty. */
GstQsvReport *gst_qsv_report_from_structure (const GstStructure * s);

/* The report's members into the JSON object open in @json: encoder,
 * hardware, device, vendor, driver, rate_control, va_status, reason,
 * fallbacks, rejected (both arrays of the strings above). */
void gst_qsv_report_add_json (const GstQsvReport * report, GstQsvJson * json);
/* The report as one JSON object. */
gchar *gst_qsv_report_to_json (const GstQsvReport * report);

/* Elements that post reports are recognised by their factory, never by
 * their type (as GStreamer's own tracers do): the element class carries
 * this metadata key, which its factory copies at registration. */
#define GST_QSV_REPORT_METADATA_KEY "qsvautoenc-report"
void gst_qsv_report_mark_element_class (GstElementClass * klass);
gboolean gst_qsv_report_element_is_reporter (GstElement * element);

G_END_DECLS

#endif /* __GST_QSV_REPORT_H__ */
