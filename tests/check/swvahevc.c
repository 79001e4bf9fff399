/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The REAL vah265enc, vah265lpenc and vaapih265enc (gst-plugins-bad and
 * gstreamer-vaapi 1.22) encoding through the software VA driver
 * (tests/fakeva, swva_drv_video.so with FAKEVA_CONFIG hevc=main,main10:
 * libx265 behind the real libva) on an emulated render node (umockdev,
 * run-in-umockdev.sh). Every output is decoded by an independent decoder,
 * ffmpeg's (ffprobe -count_frames; ffmpeg -xerror), and checked: frame
 * count, keyframe positions (the GOP set on the element), size, profile.
 * The driver's fault modes (gone_at, garbage_at) give the same
 * element-level symptoms as with H.264, so the fallback tests of an HEVC
 * element can rely on them. Each test runs in its own process (check's
 * fork), so gone_at, counted over a process, starts again at 0. */

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <string.h>

typedef struct
{
  guint buffers;                /* coded buffers out of the encoder */
  guint no_start_code;          /* of which without a 00 00 01 */
  gchar *error_from;            /* the element of the first ERROR, if any */
  gchar *error;
} Run;

typedef struct
{
  gchar *codec, *profile, *pix_fmt;
  guint width, height, frames;
  GString *keyframes;           /* "0,15,30" */
  gboolean decodes;             /* ffmpeg -xerror: no error at all */
} Probe;

static gchar *
scratch_file (const gchar * name)
{
  const gchar *dir = g_getenv ("QSV_TEST_TMPDIR");

  g_mkdir_with_parents (dir ? dir : g_get_tmp_dir (), 0755);
  return g_build_filename (dir ? dir : g_get_tmp_dir (), name, NULL);
}

static gboolean
has_start_code (GstBuffer * buf)
{
  GstMapInfo map;
  gboolean found = FALSE;
  gsize i;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return FALSE;
  for (i = 0; i + 2 < map.size && !found; i++)
    found = map.data[i] == 0 && map.data[i + 1] == 0 && map.data[i + 2] == 1;
  gst_buffer_unmap (buf, &map);
  return found;
}

static GstPadProbeReturn
count_coded (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Run *r = user_data;

  (void) pad;
  r->buffers++;
  if (!has_start_code (GST_PAD_PROBE_INFO_BUFFER (info)))
    r->no_start_code++;
  return GST_PAD_PROBE_OK;
}

/* Runs @desc (its encoder named "enc") to EOS or to the first error. */
static Run *
run (const gchar * desc)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);
  GstElement *enc;
  GstPad *src;
  GstBus *bus;
  GstMessage *msg;
  Run *r = g_new0 (Run, 1);

  fail_unless (pipe != NULL, "%s: %s", desc, err ? err->message : "?");
  enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  fail_unless (enc != NULL);
  src = gst_element_get_static_pad (enc, "src");
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, count_coded, r, NULL);
  gst_object_unref (src);
  gst_object_unref (enc);
  bus = gst_element_get_bus (pipe);
  fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE, "%s", desc);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *e = NULL;

    gst_message_parse_error (msg, &e, NULL);
    r->error_from = gst_object_get_name (GST_MESSAGE_SRC (msg));
    r->error = g_strdup (e->message);
    g_error_free (e);
  }
  gst_message_unref (msg);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  return r;
}

static void
run_free (Run * r)
{
  g_free (r->error_from);
  g_free (r->error);
  g_free (r);
}

static gchar *
value_of (const gchar * line, const gchar * key)
{
  gsize n = strlen (key);

  if (strncmp (line, key, n) == 0 && line[n] == '=')
    return g_strdup (line + n + 1);
  return NULL;
}

/* ffprobe decodes every frame (-count_frames, frame=key_frame), ffmpeg
 * -xerror decodes again and must not say a word. */
