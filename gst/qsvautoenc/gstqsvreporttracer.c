/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:tracer-qsvautoenc-report
 * @title: qsvautoenc-report
 *
 * Reports, for every pipeline in the process, which encoder each
 * `qsvautoenc` uses (and every plain H.264 encoder element: x264enc,
 * vah264enc, vah264lpenc, qsvh264enc, vaapih264enc, openh264enc), whether
 * it is hardware, on which device, every fallback, and frame counters.
 *
 * |[
 * GST_TRACERS="qsvautoenc-report(file=/run/encoder.json,interval=1000)" \
 *   GST_DEBUG=GST_TRACER:7 gst-launch-1.0 ...
 * ]|
 *
 * Records (GST_TRACER category): `qsvautoenc-selection` when an encoder is
 * chosen (or a plain encoder starts), `qsvautoenc-fallback` when one is
 * replaced, `qsvautoenc-totals` at EOS or when it stops. With `file=`, a
 * JSON status file is rewritten atomically at each change and every
 * `interval` milliseconds (default 1000).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvreporttracer.h"
#include "gstqsvreporttracer-priv.h"
#include "gstqsvreport.h"
#include "gstqsvstatuswriter.h"
#include "gstqsvencodercatalog.h"
#include "gstqsvparams.h"

#include <stdlib.h>
#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_qsv_report_tracer_debug);
#define GST_CAT_DEFAULT gst_qsv_report_tracer_debug

#define DEFAULT_INTERVAL_MS 1000
/* finished entries whose element is gone, kept in the file (oldest dropped
 * first), so that a long-lived process making pipeline after pipeline does
 * not grow without bound */
#define MAX_GONE 64

typedef GstQsvTracerEntry Entry;

struct _GstQsvReportTracer
{
  GstTracer parent;

  GMutex lock;
  GHashTable *entries;          /* live element pointer -> Entry* */
  GPtrArray *listed;            /* Entry*, in the file, in order */
  guint gone;                   /* how many of them are gone */
  gchar *file;
  guint interval_ms;
  gboolean prometheus;
  GstQsvStatusWriter *writer;   /* with file= */
};

G_DEFINE_TYPE (GstQsvReportTracer, gst_qsv_report_tracer, GST_TYPE_TRACER);

/* the tracer that logs the records (the first one made); set once */
static GstQsvReportTracer *active_tracer;
/* serializes gst_qsv_report_tracer_ensure() */
static GMutex ensure_lock;

static Entry *
entry_ref (Entry * e)
{
  g_atomic_int_inc (&e->ref);
  return e;
}

static void
entry_unref (Entry * e)
{
  if (!g_atomic_int_dec_and_test (&e->ref))
    return;
  g_free (e->name);
  g_free (e->pipeline);
  gst_qsv_report_free (e->report);
  g_free (e);
}

#define COUNTER GST_QSV_TRACER_COUNTER
#define entry_fps gst_qsv_tracer_entry_fps

/* ---------------------------------------------------------------------- */
/* Which elements are watched                                             */

static gboolean
inside_qsvautoenc (GstElement * element)
{
  GstObject *p = gst_object_get_parent (GST_OBJECT (element));

  while (p) {
    GstObject *next;

    if (GST_IS_ELEMENT (p) &&
        gst_qsv_report_element_is_reporter (GST_ELEMENT (p))) {
      gst_object_unref (p);
      return TRUE;
    }
    next = gst_object_get_parent (p);
    gst_object_unref (p);
    p = next;
  }
  return FALSE;
}

/* a catalog's factory of a plain encoder, H.264 or H.265
 * ("varenderD129h264enc" is one of the va ones), or NULL */
static const GstQsvEncoderInfo *
plain_encoder_info (GstElement * element)
{
  GstElementFactory *f = gst_element_get_factory (element);
  const gchar *name = f ? GST_OBJECT_NAME (f) : NULL;
  const GstQsvEncoderInfo *info =
      gst_qsv_catalog_find_factory (gst_qsv_catalog_h264 (), name);

  return info ? info : gst_qsv_catalog_find_factory (gst_qsv_catalog_h265 (),
      name);
}

