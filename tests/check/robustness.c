/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* qsvautoenc under abuse: state cycling (objects and file descriptors
 * counted), caps changes, flushing seeks, empty streams, unsupported input.
 * Runs with GST_TRACERS=leaks to count live objects. $QSV_SOAK multiplies
 * the cycle counts for soak runs. */

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>

#include "qsvtestutil.h"

static guint
soak (guint n)
{
  const gchar *s = g_getenv ("QSV_SOAK");
  return n * (s ? MAX (1, atoi (s)) : 1);
}

static guint
count_fds (void)
{
  GDir *d = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d))
    n++;
  g_dir_close (d);
  return n;
}

/* live GstObjects (and mini objects) the leaks tracer knows of */
static guint
live_objects (void)
{
  GList *tracers = gst_tracing_get_active_tracers (), *l;
  guint n = 0;

  for (l = tracers; l; l = l->next) {
    if (g_str_equal (G_OBJECT_TYPE_NAME (l->data), "GstLeaksTracer")) {
      GstStructure *live = NULL;
      const GValue *leaks;

      g_signal_emit_by_name (l->data, "get-live-objects", &live);
      leaks = gst_structure_get_value (live, "live-objects-list");
      n = gst_value_list_get_size (leaks);
      if (n) {
        gchar *str = gst_structure_to_string (live);
        GST_INFO ("live: %s", str);
        g_free (str);
      }
      /* not freed on purpose: in 1.22 this structure holds the live objects
       * without references of its own, and freeing it unrefs them */
    }
  }
  g_list_free_full (tracers, gst_object_unref);
  return n;
}

static GstMessage *
run_to_end (GstElement * pipe)
{
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  return gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipe),
      GST_CLOCK_TIME_NONE, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
}

static void
cycle_once (void)
{
  GstElement *pipe = gst_parse_launch ("videotestsrc num-buffers=3 ! "
      "video/x-raw,width=64,height=48 ! qsvautoenc ! fakesink", NULL);
  GstMessage *m = run_to_end (pipe);

  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pipe);
}

GST_START_TEST (test_state_cycling)
{
  guint i, fds, objects, n = soak (200);

  /* warm up: plugins loaded, caches filled, once */
  cycle_once ();
  gst_task_cleanup_all ();
  fds = count_fds ();
  objects = live_objects ();
  {
    /* the leaks tracer is there and counting: a live element shows */
    GstElement *held = gst_object_ref_sink (gst_element_factory_make
        ("qsvautoenc", NULL));
    fail_unless (live_objects () > objects, "is GST_TRACERS=leaks set?");
    gst_object_unref (held);
  }
  for (i = 0; i < n; i++)
    cycle_once ();
  /* the last source's task ends on a pool thread: wait for it */
  gst_task_cleanup_all ();
  fail_unless_equals_int (count_fds (), fds);
  fail_unless_equals_int (live_objects (), objects);
}

GST_END_TEST;

GST_START_TEST (test_ready_paused_cycling)
{
  GstElement *e = gst_element_factory_make ("qsvautoenc", NULL);
  guint i, fds;
  gchar *active;

  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  fds = count_fds ();
  for (i = 0; i < soak (300); i++) {
    fail_unless (gst_element_set_state (e, GST_STATE_PAUSED) !=
        GST_STATE_CHANGE_FAILURE);
    fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
  }
  fail_unless_equals_int (count_fds (), fds);
  g_object_get (e, "active-encoder", &active, NULL);
  fail_unless_equals_string (active, "x264enc");
  g_free (active);
  /* NULL and back: chosen again, nothing left over */
  for (i = 0; i < soak (50); i++) {
    gst_element_set_state (e, GST_STATE_NULL);
    fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
        GST_STATE_CHANGE_SUCCESS);
  }
  fail_unless_equals_int (count_fds (), fds);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_object_unref (e);
}

GST_END_TEST;

/* The caps of every decoded frame, in order. */
static GPtrArray *
decoded_sizes (GstElement * pipe)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "out");
  GPtrArray *sizes = g_ptr_array_new_with_free_func (g_free);
  GstSample *s;

  while ((s = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 0))) {
    GstStructure *st = gst_caps_get_structure (gst_sample_get_caps (s), 0);
    gint w = 0, h = 0;

    gst_structure_get_int (st, "width", &w);
    gst_structure_get_int (st, "height", &h);
    g_ptr_array_add (sizes, g_strdup_printf ("%dx%d", w, h));
    gst_sample_unref (s);
  }
  gst_object_unref (sink);
  return sizes;
}

