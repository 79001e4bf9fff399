/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The VA probe: the only code of this project that calls libva.
 *
 * It answers, for a DRM render node, "can this machine encode H.264 in
 * hardware, through which entrypoints, with which rate-control modes and up
 * to which picture size", and when it cannot, says why in terms a user can
 * act on. Results are plain C data (no GObject), so the selection logic and
 * the probe command can use them without any element. */

#ifndef __GST_QSV_VA_PROBE_H__
#define __GST_QSV_VA_PROBE_H__

#include <glib.h>

G_BEGIN_DECLS

/* Why a device can or cannot encode H.264 in hardware. Ordered from "best"
 * to "least informative" failure only where noted in gstqsvvaprobe.c. A
 * failure is reported inside the library as a GError of
 * GST_QSV_VA_PROBE_ERROR whose code is the status it gives the device. */
typedef enum
{
  GST_QSV_VA_STATUS_OK = 0,             /* H.264 encode entrypoint present */
  GST_QSV_VA_STATUS_NOT_BUILT,          /* built with -Dva=disabled */
  GST_QSV_VA_STATUS_NO_DEVICE,          /* no render node (ENOENT) */
  GST_QSV_VA_STATUS_PERMISSION_DENIED,  /* EACCES / EPERM on open() */
  GST_QSV_VA_STATUS_DEVICE_UNAVAILABLE, /* ENXIO / ENODEV: node without a GPU */
  GST_QSV_VA_STATUS_NOT_DRM_DEVICE,     /* opened, but not a DRM node */
  GST_QSV_VA_STATUS_NO_DRIVER,          /* no VA driver for this GPU */
  GST_QSV_VA_STATUS_DRIVER_INIT_FAILED, /* driver found, vaInitialize failed */
  GST_QSV_VA_STATUS_NO_H264_ENCODE,     /* VA works, but no H.264 encode */
  GST_QSV_VA_STATUS_OPEN_FAILED,        /* any other open() errno */
  GST_QSV_VA_STATUS_DRIVER_CRASHED,     /* the driver crashed the probe helper */
  GST_QSV_VA_STATUS_DRIVER_HUNG,        /* the driver did not answer in time */
  GST_QSV_VA_STATUS_PROBE_FAILED,       /* the probe helper could not run, or
                                         * answered nonsense and exited 0 */
} GstQsvVaStatus;

#define GST_QSV_VA_PROBE_ERROR (gst_qsv_va_probe_error_quark ())
GQuark gst_qsv_va_probe_error_quark (void);

/* Bits of VA_RC_* that matter for H.264 encoding; same values as libva's. */
typedef enum
{
  GST_QSV_VA_RC_CBR = 0x00000002,
  GST_QSV_VA_RC_VBR = 0x00000004,
  GST_QSV_VA_RC_VCM = 0x00000008,
  GST_QSV_VA_RC_CQP = 0x00000010,
  GST_QSV_VA_RC_VBR_CONSTRAINED = 0x00000020,
  GST_QSV_VA_RC_ICQ = 0x00000040,
  GST_QSV_VA_RC_QVBR = 0x00000400,
} GstQsvVaRateControl;

typedef enum
{
  GST_QSV_VA_H264_CONSTRAINED_BASELINE = 0,
  GST_QSV_VA_H264_MAIN,
  GST_QSV_VA_H264_HIGH,
  GST_QSV_VA_H264_N_PROFILES
} GstQsvVaH264Profile;

/* The H.265 (HEVC) profiles probed: VAProfileHEVCMain and
 * VAProfileHEVCMain10 (8-bit and 10-bit 4:2:0). */
typedef enum
{
  GST_QSV_VA_H265_MAIN = 0,
  GST_QSV_VA_H265_MAIN10,
  GST_QSV_VA_H265_N_PROFILES
} GstQsvVaH265Profile;

/* The codecs whose encode capabilities a device record holds. The probe's
 * status (and the device it chooses) is about H.264; H.265 is reported
 * next to it: gst_qsv_va_probe_result_get_for_codec(). */
typedef enum
{
  GST_QSV_VA_CODEC_H264 = 0,
  GST_QSV_VA_CODEC_H265,
  GST_QSV_VA_N_CODECS
} GstQsvVaCodec;