static Probe *
probe (const gchar * path)
{
  const gchar *argv[] = { "ffprobe", "-v", "error", "-select_streams", "v:0",
    "-count_frames", "-show_entries",
    "stream=codec_name,profile,width,height,pix_fmt,nb_read_frames:"
        "frame=key_frame", "-of", "default=nw=1", path, NULL
  };
  const gchar *dec[] = { "ffmpeg", "-nostdin", "-v", "error", "-xerror",
    "-i", path, "-f", "null", "-", NULL
  };
  gchar *out = NULL, *errout = NULL, **lines, **l;
  gint status = 0;
  guint index = 0;
  Probe *p = g_new0 (Probe, 1);
  GError *err = NULL;

  p->keyframes = g_string_new (NULL);
  fail_unless (g_spawn_sync (NULL, (gchar **) argv, NULL, G_SPAWN_SEARCH_PATH,
          NULL, NULL, &out, &errout, &status, &err), "ffprobe: %s",
      err ? err->message : "?");
  fail_unless (g_spawn_check_wait_status (status, NULL), "ffprobe %s: %s",
      path, errout);
  lines = g_strsplit (out, "\n", -1);
  for (l = lines; *l; l++) {
    gchar *v;

    if ((v = value_of (*l, "key_frame"))) {
      if (atoi (v))
        g_string_append_printf (p->keyframes, "%s%u",
            p->keyframes->len ? "," : "", index);
      index++;
      g_free (v);
    } else if ((v = value_of (*l, "codec_name"))) {
      p->codec = v;
    } else if ((v = value_of (*l, "profile"))) {
      p->profile = v;
    } else if ((v = value_of (*l, "pix_fmt"))) {
      p->pix_fmt = v;
    } else if ((v = value_of (*l, "width"))) {
      p->width = atoi (v);
      g_free (v);
    } else if ((v = value_of (*l, "height"))) {
      p->height = atoi (v);
      g_free (v);
    } else if ((v = value_of (*l, "nb_read_frames"))) {
      p->frames = atoi (v);
      g_free (v);
    }
  }
  g_strfreev (lines);
  g_free (out);
  g_free (errout);
  errout = NULL;
  fail_unless (g_spawn_sync (NULL, (gchar **) dec, NULL, G_SPAWN_SEARCH_PATH |
          G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &errout, &status,
          NULL));
  p->decodes = g_spawn_check_wait_status (status, NULL) && !errout[0];
  if (!p->decodes)
    g_print ("ffmpeg -xerror on %s: %s\n", path, errout);
  g_free (errout);
  return p;
}

static void
probe_free (Probe * p)
{
  g_free (p->codec);
  g_free (p->profile);
  g_free (p->pix_fmt);
  g_string_free (p->keyframes, TRUE);
  g_free (p);
}

/* the GOP property of each element: key-int-max (va), keyframe-period
 * (vaapi) */
static gchar *
gop_prop (const gchar * element, guint gop)
{
  return g_strdup_printf ("%s=%u", g_str_has_prefix (element, "vaapi") ?
      "keyframe-period" : "key-int-max", gop);
}

static gchar *
encode_to_file (const gchar * element, const gchar * props,
    const gchar * format, guint width, guint height, guint frames,
    const gchar * tail, const gchar * file, Run ** out_run)
{
  gchar *path = scratch_file (file);
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=%u pattern=smpte "
      "horizontal-speed=4 ! video/x-raw,format=%s,width=%u,height=%u,"
      "framerate=30/1 ! %s name=enc %s ! %s ! filesink location=\"%s\"",
      frames, format, width, height, element, props, tail, path);
  Run *r;

  g_unlink (path);
  r = run (desc);
  g_free (desc);
  if (out_run)
    *out_run = r;
  else
    run_free (r);
  return path;
}

/* element, width, height */
static const struct
{
  const gchar *element;
  guint width, height;
} encodes[] = {
  {"vah265enc", 640, 360}, {"vah265lpenc", 640, 360},
  {"vaapih265enc", 640, 360}, {"vah265enc", 642, 362},
  {"vah265lpenc", 642, 362}, {"vaapih265enc", 642, 362},
};

