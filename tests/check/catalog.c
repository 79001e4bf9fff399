/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Selection and mapping as pure functions: probe results built by hand x
 * factories present x settings, no pipeline, no libva. */

#include <gst/check/gstcheck.h>

#include "gstqsvencodercatalog.h"

#define ALL_RC (GST_QSV_VA_RC_CBR | GST_QSV_VA_RC_VBR | GST_QSV_VA_RC_CQP)

/* A probe result with one device: @slice_rc / @lp_rc are the modes of each
 * entrypoint (0: entrypoint absent). */
static GstQsvVaProbeResult *
make_probe (GstQsvVaStatus status, guint slice_rc, guint lp_rc,
    const gchar * vendor)
{
  GstQsvVaProbeResult *r = g_new0 (GstQsvVaProbeResult, 1);
  GstQsvVaDevice *d = g_new0 (GstQsvVaDevice, 1);
  guint p;

  r->devices = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_qsv_va_device_free);
  d->path = g_strdup ("/dev/dri/renderD128");
  d->status = status;
  d->vendor = g_strdup (vendor);
  d->message = g_strdup (status == GST_QSV_VA_STATUS_OK ? "ok" : "broken");
  for (p = 0; p < GST_QSV_VA_H264_N_PROFILES; p++) {
    d->h264[p][GST_QSV_VA_ENC_SLICE].present = slice_rc != 0;
    d->h264[p][GST_QSV_VA_ENC_SLICE].rate_control = slice_rc;
    d->h264[p][GST_QSV_VA_ENC_SLICE_LP].present = lp_rc != 0;
    d->h264[p][GST_QSV_VA_ENC_SLICE_LP].rate_control = lp_rc;
  }
  g_ptr_array_add (r->devices, d);
  r->status = status;
  r->chosen = status == GST_QSV_VA_STATUS_OK ? 0 : -1;
  r->message = g_strdup (d->message);
  return r;
}

#define INTEL "Intel iHD driver for Intel(R) Gen Graphics - 23.1.1 ()"

/* factories "installed": a comma-separated list */
static gboolean
in_list (const gchar * factory, gpointer user_data)
{
  gchar **names = g_strsplit (user_data, ",", -1);
  gboolean found = g_strv_contains ((const gchar * const *) names, factory);

  g_strfreev (names);
  return found;
}

#define ALL_FACTORIES \
  "qsvh264enc,vah264enc,vah264lpenc,vaapih264enc,x264enc,openh264enc"

/* The candidates' factory names, comma-separated. */
static gchar *
chosen (GstQsvVaProbeResult * probe, const GstQsvSettings * s,
    const gchar * factories)
{
  GstQsvSelection *sel = gst_qsv_select (probe, s, in_list,
      (gpointer) factories);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < sel->candidates->len; i++) {
    GstQsvCandidate *c = g_ptr_array_index (sel->candidates, i);
    g_string_append_printf (out, "%s%s", i ? "," : "", c->factory);
  }
  /* every catalog row is either a candidate or rejected with a reason */
  fail_unless_equals_int (sel->candidates->len + sel->rejected->len,
      gst_qsv_catalog_size ());
  for (i = 0; i < sel->rejected->len; i++) {
    GstQsvRejection *r = g_ptr_array_index (sel->rejected, i);
    fail_unless (r->reason && *r->reason);
  }
  gst_qsv_selection_free (sel);
  return g_string_free (out, FALSE);
}

static const gchar *
reason_for (GstQsvSelection * sel, const gchar * factory)
{
  guint i;

  for (i = 0; i < sel->rejected->len; i++) {
    GstQsvRejection *r = g_ptr_array_index (sel->rejected, i);
    if (g_str_equal (r->factory, factory))
      return r->reason;
  }
  return NULL;
}

#define CHECK_CHOSEN(probe, s, factories, expected) G_STMT_START {      \
  gchar *got = chosen (probe, s, factories);                            \
  fail_unless_equals_string (got, expected);                            \
  g_free (got);                                                         \
} G_STMT_END

GST_START_TEST (test_order_everything_present)
{
  GstQsvVaProbeResult *p = make_probe (GST_QSV_VA_STATUS_OK, ALL_RC, ALL_RC,
      INTEL);
  GstQsvSettings s;

  gst_qsv_settings_init (&s);
  CHECK_CHOSEN (p, &s, ALL_FACTORIES, ALL_FACTORIES);
  gst_qsv_va_probe_result_free (p);
}

