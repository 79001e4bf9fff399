/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The stream through qsvautoenc across a switch of encoder, on the REAL
 * vah264enc / vah264lpenc / vaapih264enc encoding through the software VA
 * driver (swva, in umockdev, entrypoints=slice,lp): errors from every inner
 * element, frames without usable timestamps through a reordering encoder,
 * bounded upstream pools, the watchdog, settings and child properties that
 * must survive a switch, and the queries the bin answers. Each test sets
 * its own driver faults in FAKEVA_CONFIG (read at every vaInitialize);
 * CK_FORK keeps them per test. Without umockdev or the software driver the
 * suite skips (exit 77). */

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>
#include <string.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#define fail_unless_equals_int_with_message(a, b, ...) \
  fail_unless ((a) == (b), __VA_ARGS__)

#define W 320
#define H 240
#define BASE_CONFIG "entrypoints=slice,lp"

static void
set_faults (const gchar * faults)
{
  gchar *conf = g_strdup_printf ("%s%s%s", BASE_CONFIG, faults ? ";" : "",
      faults ? faults : "");

  g_setenv ("FAKEVA_CONFIG", conf, TRUE);
  g_free (conf);
}

/* A flat frame whose luma says its index: decoded, it still says it. */
static guint8
luma_of (guint i)
{
  return 20 + (i * 3) % 200;
}

static GstBuffer *
make_frame (GstVideoInfo * info, guint i, GstBufferPool * pool)
{
  GstBuffer *buf = NULL;
  GstVideoFrame frame;
  guint p;

  if (pool) {
    fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf, NULL),
        GST_FLOW_OK);
  } else {
    buf = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (info), NULL);
  }
  fail_unless (gst_video_frame_map (&frame, info, buf, GST_MAP_WRITE));
  if (GST_VIDEO_INFO_IS_YUV (info) && GST_VIDEO_INFO_N_PLANES (info) == 1) {
    /* packed 4:2:2 (YUY2): Y U Y V */
    guint8 *d = GST_VIDEO_FRAME_PLANE_DATA (&frame, 0);
    gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0), x, y;

    for (y = 0; y < GST_VIDEO_INFO_HEIGHT (info); y++)
      for (x = 0; x < GST_VIDEO_INFO_WIDTH (info) * 2; x++)
        d[y * stride + x] = x % 2 ? 128 : luma_of (i);
  } else if (GST_VIDEO_INFO_IS_RGB (info)) {
    guint8 *d = GST_VIDEO_FRAME_PLANE_DATA (&frame, 0);
    gsize n = (gsize) GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0) *
        GST_VIDEO_INFO_HEIGHT (info);

    /* grey R = G = B = v converts to limited-range Y = 16 + 219 v / 255 */
    memset (d, CLAMP ((luma_of (i) - 16) * 255 / 219, 0, 255), n);
  } else {
    for (p = 0; p < GST_VIDEO_FRAME_N_PLANES (&frame); p++) {
      gsize n = (gsize) GST_VIDEO_FRAME_PLANE_STRIDE (&frame, p) *
          GST_VIDEO_FRAME_COMP_HEIGHT (&frame, p);

      memset (GST_VIDEO_FRAME_PLANE_DATA (&frame, p), p ? 128 : luma_of (i),
          n);
    }
  }
  gst_video_frame_unmap (&frame);
  return buf;
}

typedef struct
{
  GstElement *pipe, *enc, *src, *sink;
  GstBus *bus;
  GPtrArray *samples;           /* coded GstSample*, in arrival order */
  GPtrArray *messages;          /* every ERROR, WARNING, element message */
} Run;

static Run *
run_new (const gchar * enc_props, const gchar * downstream,
    const gchar * format)
{
  Run *r = g_new0 (Run, 1);
  gchar *desc = g_strdup_printf ("appsrc name=src format=time ! qsvautoenc "
      "name=enc %s ! %s appsink name=sink sync=false", enc_props, downstream);
  GstCaps *caps = gst_caps_new_simple ("video/x-raw", "format",
      G_TYPE_STRING, format, "width", G_TYPE_INT, W, "height", G_TYPE_INT, H,
      "framerate", GST_TYPE_FRACTION, 30, 1, NULL);

  r->pipe = gst_parse_launch (desc, NULL);
  fail_unless (r->pipe != NULL, "%s", desc);
  g_free (desc);
  r->enc = gst_bin_get_by_name (GST_BIN (r->pipe), "enc");
  r->src = gst_bin_get_by_name (GST_BIN (r->pipe), "src");
  r->sink = gst_bin_get_by_name (GST_BIN (r->pipe), "sink");
  g_object_set (r->src, "caps", caps, NULL);
  gst_caps_unref (caps);
  r->bus = gst_element_get_bus (r->pipe);
  r->samples = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_sample_unref);
  r->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_message_unref);
  return r;
}

static void
run_free (Run * r)
{
  gst_element_set_state (r->pipe, GST_STATE_NULL);
  gst_object_unref (r->bus);
  gst_object_unref (r->enc);
  gst_object_unref (r->src);
  gst_object_unref (r->sink);
  gst_object_unref (r->pipe);
  g_ptr_array_unref (r->samples);
  g_ptr_array_unref (r->messages);
  g_free (r);
}

static void
push (Run * r, GstBuffer * buf)
{
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (r->src),
          buf), GST_FLOW_OK);
}

/* Pulls coded samples until EOS (or @n samples when @n > 0); keeps the
 * bus's messages. Returns FALSE when an ERROR ended the stream. */
static gboolean
pull (Run * r, guint n)
{
  GstSample *s;
  GstMessage *m;
  gboolean ok = TRUE;

  while ((n == 0 || r->samples->len < n) &&
      (s = gst_app_sink_pull_sample (GST_APP_SINK (r->sink))))
    g_ptr_array_add (r->samples, s);
  while ((m = gst_bus_pop_filtered (r->bus, GST_MESSAGE_ERROR |
              GST_MESSAGE_WARNING | GST_MESSAGE_ELEMENT))) {
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR)
      ok = FALSE;
    g_ptr_array_add (r->messages, m);
  }
  return ok;
}

static guint
count_messages (Run * r, const gchar * name)
{
  guint i, n = 0;

  for (i = 0; i < r->messages->len; i++)
    if (gst_message_has_name (g_ptr_array_index (r->messages, i), name))
      n++;
  return n;
}

static gboolean
has_error (Run * r)
{
  guint i;

  for (i = 0; i < r->messages->len; i++)
    if (GST_MESSAGE_TYPE (g_ptr_array_index (r->messages, i)) ==
        GST_MESSAGE_ERROR)
      return TRUE;
  return FALSE;
}

