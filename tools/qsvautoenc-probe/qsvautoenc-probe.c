/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* qsvautoenc-probe: what the VA display can do (H.264 and H.265 encode),
 * as a report or as JSON, and an exit status a container health check can
 * use, about H.264 (qsvautoenc), or H.265 (qsvautoh265enc) with --codec h265:
 *   0  hardware encode of that codec is available
 *   1  software only (the reason is printed)
 *   2  usage or internal error */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvvaprobe.h"
#include "gstqsvvaprobe-json.h"
#include "gstqsvfile.h"
#include "gstqsvreport.h"

#include <gst/gst.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#define EXIT_HARDWARE 0
#define EXIT_SOFTWARE 1
#define EXIT_ERROR 2
#define EXIT_NOT_ENCODING 3

static void
print_entrypoint_cell (const GstQsvVaEntrypointCaps * caps)
{
  gchar *rc, *cell;

  if (!caps->present) {
    g_print ("  %-26s", "-");
    return;
  }
  rc = gst_qsv_va_rate_control_to_string (caps->rate_control);
  if (caps->max_width && caps->max_height)
    cell = g_strdup_printf ("%s up to %ux%u", *rc ? rc : "no rc",
        caps->max_width, caps->max_height);
  else
    cell = g_strdup (*rc ? rc : "no rate control");
  g_print ("  %-26s", cell);
  g_free (cell);
  g_free (rc);
}

static void
print_codec_table (const GstQsvVaDevice * dev, GstQsvVaCodec codec)
{
  gchar *title = g_strdup_printf ("%s encode", gst_qsv_va_codec_name (codec));
  guint p, e;

  g_print ("    %-22s", title);
  for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++)
    g_print ("  %-26s", gst_qsv_va_entrypoint_name (e));
  g_print ("\n");
  for (p = 0; p < gst_qsv_va_codec_n_profiles (codec); p++) {
    g_print ("    %-22s", gst_qsv_va_codec_profile_nick (codec, p));
    for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++)
      print_entrypoint_cell (gst_qsv_va_device_codec_caps (dev, codec, p, e));
    g_print ("\n");
  }
  g_free (title);
}

static void
print_device (const GstQsvVaDevice * dev)
{
  g_print ("  %s: %s (%.2f ms)\n", dev->path ? dev->path : "(none)",
      gst_qsv_va_status_nick (dev->status), dev->probe_time_us / 1000.0);
  if (dev->kernel_driver || dev->va_driver)
    g_print ("    kernel driver: %s, VA driver: %s\n",
        dev->kernel_driver ? dev->kernel_driver : "?",
        dev->va_driver ? dev->va_driver : "?");
  if (dev->va_major || dev->va_minor)
    g_print ("    VA-API %d.%d, vendor: %s\n", dev->va_major, dev->va_minor,
        dev->vendor ? dev->vendor : "?");
  if (dev->libva_error)
    g_print ("    libva said: %s\n", dev->libva_error);
  if (dev->status == GST_QSV_VA_STATUS_OK
      || dev->status == GST_QSV_VA_STATUS_NO_H264_ENCODE) {
    GstQsvVaCodec codec;

    for (codec = 0; codec < GST_QSV_VA_N_CODECS; codec++)
      print_codec_table (dev, codec);
  }
}

/* the element whose choice is reported: --codec */
static const gchar *const element_names[GST_QSV_VA_N_CODECS] = {
  [GST_QSV_VA_CODEC_H264] = "qsvautoenc",
  [GST_QSV_VA_CODEC_H265] = "qsvautoh265enc",
};

static GstQsvVaCodec codec = GST_QSV_VA_CODEC_H264;

static gboolean
element_installed (void)
{
  GstElementFactory *f = gst_element_factory_find (element_names[codec]);

  if (f)
    gst_object_unref (f);
  return f != NULL;
}

