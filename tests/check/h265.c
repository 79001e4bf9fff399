/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* qsvautoh265enc on the REAL vah265enc / vah265lpenc / vaapih265enc,
 * encoding through the software VA driver's HEVC (swva, libx265, in
 * umockdev, FAKEVA_CONFIG hevc=main,main10), with x265enc behind them: what it
 * picks, how its settings reach each encoder, and the fallback at start-up
 * and mid-stream into the muxers users put after it. Every output is
 * decoded by ffprobe (frame count, keyframes, size, profile). The fallback
 * matrix (tests/matrix, --codec h265) covers the other switch kinds. */

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#define fail_unless_equals_int_with_message(a, b, ...) \
  fail_unless ((a) == (b), __VA_ARGS__)

#define BASE_CONFIG "entrypoints=slice,lp;hevc=main,main10"

static void
set_faults (const gchar * faults)
{
  gchar *conf = g_strdup_printf ("%s%s%s", BASE_CONFIG, faults ? ";" : "",
      faults ? faults : "");

  g_setenv ("FAKEVA_CONFIG", conf, TRUE);
  g_free (conf);
}

typedef struct
{
  gchar *active;
  gchar *chain;                 /* "a->b->c": the selected, then each fallback */
  guint fallbacks;
  gboolean error;
  gchar *option_string;         /* x265enc's, if it ended there */
} Result;

static void
result_free (Result * r)
{
  g_free (r->active);
  g_free (r->chain);
  g_free (r->option_string);
  g_free (r);
}

/* Runs videotestsrc (@n frames, 320x240) ! qsvautoh265enc @props ! @tail */
static Result *
run (const gchar * props, guint n, const gchar * tail)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=%u "
      "pattern=ball ! video/x-raw,format=I420,width=320,height=240,"
      "framerate=30/1 ! qsvautoh265enc name=enc %s ! %s", n, props, tail);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *enc;
  GstBus *bus;
  GString *chain = g_string_new (NULL);
  Result *r = g_new0 (Result, 1);
  gboolean done = FALSE;

  fail_unless (pipe != NULL, "%s", desc);
  enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  while (!done) {
    /* a hang guard, not a timing assert */
    GstMessage *m = gst_bus_timed_pop_filtered (bus, 120 * GST_SECOND,
        GST_MESSAGE_ERROR | GST_MESSAGE_EOS | GST_MESSAGE_ELEMENT);
    const GstStructure *s;

    fail_unless (m != NULL, "no EOS or ERROR: %s", desc);
    s = gst_message_get_structure (m);
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
      GError *err;
      gchar *dbg;

      gst_message_parse_error (m, &err, &dbg);
      GST_WARNING ("%s: %s (%s)", GST_MESSAGE_SRC_NAME (m), err->message,
          dbg);
      g_error_free (err);
      g_free (dbg);
      r->error = done = TRUE;
    } else if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS) {
      done = TRUE;
    } else if (gst_structure_has_name (s, "qsvautoenc-selected") ||
        gst_structure_has_name (s, "qsvautoenc-fallback")) {
      g_string_append_printf (chain, "%s%s", chain->len ? "->" : "",
          gst_structure_get_string (s, "encoder"));
      if (gst_structure_has_name (s, "qsvautoenc-fallback"))
        r->fallbacks++;
    }
    gst_message_unref (m);
  }
  g_object_get (enc, "active-encoder", &r->active, NULL);
  if (g_strcmp0 (r->active, "x265enc") == 0) {
    GstElement *child = gst_bin_get_by_name (GST_BIN (enc), "encoder");

    g_object_get (child, "option-string", &r->option_string, NULL);
    gst_object_unref (child);
  }
  r->chain = g_string_free (chain, FALSE);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (enc);
  gst_object_unref (pipe);
  g_free (desc);
  return r;
}