/* Decodes the coded samples (a byte-stream, or avc/avc3 under the caps of
 * the first sample: downstream's caps stay the same, so the first are the
 * stream's) and returns the index of each decoded frame, by its luma. */
static GArray *
decode_indices (GPtrArray * samples, gint * width)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint));
  GstElement *pipe;
  GstElement *src, *sink;
  GstSample *s;
  guint i;

  pipe = gst_parse_launch ("appsrc name=src format=time ! h264parse ! "
      "avdec_h264 ! video/x-raw,format=I420 ! appsink name=sink sync=false",
      NULL);
  src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  fail_unless (samples->len > 0);
  g_object_set (src, "caps", gst_sample_get_caps (g_ptr_array_index (samples,
              0)), NULL);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  for (i = 0; i < samples->len; i++) {
    GstBuffer *b = gst_buffer_copy (gst_sample_get_buffer
        (g_ptr_array_index (samples, i)));

    /* decode order is arrival order; timestamps are not what is tested */
    GST_BUFFER_PTS (b) = GST_BUFFER_DTS (b) = i * GST_SECOND / 30;
    gst_app_src_push_buffer (GST_APP_SRC (src), b);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  while ((s = gst_app_sink_pull_sample (GST_APP_SINK (sink)))) {
    GstVideoInfo info;
    GstVideoFrame frame;
    guint64 sum = 0;
    gint x, y, idx;

    /* the mean of the luma plane */
    fail_unless (gst_video_info_from_caps (&info, gst_sample_get_caps (s)));
    fail_unless (gst_video_frame_map (&frame, &info, gst_sample_get_buffer (s),
            GST_MAP_READ));
    for (y = 0; y < info.height; y++) {
      const guint8 *row = (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&frame,
          0) + y * GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);

      for (x = 0; x < info.width; x++)
        sum += row[x];
    }
    gst_video_frame_unmap (&frame);
    if (width)
      *width = info.width;
    idx = ((gint) (sum / ((guint64) info.width * info.height)) - 20 + 1) / 3;
    g_array_append_val (out, idx);
    gst_sample_unref (s);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  return out;
}

/* Every frame 0..n-1 exactly once (luma repeats every 67 frames: n must
 * stay below that) */
static void
assert_each_once (GArray * idx, guint n)
{
  guint i, *seen = g_new0 (guint, n);
  GString *got = g_string_new (NULL);

  for (i = 0; i < idx->len; i++) {
    gint v = g_array_index (idx, gint, i);

    g_string_append_printf (got, "%d ", v);
    if (v >= 0 && (guint) v < n)
      seen[v]++;
  }
  for (i = 0; i < n; i++)
    fail_unless_equals_int_with_message (seen[i], 1, "frame %u seen %u times; "
        "decoded: %s", i, seen[i], got->str);
  fail_unless_equals_int (idx->len, n);
  g_string_free (got, TRUE);
  g_free (seen);
}

/* Pushes @n frames, W x H until @change, half the size from there (the
 * appsrc's caps changed), then EOS */
static void
push_resizing (Run * r, guint n, guint change)
{
  GstVideoInfo big, small;
  guint f;

  gst_video_info_set_format (&big, GST_VIDEO_FORMAT_I420, W, H);
  gst_video_info_set_format (&small, GST_VIDEO_FORMAT_I420, W / 2, H / 2);
  for (f = 0; f < n; f++) {
    GstBuffer *b;

    if (f == change) {
      GstCaps *caps = gst_video_info_to_caps (&small);

      gst_caps_set_simple (caps, "framerate", GST_TYPE_FRACTION, 30, 1, NULL);
      g_object_set (r->src, "caps", caps, NULL);
      gst_caps_unref (caps);
    }
    b = make_frame (f < change ? &big : &small, f, NULL);
    GST_BUFFER_PTS (b) = f * GST_SECOND / 30;
    push (r, b);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (r->src));
}

/* Runs @desc (its qsvautoenc named "enc") to its first ERROR or EOS, which
 * must be an ERROR from the element; gives its message and debug text and
 * stops the pipeline (which must not hang) */
static void
first_error_from_enc (const gchar * desc, gchar ** message, gchar ** debug)
{
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstBus *bus;
  GstMessage *m;
  GError *err = NULL;

  fail_unless (pipe != NULL, "%s", desc);
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  /* a hang guard, not a timing assert */
  m = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_ERROR |
      GST_MESSAGE_EOS);
  fail_unless (m != NULL, "%s: no ERROR and no EOS", desc);
  fail_unless_equals_int_with_message (GST_MESSAGE_TYPE (m),
      GST_MESSAGE_ERROR, "%s: EOS, no ERROR", desc);
  fail_unless_equals_string (GST_MESSAGE_SRC_NAME (m), "enc");
  gst_message_parse_error (m, &err, debug);
  *message = g_strdup (err->message);
  g_error_free (err);
  gst_message_unref (m);
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (bus);
  gst_object_unref (pipe);
}

/* ---------------------------------------------------------------------- */

/* Any element inside failing is the active path failing: the next
 * candidate takes over (every frame decoded once), or with fallback=never
 * the application gets a clean ERROR, and stopping never hangs. */
GST_START_TEST (test_inner_element_errors)
{
  const gchar *inner[] = { "convert", "filter", "encoder", "enc_filter",
    "parse", "out_filter"
  };
  const gchar *policy[] = { "always", "never" };
  GstVideoInfo info;
  guint i, p, f;

  set_faults (NULL);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, W, H);
  for (p = 0; p < G_N_ELEMENTS (policy); p++) {
    for (i = 0; i < G_N_ELEMENTS (inner); i++) {
      gchar *props = g_strdup_printf ("fallback=%s", policy[p]);
      Run *r = run_new (props, "video/x-h264,stream-format=avc !", "I420");
      GstElement *el;
      GError *err = g_error_new_literal (GST_STREAM_ERROR,
          GST_STREAM_ERROR_FAILED, "injected");

      gst_element_set_state (r->pipe, GST_STATE_PLAYING);
      for (f = 0; f < 10; f++) {
        GstBuffer *b = make_frame (&info, f, NULL);

        GST_BUFFER_PTS (b) = f * GST_SECOND / 30;
        push (r, b);
      }
      pull (r, 5);
      el = gst_bin_get_by_name (GST_BIN (r->enc), inner[i]);
      fail_unless (el != NULL, "no %s inside", inner[i]);
      gst_element_post_message (el, gst_message_new_error (GST_OBJECT (el),
              err, "injected by the test"));
      g_error_free (err);
      gst_object_unref (el);
      for (; f < 30; f++) {
        GstBuffer *b = make_frame (&info, f, NULL);

        GST_BUFFER_PTS (b) = f * GST_SECOND / 30;
        if (gst_app_src_push_buffer (GST_APP_SRC (r->src), b) != GST_FLOW_OK)
          break;
      }
      gst_app_src_end_of_stream (GST_APP_SRC (r->src));
      if (p == 0) {
        GArray *idx;

        fail_unless (pull (r, 0), "an error reached the application (%s)",
            inner[i]);
        fail_unless (count_messages (r, "qsvautoenc-fallback") >= 1,
            "no fallback after %s failed", inner[i]);
        idx = decode_indices (r->samples, NULL);
        assert_each_once (idx, 30);
        g_array_unref (idx);
      } else {
        GstMessage *m = gst_bus_timed_pop_filtered (r->bus,
            GST_CLOCK_TIME_NONE, GST_MESSAGE_ERROR | GST_MESSAGE_EOS);

        fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_ERROR);
        gst_message_unref (m);
      }
      /* stopping returns (it hung on the bin's lock before) */
      fail_unless_equals_int (gst_element_set_state (r->pipe,
              GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
      run_free (r);
      g_free (props);
    }
  }
}

