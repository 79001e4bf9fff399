/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* qsvautoenc-probe: what the VA display can do, as a report or as JSON,
 * and an exit status a container health check can use:
 *   0  hardware H.264 encode is available
 *   1  software only (the reason is printed)
 *   2  usage or internal error */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvvaprobe.h"

#include <gst/gst.h>
#include <locale.h>
#include <stdio.h>

#define EXIT_HARDWARE 0
#define EXIT_SOFTWARE 1
#define EXIT_ERROR 2

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
print_h264_table (const GstQsvVaDevice * dev)
{
  guint p, e;

  g_print ("    %-22s", "H.264 encode");
  for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++)
    g_print ("  %-26s", gst_qsv_va_entrypoint_name (e));
  g_print ("\n");
  for (p = 0; p < GST_QSV_VA_H264_N_PROFILES; p++) {
    g_print ("    %-22s", gst_qsv_va_h264_profile_nick (p));
    for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++)
      print_entrypoint_cell (&dev->h264[p][e]);
    g_print ("\n");
  }
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
      || dev->status == GST_QSV_VA_STATUS_NO_H264_ENCODE)
    print_h264_table (dev);
}

static void
print_report (const GstQsvVaProbeResult * result)
{
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
    g_print ("Encoding will run in software.\n");
  }
}

int
main (int argc, char **argv)
{
  gboolean json = FALSE;
  gchar *device = NULL;
  GOptionEntry entries[] = {
    {"json", 'j', 0, G_OPTION_ARG_NONE, &json,
        "Print the result as one JSON object", NULL},
    {"device", 'd', 0, G_OPTION_ARG_FILENAME, &device,
        "Probe this render node instead of enumerating /dev/dri", "PATH"},
    {NULL}
  };
  GOptionContext *ctx;
  GError *error = NULL;
  GstQsvVaProbeResult *result;
  int status;

  setlocale (LC_ALL, "");
  ctx = g_option_context_new ("- report what the VA display can encode");
  g_option_context_set_summary (ctx, "Exit status: 0 = hardware H.264 encode "
      "available, 1 = software only, 2 = usage or internal error.");
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

  result = gst_qsv_va_probe (device, GST_QSV_VA_PROBE_FLAG_NONE);
  if (json) {
    gchar *text = gst_qsv_va_probe_result_to_json (result);
    g_print ("%s\n", text);
    g_free (text);
  } else {
    print_report (result);
  }
  status = gst_qsv_va_status_is_hardware (result->status) ?
      EXIT_HARDWARE : EXIT_SOFTWARE;

  gst_qsv_va_probe_result_free (result);
  g_free (device);
  gst_deinit ();
  return status;
}