static GstPadProbeReturn
change_size (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstElement *filter = user_data;
  static guint count;

  /* after 10 frames the source renegotiates to another size and format */
  if (++count == 10) {
    GstCaps *caps = gst_caps_from_string ("video/x-raw,width=160,height=90,"
        "format=NV12");
    g_object_set (filter, "caps", caps, NULL);
    gst_caps_unref (caps);
  }
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_caps_change_mid_stream)
{
  GstElement *pipe = gst_parse_launch ("videotestsrc num-buffers=20 ! "
      "capsfilter name=f caps=video/x-raw,width=320,height=240,format=I420 ! "
      "qsvautoenc low-latency=true ! h264parse ! avdec_h264 ! appsink name=out "
      "sync=false wait-on-eos=false", NULL);
  GstElement *f = gst_bin_get_by_name (GST_BIN (pipe), "f");
  GstPad *pad = gst_element_get_static_pad (f, "src");
  GstMessage *m;
  GPtrArray *sizes;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, change_size, f, NULL);
  m = run_to_end (pipe);
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);
  sizes = decoded_sizes (pipe);
  /* every frame, each at the size it went in with */
  fail_unless_equals_int (sizes->len, 20);
  fail_unless_equals_string (g_ptr_array_index (sizes, 0), "320x240");
  fail_unless_equals_string (g_ptr_array_index (sizes, 19), "160x90");
  g_ptr_array_unref (sizes);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pad);
  gst_object_unref (f);
  gst_object_unref (pipe);
}

GST_END_TEST;

GST_START_TEST (test_flushing_seek)
{
  GstElement *pipe = gst_parse_launch ("videotestsrc ! "
      "video/x-raw,width=160,height=120,framerate=30/1 ! qsvautoenc "
      "low-latency=true ! h264parse ! avdec_h264 ! appsink name=out "
      "sync=false wait-on-eos=false", NULL);
  GstMessage *m;
  GPtrArray *sizes;

  gst_element_set_state (pipe, GST_STATE_PAUSED);
  fail_unless_equals_int (gst_element_get_state (pipe, NULL, NULL,
          GST_CLOCK_TIME_NONE), GST_STATE_CHANGE_SUCCESS);
  /* seek to 1 s, play 1 s: 30 frames, none from before the seek leaks */
  fail_unless (gst_element_seek (pipe, 1.0, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SEEK_TYPE_SET,
          GST_SECOND, GST_SEEK_TYPE_SET, 2 * GST_SECOND));
  gst_element_get_state (pipe, NULL, NULL, GST_CLOCK_TIME_NONE);
  m = run_to_end (pipe);
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);
  sizes = decoded_sizes (pipe);
  /* the frame prerolled before the seek was flushed */
  fail_unless (sizes->len >= 30 && sizes->len <= 31, "%u frames", sizes->len);
  g_ptr_array_unref (sizes);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pipe);
}

GST_END_TEST;

GST_START_TEST (test_no_frames)
{
  GstElement *pipe = gst_parse_launch ("videotestsrc num-buffers=0 ! "
      "qsvautoenc ! fakesink", NULL);
  GstMessage *m = run_to_end (pipe);

  /* an empty stream ends cleanly */
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pipe);
}

GST_END_TEST;

GST_START_TEST (test_unsupported_caps)
{
  GstElement *pipe = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("audiotestsrc", NULL);
  GstElement *enc = gst_element_factory_make ("qsvautoenc", NULL);

  /* audio can't even be linked: the caps don't intersect */
  gst_bin_add_many (GST_BIN (pipe), src, enc, NULL);
  fail_if (gst_element_link (src, enc));
  gst_object_unref (pipe);
}

GST_END_TEST;

GST_START_TEST (test_not_a_drm_device)
{
  gchar *scratch = qsv_test_scratch_new ();
  gchar *path = g_build_filename (scratch, "not-a-gpu", NULL);
  gchar *desc, *reason = NULL;
  GstElement *pipe, *enc;
  GstStructure *report;
  GstMessage *m;

  g_file_set_contents (path, "x", -1, NULL);
  desc = g_strdup_printf ("videotestsrc num-buffers=5 ! qsvautoenc name=enc "
      "device=%s ! fakesink", path);
  pipe = gst_parse_launch (desc, NULL);
  enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  m = run_to_end (pipe);
  /* software, and the report says why */
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);
  g_object_get (enc, "selection-report", &report, NULL);
  reason = g_strdup (gst_structure_get_string (report, "reason"));
  if (g_strcmp0 (g_getenv ("QSV_VA_BUILT"), "1") == 0)
    fail_unless (strstr (reason, "not a DRM render node") != NULL, "%s",
        reason);
  gst_structure_free (report);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (enc);
  gst_object_unref (pipe);
  g_free (reason);
  g_free (desc);
  g_free (path);
  qsv_test_scratch_free (scratch);
}

GST_END_TEST;

static Suite *
robustness_suite (void)
{
  Suite *s = suite_create ("robustness");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 600);
  tcase_add_test (tc, test_state_cycling);
  tcase_add_test (tc, test_ready_paused_cycling);
  tcase_add_test (tc, test_caps_change_mid_stream);
  tcase_add_test (tc, test_flushing_seek);
  tcase_add_test (tc, test_no_frames);
  tcase_add_test (tc, test_unsupported_caps);
  tcase_add_test (tc, test_not_a_drm_device);
  return s;
}

GST_CHECK_MAIN (robustness);
