/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_QSV_REPORT_TRACER_H__
#define __GST_QSV_REPORT_TRACER_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_QSV_REPORT_TRACER (gst_qsv_report_tracer_get_type ())
G_DECLARE_FINAL_TYPE (GstQsvReportTracer, gst_qsv_report_tracer, GST,
    QSV_REPORT_TRACER, GstTracer)

/* Creates one tracer instance (with @params, as in GST_TRACERS) unless one
 * is active already; used by qsvautoenc's `tracer` property. */
void gst_qsv_report_tracer_ensure (const gchar * params);

G_END_DECLS

#endif
