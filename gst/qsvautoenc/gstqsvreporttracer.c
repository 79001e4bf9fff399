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
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

GST_DEBUG_CATEGORY_STATIC (gst_qsv_report_tracer_debug);
#define GST_CAT_DEFAULT gst_qsv_report_tracer_debug

#define DEFAULT_INTERVAL_MS 1000
/* finished entries whose element is gone, kept in the file (oldest dropped
 * first), so that a long-lived process making pipeline after pipeline does
 * not grow without bound */
#define MAX_GONE 64

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
  gchar *encoder, *device, *reason;
  gboolean hardware;
  GPtrArray *fallbacks, *rejected;
  gboolean probed, finished, gone;
  gboolean listed;              /* has streamed (READY->PAUSED): in the file */
  /* counters, written by the streaming threads */
  atomic_int_least64_t frames_in, frames_out, bytes_out;
  atomic_int_least64_t first_out_us, last_out_us;
} Entry;

struct _GstQsvReportTracer
{
  GstTracer parent;

  GMutex lock;
  GMutex file_lock;             /* one writer of the status file at a time */
  GHashTable *entries;          /* live element pointer -> Entry* */
  GPtrArray *listed;            /* Entry*, in the file, in order */
  guint gone;                   /* how many of them are gone */
  gchar *file;
  guint interval_ms;
  gboolean prometheus;

  /* the status file writer */
  GThread *writer;
  GCond cond;
  gboolean dirty, stopping;
  gint last_errno;              /* of the last failed write, 0 after success */
};

G_DEFINE_TYPE (GstQsvReportTracer, gst_qsv_report_tracer, GST_TYPE_TRACER);

static GstTracerRecord *tr_selection, *tr_fallback, *tr_totals;
/* the tracer that logs the records (the first one made); set once */
static GstQsvReportTracer *active_tracer;
/* serializes gst_qsv_report_tracer_ensure() */
static GMutex ensure_lock;

/* who writes: the same for the whole process */
static gint64 process_pid;
static gchar *process_start_iso;
static gdouble process_start_seconds;
static guint64 process_start_ticks;     /* /proc/PID/stat field 22 */

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

static gdouble
entry_fps (Entry * e)
{
  gint64 frames = atomic_load_explicit (&e->frames_out, memory_order_relaxed);
  gint64 span = atomic_load_explicit (&e->last_out_us, memory_order_relaxed) -
      atomic_load_explicit (&e->first_out_us, memory_order_relaxed);

  return frames > 1 && span > 0 ? (frames - 1) * 1e6 / span : 0.0;
}

#define COUNTER(e, field) \
    atomic_load_explicit (&(e)->field, memory_order_relaxed)

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

/* The process's start, from /proc/self/stat (field 22, clock ticks after
 * boot) and /proc/stat's btime; where /proc is missing, now. */
static void
read_process_start (void)
{
  gchar *stat = NULL, *all = NULL, *p;
  guint64 btime = 0;
  GDateTime *dt;

  process_pid = getpid ();
  if (g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) &&
      (p = strrchr (stat, ')'))) {
    gchar **f = g_strsplit (p + 2, " ", 0);

    /* after "pid (comm) ": field 3 (state) is f[0], field 22 is f[19] */
    if (g_strv_length (f) > 19)
      process_start_ticks = g_ascii_strtoull (f[19], NULL, 10);
    g_strfreev (f);
  }
  if (g_file_get_contents ("/proc/stat", &all, NULL, NULL) &&
      (p = strstr (all, "\nbtime ")))
    btime = g_ascii_strtoull (p + 7, NULL, 10);
  if (process_start_ticks && btime)
    process_start_seconds = btime +
        (gdouble) process_start_ticks / sysconf (_SC_CLK_TCK);
  else
    process_start_seconds = g_get_real_time () / 1e6;
  dt = g_date_time_new_from_unix_utc ((gint64) process_start_seconds);
  process_start_iso = g_date_time_format_iso8601 (dt);
  g_date_time_unref (dt);
  g_free (stat);
  g_free (all);
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

  return gst_qsv_catalog_find_factory (gst_qsv_catalog_h264 (), name);
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

static void request_write_locked (GstQsvReportTracer * self);

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
    e->fallbacks = g_ptr_array_new_with_free_func (g_free);
    e->rejected = g_ptr_array_new_with_free_func (g_free);
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
/* The status file                                                        */

static gboolean
entry_is_live (Entry * e)
{
  return e->encoder && !e->finished;
}