GST_END_TEST;

/* A reordering encoder (B-frames) fails mid-stream, with input frames that
 * have no timestamps, the same timestamp in pairs, or a BYTES segment:
 * each frame still comes out exactly once, and no assertion is logged
 * (GstCheck fails the test on a critical). */
static void
run_untimed (const gchar * mode)
{
  gboolean bytes = g_str_equal (mode, "bytes");
  Run *r;
  GstVideoInfo info;
  GArray *idx;
  guint f, n = 60;

  set_faults ("fail_at=20");
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, W, H);
  r = run_new ("b-frames=2 key-int-max=30", "", "I420");
  if (bytes)
    g_object_set (r->src, "format", GST_FORMAT_BYTES, NULL);
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  for (f = 0; f < n; f++) {
    GstBuffer *b = make_frame (&info, f, NULL);

    if (g_str_equal (mode, "dup"))
      GST_BUFFER_PTS (b) = (f / 2) * GST_SECOND / 30;
    else if (bytes)
      GST_BUFFER_PTS (b) = f * GST_SECOND / 30;
    push (r, b);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (r->src));
  fail_unless (pull (r, 0), "an error reached the application");
  fail_unless (count_messages (r, "qsvautoenc-fallback") >= 1);
  idx = decode_indices (r->samples, NULL);
  assert_each_once (idx, n);
  g_array_unref (idx);
  run_free (r);
}

GST_START_TEST (test_no_timestamps)
{
  run_untimed ("none");
}

GST_END_TEST;

GST_START_TEST (test_duplicate_timestamps)
{
  run_untimed ("dup");
}

GST_END_TEST;

GST_START_TEST (test_bytes_segment)
{
  run_untimed ("bytes");
}

GST_END_TEST;

/* Input with gaps in its timestamps (a camera dropping frames) through the
 * real vah264enc, which numbers its output PTS by the frames it took: no
 * frame is taken for lost (a spurious fallback that doubled frames, before),
 * each comes out once, and every output carries its input's timestamp,
 * with and without a switch. */
static void
run_gaps (const gchar * faults, gboolean expect_fallback)
{
  GstVideoInfo info;
  GArray *idx;
  GHashTable *want = g_hash_table_new (NULL, NULL);
  Run *r;
  guint f, n = 0, i;

  set_faults (faults);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, W, H);
  r = run_new ("", "", "I420");
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  for (f = 0; f < 60; f++) {
    GstBuffer *b;

    if (f % 10 == 5)
      continue;                 /* a dropped frame */
    b = make_frame (&info, f, NULL);
    GST_BUFFER_PTS (b) = f * GST_SECOND / 30;
    GST_BUFFER_DURATION (b) = GST_SECOND / 30;
    g_hash_table_add (want, GUINT_TO_POINTER (f));
    push (r, b);
    n++;
  }
  gst_app_src_end_of_stream (GST_APP_SRC (r->src));
  fail_unless (pull (r, 0));
  fail_unless_equals_int (count_messages (r, "qsvautoenc-fallback") > 0,
      expect_fallback);
  fail_unless_equals_int (r->samples->len, n);
  for (i = 0; i < r->samples->len; i++) {
    GstSample *smp = g_ptr_array_index (r->samples, i);
    GstClockTime rt = gst_segment_to_running_time (gst_sample_get_segment
        (smp), GST_FORMAT_TIME, GST_BUFFER_PTS (gst_sample_get_buffer (smp)));
    guint frame = (guint) ((rt * 30 + GST_SECOND / 2) / GST_SECOND);

    fail_unless (g_hash_table_remove (want, GUINT_TO_POINTER (frame)),
        "output %u at %" GST_TIME_FORMAT ": no input frame there (or twice)",
        i, GST_TIME_ARGS (rt));
  }
  fail_unless_equals_int (g_hash_table_size (want), 0);
  idx = decode_indices (r->samples, NULL);
  fail_unless_equals_int (idx->len, n);
  g_array_unref (idx);
  g_hash_table_unref (want);
  run_free (r);
}

GST_START_TEST (test_timestamp_gaps)
{
  run_gaps (NULL, FALSE);
  run_gaps ("fail_at=20", TRUE);
}

GST_END_TEST;

/* The GPU is gone for good with NV12 from a source that allocates from
 * the pool downstream proposes (videotestsrc, v4l2src): x264enc takes over
 * and the source goes on (it allocated from vah264enc's VA pool, which
 * stopped giving buffers with the GPU, and the pipeline errored). */
GST_START_TEST (test_gpu_gone_nv12_source)
{
  GstElement *pipe;
  GstElement *sink;
  GstBus *bus;
  GstMessage *m;
  GstSample *smp;
  guint n = 0, fallbacks = 0;

  set_faults ("gone_at=20");
  pipe = gst_parse_launch ("videotestsrc num-buffers=60 ! video/x-raw,"
      "format=NV12,width=320,height=240,framerate=30/1 ! qsvautoenc ! "
      "appsink name=sink sync=false", NULL);
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  while ((smp = gst_app_sink_pull_sample (GST_APP_SINK (sink)))) {
    n++;
    gst_sample_unref (smp);
  }
  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR |
              GST_MESSAGE_ELEMENT))) {
    fail_if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR);
    if (gst_message_has_name (m, "qsvautoenc-fallback"))
      fallbacks++;
    gst_message_unref (m);
  }
  fail_unless (fallbacks >= 1);
  fail_unless_equals_int (n, 60);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_object_unref (pipe);
}

