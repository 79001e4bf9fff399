/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The REAL vah264enc / vah264lpenc / vaapih264enc, registered by GStreamer
 * against an emulated render node (umockdev) and the fakeva driver through
 * the real libva: qsvautoenc selects and configures them; since the fake
 * driver cannot encode, they fail at negotiation and x264enc takes over
 * with every frame. Run by run-in-umockdev.sh; $QSV_REALVA_EXPECT names the
 * encoder the driver configuration ($FAKEVA_CONFIG) must lead to, and
 * $QSV_REALVA_RC the rate-control it resolves to. */

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>

#define DEVICE "/dev/dri/renderD128"

static gchar *
child_prop (GstElement * bin, const gchar * name)
{
  GstElement *child = gst_bin_get_by_name (GST_BIN (bin), "encoder");
  GValue v = G_VALUE_INIT;
  gchar *s;

  g_object_get_property (G_OBJECT (child), name, &v);
  s = gst_value_serialize (&v);
  g_value_unset (&v);
  gst_object_unref (child);
  return s;
}

#define CHECK_CHILD(bin, name, expected) G_STMT_START {                 \
  gchar *got = child_prop (bin, name);                                  \
  fail_unless_equals_string (got, expected);                            \
  g_free (got);                                                         \
} G_STMT_END

static GstElement *
ready_encoder (const gchar * props)
{
  GstElement *e = gst_element_factory_make ("qsvautoenc", NULL);
  gchar **kv = g_strsplit (props, " ", -1), **p;

  for (p = kv; *p && **p; p++) {
    gchar **pair = g_strsplit (*p, "=", 2);
    gst_util_set_object_arg (G_OBJECT (e), pair[0], pair[1]);
    g_strfreev (pair);
  }
  g_strfreev (kv);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  return e;
}

GST_START_TEST (test_real_va_elements_registered)
{
  const gchar *expect = g_getenv ("QSV_REALVA_EXPECT");
  GstElementFactory *f = gst_element_factory_find (expect);

  /* not a stand-in: the factory comes from GStreamer's own plugin */
  fail_unless (f != NULL, "%s is not registered", expect);
  fail_unless (g_str_has_suffix (gst_plugin_feature_get_plugin_name
          (GST_PLUGIN_FEATURE (f)), "va"));
  gst_object_unref (f);
}

GST_END_TEST;

GST_START_TEST (test_real_va_selected_and_configured)
{
  const gchar *expect = g_getenv ("QSV_REALVA_EXPECT");
  GstElement *e = ready_encoder ("bitrate=3000 key-int-max=20 "
      "target-usage=6 b-frames=0 qp=30");
  gchar *active, *device;
  gboolean hw;

  g_object_get (e, "active-encoder", &active, "hardware", &hw,
      "active-device", &device, NULL);
  fail_unless_equals_string (active, expect);
  fail_unless (hw);
  fail_unless_equals_string (device, DEVICE);
  /* read back from the real element: names, units, enum nicks */
  CHECK_CHILD (e, "rate-control", g_getenv ("QSV_REALVA_RC"));
  if (g_str_equal (g_getenv ("QSV_REALVA_RC"), "cqp")) {
    CHECK_CHILD (e, "qpi", "30");
    CHECK_CHILD (e, "qpp", "30");
  } else {
    CHECK_CHILD (e, "bitrate", "3000");
  }
  CHECK_CHILD (e, "key-int-max", "20");
  CHECK_CHILD (e, "target-usage", "6");
  CHECK_CHILD (e, "b-frames", "0");
  CHECK_CHILD (e, "device-path", DEVICE);
  g_free (active);
  g_free (device);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_real_vaapi_configured)
{
  GstElement *e = ready_encoder ("encoder=vaapih264enc bitrate=2500 "
      "key-int-max=25 target-usage=2 b-frames=1 qp=28");
  gchar *active;

  g_object_get (e, "active-encoder", &active, NULL);
  fail_unless_equals_string (active, "vaapih264enc");
  CHECK_CHILD (e, "rate-control", g_getenv ("QSV_REALVA_RC"));
  CHECK_CHILD (e, "keyframe-period", "25");
  CHECK_CHILD (e, "quality-level", "2");
  CHECK_CHILD (e, "max-bframes", "1");
  if (g_str_equal (g_getenv ("QSV_REALVA_RC"), "cqp")) {
    CHECK_CHILD (e, "init-qp", "28");
  } else {
    CHECK_CHILD (e, "bitrate", "2500");
  }
  /* only EncSliceLP: vaapih264enc reaches it through tune=low-power */
  CHECK_CHILD (e, "tune", g_str_equal (g_getenv ("QSV_REALVA_EXPECT"),
          "vah264lpenc") ? "low-power" : "none");
  g_free (active);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_real_va_fails_over_to_software)
{
  const gchar *expect = g_getenv ("QSV_REALVA_EXPECT");
  GstElement *pipe = gst_parse_launch ("videotestsrc num-buffers=30 ! "
      "video/x-raw,width=320,height=240,framerate=30/1 ! qsvautoenc name=enc "
      "key-int-max=10 ! h264parse ! avdec_h264 ! appsink name=raw "
      "sync=false wait-on-eos=false", NULL);
  GstElement *enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  GstElement *raw = gst_bin_get_by_name (GST_BIN (pipe), "raw");
  GstBus *bus = gst_element_get_bus (pipe);
  const GstStructure *fb = NULL;
  GstMessage *m;
  GstSample *sample;
  gboolean done = FALSE;
  guint decoded = 0;
  gchar *active;

  gst_element_set_state (pipe, GST_STATE_PLAYING);
  while (!done) {
    m = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_ELEMENT);
    if (GST_MESSAGE_TYPE (m) == GST_MESSAGE_ERROR) {
      GError *err;
      gchar *dbg;
      gst_message_parse_error (m, &err, &dbg);
      fail ("error reached the application: %s (%s)", err->message, dbg);
    }
    done = GST_MESSAGE_TYPE (m) == GST_MESSAGE_EOS;
    if (!fb && gst_message_has_name (m, "qsvautoenc-fallback"))
      fb = gst_structure_copy (gst_message_get_structure (m));
    gst_message_unref (m);
  }
  fail_unless (fb != NULL);
  fail_unless_equals_string (gst_structure_get_string (fb, "failed-encoder"),
      expect);
  g_object_get (enc, "active-encoder", &active, NULL);
  /* vaapih264enc is tried after the va one, and fails the same way */
  fail_unless_equals_string (active, "x264enc");
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (raw), 0))) {
    decoded++;
    gst_sample_unref (sample);
  }
  fail_unless_equals_int (decoded, 30);
  g_free (active);
  gst_structure_free ((GstStructure *) fb);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (enc);
  gst_object_unref (raw);
  gst_object_unref (pipe);
}

GST_END_TEST;

static Suite *
realva_suite (void)
{
  Suite *s = suite_create ("realva");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_real_va_elements_registered);
  tcase_add_test (tc, test_real_va_selected_and_configured);
  tcase_add_test (tc, test_real_vaapi_configured);
  tcase_add_test (tc, test_real_va_fails_over_to_software);
  return s;
}

GST_CHECK_MAIN (realva);
