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
#include <glib/gstdio.h>
#include <unistd.h>

#include "gstqsvencodercatalog.h"
#include "standins.h"

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
    gchar *text = gst_qsv_assignment_value_text (x);

    g_string_append_printf (out, "%s%s=%s", i ? " " : "", x->name, text);
    g_free (text);
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
  /* a number, not text: no "%u" round trip */
  fail_unless (G_VALUE_HOLDS_UINT (&a->value));
  fail_unless_equals_int (g_value_get_uint (&a->value), 1500000);
  fail_unless (!a->essential);
  gst_qsv_assignment_free (a);

  c.info = gst_qsv_catalog_lookup ("vah264enc");
  a = gst_qsv_candidate_map_bitrate (&c, 1500);
  fail_unless_equals_int (g_value_get_uint (&a->value), 1500);
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

/* A catalog is a value: the H.264 one through its pointer, the same rows
 * as the shorthands; the per-node factory names from the rows */
GST_START_TEST (test_catalog_api)
{
  const GstQsvCatalog *cat = gst_qsv_catalog_h264 ();
  const GstQsvEncoderInfo *va = gst_qsv_catalog_find (cat, "vah264enc");
  const GstQsvEncoderInfo *lp = gst_qsv_catalog_find (cat, "vah264lpenc");
  const GstQsvEncoderInfo *qsv = gst_qsv_catalog_find (cat, "qsvh264enc");
  gchar *names, *dir, *link, *name;

  fail_unless_equals_string (gst_qsv_catalog_caps_name (cat), "video/x-h264");
  fail_unless_equals_int (gst_qsv_catalog_n_encoders (cat), 6);
  names = gst_qsv_catalog_list_factories (cat, ",");
  fail_unless_equals_string (names, ALL_FACTORIES);
  g_free (names);
  fail_unless (gst_qsv_catalog_nth (cat, 1) == va);
  fail_unless (gst_qsv_catalog_lookup ("vah264enc") == va);
  fail_unless (gst_qsv_catalog_find (cat, "varenderD129h264enc") == NULL);

  /* every factory upstream registers for a row leads back to it */
  fail_unless (gst_qsv_catalog_find_factory (cat, "vah264enc") == va);
  fail_unless (gst_qsv_catalog_find_factory (cat, "varenderD129h264enc") ==
      va);
  fail_unless (gst_qsv_catalog_find_factory (cat, "varenderD129h264lpenc") ==
      lp);
  fail_unless (gst_qsv_catalog_find_factory (cat, "vaapih264enc") ==
      gst_qsv_catalog_find (cat, "vaapih264enc"));
  fail_unless (gst_qsv_catalog_find_factory (cat, "vah265enc") == NULL);
  fail_unless (gst_qsv_catalog_find_factory (cat, "vaenc") == NULL);
  fail_unless (gst_qsv_catalog_find_factory (cat, NULL) == NULL);

  /* gstvah264enc.c gst_va_h264_enc_register: "va" + node + "h264enc" */
  name = gst_qsv_encoder_info_node_factory (va, "/dev/dri/renderD129");
  fail_unless_equals_string (name, "varenderD129h264enc");
  g_free (name);
  name = gst_qsv_encoder_info_node_factory (lp, "/dev/dri/renderD130");
  fail_unless_equals_string (name, "varenderD130h264lpenc");
  g_free (name);
  fail_unless (gst_qsv_encoder_info_node_factory (qsv, "/dev/dri/renderD129")
      == NULL);
  fail_unless (gst_qsv_encoder_info_node_factory (va, NULL) == NULL);
  /* a udev link is named after the node it points at */
  dir = g_dir_make_tmp ("catalog-XXXXXX", NULL);
  fail_unless (dir != NULL);
  link = g_build_filename (dir, "pci-0000:03:00.0-render", NULL);
  fail_unless_equals_int (symlink ("renderD131", link), 0);
  name = gst_qsv_encoder_info_node_factory (va, link);
  fail_unless_equals_string (name, "varenderD131h264enc");
  g_free (name);
  g_unlink (link);
  g_rmdir (dir);
  g_free (link);
  g_free (dir);

  /* gstqsvh264enc.cpp gst_qsv_h264_enc_register numbers its devices */
  name = gst_qsv_encoder_info_indexed_factory (qsv, 0);
  fail_unless_equals_string (name, "qsvh264enc");
  g_free (name);
  name = gst_qsv_encoder_info_indexed_factory (qsv, 2);
  fail_unless_equals_string (name, "qsvh264device2enc");
  g_free (name);
  fail_unless (gst_qsv_encoder_info_indexed_factory (va, 1) == NULL);

  /* one table answers what each setting is called */
  fail_unless_equals_string (gst_qsv_encoder_info_property
      (gst_qsv_catalog_lookup ("vaapih264enc"), GST_QSV_SETTING_KEY_INT_MAX),
      "keyframe-period");
  fail_unless_equals_string (gst_qsv_encoder_info_property (qsv,
          GST_QSV_SETTING_QP), "qp-i");
  fail_unless (gst_qsv_encoder_info_property (gst_qsv_catalog_lookup
          ("openh264enc"), GST_QSV_SETTING_B_FRAMES) == NULL);
  fail_unless_equals_string (gst_qsv_encoder_info_bitrate_property
      (gst_qsv_catalog_lookup ("openh264enc")), "bitrate");
}

