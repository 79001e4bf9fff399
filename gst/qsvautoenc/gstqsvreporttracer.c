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
#include "gstqsvautoenc.h"
#include "gstqsvencodercatalog.h"
#include "gstqsvjson.h"
#include "gstqsvparams.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

GST_DEBUG_CATEGORY_STATIC (gst_qsv_report_tracer_debug);
#define GST_CAT_DEFAULT gst_qsv_report_tracer_debug

#define DEFAULT_INTERVAL_MS 1000

/* One encoder element being watched. Refcounted: its pad probes hold
 * references, the table holds one until the element is finalized. */
typedef struct
{
  gint ref;
  gpointer element;             /* for lookups only: never dereferenced */
  gboolean is_bin;
  gchar *name, *pipeline;
  /* under the tracer's lock */
  gchar *encoder, *device, *reason;
  gboolean hardware;
  GPtrArray *fallbacks, *rejected;
  gboolean probed, finished;
  /* counters, written by the streaming threads */
  gint frames_in, frames_out;
  gsize bytes_out;
  gint64 first_out_us, last_out_us;
} Entry;

struct _GstQsvReportTracer
{
  GstTracer parent;

  GMutex lock;
  GMutex file_lock;             /* one writer of the status file at a time */
  GHashTable *entries;          /* element pointer -> Entry* */
  gchar *file;
  guint interval_ms;

  /* the status file writer */
  GThread *writer;
  GCond cond;
  gboolean dirty, stopping;
};

G_DEFINE_TYPE (GstQsvReportTracer, gst_qsv_report_tracer, GST_TYPE_TRACER);

static GstTracerRecord *tr_selection, *tr_fallback, *tr_totals;
static GstQsvReportTracer *active_tracer;       /* under active_lock */
static GMutex active_lock;

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
  g_free (e->encoder);
  g_free (e->device);
  g_free (e->reason);
  g_ptr_array_unref (e->fallbacks);
  g_ptr_array_unref (e->rejected);
  g_free (e);
}

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

/* ---------------------------------------------------------------------- */
/* Which elements are watched                                             */

static gboolean
inside_qsvautoenc (GstElement * element)
{
  GstObject *p = gst_object_get_parent (GST_OBJECT (element));

  while (p) {
    GstObject *next;

    if (GST_IS_QSV_AUTO_ENC (p)) {
      gst_object_unref (p);
      return TRUE;
    }
    next = gst_object_get_parent (p);
    gst_object_unref (p);
    p = next;
  }
  return FALSE;
}

/* the catalog's factory of a plain encoder ("varenderD129h264enc" is one of
 * the va ones), or NULL */
