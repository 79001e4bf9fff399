/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* encode-cpu PIPELINE: runs a pipeline to EOS and prints the process's
 * CPU time and the wall time, for the benchmark drivers. */

#include <gst/gst.h>
#include <sys/resource.h>

static gdouble
cpu_ms (void)
{
  struct rusage ru;

  getrusage (RUSAGE_SELF, &ru);
  return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

int
main (int argc, char **argv)
{
  GstElement *pipe;
  GstMessage *msg;
  GError *error = NULL;
  gdouble cpu0;
  gint64 wall0;

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
  /* count from PLAYING: registry loading and parsing are not the encode */
  cpu0 = cpu_ms ();
  wall0 = g_get_monotonic_time ();
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipe),
      GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (pipe, GST_STATE_NULL);
  g_print ("cpu_ms=%.1f wall_ms=%.1f\n", cpu_ms () - cpu0,
      (g_get_monotonic_time () - wall0) / 1e3);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    g_printerr ("encode-cpu: pipeline error\n");
    return 1;
  }
  gst_message_unref (msg);
  gst_object_unref (pipe);
  return 0;
}