GST_END_TEST;

/* Only the rate-control mode is essential, on every row but x264enc (whose
 * pass enum is fixed): a driver-built enum without the mode rejects the
 * candidate */
GST_START_TEST (test_essential_settings)
{
  const GstQsvCatalog *cat = gst_qsv_catalog_h264 ();
  GstQsvSettings s;
  guint r, i;

  gst_qsv_settings_init (&s);
  for (r = 0; r < gst_qsv_catalog_n_encoders (cat); r++) {
    GstQsvCandidate c = { 0, };
    GPtrArray *w = g_ptr_array_new_with_free_func (g_free), *a;
    const gchar *factory;

    c.info = gst_qsv_catalog_nth (cat, r);
    c.rate_control = GST_QSV_RATE_CONTROL_CBR;
    factory = gst_qsv_encoder_info_factory (c.info);
    a = gst_qsv_candidate_map_settings (&c, &s, w);
    for (i = 0; i < a->len; i++) {
      GstQsvAssignment *x = g_ptr_array_index (a, i);
      gboolean want = x->setting == GST_QSV_SETTING_RATE_CONTROL &&
          !g_str_equal (factory, "x264enc");

      fail_unless_equals_int (x->essential, want);
      fail_unless (G_VALUE_HOLDS_UINT (&x->value) ||
          G_VALUE_HOLDS_BOOLEAN (&x->value) ||
          G_VALUE_HOLDS_STRING (&x->value));
    }
    g_ptr_array_unref (a);
    g_ptr_array_unref (w);
  }
}

GST_END_TEST;

/* "the nick of @value is @nick" for enums and flags, else equal values */
static void
check_read_back (GstElement * e, const GstQsvAssignment * a)
{
  const gchar *factory = GST_OBJECT_NAME (gst_element_get_factory (e));
  GParamSpec *p = g_object_class_find_property (G_OBJECT_GET_CLASS (e),
      a->name);
  GValue got = G_VALUE_INIT;
  gchar *want = gst_qsv_assignment_value_text (a), *have;

  fail_unless (p->flags & G_PARAM_WRITABLE, "%s %s", factory, a->name);
  g_value_init (&got, p->value_type);
  g_object_get_property (G_OBJECT (e), a->name, &got);
  if (G_IS_PARAM_SPEC_ENUM (p)) {
    have = g_strdup (g_enum_get_value (G_PARAM_SPEC_ENUM (p)->enum_class,
            g_value_get_enum (&got))->value_nick);
  } else if (G_IS_PARAM_SPEC_FLAGS (p)) {
    GFlagsValue *f = g_flags_get_value_by_nick (G_PARAM_SPEC_FLAGS
        (p)->flags_class, want);

    have = g_strdup (f && (g_value_get_flags (&got) & f->value) ? want : "?");
  } else if (G_IS_PARAM_SPEC_BOOLEAN (p)) {
    have = g_strdup (g_value_get_boolean (&got) ? "true" : "false");
  } else {
    GValue text = G_VALUE_INIT;

    g_value_init (&text, G_TYPE_STRING);
    fail_unless (g_value_transform (&got, &text));
    have = g_value_dup_string (&text);
    g_value_unset (&text);
  }
  fail_unless_equals_string (have, want);
  g_value_unset (&got);
  g_free (have);
  g_free (want);
}