GST_END_TEST;

/* Upstream's pool has 8 buffers (v4l2src, an application's pool): at
 * default settings the stream runs through, on hardware and on x264enc
 * (which holds its lookahead's frames). A stall would hang the test's
 * acquire until CK's time-out. */
static void
run_bounded_pool (const gchar * props, GstVideoFormat format)
{
  GstBufferPool *pool = gst_video_buffer_pool_new ();
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstVideoInfo info;
  GstCaps *caps;
  GArray *idx;
  Run *r;
  guint f, n = 60;

  set_faults (NULL);
  gst_video_info_set_format (&info, format, W, H);
  caps = gst_video_info_to_caps (&info);
  gst_buffer_pool_config_set_params (config, caps, info.size, 8, 8);
  gst_caps_unref (caps);
  fail_unless (gst_buffer_pool_set_config (pool, config));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  r = run_new (props, "", gst_video_format_to_string (format));
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  for (f = 0; f < n; f++) {
    GstBuffer *b = make_frame (&info, f, pool);

    GST_BUFFER_PTS (b) = f * GST_SECOND / 30;
    push (r, b);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (r->src));
  fail_unless (pull (r, 0));
  idx = decode_indices (r->samples, NULL);
  assert_each_once (idx, n);
  g_array_unref (idx);
  run_free (r);
  gst_buffer_pool_set_active (pool, FALSE);
  gst_object_unref (pool);
}

GST_START_TEST (test_bounded_pool)
{
  const GstVideoFormat formats[] = { GST_VIDEO_FORMAT_YUY2,
    GST_VIDEO_FORMAT_BGRx, GST_VIDEO_FORMAT_I420, GST_VIDEO_FORMAT_NV12
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    run_bounded_pool ("", formats[i]);
    run_bounded_pool ("encoder=x264enc", formats[i]);
  }
}

GST_END_TEST;

/* Paused with frames held (B-frames), then resumed: time spent paused is
 * no stall. */
GST_START_TEST (test_watchdog_pause)
{
  GstVideoInfo info;
  Run *r;
  guint f;

  set_faults (NULL);
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, W, H);
  /* a time-out far above what encoding a frame takes on a loaded 2-core
   * machine (a real stall there cascades to x264enc, whose lookahead holds
   * the 10 frames: the pull below would wait for ever) */
  r = run_new ("b-frames=2 stall-timeout=1500", "", "I420");
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  for (f = 0; f < 10; f++) {
    GstBuffer *b = make_frame (&info, f, NULL);

    GST_BUFFER_PTS (b) = f * GST_SECOND / 30;
    push (r, b);
  }
  pull (r, 6);
  gst_element_set_state (r->pipe, GST_STATE_PAUSED);
  gst_element_get_state (r->pipe, NULL, NULL, GST_CLOCK_TIME_NONE);
  /* the scenario: more than the time-out passes while paused (not a
   * synchronisation) */
  g_usleep (2 * 1500 * 1000);
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  for (; f < 30; f++) {
    GstBuffer *b = make_frame (&info, f, NULL);

    GST_BUFFER_PTS (b) = f * GST_SECOND / 30;
    push (r, b);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (r->src));
  fail_unless (pull (r, 0));
  fail_unless_equals_int (count_messages (r, "qsvautoenc-stall"), 0);
  fail_unless_equals_int (count_messages (r, "qsvautoenc-fallback"), 0);
  fail_unless_equals_int (r->samples->len, 30);
  run_free (r);
}

GST_END_TEST;

static GMutex stall_lock;
static GCond stall_cond;
static gint stall_stop_result = -1;

static GstBusSyncReply
stop_on_stall (GstBus * bus, GstMessage * m, gpointer pipe)
{
  if (gst_message_has_name (m, "qsvautoenc-stall")) {
    GstStateChangeReturn ret = gst_element_set_state (pipe, GST_STATE_NULL);

    g_mutex_lock (&stall_lock);
    stall_stop_result = ret;
    g_cond_signal (&stall_cond);
    g_mutex_unlock (&stall_lock);
  }
  return GST_BUS_PASS;
}

/* An application stopping the pipeline from a sync handler on
 * qsvautoenc-stall (in the watchdog's thread) stops it; before, the
 * watchdog joined itself and the process aborted. */
GST_START_TEST (test_watchdog_stop_from_sync_handler)
{
  GstVideoInfo info;
  Run *r;
  guint f;

  set_faults ("stall_at=3;stall_ms=1500");
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, W, H);
  r = run_new ("stall-timeout=300", "", "I420");
  gst_bus_set_sync_handler (r->bus, stop_on_stall, r->pipe, NULL);
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  for (f = 0; f < 10; f++) {
    GstBuffer *b = make_frame (&info, f, NULL);

    GST_BUFFER_PTS (b) = f * GST_SECOND / 30;
    gst_app_src_push_buffer (GST_APP_SRC (r->src), b);
  }
  g_mutex_lock (&stall_lock);
  while (stall_stop_result < 0)
    g_cond_wait (&stall_cond, &stall_lock);
  g_mutex_unlock (&stall_lock);
  fail_unless_equals_int (stall_stop_result, GST_STATE_CHANGE_SUCCESS);
  gst_bus_set_sync_handler (r->bus, NULL, NULL, NULL);
  run_free (r);
}

GST_END_TEST;

/* encoder::prop=value from the launch line reaches every encoder the bin
 * creates, also after a re-selection (it applied to the first only). */
GST_START_TEST (test_child_property_survives)
{
  GstElement *pipe = gst_parse_launch ("appsrc ! qsvautoenc name=enc "
      "encoder=x264enc encoder::threads=3 ! fakesink", NULL);
  GstElement *enc = gst_bin_get_by_name (GST_BIN (pipe), "enc"), *child;
  guint threads = 0;

  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  child = gst_bin_get_by_name (GST_BIN (enc), "encoder");
  g_object_get (child, "threads", &threads, NULL);
  fail_unless_equals_int (threads, 3);
  gst_object_unref (child);
  /* a selection setting changed in READY: a new x264enc at PAUSED */
  g_object_set (enc, "rate-control", 2 /* vbr */ , NULL);
  gst_element_set_state (pipe, GST_STATE_PAUSED);
  child = gst_bin_get_by_name (GST_BIN (enc), "encoder");
  g_object_get (child, "threads", &threads, NULL);
  fail_unless_equals_int (threads, 3);
  gst_object_unref (child);
  /* and the application setting it through the child proxy (in READY:
   * x264enc takes it only there) */
  gst_element_set_state (pipe, GST_STATE_READY);
  gst_child_proxy_set (GST_CHILD_PROXY (enc), "encoder::threads", 2, NULL);
  g_object_set (enc, "rate-control", 1 /* cbr */ , NULL);
  gst_element_set_state (pipe, GST_STATE_PAUSED);
  child = gst_bin_get_by_name (GST_BIN (enc), "encoder");
  g_object_get (child, "threads", &threads, NULL);
  fail_unless_equals_int (threads, 2);
  gst_object_unref (child);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (enc);
  gst_object_unref (pipe);
}

