/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The codec records' bitstream facts (gstqsvcodec.c) against real streams:
 * x264enc's and x265enc's output, read back by the real h264parse and
 * h265parse (which announce the level of the parameter sets they see) and
 * decoded by libav. The level written must be the one the parser then
 * announces, in byte-stream and in the packetized formats, and the frame
 * must still decode. */

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>

#include "gstqsvcodec.h"

/* One keyframe from @enc in @format (through the codec's parser) */
static GstSample *
encode_one (const GstQsvCodec * codec, const gchar * enc, const gchar * format)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=1 ! "
      "video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! %s ! "
      "%s ! %s,stream-format=%s,alignment=au ! appsink name=sink sync=false",
      enc,
      codec->parser, codec->caps_name, format);
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *sink;
  GstSample *s;
  GstBus *bus;
  GstMessage *m;

  fail_unless (pipe != NULL, "%s", desc);
  sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  /* appsink posts EOS only once its samples are taken: pull first (a
   * hang guard, not a timing assert), then look for an ERROR */
  s = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 60 * GST_SECOND);
  m = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (m) {
    GError *err;

    gst_message_parse_error (m, &err, NULL);
    fail ("%s: %s", desc, err->message);
  }
  gst_object_unref (bus);
  fail_unless (s != NULL, "%s gave nothing", desc);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipe);
  g_free (desc);
  return s;
}

/* The level the real parser announces for @buf under @caps, and whether
 * libav decodes the frame */
static gchar *
parsed_level (const GstQsvCodec * codec, GstCaps * caps, GstBuffer * buf,
    gboolean * decoded)
{
  gchar *desc = g_strdup_printf ("appsrc name=src ! %s ! tee name=t ! "
      "queue ! appsink name=parsed sync=false t. ! queue ! avdec_%s ! "
      "appsink name=raw sync=false",
      codec->parser, codec->caps_name + strlen ("video/x-"));
  GstElement *pipe = gst_parse_launch (desc, NULL);
  GstElement *src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  GstElement *parsed = gst_bin_get_by_name (GST_BIN (pipe), "parsed");
  GstElement *raw = gst_bin_get_by_name (GST_BIN (pipe), "raw");
  GstSample *s, *r;
  gchar *level;

  g_object_set (src, "caps", caps, "format", GST_FORMAT_TIME, NULL);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  GST_BUFFER_PTS (buf) = GST_BUFFER_DTS (buf) = 0;
  gst_app_src_push_buffer (GST_APP_SRC (src), buf);
  gst_app_src_end_of_stream (GST_APP_SRC (src));
  s = gst_app_sink_pull_sample (GST_APP_SINK (parsed));
  fail_unless (s != NULL);
  level = g_strdup (gst_structure_get_string (gst_caps_get_structure
          (gst_sample_get_caps (s), 0), "level"));
  r = gst_app_sink_pull_sample (GST_APP_SINK (raw));
  *decoded = r != NULL;
  if (r)
    gst_sample_unref (r);
  gst_sample_unref (s);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (parsed);
  gst_object_unref (raw);
  gst_object_unref (pipe);
  g_free (desc);
  return level;
}

static void
check_level_pinning (const GstQsvCodec * codec, const gchar * enc,
    guint8 level_byte, const gchar * level_name)
{
  guint i;

  for (i = 0; codec->formats[i]; i++) {
    gboolean byte_stream = i == 0, decoded = FALSE;
    GstSample *s = encode_one (codec, enc, codec->formats[i]);
    GstBuffer *buf = gst_buffer_copy_deep (gst_sample_get_buffer (s));
    GstCaps *caps = gst_caps_copy (gst_sample_get_caps (s));
    guint8 before = gst_qsv_codec_read_level (codec, buf, byte_stream);
    gchar *level;

    /* the packetized format for parameter sets in codec_data may have
     * none in the frame (the parser keeps in-band ones it was given) */
    if (!before && (g_str_equal (codec->formats[i], "avc") ||
            g_str_equal (codec->formats[i], "hvc1"))) {
      gst_buffer_unref (buf);
      gst_caps_unref (caps);
      gst_sample_unref (s);
      continue;
    }
    fail_unless (before != 0, "%s %s: no level found", enc, codec->formats[i]);
    fail_if (before == level_byte);
    fail_unless (gst_qsv_codec_looks_like (codec, buf, byte_stream));
    fail_unless (gst_qsv_codec_write_level (codec, buf, byte_stream,
            level_byte));
    fail_unless_equals_int (gst_qsv_codec_read_level (codec, buf,
            byte_stream), level_byte);
    level = parsed_level (codec, caps, buf, &decoded);
    fail_unless_equals_string (level, level_name);
    fail_unless (decoded, "%s %s: no longer decodes", enc, codec->formats[i]);
    g_free (level);
    gst_caps_unref (caps);
    gst_sample_unref (s);
  }
}

GST_START_TEST (test_h264_level)
{
  /* x264 picks level 1.3/2 for 320x240; 4.1 is 41 */
  check_level_pinning (&gst_qsv_codec_h264, "x264enc", 41, "4.1");
}

GST_END_TEST;

GST_START_TEST (test_h265_level)
{
  GstElementFactory *f = gst_element_factory_find ("x265enc");

  fail_unless (f != NULL, "no x265enc: install gstreamer1.0-plugins-bad");
  gst_object_unref (f);
  /* general_level_idc is 30 x the level: 5.1 is 153; x265's SPS has zero
   * constraint bytes before it, so emulation prevention bytes are in the
   * way */
  check_level_pinning (&gst_qsv_codec_h265, "x265enc", 153, "5.1");
}

GST_END_TEST;

GST_START_TEST (test_not_the_codec)
{
  const guint8 garbage[] = { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02 };
  const guint8 forbidden[] = { 0, 0, 0, 1, 0xe5, 0x88 };
  const guint8 too_long[] = { 0, 0, 1, 0, 0x65, 0x88 };
  GstBuffer *b;

  b = gst_buffer_new_memdup (garbage, sizeof (garbage));
  fail_if (gst_qsv_codec_looks_like (&gst_qsv_codec_h264, b, TRUE));
  fail_if (gst_qsv_codec_looks_like (&gst_qsv_codec_h265, b, FALSE));
  gst_buffer_unref (b);
  b = gst_buffer_new_memdup (forbidden, sizeof (forbidden));
  fail_if (gst_qsv_codec_looks_like (&gst_qsv_codec_h264, b, TRUE));
  gst_buffer_unref (b);
  /* a NAL length longer than the buffer */
  b = gst_buffer_new_memdup (too_long, sizeof (too_long));
  fail_if (gst_qsv_codec_looks_like (&gst_qsv_codec_h265, b, FALSE));
  gst_buffer_unref (b);
  fail_unless (gst_qsv_codec_has_format (&gst_qsv_codec_h265, "hev1"));
  fail_if (gst_qsv_codec_has_format (&gst_qsv_codec_h265, "avc"));
  fail_if (gst_qsv_codec_has_format (&gst_qsv_codec_h264, NULL));
}

GST_END_TEST;

static Suite *
codec_suite (void)
{
  Suite *s = suite_create ("codec");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_h264_level);
  tcase_add_test (tc, test_h265_level);
  tcase_add_test (tc, test_not_the_codec);
  return s;
}

GST_CHECK_MAIN (codec);