static gchar *
pipeline_name (GstElement * element)
{
  GstObject *top = gst_object_ref (GST_OBJECT (element)), *p;
  gchar *name;

  while ((p = gst_object_get_parent (top))) {
    gst_object_unref (top);
    top = p;
  }
  name = gst_object_get_name (top);
  gst_object_unref (top);
  return name;
}

/* Asks for a rewrite of the status file. Called with the lock. */
static void
request_write_locked (GstQsvReportTracer * self)
{
  gboolean live = FALSE;
  guint i;

  if (!self->writer)
    return;
  for (i = 0; i < self->listed->len && !live; i++)
    live = gst_qsv_tracer_entry_is_live (g_ptr_array_index (self->listed, i));
  gst_qsv_status_writer_request (self->writer, live);
}

/* The status file's text, or NULL while no encoder ever streamed: a
 * process that never had one (a probe, gst-inspect) leaves the file
 * alone. */
static gchar *
render_status (gpointer data)
{
  GstQsvReportTracer *self = data;
  gchar *text = NULL;

  g_mutex_lock (&self->lock);
  if (self->listed->len)
    text = self->prometheus ? gst_qsv_tracer_render_prometheus (self->listed)
        : gst_qsv_tracer_render_json (self->listed);
  g_mutex_unlock (&self->lock);
  return text;
}

/* Drops the oldest gone entries beyond MAX_GONE. Called with the lock. */
static void
trim_gone_locked (GstQsvReportTracer * self)
{
  guint i = 0;

  while (self->gone > MAX_GONE && i < self->listed->len) {
    Entry *e = g_ptr_array_index (self->listed, i);

    if (e->gone) {
      g_ptr_array_remove_index (self->listed, i);
      self->gone--;
    } else {
      i++;
    }
  }
}

/* The element is finalized: its entry stays in the file, finished, with its
 * totals, until the process exits (or MAX_GONE newer ones push it out). */
static void
on_element_gone (gpointer data, GObject * where_the_object_was)
{
  GstQsvReportTracer *self = data;
  Entry *e;

  g_mutex_lock (&self->lock);
  e = g_hash_table_lookup (self->entries, where_the_object_was);
  if (e) {
    e->element = NULL;
    if (e->listed) {
      e->gone = TRUE;
      e->finished = TRUE;
      self->gone++;
      trim_gone_locked (self);
      request_write_locked (self);
    }
    g_hash_table_remove (self->entries, where_the_object_was);
  }
  g_mutex_unlock (&self->lock);
}

/* The entry of @element, made if needed; a new reference. */
static Entry *
get_entry (GstQsvReportTracer * self, GstElement * element, gboolean is_bin)
{
  gchar *pipeline = pipeline_name (element);
  Entry *e;

  g_mutex_lock (&self->lock);
  e = g_hash_table_lookup (self->entries, element);
  if (!e) {
    e = g_new0 (Entry, 1);
    e->ref = 1;
    e->element = element;
    e->is_bin = is_bin;
    e->name = gst_object_get_name (GST_OBJECT (element));
    g_hash_table_insert (self->entries, element, e);
    g_object_weak_ref (G_OBJECT (element), on_element_gone, self);
  }
  g_free (e->pipeline);
  e->pipeline = pipeline;
  entry_ref (e);
  g_mutex_unlock (&self->lock);
  return e;
}

/* ---------------------------------------------------------------------- */
/* Records                                                                */

/* Only the first tracer logs records: GST_TRACERS may list a second one
 * for another file (e.g. format=prometheus) without doubling them. */
static gboolean
logs_records (GstQsvReportTracer * self)
{
  return g_atomic_pointer_get (&active_tracer) == self;
}

static void
log_selection (GstQsvReportTracer * self, Entry * e)
{
  GstQsvReport *r;
  gchar *name, *pipeline;

  if (!logs_records (self))
    return;
  g_mutex_lock (&self->lock);
  name = g_strdup (e->name);
  pipeline = g_strdup (e->pipeline);
  r = e->report ? gst_qsv_report_copy (e->report) : gst_qsv_report_new ();
  g_mutex_unlock (&self->lock);
  gst_qsv_tracer_log_selection (name, pipeline, r->encoder, r->hardware,
      r->device, r->reason);
  gst_qsv_report_free (r);
  g_free (name);
  g_free (pipeline);
}