typedef enum
{
  GST_QSV_VA_ENC_SLICE = 0,     /* VAEntrypointEncSlice: vah264enc,
                                 * vaapih264enc, vah265enc, vaapih265enc */
  GST_QSV_VA_ENC_SLICE_LP,      /* VAEntrypointEncSliceLP: vah264lpenc,
                                 * vah265lpenc */
  GST_QSV_VA_N_ENTRYPOINTS
} GstQsvVaEntrypoint;

typedef struct
{
  gboolean present;
  guint rate_control;           /* GstQsvVaRateControl bits */
  guint max_width;              /* 0 if the driver does not say */
  guint max_height;
} GstQsvVaEntrypointCaps;

typedef struct
{
  /* where the device was found and what happened when it was probed */
  gchar *path;
  GstQsvVaStatus status;
  gint os_errno;                /* errno of a failed open(), else 0 */
  gchar *message;               /* one line a user can act on */
  gchar *libva_error;           /* last message libva itself gave, or NULL */

  /* what it is, as far as the probe got */
  gchar *kernel_driver;         /* drmGetVersion() name, e.g. "i915" */
  gchar *va_driver;             /* VA driver name, e.g. "iHD" */
  gchar *vendor;                /* vaQueryVendorString() */
  gint va_major, va_minor;

  gboolean video_proc;           /* VAProfileNone/VideoProc: vapostproc */

  /* H.264 encode capabilities, [profile][entrypoint] */
  GstQsvVaEntrypointCaps h264[GST_QSV_VA_H264_N_PROFILES][GST_QSV_VA_N_ENTRYPOINTS];
  /* H.265 encode capabilities, [profile][entrypoint] */
  GstQsvVaEntrypointCaps h265[GST_QSV_VA_H265_N_PROFILES][GST_QSV_VA_N_ENTRYPOINTS];

  gint64 probe_time_us;         /* how long the probe of this device took */
  gboolean isolated;            /* probed in the helper process */
  gint64 probed_at;             /* g_get_monotonic_time() of the probe */
} GstQsvVaDevice;

typedef struct
{
  GstQsvVaStatus status;        /* that of the chosen device, or the best failure */
  gchar *message;               /* user-facing summary */
  gint chosen;                  /* index into devices of the usable one, or -1 */
  gboolean explicit_device;     /* a device path was given, no enumeration */
  GPtrArray *devices;           /* GstQsvVaDevice*, in probe order */
} GstQsvVaProbeResult;

typedef enum
{
  GST_QSV_VA_PROBE_FLAG_NONE = 0,
  GST_QSV_VA_PROBE_FLAG_FRESH = (1 << 0),     /* ignore and refresh the cache */
  /* use cached successes, probe failures again (a permission fixed, a node
   * passed in later), except a driver that hung less than
   * GST_QSV_VA_HUNG_RETRY_S ago: every start would wait for the time-out */
  GST_QSV_VA_PROBE_FLAG_RETRY_FAILURES = (1 << 1),
} GstQsvVaProbeFlags;

#define GST_QSV_VA_HUNG_RETRY_S 300

/* A hang is remembered across processes too (each process that loads the
 * plugin probes at plugin_init): in this file under the user's runtime
 * directory ($XDG_RUNTIME_DIR, else GLib's fallback), one "path=time" line
 * per hung node, written atomically. */
#define GST_QSV_VA_HUNG_FILE "qsvautoenc-hung-nodes"

/* Environment: QSVAUTOENC_DEVICE picks a device (like the `device` property);
 * QSVAUTOENC_DRI_DIR replaces /dev/dri for enumeration (containers with the
 * node bind-mounted elsewhere, and the tests). */
#define GST_QSV_VA_ENV_DEVICE "QSVAUTOENC_DEVICE"
#define GST_QSV_VA_ENV_DRI_DIR "QSVAUTOENC_DRI_DIR"
#define GST_QSV_VA_DEFAULT_DRI_DIR "/dev/dri"