/* Every row's table against the encoder itself: the stand-ins (whose
 * property specs tests/check/fidelity.c holds to the real elements') and
 * the real x264enc and openh264enc where installed. Every assignment of
 * every mode and setting takes, as the type the property has, and reads
 * back. */
GST_START_TEST (test_table_against_encoders)
{
  const GstQsvCatalog *cat = gst_qsv_catalog_h264 ();
  guint r, checked = 0;

  standins_register ();
  for (r = 0; r < gst_qsv_catalog_n_encoders (cat); r++) {
    const GstQsvEncoderInfo *info = gst_qsv_catalog_nth (cat, r);
    const gchar *factory = gst_qsv_encoder_info_factory (info);
    GstElement *e = gst_element_factory_make (factory, NULL);
    GHashTable *applied = g_hash_table_new (g_str_hash, g_str_equal);
    const gchar **props, **p;
    GstQsvRateControl rc;
    guint variant;

    if (!e) {
      fail_if (gst_qsv_encoder_info_is_hardware (info), "no stand-in %s",
          factory);
      GST_INFO ("%s is not installed: its table is not checked", factory);
      g_hash_table_unref (applied);
      continue;
    }
    for (rc = GST_QSV_RATE_CONTROL_CBR; rc <= GST_QSV_RATE_CONTROL_CQP; rc++) {
      for (variant = 0; variant < 4 * 7; variant++) {
        GstQsvCandidate c = { 0, };
        GstQsvSettings s;
        GPtrArray *w = g_ptr_array_new_with_free_func (g_free), *a;
        guint i;

        gst_qsv_settings_init (&s);
        c.info = info;
        c.rate_control = rc;
        c.low_power_entrypoint = variant & 1;
        s.low_latency = (variant >> 1) & 1;
        s.target_usage = 1 + variant / 4;
        s.bitrate = 4000;
        s.qp = 51;
        s.key_int_max = 30;
        s.b_frames = 2;
        a = gst_qsv_candidate_map_settings (&c, &s, w);
        for (i = 0; i < a->len; i++) {
          GstQsvAssignment *x = g_ptr_array_index (a, i);
          GError *err = NULL;

          fail_unless (gst_qsv_assignment_apply (x, G_OBJECT (e), factory,
                  &err), "%s", err ? err->message : "?");
          check_read_back (e, x);
          g_hash_table_add (applied, (gpointer) x->name);
        }
        g_ptr_array_unref (a);
        g_ptr_array_unref (w);
      }
    }
    /* the variants reached every entry of the table */
    props = gst_qsv_encoder_info_properties (info);
    for (p = props; *p; p++)
      fail_unless (g_hash_table_contains (applied, *p), "%s: %s never set",
          factory, *p);
    g_free (props);
    g_hash_table_unref (applied);
    gst_object_unref (e);
    checked++;
  }
  fail_unless (checked >= 4);
}

GST_END_TEST;

/* A child with a driver-built rate-control enum (no vbr), a signed
 * bitrate and a flags tune, to see the conversions and the errors */
typedef struct
{
  GObject parent;
  gint rate_control, bitrate;
  guint tune;
} TestChild;

typedef struct
{
  GObjectClass parent_class;
} TestChildClass;

static GType test_child_get_type (void);
G_DEFINE_TYPE (TestChild, test_child, G_TYPE_OBJECT);

static GType
test_rc_type (void)
{
  static GType type = 0;
  static const GEnumValue v[] = { {2, "CBR", "cbr"}, {16, "CQP", "cqp"},
  {0, NULL, NULL}
  };

  if (!type)
    type = g_enum_register_static ("TestChildRateControl", v);
  return type;
}