/* ffprobe's view of a file: "frames,keyframe indices,width,height,profile" */
static gchar *
probe_file (const gchar * file)
{
  gchar *argv[] = { (gchar *) "ffprobe", (gchar *) "-v", (gchar *) "error",
    (gchar *) "-select_streams", (gchar *) "v:0", (gchar *) "-show_entries",
    (gchar *) "frame=key_frame,width,height:stream=profile",
    (gchar *) "-of", (gchar *) "csv=p=0", (gchar *) file, NULL
  };
  gchar *out = NULL, *err = NULL, **lines;
  GString *keys = g_string_new (NULL);
  gint status, w = 0, h = 0;
  guint i, frames = 0;
  const gchar *profile = "?";
  gchar *result;

  fail_unless (g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
          NULL, &out, &err, &status, NULL), "ffprobe (Debian package "
      "ffmpeg) runs");
  fail_unless (status == 0 && !*err, "ffprobe %s: %s", file, err);
  lines = g_strsplit (out, "\n", -1);
  for (i = 0; lines[i]; i++) {
    gchar **f = g_strsplit (lines[i], ",", -1);

    /* a frame: key_frame,width,height[,side data...] */
    if (g_strv_length (f) >= 3) {
      if (atoi (f[0]))
        g_string_append_printf (keys, "%s%u", keys->len ? " " : "", frames);
      w = atoi (f[1]);
      h = atoi (f[2]);
      frames++;
    } else if (g_strv_length (f) == 1 && *f[0]) {
      profile = lines[i];
    }
    g_strfreev (f);
  }
  result = g_strdup_printf ("%u,%s,%d,%d,%s", frames, keys->str, w, h,
      profile);
  g_string_free (keys, TRUE);
  g_strfreev (lines);
  g_free (out);
  g_free (err);
  return result;
}

/* @seen ("n,keys,w,h,profile"): @n frames, 320x240 Main, a keyframe at
 * every multiple of @gop, and at most one other: the switch (where the
 * replay starts depends on how many frames the failed encoder held) */
/* the profile check_grid wants */
static const gchar *grid_profile = "Main";

static void
check_grid (const gchar * seen, guint n, guint gop)
{
  gchar **f = g_strsplit (seen, ",", -1), **keys;
  guint i, extra = 0, on_grid = 0;

  fail_unless_equals_int (g_strv_length (f), 5);
  fail_unless_equals_int (atoi (f[0]), n);
  fail_unless_equals_string (f[2], "320");
  fail_unless_equals_string (f[3], "240");
  fail_unless_equals_string (f[4], grid_profile);
  keys = g_strsplit (f[1], " ", -1);
  for (i = 0; keys[i]; i++) {
    if (atoi (keys[i]) % gop == 0)
      on_grid++;
    else
      extra++;
  }
  fail_unless_equals_int_with_message (on_grid, (n + gop - 1) / gop,
      "keyframes %s: not on the grid of %u", f[1], gop);
  fail_unless (extra <= 1, "keyframes %s: more than the switch's", f[1]);
  g_strfreev (keys);
  g_strfreev (f);
}

/* Encodes into @mux (a file), checks the choice and what ffprobe sees
 * (@expect_probe, or NULL: the keyframe grid of check_grid) */
static void
check_into_file (const gchar * props, guint n, const gchar * mux,
    const gchar * expect_chain, const gchar * expect_probe)
{
  gchar *dir = g_dir_make_tmp ("qsvh265-XXXXXX", NULL);
  gchar *file = g_build_filename (dir, "out", NULL);
  gchar *tail = g_strdup_printf ("%s ! filesink location=%s", mux, file);
  Result *r = run (props, n, tail);
  gchar *seen;

  fail_if (r->error, "%s / %s: an ERROR reached the application", props,
      mux);
  fail_unless_equals_string (r->chain, expect_chain);
  seen = probe_file (file);
  if (expect_probe) {
    fail_unless_equals_string (seen, expect_probe);
  } else {
    check_grid (seen, n, 30);
  }
  g_free (seen);
  result_free (r);
  g_unlink (file);
  g_rmdir (dir);
  g_free (tail);
  g_free (file);
  g_free (dir);
}

#define KEYS_60 "60,0 30,320,240,Main"

GST_START_TEST (test_hardware_chosen)
{
  set_faults (NULL);
  check_into_file ("key-int-max=30", 60, "h265parse ! matroskamux",
      "vah265enc", KEYS_60);
}

GST_END_TEST;

/* The first frame fails on every VA encoder: x265enc, from the start */
GST_START_TEST (test_startup_fallback)
{
  set_faults ("fail_at=0");
  check_into_file ("key-int-max=30", 60, "h265parse ! mpegtsmux",
      "vah265enc->vah265lpenc->vaapih265enc->x265enc", KEYS_60);
}

GST_END_TEST;

/* The GPU is gone from frame 40: every hardware candidate fails after it,
 * x265enc takes over; every frame is in the file once, in the caps
 * downstream first accepted (hvc1 and hev1); a keyframe at the switch, then
 * the stream's grid again (60, not 70) */
