/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The device record (GstQsvVaDevice): its fields as a table, the nicks of
 * its enums, the probe's error domain and debug category. Calls nothing
 * else of the probe (gstqsvvaprobe-priv.h draws who calls whom). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvvaprobe.h"
#include "gstqsvvaprobe-priv.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* Linux's DRM character devices (include/uapi/drm/drm.h: DRM_MAJOR) */
#define DRM_MAJOR 226

GST_DEBUG_CATEGORY (gst_qsv_va_probe_debug);

void
gst_qsv_va_probe_init_debug (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (gst_qsv_va_probe_debug, "qsvvaprobe", 0,
        "qsvautoenc VA-API probe");
    g_once_init_leave (&once, 1);
  }
}

G_DEFINE_QUARK (gst-qsv-va-probe-error-quark, gst_qsv_va_probe_error);

#define FIELD(name, type, member, flags) \
  {name, GST_QSV_VA_FIELD_ ## type, offsetof (GstQsvVaDevice, member), flags, 0, 0}
#define INT_FIELD(name, member, flags, min, max) \
  {name, GST_QSV_VA_FIELD_INT, offsetof (GstQsvVaDevice, member), flags, min, max}
#define WIRE GST_QSV_VA_FIELD_WIRE
#define REQUIRED (GST_QSV_VA_FIELD_WIRE | GST_QSV_VA_FIELD_REQUIRED)
#define JSON GST_QSV_VA_FIELD_JSON

/* In the order of the JSON (README.md, "qsvautoenc-probe --json"). */
const GstQsvVaDeviceField gst_qsv_va_device_fields[] = {
  FIELD ("path", STRING, path, WIRE | JSON),
  FIELD ("status", STATUS, status, REQUIRED | JSON),
  INT_FIELD ("errno", os_errno, REQUIRED | JSON, 0, 4095),
  FIELD ("message", STRING, message, REQUIRED | JSON),
  FIELD ("libva_error", STRING, libva_error, WIRE | JSON),
  FIELD ("kernel_driver", STRING, kernel_driver, WIRE | JSON),
  FIELD ("va_driver", STRING, va_driver, WIRE | JSON),
  FIELD ("vendor", STRING, vendor, WIRE | JSON),
  INT_FIELD ("va_major", va_major, REQUIRED, 0, 255),
  INT_FIELD ("va_minor", va_minor, REQUIRED, 0, 255),
  FIELD ("va_api_version", VERSION, va_major, JSON),
  FIELD ("probe_time_us", INT64, probe_time_us, REQUIRED | JSON),
  FIELD ("video_proc", BOOLEAN, video_proc, REQUIRED | JSON),
  /* set by the parent, never by the helper */
  FIELD ("isolated", BOOLEAN, isolated, JSON),
};

/* GST_QSV_VA_FIELD_VERSION reads the minor right after the major */
G_STATIC_ASSERT (offsetof (GstQsvVaDevice, va_minor) ==
    offsetof (GstQsvVaDevice, va_major) + sizeof (gint));

const guint gst_qsv_va_device_n_fields = G_N_ELEMENTS (gst_qsv_va_device_fields);

static const gchar *const status_nicks[] = {
  [GST_QSV_VA_STATUS_OK] = "ok",
  [GST_QSV_VA_STATUS_NOT_BUILT] = "not-built",
  [GST_QSV_VA_STATUS_NO_DEVICE] = "no-device",
  [GST_QSV_VA_STATUS_PERMISSION_DENIED] = "permission-denied",
  [GST_QSV_VA_STATUS_DEVICE_UNAVAILABLE] = "device-unavailable",
  [GST_QSV_VA_STATUS_NOT_DRM_DEVICE] = "not-drm-device",
  [GST_QSV_VA_STATUS_NO_DRIVER] = "no-driver",
  [GST_QSV_VA_STATUS_DRIVER_INIT_FAILED] = "driver-init-failed",
  [GST_QSV_VA_STATUS_NO_H264_ENCODE] = "no-h264-encode",
  [GST_QSV_VA_STATUS_OPEN_FAILED] = "open-failed",
  [GST_QSV_VA_STATUS_DRIVER_CRASHED] = "driver-crashed",
  [GST_QSV_VA_STATUS_DRIVER_HUNG] = "driver-hung",
  [GST_QSV_VA_STATUS_PROBE_FAILED] = "probe-failed",
};

const gchar *
gst_qsv_va_status_nick (GstQsvVaStatus status)
{
  if ((guint) status >= G_N_ELEMENTS (status_nicks))
    return "unknown";
  return status_nicks[status];
}

gboolean
gst_qsv_va_status_from_nick (const gchar * nick, GstQsvVaStatus * status)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (status_nicks); i++) {
    if (g_strcmp0 (nick, status_nicks[i]) == 0) {
      *status = (GstQsvVaStatus) i;
      return TRUE;
    }
  }
  return FALSE;
}

