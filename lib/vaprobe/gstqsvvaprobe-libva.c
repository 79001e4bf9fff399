/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Probing one render node through libva. The only file that calls libva. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvvaprobe.h"
#include "gstqsvvaprobe-priv.h"

#include <gst/gst.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <va/va.h>
#include <va/va_drm.h>
#include <va/va_str.h>
#include <xf86drm.h>

#define GST_CAT_DEFAULT gst_qsv_va_probe_debug

#define DRIVER_SUFFIX "_drv_video.so"

/* What libva says while it loads the driver: kept to classify a failed
 * vaInitialize() (no driver file vs a driver that failed) and to name it. */
typedef struct
{
  const gchar *path;
  gchar *last_error;
  GPtrArray *tried;             /* driver paths libva tried to open */
} ProbeMessages;

/* The VA profiles probed, by codec and the codec's profile index */
static const struct
{
  VAProfile va;
  GstQsvVaCodec codec;
  guint profile;
} va_profiles[] = {
  {VAProfileH264ConstrainedBaseline, GST_QSV_VA_CODEC_H264,
      GST_QSV_VA_H264_CONSTRAINED_BASELINE},
  {VAProfileH264Main, GST_QSV_VA_CODEC_H264, GST_QSV_VA_H264_MAIN},
  {VAProfileH264High, GST_QSV_VA_CODEC_H264, GST_QSV_VA_H264_HIGH},
  {VAProfileHEVCMain, GST_QSV_VA_CODEC_H265, GST_QSV_VA_H265_MAIN},
  {VAProfileHEVCMain10, GST_QSV_VA_CODEC_H265, GST_QSV_VA_H265_MAIN10},
};

static const VAEntrypoint va_entrypoints[GST_QSV_VA_N_ENTRYPOINTS] = {
  [GST_QSV_VA_ENC_SLICE] = VAEntrypointEncSlice,
  [GST_QSV_VA_ENC_SLICE_LP] = VAEntrypointEncSliceLP,
};

gboolean
gst_qsv_va_probe_is_built (void)
{
  return TRUE;
}

static gchar *
strip_message (const char *message)
{
  return g_strchomp (g_strdup (message));
}

/* libva prints to stderr unless told otherwise: route it to GST_DEBUG. */
static void
on_va_error (void *user_data, const char *message)
{
  ProbeMessages *msgs = user_data;

  g_free (msgs->last_error);
  msgs->last_error = strip_message (message);
  GST_WARNING ("libva error on %s: %s", msgs->path, msgs->last_error);
}

static void
on_va_info (void *user_data, const char *message)
{
  ProbeMessages *msgs = user_data;
  gchar *text = strip_message (message);

  GST_DEBUG ("libva on %s: %s", msgs->path, text);
  if (g_str_has_prefix (text, "Trying to open "))
    g_ptr_array_add (msgs->tried, g_strdup (text + strlen ("Trying to open ")));
  g_free (text);
}

static gchar *
driver_name_from_path (const gchar * path)
{
  gchar *base = g_path_get_basename (path);

  if (g_str_has_suffix (base, DRIVER_SUFFIX))
    base[strlen (base) - strlen (DRIVER_SUFFIX)] = '\0';
  return base;
}

static gchar *
kernel_driver_name (int fd)
{
  drmVersionPtr version = drmGetVersion (fd);
  gchar *name = NULL;

  if (version) {
    name = g_strndup (version->name, version->name_len);
    drmFreeVersion (version);
  }
  return name;
}

static gboolean
any_file_exists (GPtrArray * paths)
{
  guint i;

  for (i = 0; i < paths->len; i++) {
    if (g_file_test (g_ptr_array_index (paths, i), G_FILE_TEST_EXISTS))
      return TRUE;
  }
  return FALSE;
}

/* A failed vaInitialize(): which driver libva tried (kept in @dev), and
 * why it failed in @error. */
static void
set_init_failure (GstQsvVaDevice * dev, VAStatus status, ProbeMessages * msgs,
    GError ** error)
{
  const gchar *kdrv = dev->kernel_driver ? dev->kernel_driver : "unknown";

  dev->libva_error = g_strdup (msgs->last_error);
  if (msgs->tried->len > 0)
    dev->va_driver = driver_name_from_path (g_ptr_array_index (msgs->tried,
            msgs->tried->len - 1));
  else
    dev->va_driver = g_strdup (g_getenv ("LIBVA_DRIVER_NAME"));

  if (msgs->tried->len == 0 || !any_file_exists (msgs->tried)) {
    if (g_strcmp0 (kdrv, "xe") == 0)
      g_set_error (error, GST_QSV_VA_PROBE_ERROR,
          GST_QSV_VA_STATUS_NO_DRIVER, "no VA driver for %s: libva %s has no "
          "driver for the 'xe' kernel driver; set LIBVA_DRIVER_NAME=iHD and "
          "install intel-media-va-driver-non-free", dev->path,
          QSV_LIBVA_VERSION);
    else
      g_set_error (error, GST_QSV_VA_PROBE_ERROR,
          GST_QSV_VA_STATUS_NO_DRIVER, "no VA driver for %s (kernel driver "
          "'%s'%s%s%s): install intel-media-va-driver-non-free (Intel Gen8 "
          "and newer) or i965-va-driver (older Intel), or set "
          "LIBVA_DRIVER_NAME / LIBVA_DRIVERS_PATH", dev->path, kdrv,
          dev->va_driver ? ", looked for VA driver '" : "",
          dev->va_driver ? dev->va_driver : "", dev->va_driver ? "'" : "");
  } else {
    g_set_error (error, GST_QSV_VA_PROBE_ERROR,
        GST_QSV_VA_STATUS_DRIVER_INIT_FAILED, "VA driver '%s' failed to "
        "initialise on %s (%s%s%s). Check the kernel driver and GPU firmware "
        "(GuC/HuC) on the host, and that the driver package matches this "
        "GPU; GST_DEBUG=qsvvaprobe:5 shows libva's messages",
        dev->va_driver ? dev->va_driver : "?", dev->path, vaErrorStr (status),
        dev->libva_error ? ": " : "", dev->libva_error ? dev->libva_error : "");
  }
}