static GType
test_tune_type (void)
{
  static GType type = 0;
  static const GFlagsValue v[] = { {2, "Fast decode", "fastdecode"},
  {4, "Zero latency", "zerolatency"}, {0, NULL, NULL}
  };

  if (!type)
    type = g_flags_register_static ("TestChildTune", v);
  return type;
}

static void
test_child_set_property (GObject * o, guint id, const GValue * v,
    GParamSpec * p)
{
  TestChild *self = (TestChild *) o;

  if (id == 1)
    self->rate_control = g_value_get_enum (v);
  else if (id == 2)
    self->bitrate = g_value_get_int (v);
  else
    self->tune = g_value_get_flags (v);
}

static void
test_child_get_property (GObject * o, guint id, GValue * v, GParamSpec * p)
{
  TestChild *self = (TestChild *) o;

  if (id == 1)
    g_value_set_enum (v, self->rate_control);
  else if (id == 2)
    g_value_set_int (v, self->bitrate);
  else
    g_value_set_flags (v, self->tune);
}

static void
test_child_class_init (TestChildClass * klass)
{
  GObjectClass *o = G_OBJECT_CLASS (klass);

  o->set_property = test_child_set_property;
  o->get_property = test_child_get_property;
  g_object_class_install_property (o, 1, g_param_spec_enum ("rate-control",
          "rc", "rc", test_rc_type (), 2, G_PARAM_READWRITE));
  g_object_class_install_property (o, 2, g_param_spec_int ("bitrate", "b",
          "b", 0, G_MAXINT, 0, G_PARAM_READWRITE));
  g_object_class_install_property (o, 3, g_param_spec_flags ("tune", "t",
          "t", test_tune_type (), 0, G_PARAM_READWRITE));
}

static void
test_child_init (TestChild * self)
{
}

static GstQsvAssignment *
make_assignment (const gchar * name, GType type, gboolean essential)
{
  GstQsvAssignment *a = g_new0 (GstQsvAssignment, 1);

  a->name = name;
  a->essential = essential;
  g_value_init (&a->value, type);
  return a;
}

GST_START_TEST (test_apply_values)
{
  TestChild *child = g_object_new (test_child_get_type (), NULL);
  GstQsvAssignment *a;
  GError *err = NULL;

  /* a nick resolved against the child's own enum */
  a = make_assignment ("rate-control", G_TYPE_STRING, TRUE);
  g_value_set_string (&a->value, "cqp");
  fail_unless (gst_qsv_assignment_apply (a, G_OBJECT (child), "child",
          &err));
  fail_unless_equals_int (child->rate_control, 16);
  /* one it lacks: essential, so the candidate is rejected */
  g_value_set_string (&a->value, "vbr");
  fail_if (gst_qsv_assignment_apply (a, G_OBJECT (child), "child", &err));
  fail_unless (g_error_matches (err, GST_QSV_CATALOG_ERROR,
          GST_QSV_CATALOG_ERROR_NO_VALUE));
  fail_unless_equals_string (err->message, "child has no rate-control 'vbr'");
  fail_unless (gst_qsv_assignment_rejects (a, err));
  a->essential = FALSE;
  fail_if (gst_qsv_assignment_rejects (a, err));
  g_clear_error (&err);
  fail_unless_equals_int (child->rate_control, 16);
  gst_qsv_assignment_free (a);

  /* a number converted to the property's type */
  a = make_assignment ("bitrate", G_TYPE_UINT, FALSE);
  g_value_set_uint (&a->value, 4000000);
  fail_unless (gst_qsv_assignment_apply (a, G_OBJECT (child), "child",
          &err));
  fail_unless_equals_int (child->bitrate, 4000000);
  gst_qsv_assignment_free (a);
  /* text is no number: not applied, a warning */
  a = make_assignment ("bitrate", G_TYPE_STRING, FALSE);
  g_value_set_string (&a->value, "4000");
  fail_if (gst_qsv_assignment_apply (a, G_OBJECT (child), "child", &err));
  fail_unless (g_error_matches (err, GST_QSV_CATALOG_ERROR,
          GST_QSV_CATALOG_ERROR_TYPE));
  fail_if (gst_qsv_assignment_rejects (a, err));
  g_clear_error (&err);
  fail_unless_equals_int (child->bitrate, 4000000);
  gst_qsv_assignment_free (a);

  /* flags by nick (x264enc's tune) */
  a = make_assignment ("tune", G_TYPE_STRING, FALSE);
  g_value_set_string (&a->value, "zerolatency");
  fail_unless (gst_qsv_assignment_apply (a, G_OBJECT (child), "child",
          &err));
  fail_unless_equals_int (child->tune, 4);
  gst_qsv_assignment_free (a);

  /* a property it lacks: a warning, even for an essential setting */
  a = make_assignment ("qpi", G_TYPE_UINT, TRUE);
  g_value_set_uint (&a->value, 30);
  fail_if (gst_qsv_assignment_apply (a, G_OBJECT (child), "child", &err));
  fail_unless_equals_string (err->message,
      "child has no property 'qpi'; qpi=30 not applied");
  fail_if (gst_qsv_assignment_rejects (a, err));
  g_clear_error (&err);
  gst_qsv_assignment_free (a);
  g_object_unref (child);
}