GST_END_TEST;

GST_START_TEST (test_no_device_software_only)
{
  GstQsvVaProbeResult *p = make_probe (GST_QSV_VA_STATUS_NO_DEVICE, 0, 0,
      NULL);
  GstQsvSelection *sel;
  GstQsvSettings s;

  gst_qsv_settings_init (&s);
  CHECK_CHOSEN (p, &s, ALL_FACTORIES, "x264enc,openh264enc");
  CHECK_CHOSEN (p, &s, "openh264enc", "openh264enc");
  CHECK_CHOSEN (p, &s, "", "");
  /* VA not built at all */
  CHECK_CHOSEN (NULL, &s, ALL_FACTORIES, "x264enc,openh264enc");

  sel = gst_qsv_select (p, &s, in_list, (gpointer) "vah264enc");
  fail_unless (strstr (reason_for (sel, "vah264enc"), "no-device") != NULL);
  fail_unless (strstr (reason_for (sel, "x264enc"),
          "gstreamer1.0-plugins-ugly") != NULL);
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (p);
}

GST_END_TEST;

GST_START_TEST (test_entrypoints_gate_va_elements)
{
  GstQsvVaProbeResult *p;
  GstQsvSelection *sel;
  GstQsvSettings s;
  GstQsvCandidate *c;

  gst_qsv_settings_init (&s);

  /* Debian's free iHD: EncSliceLP only */
  p = make_probe (GST_QSV_VA_STATUS_OK, 0, GST_QSV_VA_RC_CQP, INTEL);
  CHECK_CHOSEN (p, &s, ALL_FACTORIES,
      "qsvh264enc,vah264lpenc,vaapih264enc,x264enc,openh264enc");
  sel = gst_qsv_select (p, &s, in_list, (gpointer) ALL_FACTORIES);
  fail_unless (strstr (reason_for (sel, "vah264enc"), "only EncSliceLP"));
  /* vaapih264enc reaches it through tune=low-power */
  c = g_ptr_array_index (sel->candidates, 2);
  fail_unless_equals_string (c->factory, "vaapih264enc");
  fail_unless (c->low_power_entrypoint);
  /* auto resolves to what the hardware offers, and says so */
  fail_unless_equals_int (c->rate_control, GST_QSV_RATE_CONTROL_CQP);
  fail_unless (strstr (c->note, "cqp") != NULL);
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (p);

  /* EncSlice only */
  p = make_probe (GST_QSV_VA_STATUS_OK, ALL_RC, 0, INTEL);
  CHECK_CHOSEN (p, &s, ALL_FACTORIES,
      "qsvh264enc,vah264enc,vaapih264enc,x264enc,openh264enc");
  gst_qsv_va_probe_result_free (p);

  /* VA works, no H.264 encode */
  p = make_probe (GST_QSV_VA_STATUS_NO_H264_ENCODE, 0, 0, INTEL);
  CHECK_CHOSEN (p, &s, ALL_FACTORIES, "x264enc,openh264enc");
  gst_qsv_va_probe_result_free (p);
}

GST_END_TEST;

GST_START_TEST (test_non_intel_vendor)
{
  GstQsvVaProbeResult *p = make_probe (GST_QSV_VA_STATUS_OK, ALL_RC, 0,
      "Mesa Gallium driver 22.3.6 for AMD Radeon RX 6600");
  GstQsvSelection *sel;
  GstQsvSettings s;

  gst_qsv_settings_init (&s);
  /* oneVPL needs Intel; the VA elements work on any VA driver */
  CHECK_CHOSEN (p, &s, ALL_FACTORIES,
      "vah264enc,vaapih264enc,x264enc,openh264enc");
  sel = gst_qsv_select (p, &s, in_list, (gpointer) ALL_FACTORIES);
  fail_unless (strstr (reason_for (sel, "qsvh264enc"), "Intel") != NULL);
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (p);
}

GST_END_TEST;

