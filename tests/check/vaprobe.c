/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The VA probe through the REAL libva: fake render nodes (libfakedrm shim,
 * LD_PRELOADed by meson) and the fakeva driver (LIBVA_DRIVERS_PATH). */

#include <gst/check/gstcheck.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <sys/wait.h>

#include "gstqsvvaprobe.h"
#include "gstqsvvaprobe-priv.h"
#include "gstqsvvaprobe-json.h"
#include "qsvtestutil.h"

static gchar *scratch;
static gchar *helper;           /* $QSVAUTOENC_PROBE_HELPER as meson set it */

static void
setup (void)
{
  if (helper)
    g_setenv ("QSVAUTOENC_PROBE_HELPER", helper, TRUE);
  else
    g_unsetenv ("QSVAUTOENC_PROBE_HELPER");
  g_unsetenv ("QSVAUTOENC_PROBE_TIMEOUT_MS");
  scratch = qsv_test_scratch_new ();
  /* hung nodes remembered across processes: this test's own file */
  g_setenv ("XDG_RUNTIME_DIR", scratch, TRUE);
  qsv_test_use_fake_driver ();
  g_unsetenv ("QSVAUTOENC_DEVICE");
  g_unsetenv ("FAKEVA_CONFIG");
  g_unsetenv ("FAKEDRM_OPEN_ERRNO");
  gst_qsv_va_probe_clear_cache ();
}

static void
teardown (void)
{
  qsv_test_scratch_free (scratch);
  scratch = NULL;
}

static GstQsvVaProbeResult *
probe_fresh (const gchar * device)
{
  return gst_qsv_va_probe (device, GST_QSV_VA_PROBE_FLAG_FRESH);
}

static const GstQsvVaDevice *
only_device (const GstQsvVaProbeResult * r)
{
  fail_unless_equals_int (r->devices->len, 1);
  return g_ptr_array_index (r->devices, 0);
}

static void
make_node (const gchar * name, const gchar * config)
{
  g_free (qsv_test_make_node (scratch, name, config));
}

GST_START_TEST (test_no_dri_dir)
{
  GstQsvVaProbeResult *r;
  gchar *missing = g_build_filename (scratch, "nonexistent", NULL);

  g_setenv ("QSVAUTOENC_DRI_DIR", missing, TRUE);
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_NO_DEVICE);
  fail_unless_equals_int (r->devices->len, 0);
  fail_unless_equals_int (r->chosen, -1);
  fail_unless (strstr (r->message, missing) != NULL, "%s", r->message);
  fail_unless (strstr (r->message, "does not exist") != NULL);
  fail_unless (gst_qsv_va_probe_result_get_chosen (r) == NULL);
  gst_qsv_va_probe_result_free (r);
  g_free (missing);
}

GST_END_TEST;

GST_START_TEST (test_empty_dri_dir)
{
  GstQsvVaProbeResult *r;

  /* names that are not render nodes 128..191 are not probed */
  make_node ("card0", "");
  make_node ("renderD99", "");
  make_node ("renderD192", "");
  make_node ("renderDx", "");
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_NO_DEVICE);
  fail_unless_equals_int (r->devices->len, 0);
  fail_unless (strstr (r->message, "renderD128..191") != NULL, "%s",
      r->message);
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

GST_START_TEST (test_driver_init_fails)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;

  make_node ("renderD128", "init=fail");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_INIT_FAILED);
  fail_unless_equals_string (d->va_driver, "fakeva");
  fail_unless_equals_string (d->kernel_driver, "i915");
  /* libva's own words, caught by the error callback, not printed */
  fail_unless (d->libva_error != NULL);
  fail_unless (strstr (d->libva_error, "init failed") != NULL, "%s",
      d->libva_error);
  fail_unless (strstr (d->message, "failed to initialise") != NULL);
  fail_unless (strstr (d->message, "renderD128") != NULL);
  fail_unless (!gst_qsv_va_status_is_hardware (r->status));
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

GST_START_TEST (test_no_h264_encode)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;

  make_node ("renderD128", "entrypoints=none");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_NO_H264_ENCODE);
  fail_unless (!gst_qsv_va_device_has_entrypoint (d, GST_QSV_VA_ENC_SLICE));
  fail_unless (!gst_qsv_va_device_has_entrypoint (d, GST_QSV_VA_ENC_SLICE_LP));
  fail_unless (strstr (d->message, "intel-media-va-driver-non-free") != NULL);
  fail_unless_equals_int (d->va_major, 1);
  gst_qsv_va_probe_result_free (r);

  /* no H.264 profile at all is the same answer */
  make_node ("renderD128", "profiles=none");
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_NO_H264_ENCODE);
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

static void
check_entrypoints (const gchar * config, gboolean slice, gboolean lp)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;
  guint p;

  make_node ("renderD128", config);
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  fail_unless_equals_int (r->chosen, 0);
  fail_unless (gst_qsv_va_status_is_hardware (r->status));
  fail_unless_equals_int (gst_qsv_va_device_has_entrypoint (d,
          GST_QSV_VA_ENC_SLICE), slice);
  fail_unless_equals_int (gst_qsv_va_device_has_entrypoint (d,
          GST_QSV_VA_ENC_SLICE_LP), lp);
  for (p = 0; p < GST_QSV_VA_H264_N_PROFILES; p++) {
    fail_unless_equals_int (d->h264[p][GST_QSV_VA_ENC_SLICE].present, slice);
    fail_unless_equals_int (d->h264[p][GST_QSV_VA_ENC_SLICE_LP].present, lp);
  }
  fail_unless (strstr (r->message, lp ? "EncSliceLP" : "EncSlice ") != NULL,
      "%s", r->message);
  gst_qsv_va_probe_result_free (r);
}