static const GstQsvEncoderInfo *
plain_encoder_info (GstElement * element)
{
  GstElementFactory *f = gst_element_get_factory (element);
  const gchar *name = f ? GST_OBJECT_NAME (f) : NULL;

  if (!name)
    return NULL;
  if (g_str_has_prefix (name, "va") && !g_str_has_prefix (name, "vaapi")) {
    if (g_str_has_suffix (name, "h264lpenc"))
      return gst_qsv_catalog_lookup ("vah264lpenc");
    if (g_str_has_suffix (name, "h264enc"))
      return gst_qsv_catalog_lookup ("vah264enc");
  }
  return gst_qsv_catalog_lookup (name);
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

static void
on_element_gone (gpointer data, GObject * where_the_object_was)
{
  GstQsvReportTracer *self = data;

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->entries, where_the_object_was);
  self->dirty = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* The entry of @element, made if needed; a new reference. */
static Entry *
get_entry (GstQsvReportTracer * self, GstElement * element, gboolean is_bin)
{
  Entry *e;

  g_mutex_lock (&self->lock);
  e = g_hash_table_lookup (self->entries, element);
  if (!e) {
    e = g_new0 (Entry, 1);
    e->ref = 1;
    e->element = element;
    e->is_bin = is_bin;
    e->name = gst_object_get_name (GST_OBJECT (element));
    e->fallbacks = g_ptr_array_new_with_free_func (g_free);
    e->rejected = g_ptr_array_new_with_free_func (g_free);
    g_hash_table_insert (self->entries, element, e);
    g_object_weak_ref (G_OBJECT (element), on_element_gone, self);
  }
  g_free (e->pipeline);
  e->pipeline = pipeline_name (element);
  entry_ref (e);
  g_mutex_unlock (&self->lock);
  return e;
}

/* ---------------------------------------------------------------------- */
/* The status file                                                        */

static void
entry_to_json (GstQsvJson * json, Entry * e)
{
  gint frames = g_atomic_int_get (&e->frames_out);
  gint64 span = e->last_out_us - e->first_out_us;
  guint i;

  gst_qsv_json_begin_object (json, NULL);
  gst_qsv_json_add_string (json, "element", e->name);
  gst_qsv_json_add_string (json, "pipeline", e->pipeline);
  gst_qsv_json_add_string (json, "kind", e->is_bin ? "qsvautoenc" : "plain");
  gst_qsv_json_add_string (json, "encoder", e->encoder);
  gst_qsv_json_add_bool (json, "hardware", e->hardware);
  gst_qsv_json_add_string (json, "device", e->device);
  gst_qsv_json_add_string (json, "reason", e->reason);
  gst_qsv_json_begin_array (json, "fallbacks");
  for (i = 0; i < e->fallbacks->len; i++)
    gst_qsv_json_add_string (json, NULL, g_ptr_array_index (e->fallbacks, i));
  gst_qsv_json_end_array (json);
  gst_qsv_json_begin_array (json, "rejected");
  for (i = 0; i < e->rejected->len; i++)
    gst_qsv_json_add_string (json, NULL, g_ptr_array_index (e->rejected, i));
  gst_qsv_json_end_array (json);
  gst_qsv_json_add_int (json, "frames_in", g_atomic_int_get (&e->frames_in));
  gst_qsv_json_add_int (json, "frames_out", frames);
  gst_qsv_json_add_int (json, "bytes_out",
      (gint64) g_atomic_pointer_get (&e->bytes_out));
  gst_qsv_json_add_double (json, "fps", frames > 1 && span > 0 ?
      (frames - 1) * 1e6 / span : 0.0);
  gst_qsv_json_add_bool (json, "finished", e->finished);
  gst_qsv_json_end_object (json);
}

/* Called with the lock held; the file is written without it. */
static gchar *
status_json_locked (GstQsvReportTracer * self)
{
  GstQsvJson *json = gst_qsv_json_new ();
  GDateTime *now = g_date_time_new_now_utc ();
  gchar *time = g_date_time_format_iso8601 (now);
  GHashTableIter it;
  gpointer value;
  guint hw = 0, sw = 0;

  gst_qsv_json_begin_object (json, NULL);
  gst_qsv_json_add_string (json, "time", time);
  gst_qsv_json_begin_array (json, "encoders");
  g_hash_table_iter_init (&it, self->entries);
  while (g_hash_table_iter_next (&it, NULL, &value)) {
    Entry *e = value;

    if (!e->encoder)
      continue;
    entry_to_json (json, e);
    if (e->hardware)
      hw++;
    else
      sw++;
  }
  gst_qsv_json_end_array (json);
  gst_qsv_json_add_int (json, "hardware_encoders", hw);
  gst_qsv_json_add_int (json, "software_encoders", sw);
  gst_qsv_json_end_object (json);
  g_free (time);
  g_date_time_unref (now);
  return gst_qsv_json_free (json, FALSE);
}

static gboolean
write_file_atomically (const gchar * path, const gchar * text, gint * err)
{
  gchar *tmp = g_strconcat (path, ".tmp", NULL);
  gsize len = strlen (text), done = 0;
  gboolean ok = FALSE;
  int fd;

  fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *err = errno;
    g_free (tmp);
    return FALSE;
  }
  while (done < len) {
    gssize n = write (fd, text + done, len - done);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    done += (gsize) n;
  }
  *err = done == len ? 0 : errno;
  if (close (fd) == 0 && done == len && g_rename (tmp, path) == 0)
    ok = TRUE;
  else if (!*err)
    *err = errno;
  if (!ok)
    g_unlink (tmp);
  g_free (tmp);
  return ok;
}