GST_START_TEST (test_registered)
{
  const gchar *names[] = { "vah265enc", "vah265lpenc", "vaapih265enc" };
  guint i;

  /* the driver's HEVC Main/Main10 EncSlice and EncSliceLP configs are
   * enough for both plugins to register their H.265 encoders */
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    GstElementFactory *f = gst_element_factory_find (names[i]);
    GstElement *e;
    GstPad *src;
    GstCaps *caps, *main_caps;

    fail_unless (f != NULL, "%s is not registered", names[i]);
    e = gst_element_factory_create (f, NULL);
    src = gst_element_get_static_pad (e, "src");
    caps = gst_pad_query_caps (src, NULL);
    main_caps = gst_caps_from_string ("video/x-h265, profile=main, "
        "stream-format=byte-stream");
    fail_unless (gst_caps_can_intersect (caps, main_caps), "%s: %"
        GST_PTR_FORMAT, names[i], caps);
    gst_caps_unref (main_caps);
    gst_caps_unref (caps);
    gst_object_unref (src);
    gst_object_unref (e);
    gst_object_unref (f);
  }
}

GST_END_TEST;

GST_START_TEST (test_encode_decoded)
{
  const gchar *element = encodes[__i__].element;
  guint w = encodes[__i__].width, h = encodes[__i__].height;
  gchar *file = g_strdup_printf ("hevc-%s-%ux%u.h265", element, w, h);
  gchar *gop = gop_prop (element, 10);
  Run *r;
  gchar *path = encode_to_file (element, gop, "NV12", w, h, 30,
      "h265parse", file, &r);
  Probe *p;

  fail_if (r->error, "%s: %s", r->error_from, r->error);
  fail_unless_equals_int (r->buffers, 30);
  fail_unless_equals_int (r->no_start_code, 0);
  p = probe (path);
  fail_unless_equals_string (p->codec, "hevc");
  fail_unless_equals_string (p->profile, "Main");
  fail_unless_equals_string (p->pix_fmt, "yuv420p");
  fail_unless_equals_int (p->width, w);
  fail_unless_equals_int (p->height, h);
  fail_unless_equals_int (p->frames, 30);
  fail_unless_equals_string (p->keyframes->str, "0,10,20");
  fail_unless (p->decodes);
  probe_free (p);
  run_free (r);
  g_unlink (path);
  g_free (path);
  g_free (gop);
  g_free (file);
}

GST_END_TEST;

GST_START_TEST (test_main10)
{
  const gchar *names[] = { "vah265enc", "vaapih265enc" };
  guint i;

  /* P010 in: Main 10 out, 10-bit all the way (P010 surfaces, the 10-bit
   * libx265) */
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    Run *r;
    gchar *path = encode_to_file (names[i], "", "P010_10LE", 320, 240, 10,
        "h265parse", "hevc-main10.h265", &r);
    Probe *p;

    fail_if (r->error, "%s: %s", r->error_from, r->error);
    p = probe (path);
    fail_unless_equals_string (p->profile, "Main 10");
    fail_unless_equals_string (p->pix_fmt, "yuv420p10le");
    fail_unless_equals_int (p->frames, 10);
    fail_unless (p->decodes);
    probe_free (p);
    run_free (r);
    g_unlink (path);
    g_free (path);
  }
}

GST_END_TEST;

static gdouble
kbps_of (const gchar * path, guint frames)
{
  GStatBuf st;

  fail_unless (g_stat (path, &st) == 0);
  return st.st_size * 8.0 / 1000.0 / (frames / 30.0);
}

static gchar *
driver_log (void)
{
  gchar *text = NULL;

  g_file_get_contents (g_getenv ("FAKEVA_LOG"), &text, NULL, NULL);
  return text ? text : g_strdup ("");
}