gboolean
gst_qsv_va_status_is_hardware (GstQsvVaStatus status)
{
  return status == GST_QSV_VA_STATUS_OK;
}

GstQsvVaStatus
gst_qsv_va_status_from_errno (gint err)
{
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return GST_QSV_VA_STATUS_NO_DEVICE;
    case EACCES:
    case EPERM:
    case EROFS:
      return GST_QSV_VA_STATUS_PERMISSION_DENIED;
    case ENXIO:
    case ENODEV:
      return GST_QSV_VA_STATUS_DEVICE_UNAVAILABLE;
    default:
      return GST_QSV_VA_STATUS_OPEN_FAILED;
  }
}

static const gchar *const h264_profile_nicks[] = {
  "constrained-baseline", "main", "high"
};

static const gchar *const h265_profile_nicks[] = {
  "main", "main10"
};

G_STATIC_ASSERT (G_N_ELEMENTS (h264_profile_nicks) ==
    GST_QSV_VA_H264_N_PROFILES);
G_STATIC_ASSERT (G_N_ELEMENTS (h265_profile_nicks) ==
    GST_QSV_VA_H265_N_PROFILES);

const GstQsvVaCodecTable gst_qsv_va_codecs[GST_QSV_VA_N_CODECS] = {
  [GST_QSV_VA_CODEC_H264] = {"h264", "H.264", offsetof (GstQsvVaDevice, h264),
      GST_QSV_VA_H264_N_PROFILES, h264_profile_nicks},
  [GST_QSV_VA_CODEC_H265] = {"h265", "H.265", offsetof (GstQsvVaDevice, h265),
      GST_QSV_VA_H265_N_PROFILES, h265_profile_nicks},
};

const gchar *
gst_qsv_va_h264_profile_nick (GstQsvVaH264Profile profile)
{
  g_return_val_if_fail (profile < GST_QSV_VA_H264_N_PROFILES, NULL);
  return h264_profile_nicks[profile];
}

/* "h264", "h265": the helper's group and the JSON's "NICK_encode" */
const gchar *
gst_qsv_va_codec_nick (GstQsvVaCodec codec)
{
  g_return_val_if_fail (codec < GST_QSV_VA_N_CODECS, NULL);
  return gst_qsv_va_codecs[codec].nick;
}

/* "H.264", "H.265": for messages */
const gchar *
gst_qsv_va_codec_name (GstQsvVaCodec codec)
{
  g_return_val_if_fail (codec < GST_QSV_VA_N_CODECS, NULL);
  return gst_qsv_va_codecs[codec].name;
}

guint
gst_qsv_va_codec_n_profiles (GstQsvVaCodec codec)
{
  g_return_val_if_fail (codec < GST_QSV_VA_N_CODECS, 0);
  return gst_qsv_va_codecs[codec].n_profiles;
}

const gchar *
gst_qsv_va_codec_profile_nick (GstQsvVaCodec codec, guint profile)
{
  g_return_val_if_fail (codec < GST_QSV_VA_N_CODECS, NULL);
  g_return_val_if_fail (profile < gst_qsv_va_codecs[codec].n_profiles, NULL);
  return gst_qsv_va_codecs[codec].profile_nicks[profile];
}

const gchar *
gst_qsv_va_entrypoint_name (GstQsvVaEntrypoint entrypoint)
{
  g_return_val_if_fail (entrypoint < GST_QSV_VA_N_ENTRYPOINTS, NULL);
  return entrypoint == GST_QSV_VA_ENC_SLICE ? "EncSlice" : "EncSliceLP";
}

gchar *
gst_qsv_va_rate_control_to_string (guint rate_control)
{
  static const struct
  {
    guint bit;
    const gchar *nick;
  } modes[] = {
    {GST_QSV_VA_RC_CBR, "cbr"}, {GST_QSV_VA_RC_VBR, "vbr"},
    {GST_QSV_VA_RC_VCM, "vcm"}, {GST_QSV_VA_RC_CQP, "cqp"},
    {GST_QSV_VA_RC_VBR_CONSTRAINED, "vbr-constrained"},
    {GST_QSV_VA_RC_ICQ, "icq"}, {GST_QSV_VA_RC_QVBR, "qvbr"},
  };
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (modes); i++) {
    if (!(rate_control & modes[i].bit))
      continue;
    if (s->len)
      g_string_append_c (s, ',');
    g_string_append (s, modes[i].nick);
  }
  return g_string_free (s, FALSE);
}