GST_END_TEST;

/* H.265: the catalog's hardware rows read the device's HEVC entrypoints
 * (GstQsvCatalog.va_codec), not its H.264 ones. @h265_slice_rc /
 * @h265_lp_rc: the HEVC modes of each entrypoint (0: absent), on Main and
 * Main10. */
static GstQsvVaProbeResult *
make_probe_hevc (GstQsvVaStatus status, guint h264_rc, guint h265_slice_rc,
    guint h265_lp_rc)
{
  GstQsvVaProbeResult *r = make_probe (status, h264_rc, h264_rc, INTEL);
  GstQsvVaDevice *d = g_ptr_array_index (r->devices, 0);
  guint p;

  for (p = 0; p < GST_QSV_VA_H265_N_PROFILES; p++) {
    d->h265[p][GST_QSV_VA_ENC_SLICE].present = h265_slice_rc != 0;
    d->h265[p][GST_QSV_VA_ENC_SLICE].rate_control = h265_slice_rc;
    d->h265[p][GST_QSV_VA_ENC_SLICE_LP].present = h265_lp_rc != 0;
    d->h265[p][GST_QSV_VA_ENC_SLICE_LP].rate_control = h265_lp_rc;
  }
  return r;
}

#define ALL_H265_FACTORIES \
  "qsvh265enc,vah265enc,vah265lpenc,vaapih265enc,x265enc"

/* the candidates of @cat, comma-separated; every row is a candidate or
 * rejected with a reason; @sel_out (optional) keeps the selection */
static gchar *
chosen_in (const GstQsvCatalog * cat, GstQsvVaProbeResult * probe,
    const GstQsvSettings * s, const gchar * factories,
    GstQsvSelection ** sel_out)
{
  GstQsvSelection *sel = gst_qsv_catalog_select (cat, probe, s, in_list,
      (gpointer) factories);
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < sel->candidates->len; i++) {
    GstQsvCandidate *c = g_ptr_array_index (sel->candidates, i);
    g_string_append_printf (out, "%s%s", i ? "," : "", c->factory);
  }
  fail_unless_equals_int (sel->candidates->len + sel->rejected->len,
      gst_qsv_catalog_n_encoders (cat));
  for (i = 0; i < sel->rejected->len; i++) {
    GstQsvRejection *r = g_ptr_array_index (sel->rejected, i);
    fail_unless (r->reason && *r->reason);
  }
  if (sel_out)
    *sel_out = sel;
  else
    gst_qsv_selection_free (sel);
  return g_string_free (out, FALSE);
}

static const GstQsvCandidate *
candidate_for (GstQsvSelection * sel, const gchar * factory)
{
  guint i;

  for (i = 0; i < sel->candidates->len; i++) {
    GstQsvCandidate *c = g_ptr_array_index (sel->candidates, i);
    if (g_str_equal (c->factory, factory))
      return c;
  }
  return NULL;
}