GST_START_TEST (test_bitrate_and_qp)
{
  const gchar *names[] = { "vah265enc", "vaapih265enc" };
  guint i;

  /* CBR: the bitrate set reaches the driver and the output follows it
   * (roughly: 60 frames of a moving pattern); CQP: the QP reaches it and
   * a lower QP costs more bits */
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    gboolean vaapi = g_str_has_prefix (names[i], "vaapi");
    const guint rates[] = { 400, 1600 };
    gdouble got[2];
    guint j;
    gchar *log, *path_lo, *path_hi, *props;

    for (j = 0; j < 2; j++) {
      gchar *cbr = g_strdup_printf ("rate-control=cbr bitrate=%u",
          rates[j]);
      gchar *path;
      gchar *want = g_strdup_printf ("rc=cbr bitrate=%u000 ", rates[j]);

      g_unlink (g_getenv ("FAKEVA_LOG"));
      path = encode_to_file (names[i], cbr, "NV12", 640, 360, 60,
          "h265parse", "hevc-rate.h265", NULL);
      got[j] = kbps_of (path, 60);
      log = driver_log ();
      fail_unless (strstr (log, want) != NULL, "%s: %s", want, log);
      g_print ("%s cbr %u kbit/s: %.0f kbit/s\n", names[i], rates[j], got[j]);
      fail_unless (got[j] < rates[j] * 1.5 && got[j] > rates[j] * 0.3,
          "%s asked %u kbit/s, got %.0f", names[i], rates[j], got[j]);
      g_free (log);
      g_free (want);
      g_unlink (path);
      g_free (path);
      g_free (cbr);
    }
    fail_unless (got[1] > got[0] * 2);

    props = g_strdup_printf (vaapi ? "rate-control=cqp init-qp=%u" :
        "rate-control=cqp qpi=%u qpp=%u", 40, 40);
    g_unlink (g_getenv ("FAKEVA_LOG"));
    path_lo = encode_to_file (names[i], props, "NV12", 640, 360, 20,
        "h265parse", "hevc-qp40.h265", NULL);
    log = driver_log ();
    fail_unless (strstr (log, "rc=cqp bitrate=") != NULL, "%s", log);
    fail_unless (strstr (log, " qp=40 ") != NULL, "%s", log);
    g_free (log);
    g_free (props);
    props = g_strdup_printf (vaapi ? "rate-control=cqp init-qp=%u" :
        "rate-control=cqp qpi=%u qpp=%u", 22, 22);
    path_hi = encode_to_file (names[i], props, "NV12", 640, 360, 20,
        "h265parse", "hevc-qp22.h265", NULL);
    fail_unless (kbps_of (path_hi, 20) > kbps_of (path_lo, 20) * 2);
    g_unlink (path_lo);
    g_unlink (path_hi);
    g_free (path_lo);
    g_free (path_hi);
    g_free (props);
  }
}

GST_END_TEST;

static void
set_fault (const gchar * fault)
{
  gchar *conf = g_strdup_printf ("%s;%s", g_getenv ("FAKEVA_CONFIG"), fault);

  g_setenv ("FAKEVA_CONFIG", conf, TRUE);
  g_free (conf);
}

GST_START_TEST (test_gone)
{
  const gchar *names[] = { "vah265enc", "vah265lpenc", "vaapih265enc" };
  Run *r;
  gchar *path;
  guint i;

  /* the GPU goes away at the 5th frame of the process: the running element
   * errors out (vah265enc: "Failed to encode the frame", as vah264enc;
   * vaapih265enc: a flow error from upstream, as vaapih264enc) with fewer
   * frames than asked; every later element fails at once */
  set_fault ("gone_at=5");
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    path = encode_to_file (names[i], "", "NV12", 320, 240, 30, "h265parse",
        "hevc-gone.h265", &r);
    fail_unless (r->error != NULL, "%s did not fail", names[i]);
    fail_unless (r->buffers < 30);
    if (i == 0)
      fail_unless_equals_string (r->error_from, "enc");
    g_print ("%s, GPU gone: %u frames, error from %s: %s\n", names[i],
        r->buffers, r->error_from, r->error);
    run_free (r);
    g_unlink (path);
    g_free (path);
  }
}