/* Write + rename, so that a reader never sees half a file. The temporary is
 * always FILE.tmp (not a random name, as g_file_set_contents() makes): a
 * process that exits in the middle of a write, as every process using the
 * tracer may, leaves at most that one file, replaced at the next start. */
static void
write_status (GstQsvReportTracer * self)
{
  gchar *text;
  gint err = 0;

  g_mutex_lock (&self->lock);
  self->dirty = FALSE;
  text = status_json_locked (self);
  g_mutex_unlock (&self->lock);
  g_mutex_lock (&self->file_lock);
  if (!write_file_atomically (self->file, text, &err))
    GST_WARNING_OBJECT (self, "cannot write %s: %s", self->file,
        g_strerror (err));
  g_mutex_unlock (&self->file_lock);
  g_free (text);
}

static gpointer
writer_thread (gpointer data)
{
  GstQsvReportTracer *self = data;

  g_mutex_lock (&self->lock);
  while (!self->stopping) {
    gint64 until = g_get_monotonic_time () +
        self->interval_ms * G_TIME_SPAN_MILLISECOND;

    while (!self->dirty && !self->stopping &&
        g_cond_wait_until (&self->cond, &self->lock, until));
    if (self->stopping)
      break;
    g_mutex_unlock (&self->lock);
    write_status (self);
    g_mutex_lock (&self->lock);
  }
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* Asks for a rewrite; never blocks on file I/O (streaming threads call it). */
static void
request_write (GstQsvReportTracer * self)
{
  if (!self->file)
    return;
  g_mutex_lock (&self->lock);
  self->dirty = TRUE;
  if (!self->writer)
    self->writer = g_thread_new ("qsvautoenc-report", writer_thread, self);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* ---------------------------------------------------------------------- */
/* Records                                                                */

static void
log_selection (GstQsvReportTracer * self, Entry * e)
{
  gchar *v[5];
  gboolean hw;
  guint i;

  g_mutex_lock (&self->lock);
  v[0] = quoted (e->name);
  v[1] = quoted (e->pipeline);
  v[2] = quoted (e->encoder);
  v[3] = quoted (e->device);
  v[4] = quoted (e->reason);
  hw = e->hardware;
  g_mutex_unlock (&self->lock);
  gst_tracer_record_log (tr_selection, v[0], v[1], v[2], hw, v[3], v[4]);
  for (i = 0; i < G_N_ELEMENTS (v); i++)
    g_free (v[i]);
}

static void
log_totals (GstQsvReportTracer * self, Entry * e)
{
  gint frames = g_atomic_int_get (&e->frames_out);
  gint64 span = e->last_out_us - e->first_out_us;
  gchar *name, *pipeline, *encoder;

  g_mutex_lock (&self->lock);
  if (e->finished || !e->encoder) {
    g_mutex_unlock (&self->lock);
    return;
  }
  e->finished = TRUE;
  name = quoted (e->name);
  pipeline = quoted (e->pipeline);
  encoder = quoted (e->encoder);
  g_mutex_unlock (&self->lock);
  gst_tracer_record_log (tr_totals, name, pipeline, encoder, e->hardware,
      (guint64) g_atomic_int_get (&e->frames_in), (guint64) frames,
      (guint64) g_atomic_pointer_get (&e->bytes_out),
      frames > 1 && span > 0 ? (frames - 1) * 1e6 / span : 0.0);
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

  g_atomic_int_add (&d->entry->frames_in, n);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
count_out (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  ProbeData *d = data;
  Entry *e = d->entry;
  gint64 now;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_EOS) {
      log_totals (d->self, e);
      request_write (d->self);
    }
    return GST_PAD_PROBE_OK;
  }
  now = g_get_monotonic_time ();
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    g_atomic_int_inc (&e->frames_out);
    g_atomic_pointer_add (&e->bytes_out,
        gst_buffer_get_size (GST_PAD_PROBE_INFO_BUFFER (info)));
  } else {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

    g_atomic_int_add (&e->frames_out, gst_buffer_list_length (list));
    g_atomic_pointer_add (&e->bytes_out,
        gst_buffer_list_calculate_size (list));
  }
  if (!e->first_out_us)
    e->first_out_us = now;
  e->last_out_us = now;
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
  g_atomic_int_set (&e->frames_in, 0);
  g_atomic_int_set (&e->frames_out, 0);
  g_atomic_pointer_set (&e->bytes_out, 0);
  e->first_out_us = e->last_out_us = 0;
  e->finished = FALSE;
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
  gchar *device = NULL;

  if (pspec && (pspec->flags & G_PARAM_READABLE))
    g_object_get (element, "device-path", &device, NULL);
  g_mutex_lock (&self->lock);
  g_free (e->encoder);
  e->encoder = g_strdup (GST_OBJECT_NAME (gst_element_get_factory (element)));
  e->hardware = gst_qsv_encoder_info_is_hardware (info);
  g_free (e->device);
  e->device = device;
  g_free (e->reason);
  e->reason = g_strdup ("used directly, not through qsvautoenc");
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
  gboolean is_bin = GST_IS_QSV_AUTO_ENC (element);
  Entry *e;

  if (result == GST_STATE_CHANGE_FAILURE)
    return;
  if (!is_bin && (!(info = plain_encoder_info (element)) ||
          inside_qsvautoenc (element)))
    return;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (!is_bin)
        plain_started (self, element, info);
      e = get_entry (self, element, is_bin);
      reset_counters (self, e);
      ensure_probes (self, e, element);
      entry_unref (e);
      request_write (self);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      e = get_entry (self, element, is_bin);
      log_totals (self, e);
      entry_unref (e);
      /* the application's thread: write now, so that a health check (or
       * a test) sees the final figures as soon as the pipeline stops */
      if (self->file)
        write_status (self);
      break;
    default:
      break;
  }
}