GST_START_TEST (test_rate_control_requirements)
{
  GstQsvVaProbeResult *p = make_probe (GST_QSV_VA_STATUS_OK,
      GST_QSV_VA_RC_CBR | GST_QSV_VA_RC_CQP, GST_QSV_VA_RC_CQP, INTEL);
  GstQsvSelection *sel;
  GstQsvSettings s;

  gst_qsv_settings_init (&s);

  /* cbr: LP without HuC can't; vaapi goes through EncSlice */
  s.rate_control = GST_QSV_RATE_CONTROL_CBR;
  CHECK_CHOSEN (p, &s, ALL_FACTORIES,
      "qsvh264enc,vah264enc,vaapih264enc,x264enc,openh264enc");
  sel = gst_qsv_select (p, &s, in_list, (gpointer) ALL_FACTORIES);
  fail_unless (strstr (reason_for (sel, "vah264lpenc"),
          "rate-control=cbr is not offered by EncSliceLP") != NULL,
      "%s", reason_for (sel, "vah264lpenc"));
  fail_unless (strstr (reason_for (sel, "vah264lpenc"), "HuC") != NULL);
  gst_qsv_selection_free (sel);

  /* vbr: no hardware path has it */
  s.rate_control = GST_QSV_RATE_CONTROL_VBR;
  CHECK_CHOSEN (p, &s, ALL_FACTORIES, "x264enc,openh264enc");

  /* cqp: everything but openh264enc */
  s.rate_control = GST_QSV_RATE_CONTROL_CQP;
  CHECK_CHOSEN (p, &s, ALL_FACTORIES,
      "qsvh264enc,vah264enc,vah264lpenc,vaapih264enc,x264enc");
  sel = gst_qsv_select (p, &s, in_list, (gpointer) ALL_FACTORIES);
  fail_unless (strstr (reason_for (sel, "openh264enc"), "cqp") != NULL);
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (p);
}

GST_END_TEST;

GST_START_TEST (test_forced_encoder)
{
  GstQsvVaProbeResult *p = make_probe (GST_QSV_VA_STATUS_OK, 0,
      GST_QSV_VA_RC_CQP, INTEL);
  GstQsvSelection *sel;
  GstQsvSettings s;

  gst_qsv_settings_init (&s);
  s.encoder = "x264enc";
  CHECK_CHOSEN (p, &s, ALL_FACTORIES, "x264enc");
  s.encoder = "vah264lpenc";
  CHECK_CHOSEN (p, &s, ALL_FACTORIES, "vah264lpenc");
  /* forcing one that can't: nothing, with the reason */
  s.encoder = "vah264enc";
  CHECK_CHOSEN (p, &s, ALL_FACTORIES, "");
  sel = gst_qsv_select (p, &s, in_list, (gpointer) ALL_FACTORIES);
  fail_unless (strstr (reason_for (sel, "vah264enc"), "EncSlice") != NULL);
  fail_unless (strstr (reason_for (sel, "x264enc"), "not requested") != NULL);
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (p);
}

GST_END_TEST;

GST_START_TEST (test_per_device_factory)
{
  GstQsvVaProbeResult *p = make_probe (GST_QSV_VA_STATUS_OK, ALL_RC, ALL_RC,
      INTEL);
  GstQsvVaDevice *d = g_ptr_array_index (p->devices, 0);
  GstQsvSettings s;

  gst_qsv_settings_init (&s);
  g_free (d->path);
  d->path = g_strdup ("/dev/dri/renderD129");
  /* the va plugin names the second device's elements after the node */
  CHECK_CHOSEN (p, &s, "varenderD129h264enc,vah264enc,vah264lpenc,x264enc",
      "varenderD129h264enc,vah264lpenc,x264enc");
  gst_qsv_va_probe_result_free (p);
}

GST_END_TEST;

static gboolean
all_present (const gchar * factory, gpointer user_data)
{
  return TRUE;
}

/* Each candidate carries the node it was chosen for: the one the probe
 * found, never the device= value; software ones none. */