GST_END_TEST;

GST_START_TEST (test_garbage)
{
  const gchar *names[] = { "vah265enc", "vah265lpenc", "vaapih265enc" };
  guint i;

  /* from frame 10 on the coded buffers hold bytes that are not HEVC: the
   * element reports nothing and keeps pushing; only a decoder can tell */
  set_fault ("garbage_at=10");
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    Run *r;
    gchar *path = encode_to_file (names[i], "", "NV12", 320, 240, 30,
        "identity", "hevc-garbage.h265", &r);
    Probe *p;

    fail_if (r->error, "%s: %s", r->error_from, r->error);
    fail_unless_equals_int (r->buffers, 30);
    fail_unless_equals_int (r->no_start_code, 20);
    p = probe (path);
    fail_unless (p->frames <= 10, "%s: %u frames decoded", names[i],
        p->frames);
    probe_free (p);
    run_free (r);
    g_unlink (path);
    g_free (path);
  }
}

GST_END_TEST;

/* muxer and the caps that choose its input format */
static const struct
{
  const gchar *tail, *file;
} muxes[] = {
  {"h265parse ! matroskamux", "hevc.mkv"},
  {"h265parse ! video/x-h265,stream-format=hvc1 ! mp4mux", "hevc-hvc1.mp4"},
  {"h265parse ! video/x-h265,stream-format=hev1 ! mp4mux", "hevc-hev1.mp4"},
  {"h265parse ! mpegtsmux", "hevc.ts"},
};

GST_START_TEST (test_muxed)
{
  const gchar *names[] = { "vah265enc", "vaapih265enc" };
  guint i, j;

  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    for (j = 0; j < G_N_ELEMENTS (muxes); j++) {
      gchar *gop = gop_prop (names[i], 10);
      /* vaapih265enc offers hvc1 itself, and h265parse asks for it where
       * the muxer wants it; its codec_data is built from the packed
       * VPS/SPS/PPS it sends, which the software driver does not take
       * (VAConfigAttribEncPackedHeaders = none, since libx265 writes its
       * own): gst_vaapiencode_push_frame then fails "to negotiate output
       * state" on every frame and nothing comes out. So byte-stream out of
       * the encoder, as qsvautoenc asks of every encoder inside it. */
      gchar *tail = g_strdup_printf ("video/x-h265,stream-format=byte-stream "
          "! %s", muxes[j].tail);
      Run *r;
      gchar *path = encode_to_file (names[i], gop, "NV12", 320, 240, 25,
          tail, muxes[j].file, &r);
      Probe *p;

      fail_if (r->error, "%s ! %s: %s", names[i], muxes[j].tail, r->error);
      p = probe (path);
      fail_unless_equals_string (p->codec, "hevc");
      fail_unless_equals_int (p->frames, 25);
      fail_unless_equals_string (p->keyframes->str, "0,10,20");
      fail_unless (p->decodes, "%s ! %s", names[i], muxes[j].tail);
      probe_free (p);
      run_free (r);
      g_unlink (path);
      g_free (path);
      g_free (gop);
      g_free (tail);
    }
  }
}

GST_END_TEST;

static Suite *
swvahevc_suite (void)
{
  Suite *s = suite_create ("swvahevc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_registered);
  tcase_add_loop_test (tc, test_encode_decoded, 0, G_N_ELEMENTS (encodes));
  tcase_add_test (tc, test_main10);
  tcase_add_test (tc, test_bitrate_and_qp);
  tcase_add_test (tc, test_gone);
  tcase_add_test (tc, test_garbage);
  tcase_add_test (tc, test_muxed);
  return s;
}

GST_CHECK_MAIN (swvahevc);
