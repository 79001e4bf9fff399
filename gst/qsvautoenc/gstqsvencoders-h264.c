/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The H.264 catalog: one row per encoder, best first, each with every fact
 * qsvautoenc uses about it, and the table that maps the uniform settings
 * onto its properties. Property names, ranges and enum nicks as in
 * GStreamer 1.22 (gst-inspect-1.0 output in the project's reference
 * folder; tests/check/catalog.c checks them against it, and
 * tests/check/fidelity.c against the elements). Another encoder is
 * another row; another codec another file like this one. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvencodercatalog-priv.h"

#define RC(x) GST_QSV_RC_MASK (GST_QSV_RATE_CONTROL_ ## x)
#define ESSENTIAL GST_QSV_MAP_ESSENTIAL
#define WHEN_SET GST_QSV_MAP_WHEN_SET
#define WARN_UNUSED GST_QSV_MAP_WARN_UNUSED

/* indexed by GstQsvRateControl (auto never reaches a mapping); the
 * hardware maps are shared with the H.265 rows (gstqsvencoders-h265.c) */
const gchar *const gst_qsv_va_rate_control[] =
    { "auto", "cbr", "vbr", "cqp", NULL };

/* gst-plugins-bad sys/va/gstvah264enc.c gst_va_h264_enc_class_init: the
 * rate-control enum is built from what the driver reports, so a mode the
 * driver lacks is a value the child refuses: ESSENTIAL */
const GstQsvPropertyMap gst_qsv_map_va[] = {
  {GST_QSV_SETTING_RATE_CONTROL, "rate-control", GST_QSV_MAP_NICK, ESSENTIAL,
      .nicks = gst_qsv_va_rate_control},
  {GST_QSV_SETTING_QP, "qpi", GST_QSV_MAP_UINT, 0, RC (CQP)},
  {GST_QSV_SETTING_QP, "qpp", GST_QSV_MAP_UINT, 0, RC (CQP)},
  {GST_QSV_SETTING_QP, "qpb", GST_QSV_MAP_UINT, 0, RC (CQP)},
  {GST_QSV_SETTING_BITRATE, "bitrate", GST_QSV_MAP_UINT, WARN_UNUSED,
      GST_QSV_RC_BITRATE},
  {GST_QSV_SETTING_KEY_INT_MAX, "key-int-max", GST_QSV_MAP_UINT, WHEN_SET},
  {GST_QSV_SETTING_B_FRAMES, "b-frames", GST_QSV_MAP_UINT},
  {GST_QSV_SETTING_TARGET_USAGE, "target-usage", GST_QSV_MAP_UINT},
  {0}
};

/* gst-plugins-bad sys/qsv/gstqsvh264enc.cpp gst_qsv_h264_enc_class_init
 * as Debian 12's libgstqsv.so (1.22.0) has it: qp-i, not vah264enc's qpi;
 * gop-size; low-latency from gstqsvencoder.cpp gst_qsv_encoder_class_init */
const GstQsvPropertyMap gst_qsv_map_qsv[] = {
  {GST_QSV_SETTING_RATE_CONTROL, "rate-control", GST_QSV_MAP_NICK, ESSENTIAL,
      .nicks = gst_qsv_va_rate_control},
  {GST_QSV_SETTING_QP, "qp-i", GST_QSV_MAP_UINT, 0, RC (CQP)},
  {GST_QSV_SETTING_QP, "qp-p", GST_QSV_MAP_UINT, 0, RC (CQP)},
  {GST_QSV_SETTING_QP, "qp-b", GST_QSV_MAP_UINT, 0, RC (CQP)},
  {GST_QSV_SETTING_BITRATE, "bitrate", GST_QSV_MAP_UINT, WARN_UNUSED,
      GST_QSV_RC_BITRATE},
  {GST_QSV_SETTING_KEY_INT_MAX, "gop-size", GST_QSV_MAP_UINT, WHEN_SET},
  {GST_QSV_SETTING_B_FRAMES, "b-frames", GST_QSV_MAP_UINT},
  {GST_QSV_SETTING_TARGET_USAGE, "target-usage", GST_QSV_MAP_UINT},
  {GST_QSV_SETTING_LOW_LATENCY, "low-latency", GST_QSV_MAP_BOOLEAN},
  {0}
};