/* Called with the lock held. */
static void
entry_to_json (GstQsvJson * json, Entry * e)
{
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
  gst_qsv_json_add_int (json, "frames_in", COUNTER (e, frames_in));
  gst_qsv_json_add_int (json, "frames_out", COUNTER (e, frames_out));
  gst_qsv_json_add_int (json, "bytes_out", COUNTER (e, bytes_out));
  gst_qsv_json_add_double (json, "fps", entry_fps (e));
  gst_qsv_json_add_bool (json, "finished", e->finished);
  gst_qsv_json_end_object (json);
}

static const gchar *
health_locked (GstQsvReportTracer * self, guint * hw, guint * sw,
    guint * finished)
{
  guint i;

  *hw = *sw = *finished = 0;
  for (i = 0; i < self->listed->len; i++) {
    Entry *e = g_ptr_array_index (self->listed, i);

    if (!entry_is_live (e))
      (*finished)++;
    else if (e->hardware)
      (*hw)++;
    else
      (*sw)++;
  }
  return *sw ? "software" : *hw ? "hardware" : "idle";
}

static void
add_line (GString * out, const gchar * key, const gchar * value,
    gboolean quote)
{
  g_string_append_printf (out, quote ? "\"%s\": \"%s\",\n" : "\"%s\": %s,\n",
      key, value);
}

/* The JSON status file. Its layout is part of the interface (health
 * checks read it with grep): one top-level member per line, as
 * `"key": value,`, then "encoders" with one encoder object per line.
 * Called with the lock held. */
static gchar *
status_json_locked (GstQsvReportTracer * self)
{
  GString *out = g_string_new ("{\n");
  GDateTime *now = g_date_time_new_now_utc ();
  gchar *time = g_date_time_format_iso8601 (now);
  gchar num[32];
  guint i, hw, sw, finished;

  add_line (out, "health", health_locked (self, &hw, &sw, &finished), TRUE);
  g_snprintf (num, sizeof (num), "%" G_GINT64_FORMAT, process_pid);
  add_line (out, "pid", num, FALSE);
  add_line (out, "process_start", process_start_iso, TRUE);
  g_snprintf (num, sizeof (num), "%" G_GUINT64_FORMAT, process_start_ticks);
  add_line (out, "process_start_ticks", num, FALSE);
  add_line (out, "time", time, TRUE);
  g_snprintf (num, sizeof (num), "%u", hw + sw);
  add_line (out, "live_encoders", num, FALSE);
  g_snprintf (num, sizeof (num), "%u", hw);
  add_line (out, "hardware_encoders", num, FALSE);
  g_snprintf (num, sizeof (num), "%u", sw);
  add_line (out, "software_encoders", num, FALSE);
  g_snprintf (num, sizeof (num), "%u", finished);
  add_line (out, "finished_encoders", num, FALSE);
  g_string_append (out, "\"encoders\": [");
  for (i = 0; i < self->listed->len; i++) {
    GstQsvJson *json = gst_qsv_json_new ();

    gchar *text;

    entry_to_json (json, g_ptr_array_index (self->listed, i));
    text = gst_qsv_json_free (json, FALSE);
    g_string_append (out, i ? ",\n" : "\n");
    g_string_append (out, text);
    g_free (text);
  }
  g_string_append (out, "\n]\n}\n");
  g_free (time);
  g_date_time_unref (now);
  return g_string_free (out, FALSE);
}

/* Prometheus text exposition format 0.0.4, for node_exporter's textfile
 * collector. */
static void
prom_escape (GString * out, const gchar * s)
{
  for (; s && *s; s++) {
    if (*s == '\\')
      g_string_append (out, "\\\\");
    else if (*s == '"')
      g_string_append (out, "\\\"");
    else if (*s == '\n')
      g_string_append (out, "\\n");
    else
      g_string_append_c (out, *s);
  }
}

static void
prom_family (GString * out, const gchar * name, const gchar * type,
    const gchar * help)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", name, help,
      name, type);
}

/* element and pipeline label every series; encoder and device only those
 * about the encoder (a fallback changes them: counters keep one series) */
static void
prom_labels (GString * out, Entry * e, gboolean encoder, gboolean kind)
{
  g_string_append (out, "{element=\"");
  prom_escape (out, e->name);
  g_string_append (out, "\",pipeline=\"");
  prom_escape (out, e->pipeline);
  if (encoder) {
    g_string_append (out, "\",encoder=\"");
    prom_escape (out, e->encoder);
    g_string_append (out, "\",device=\"");
    prom_escape (out, e->device);
  }
  if (kind) {
    g_string_append (out, "\",kind=\"");
    g_string_append (out, e->is_bin ? "qsvautoenc" : "plain");
  }
  g_string_append (out, "\"}");
}