GST_START_TEST (test_entrypoints)
{
  check_entrypoints ("entrypoints=slice", TRUE, FALSE);
  check_entrypoints ("entrypoints=lp", FALSE, TRUE);
  check_entrypoints ("entrypoints=slice,lp", TRUE, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_rate_control_sets)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;
  gchar *s;

  /* the common case on Debian's free iHD without HuC: LP with CQP only */
  make_node ("renderD128", "entrypoints=lp;rc_lp=cqp");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (gst_qsv_va_device_rate_control (d,
          GST_QSV_VA_ENC_SLICE_LP), GST_QSV_VA_RC_CQP);
  fail_unless_equals_int (gst_qsv_va_device_rate_control (d,
          GST_QSV_VA_ENC_SLICE), 0);
  gst_qsv_va_probe_result_free (r);

  make_node ("renderD128", "entrypoints=slice,lp;rc_slice=cbr,vbr,cqp;"
      "rc_lp=cbr,cqp;max=1920x1088");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (gst_qsv_va_device_rate_control (d,
          GST_QSV_VA_ENC_SLICE),
      GST_QSV_VA_RC_CBR | GST_QSV_VA_RC_VBR | GST_QSV_VA_RC_CQP);
  fail_unless_equals_int (gst_qsv_va_device_rate_control (d,
          GST_QSV_VA_ENC_SLICE_LP), GST_QSV_VA_RC_CBR | GST_QSV_VA_RC_CQP);
  fail_unless_equals_int (d->h264[GST_QSV_VA_H264_HIGH]
      [GST_QSV_VA_ENC_SLICE].max_width, 1920);
  fail_unless_equals_int (d->h264[GST_QSV_VA_H264_HIGH]
      [GST_QSV_VA_ENC_SLICE].max_height, 1088);
  s = gst_qsv_va_rate_control_to_string (gst_qsv_va_device_rate_control (d,
          GST_QSV_VA_ENC_SLICE_LP));
  fail_unless_equals_string (s, "cbr,cqp");
  g_free (s);
  gst_qsv_va_probe_result_free (r);

  /* a driver that does not report the size: 0, not garbage */
  make_node ("renderD128", "max=0x0");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (d->h264[GST_QSV_VA_H264_MAIN]
      [GST_QSV_VA_ENC_SLICE].max_width, 0);
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

GST_START_TEST (test_profiles)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;

  make_node ("renderD128", "profiles=main,high;entrypoints=lp");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless (!d->h264[GST_QSV_VA_H264_CONSTRAINED_BASELINE]
      [GST_QSV_VA_ENC_SLICE_LP].present);
  fail_unless (d->h264[GST_QSV_VA_H264_MAIN][GST_QSV_VA_ENC_SLICE_LP].present);
  fail_unless (d->h264[GST_QSV_VA_H264_HIGH][GST_QSV_VA_ENC_SLICE_LP].present);
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

GST_START_TEST (test_several_nodes_first_usable_wins)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *chosen;

  /* numeric order: 128 before 129 before 130, whatever the listing order */
  make_node ("renderD130", "entrypoints=slice");
  make_node ("renderD128", "init=fail");
  make_node ("renderD129", "entrypoints=lp");
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  /* probing stops at the first usable node */
  fail_unless_equals_int (r->devices->len, 2);
  fail_unless_equals_int (r->chosen, 1);
  chosen = gst_qsv_va_probe_result_get_chosen (r);
  fail_unless (g_str_has_suffix (chosen->path, "/renderD129"));
  fail_unless (g_str_has_suffix (((GstQsvVaDevice *)
              g_ptr_array_index (r->devices, 0))->path, "/renderD128"));
  fail_unless (gst_qsv_va_device_has_entrypoint (chosen,
          GST_QSV_VA_ENC_SLICE_LP));
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

GST_START_TEST (test_several_nodes_none_usable)
{
  GstQsvVaProbeResult *r;

  /* a node we may not open may be the GPU: that is the failure to report */
  make_node ("renderD128", "entrypoints=none");
  make_node ("renderD129", "");
  g_setenv ("FAKEDRM_OPEN_ERRNO", "renderD129=EACCES", TRUE);
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->devices->len, 2);
  fail_unless_equals_int (r->chosen, -1);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_PERMISSION_DENIED);
  fail_unless (strstr (r->message, "none of 2 render nodes") != NULL, "%s",
      r->message);
  fail_unless (strstr (r->message, "renderD129") != NULL);
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

GST_START_TEST (test_explicit_device_wins)
{
  GstQsvVaProbeResult *r;
  gchar *other;

  make_node ("renderD128", "entrypoints=slice,lp");
  other = qsv_test_make_node (scratch, "renderD140", "entrypoints=lp");

  r = probe_fresh (other);
  fail_unless (r->explicit_device);
  fail_unless_equals_string (only_device (r)->path, other);
  fail_unless (!gst_qsv_va_device_has_entrypoint (only_device (r),
          GST_QSV_VA_ENC_SLICE));
  gst_qsv_va_probe_result_free (r);

  /* the environment override, as the `device` property's default */
  g_setenv ("QSVAUTOENC_DEVICE", other, TRUE);
  r = probe_fresh ("auto");
  fail_unless (r->explicit_device);
  fail_unless_equals_string (only_device (r)->path, other);
  gst_qsv_va_probe_result_free (r);

  /* an explicit argument wins over the environment */
  r = probe_fresh (other);
  fail_unless_equals_string (only_device (r)->path, other);
  gst_qsv_va_probe_result_free (r);
  g_free (other);
}

GST_END_TEST;

GST_START_TEST (test_vendor_strings)
{
  const gchar *vendors[] = {
    "Intel iHD driver for Intel(R) Gen Graphics - 23.1.1 ()",
    "Intel i965 driver for Intel(R) Coffee Lake - 2.4.1",
    "Mesa Gallium driver 22.3.6 for AMD Radeon RX 6600 (navi23, LLVM 15.0.6)",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (vendors); i++) {
    GstQsvVaProbeResult *r;
    gchar *conf = g_strdup_printf ("vendor=%s", vendors[i]);

    make_node ("renderD128", conf);
    r = probe_fresh (NULL);
    fail_unless_equals_string (only_device (r)->vendor, vendors[i]);
    fail_unless (strstr (r->message, vendors[i]) != NULL);
    gst_qsv_va_probe_result_free (r);
    g_free (conf);
  }
}

GST_END_TEST;

GST_START_TEST (test_errno_classification)
{
  static const struct
  {
    gint err;
    GstQsvVaStatus status;
  } table[] = {
    {ENOENT, GST_QSV_VA_STATUS_NO_DEVICE},
    {EACCES, GST_QSV_VA_STATUS_PERMISSION_DENIED},
    {EPERM, GST_QSV_VA_STATUS_PERMISSION_DENIED},
    {ENXIO, GST_QSV_VA_STATUS_DEVICE_UNAVAILABLE},
    {ENODEV, GST_QSV_VA_STATUS_DEVICE_UNAVAILABLE},
    {EIO, GST_QSV_VA_STATUS_OPEN_FAILED},
    {EBUSY, GST_QSV_VA_STATUS_OPEN_FAILED},
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (table); i++)
    fail_unless_equals_int (gst_qsv_va_status_from_errno (table[i].err),
        table[i].status);
}

GST_END_TEST;

/* The same, through the real open() of the probe (errno injected by the
 * shim, since root ignores file modes). */
static void
check_open_errno (const gchar * errname, gint err, GstQsvVaStatus status,
    const gchar * hint)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;
  gchar *spec = g_strdup_printf ("renderD128=%s", errname);

  make_node ("renderD128", "");
  g_setenv ("FAKEDRM_OPEN_ERRNO", spec, TRUE);
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (d->status, status);
  fail_unless_equals_int (d->os_errno, err);
  fail_unless (strstr (d->message, g_strerror (err)) != NULL, "%s",
      d->message);
  fail_unless (strstr (d->message, hint) != NULL, "%s", d->message);
  gst_qsv_va_probe_result_free (r);
  g_free (spec);
}

