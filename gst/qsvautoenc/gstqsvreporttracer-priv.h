/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Between the qsvautoenc-report tracer (gstqsvreporttracer.c: hooks,
 * records, the table of watched encoders) and the rendering of its status
 * file (gstqsvreportformat.c: JSON and Prometheus) and its records
 * (gstqsvreportrecords.c). */

#ifndef __GST_QSV_REPORT_TRACER_PRIV_H__
#define __GST_QSV_REPORT_TRACER_PRIV_H__

#include <gst/gst.h>
#include <stdatomic.h>
#include <stdint.h>

#include "gstqsvreport.h"

G_BEGIN_DECLS

/* One encoder element being watched. Refcounted: its pad probes hold
 * references, the table holds one while the element lives and the list one
 * while the entry is in the status file. */
typedef struct
{
  gint ref;
  gpointer element;             /* for lookups only: never dereferenced */
  /* set at creation, never changed */
  gboolean is_bin;
  gchar *name;
  /* under the tracer's lock */
  gchar *pipeline;
  GstQsvReport *report;         /* what it uses and why; NULL: not known yet */
  gboolean probed, finished, gone;
  gboolean listed;              /* has streamed (READY->PAUSED): in the file */
  /* counters, written by the streaming threads */
  atomic_int_least64_t frames_in, frames_out, bytes_out;
  atomic_int_least64_t first_out_us, last_out_us;
} GstQsvTracerEntry;

#define GST_QSV_TRACER_COUNTER(e, field) \
    atomic_load_explicit (&(e)->field, memory_order_relaxed)

/* the factory doing the work, NULL until known */
const gchar *gst_qsv_tracer_entry_encoder (const GstQsvTracerEntry * e);
gboolean gst_qsv_tracer_entry_hardware (const GstQsvTracerEntry * e);
gboolean gst_qsv_tracer_entry_is_live (const GstQsvTracerEntry * e);
gdouble gst_qsv_tracer_entry_fps (GstQsvTracerEntry * e);

/* Who writes: read once, the same for the whole process. */
void gst_qsv_tracer_read_process_start (void);

/* The status file's text from the listed entries (GstQsvTracerEntry*, in
 * order); called with the tracer's lock held. */
const gchar *gst_qsv_tracer_health (GPtrArray * listed, guint * hw,
    guint * sw, guint * finished);
gchar *gst_qsv_tracer_render_json (GPtrArray * listed);
gchar *gst_qsv_tracer_render_prometheus (GPtrArray * listed);

/* The records (gstqsvreportrecords.c) */
void gst_qsv_tracer_records_init (void);
void gst_qsv_tracer_log_selection (const gchar * element,
    const gchar * pipeline, const gchar * encoder, gboolean hardware,
    const gchar * device, const gchar * reason);
void gst_qsv_tracer_log_fallback (const gchar * element,
    const gchar * pipeline, const gchar * failed, const gchar * encoder,
    gboolean hardware, const gchar * error);
void gst_qsv_tracer_log_totals (const gchar * element,
    const gchar * pipeline, const gchar * encoder, gboolean hardware,
    guint64 frames_in, guint64 frames_out, guint64 bytes_out, gdouble fps);

G_END_DECLS

#endif /* __GST_QSV_REPORT_TRACER_PRIV_H__ */