GST_START_TEST (test_h265_selection)
{
  const GstQsvCatalog *h265 = gst_qsv_catalog_h265 ();
  GstQsvVaProbeResult *p;
  GstQsvSelection *sel;
  GstQsvSettings s;
  gchar *got;

  gst_qsv_settings_init (&s);

  /* HEVC EncSlice only (H.264 on both): no vah265lpenc */
  p = make_probe_hevc (GST_QSV_VA_STATUS_OK, ALL_RC, ALL_RC, 0);
  got = chosen_in (h265, p, &s, ALL_H265_FACTORIES, &sel);
  fail_unless_equals_string (got, "qsvh265enc,vah265enc,vaapih265enc,x265enc");
  fail_unless_equals_string (reason_for (sel, "vah265lpenc"),
      "/dev/dri/renderD128 has no EncSliceLP (low-power) H.265 encode "
      "entrypoint");
  fail_unless_equals_string (candidate_for (sel, "vah265enc")->device,
      "/dev/dri/renderD128");
  fail_unless (!candidate_for (sel, "qsvh265enc")->low_power_entrypoint);
  g_free (got);
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (p);

  /* HEVC EncSliceLP only, CQP only there (no HuC) */
  p = make_probe_hevc (GST_QSV_VA_STATUS_OK, ALL_RC, 0, GST_QSV_VA_RC_CQP);
  got = chosen_in (h265, p, &s, ALL_H265_FACTORIES, &sel);
  fail_unless_equals_string (got,
      "qsvh265enc,vah265lpenc,vaapih265enc,x265enc");
  fail_unless_equals_string (reason_for (sel, "vah265enc"),
      "/dev/dri/renderD128 has no EncSlice (full-power) H.265 encode "
      "entrypoint (only EncSliceLP)");
  fail_unless (candidate_for (sel, "qsvh265enc")->low_power_entrypoint);
  fail_unless_equals_int (candidate_for (sel, "vah265lpenc")->rate_control,
      GST_QSV_RATE_CONTROL_CQP);
  g_free (got);
  gst_qsv_selection_free (sel);
  /* rate-control=cbr: the HEVC modes decide, not the H.264 ones */
  s.rate_control = GST_QSV_RATE_CONTROL_CBR;
  got = chosen_in (h265, p, &s, ALL_H265_FACTORIES, &sel);
  fail_unless_equals_string (got, "x265enc");
  fail_unless (strstr (reason_for (sel, "vah265lpenc"),
          "rate-control=cbr is not offered by EncSliceLP on "
          "/dev/dri/renderD128 (it offers cqp") != NULL, "%s",
      reason_for (sel, "vah265lpenc"));
  g_free (got);
  gst_qsv_selection_free (sel);
  s.rate_control = GST_QSV_RATE_CONTROL_AUTO;
  gst_qsv_va_probe_result_free (p);

  /* no HEVC at all (an H.264-only GPU): software, saying what is missing */
  p = make_probe_hevc (GST_QSV_VA_STATUS_OK, ALL_RC, 0, 0);
  got = chosen_in (h265, p, &s, ALL_H265_FACTORIES, &sel);
  fail_unless_equals_string (got, "x265enc");
  fail_unless_equals_string (reason_for (sel, "vah265enc"),
      "/dev/dri/renderD128 has no EncSlice (full-power) H.265 encode "
      "entrypoint");
  fail_unless_equals_string (reason_for (sel, "vah265lpenc"),
      "/dev/dri/renderD128 has no EncSliceLP (low-power) H.265 encode "
      "entrypoint");
  fail_unless_equals_string (reason_for (sel, "qsvh265enc"),
      "/dev/dri/renderD128 has no H.265 encode entrypoint (EncSlice or "
      "EncSliceLP)");
  fail_unless_equals_string (reason_for (sel, "vaapih265enc"),
      "/dev/dri/renderD128 has no H.265 encode entrypoint (EncSlice or "
      "EncSliceLP)");
  g_free (got);
  gst_qsv_selection_free (sel);
  /* the H.264 catalog on the same device: hardware */
  got = chosen_in (gst_qsv_catalog_h264 (), p, &s, ALL_FACTORIES, NULL);
  fail_unless_equals_string (got, ALL_FACTORIES);
  g_free (got);
  gst_qsv_va_probe_result_free (p);

  /* HEVC only, no H.264 (the probe's status is no-h264-encode): hardware
   * for H.265, software for H.264 */
  p = make_probe_hevc (GST_QSV_VA_STATUS_NO_H264_ENCODE, 0, ALL_RC, ALL_RC);
  got = chosen_in (h265, p, &s, ALL_H265_FACTORIES, &sel);
  fail_unless_equals_string (got, ALL_H265_FACTORIES);
  fail_unless_equals_string (candidate_for (sel, "vah265lpenc")->device,
      "/dev/dri/renderD128");
  g_free (got);
  gst_qsv_selection_free (sel);
  got = chosen_in (gst_qsv_catalog_h264 (), p, &s, ALL_FACTORIES, &sel);
  fail_unless_equals_string (got, "x264enc,openh264enc");
  fail_unless_equals_string (reason_for (sel, "vah264enc"),
      "no usable VA device (no-h264-encode)");
  g_free (got);
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (p);

  /* VA does not work at all: no device for either */
  p = make_probe_hevc (GST_QSV_VA_STATUS_NO_DRIVER, 0, 0, 0);
  got = chosen_in (h265, p, &s, ALL_H265_FACTORIES, &sel);
  fail_unless_equals_string (got, "x265enc");
  fail_unless_equals_string (reason_for (sel, "vah265enc"),
      "no usable VA device (no-driver)");
  g_free (got);
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (p);
}

