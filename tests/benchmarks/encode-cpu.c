/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* encode-cpu PIPELINE: runs a pipeline to EOS and prints, as key=value
 * pairs on one line, the process's CPU time (user and system, all threads)
 * and the wall time from PLAYING to EOS, the number of buffers that reached
 * the element named "sink" (if any), and the encoder an element named "enc"
 * said it used (qsvautoenc's active-encoder), for the benchmark drivers. */

#include <gst/gst.h>
#include <sys/resource.h>

static void
cpu_ms (gdouble * user, gdouble * sys)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  *user = ru.ru_utime.tv_sec * 1e3 + ru.ru_utime.tv_usec / 1e3;
  *sys = ru.ru_stime.tv_sec * 1e3 + ru.ru_stime.tv_usec / 1e3;
}

static GstPadProbeReturn
count_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_atomic_int_inc ((gint *) user_data);
  return GST_PAD_PROBE_OK;
}

int
main (int argc, char **argv)
{
  GstElement *pipe;
  GstMessage *msg;
  GError *error = NULL;
  GstElement *sink, *enc;
  gdouble user0, sys0, user1, sys1;
  gint64 wall0;
  gint frames = 0;
  gchar *active = NULL;

  gst_init (&argc, &argv);
  if (argc != 2) {
    g_printerr ("usage: encode-cpu PIPELINE\n");
    return 2;
  }
  pipe = gst_parse_launch (argv[1], &error);
  if (!pipe) {
    g_printerr ("encode-cpu: %s\n", error->message);
    return 2;
  }
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  if (sink) {
    GstPad *pad = gst_element_get_static_pad (sink, "sink");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, &frames,
        NULL);
    gst_object_unref (pad);
    gst_object_unref (sink);
  }
  /* count from PLAYING: registry loading and parsing are not the encode */
  cpu_ms (&user0, &sys0);
  wall0 = g_get_monotonic_time ();
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipe),
      GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  if (enc && g_object_class_find_property (G_OBJECT_GET_CLASS (enc),
          "active-encoder"))
    g_object_get (enc, "active-encoder", &active, NULL);
  gst_element_set_state (pipe, GST_STATE_NULL);
  cpu_ms (&user1, &sys1);
  g_print ("cpu_ms=%.1f user_ms=%.1f sys_ms=%.1f wall_ms=%.1f frames=%d "
      "encoder=%s\n", (user1 - user0) + (sys1 - sys0), user1 - user0,
      sys1 - sys0, (g_get_monotonic_time () - wall0) / 1e3, frames,
      active ? active : (enc ? GST_OBJECT_NAME (gst_element_get_factory
              (enc)) : "-"));
  g_free (active);
  if (enc)
    gst_object_unref (enc);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &error, &dbg);
    g_printerr ("encode-cpu: %s: %s (%s)\n", GST_OBJECT_NAME (msg->src),
        error->message, dbg ? dbg : "");
    g_clear_error (&error);
    g_free (dbg);
    return 1;
  }
  gst_message_unref (msg);
  gst_object_unref (pipe);
  return 0;
}