static gchar *
to_json (const GstQsvVaProbeResult * result, const GstQsvReport * report,
    const gchar * why)
{
  GstQsvJson *json = gst_qsv_json_new ();

  gst_qsv_json_begin_object (json, NULL);
  gst_qsv_va_probe_result_add_json (result, json);
  /* the element's choice; "qsvautoenc" whichever --codec chose it */
  gst_qsv_json_begin_object (json, "qsvautoenc");
  gst_qsv_json_add_string (json, "element", element_names[codec]);
  gst_qsv_json_add_string (json, "codec", gst_qsv_va_codec_nick (codec));
  gst_qsv_json_add_bool (json, "installed", element_installed ());
  if (report) {
    gst_qsv_report_add_json (report, json);
  } else {
    gst_qsv_json_add_null (json, "encoder");
    gst_qsv_json_add_bool (json, "hardware", FALSE);
    gst_qsv_json_add_string (json, "error", why);
  }
  gst_qsv_json_end_object (json);
  gst_qsv_json_end_object (json);
  return gst_qsv_json_free (json, FALSE);
}

/* What qsvautoenc (qsvautoh265enc with --codec h265) itself would choose:
 * the real element, taken to READY on a bus of its own. NULL with @error
 * when the element is not installed (GST_CORE_ERROR_MISSING_PLUGIN) or can
 * choose nothing (its own error). */
static GstQsvReport *
element_choice (const gchar * device, GError ** error)
{
  const gchar *name = element_names[codec];
  GstElement *enc = gst_element_factory_make (name, NULL);
  GstStructure *structure = NULL;
  GstQsvReport *report = NULL;
  GstBus *bus;
  GstMessage *msg;

  if (!enc) {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "the %s element is not installed (no plugin in GST_PLUGIN_PATH or "
        "the system plugin folder)", name);
    return NULL;
  }
  bus = gst_bus_new ();
  gst_element_set_bus (enc, bus);
  if (device)
    g_object_set (enc, "device", device, NULL);
  if (gst_element_set_state (enc, GST_STATE_READY) == GST_STATE_CHANGE_SUCCESS) {
    g_object_get (enc, "selection-report", &structure, NULL);
  } else if ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR))) {
    GError *err = NULL;
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    g_set_error (error, err->domain, err->code, "%s (%s)", err->message,
        dbg ? dbg : "");
    g_clear_error (&err);
    g_free (dbg);
    gst_message_unref (msg);
  }
  gst_element_set_state (enc, GST_STATE_NULL);
  gst_element_set_bus (enc, NULL);
  gst_object_unref (bus);
  gst_object_unref (enc);
  if (structure) {
    report = gst_qsv_report_from_structure (structure);
    gst_structure_free (structure);
  }
  if (!report && error && !*error)
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
        "%s failed to choose an encoder", name);
  return report;
}

static void
print_choice (const GstQsvReport * report, const gchar * why)
{
  if (!report) {
    g_print ("%s would use: nothing (%s)\n", element_names[codec], why);
    return;
  }
  g_print ("%s would use: %s (%s%s)\n  %s\n", element_names[codec],
      report->encoder,
      report->hardware ? "hardware on " : "software",
      report->hardware ? report->device : "", report->reason);
}

static void
print_report (const GstQsvVaProbeResult * result)
{
  const GstQsvVaDevice *h265;
  guint i;

  g_print ("qsvautoenc-probe %s (VA support %s)\n", VERSION,
      gst_qsv_va_probe_is_built ()? "built" : "not built");
  if (result->devices->len > 0) {
    g_print ("Render nodes probed:\n");
    for (i = 0; i < result->devices->len; i++)
      print_device (g_ptr_array_index (result->devices, i));
  }
  if (gst_qsv_va_status_is_hardware (result->status)) {
    g_print ("Hardware H.264 encode: yes\n  %s\n", result->message);
  } else {
    g_print ("Hardware H.264 encode: no (%s)\n  %s\n",
        gst_qsv_va_status_nick (result->status), result->message);
  }
  h265 = gst_qsv_va_probe_result_get_for_codec (result, GST_QSV_VA_CODEC_H265);
  if (h265) {
    gchar *slice = gst_qsv_va_rate_control_to_string
        (gst_qsv_va_device_codec_rate_control (h265, GST_QSV_VA_CODEC_H265,
            GST_QSV_VA_ENC_SLICE));
    gchar *lp = gst_qsv_va_rate_control_to_string
        (gst_qsv_va_device_codec_rate_control (h265, GST_QSV_VA_CODEC_H265,
            GST_QSV_VA_ENC_SLICE_LP));

    g_print ("Hardware H.265 encode: yes\n  on %s: EncSlice (%s), "
        "EncSliceLP (%s)\n", h265->path,
        gst_qsv_va_device_has_codec_entrypoint (h265, GST_QSV_VA_CODEC_H265,
            GST_QSV_VA_ENC_SLICE) ? slice : "absent",
        gst_qsv_va_device_has_codec_entrypoint (h265, GST_QSV_VA_CODEC_H265,
            GST_QSV_VA_ENC_SLICE_LP) ? lp : "absent");
    g_free (slice);
    g_free (lp);
  } else {
    g_print ("Hardware H.265 encode: no (no probed render node has an HEVC "
        "Main or Main10 encode entrypoint)\n");
  }
}