/* Marks @e finished (once) and logs its totals. */
static void
finish (GstQsvReportTracer * self, Entry * e)
{
  gchar *name, *pipeline, *encoder;
  gboolean hw;

  g_mutex_lock (&self->lock);
  if (e->finished || !gst_qsv_tracer_entry_encoder (e)) {
    g_mutex_unlock (&self->lock);
    return;
  }
  e->finished = TRUE;
  request_write_locked (self);
  name = g_strdup (e->name);
  pipeline = g_strdup (e->pipeline);
  encoder = g_strdup (gst_qsv_tracer_entry_encoder (e));
  hw = gst_qsv_tracer_entry_hardware (e);
  g_mutex_unlock (&self->lock);
  if (logs_records (self))
    gst_qsv_tracer_log_totals (name, pipeline, encoder, hw,
        COUNTER (e, frames_in), COUNTER (e, frames_out),
        COUNTER (e, bytes_out), entry_fps (e));
  g_free (name);
  g_free (pipeline);
  g_free (encoder);
}

/* ---------------------------------------------------------------------- */
/* Counting on the encoder's pads                                         */

typedef struct
{
  GstQsvReportTracer *self;     /* outlives the probes: tracers live on */
  Entry *entry;
} ProbeData;

static void
probe_data_free (ProbeData * d)
{
  entry_unref (d->entry);
  g_free (d);
}

static GstPadProbeReturn
count_in (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  ProbeData *d = data;
  guint n = info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST ?
      gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info)) : 1;

  atomic_fetch_add_explicit (&d->entry->frames_in, n, memory_order_relaxed);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
count_out (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  ProbeData *d = data;
  Entry *e = d->entry;
  int_least64_t zero = 0, now;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS)
      finish (d->self, e);
    return GST_PAD_PROBE_OK;
  }
  now = g_get_monotonic_time ();
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    atomic_fetch_add_explicit (&e->frames_out, 1, memory_order_relaxed);
    atomic_fetch_add_explicit (&e->bytes_out,
        gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info)),
        memory_order_relaxed);
  } else {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

    atomic_fetch_add_explicit (&e->frames_out, gst_buffer_list_length (list),
        memory_order_relaxed);
    atomic_fetch_add_explicit (&e->bytes_out,
        gst_buffer_list_calculate_size (list), memory_order_relaxed);
  }
  atomic_compare_exchange_strong (&e->first_out_us, &zero, now);
  atomic_store_explicit (&e->last_out_us, now, memory_order_relaxed);
  return GST_PAD_PROBE_OK;
}

static void
add_probe (GstQsvReportTracer * self, Entry * e, GstElement * element,
    const gchar * pad_name, GstPadProbeType type, GstPadProbeCallback cb)
{
  GstPad *pad = gst_element_get_static_pad (element, pad_name);
  ProbeData *d;

  if (!pad)
    return;
  d = g_new0 (ProbeData, 1);
  d->self = self;
  d->entry = entry_ref (e);
  gst_pad_add_probe (pad, type, cb, d, (GDestroyNotify) probe_data_free);
  gst_object_unref (pad);
}

static void
ensure_probes (GstQsvReportTracer * self, Entry * e, GstElement * element)
{
  gboolean probed;

  g_mutex_lock (&self->lock);
  probed = e->probed;
  e->probed = TRUE;
  g_mutex_unlock (&self->lock);
  if (probed)
    return;
  add_probe (self, e, element, "sink", GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_in);
  add_probe (self, e, element, "src", GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      count_out);
}

/* ---------------------------------------------------------------------- */
/* Hooks                                                                  */

static void
reset_counters (GstQsvReportTracer * self, Entry * e)
{
  g_mutex_lock (&self->lock);
  atomic_store (&e->frames_in, 0);
  atomic_store (&e->frames_out, 0);
  atomic_store (&e->bytes_out, 0);
  atomic_store (&e->first_out_us, 0);
  atomic_store (&e->last_out_us, 0);
  e->finished = FALSE;
  g_mutex_unlock (&self->lock);
}