static gchar *
status_prometheus_locked (GstQsvReportTracer * self)
{
  GString *out = g_string_new (NULL);
  GPtrArray *shown = g_ptr_array_new ();
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  gchar num[G_ASCII_DTOSTR_BUF_SIZE];
  guint i, f, hw, sw, finished;
  static const struct
  {
    const gchar *name, *type, *help;
  } families[] = {
    {"qsvautoenc_info", "gauge", "Always 1: which encoder an element uses, "
          "on which device."},
    {"qsvautoenc_hardware", "gauge", "1 when the element encodes on "
          "hardware, 0 on software."},
    {"qsvautoenc_finished", "gauge", "1 when the element has stopped "
          "encoding (EOS, stopped or freed)."},
    {"qsvautoenc_frames_in_total", "counter", "Raw frames into the encoder."},
    {"qsvautoenc_frames_out_total", "counter", "Coded frames out."},
    {"qsvautoenc_bytes_out_total", "counter", "Coded bytes out."},
    {"qsvautoenc_fallbacks_total", "counter", "Encoders replaced after a "
          "failure."},
    {"qsvautoenc_fps", "gauge", "Coded frames per second between the first "
          "and the last output."},
  };

  /* one series per element and pipeline name: the newest entry of a name
   * (a freed pipeline's names are often reused) */
  for (i = self->listed->len; i > 0; i--) {
    Entry *e = g_ptr_array_index (self->listed, i - 1);
    gchar *key = g_strdup_printf ("%s\x1f%s", e->pipeline, e->name);

    if (g_hash_table_add (seen, key))
      g_ptr_array_insert (shown, 0, e);
  }
  for (f = 0; f < G_N_ELEMENTS (families); f++) {
    if (!shown->len)
      break;
    prom_family (out, families[f].name, families[f].type, families[f].help);
    for (i = 0; i < shown->len; i++) {
      Entry *e = g_ptr_array_index (shown, i);
      gdouble v = 0;

      switch (f) {
        case 0:
          v = 1;
          break;
        case 1:
          v = e->hardware;
          break;
        case 2:
          v = e->finished;
          break;
        case 3:
          v = COUNTER (e, frames_in);
          break;
        case 4:
          v = COUNTER (e, frames_out);
          break;
        case 5:
          v = COUNTER (e, bytes_out);
          break;
        case 6:
          v = e->fallbacks->len;
          break;
        case 7:
          v = entry_fps (e);
          break;
      }
      g_string_append (out, families[f].name);
      prom_labels (out, e, f <= 1, f == 0);
      g_string_append_printf (out, " %s\n", g_ascii_dtostr (num, sizeof (num),
              v));
    }
  }
  health_locked (self, &hw, &sw, &finished);
  prom_family (out, "qsvautoenc_live_encoders", "gauge", "Encoders encoding "
      "now (not finished), by hardware or software.");
  g_string_append_printf (out, "qsvautoenc_live_encoders{hardware=\"true\"} "
      "%u\nqsvautoenc_live_encoders{hardware=\"false\"} %u\n", hw, sw);
  prom_family (out, "qsvautoenc_process_start_time_seconds", "gauge",
      "Start of the process that wrote this file, seconds since the epoch.");
  g_string_append_printf (out, "qsvautoenc_process_start_time_seconds %s\n",
      g_ascii_dtostr (num, sizeof (num), process_start_seconds));
  g_ptr_array_unref (shown);
  g_hash_table_unref (seen);
  return g_string_free (out, FALSE);
}

static gboolean
write_all (int fd, const gchar * text)
{
  gsize len = strlen (text), done = 0;

  while (done < len) {
    gssize n = write (fd, text + done, len - done);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return FALSE;
    done += (gsize) n;
  }
  return TRUE;
}

/* Replaces @path by a file holding @text, so that a reader only ever sees
 * the old file or the whole new one, whoever else writes there:
 * a temporary with a fresh random name in the same folder (O_CREAT|O_EXCL|
 * O_NOFOLLOW: never someone else's file or symlink), mode 0644 whatever the
 * umask, written and fsync()ed, renamed over @path, the folder fsync()ed.
 * A symbolic link (or anything but a regular file) at @path is refused
 * (ELOOP / EISDIR / EINVAL): the file never goes where a link points, and
 * an operator who put the link there learns that it is not followed.
 * FALSE with *err and *what (the step) on failure. */