/* "VALUE" of the line `"KEY": VALUE,` of a qsvautoenc-report status file
 * (its documented layout: one top-level member per line), quotes removed */
static gchar *
status_member (gchar ** lines, const gchar * key)
{
  gchar *prefix = g_strdup_printf ("\"%s\": ", key);
  gchar *value = NULL;
  guint i;

  for (i = 0; lines[i] && !value; i++) {
    if (g_str_has_prefix (lines[i], prefix) &&
        g_str_has_suffix (lines[i], ",")) {
      value = g_strndup (lines[i] + strlen (prefix),
          strlen (lines[i]) - strlen (prefix) - 1);
      if (value[0] == '"')
        g_strdelimit (g_strstrip (value), "\"", ' ');
      g_strstrip (value);
    }
  }
  g_free (prefix);
  return value;
}

/* whether process @pid runs and started at @ticks (/proc/PID/stat field
 * 22): the writer of the file, not a later process with its pid */
static gboolean
writer_alive (const gchar * pid, const gchar * ticks)
{
  gchar *path = g_strdup_printf ("/proc/%s/stat", pid);
  gchar *stat = NULL, *p;
  gboolean alive = FALSE;

  if (g_file_get_contents (path, &stat, NULL, NULL) &&
      (p = strrchr (stat, ')'))) {
    gchar **f = g_strsplit (p + 2, " ", 0);

    alive = g_strv_length (f) > 19 && g_str_equal (f[19], ticks);
    g_strfreev (f);
  }
  g_free (stat);
  g_free (path);
  return alive;
}

/* --status FILE: the health rule of the tracer's status file (README):
 * 0 when its writer runs and every live encoder is hardware, 1 when a live
 * encoder is software, 3 when none is live (idle, finished, or the writer
 * is gone), 2 when the file cannot be read. */
static int
check_status_file (const gchar * path)
{
  gchar *text = NULL, **lines, *health, *pid, *ticks, *live;
  GError *error = NULL;
  int status;

  /* status files live in shared folders too: a planted symlink or FIFO
   * or another user's file is not believed */
  if (!gst_qsv_read_trusted_file (path, 16 * 1024 * 1024, &text, NULL,
          &error)) {
    g_printerr ("qsvautoenc-probe: %s\n", error->message);
    g_error_free (error);
    return EXIT_ERROR;
  }
  lines = g_strsplit (text, "\n", 0);
  health = status_member (lines, "health");
  pid = status_member (lines, "pid");
  ticks = status_member (lines, "process_start_ticks");
  live = status_member (lines, "live_encoders");
  if (!health || !pid || !ticks || !live) {
    g_printerr ("qsvautoenc-probe: %s is not a qsvautoenc-report JSON status "
        "file\n", path);
    status = EXIT_ERROR;
  } else if (!writer_alive (pid, ticks)) {
    g_print ("%s: not encoding: process %s, which wrote it, is gone\n", path,
        pid);
    status = EXIT_NOT_ENCODING;
  } else if (g_str_equal (health, "hardware")) {
    g_print ("%s: %s live encoder(s), all on hardware\n", path, live);
    status = EXIT_HARDWARE;
  } else if (g_str_equal (health, "software")) {
    g_print ("%s: a live encoder is on software\n", path);
    status = EXIT_SOFTWARE;
  } else {
    g_print ("%s: not encoding: no live encoder in process %s\n", path, pid);
    status = EXIT_NOT_ENCODING;
  }
  g_free (health);
  g_free (pid);
  g_free (ticks);
  g_free (live);
  g_strfreev (lines);
  g_free (text);
  return status;
}