GST_START_TEST (test_open_errors)
{
  check_open_errno ("EACCES", EACCES, GST_QSV_VA_STATUS_PERMISSION_DENIED,
      "group");
  check_open_errno ("EPERM", EPERM, GST_QSV_VA_STATUS_PERMISSION_DENIED,
      "lxc.cgroup2.devices.allow");
  check_open_errno ("ENXIO", ENXIO, GST_QSV_VA_STATUS_DEVICE_UNAVAILABLE,
      "kernel driver");
  check_open_errno ("EIO", EIO, GST_QSV_VA_STATUS_OPEN_FAILED, "renderD128");
}

GST_END_TEST;

GST_START_TEST (test_explicit_missing_device)
{
  GstQsvVaProbeResult *r;
  gchar *missing = g_build_filename (scratch, "dri", "renderD150", NULL);

  r = probe_fresh (missing);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_NO_DEVICE);
  fail_unless_equals_int (only_device (r)->os_errno, ENOENT);
  fail_unless (strstr (r->message, missing) != NULL);
  gst_qsv_va_probe_result_free (r);
  g_free (missing);
}

GST_END_TEST;

GST_START_TEST (test_not_a_drm_node)
{
  GstQsvVaProbeResult *r;
  gchar *path = g_build_filename (scratch, "not-a-gpu", NULL);

  g_file_set_contents (path, "hello", -1, NULL);
  r = probe_fresh (path);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_NOT_DRM_DEVICE);
  fail_unless (strstr (r->message, "not a DRM render node") != NULL);
  gst_qsv_va_probe_result_free (r);
  g_free (path);
}

GST_END_TEST;

GST_START_TEST (test_no_driver)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;

  make_node ("renderD128", "");

  /* an explicit driver name with no such driver installed */
  g_setenv ("LIBVA_DRIVER_NAME", "nosuchdriver", TRUE);
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (d->status, GST_QSV_VA_STATUS_NO_DRIVER);
  fail_unless_equals_string (d->va_driver, "nosuchdriver");
  fail_unless (strstr (d->message, "intel-media-va-driver-non-free") != NULL);
  gst_qsv_va_probe_result_free (r);

  /* libva picks the driver from the kernel driver: i915 -> iHD/i965, which
   * LIBVA_DRIVERS_PATH (the fake driver's folder) does not hold */
  g_unsetenv ("LIBVA_DRIVER_NAME");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (d->status, GST_QSV_VA_STATUS_NO_DRIVER);
  fail_unless_equals_string (d->kernel_driver, "i915");
  fail_unless (strstr (d->message, "'i915'") != NULL, "%s", d->message);
  gst_qsv_va_probe_result_free (r);

  /* libva 2.17 has no driver for the xe kernel driver */
  make_node ("renderD128", "kernel=xe");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (d->status, GST_QSV_VA_STATUS_NO_DRIVER);
  fail_unless_equals_string (d->kernel_driver, "xe");
  fail_unless (strstr (d->message, "LIBVA_DRIVER_NAME=iHD") != NULL, "%s",
      d->message);
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

GST_START_TEST (test_cache)
{
  GstQsvVaProbeResult *r;

  make_node ("renderD128", "entrypoints=slice,lp");
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_NONE);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);

  /* the GPU "changes"; the cached answer stands until asked afresh */
  make_node ("renderD128", "entrypoints=none");
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_NONE);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);

  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_FRESH);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_NO_H264_ENCODE);
  gst_qsv_va_probe_result_free (r);

  /* the fresh answer replaced the cached one */
  make_node ("renderD128", "entrypoints=lp");
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_NONE);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_NO_H264_ENCODE);
  gst_qsv_va_probe_result_free (r);

  gst_qsv_va_probe_clear_cache ();
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_NONE);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

GST_START_TEST (test_result_copy)
{
  GstQsvVaProbeResult *r, *copy;

  make_node ("renderD128", "init=fail");
  make_node ("renderD129", "entrypoints=lp");
  r = probe_fresh (NULL);
  copy = gst_qsv_va_probe_result_copy (r);
  gst_qsv_va_probe_result_free (r);
  fail_unless_equals_int (copy->devices->len, 2);
  fail_unless_equals_int (copy->chosen, 1);
  fail_unless (gst_qsv_va_probe_result_get_chosen (copy)->vendor != NULL);
  gst_qsv_va_probe_result_free (copy);
}

GST_END_TEST;

GST_START_TEST (test_rate_control_strings)
{
  gchar *s;

  s = gst_qsv_va_rate_control_to_string (0);
  fail_unless_equals_string (s, "");
  g_free (s);
  s = gst_qsv_va_rate_control_to_string (GST_QSV_VA_RC_CQP |
      GST_QSV_VA_RC_CBR | GST_QSV_VA_RC_ICQ);
  fail_unless_equals_string (s, "cbr,cqp,icq");
  g_free (s);
  fail_unless_equals_string (gst_qsv_va_status_nick
      (GST_QSV_VA_STATUS_PERMISSION_DENIED), "permission-denied");
  fail_unless_equals_string (gst_qsv_va_status_nick (1000), "unknown");
}

GST_END_TEST;

/* Crash isolation: the driver runs in the helper process, so a driver that
 * crashes or hangs while queried is a status, not a dead test process. */
GST_START_TEST (test_isolated_probe)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;
  gchar *json;

  make_node ("renderD128", "entrypoints=slice,lp;rc_lp=cqp;max=1920x1088");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  fail_unless (d->isolated);
  /* everything crosses the process boundary */
  fail_unless_equals_string (d->va_driver, "fakeva");
  fail_unless_equals_string (d->kernel_driver, "i915");
  fail_unless (strstr (d->vendor, "fakeva") != NULL);
  fail_unless_equals_int (d->va_major, 1);
  fail_unless (gst_qsv_va_device_has_entrypoint (d, GST_QSV_VA_ENC_SLICE_LP));
  fail_unless_equals_int (gst_qsv_va_device_rate_control (d,
          GST_QSV_VA_ENC_SLICE_LP), GST_QSV_VA_RC_CQP);
  fail_unless_equals_int (d->h264[GST_QSV_VA_H264_HIGH]
      [GST_QSV_VA_ENC_SLICE].max_width, 1920);
  fail_unless_equals_int (d->h264[GST_QSV_VA_H264_HIGH]
      [GST_QSV_VA_ENC_SLICE].max_height, 1088);
  json = gst_qsv_va_probe_result_to_json (r);
  fail_unless (strstr (json, "\"isolated\":true") != NULL, "%s", json);
  g_free (json);
  gst_qsv_va_probe_result_free (r);

  /* in-process, on request: the same answer */
  g_setenv ("QSVAUTOENC_PROBE_HELPER", "in-process", TRUE);
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  fail_unless (!d->isolated);
  fail_unless_equals_int (d->h264[GST_QSV_VA_H264_HIGH]
      [GST_QSV_VA_ENC_SLICE].max_width, 1920);
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