/**
 * gst_qsv_va_device_codec_caps:
 *
 * Returns: (transfer none): what @device offers for @codec's @profile on
 * @entrypoint (present FALSE when nothing).
 */
const GstQsvVaEntrypointCaps *
gst_qsv_va_device_codec_caps (const GstQsvVaDevice * device,
    GstQsvVaCodec codec, guint profile, GstQsvVaEntrypoint entrypoint)
{
  const GstQsvVaEntrypointCaps *caps;

  g_return_val_if_fail (codec < GST_QSV_VA_N_CODECS, NULL);
  g_return_val_if_fail (profile < gst_qsv_va_codecs[codec].n_profiles, NULL);
  g_return_val_if_fail (entrypoint < GST_QSV_VA_N_ENTRYPOINTS, NULL);

  caps = (const GstQsvVaEntrypointCaps *) ((const guint8 *) device +
      gst_qsv_va_codecs[codec].offset);
  return &caps[profile * GST_QSV_VA_N_ENTRYPOINTS + entrypoint];
}

gboolean
gst_qsv_va_device_has_codec_entrypoint (const GstQsvVaDevice * device,
    GstQsvVaCodec codec, GstQsvVaEntrypoint entrypoint)
{
  guint p;

  g_return_val_if_fail (codec < GST_QSV_VA_N_CODECS, FALSE);
  for (p = 0; p < gst_qsv_va_codecs[codec].n_profiles; p++) {
    if (gst_qsv_va_device_codec_caps (device, codec, p, entrypoint)->present)
      return TRUE;
  }
  return FALSE;
}

/* whether @device encodes @codec through any entrypoint */
gboolean
gst_qsv_va_device_has_codec (const GstQsvVaDevice * device,
    GstQsvVaCodec codec)
{
  guint e;

  for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++) {
    if (gst_qsv_va_device_has_codec_entrypoint (device, codec, e))
      return TRUE;
  }
  return FALSE;
}

/* The modes every profile of @codec on this entrypoint supports: a mode
 * the encoder may need whichever profile downstream asks for. */
guint
gst_qsv_va_device_codec_rate_control (const GstQsvVaDevice * device,
    GstQsvVaCodec codec, GstQsvVaEntrypoint entrypoint)
{
  guint p, modes = G_MAXUINT;

  g_return_val_if_fail (codec < GST_QSV_VA_N_CODECS, 0);
  for (p = 0; p < gst_qsv_va_codecs[codec].n_profiles; p++) {
    const GstQsvVaEntrypointCaps *c =
        gst_qsv_va_device_codec_caps (device, codec, p, entrypoint);

    if (c->present)
      modes &= c->rate_control;
  }
  return modes == G_MAXUINT ? 0 : modes;
}

gboolean
gst_qsv_va_device_has_entrypoint (const GstQsvVaDevice * device,
    GstQsvVaEntrypoint entrypoint)
{
  return gst_qsv_va_device_has_codec_entrypoint (device,
      GST_QSV_VA_CODEC_H264, entrypoint);
}

/* The modes every H.264 profile of this entrypoint supports. */
guint
gst_qsv_va_device_rate_control (const GstQsvVaDevice * device,
    GstQsvVaEntrypoint entrypoint)
{
  return gst_qsv_va_device_codec_rate_control (device, GST_QSV_VA_CODEC_H264,
      entrypoint);
}

GstQsvVaDevice *
gst_qsv_va_device_new (const gchar * path)
{
  GstQsvVaDevice *dev = g_new0 (GstQsvVaDevice, 1);

  dev->path = g_strdup (path);
  return dev;
}

void
gst_qsv_va_device_take_error (GstQsvVaDevice * dev, GError * error)
{
  g_return_if_fail (error != NULL);

  if (error->domain == GST_QSV_VA_PROBE_ERROR)
    dev->status = (GstQsvVaStatus) error->code;
  else
    dev->status = GST_QSV_VA_STATUS_PROBE_FAILED;
  g_free (dev->message);
  dev->message = g_strdup (error->message);
  g_error_free (error);
}