static gboolean
write_file_atomically (const gchar * path, const gchar * text, gint * err,
    const gchar ** what)
{
  gchar *dir = g_path_get_dirname (path), *base = g_path_get_basename (path);
  gchar *tmp = NULL;
  gboolean ok = FALSE, created = FALSE;
  struct stat st;
  int dfd, fd = -1, i;

  *err = 0;
  *what = "open the folder";
  dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    goto out;
  *what = "check the path";
  if (fstatat (dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK (st.st_mode))
      errno = ELOOP;
    else if (S_ISDIR (st.st_mode))
      errno = EISDIR;
    else if (!S_ISREG (st.st_mode))
      errno = EINVAL;
    else
      errno = 0;
    if (errno)
      goto out;
  } else if (errno != ENOENT) {
    goto out;
  }
  *what = "create a temporary file in the folder";
  for (i = 0; i < 100 && fd < 0; i++) {
    g_free (tmp);
    /* hidden, and not *.prom or *.json: no collector reads it */
    tmp = g_strdup_printf (".%s.%08x%08x", base, g_random_int (),
        g_random_int ());
    fd = openat (dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
        O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST)
      break;
  }
  if (fd < 0)
    goto out;
  created = TRUE;
  *what = "write";
  if (fchmod (fd, 0644) < 0 || !write_all (fd, text))
    goto out;
  *what = "fsync";
  if (fsync (fd) < 0)
    goto out;
  *what = "close";
  i = close (fd);
  fd = -1;
  if (i < 0)
    goto out;
  *what = "rename the temporary file over it";
  if (renameat (dfd, tmp, dfd, base) < 0)
    goto out;
  created = FALSE;
  /* the rename itself on disk; some file systems refuse: no matter */
  fsync (dfd);
  ok = TRUE;
out:
  if (!ok)
    *err = errno ? errno : EIO;
  if (fd >= 0)
    close (fd);
  /* only ours: a name that existed (EEXIST) is someone else's */
  if (created)
    unlinkat (dfd, tmp, 0);
  if (dfd >= 0)
    close (dfd);
  g_free (tmp);
  g_free (dir);
  g_free (base);
  return ok;
}

/* Writes the file now (in the calling thread), if any encoder ever
 * streamed: a process that never had one (a probe, gst-inspect) leaves the
 * file alone. A failure is told once, as a GLib warning (on the terminal,
 * whatever GST_DEBUG says), until a write succeeds again. */
static void
write_status (GstQsvReportTracer * self)
{
  const gchar *what = NULL;
  gchar *text;
  gint err = 0;

  g_mutex_lock (&self->file_lock);
  g_mutex_lock (&self->lock);
  self->dirty = FALSE;
  if (!self->listed->len) {
    g_mutex_unlock (&self->lock);
    g_mutex_unlock (&self->file_lock);
    return;
  }
  text = self->prometheus ? status_prometheus_locked (self) :
      status_json_locked (self);
  g_mutex_unlock (&self->lock);
  if (!write_file_atomically (self->file, text, &err, &what)) {
    GST_WARNING_OBJECT (self, "cannot %s for %s: %s", what, self->file,
        g_strerror (err));
    if (self->last_errno != err)
      g_warning ("qsvautoenc-report: cannot write the status file %s (%s: "
          "%s, errno %d)%s; encoding goes on without it", self->file, what,
          g_strerror (err), err, err == ELOOP ?
          " - it is a symbolic link, which is never followed: name the real "
          "path" : "");
    self->last_errno = err;
  } else {
    self->last_errno = 0;
  }
  g_mutex_unlock (&self->file_lock);
  g_free (text);
}

static gboolean
has_live_locked (GstQsvReportTracer * self)
{
  guint i;

  for (i = 0; i < self->listed->len; i++)
    if (entry_is_live (g_ptr_array_index (self->listed, i)))
      return TRUE;
  return FALSE;
}

/* Rewrites the file at each change and, while an encoder is live, every
 * interval (its counters move). */
static gpointer
writer_thread (gpointer data)
{
  GstQsvReportTracer *self = data;

  g_mutex_lock (&self->lock);
  while (!self->stopping) {
    gint64 until = g_get_monotonic_time () +
        self->interval_ms * G_TIME_SPAN_MILLISECOND;
    gboolean timed_out = FALSE;

    while (!self->dirty && !self->stopping && !timed_out) {
      if (has_live_locked (self))
        timed_out = !g_cond_wait_until (&self->cond, &self->lock, until);
      else
        g_cond_wait (&self->cond, &self->lock);
    }
    if (self->stopping)
      break;
    g_mutex_unlock (&self->lock);
    write_status (self);
    g_mutex_lock (&self->lock);
  }
  g_mutex_unlock (&self->lock);
  return NULL;
}