GST_START_TEST (test_gone_midstream_mp4)
{
  const gchar *formats[] = { "hvc1", "hev1" };
  guint i;

  set_faults ("gone_at=40");
  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    gchar *mux = g_strdup_printf ("h265parse ! video/x-h265,stream-format=%s "
        "! mp4mux", formats[i]);

    check_into_file ("key-int-max=30", 90, mux,
        "vah265enc->vah265lpenc->vaapih265enc->x265enc", NULL);
    g_free (mux);
  }
}

GST_END_TEST;

/* x265enc's settings: B-frames and the exact GOP in its option-string, the
 * preset from target-usage, tune for low latency */
GST_START_TEST (test_x265_settings)
{
  Result *r;

  set_faults (NULL);
  r = run ("encoder=x265enc key-int-max=15 b-frames=2", 30,
      "h265parse ! fakesink");
  fail_if (r->error);
  fail_unless_equals_string (r->active, "x265enc");
  fail_unless_equals_string (r->option_string, "scenecut=0:bframes=2");
  result_free (r);

  r = run ("encoder=x265enc", 10, "fakesink");
  fail_unless_equals_string (r->option_string, "bframes=0");
  result_free (r);
}

GST_END_TEST;

/* Downstream takes only Main 10: the encoders get 10-bit input (P010 for
 * the VA ones, I420_10LE for x265enc) and make Main 10, also across a
 * fallback; without that ask, 8-bit Main as always */
GST_START_TEST (test_main10)
{
  set_faults (NULL);
  check_into_file ("key-int-max=30", 60, "video/x-h265,profile=main-10 ! "
      "h265parse ! matroskamux", "vah265enc", "60,0 30,320,240,Main 10");
  set_faults ("gone_at=40");
  grid_profile = "Main 10";
  check_into_file ("key-int-max=30", 60, "h265parse ! "
      "video/x-h265,profile=main-10 ! matroskamux",
      "vah265enc->vah265lpenc->vaapih265enc->x265enc", NULL);
  grid_profile = "Main";
}

GST_END_TEST;

/* encodebin (and any rank-based autoplugging) picks qsvautoh265enc for
 * video/x-h265: PRIMARY+1, above x265enc */
GST_START_TEST (test_encodebin_picks_it)
{
  GstElement *pipe = gst_parse_launch ("videotestsrc num-buffers=10 ! "
      "encodebin name=eb profile=video/x-h265 ! fakesink", NULL);
  GstElement *eb;
  GstIterator *it;
  GValue v = G_VALUE_INIT;
  gboolean found = FALSE;
  GstBus *bus;
  GstMessage *m;

  set_faults (NULL);
  fail_unless (pipe != NULL);
  eb = gst_bin_get_by_name (GST_BIN (pipe), "eb");
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipe);
  /* a hang guard, not a timing assert */
  m = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND, GST_MESSAGE_EOS |
      GST_MESSAGE_ERROR);
  fail_unless (m != NULL && GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS);
  gst_message_unref (m);
  it = gst_bin_iterate_recurse (GST_BIN (eb));
  while (gst_iterator_next (it, &v) == GST_ITERATOR_OK) {
    GstElementFactory *f = gst_element_get_factory (g_value_get_object (&v));

    found |= f && g_str_equal (GST_OBJECT_NAME (f), "qsvautoh265enc");
    g_value_reset (&v);
  }
  g_value_unset (&v);
  gst_iterator_free (it);
  fail_unless (found, "encodebin did not pick qsvautoh265enc");
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (eb);
  gst_object_unref (pipe);
}

GST_END_TEST;

static Suite *
h265_suite (void)
{
  Suite *s = suite_create ("h265");
  TCase *tc = tcase_create ("swva");
  GstElementFactory *f;

  suite_add_tcase (s, tc);
  tcase_set_timeout (tc, 300);
  set_faults (NULL);
  f = gst_element_factory_find ("vah265enc");
  if (!f) {
    g_print ("vah265enc is not registered (no umockdev device or no "
        "HEVC in the software VA driver): skipping\n");
    exit (77);
  }
  gst_object_unref (f);
  tcase_add_test (tc, test_hardware_chosen);
  tcase_add_test (tc, test_startup_fallback);
  tcase_add_test (tc, test_gone_midstream_mp4);
  tcase_add_test (tc, test_x265_settings);
  tcase_add_test (tc, test_encodebin_picks_it);
  tcase_add_test (tc, test_main10);
  return s;
}

GST_CHECK_MAIN (h265);