void
gst_qsv_va_set_open_error (GError ** error, const gchar * path, gint err)
{
  GstQsvVaStatus status = gst_qsv_va_status_from_errno (err);

  switch (status) {
    case GST_QSV_VA_STATUS_NO_DEVICE:
      g_set_error (error, GST_QSV_VA_PROBE_ERROR, status, "no VA render "
          "node: %s does not exist (%s). Pass it into the container (docker "
          "run --device %s) or pick another with device=/dev/dri/renderD129",
          path, g_strerror (err), path);
      break;
    case GST_QSV_VA_STATUS_PERMISSION_DENIED:
      g_set_error (error, GST_QSV_VA_PROBE_ERROR, status, "cannot open %s: "
          "%s. Add the user to the group that owns it, usually 'render' "
          "(usermod -aG render USER; in Docker: --group-add $(stat -c %%g "
          "%s)); in an LXC container also allow the device "
          "(lxc.cgroup2.devices.allow: c 226:* rwm)", path, g_strerror (err),
          path);
      break;
    case GST_QSV_VA_STATUS_DEVICE_UNAVAILABLE:
      g_set_error (error, GST_QSV_VA_PROBE_ERROR, status, "cannot open %s: "
          "%s. The node exists but no GPU is behind it: the kernel driver "
          "(i915 or xe) is not loaded on the host, or the GPU was not passed "
          "through", path, g_strerror (err));
      break;
    default:
      g_set_error (error, GST_QSV_VA_PROBE_ERROR, status, "cannot open %s: "
          "%s", path, g_strerror (err));
      break;
  }
}

/**
 * gst_qsv_va_check_drm_node:
 *
 * Whether @path is a DRM character device (major 226), by stat() alone: a
 * path given by the user (device=, $QSVAUTOENC_DEVICE, --device) may name
 * any file, and opening some devices has side effects (/dev/watchdog starts
 * its count-down).
 */
gboolean
gst_qsv_va_check_drm_node (const gchar * path, gint * os_errno,
    GError ** error)
{
  struct stat st;
  const gchar *what;

  if (os_errno)
    *os_errno = 0;
  if (stat (path, &st) != 0) {
    gint err = errno;

    if (os_errno)
      *os_errno = err;
    gst_qsv_va_set_open_error (error, path, err);
    return FALSE;
  }
  if (S_ISCHR (st.st_mode) && major (st.st_rdev) == DRM_MAJOR)
    return TRUE;

  if (S_ISCHR (st.st_mode))
    what = "character device";
  else if (S_ISBLK (st.st_mode))
    what = "block device";
  else if (S_ISDIR (st.st_mode))
    what = "directory";
  else if (S_ISREG (st.st_mode))
    what = "regular file";
  else
    what = "special file";
  if (S_ISCHR (st.st_mode) || S_ISBLK (st.st_mode))
    g_set_error (error, GST_QSV_VA_PROBE_ERROR,
        GST_QSV_VA_STATUS_NOT_DRM_DEVICE, "%s is not a DRM render node (a %s "
        "%u:%u; DRM nodes have major %d), so it was not opened: point "
        "device= at /dev/dri/renderD128 or similar", path, what,
        major (st.st_rdev), minor (st.st_rdev), DRM_MAJOR);
  else
    g_set_error (error, GST_QSV_VA_PROBE_ERROR,
        GST_QSV_VA_STATUS_NOT_DRM_DEVICE, "%s is not a DRM render node (a "
        "%s), so it was not opened: point device= at /dev/dri/renderD128 or "
        "similar", path, what);
  return FALSE;
}

void
gst_qsv_va_device_free (GstQsvVaDevice * device)
{
  guint i;

  if (!device)
    return;
  for (i = 0; i < gst_qsv_va_device_n_fields; i++) {
    const GstQsvVaDeviceField *f = &gst_qsv_va_device_fields[i];

    if (f->type == GST_QSV_VA_FIELD_STRING)
      g_free (*GST_QSV_VA_DEVICE_FIELD (device, f, gchar *));
  }
  g_free (device);
}

GstQsvVaDevice *
gst_qsv_va_device_copy (const GstQsvVaDevice * device)
{
  GstQsvVaDevice *copy = g_memdup2 (device, sizeof (*device));
  guint i;

  for (i = 0; i < gst_qsv_va_device_n_fields; i++) {
    const GstQsvVaDeviceField *f = &gst_qsv_va_device_fields[i];
    gchar **s = GST_QSV_VA_DEVICE_FIELD (copy, f, gchar *);

    if (f->type == GST_QSV_VA_FIELD_STRING)
      *s = g_strdup (*s);
  }
  return copy;
}