/* Asks for a rewrite; never blocks on file I/O (streaming threads call
 * it). Called with the lock. */
static void
request_write_locked (GstQsvReportTracer * self)
{
  if (!self->file || self->stopping)
    return;
  self->dirty = TRUE;
  if (!self->writer)
    self->writer = g_thread_new ("qsvautoenc-report", writer_thread, self);
  g_cond_signal (&self->cond);
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
  gchar *v[5];
  gboolean hw;
  guint i;

  if (!logs_records (self))
    return;
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

/* Marks @e finished (once) and logs its totals. */
static void
finish (GstQsvReportTracer * self, Entry * e)
{
  gchar *name, *pipeline, *encoder;
  gboolean hw;

  g_mutex_lock (&self->lock);
  if (e->finished || !e->encoder) {
    g_mutex_unlock (&self->lock);
    return;
  }
  e->finished = TRUE;
  request_write_locked (self);
  name = quoted (e->name);
  pipeline = quoted (e->pipeline);
  encoder = quoted (e->encoder);
  hw = e->hardware;
  g_mutex_unlock (&self->lock);
  if (logs_records (self))
    gst_tracer_record_log (tr_totals, name, pipeline, encoder, hw,
        (guint64) COUNTER (e, frames_in), (guint64) COUNTER (e, frames_out),
        (guint64) COUNTER (e, bytes_out), entry_fps (e));
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
  if (!e->listed && e->encoder) {
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
  gboolean is_bin;
  Entry *e;

  if (result == GST_STATE_CHANGE_FAILURE ||
      (transition != GST_STATE_CHANGE_READY_TO_PAUSED &&
          transition != GST_STATE_CHANGE_PAUSED_TO_READY))
    return;
  is_bin = GST_IS_QSV_AUTO_ENC (element);
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
    if (self->file)
      write_status (self);
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
  if (e->listed)
    request_write_locked (self);
  g_mutex_unlock (&self->lock);

  if (fallback && logs_records (self)) {
    gchar *v[5];
    guint i;

    g_mutex_lock (&self->lock);
    v[0] = quoted (e->name);
    v[1] = quoted (e->pipeline);
    v[2] = quoted (gst_structure_get_string (s, "failed-encoder"));
    v[3] = quoted (e->encoder);
    v[4] = quoted (gst_structure_get_string (s, "error"));
    g_mutex_unlock (&self->lock);
    gst_tracer_record_log (tr_fallback, v[0], v[1], v[2], v[3], hw, v[4]);
    for (i = 0; i < G_N_ELEMENTS (v); i++)
      g_free (v[i]);
  } else if (!fallback) {
    log_selection (self, e);
  }
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
  /* no file yet: it is written once an encoder streams */
  g_atomic_pointer_compare_and_exchange (&active_tracer, NULL, self);
}


/* Stops the writer thread (once) and writes the last change. */
static void
stop_writer (GstQsvReportTracer * self)
{
  gboolean dirty;
  GThread *writer;

  g_mutex_lock (&self->lock);
  dirty = self->dirty && !self->stopping;
  self->stopping = TRUE;
  writer = self->writer;
  self->writer = NULL;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  if (writer)
    g_thread_join (writer);
  /* the last change (gst_deinit() after the pipeline was freed) */
  if (dirty && self->file)
    write_status (self);
}

/* A tracer the element installed lives until the process exits, where
 * gst_deinit() (which stops GST_TRACERS ones) does not reach it: stop its
 * writer there, so that no write is cut between its temporary file and
 * the rename. */
static void
stop_at_exit (void)
{
  GstQsvReportTracer *self = g_atomic_pointer_get (&active_tracer);

  if (self)
    stop_writer (self);
}

static void
gst_qsv_report_tracer_finalize (GObject * object)
{
  GstQsvReportTracer *self = GST_QSV_REPORT_TRACER (object);
  GHashTableIter it;
  gpointer key;

  g_atomic_pointer_compare_and_exchange (&active_tracer, self, NULL);

  stop_writer (self);

  g_hash_table_iter_init (&it, self->entries);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_object_weak_unref (key, on_element_gone, self);
  g_hash_table_unref (self->entries);
  g_ptr_array_unref (self->listed);
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
  read_process_start ();
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