int
main (int argc, char **argv)
{
  gboolean json = FALSE, fresh = FALSE;
  gchar *device = NULL, *status_file = NULL, *codec_name = NULL;
  GOptionEntry entries[] = {
    {"json", 'j', 0, G_OPTION_ARG_NONE, &json,
        "Print the result as one JSON object", NULL},
    {"device", 'd', 0, G_OPTION_ARG_FILENAME, &device,
        "Probe this render node instead of enumerating /dev/dri", "PATH"},
    {"codec", 'c', 0, G_OPTION_ARG_STRING, &codec_name,
          "The codec the exit status and the \"would use\" line are about: "
          "h264 (qsvautoenc, the default) or h265 (qsvautoh265enc)",
        "h264|h265"},
    {"fresh", 0, 0, G_OPTION_ARG_NONE, &fresh,
          "Probe even a node that hung in the last 5 minutes (a hang is "
          "remembered for all processes)", NULL},
    {"status", 's', 0, G_OPTION_ARG_FILENAME, &status_file,
          "Check the qsvautoenc-report tracer's JSON status file instead: "
          "0 = live encoders, all hardware, 1 = one on software, 3 = none "
          "live (or its process is gone)", "FILE"},
    {NULL}
  };
  GOptionContext *ctx;
  GError *error = NULL;
  GstQsvVaProbeResult *result;
  GstQsvReport *report;
  GError *why = NULL;
  int status;

  setlocale (LC_ALL, "");
  ctx = g_option_context_new ("- report what the VA display can encode");
  g_option_context_set_summary (ctx, "Reports H.264 and H.265 (HEVC) "
      "encode. Exit status: 0 = hardware H.264 encode available (H.265 with "
      "--codec h265), 1 = software only, 2 = usage or internal error; with "
      "--status, 3 = no live encoder.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("qsvautoenc-probe: %s\n", error->message);
    g_printerr ("Run 'qsvautoenc-probe --help' for the options.\n");
    g_clear_error (&error);
    g_option_context_free (ctx);
    return EXIT_ERROR;
  }
  g_option_context_free (ctx);
  if (argc > 1) {
    g_printerr ("qsvautoenc-probe: unexpected argument '%s'\n", argv[1]);
    return EXIT_ERROR;
  }
  if (codec_name && g_str_equal (codec_name, "h265"))
    codec = GST_QSV_VA_CODEC_H265;
  else if (codec_name && !g_str_equal (codec_name, "h264")) {
    g_printerr ("qsvautoenc-probe: unknown codec '%s' (h264 or h265)\n",
        codec_name);
    g_free (codec_name);
    return EXIT_ERROR;
  }
  g_free (codec_name);

  if (status_file) {
    status = check_status_file (status_file);
    g_free (status_file);
    g_free (device);
    gst_deinit ();
    return status;
  }

  result = gst_qsv_va_probe (device, fresh ? GST_QSV_VA_PROBE_FLAG_FRESH :
      GST_QSV_VA_PROBE_FLAG_NONE);
  report = element_choice (device, &why);
  if (json) {
    gchar *text = to_json (result, report, why ? why->message : NULL);
    g_print ("%s\n", text);
    g_free (text);
  } else {
    print_report (result);
    print_choice (report, why ? why->message : NULL);
  }
  /* healthy: the hardware can encode the codec, and its element (where it
   * is installed) does use it */
  status = gst_qsv_va_probe_result_get_for_codec (result, codec) &&
      (report ? report->hardware : !element_installed ()) ?
      EXIT_HARDWARE : EXIT_SOFTWARE;
  gst_qsv_report_free (report);
  g_clear_error (&why);

  gst_qsv_va_probe_result_free (result);
  g_free (device);
  gst_deinit ();
  return status;
}