/* The element streams: from now on it is in the status file. */
static void
list_entry (GstQsvReportTracer * self, Entry * e)
{
  g_mutex_lock (&self->lock);
  if (!e->listed && gst_qsv_tracer_entry_encoder (e)) {
    e->listed = TRUE;
    g_ptr_array_add (self->listed, entry_ref (e));
  }
  request_write_locked (self);
  g_mutex_unlock (&self->lock);
}

/* A plain encoder starts: it is its own selection. */
static void
plain_started (GstQsvReportTracer * self, GstElement * element,
    const GstQsvEncoderInfo * info)
{
  Entry *e = get_entry (self, element, FALSE);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS
      (element), "device-path");
  GstQsvReport *report = gst_qsv_report_new ();

  if (pspec && (pspec->flags & G_PARAM_READABLE))
    g_object_get (element, "device-path", &report->device, NULL);
  report->encoder =
      g_strdup (GST_OBJECT_NAME (gst_element_get_factory (element)));
  report->hardware = gst_qsv_encoder_info_is_hardware (info);
  report->reason = g_strdup ("used directly, not through qsvautoenc");
  g_mutex_lock (&self->lock);
  gst_qsv_report_free (e->report);
  e->report = report;
  g_mutex_unlock (&self->lock);
  log_selection (self, e);
  entry_unref (e);
}

static void
do_element_change_state_post (GstQsvReportTracer * self, GstClockTime ts,
    GstElement * element, GstStateChange transition,
    GstStateChangeReturn result)
{
  const GstQsvEncoderInfo *info = NULL;
  gboolean is_bin;
  Entry *e;

  if (result == GST_STATE_CHANGE_FAILURE ||
      (transition != GST_STATE_CHANGE_READY_TO_PAUSED &&
          transition != GST_STATE_CHANGE_PAUSED_TO_READY))
    return;
  is_bin = gst_qsv_report_element_is_reporter (element);
  if (!is_bin && (!(info = plain_encoder_info (element)) ||
          inside_qsvautoenc (element)))
    return;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    if (!is_bin)
      plain_started (self, element, info);
    e = get_entry (self, element, is_bin);
    reset_counters (self, e);
    ensure_probes (self, e, element);
    list_entry (self, e);
    entry_unref (e);
  } else {
    e = get_entry (self, element, is_bin);
    finish (self, e);
    entry_unref (e);
    /* the application's thread: write now, so that a health check (or
     * a test) sees the final figures as soon as the pipeline stops */
    if (self->writer)
      gst_qsv_status_writer_write (self->writer);
  }
}

static void
do_element_post_message_pre (GstQsvReportTracer * self, GstClockTime ts,
    GstElement * element, GstMessage * message)
{
  const GstStructure *s;
  const GstQsvReportFallback *last;
  GstQsvReport *report;
  gboolean fallback;
  Entry *e;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ELEMENT ||
      !gst_qsv_report_element_is_reporter (element))
    return;
  s = gst_message_get_structure (message);
  fallback = gst_structure_has_name (s, GST_QSV_REPORT_FALLBACK);
  if (!fallback && !gst_structure_has_name (s, GST_QSV_REPORT_SELECTED))
    return;

  e = get_entry (self, element, TRUE);
  report = gst_qsv_report_from_structure (s);
  last = gst_qsv_report_last_fallback (report);
  if (fallback && logs_records (self) && last) {
    gchar *name, *pipeline;

    g_mutex_lock (&self->lock);
    name = g_strdup (e->name);
    pipeline = g_strdup (e->pipeline);
    g_mutex_unlock (&self->lock);
    gst_qsv_tracer_log_fallback (name, pipeline, last->from, report->encoder,
        report->hardware, last->error);
    g_free (name);
    g_free (pipeline);
  }
  g_mutex_lock (&self->lock);
  gst_qsv_report_free (e->report);
  e->report = report;
  if (e->listed)
    request_write_locked (self);
  g_mutex_unlock (&self->lock);
  if (!fallback)
    log_selection (self, e);
  entry_unref (e);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