/* gstreamer-vaapi gst-libs/gst/vaapi/gstvaapiencoder.c
 * gst_vaapi_encoder_class_init (bitrate, keyframe-period, quality-level)
 * and gstvaapiencoder_h264.c gst_vaapi_encoder_h264_class_init
 * (rate-control, tune, init-qp, max-bframes); tune=low-power drives
 * EncSliceLP */
const GstQsvPropertyMap gst_qsv_map_vaapi[] = {
  {GST_QSV_SETTING_RATE_CONTROL, "rate-control", GST_QSV_MAP_NICK, ESSENTIAL,
      .nicks = gst_qsv_va_rate_control},
  {GST_QSV_SETTING_QP, "init-qp", GST_QSV_MAP_UINT, 0, RC (CQP)},
  {GST_QSV_SETTING_BITRATE, "bitrate", GST_QSV_MAP_UINT, WARN_UNUSED,
      GST_QSV_RC_BITRATE},
  {GST_QSV_SETTING_KEY_INT_MAX, "keyframe-period", GST_QSV_MAP_UINT, WHEN_SET},
  {GST_QSV_SETTING_B_FRAMES, "max-bframes", GST_QSV_MAP_UINT},
  {GST_QSV_SETTING_TARGET_USAGE, "quality-level", GST_QSV_MAP_UINT},
  {GST_QSV_SETTING_LOW_POWER, "tune", GST_QSV_MAP_FIXED_TEXT, WHEN_SET,
      .text = "low-power"},
  {0}
};

/* x264enc has no single-pass VBR: vbr is constant quality (quantizer),
 * capped at the bitrate */
static const gchar *const x264_pass[] = { "quant", "cbr", "qual", "quant", NULL };

/* target-usage 1..7 (0 clamps to 1) */
static const gchar *const x264_presets[] = {
  "slow", "slow", "medium", "fast", "faster", "veryfast", "superfast",
  "ultrafast", NULL
};

/* gst-plugins-ugly ext/x264/gstx264enc.c gst_x264_enc_class_init: the
 * quantizer stops at 50; key-int-max is the exact GOP only with scenecut=0;
 * tune is a flags property */
static const GstQsvPropertyMap x264_map[] = {
  {GST_QSV_SETTING_RATE_CONTROL, "pass", GST_QSV_MAP_NICK, 0,
      .nicks = x264_pass},
  {GST_QSV_SETTING_QP, "quantizer", GST_QSV_MAP_UINT, 0,
      RC (VBR) | RC (CQP), .max = 50},
  {GST_QSV_SETTING_BITRATE, "bitrate", GST_QSV_MAP_UINT, 0, GST_QSV_RC_BITRATE},
  {GST_QSV_SETTING_KEY_INT_MAX, "key-int-max", GST_QSV_MAP_UINT, WHEN_SET},
  {GST_QSV_SETTING_KEY_INT_MAX, "option-string", GST_QSV_MAP_FIXED_TEXT,
      WHEN_SET, .text = "scenecut=0"},
  {GST_QSV_SETTING_B_FRAMES, "bframes", GST_QSV_MAP_UINT},
  {GST_QSV_SETTING_TARGET_USAGE, "speed-preset", GST_QSV_MAP_NICK,
      .nicks = x264_presets},
  {GST_QSV_SETTING_LOW_LATENCY, "tune", GST_QSV_MAP_FIXED_TEXT, WHEN_SET,
      .text = "zerolatency"},
  {0}
};

/* its RC_MODES: cbr -> bitrate, anything else quality */
static const gchar *const openh264_rate_control[] =
    { "quality", "bitrate", "quality", "quality", NULL };

/* target-usage 1-2 high, 3-5 medium, 6-7 low */
static const gchar *const openh264_complexity[] = {
  "high", "high", "high", "medium", "medium", "medium", "low", "low", NULL
};