/* H.265: HEVC Main/Main10 on both entrypoints, next to H.264, the same
 * through the helper process and in-process. */
static void
check_hevc (gboolean in_process)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;
  const GstQsvVaEntrypointCaps *c;
  gchar *json;

  if (in_process)
    g_setenv ("QSVAUTOENC_PROBE_HELPER", "in-process", TRUE);

  /* an H.264-only GPU (fakeva's default): no H.265 anywhere */
  make_node ("renderD128", "entrypoints=slice,lp");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (d->isolated, !in_process && helper != NULL);
  fail_unless (!gst_qsv_va_device_has_codec (d, GST_QSV_VA_CODEC_H265));
  fail_unless (gst_qsv_va_device_has_codec (d, GST_QSV_VA_CODEC_H264));
  fail_unless (gst_qsv_va_probe_result_get_for_codec (r,
          GST_QSV_VA_CODEC_H265) == NULL);
  fail_unless (gst_qsv_va_probe_result_get_for_codec (r,
          GST_QSV_VA_CODEC_H264) == d);
  json = gst_qsv_va_probe_result_to_json (r);
  fail_unless (strstr (json, "\"h265_encode\":{\"EncSlice\":{},"
          "\"EncSliceLP\":{}}") != NULL, "%s", json);
  g_free (json);
  gst_qsv_va_probe_result_free (r);

  /* hevc=main: Main on both entrypoints, with the rc= modes and limits */
  make_node ("renderD128", "hevc=main;entrypoints=slice,lp;"
      "rc_slice=cbr,vbr,cqp;rc_lp=cqp;max=4096x2304");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  fail_unless (gst_qsv_va_device_has_codec_entrypoint (d,
          GST_QSV_VA_CODEC_H265, GST_QSV_VA_ENC_SLICE));
  fail_unless (gst_qsv_va_device_has_codec_entrypoint (d,
          GST_QSV_VA_CODEC_H265, GST_QSV_VA_ENC_SLICE_LP));
  fail_unless (d->h265[GST_QSV_VA_H265_MAIN][GST_QSV_VA_ENC_SLICE].present);
  fail_unless (!d->h265[GST_QSV_VA_H265_MAIN10][GST_QSV_VA_ENC_SLICE].present);
  fail_unless (!d->h265[GST_QSV_VA_H265_MAIN10]
      [GST_QSV_VA_ENC_SLICE_LP].present);
  fail_unless_equals_int (gst_qsv_va_device_codec_rate_control (d,
          GST_QSV_VA_CODEC_H265, GST_QSV_VA_ENC_SLICE),
      GST_QSV_VA_RC_CBR | GST_QSV_VA_RC_VBR | GST_QSV_VA_RC_CQP);
  fail_unless_equals_int (gst_qsv_va_device_codec_rate_control (d,
          GST_QSV_VA_CODEC_H265, GST_QSV_VA_ENC_SLICE_LP), GST_QSV_VA_RC_CQP);
  c = gst_qsv_va_device_codec_caps (d, GST_QSV_VA_CODEC_H265,
      GST_QSV_VA_H265_MAIN, GST_QSV_VA_ENC_SLICE_LP);
  fail_unless (c == &d->h265[GST_QSV_VA_H265_MAIN][GST_QSV_VA_ENC_SLICE_LP]);
  fail_unless_equals_int (c->max_width, 4096);
  fail_unless_equals_int (c->max_height, 2304);
  /* the H.264 accessors are the H.264 codec's */
  fail_unless_equals_int (gst_qsv_va_device_rate_control (d,
          GST_QSV_VA_ENC_SLICE_LP), gst_qsv_va_device_codec_rate_control (d,
          GST_QSV_VA_CODEC_H264, GST_QSV_VA_ENC_SLICE_LP));
  fail_unless (gst_qsv_va_probe_result_get_for_codec (r,
          GST_QSV_VA_CODEC_H265) == d);
  json = gst_qsv_va_probe_result_to_json (r);
  fail_unless (strstr (json, "\"h265_encode\":{\"EncSlice\":{\"main\":{"
          "\"rate_control\":[\"cbr\",\"vbr\",\"cqp\"],\"max_width\":4096,"
          "\"max_height\":2304}},\"EncSliceLP\":{\"main\":{\"rate_control\":"
          "[\"cqp\"],\"max_width\":4096,\"max_height\":2304}}}") != NULL,
      "%s", json);
  /* next to the H.264 one, same shape */
  fail_unless (strstr (json, "\"h264_encode\":{\"EncSlice\":{"
          "\"constrained-baseline\":{\"rate_control\":[\"cbr\",\"vbr\","
          "\"cqp\"],\"max_width\":4096,\"max_height\":2304},") != NULL,
      "%s", json);
  fail_unless (strstr (json, "}}},\"h265_encode\"") != NULL, "%s", json);
  g_free (json);
  gst_qsv_va_probe_result_free (r);

  /* hevc=main,main10 on LP only */
  make_node ("renderD128", "hevc=main,main10;entrypoints=lp;rc=cbr,cqp");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless (!gst_qsv_va_device_has_codec_entrypoint (d,
          GST_QSV_VA_CODEC_H265, GST_QSV_VA_ENC_SLICE));
  fail_unless (d->h265[GST_QSV_VA_H265_MAIN][GST_QSV_VA_ENC_SLICE_LP].present);
  fail_unless (d->h265[GST_QSV_VA_H265_MAIN10]
      [GST_QSV_VA_ENC_SLICE_LP].present);
  fail_unless_equals_int (gst_qsv_va_device_codec_rate_control (d,
          GST_QSV_VA_CODEC_H265, GST_QSV_VA_ENC_SLICE_LP),
      GST_QSV_VA_RC_CBR | GST_QSV_VA_RC_CQP);
  json = gst_qsv_va_probe_result_to_json (r);
  fail_unless (strstr (json, "\"h265_encode\":{\"EncSlice\":{},"
          "\"EncSliceLP\":{\"main\":{") != NULL, "%s", json);
  fail_unless (strstr (json, "\"main10\":{\"rate_control\":[\"cbr\","
          "\"cqp\"]") != NULL, "%s", json);
  g_free (json);
  gst_qsv_va_probe_result_free (r);

  /* HEVC and no H.264: not an H.264 device, but the H.265 one, and the
   * message says what it has */
  make_node ("renderD128", "profiles=none;hevc=main,main10");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_NO_H264_ENCODE);
  fail_unless (gst_qsv_va_probe_result_get_chosen (r) == NULL);
  fail_unless (gst_qsv_va_probe_result_get_for_codec (r,
          GST_QSV_VA_CODEC_H264) == NULL);
  fail_unless (gst_qsv_va_probe_result_get_for_codec (r,
          GST_QSV_VA_CODEC_H265) == d);
  fail_unless (!gst_qsv_va_device_has_codec (d, GST_QSV_VA_CODEC_H264));
  fail_unless (d->h265[GST_QSV_VA_H265_MAIN10][GST_QSV_VA_ENC_SLICE].present);
  fail_unless (strstr (d->message, "It encodes H.265 only: EncSlice (") !=
      NULL, "%s", d->message);
  gst_qsv_va_probe_result_free (r);
}