GST_START_TEST (test_candidate_device)
{
  GstQsvVaProbeResult *p = make_probe (GST_QSV_VA_STATUS_OK, ALL_RC, ALL_RC,
      INTEL);
  GstQsvVaDevice *d = g_ptr_array_index (p->devices, 0);
  GstQsvSelection *sel;
  GstQsvSettings s;
  guint i;

  gst_qsv_settings_init (&s);
  g_free (d->path);
  d->path = g_strdup ("/dev/dri/renderD130");
  sel = gst_qsv_select (p, &s, all_present, NULL);
  fail_unless (sel->candidates->len >= 5);
  for (i = 0; i < sel->candidates->len; i++) {
    const GstQsvCandidate *c = g_ptr_array_index (sel->candidates, i);

    if (gst_qsv_encoder_info_is_hardware (c->info)) {
      fail_unless_equals_string (c->device, "/dev/dri/renderD130");
    } else {
      fail_unless (c->device == NULL, "%s has %s", c->factory, c->device);
    }
  }
  gst_qsv_selection_free (sel);

  /* no usable node: no candidate carries one */
  p->chosen = -1;
  d->status = GST_QSV_VA_STATUS_NO_H264_ENCODE;
  sel = gst_qsv_select (p, &s, all_present, NULL);
  for (i = 0; i < sel->candidates->len; i++)
    fail_unless (((GstQsvCandidate *) g_ptr_array_index (sel->candidates,
                i))->device == NULL);
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (p);

  fail_unless (gst_qsv_same_node ("/dev/dri/renderD128",
          "/dev/dri/renderD128"));
  fail_unless (!gst_qsv_same_node ("/dev/dri/renderD128",
          "/dev/dri/renderD129"));
}

GST_END_TEST;

/* vaapih264enc opens its own node ($GST_VAAPI_DRM_DEVICE, else the first
 * where VA works): a candidate only where that is the probed device */
GST_START_TEST (test_vaapi_device)
{
  GstQsvVaProbeResult *p = make_probe (GST_QSV_VA_STATUS_OK, ALL_RC, ALL_RC,
      INTEL);
  GstQsvVaDevice *d0 = g_new0 (GstQsvVaDevice, 1), *d1;
  GstQsvSelection *sel;
  GstQsvSettings s;

  gst_qsv_settings_init (&s);
  g_unsetenv ("GST_VAAPI_DRM_DEVICE");
  /* renderD128: VA without H.264 encode (another GPU); renderD129: ours */
  d1 = g_ptr_array_index (p->devices, 0);
  g_free (d1->path);
  d1->path = g_strdup ("/dev/dri/renderD129");
  d0->path = g_strdup ("/dev/dri/renderD128");
  d0->status = GST_QSV_VA_STATUS_NO_H264_ENCODE;
  d0->message = g_strdup ("no H.264 encode");
  g_ptr_array_insert (p->devices, 0, d0);
  p->chosen = 1;

  CHECK_CHOSEN (p, &s, "vaapih264enc,x264enc", "x264enc");
  sel = gst_qsv_select (p, &s, in_list, (gpointer) "vaapih264enc,x264enc");
  fail_unless (strstr (reason_for (sel, "vaapih264enc"),
          "would open /dev/dri/renderD128") != NULL);
  fail_unless (strstr (reason_for (sel, "vaapih264enc"),
          "GST_VAAPI_DRM_DEVICE=/dev/dri/renderD129") != NULL);
  gst_qsv_selection_free (sel);

  g_setenv ("GST_VAAPI_DRM_DEVICE", "/dev/dri/renderD129", TRUE);
  CHECK_CHOSEN (p, &s, "vaapih264enc,x264enc", "vaapih264enc,x264enc");
  g_setenv ("GST_VAAPI_DRM_DEVICE", "/dev/dri/renderD128", TRUE);
  CHECK_CHOSEN (p, &s, "vaapih264enc,x264enc", "x264enc");
  sel = gst_qsv_select (p, &s, in_list, (gpointer) "vaapih264enc,x264enc");
  fail_unless (strstr (reason_for (sel, "vaapih264enc"),
          "opens GST_VAAPI_DRM_DEVICE=/dev/dri/renderD128, not the probed "
          "/dev/dri/renderD129") != NULL);
  gst_qsv_selection_free (sel);
  g_unsetenv ("GST_VAAPI_DRM_DEVICE");

  /* an explicit device: only the first node is a safe guess */
  g_ptr_array_remove_index (p->devices, 0);
  p->chosen = 0;
  p->explicit_device = TRUE;
  CHECK_CHOSEN (p, &s, "vaapih264enc,x264enc", "x264enc");
  g_free (d1->path);
  d1->path = g_strdup ("/dev/dri/renderD128");
  CHECK_CHOSEN (p, &s, "vaapih264enc,x264enc", "vaapih264enc,x264enc");
  gst_qsv_va_probe_result_free (p);
}

GST_END_TEST;