GST_END_TEST;

/* The bin answers an element-level latency query as its src pad does (as
 * x264enc itself would), not GstBin's "not live, 0" for bins without
 * sinks. */
/* A flow error that comes from downstream is not the encoder's: a tee
 * with no branch yet (NOT_LINKED) and a downstream element that fails
 * (identity error-after) end the stream with their own ERROR, and the
 * hardware encoder is neither condemned nor replaced (it was: two
 * fallbacks, then a silent hang: tests/repro/not-linked-hang.sh). */
GST_START_TEST (test_downstream_flow_errors)
{
  const gchar *downstream[] = { "tee", "identity error-after=8 ! fakesink" };
  const gchar *reason[] = { "reason not-linked", "Failed after iterations" };
  guint d;

  set_faults (NULL);
  for (d = 0; d < G_N_ELEMENTS (downstream); d++) {
    gchar *desc = g_strdup_printf ("videotestsrc num-buffers=30 ! "
        "video/x-raw,format=I420,width=%d,height=%d ! qsvautoenc name=enc "
        "fallback=always ! %s", W, H, downstream[d]);
    GstElement *pipe = gst_parse_launch (desc, NULL);
    GstElement *enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
    GstBus *bus = gst_element_get_bus (pipe);
    GstMessage *m;
    gchar *active = NULL, *dbg = NULL;
    GError *err = NULL;
    guint fallbacks = 0;
    gboolean ended = FALSE;

    gst_element_set_state (pipe, GST_STATE_PLAYING);
    while (!ended) {
      /* a hang guard, not a timing assert */
      m = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
          GST_MESSAGE_ERROR | GST_MESSAGE_EOS | GST_MESSAGE_ELEMENT);
      fail_unless (m != NULL, "%s downstream: no ERROR and no EOS (hang)",
          downstream[d]);
      if (gst_message_has_name (m, "qsvautoenc-fallback"))
        fallbacks++;
      if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS)
        fail ("EOS with %s downstream: the flow error was lost",
            downstream[d]);
      if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
        gst_message_parse_error (m, &err, &dbg);
        ended = TRUE;
      }
      gst_message_unref (m);
    }
    fail_unless (strstr (dbg, reason[d]) || strstr (err->message, reason[d]),
        "%s: %s / %s", downstream[d], err->message, dbg);
    fail_unless_equals_int_with_message (fallbacks, 0, "%s downstream: the "
        "encoder was replaced %u times", downstream[d], fallbacks);
    g_object_get (enc, "active-encoder", &active, NULL);
    fail_unless_equals_string (active, "vah264enc");
    fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_NULL),
        GST_STATE_CHANGE_SUCCESS);
    g_error_free (err);
    g_free (dbg);
    g_free (active);
    g_free (desc);
    gst_object_unref (bus);
    gst_object_unref (enc);
    gst_object_unref (pipe);
  }
}

GST_END_TEST;

/* Output that is not H.264 where no switch is allowed (fallback=never, or
 * startup once output began): the application's first ERROR comes from
 * qsvautoenc, names the encoder and says why (it was the source's
 * "Internal data stream error" alone). */
GST_START_TEST (test_no_fallback_error_names_encoder)
{
  const gchar *policy[] = { "never", "startup" };
  guint p;

  set_faults ("garbage_at=10");
  for (p = 0; p < G_N_ELEMENTS (policy); p++) {
    gchar *desc = g_strdup_printf ("videotestsrc num-buffers=30 ! "
        "video/x-raw,format=I420,width=%d,height=%d ! qsvautoenc name=enc "
        "fallback=%s ! h264parse ! fakesink", W, H, policy[p]);
    gchar *message, *dbg;

    first_error_from_enc (desc, &message, &dbg);
    fail_unless (strstr (message, "vah264enc") &&
        strstr (message, "not H.264"), "%s", message);
    fail_unless (strstr (dbg, policy[p]), "%s", dbg);
    g_free (message);
    g_free (dbg);
    g_free (desc);
  }
}

GST_END_TEST;

static GstPadProbeReturn
record_times (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GArray *times = user_data;
  GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClockTime t[2] = { GST_BUFFER_PTS (b), GST_BUFFER_DTS (b) };

  g_array_append_vals (times, t, 2);
  return GST_PAD_PROBE_OK;
}

/* b-frames=2 on an encoder that does not reorder (swva's, like low-power
 * VA), then a mid-stream fallback to x264enc (which does): the stream keeps
 * its shape (no B-frames from the replacement), DTS never goes back or
 * passes the PTS, and mp4mux's file decodes every frame with ffprobe (it
 * decoded 148 of 150: tests/repro/bframes-mp4.sh); no inner element's
 * warning reaches the application. */