GST_START_TEST (test_hevc_isolated)
{
  check_hevc (FALSE);
}

GST_END_TEST;

GST_START_TEST (test_hevc_in_process)
{
  check_hevc (TRUE);
}

GST_END_TEST;

GST_START_TEST (test_codec_names)
{
  fail_unless_equals_string (gst_qsv_va_codec_nick (GST_QSV_VA_CODEC_H264),
      "h264");
  fail_unless_equals_string (gst_qsv_va_codec_nick (GST_QSV_VA_CODEC_H265),
      "h265");
  fail_unless_equals_string (gst_qsv_va_codec_name (GST_QSV_VA_CODEC_H265),
      "H.265");
  fail_unless_equals_int (gst_qsv_va_codec_n_profiles
      (GST_QSV_VA_CODEC_H264), 3);
  fail_unless_equals_int (gst_qsv_va_codec_n_profiles
      (GST_QSV_VA_CODEC_H265), 2);
  fail_unless_equals_string (gst_qsv_va_codec_profile_nick
      (GST_QSV_VA_CODEC_H265, GST_QSV_VA_H265_MAIN10), "main10");
  fail_unless_equals_string (gst_qsv_va_codec_profile_nick
      (GST_QSV_VA_CODEC_H264, GST_QSV_VA_H264_HIGH), "high");
}

GST_END_TEST;

GST_START_TEST (test_driver_crashes)
{
  static const gchar *const where[] = { "crash_at=query", "crash_at=init" };
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;
  gchar *json;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (where); i++) {
    make_node ("renderD128", where[i]);
    r = probe_fresh (NULL);
    d = only_device (r);
    fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_CRASHED);
    fail_unless (!gst_qsv_va_status_is_hardware (r->status));
    fail_unless (d->isolated);
    fail_unless (strstr (d->message, "crashed") != NULL, "%s", d->message);
    fail_unless (strstr (d->message, "signal 11") != NULL, "%s", d->message);
    fail_unless (strstr (d->message, "renderD128") != NULL, "%s", d->message);
    fail_unless (strstr (d->message, "LIBVA_DRIVER_NAME=fakeva") != NULL,
        "%s", d->message);
    fail_unless (strstr (d->message, "intel-media-va-driver") != NULL);
    json = gst_qsv_va_probe_result_to_json (r);
    fail_unless (strstr (json, "\"status\":\"driver-crashed\"") != NULL);
    g_free (json);
    gst_qsv_va_probe_result_free (r);
  }

  /* a crashing node does not stop the enumeration */
  make_node ("renderD128", "crash_at=query");
  make_node ("renderD129", "entrypoints=slice");
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->devices->len, 2);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  fail_unless_equals_int (r->chosen, 1);
  fail_unless_equals_int (((GstQsvVaDevice *) g_ptr_array_index (r->devices,
              0))->status, GST_QSV_VA_STATUS_DRIVER_CRASHED);
  gst_qsv_va_probe_result_free (r);

  /* when nothing works, the crash is what gets reported */
  make_node ("renderD129", "entrypoints=none");
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_CRASHED);
  fail_unless (strstr (r->message, "none of 2 render nodes") != NULL);
  gst_qsv_va_probe_result_free (r);

  /* a failure is probed afresh, never served from the cache: the driver
   * fixed, the next probe says so */
  make_node ("renderD128", "entrypoints=lp");
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_NONE);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_CRASHED);
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

GST_START_TEST (test_driver_hangs)
{
  static const gchar *const where[] = { "hang_at=query", "hang_at=init" };
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;
  guint i;

  /* the hang is endless: whatever the time-out, the outcome is the same */
  g_setenv ("QSVAUTOENC_PROBE_TIMEOUT_MS", "200", TRUE);
  for (i = 0; i < G_N_ELEMENTS (where); i++) {
    make_node ("renderD128", where[i]);
    r = probe_fresh (NULL);
    d = only_device (r);
    fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_HUNG);
    fail_unless (strstr (d->message, "did not answer within 200 ms") != NULL,
        "%s", d->message);
    fail_unless (strstr (d->message, "QSVAUTOENC_PROBE_TIMEOUT_MS") != NULL);
    fail_unless_equals_string (gst_qsv_va_status_nick (r->status),
        "driver-hung");
    gst_qsv_va_probe_result_free (r);
  }
}

GST_END_TEST;

GST_START_TEST (test_helper_misconfigured)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;
  gchar *marker, *script, *cwd;

  make_node ("renderD128", "entrypoints=slice");
  /* a helper that cannot be started: a classified failure, never a probe
   * in this process (a machine out of processes or memory is no place to
   * load a driver into the application) */
  g_setenv ("QSVAUTOENC_PROBE_HELPER", "/nonexistent/helper", TRUE);
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_PROBE_FAILED);
  fail_unless_equals_string (gst_qsv_va_status_nick (r->status),
      "probe-failed");
  fail_unless (d->isolated);
  fail_unless (strstr (d->message, "/nonexistent/helper could not be "
          "started") != NULL, "%s", d->message);
  fail_unless (strstr (d->message, "renderD128 was not probed") != NULL,
      "%s", d->message);
  gst_qsv_va_probe_result_free (r);

  /* one that is not ours: exits 0 without an answer */
  g_setenv ("QSVAUTOENC_PROBE_HELPER", "/bin/echo", TRUE);
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_PROBE_FAILED);
  fail_unless (d->isolated);
  fail_unless (strstr (d->message, "without a usable answer") != NULL, "%s",
      d->message);
  gst_qsv_va_probe_result_free (r);

  /* one that fails without an answer: a driver that exit()s */
  g_setenv ("QSVAUTOENC_PROBE_HELPER", "/bin/false", TRUE);
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_CRASHED);
  fail_unless (strstr (d->message, "exited with status 1") != NULL, "%s",
      d->message);
  gst_qsv_va_probe_result_free (r);

  /* a relative path would run a file of the current directory: ignored */
  marker = g_build_filename (scratch, "ran", NULL);
  script = g_build_filename (scratch, "helper.sh", NULL);
  {
    gchar *text = g_strdup_printf ("#!/bin/sh\ntouch '%s'\n", marker);
    fail_unless (g_file_set_contents (script, text, -1, NULL));
    fail_unless_equals_int (g_chmod (script, 0755), 0);
    g_free (text);
  }
  cwd = g_get_current_dir ();
  fail_unless_equals_int (g_chdir (scratch), 0);
  g_setenv ("QSVAUTOENC_PROBE_HELPER", "helper.sh", TRUE);
  r = probe_fresh (NULL);
  fail_unless_equals_int (g_chdir (cwd), 0);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  fail_unless (!g_file_test (marker, G_FILE_TEST_EXISTS));
  gst_qsv_va_probe_result_free (r);
  g_free (cwd);
  g_free (script);
  g_free (marker);
}