static void
array_to_strings (const GValue * array, GPtrArray * out)
{
  guint i;

  for (i = 0; array && i < gst_value_array_get_size (array); i++)
    g_ptr_array_add (out, g_value_dup_string (gst_value_array_get_value
            (array, i)));
}

static void
do_element_post_message_pre (GstQsvReportTracer * self, GstClockTime ts,
    GstElement * element, GstMessage * message)
{
  const GstStructure *s;
  gboolean fallback, hw = FALSE;
  Entry *e;

  if (GST_MESSAGE_TYPE (message) != GST_MESSAGE_ELEMENT ||
      !GST_IS_QSV_AUTO_ENC (element))
    return;
  s = gst_message_get_structure (message);
  fallback = gst_structure_has_name (s, "qsvautoenc-fallback");
  if (!fallback && !gst_structure_has_name (s, "qsvautoenc-selected"))
    return;

  e = get_entry (self, element, TRUE);
  gst_structure_get_boolean (s, "hardware", &hw);
  g_mutex_lock (&self->lock);
  g_free (e->encoder);
  e->encoder = g_strdup (gst_structure_get_string (s, "encoder"));
  e->hardware = hw;
  g_free (e->device);
  e->device = g_strdup (gst_structure_get_string (s, "device"));
  g_free (e->reason);
  e->reason = g_strdup (gst_structure_get_string (s, "reason"));
  g_ptr_array_set_size (e->fallbacks, 0);
  array_to_strings (gst_structure_get_value (s, "fallbacks"), e->fallbacks);
  g_ptr_array_set_size (e->rejected, 0);
  array_to_strings (gst_structure_get_value (s, "rejected"), e->rejected);
  g_mutex_unlock (&self->lock);

  if (fallback) {
    gchar *v[5] = { quoted (e->name), quoted (e->pipeline),
      quoted (gst_structure_get_string (s, "failed-encoder")),
      quoted (e->encoder), quoted (gst_structure_get_string (s, "error"))
    };
    guint i;

    gst_tracer_record_log (tr_fallback, v[0], v[1], v[2], v[3], e->hardware,
        v[4]);
    for (i = 0; i < G_N_ELEMENTS (v); i++)
      g_free (v[i]);
  } else {
    log_selection (self, e);
  }
  entry_unref (e);
  request_write (self);
}

