/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The qsvautoenc-report tracer's status file, as JSON or in the Prometheus
 * text format: what each watched encoder uses (its GstQsvReport, written by
 * the report's own JSON writer) and its counters. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvreporttracer-priv.h"
#include "gstqsvjson.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* who writes: the same for the whole process */
static gint64 process_pid;
static gchar *process_start_iso;
static gdouble process_start_seconds;
static guint64 process_start_ticks;     /* /proc/PID/stat field 22 */

#define COUNTER GST_QSV_TRACER_COUNTER

const gchar *
gst_qsv_tracer_entry_encoder (const GstQsvTracerEntry * e)
{
  return e->report ? e->report->encoder : NULL;
}

gboolean
gst_qsv_tracer_entry_hardware (const GstQsvTracerEntry * e)
{
  return e->report && e->report->hardware;
}

gboolean
gst_qsv_tracer_entry_is_live (const GstQsvTracerEntry * e)
{
  return gst_qsv_tracer_entry_encoder (e) && !e->finished;
}

gdouble
gst_qsv_tracer_entry_fps (GstQsvTracerEntry * e)
{
  gint64 frames = COUNTER (e, frames_out);
  gint64 span = COUNTER (e, last_out_us) - COUNTER (e, first_out_us);

  return frames > 1 && span > 0 ? (frames - 1) * 1e6 / span : 0.0;
}

/* The process's start, from /proc/self/stat (field 22, clock ticks after
 * boot) and /proc/stat's btime; where /proc is missing, now. */
void
gst_qsv_tracer_read_process_start (void)
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
/* JSON                                                                   */

static void
entry_to_json (GstQsvJson * json, GstQsvTracerEntry * e)
{
  GstQsvReport *empty = NULL;

  gst_qsv_json_begin_object (json, NULL);
  gst_qsv_json_add_string (json, "element", e->name);
  gst_qsv_json_add_string (json, "pipeline", e->pipeline);
  gst_qsv_json_add_string (json, "kind", e->is_bin ? "qsvautoenc" : "plain");
  if (!e->report)
    empty = gst_qsv_report_new ();
  gst_qsv_report_add_json (e->report ? e->report : empty, json);
  gst_qsv_report_free (empty);
  gst_qsv_json_add_int (json, "frames_in", COUNTER (e, frames_in));
  gst_qsv_json_add_int (json, "frames_out", COUNTER (e, frames_out));
  gst_qsv_json_add_int (json, "bytes_out", COUNTER (e, bytes_out));
  gst_qsv_json_add_double (json, "fps", gst_qsv_tracer_entry_fps (e));
  gst_qsv_json_add_bool (json, "finished", e->finished);
  gst_qsv_json_end_object (json);
}

const gchar *
gst_qsv_tracer_health (GPtrArray * listed, guint * hw, guint * sw,
    guint * finished)
{
  guint i;

  *hw = *sw = *finished = 0;
  for (i = 0; i < listed->len; i++) {
    GstQsvTracerEntry *e = g_ptr_array_index (listed, i);

    if (!gst_qsv_tracer_entry_is_live (e))
      (*finished)++;
    else if (gst_qsv_tracer_entry_hardware (e))
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
 */
gchar *
gst_qsv_tracer_render_json (GPtrArray * listed)
{
  GString *out = g_string_new ("{\n");
  GDateTime *now = g_date_time_new_now_utc ();
  gchar *time = g_date_time_format_iso8601 (now);
  gchar num[32];
  guint i, hw, sw, finished;

  add_line (out, "health", gst_qsv_tracer_health (listed, &hw, &sw, &finished), TRUE);
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
  for (i = 0; i < listed->len; i++) {
    GstQsvJson *json = gst_qsv_json_new ();

    gchar *text;

    entry_to_json (json, g_ptr_array_index (listed, i));
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
prom_labels (GString * out, GstQsvTracerEntry * e, gboolean encoder, gboolean kind)
{
  g_string_append (out, "{element=\"");
  prom_escape (out, e->name);
  g_string_append (out, "\",pipeline=\"");
  prom_escape (out, e->pipeline);
  if (encoder) {
    g_string_append (out, "\",encoder=\"");
    prom_escape (out, gst_qsv_tracer_entry_encoder (e));
    g_string_append (out, "\",device=\"");
    prom_escape (out, e->report ? e->report->device : NULL);
  }
  if (kind) {
    g_string_append (out, "\",kind=\"");
    g_string_append (out, e->is_bin ? "qsvautoenc" : "plain");
  }
  g_string_append (out, "\"}");
}

gchar *
gst_qsv_tracer_render_prometheus (GPtrArray * listed)
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
  for (i = listed->len; i > 0; i--) {
    GstQsvTracerEntry *e = g_ptr_array_index (listed, i - 1);
    gchar *key = g_strdup_printf ("%s\x1f%s", e->pipeline, e->name);

    if (g_hash_table_add (seen, key))
      g_ptr_array_insert (shown, 0, e);
  }
  for (f = 0; f < G_N_ELEMENTS (families); f++) {
    if (!shown->len)
      break;
    prom_family (out, families[f].name, families[f].type, families[f].help);
    for (i = 0; i < shown->len; i++) {
      GstQsvTracerEntry *e = g_ptr_array_index (shown, i);
      gdouble v = 0;

      switch (f) {
        case 0:
          v = 1;
          break;
        case 1:
          v = gst_qsv_tracer_entry_hardware (e);
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
          v = e->report ? e->report->fallbacks->len : 0;
          break;
        case 7:
          v = gst_qsv_tracer_entry_fps (e);
          break;
      }
      g_string_append (out, families[f].name);
      prom_labels (out, e, f <= 1, f == 0);
      g_string_append_printf (out, " %s\n", g_ascii_dtostr (num, sizeof (num),
              v));
    }
  }
  gst_qsv_tracer_health (listed, &hw, &sw, &finished);
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