GST_END_TEST;

/* An application that ignores SIGCHLD (or reaps with waitpid(-1)) takes the
 * helper's exit status: a crash must still be a crash, never an in-process
 * probe of the crashing driver (which would take this process down). */
GST_START_TEST (test_application_reaps_children)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;

  fail_unless (signal (SIGCHLD, SIG_IGN) != SIG_ERR);
  make_node ("renderD128", "crash_at=query");
  r = probe_fresh (NULL);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_CRASHED);
  fail_unless (d->isolated);
  fail_unless (strstr (d->message, "collects its child processes") != NULL,
      "%s", d->message);
  gst_qsv_va_probe_result_free (r);

  /* a complete answer stands, whoever reaps */
  make_node ("renderD128", "entrypoints=lp");
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  fail_unless (only_device (r)->isolated);
  gst_qsv_va_probe_result_free (r);
  signal (SIGCHLD, SIG_DFL);
}

GST_END_TEST;

/* A helper that outlives SIGKILL (uninterruptible sleep in a GPU ioctl) must
 * not hold the caller: the wait ends at its deadline and a thread reaps the
 * process whenever it goes. Here a child that is simply never killed. */
GST_START_TEST (test_reap_is_bounded)
{
  const gchar *argv[] = { "/bin/sleep", "600", NULL };
  GError *error = NULL;
  GPid pid;
  gint status = 0;

  fail_unless (g_spawn_async (NULL, (gchar **) argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error), "%s",
      error ? error->message : "");
  fail_unless_equals_int (gst_qsv_va_probe_reap (pid,
          g_get_monotonic_time (), &status), GST_QSV_VA_STILL_RUNNING);
  /* the reaper thread owns it now: once it ends, it is reaped (no zombie) */
  fail_unless_equals_int (kill (pid, SIGKILL), 0);
  while (kill (pid, 0) == 0)
    g_usleep (1000);
  fail_unless_equals_int (errno, ESRCH);

  /* and an ended child is reaped here, with its status */
  argv[0] = "/bin/false";
  argv[1] = NULL;
  fail_unless (g_spawn_async (NULL, (gchar **) argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL));
  fail_unless_equals_int (gst_qsv_va_probe_reap (pid, G_MAXINT64, &status),
      GST_QSV_VA_REAPED);
  fail_unless (WIFEXITED (status) && WEXITSTATUS (status) == 1);
}

GST_END_TEST;

/* Every process that loads the plugin probes; a hung node costs the
 * time-out once per GST_QSV_VA_HUNG_RETRY_S on the machine, not once per
 * process: other processes read it from the runtime directory. */
GST_START_TEST (test_hang_shared_across_processes)
{
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;
  gchar *file = g_build_filename (scratch, "qsvautoenc-hung-nodes", NULL);
  gchar *node = g_build_filename (scratch, "dri", "renderD128", NULL);
  gchar *text = NULL;

  g_setenv ("QSVAUTOENC_PROBE_TIMEOUT_MS", "200", TRUE);
  make_node ("renderD128", "hang_at=query");
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_NONE);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_HUNG);
  gst_qsv_va_probe_result_free (r);
  fail_unless (g_file_get_contents (file, &text, NULL, NULL));
  fail_unless (strstr (text, node) != NULL, "%s", text);
  g_free (text);

  /* "another process": nothing in this one's memory; the node answers now,
   * but is not asked */
  gst_qsv_va_probe_clear_cache ();
  make_node ("renderD128", "entrypoints=lp");
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_RETRY_FAILURES);
  d = only_device (r);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_HUNG);
  fail_unless (strstr (d->message, "remembered in") != NULL, "%s",
      d->message);
  fail_unless (strstr (d->message, "--fresh") != NULL, "%s", d->message);
  gst_qsv_va_probe_result_free (r);

  /* a fresh probe sees it work, and the others learn it (with the default
   * time-out: a healthy helper under valgrind on a loaded machine may take
   * longer than the 200 ms that made the hang quick) */
  g_unsetenv ("QSVAUTOENC_PROBE_TIMEOUT_MS");
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);
  fail_unless (g_file_get_contents (file, &text, NULL, NULL));
  fail_unless (strstr (text, node) == NULL, "%s", text);
  g_free (text);
  gst_qsv_va_probe_clear_cache ();
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_RETRY_FAILURES);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);

  /* entries older than GST_QSV_VA_HUNG_RETRY_S, or from the future (a clock
   * set back), do not count */
  text = g_strdup_printf ("%" G_GINT64_FORMAT " %s\n%" G_GINT64_FORMAT
      " %s\n", g_get_real_time () - (GST_QSV_VA_HUNG_RETRY_S + 1) *
      G_USEC_PER_SEC, node, g_get_real_time () + (gint64) 3600 * G_USEC_PER_SEC, node);
  fail_unless (g_file_set_contents (file, text, -1, NULL));
  g_free (text);
  gst_qsv_va_probe_clear_cache ();
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_NONE);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);
  g_free (node);
  g_free (file);
}

GST_END_TEST;

/* device= names any file; only a DRM character device (major 226) is
 * opened: opening /dev/watchdog would start its count-down. */
GST_START_TEST (test_only_drm_devices_opened)
{
  static const gchar *const not_drm[] = { "/dev/null", "/dev/zero", "/" };
  GstQsvVaProbeResult *r;
  const GstQsvVaDevice *d;
  guint i;

  /* were they opened, the injected errno would show */
  g_setenv ("FAKEDRM_OPEN_ERRNO", "null=EIO,zero=EIO", TRUE);
  for (i = 0; i < G_N_ELEMENTS (not_drm); i++) {
    r = probe_fresh (not_drm[i]);
    d = only_device (r);
    fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_NOT_DRM_DEVICE);
    fail_unless_equals_int (d->os_errno, 0);
    fail_unless (strstr (d->message, "not a DRM render node") != NULL);
    fail_unless (strstr (d->message, "was not opened") != NULL, "%s",
        d->message);
    gst_qsv_va_probe_result_free (r);
  }
  r = probe_fresh ("/dev/null");
  fail_unless (strstr (r->message, "character device 1:3") != NULL, "%s",
      r->message);
  gst_qsv_va_probe_result_free (r);

  /* through $QSVAUTOENC_DEVICE too */
  g_setenv ("QSVAUTOENC_DEVICE", "/dev/zero", TRUE);
  r = probe_fresh (NULL);
  fail_unless (r->explicit_device);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_NOT_DRM_DEVICE);
  gst_qsv_va_probe_result_free (r);
  g_unsetenv ("QSVAUTOENC_DEVICE");
  /* (the helper's stdin is /dev/null) */
  g_unsetenv ("FAKEDRM_OPEN_ERRNO");

  /* a render node that is really there passes the check (the test nodes
   * read as 226:N through the shim) */
  make_node ("renderD128", "entrypoints=lp");
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