GST_END_TEST;

/* Two nodes: H.264 on renderD128 (the probe's choice), HEVC on renderD129
 * only: the H.265 rows run on renderD129, and vaapih265enc (which opens
 * the first node where VA works) is not a candidate there. */
GST_START_TEST (test_h265_second_node)
{
  GstQsvVaProbeResult *p = make_probe_hevc (GST_QSV_VA_STATUS_OK, ALL_RC, 0,
      0);
  GstQsvVaDevice *d129 = g_new0 (GstQsvVaDevice, 1);
  GstQsvSelection *sel;
  GstQsvSettings s;
  gchar *got;

  gst_qsv_settings_init (&s);
  g_unsetenv ("GST_VAAPI_DRM_DEVICE");
  d129->path = g_strdup ("/dev/dri/renderD129");
  d129->status = GST_QSV_VA_STATUS_NO_H264_ENCODE;
  d129->vendor = g_strdup (INTEL);
  d129->message = g_strdup ("no H.264");
  d129->h265[GST_QSV_VA_H265_MAIN][GST_QSV_VA_ENC_SLICE].present = TRUE;
  d129->h265[GST_QSV_VA_H265_MAIN][GST_QSV_VA_ENC_SLICE].rate_control =
      ALL_RC;
  g_ptr_array_add (p->devices, d129);

  fail_unless (gst_qsv_va_probe_result_get_for_codec (p,
          GST_QSV_VA_CODEC_H265) == d129);
  got = chosen_in (gst_qsv_catalog_h265 (), p, &s, ALL_H265_FACTORIES, &sel);
  fail_unless_equals_string (got, "qsvh265enc,vah265enc,x265enc");
  fail_unless_equals_string (candidate_for (sel, "vah265enc")->device,
      "/dev/dri/renderD129");
  fail_unless (strstr (reason_for (sel, "vaapih265enc"),
          "would open /dev/dri/renderD128") != NULL, "%s",
      reason_for (sel, "vaapih265enc"));
  g_free (got);
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (p);
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
  tcase_add_test (tc, test_catalog_api);
  tcase_add_test (tc, test_essential_settings);
  tcase_add_test (tc, test_table_against_encoders);
  tcase_add_test (tc, test_apply_values);
  tcase_add_test (tc, test_h265_selection);
  tcase_add_test (tc, test_h265_second_node);
  return s;
}

GST_CHECK_MAIN (catalog);