GST_START_TEST (test_b_frames_fallback_mp4)
{
  const guint n = 90;
  gchar *dir = g_dir_make_tmp ("qsvbf-XXXXXX", NULL);
  gchar *file = g_build_filename (dir, "out.mp4", NULL);
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=%u ! "
      "video/x-raw,format=I420,width=%d,height=%d,framerate=30/1 ! "
      "qsvautoenc name=enc b-frames=2 ! h264parse ! mp4mux ! "
      "filesink location=%s", n, W, H, file);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  GstPad *src = gst_element_get_static_pad (enc, "src");
  GArray *times = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  GstBus *bus = gst_element_get_bus (pipe);
  gchar *argv[] = { (gchar *) "ffprobe", (gchar *) "-v", (gchar *) "error",
    (gchar *) "-count_frames", (gchar *) "-show_entries",
    (gchar *) "stream=nb_read_frames", (gchar *) "-of", (gchar *) "csv=p=0",
    file, NULL
  };
  gchar *out = NULL, *err = NULL, *active = NULL;
  gint status;
  GstMessage *m;
  guint i;

  set_faults ("gone_at=30");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, record_times, times,
      NULL);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  /* a hang guard, not a timing assert */
  m = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND, GST_MESSAGE_ERROR |
      GST_MESSAGE_EOS);
  fail_unless (m != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);
  g_object_get (enc, "active-encoder", &active, NULL);
  fail_unless_equals_string (active, "x264enc");
  /* the fallbacks' warnings come from qsvautoenc, none from inside (the
   * inner converter's "not negotiated" reached the application) */
  while ((m = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING))) {
    fail_unless_equals_string (GST_MESSAGE_SRC_NAME (m), "enc");
    gst_message_unref (m);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);

  fail_unless_equals_int (times->len, 2 * n);
  for (i = 0; i < times->len; i += 2) {
    GstClockTime pts = g_array_index (times, GstClockTime, i);
    GstClockTime dts = g_array_index (times, GstClockTime, i + 1);

    if (GST_CLOCK_TIME_IS_VALID (dts)) {
      fail_unless (dts <= pts, "buffer %u: DTS %" GST_TIME_FORMAT " after PTS "
          "%" GST_TIME_FORMAT, i / 2, GST_TIME_ARGS (dts), GST_TIME_ARGS (pts));
      if (i >= 2)
        fail_unless (dts > g_array_index (times, GstClockTime, i - 1),
            "buffer %u: DTS %" GST_TIME_FORMAT " goes back", i / 2,
            GST_TIME_ARGS (dts));
    }
  }
  fail_unless (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
          NULL, &out, &err, &status, NULL), "ffprobe (package ffmpeg) runs");
  fail_unless (status == 0 && err[0] == '\0', "ffprobe: %s", err);
  fail_unless_equals_int (atoi (out), n);

  g_free (out);
  g_free (err);
  g_free (active);
  g_unlink (file);
  g_rmdir (dir);
  g_free (file);
  g_free (dir);
  g_free (desc);
  g_array_unref (times);
  gst_object_unref (src);
  gst_object_unref (bus);
  gst_object_unref (enc);
  gst_object_unref (pipe);
}

GST_END_TEST;

/* The keyframe cadence survives a switch to an encoder that honours a
 * forced keyframe (x264enc, vaapih264enc): key-int-max=30 and the GPU gone
 * at frame 40 give keyframes at 0, 30, the switch (40), then 60, 90, 120 on
 * the stream's grid (they were 0, 30, 40, 70, 100, 130). vah264enc and
 * vah264lpenc 1.22 ignore forced keyframes (gstvah264enc.c _push_one_frame
 * counts its GOP alone): after a switch to them the cadence restarts. */
GST_START_TEST (test_keyframe_grid_after_switch)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=150 ! "
      "video/x-raw,format=I420,width=%d,height=%d,framerate=30/1 ! "
      "qsvautoenc name=enc key-int-max=30 ! appsink name=sink sync=false",
      W, H);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  GPtrArray *samples = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_sample_unref);
  GString *keys = g_string_new (NULL);
  GstSample *smp;
  guint i;

  set_faults ("gone_at=40");
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  while ((smp = gst_app_sink_pull_sample (GST_APP_SINK (sink))))
    g_ptr_array_add (samples, smp);
  fail_unless_equals_int (samples->len, 150);
  for (i = 0; i < samples->len; i++) {
    GstBuffer *b = gst_sample_get_buffer (g_ptr_array_index (samples, i));

    if (!GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_DELTA_UNIT))
      g_string_append_printf (keys, "%s%u", keys->len ? "," : "", i);
  }
  fail_unless_equals_string (keys->str, "0,30,40,60,90,120");
  gst_element_set_state (pipe, GST_STATE_NULL);
  g_string_free (keys, TRUE);
  g_ptr_array_unref (samples);
  g_free (desc);
  gst_object_unref (sink);
  gst_object_unref (pipe);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GCond cond;
  guint in, in_after_flush, seek_at;
  gboolean flushed_in, seek_now;
  GArray *out_pts, *out_luma;   /* after the last flush, decoded */
  GstClockTime seg_start;
} SeekRun;

static void
seek_handoff (GstElement * identity, GstBuffer * buf, SeekRun * r)
{
  g_mutex_lock (&r->lock);
  r->in++;
  if (r->flushed_in)
    r->in_after_flush++;
  if (r->in == r->seek_at) {
    r->seek_now = TRUE;
    g_cond_signal (&r->cond);
  }
  g_mutex_unlock (&r->lock);
}

static GstPadProbeReturn
seek_in_probe (GstPad * pad, GstPadProbeInfo * info, SeekRun * r)
{
  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) == GST_EVENT_FLUSH_STOP) {
    g_mutex_lock (&r->lock);
    r->flushed_in = TRUE;
    r->in_after_flush = 0;
    g_mutex_unlock (&r->lock);
  }
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
seek_out_probe (GstPad * pad, GstPadProbeInfo * info, SeekRun * r)
{
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *b = GST_PAD_PROBE_INFO_BUFFER (info);
    guint8 y = 0;
    GstClockTime pts = GST_BUFFER_PTS (b);

    /* the middle of the first row of the 320x240 I420 frame */
    gst_buffer_extract (b, 160, &y, 1);
    g_array_append_val (r->out_pts, pts);
    g_array_append_val (r->out_luma, y);
  } else {
    GstEvent *e = GST_PAD_PROBE_INFO_EVENT (info);

    if (GST_EVENT_TYPE (e) == GST_EVENT_FLUSH_STOP) {
      g_array_set_size (r->out_pts, 0);
      g_array_set_size (r->out_luma, 0);
    } else if (GST_EVENT_TYPE (e) == GST_EVENT_SEGMENT) {
      const GstSegment *seg;

      gst_event_parse_segment (e, &seg);
      r->seg_start = seg->start;
    }
  }
  return GST_PAD_PROBE_OK;
}

/* A flushing seek after the first encoder was replaced (fail_at=30: each
 * hardware encoder fails at its 30th frame; the seek comes at input frame
 * 45): after the flush every input frame comes out once, with contiguous
 * timestamps. vah264lpenc numbers its output PTS by its own frame count,
 * which goes on across the flush: matched by the segment's running time,
 * it matched nothing, and at EOS the healthy replacement was condemned and
 * its frames encoded twice (tests/repro/seek-after-stall.sh). */