/* Crash isolation: libva and the VA driver run in a helper process
 * (gst-qsvautoenc-probe-helper), so that a driver that crashes or hangs while
 * being queried costs a failed probe, not the application (or the registry
 * scanner, which would blacklist the plugin). QSVAUTOENC_PROBE_HELPER names
 * the helper (default: the installed one; "in-process" probes without it),
 * QSVAUTOENC_PROBE_TIMEOUT_MS how long it may take (default 15000). */
#define GST_QSV_VA_ENV_PROBE_HELPER "QSVAUTOENC_PROBE_HELPER"
#define GST_QSV_VA_ENV_PROBE_TIMEOUT "QSVAUTOENC_PROBE_TIMEOUT_MS"
#define GST_QSV_VA_PROBE_IN_PROCESS "in-process"
#define GST_QSV_VA_DEFAULT_PROBE_TIMEOUT_MS 15000

GstQsvVaProbeResult *gst_qsv_va_probe (const gchar * device,
    GstQsvVaProbeFlags flags);
void gst_qsv_va_probe_result_free (GstQsvVaProbeResult * result);
GstQsvVaProbeResult *gst_qsv_va_probe_result_copy (const GstQsvVaProbeResult * result);
const GstQsvVaDevice *gst_qsv_va_probe_result_get_chosen (const GstQsvVaProbeResult * result);
const GstQsvVaDevice *gst_qsv_va_probe_result_get_for_codec (const GstQsvVaProbeResult * result,
    GstQsvVaCodec codec);
void gst_qsv_va_probe_clear_cache (void);
gboolean gst_qsv_va_probe_is_built (void);

/* Pure helpers, unit-tested on their own (gstqsvvaprobe-device.c). */
GstQsvVaStatus gst_qsv_va_status_from_errno (gint err);
const gchar *gst_qsv_va_status_nick (GstQsvVaStatus status);
gboolean gst_qsv_va_status_from_nick (const gchar * nick,
    GstQsvVaStatus * status);
gboolean gst_qsv_va_status_is_hardware (GstQsvVaStatus status);
const gchar *gst_qsv_va_h264_profile_nick (GstQsvVaH264Profile profile);
const gchar *gst_qsv_va_entrypoint_name (GstQsvVaEntrypoint entrypoint);
gchar *gst_qsv_va_rate_control_to_string (guint rate_control);
gboolean gst_qsv_va_device_has_entrypoint (const GstQsvVaDevice * device,
    GstQsvVaEntrypoint entrypoint);
guint gst_qsv_va_device_rate_control (const GstQsvVaDevice * device,
    GstQsvVaEntrypoint entrypoint);
const gchar *gst_qsv_va_codec_nick (GstQsvVaCodec codec);
const gchar *gst_qsv_va_codec_name (GstQsvVaCodec codec);
guint gst_qsv_va_codec_n_profiles (GstQsvVaCodec codec);
const gchar *gst_qsv_va_codec_profile_nick (GstQsvVaCodec codec,
    guint profile);
const GstQsvVaEntrypointCaps *gst_qsv_va_device_codec_caps (const GstQsvVaDevice * device,
    GstQsvVaCodec codec, guint profile, GstQsvVaEntrypoint entrypoint);
gboolean gst_qsv_va_device_has_codec_entrypoint (const GstQsvVaDevice * device,
    GstQsvVaCodec codec, GstQsvVaEntrypoint entrypoint);
guint gst_qsv_va_device_codec_rate_control (const GstQsvVaDevice * device,
    GstQsvVaCodec codec, GstQsvVaEntrypoint entrypoint);
gboolean gst_qsv_va_device_has_codec (const GstQsvVaDevice * device,
    GstQsvVaCodec codec);
void gst_qsv_va_device_free (GstQsvVaDevice * device);
GstQsvVaDevice *gst_qsv_va_device_copy (const GstQsvVaDevice * device);

/* The result as JSON: gstqsvvaprobe-json.h. The probe's own hooks (one
 * node uncached, in the helper, the helper's answer): gstqsvvaprobe-priv.h. */

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstQsvVaProbeResult, gst_qsv_va_probe_result_free)

G_END_DECLS

#endif /* __GST_QSV_VA_PROBE_H__ */