GST_START_TEST (test_retry_failures)
{
  GstQsvVaProbeResult *r;

  /* a cached failure is probed again: the permission was fixed */
  make_node ("renderD128", "entrypoints=slice");
  g_setenv ("FAKEDRM_OPEN_ERRNO", "renderD128=EACCES", TRUE);
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_RETRY_FAILURES);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_PERMISSION_DENIED);
  gst_qsv_va_probe_result_free (r);
  g_unsetenv ("FAKEDRM_OPEN_ERRNO");
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_RETRY_FAILURES);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);

  /* a cached success stands, whatever the node does now */
  make_node ("renderD128", "crash_at=query");
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_RETRY_FAILURES);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);

  /* a crash is probed again (it costs milliseconds) ... */
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_CRASHED);
  gst_qsv_va_probe_result_free (r);
  make_node ("renderD128", "entrypoints=lp");
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_RETRY_FAILURES);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);

  /* ... a hang, which costs the whole time-out, is not, for a while */
  g_setenv ("QSVAUTOENC_PROBE_TIMEOUT_MS", "200", TRUE);
  make_node ("renderD128", "hang_at=query");
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_HUNG);
  gst_qsv_va_probe_result_free (r);
  make_node ("renderD128", "entrypoints=lp");
  r = gst_qsv_va_probe (NULL, GST_QSV_VA_PROBE_FLAG_RETRY_FAILURES);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_DRIVER_HUNG);
  gst_qsv_va_probe_result_free (r);
  /* asked for afresh, it is seen (default time-out, as above) */
  g_unsetenv ("QSVAUTOENC_PROBE_TIMEOUT_MS");
  r = probe_fresh (NULL);
  fail_unless_equals_int (r->status, GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);
}

GST_END_TEST;

GST_START_TEST (test_answer_round_trip)
{
  GstQsvVaDevice dev = { 0 }, *back;
  gchar *text;

  dev.path = (gchar *) "/dev/dri/renderD128";
  dev.status = GST_QSV_VA_STATUS_OK;
  dev.message = (gchar *) "line one\nline two; with = signs [and] #hash";
  dev.vendor = (gchar *) "Intel iHD driver - 23.1.1";
  dev.kernel_driver = (gchar *) "xe";
  dev.va_major = 1;
  dev.va_minor = 17;
  dev.video_proc = TRUE;
  dev.probe_time_us = 1234;
  dev.h264[GST_QSV_VA_H264_MAIN][GST_QSV_VA_ENC_SLICE_LP].present = TRUE;
  dev.h264[GST_QSV_VA_H264_MAIN][GST_QSV_VA_ENC_SLICE_LP].rate_control =
      GST_QSV_VA_RC_CQP | GST_QSV_VA_RC_ICQ;
  dev.h264[GST_QSV_VA_H264_MAIN][GST_QSV_VA_ENC_SLICE_LP].max_width = 4096;
  dev.h264[GST_QSV_VA_H264_MAIN][GST_QSV_VA_ENC_SLICE_LP].max_height = 2304;
  dev.h265[GST_QSV_VA_H265_MAIN10][GST_QSV_VA_ENC_SLICE].present = TRUE;
  dev.h265[GST_QSV_VA_H265_MAIN10][GST_QSV_VA_ENC_SLICE].rate_control =
      GST_QSV_VA_RC_CBR | GST_QSV_VA_RC_VBR;
  dev.h265[GST_QSV_VA_H265_MAIN10][GST_QSV_VA_ENC_SLICE].max_width = 8192;
  dev.h265[GST_QSV_VA_H265_MAIN10][GST_QSV_VA_ENC_SLICE].max_height = 4320;
  text = gst_qsv_va_device_serialize (&dev);
  fail_unless (strstr (text, "[h265]\nEncSlice.main10=6;8192;4320;\n") !=
      NULL, "%s", text);
  back = gst_qsv_va_device_deserialize (text, -1, NULL);
  fail_unless (back != NULL, "%s", text);
  fail_unless_equals_string (back->message, dev.message);
  fail_unless_equals_string (back->vendor, dev.vendor);
  fail_unless_equals_string (back->kernel_driver, "xe");
  fail_unless (back->va_driver == NULL);
  fail_unless (back->libva_error == NULL);
  fail_unless_equals_int (back->va_minor, 17);
  fail_unless (back->video_proc);
  fail_unless (back->h264[GST_QSV_VA_H264_MAIN][GST_QSV_VA_ENC_SLICE_LP].
      present);
  fail_unless (!back->h264[GST_QSV_VA_H264_MAIN][GST_QSV_VA_ENC_SLICE].
      present);
  fail_unless_equals_int (back->h264[GST_QSV_VA_H264_MAIN]
      [GST_QSV_VA_ENC_SLICE_LP].rate_control,
      GST_QSV_VA_RC_CQP | GST_QSV_VA_RC_ICQ);
  fail_unless_equals_int (back->h264[GST_QSV_VA_H264_MAIN]
      [GST_QSV_VA_ENC_SLICE_LP].max_height, 2304);
  fail_unless (memcmp (back->h265, dev.h265, sizeof (dev.h265)) == 0);
  gst_qsv_va_device_free (back);

  /* cut short anywhere before its last line ends (a crash mid-write):
   * never accepted */
  {
    gsize len = strlen (text) - 1, cut;
    guint rejected = 0;

    for (cut = 0; cut < len; cut++) {
      GError *err = NULL;

      back = gst_qsv_va_device_deserialize (text, cut, &err);
      fail_unless (back == NULL, "accepted %" G_GSIZE_FORMAT " of %"
          G_GSIZE_FORMAT " bytes", cut, len);
      fail_unless (err != NULL);
      g_clear_error (&err);
      rejected++;
    }
    fail_unless_equals_int (rejected, len);
  }
  g_free (text);
}

GST_END_TEST;