/* gst-plugins-bad ext/openh264/gstopenh264enc.cpp
 * gst_openh264enc_class_init: bitrate in bit/s, no B-frames */
static const GstQsvPropertyMap openh264_map[] = {
  {GST_QSV_SETTING_RATE_CONTROL, "rate-control", GST_QSV_MAP_NICK, ESSENTIAL,
      .nicks = openh264_rate_control},
  {GST_QSV_SETTING_BITRATE, "bitrate", GST_QSV_MAP_UINT, 0, 0, .scale = 1000},
  {GST_QSV_SETTING_KEY_INT_MAX, "gop-size", GST_QSV_MAP_UINT, WHEN_SET},
  {GST_QSV_SETTING_KEY_INT_MAX, "scene-change-detection",
      GST_QSV_MAP_FIXED_FALSE, WHEN_SET},
  {GST_QSV_SETTING_B_FRAMES, NULL, GST_QSV_MAP_UNSUPPORTED},
  {GST_QSV_SETTING_TARGET_USAGE, "complexity", GST_QSV_MAP_NICK,
      .nicks = openh264_complexity},
  {0}
};

/* Best first: the order in which qsvautoenc tries them. Per-node names:
 * the va plugin (sys/va/gstvadevice.c gst_va_device_find_devices) numbers
 * the render nodes on which a VA display opens, in path order, and
 * gstvah264enc.c gst_va_h264_enc_register names the encoder of the first
 * "vah264enc" / "vah264lpenc", the others "va<node>h264enc", e.g.
 * "varenderD129h264enc". qsvh264enc numbers its devices instead
 * (gstqsvh264enc.cpp gst_qsv_h264_enc_register: "qsvh264enc", then
 * "qsvh264device1enc" ...). */
static const GstQsvEncoderInfo h264_rows[] = {
  {
    .factory = "qsvh264enc", .hardware = TRUE,
    .needs = GST_QSV_NEEDS_INTEL_ANY_ENTRYPOINT,
    .package = "gstreamer1.0-plugins-bad (built with oneVPL)",
    .plugin_file = "libgstqsv.so",
    .indexed_prefix = "qsvh264device", .indexed_suffix = "enc",
    .map = gst_qsv_map_qsv,
  },
  {
    .factory = "vah264enc", .hardware = TRUE,
    .needs = GST_QSV_NEEDS_ENC_SLICE,
    .package = "gstreamer1.0-plugins-bad", .plugin_file = "libgstva.so",
    .renumbers_pts = TRUE,
    .node_prefix = "va", .node_suffix = "h264enc",
    .map = gst_qsv_map_va,
  },
  {
    .factory = "vah264lpenc", .hardware = TRUE,
    .needs = GST_QSV_NEEDS_ENC_SLICE_LP,
    .package = "gstreamer1.0-plugins-bad", .plugin_file = "libgstva.so",
    .renumbers_pts = TRUE,
    .node_prefix = "va", .node_suffix = "h264lpenc",
    .map = gst_qsv_map_va,
  },
  {
    .factory = "vaapih264enc", .hardware = TRUE,
    .needs = GST_QSV_NEEDS_ANY_ENTRYPOINT,
    .package = "gstreamer1.0-vaapi", .plugin_file = "libgstvaapi.so",
    .own_device = TRUE,
    .map = gst_qsv_map_vaapi,
  },
  {
    .factory = "x264enc",
    .software_modes = GST_QSV_RC_ALL,
    .package = "gstreamer1.0-plugins-ugly", .plugin_file = "libgstx264.so",
    .map = x264_map,
  },
  {
    .factory = "openh264enc",
    .software_modes = GST_QSV_RC_BITRATE,
    .package = "gstreamer1.0-plugins-bad",
    .plugin_file = "libgstopenh264.so",
    .map = openh264_map,
  },
};

const GstQsvCatalog gst_qsv_catalog_h264_table = {
  "video/x-h264", h264_rows, G_N_ELEMENTS (h264_rows), GST_QSV_VA_CODEC_H264
};