/* name=value pairs of the mapping, in order */
static gchar *
mapping (const gchar * factory, GstQsvRateControl rc, const GstQsvSettings * s,
    gboolean low_power, GPtrArray * warnings)
{
  GstQsvCandidate c = { 0, };
  GPtrArray *a;
  GString *out = g_string_new (NULL);
  guint i;

  c.info = gst_qsv_catalog_lookup (factory);
  c.factory = (gchar *) factory;
  c.rate_control = rc;
  c.low_power_entrypoint = low_power;
  a = gst_qsv_candidate_map_settings (&c, s, warnings);
  for (i = 0; i < a->len; i++) {
    GstQsvAssignment *x = g_ptr_array_index (a, i);
    g_string_append_printf (out, "%s%s=%s", i ? " " : "", x->name, x->value);
  }
  g_ptr_array_unref (a);
  return g_string_free (out, FALSE);
}

#define CHECK_MAP(factory, rc, s, lp, expected) G_STMT_START {           \
  GPtrArray *w = g_ptr_array_new_with_free_func (g_free);              \
  gchar *got = mapping (factory, rc, s, lp, w);                        \
  fail_unless_equals_string (got, expected);                           \
  g_free (got);                                                        \
  g_ptr_array_unref (w);                                               \
} G_STMT_END

GST_START_TEST (test_mapping)
{
  GstQsvSettings s;

  gst_qsv_settings_init (&s);
  s.bitrate = 4000;
  s.key_int_max = 30;
  s.b_frames = 2;
  s.target_usage = 7;
  s.qp = 30;

  CHECK_MAP ("x264enc", GST_QSV_RATE_CONTROL_CBR, &s, FALSE,
      "pass=cbr bitrate=4000 key-int-max=30 option-string=scenecut=0 "
      "bframes=2 speed-preset=ultrafast");
  CHECK_MAP ("x264enc", GST_QSV_RATE_CONTROL_VBR, &s, FALSE,
      "pass=qual quantizer=30 bitrate=4000 key-int-max=30 "
      "option-string=scenecut=0 bframes=2 speed-preset=ultrafast");
  CHECK_MAP ("vah264enc", GST_QSV_RATE_CONTROL_CBR, &s, FALSE,
      "rate-control=cbr bitrate=4000 key-int-max=30 b-frames=2 "
      "target-usage=7");
  CHECK_MAP ("vah264lpenc", GST_QSV_RATE_CONTROL_CQP, &s, FALSE,
      "rate-control=cqp qpi=30 qpp=30 qpb=30 key-int-max=30 b-frames=2 "
      "target-usage=7");
  CHECK_MAP ("qsvh264enc", GST_QSV_RATE_CONTROL_VBR, &s, FALSE,
      "rate-control=vbr bitrate=4000 gop-size=30 b-frames=2 target-usage=7 "
      "low-latency=false");
  /* qsvh264enc's quantizers are qp-i/qp-p/qp-b (vah264enc's qpi/qpp/qpb) */
  CHECK_MAP ("qsvh264enc", GST_QSV_RATE_CONTROL_CQP, &s, FALSE,
      "rate-control=cqp qp-i=30 qp-p=30 qp-b=30 gop-size=30 b-frames=2 "
      "target-usage=7 low-latency=false");
  CHECK_MAP ("vaapih264enc", GST_QSV_RATE_CONTROL_CQP, &s, TRUE,
      "rate-control=cqp init-qp=30 keyframe-period=30 max-bframes=2 "
      "quality-level=7 tune=low-power");
  /* openh264enc takes bit/s */
  CHECK_MAP ("openh264enc", GST_QSV_RATE_CONTROL_CBR, &s, FALSE,
      "rate-control=bitrate bitrate=4000000 gop-size=30 "
      "scene-change-detection=false complexity=low");

  /* encoder defaults stay when key-int-max is 0; presets across the scale */
  s.key_int_max = 0;
  s.b_frames = 0;
  s.target_usage = 1;
  CHECK_MAP ("x264enc", GST_QSV_RATE_CONTROL_CQP, &s, FALSE,
      "pass=quant quantizer=30 bframes=0 speed-preset=slow");
  s.target_usage = 4;
  CHECK_MAP ("x264enc", GST_QSV_RATE_CONTROL_CBR, &s, FALSE,
      "pass=cbr bitrate=4000 bframes=0 speed-preset=faster");
}

GST_END_TEST;