GST_START_TEST (test_seek_after_switch)
{
  gchar *dir = g_dir_make_tmp ("qsvseek-XXXXXX", NULL);
  gchar *clip = g_build_filename (dir, "clip.yuv", NULL);
  gsize frame = 320 * 240 * 3 / 2;
  guint8 *data = g_malloc (frame * 150);
  gchar *desc;
  GstElement *pipe, *id, *enc, *sink;
  GstPad *pad;
  GstBus *bus;
  GstMessage *m;
  SeekRun r = { 0 };
  guint i, n;
  gboolean *seen;

  /* the luma of frame i is 16 + i: decoded, it still says which */
  for (i = 0; i < 150; i++) {
    memset (data + i * frame, 16 + i, 320 * 240);
    memset (data + i * frame + 320 * 240, 128, 320 * 240 / 2);
  }
  fail_unless (g_file_set_contents (clip, (gchar *) data, frame * 150, NULL));
  g_free (data);
  set_faults ("fail_at=30");
  desc = g_strdup_printf ("filesrc location=%s ! rawvideoparse width=320 "
      "height=240 format=i420 framerate=30/1 ! identity name=id "
      "signal-handoffs=true ! qsvautoenc name=enc ! avdec_h264 ! "
      "video/x-raw,format=I420 ! fakesink name=sink sync=false", clip);
  pipe = gst_parse_launch (desc, NULL);
  fail_unless (pipe != NULL);
  id = gst_bin_get_by_name (GST_BIN (pipe), "id");
  enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  g_mutex_init (&r.lock);
  g_cond_init (&r.cond);
  r.seek_at = 45;
  r.out_pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  r.out_luma = g_array_new (FALSE, FALSE, sizeof (guint8));
  g_signal_connect (id, "handoff", G_CALLBACK (seek_handoff), &r);
  pad = gst_element_get_static_pad (enc, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_FLUSH,
      (GstPadProbeCallback) seek_in_probe, &r, NULL);
  gst_object_unref (pad);
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
      (GstPadProbeCallback) seek_out_probe, &r, NULL);
  gst_object_unref (pad);

  gst_element_set_state (pipe, GST_STATE_PLAYING);
  g_mutex_lock (&r.lock);
  while (!r.seek_now)
    g_cond_wait (&r.cond, &r.lock);
  g_mutex_unlock (&r.lock);
  fail_unless (gst_element_seek_simple (pipe, GST_FORMAT_TIME,
          GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, GST_SECOND));
  bus = gst_element_get_bus (pipe);
  /* a hang guard, not a timing assert */
  m = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND, GST_MESSAGE_EOS |
      GST_MESSAGE_ERROR);
  fail_unless (m != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
  gst_message_unref (m);
  gst_element_set_state (pipe, GST_STATE_NULL);

  /* every frame after the flush once, PTS contiguous from the segment */
  n = r.out_pts->len;
  fail_unless_equals_int (n, r.in_after_flush);
  seen = g_new0 (gboolean, 256);
  for (i = 0; i < n; i++) {
    guint8 y = g_array_index (r.out_luma, guint8, i);
    GstClockTime pts = g_array_index (r.out_pts, GstClockTime, i);
    GstClockTime want = r.seg_start + gst_util_uint64_scale (i, GST_SECOND,
        30);

    fail_if (seen[y], "frame with luma %u twice (output %u)", y, i);
    seen[y] = TRUE;
    fail_unless (ABS (GST_CLOCK_DIFF (pts, want)) < GST_SECOND / 60,
        "output %u: PTS %" GST_TIME_FORMAT ", expected %" GST_TIME_FORMAT, i,
        GST_TIME_ARGS (pts), GST_TIME_ARGS (want));
  }
  g_free (seen);
  g_array_unref (r.out_pts);
  g_array_unref (r.out_luma);
  g_mutex_clear (&r.lock);
  g_cond_clear (&r.cond);
  gst_object_unref (bus);
  gst_object_unref (id);
  gst_object_unref (enc);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  g_unlink (clip);
  g_rmdir (dir);
  g_free (clip);
  g_free (dir);
  g_free (desc);
}

GST_END_TEST;

/* A resolution change after a switch (the GPU gone at frame 20, x264enc
 * behind): downstream's caps change once, at the first frame of the new
 * size, to that size; not at the switch (an old path's caps sent again, a
 * new path's caps for the old frames: the level changed there), and the new
 * size is announced (it was not: tests/repro/resize-after-switch.sh) */
GST_START_TEST (test_resize_after_switch)
{
  Run *r;
  guint i, n = 60, change = 40, changes = 0;
  GstCaps *last = NULL;

  set_faults ("gone_at=20");
  r = run_new ("", "", "I420");
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  push_resizing (r, n, change);
  fail_unless (pull (r, 0));
  fail_unless (count_messages (r, "qsvautoenc-fallback") >= 1);
  fail_unless_equals_int (r->samples->len, n);
  for (i = 0; i < r->samples->len; i++) {
    GstCaps *caps = gst_sample_get_caps (g_ptr_array_index (r->samples, i));
    gint w = 0;

    if (last && !gst_caps_is_equal (caps, last)) {
      changes++;
      fail_unless_equals_int_with_message (i, change, "caps changed at "
          "output %u: %" GST_PTR_FORMAT, i, caps);
    }
    gst_structure_get_int (gst_caps_get_structure (caps, 0), "width", &w);
    fail_unless_equals_int (w, i < change ? W : W / 2);
    last = caps;
  }
  fail_unless_equals_int (changes, 1);
  run_free (r);
}

GST_END_TEST;

/* A forced vaapih264enc (no other candidate) that fails mid-stream: it
 * posts no ERROR (its own thread returns a flow error), so qsvautoenc's
 * ERROR names it (the application saw only the source's "Internal data
 * stream error": tests/repro/forced-vaapi-noerror.sh) */
GST_START_TEST (test_forced_encoder_error_names_it)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=60 ! "
      "video/x-raw,format=I420,width=%d,height=%d ! qsvautoenc name=enc "
      "encoder=vaapih264enc ! fakesink", W, H);
  gchar *message, *dbg;

  set_faults ("fail_at=20");
  first_error_from_enc (desc, &message, &dbg);
  fail_unless (strstr (message, "vaapih264enc") != NULL, "%s", message);
  g_free (message);
  g_free (dbg);
  g_free (desc);
}

GST_END_TEST;

/* Negotiation that fails before any output where no switch is allowed
 * (fallback=never, downstream profile=baseline that vah264enc lacks): the
 * application's first ERROR comes from qsvautoenc and names the encoder
 * (it was the source's not-negotiated alone: tests/repro/errors-named.sh) */
GST_START_TEST (test_never_negotiation_error_names_encoder)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=30 ! "
      "video/x-raw,format=I420,width=%d,height=%d ! qsvautoenc name=enc "
      "fallback=never ! video/x-h264,profile=baseline ! appsink sync=false",
      W, H);
  gchar *message, *dbg;

  set_faults (NULL);
  first_error_from_enc (desc, &message, &dbg);
  fail_unless (strstr (message, "vah264enc") != NULL, "%s", message);
  fail_unless (strstr (dbg, "fallback=never") != NULL, "%s", dbg);
  g_free (message);
  g_free (dbg);
  g_free (desc);
}

