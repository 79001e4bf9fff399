/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The H.265 catalog (qsvautoh265enc): one row per encoder, best first. The
 * hardware encoders of GStreamer 1.22 have the H.264 ones' property names:
 * gst-plugins-bad sys/va/gstvah265enc.c gst_va_h265_enc_class_init
 * (rate-control, qpi/qpp/qpb, bitrate, key-int-max, b-frames,
 * target-usage), sys/qsv/gstqsvh265enc.cpp (qp-i/qp-p/qp-b, gop-size,
 * b-frames, low-latency in gstqsvencoder.cpp), gstreamer-vaapi
 * gstvaapiencoder_h265.c with the base class's bitrate, keyframe-period and
 * quality-level: the maps are shared (gstqsvencoders-h264.c). The software
 * fallback is x265enc (gst-plugins-bad ext/x265/gstx265enc.c), which has no
 * rate-control property: a bitrate means ABR, qp >= 0 constant QP; no
 * B-frame or scene-cut property: those go into its option-string. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvencodercatalog-priv.h"

#define RC(x) GST_QSV_RC_MASK (GST_QSV_RATE_CONTROL_ ## x)
#define WHEN_SET GST_QSV_MAP_WHEN_SET
#define APPEND GST_QSV_MAP_APPEND

/* target-usage 1..7 (0 clamps to 1), as x264enc's presets */
static const gchar *const x265_presets[] = {
  "slow", "slow", "medium", "fast", "faster", "veryfast", "superfast",
  "ultrafast", NULL
};

/* gstx265enc.c gst_x265_enc_class_init: bitrate kbit/s (1-102400), qp
 * (-1..51, -1 = off), key-int-max, speed-preset, tune (an enum), and
 * option-string "key=value:..." that x265_param_parse reads */
static const GstQsvPropertyMap x265_map[] = {
  {GST_QSV_SETTING_QP, "qp", GST_QSV_MAP_UINT, 0, RC (CQP), .max = 51},
  {GST_QSV_SETTING_BITRATE, "bitrate", GST_QSV_MAP_UINT, 0,
      GST_QSV_RC_BITRATE},
  {GST_QSV_SETTING_KEY_INT_MAX, "key-int-max", GST_QSV_MAP_UINT, WHEN_SET},
  /* the exact GOP: no extra keyframes at scene cuts */
  {GST_QSV_SETTING_KEY_INT_MAX, "option-string", GST_QSV_MAP_FIXED_TEXT,
      WHEN_SET | APPEND, .text = "scenecut=0"},
  {GST_QSV_SETTING_B_FRAMES, "option-string", GST_QSV_MAP_OPTION, APPEND,
      .text = "bframes"},
  {GST_QSV_SETTING_TARGET_USAGE, "speed-preset", GST_QSV_MAP_NICK,
      .nicks = x265_presets},
  {GST_QSV_SETTING_LOW_LATENCY, "tune", GST_QSV_MAP_FIXED_TEXT, WHEN_SET,
      .text = "zerolatency"},
  {0}
};

/* Per-node names as for H.264: the va plugin names the first node's
 * encoders "vah265enc" / "vah265lpenc" and the others "va<node>h265enc"
 * (gstvah265enc.c gst_va_h265_enc_register); qsvh265enc numbers its
 * devices ("qsvh265device1enc", gstqsvh265enc.cpp
 * gst_qsv_h265_enc_register). */
static const GstQsvEncoderInfo h265_rows[] = {
  {
    .factory = "qsvh265enc", .hardware = TRUE,
    .needs = GST_QSV_NEEDS_INTEL_ANY_ENTRYPOINT,
    .package = "gstreamer1.0-plugins-bad (built with oneVPL)",
    .plugin_file = "libgstqsv.so",
    .indexed_prefix = "qsvh265device", .indexed_suffix = "enc",
    .map = gst_qsv_map_qsv,
  },
  {
    .factory = "vah265enc", .hardware = TRUE,
    .needs = GST_QSV_NEEDS_ENC_SLICE,
    .package = "gstreamer1.0-plugins-bad", .plugin_file = "libgstva.so",
    /* gstvah265enc.c _h265_prepare_output, as vah264enc */
    .renumbers_pts = TRUE,
    .node_prefix = "va", .node_suffix = "h265enc",
    .map = gst_qsv_map_va,
  },
  {
    .factory = "vah265lpenc", .hardware = TRUE,
    .needs = GST_QSV_NEEDS_ENC_SLICE_LP,
    .package = "gstreamer1.0-plugins-bad", .plugin_file = "libgstva.so",
    .renumbers_pts = TRUE,
    .node_prefix = "va", .node_suffix = "h265lpenc",
    .map = gst_qsv_map_va,
  },
  {
    .factory = "vaapih265enc", .hardware = TRUE,
    .needs = GST_QSV_NEEDS_ANY_ENTRYPOINT,
    .package = "gstreamer1.0-vaapi", .plugin_file = "libgstvaapi.so",
    .own_device = TRUE,
    .map = gst_qsv_map_vaapi,
  },
  {
    .factory = "x265enc",
    .software_modes = GST_QSV_RC_ALL,
    .package = "gstreamer1.0-plugins-bad", .plugin_file = "libgstx265.so",
    .map = x265_map,
  },
};

const GstQsvCatalog gst_qsv_catalog_h265_table = {
  "video/x-h265", h265_rows, G_N_ELEMENTS (h265_rows), GST_QSV_VA_CODEC_H265
};