/* ---------------------------------------------------------------------- */
/* GObject                                                                */

static void
parse_params (GstQsvReportTracer * self, const gchar * params)
{
  GError *error = NULL;
  gchar *file = NULL;
  guint interval = self->interval_ms;

  if (gst_qsv_parse_tracer_params (params, &file, &interval, &error)) {
    self->file = file;
    self->interval_ms = interval;
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

  g_mutex_lock (&active_lock);
  if (!active_tracer)
    active_tracer = self;
  g_mutex_unlock (&active_lock);
  if (self->file)
    request_write (self);
}

static void
gst_qsv_report_tracer_finalize (GObject * object)
{
  GstQsvReportTracer *self = GST_QSV_REPORT_TRACER (object);
  GHashTableIter it;
  gpointer key;

  g_mutex_lock (&active_lock);
  if (active_tracer == self)
    active_tracer = NULL;
  g_mutex_unlock (&active_lock);

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  if (self->writer)
    g_thread_join (self->writer);

  g_hash_table_iter_init (&it, self->entries);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_object_weak_unref (key, on_element_gone, self);
  g_hash_table_unref (self->entries);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->file_lock);
  g_cond_clear (&self->cond);
  g_free (self->file);
  G_OBJECT_CLASS (gst_qsv_report_tracer_parent_class)->finalize (object);
}

#define STRING_FIELD(desc) GST_TYPE_STRUCTURE, gst_structure_new ("value", \
    "type", G_TYPE_GTYPE, G_TYPE_STRING, "description", G_TYPE_STRING, \
    desc, "related-to", GST_TYPE_TRACER_VALUE_SCOPE, \
    GST_TRACER_VALUE_SCOPE_ELEMENT, NULL)
#define TYPED_FIELD(gtype, desc) GST_TYPE_STRUCTURE, gst_structure_new \
    ("value", "type", G_TYPE_GTYPE, gtype, "description", G_TYPE_STRING, \
    desc, "related-to", GST_TYPE_TRACER_VALUE_SCOPE, \
    GST_TRACER_VALUE_SCOPE_ELEMENT, NULL)

static void
make_records (void)
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
      "failed", STRING_FIELD ("factory of the encoder that failed"),
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

static void
gst_qsv_report_tracer_class_init (GstQsvReportTracerClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);

  gobject_class->constructed = gst_qsv_report_tracer_constructed;
  gobject_class->finalize = gst_qsv_report_tracer_finalize;
  make_records ();
  GST_DEBUG_CATEGORY_INIT (gst_qsv_report_tracer_debug, "qsvautoencreport",
      0, "qsvautoenc-report tracer");
}

static void
gst_qsv_report_tracer_init (GstQsvReportTracer * self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->file_lock);
  g_cond_init (&self->cond);
  self->interval_ms = DEFAULT_INTERVAL_MS;
  self->entries = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) entry_unref);
  gst_tracing_register_hook (GST_TRACER (self), "element-change-state-post",
      G_CALLBACK (do_element_change_state_post));
  gst_tracing_register_hook (GST_TRACER (self), "element-post-message-pre",
      G_CALLBACK (do_element_post_message_pre));
}

void
gst_qsv_report_tracer_ensure (const gchar * params)
{
  gboolean needed;

  g_mutex_lock (&active_lock);
  needed = active_tracer == NULL;
  g_mutex_unlock (&active_lock);
  /* the tracer lives as long as the process, as GST_TRACERS ones do */
  if (needed)
    g_object_new (GST_TYPE_QSV_REPORT_TRACER, "params", params, NULL);
}