GST_START_TEST (test_answer_malformed)
{
  static const gchar *const bad[] = {
    "",
    "garbage",
    "[end]\ncomplete=true\n",
    "[device]\nstatus=ok\nmessage=m\n",
    "[device]\nstatus=turbo\nmessage=m\nerrno=0\nva_major=1\nva_minor=1\n"
        "video_proc=false\nprobe_time_us=1\n[end]\ncomplete=true\n",
    "[device]\nstatus=ok\nerrno=0\nva_major=1\nva_minor=1\n"
        "video_proc=false\nprobe_time_us=1\n[end]\ncomplete=true\n",
    "[device]\nstatus=ok\nmessage=m\nerrno=-4\nva_major=1\nva_minor=1\n"
        "video_proc=false\nprobe_time_us=1\n[end]\ncomplete=true\n",
    "[device]\nstatus=ok\nmessage=m\nerrno=0\nva_major=x\nva_minor=1\n"
        "video_proc=false\nprobe_time_us=1\n[end]\ncomplete=true\n",
    "[device]\nstatus=ok\nmessage=m\nerrno=0\nva_major=1\nva_minor=1\n"
        "video_proc=maybe\nprobe_time_us=1\n[end]\ncomplete=true\n",
    "[device]\nstatus=ok\nmessage=m\nerrno=0\nva_major=1\nva_minor=1\n"
        "video_proc=false\nprobe_time_us=1\n[h264]\nEncSlice.high=2;3\n"
        "[end]\ncomplete=true\n",
    "[device]\nstatus=ok\nmessage=m\nerrno=0\nva_major=1\nva_minor=1\n"
        "video_proc=false\nprobe_time_us=1\n[h264]\nEncSlice.high=2;-3;4\n"
        "[end]\ncomplete=true\n",
    "[device]\nstatus=ok\nmessage=m\nerrno=0\nva_major=1\nva_minor=1\n"
        "video_proc=false\nprobe_time_us=1\n[h264]\nEncFoo.high=2;3;4\n"
        "[end]\ncomplete=true\n",
    "[device]\nstatus=ok\nmessage=m\nerrno=0\nva_major=1\nva_minor=1\n"
        "video_proc=false\nprobe_time_us=1\n[end]\ncomplete=false\n",
    "[device]\nstatus=ok\nmessage=m\nerrno=0\nva_major=1\nva_minor=1\n"
        "video_proc=false\nprobe_time_us=1\n[h264]\nEncSlice.high=\n"
        "[end]\ncomplete=true\n",
    /* H.265: an H.264-only profile, a short entry */
    "[device]\nstatus=ok\nmessage=m\nerrno=0\nva_major=1\nva_minor=1\n"
        "video_proc=false\nprobe_time_us=1\n[h265]\nEncSlice.high=2;3;4\n"
        "[end]\ncomplete=true\n",
    "[device]\nstatus=ok\nmessage=m\nerrno=0\nva_major=1\nva_minor=1\n"
        "video_proc=false\nprobe_time_us=1\n[h265]\nEncSliceLP.main10=2;3\n"
        "[end]\ncomplete=true\n",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    GError *err = NULL;
    GstQsvVaDevice *d = gst_qsv_va_device_deserialize (bad[i], -1, &err);

    fail_unless (d == NULL, "accepted answer %u", i);
    fail_unless (err != NULL);
    g_clear_error (&err);
  }
}

GST_END_TEST;

/* Failures are GErrors of GST_QSV_VA_PROBE_ERROR whose code is the status
 * the device record takes (gstqsvvaprobe-device.c) */
GST_START_TEST (test_error_domain)
{
  GstQsvVaDevice *dev;
  GError *err = NULL;
  gint os_errno = -1;

  fail_if (gst_qsv_va_check_drm_node ("/dev/null", &os_errno, &err));
  fail_unless (g_error_matches (err, GST_QSV_VA_PROBE_ERROR,
          GST_QSV_VA_STATUS_NOT_DRM_DEVICE), "%s", err->message);
  fail_unless_equals_int (os_errno, 0);
  fail_unless (strstr (err->message, "character device 1:3") != NULL,
      "%s", err->message);
  g_clear_error (&err);

  fail_if (gst_qsv_va_check_drm_node ("/nonexistent/renderD128", &os_errno,
          &err));
  fail_unless (g_error_matches (err, GST_QSV_VA_PROBE_ERROR,
          GST_QSV_VA_STATUS_NO_DEVICE), "%s", err->message);
  fail_unless_equals_int (os_errno, ENOENT);

  dev = gst_qsv_va_device_new ("/nonexistent/renderD128");
  gst_qsv_va_device_take_error (dev, err);
  fail_unless_equals_int (dev->status, GST_QSV_VA_STATUS_NO_DEVICE);
  fail_unless (g_str_has_prefix (dev->message, "no VA render node: "
          "/nonexistent/renderD128 does not exist"), "%s", dev->message);
  fail_unless_equals_string (dev->path, "/nonexistent/renderD128");

  /* another domain is a failure of the probe itself */
  gst_qsv_va_device_take_error (dev, g_error_new_literal (G_FILE_ERROR,
          G_FILE_ERROR_NOENT, "gone"));
  fail_unless_equals_int (dev->status, GST_QSV_VA_STATUS_PROBE_FAILED);
  fail_unless_equals_string (dev->message, "gone");
  gst_qsv_va_device_free (dev);
}

GST_END_TEST;

static Suite *
vaprobe_suite (void)
{
  Suite *s = suite_create ("vaprobe");
  TCase *tc = tcase_create ("general");

  helper = g_strdup (g_getenv ("QSVAUTOENC_PROBE_HELPER"));
  suite_add_tcase (s, tc);
  tcase_add_checked_fixture (tc, setup, teardown);
  tcase_add_test (tc, test_no_dri_dir);
  tcase_add_test (tc, test_empty_dri_dir);
  tcase_add_test (tc, test_driver_init_fails);
  tcase_add_test (tc, test_no_h264_encode);
  tcase_add_test (tc, test_entrypoints);
  tcase_add_test (tc, test_rate_control_sets);
  tcase_add_test (tc, test_profiles);
  tcase_add_test (tc, test_several_nodes_first_usable_wins);
  tcase_add_test (tc, test_several_nodes_none_usable);
  tcase_add_test (tc, test_explicit_device_wins);
  tcase_add_test (tc, test_vendor_strings);
  tcase_add_test (tc, test_errno_classification);
  tcase_add_test (tc, test_open_errors);
  tcase_add_test (tc, test_explicit_missing_device);
  tcase_add_test (tc, test_not_a_drm_node);
  tcase_add_test (tc, test_no_driver);
  tcase_add_test (tc, test_cache);
  tcase_add_test (tc, test_result_copy);
  tcase_add_test (tc, test_rate_control_strings);
  tcase_add_test (tc, test_isolated_probe);
  tcase_add_test (tc, test_driver_crashes);
  tcase_add_test (tc, test_driver_hangs);
  tcase_add_test (tc, test_helper_misconfigured);
  tcase_add_test (tc, test_application_reaps_children);
  tcase_add_test (tc, test_reap_is_bounded);
  tcase_add_test (tc, test_hang_shared_across_processes);
  tcase_add_test (tc, test_only_drm_devices_opened);
  tcase_add_test (tc, test_retry_failures);
  tcase_add_test (tc, test_answer_round_trip);
  tcase_add_test (tc, test_hevc_isolated);
  tcase_add_test (tc, test_hevc_in_process);
  tcase_add_test (tc, test_codec_names);
  tcase_add_test (tc, test_answer_malformed);
  tcase_add_test (tc, test_error_domain);
  return s;
}

GST_CHECK_MAIN (vaprobe);