GST_START_TEST (test_mapping_warnings)
{
  GPtrArray *w = g_ptr_array_new_with_free_func (g_free);
  GstQsvSettings s;
  gchar *got;

  gst_qsv_settings_init (&s);
  /* low-latency wins over b-frames, and says so */
  s.low_latency = TRUE;
  s.b_frames = 3;
  got = mapping ("x264enc", GST_QSV_RATE_CONTROL_CBR, &s, FALSE, w);
  fail_unless (strstr (got, "bframes=0") && strstr (got, "tune=zerolatency"));
  fail_unless_equals_int (w->len, 1);
  fail_unless (strstr (g_ptr_array_index (w, 0), "b-frames=3 ignored"));
  g_free (got);
  g_ptr_array_set_size (w, 0);

  /* x264's quantizer stops at 50 */
  s.low_latency = FALSE;
  s.b_frames = 0;
  s.qp = 51;
  got = mapping ("x264enc", GST_QSV_RATE_CONTROL_CQP, &s, FALSE, w);
  fail_unless (strstr (got, "quantizer=50") != NULL);
  fail_unless_equals_int (w->len, 1);
  g_free (got);
  g_ptr_array_set_size (w, 0);

  /* a bitrate the user set, on hardware that can only do CQP */
  s.qp = 26;
  s.bitrate_set = TRUE;
  got = mapping ("vah264lpenc", GST_QSV_RATE_CONTROL_CQP, &s, FALSE, w);
  fail_unless_equals_int (w->len, 1);
  fail_unless (strstr (g_ptr_array_index (w, 0), "bitrate=2048 ignored"));
  g_free (got);
  g_ptr_array_set_size (w, 0);

  /* openh264enc has no B-frames */
  s.b_frames = 2;
  got = mapping ("openh264enc", GST_QSV_RATE_CONTROL_CBR, &s, FALSE, w);
  fail_unless_equals_int (w->len, 1);
  g_free (got);
  g_ptr_array_unref (w);
}

GST_END_TEST;

GST_START_TEST (test_bitrate_mapping)
{
  GstQsvCandidate c = { 0, };
  GstQsvAssignment *a;

  c.info = gst_qsv_catalog_lookup ("openh264enc");
  c.rate_control = GST_QSV_RATE_CONTROL_CBR;
  a = gst_qsv_candidate_map_bitrate (&c, 1500);
  fail_unless_equals_string (a->name, "bitrate");
  fail_unless_equals_string (a->value, "1500000");
  gst_qsv_assignment_free (a);

  c.info = gst_qsv_catalog_lookup ("vah264enc");
  a = gst_qsv_candidate_map_bitrate (&c, 1500);
  fail_unless_equals_string (a->value, "1500");
  gst_qsv_assignment_free (a);

  c.rate_control = GST_QSV_RATE_CONTROL_CQP;
  fail_unless (gst_qsv_candidate_map_bitrate (&c, 1500) == NULL);
}

GST_END_TEST;

GST_START_TEST (test_missing_packages)
{
  gchar *m = gst_qsv_catalog_missing_packages (in_list, (gpointer) "");

  fail_unless (strstr (m, "gstreamer1.0-plugins-ugly (x264enc)") != NULL, m);
  fail_unless (strstr (m, "gstreamer1.0-plugins-bad (openh264enc)") != NULL);
  g_free (m);
  m = gst_qsv_catalog_missing_packages (in_list, (gpointer) ALL_FACTORIES);
  fail_unless_equals_string (m, "");
  g_free (m);
}

GST_END_TEST;

static Suite *
catalog_suite (void)
{
  Suite *s = suite_create ("catalog");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_order_everything_present);
  tcase_add_test (tc, test_no_device_software_only);
  tcase_add_test (tc, test_entrypoints_gate_va_elements);
  tcase_add_test (tc, test_non_intel_vendor);
  tcase_add_test (tc, test_rate_control_requirements);
  tcase_add_test (tc, test_forced_encoder);
  tcase_add_test (tc, test_per_device_factory);
  tcase_add_test (tc, test_candidate_device);
  tcase_add_test (tc, test_vaapi_device);
  tcase_add_test (tc, test_mapping);
  tcase_add_test (tc, test_mapping_warnings);
  tcase_add_test (tc, test_bitrate_mapping);
  tcase_add_test (tc, test_missing_packages);
  return s;
}

GST_CHECK_MAIN (catalog);