GST_END_TEST;

GST_START_TEST (test_latency_query)
{
  GstElement *pipe = gst_parse_launch ("videotestsrc is-live=true ! "
      "video/x-raw,width=320,height=240,framerate=30/1 ! qsvautoenc "
      "name=enc encoder=x264enc ! fakesink", NULL);
  GstElement *enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  GstPad *src = gst_element_get_static_pad (enc, "src");
  GstQuery *q1 = gst_query_new_latency (), *q2 = gst_query_new_latency ();
  gboolean live1, live2;
  GstClockTime min1, min2, max1, max2;

  gst_element_set_state (pipe, GST_STATE_PLAYING);
  gst_element_get_state (pipe, NULL, NULL, GST_CLOCK_TIME_NONE);
  fail_unless (gst_element_query (enc, q1));
  fail_unless (gst_pad_query (src, q2));
  gst_query_parse_latency (q1, &live1, &min1, &max1);
  gst_query_parse_latency (q2, &live2, &min2, &max2);
  fail_unless (live1);
  fail_unless (min1 > 0);
  fail_unless_equals_uint64 (min1, min2);
  fail_unless_equals_uint64 (max1, max2);
  gst_query_unref (q1);
  gst_query_unref (q2);
  gst_object_unref (src);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (enc);
  gst_object_unref (pipe);
}

GST_END_TEST;

/* Linking to an avc-only muxer after READY works with a byte-stream-only
 * encoder chosen (vah264enc): the parser is added at READY->PAUSED. */
GST_START_TEST (test_link_after_ready)
{
  GstElement *pipe = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("videotestsrc", NULL);
  GstElement *enc = gst_element_factory_make ("qsvautoenc", NULL);
  GstElement *mux = gst_element_factory_make ("mp4mux", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);
  gchar *active;

  set_faults (NULL);
  g_object_set (src, "num-buffers", 10, NULL);
  gst_bin_add_many (GST_BIN (pipe), src, enc, NULL);
  fail_unless (gst_element_link (src, enc));
  fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  g_object_get (enc, "active-encoder", &active, NULL);
  fail_unless_equals_string (active, "vah264enc");
  g_free (active);
  gst_bin_add_many (GST_BIN (pipe), mux, sink, NULL);
  fail_unless (gst_element_link_many (enc, mux, sink, NULL));
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  {
    GstBus *bus = gst_element_get_bus (pipe);
    GstMessage *m = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

    fail_unless_equals_int (GST_MESSAGE_TYPE (m), GST_MESSAGE_EOS);
    gst_message_unref (m);
    gst_object_unref (bus);
  }
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (pipe);
}

GST_END_TEST;

static void
set_bitrate_on_replacement (GstBin * bin, GstBin * sub, GstElement * child,
    gpointer user_data)
{
  guint *added = user_data;

  /* the application sets a bitrate while a fallback is replacing the
   * encoder (from the streaming thread, deterministically, right here) */
  if (g_str_equal (GST_OBJECT_NAME (child), "encoder") && ++(*added) == 2)
    g_object_set (bin, "bitrate", 1234, NULL);
}

/* A bitrate set during a fallback reaches the replacement. */
GST_START_TEST (test_bitrate_during_fallback)
{
  GstVideoInfo info;
  GstElement *child;
  guint f, added = 0, bitrate = 0;
  Run *r;

  set_faults ("fail_at=10");
  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, W, H);
  r = run_new ("bitrate=3000", "", "I420");
  g_signal_connect (r->enc, "deep-element-added",
      G_CALLBACK (set_bitrate_on_replacement), &added);
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  for (f = 0; f < 15; f++) {
    GstBuffer *b = make_frame (&info, f, NULL);

    GST_BUFFER_PTS (b) = f * GST_SECOND / 30;
    push (r, b);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (r->src));
  fail_unless (pull (r, 0));
  fail_unless (count_messages (r, "qsvautoenc-fallback") >= 1);
  child = gst_bin_get_by_name (GST_BIN (r->enc), "encoder");
  g_object_get (child, "bitrate", &bitrate, NULL);
  fail_unless_equals_int (bitrate, 1234);
  gst_object_unref (child);
  run_free (r);
}

GST_END_TEST;

/* The encoder fails while it drains at a resolution change: the frames it
 * held from before the change are replayed under their own caps. */
GST_START_TEST (test_held_frames_keep_caps)
{
  GArray *idx;
  Run *r;
  guint n = 40, change = 20;
  gint width = 0;

  set_faults ("fail_at=18");
  r = run_new ("b-frames=2", "", "I420");
  gst_element_set_state (r->pipe, GST_STATE_PLAYING);
  push_resizing (r, n, change);
  fail_unless (pull (r, 0));
  fail_unless (count_messages (r, "qsvautoenc-fallback") >= 1);
  fail_unless (!has_error (r));
  idx = decode_indices (r->samples, &width);
  assert_each_once (idx, n);
  fail_unless_equals_int (width, W / 2);
  g_array_unref (idx);
  run_free (r);
}

GST_END_TEST;

static Suite *
stream_suite (void)
{
  Suite *s = suite_create ("stream");
  TCase *tc = tcase_create ("swva");

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, test_inner_element_errors);
  tcase_add_test (tc, test_no_timestamps);
  tcase_add_test (tc, test_duplicate_timestamps);
  tcase_add_test (tc, test_bytes_segment);
  tcase_add_test (tc, test_timestamp_gaps);
  tcase_add_test (tc, test_gpu_gone_nv12_source);
  tcase_add_test (tc, test_bounded_pool);
  tcase_add_test (tc, test_watchdog_pause);
  tcase_add_test (tc, test_watchdog_stop_from_sync_handler);
  tcase_add_test (tc, test_child_property_survives);
  tcase_add_test (tc, test_downstream_flow_errors);
  tcase_add_test (tc, test_no_fallback_error_names_encoder);
  tcase_add_test (tc, test_b_frames_fallback_mp4);
  tcase_add_test (tc, test_keyframe_grid_after_switch);
  tcase_add_test (tc, test_seek_after_switch);
  tcase_add_test (tc, test_resize_after_switch);
  tcase_add_test (tc, test_forced_encoder_error_names_it);
  tcase_add_test (tc, test_never_negotiation_error_names_encoder);
  tcase_add_test (tc, test_latency_query);
  tcase_add_test (tc, test_link_after_ready);
  tcase_add_test (tc, test_bitrate_during_fallback);
  tcase_add_test (tc, test_held_frames_keep_caps);
  return s;
}

GST_CHECK_MAIN (stream);