static void
query_entrypoint (VADisplay dpy, VAProfile profile, VAEntrypoint entrypoint,
    GstQsvVaEntrypointCaps * caps)
{
  VAConfigAttrib attribs[] = {
    {.type = VAConfigAttribRateControl},
    {.type = VAConfigAttribMaxPictureWidth},
    {.type = VAConfigAttribMaxPictureHeight},
  };
  VAStatus status;

  caps->present = TRUE;
  status = vaGetConfigAttributes (dpy, profile, entrypoint, attribs,
      G_N_ELEMENTS (attribs));
  if (status != VA_STATUS_SUCCESS) {
    GST_WARNING ("vaGetConfigAttributes: %s", vaErrorStr (status));
    return;
  }
  if (attribs[0].value != VA_ATTRIB_NOT_SUPPORTED)
    caps->rate_control = attribs[0].value;
  if (attribs[1].value != VA_ATTRIB_NOT_SUPPORTED)
    caps->max_width = attribs[1].value;
  if (attribs[2].value != VA_ATTRIB_NOT_SUPPORTED)
    caps->max_height = attribs[2].value;
}

/* @caps: the codec's caps of this profile, [entrypoint] */
static void
query_profile (VADisplay dpy, VAProfile profile, GstQsvVaEntrypointCaps * caps)
{
  gint n = 0, i, e, max = vaMaxNumEntrypoints (dpy);
  VAEntrypoint *entrypoints = g_new0 (VAEntrypoint, MAX (max, 1));
  VAStatus status;

  status = vaQueryConfigEntrypoints (dpy, profile, entrypoints, &n);
  if (status != VA_STATUS_SUCCESS) {
    GST_WARNING ("vaQueryConfigEntrypoints (%s): %s", vaProfileStr (profile),
        vaErrorStr (status));
    n = 0;
  }
  for (i = 0; i < MIN (n, max); i++) {
    for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++) {
      if (entrypoints[i] == va_entrypoints[e])
        query_entrypoint (dpy, profile, entrypoints[i], &caps[e]);
    }
  }
  g_free (entrypoints);
}

/* VideoProc on VAProfileNone: what vapostproc needs to exist */
static gboolean
has_video_proc (VADisplay dpy)
{
  gint n = 0, i, max = vaMaxNumEntrypoints (dpy);
  VAEntrypoint *entrypoints = g_new0 (VAEntrypoint, MAX (max, 1));
  gboolean found = FALSE;

  if (vaQueryConfigEntrypoints (dpy, VAProfileNone, entrypoints, &n) ==
      VA_STATUS_SUCCESS) {
    for (i = 0; i < MIN (n, max); i++)
      found |= entrypoints[i] == VAEntrypointVideoProc;
  }
  g_free (entrypoints);
  return found;
}

/* Fills the H.264 and H.265 capabilities of @dev; TRUE if it encodes
 * H.264 */
static gboolean
query_encode (GstQsvVaDevice * dev, VADisplay dpy)
{
  gint n = 0, i, j, max = vaMaxNumProfiles (dpy);
  VAProfile *profiles = g_new0 (VAProfile, MAX (max, 1));
  gboolean any = FALSE;
  VAStatus status;

  status = vaQueryConfigProfiles (dpy, profiles, &n);
  if (status != VA_STATUS_SUCCESS) {
    GST_WARNING ("vaQueryConfigProfiles: %s", vaErrorStr (status));
    n = 0;
  }
  for (i = 0; i < MIN (n, max); i++) {
    for (j = 0; j < (gint) G_N_ELEMENTS (va_profiles); j++) {
      if (profiles[i] == va_profiles[j].va)
        query_profile (dpy, profiles[i], (GstQsvVaEntrypointCaps *)
            gst_qsv_va_device_codec_caps (dev, va_profiles[j].codec,
                va_profiles[j].profile, 0));
    }
    if (profiles[i] == VAProfileNone)
      dev->video_proc = has_video_proc (dpy);
  }
  g_free (profiles);

  any = gst_qsv_va_device_has_codec (dev, GST_QSV_VA_CODEC_H264);
  return any;
}