static void
parse_params (GstQsvReportTracer * self, const gchar * params)
{
  GError *error = NULL;
  gchar *file = NULL;
  guint interval = self->interval_ms;
  gboolean prometheus = FALSE;

  if (gst_qsv_parse_tracer_params (params, &file, &interval, &prometheus,
          &error)) {
    self->file = file;
    self->interval_ms = interval;
    self->prometheus = prometheus;
  } else {
    g_warning ("qsvautoenc-report: %s", error->message);
    g_error_free (error);
    g_free (file);
  }
}

static void
gst_qsv_report_tracer_constructed (GObject * object)
{
  GstQsvReportTracer *self = GST_QSV_REPORT_TRACER (object);
  gchar *params = NULL;

  G_OBJECT_CLASS (gst_qsv_report_tracer_parent_class)->constructed (object);
  g_object_get (self, "params", &params, NULL);
  if (params && *params)
    parse_params (self, params);
  g_free (params);
  if (self->file)
    self->writer = gst_qsv_status_writer_new (self->file, self->interval_ms,
        render_status, self);
  /* no file yet: it is written once an encoder streams */
  g_atomic_pointer_compare_and_exchange (&active_tracer, NULL, self);
}


/* A tracer the element installed lives until the process exits, where
 * gst_deinit() (which stops GST_TRACERS ones) does not reach it: stop its
 * writer there, so that no write is cut between its temporary file and
 * the rename. */
static void
stop_at_exit (void)
{
  GstQsvReportTracer *self = g_atomic_pointer_get (&active_tracer);

  if (self && self->writer)
    gst_qsv_status_writer_stop (self->writer);
}

static void
gst_qsv_report_tracer_finalize (GObject * object)
{
  GstQsvReportTracer *self = GST_QSV_REPORT_TRACER (object);
  GHashTableIter it;
  gpointer key;

  g_atomic_pointer_compare_and_exchange (&active_tracer, self, NULL);

  /* its last write renders the entries: before they go */
  g_clear_pointer (&self->writer, gst_qsv_status_writer_free);
  g_hash_table_iter_init (&it, self->entries);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_object_weak_unref (key, on_element_gone, self);
  g_hash_table_unref (self->entries);
  g_ptr_array_unref (self->listed);
  g_mutex_clear (&self->lock);
  g_free (self->file);
  G_OBJECT_CLASS (gst_qsv_report_tracer_parent_class)->finalize (object);
}

static void
gst_qsv_report_tracer_class_init (GstQsvReportTracerClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->constructed = gst_qsv_report_tracer_constructed;
  gobject_class->finalize = gst_qsv_report_tracer_finalize;
  gst_qsv_tracer_records_init ();
  gst_qsv_tracer_read_process_start ();
  GST_DEBUG_CATEGORY_INIT (gst_qsv_report_tracer_debug, "qsvautoencreport",
      0, "qsvautoenc-report tracer");
}

static void
gst_qsv_report_tracer_init (GstQsvReportTracer * self)
{
  g_mutex_init (&self->lock);
  self->interval_ms = DEFAULT_INTERVAL_MS;
  self->entries = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) entry_unref);
  self->listed = g_ptr_array_new_with_free_func ((GDestroyNotify)
      entry_unref);
  gst_tracing_register_hook (GST_TRACER (self), "element-change-state-post",
      G_CALLBACK (do_element_change_state_post));
  gst_tracing_register_hook (GST_TRACER (self), "element-post-message-pre",
      G_CALLBACK (do_element_post_message_pre));
}

void
gst_qsv_report_tracer_ensure (const gchar * params)
{
  /* check and create as one step: elements reaching READY in several
   * threads at once make one tracer. It lives as long as the process, as
   * GST_TRACERS ones do. */
  static gboolean registered;

  g_mutex_lock (&ensure_lock);
  if (!g_atomic_pointer_get (&active_tracer)) {
    g_object_new (GST_TYPE_QSV_REPORT_TRACER, "params", params, NULL);
    if (!registered)
      registered = atexit (stop_at_exit) == 0;
  }
  g_mutex_unlock (&ensure_lock);
}