static gchar *
describe_encode (const GstQsvVaDevice * dev, GstQsvVaCodec codec)
{
  GString *s = g_string_new (NULL);
  guint e;

  for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++) {
    gchar *rc;

    if (!gst_qsv_va_device_has_codec_entrypoint (dev, codec, e))
      continue;
    rc = gst_qsv_va_rate_control_to_string
        (gst_qsv_va_device_codec_rate_control (dev, codec, e));
    g_string_append_printf (s, "%s%s (%s)", s->len ? ", " : "",
        gst_qsv_va_entrypoint_name (e), rc);
    g_free (rc);
  }
  return g_string_free (s, FALSE);
}

/* What the driver of @dpy offers, into @dev; FALSE with @error if it
 * cannot encode H.264. */
static gboolean
probe_display (GstQsvVaDevice * dev, VADisplay dpy, ProbeMessages * msgs,
    GError ** error)
{
  VAStatus status;
  gboolean ok = FALSE;
  gchar *encode, *hevc = NULL;

  vaSetErrorCallback (dpy, on_va_error, msgs);
  vaSetInfoCallback (dpy, on_va_info, msgs);

  status = vaInitialize (dpy, &dev->va_major, &dev->va_minor);
  if (status != VA_STATUS_SUCCESS) {
    dev->va_major = dev->va_minor = 0;
    set_init_failure (dev, status, msgs, error);
    goto out;
  }
  if (msgs->tried->len > 0)
    dev->va_driver = driver_name_from_path (g_ptr_array_index (msgs->tried,
            msgs->tried->len - 1));
  dev->vendor = g_strdup (vaQueryVendorString (dpy));

  if (!query_encode (dev, dpy)) {
    if (gst_qsv_va_device_has_codec (dev, GST_QSV_VA_CODEC_H265)) {
      encode = describe_encode (dev, GST_QSV_VA_CODEC_H265);
      hevc = g_strdup_printf (" It encodes H.265 only: %s.", encode);
      g_free (encode);
    }
    g_set_error (error, GST_QSV_VA_PROBE_ERROR,
        GST_QSV_VA_STATUS_NO_H264_ENCODE, "%s (VA driver '%s', %s) has no "
        "H.264 encode entrypoint (EncSlice or EncSliceLP).%s Intel GPUs need "
        "the iHD driver; Debian's free intel-media-va-driver lacks some "
        "encoders: install intel-media-va-driver-non-free", dev->path,
        dev->va_driver ? dev->va_driver : "?",
        dev->vendor ? dev->vendor : "unknown vendor", hevc ? hevc : "");
    g_free (hevc);
    goto out;
  }
  encode = describe_encode (dev, GST_QSV_VA_CODEC_H264);
  dev->status = GST_QSV_VA_STATUS_OK;
  dev->message = g_strdup_printf ("H.264 hardware encode on %s: %s "
      "(VA driver '%s', %s)", dev->path, encode,
      dev->va_driver ? dev->va_driver : "?", dev->vendor);
  g_free (encode);
  ok = TRUE;

out:
  vaTerminate (dpy);
  return ok;
}

GstQsvVaDevice *
gst_qsv_va_probe_device_uncached (const gchar * path)
{
  GstQsvVaDevice *dev;
  ProbeMessages msgs = { path, NULL, g_ptr_array_new_with_free_func (g_free) };
  gint64 start = g_get_monotonic_time ();
  GError *error = NULL;
  VADisplay dpy;
  int fd = -1;

  gst_qsv_va_probe_init_debug ();
  dev = gst_qsv_va_device_new (path);

  /* opening a device can have side effects (a watchdog starts counting):
   * only DRM nodes are opened */
  if (!gst_qsv_va_check_drm_node (path, &dev->os_errno, &error))
    goto out;
  fd = open (path, O_RDWR | O_CLOEXEC);
  if (fd < 0) {
    dev->os_errno = errno;
    gst_qsv_va_set_open_error (&error, path, dev->os_errno);
    goto out;
  }

  dev->kernel_driver = kernel_driver_name (fd);
  dpy = vaGetDisplayDRM (fd);
  if (!dpy) {
    g_set_error (&error, GST_QSV_VA_PROBE_ERROR,
        GST_QSV_VA_STATUS_NOT_DRM_DEVICE, "%s is not a DRM render node "
        "(libva refused it): point device= at /dev/dri/renderD128 or "
        "similar", path);
    goto out;
  }
  probe_display (dev, dpy, &msgs, &error);

out:
  if (fd >= 0)
    close (fd);
  if (error)
    gst_qsv_va_device_take_error (dev, error);
  GST_INFO ("%s", dev->message);
  dev->probe_time_us = g_get_monotonic_time () - start;
  g_free (msgs.last_error);
  g_ptr_array_unref (msgs.tried);
  return dev;
}
