/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The catalog's rows, for the files that hold a codec's table
 * (gstqsvencoders-h264.c) and the code that reads them (catalog,
 * selection, mapping). Not for the element: it sees the accessors of
 * gstqsvencodercatalog.h. */

#ifndef __GST_QSV_ENCODER_CATALOG_PRIV_H__
#define __GST_QSV_ENCODER_CATALOG_PRIV_H__

#include "gstqsvencodercatalog.h"

G_BEGIN_DECLS

/* Which VA entrypoint a hardware encoder drives. */
typedef enum
{
  GST_QSV_NEEDS_NOTHING,        /* software */
  GST_QSV_NEEDS_ENC_SLICE,
  GST_QSV_NEEDS_ENC_SLICE_LP,
  /* EncSlice, or EncSliceLP where EncSlice lacks the rate-control mode */
  GST_QSV_NEEDS_ANY_ENTRYPOINT,
  GST_QSV_NEEDS_INTEL_ANY_ENTRYPOINT,   /* oneVPL runs on Intel GPUs only */
} GstQsvNeeds;

/* How a setting's value becomes the child property's value. */
typedef enum
{
  GST_QSV_MAP_END = 0,          /* ends a row's table */
  GST_QSV_MAP_UINT,             /* the value x scale, at most max (if set) */
  GST_QSV_MAP_BOOLEAN,          /* the value's truth */
  GST_QSV_MAP_NICK,             /* nicks[value] (the last one beyond) */
  GST_QSV_MAP_FIXED_TEXT,       /* text: a string or an enum/flags nick */
  GST_QSV_MAP_FIXED_FALSE,      /* FALSE (a boolean property) */
  GST_QSV_MAP_UNSUPPORTED,      /* no property: a warning when set */
  GST_QSV_MAP_OPTION,           /* text "<text>=<value>" (an option string) */
} GstQsvMapKind;

#define GST_QSV_MAP_ESSENTIAL (1 << 0)  /* value refused: rejects the candidate */
#define GST_QSV_MAP_WHEN_SET (1 << 1)   /* only when the setting is non-zero */
/* left out by the rate-control mode though the user set it: a warning
 * (hardware whose modes depend on the device) */
#define GST_QSV_MAP_WARN_UNUSED (1 << 2)
/* a string joined to the same property's earlier value with ':' (several
 * settings in one option string: x265enc's "scenecut=0:bframes=2") */
#define GST_QSV_MAP_APPEND (1 << 3)

#define GST_QSV_RC_MASK(rc) (1u << (rc))
#define GST_QSV_RC_BITRATE (GST_QSV_RC_MASK (GST_QSV_RATE_CONTROL_CBR) | \
    GST_QSV_RC_MASK (GST_QSV_RATE_CONTROL_VBR))
#define GST_QSV_RC_ALL (GST_QSV_RC_BITRATE | \
    GST_QSV_RC_MASK (GST_QSV_RATE_CONTROL_CQP))

/* One entry of a row's mapping table: setting -> child property. Entries
 * are applied in table order (the order matters to some encoders:
 * x264enc's pass before its quantizer and bitrate). */
typedef struct
{
  GstQsvSetting setting;
  const gchar *property;        /* NULL for GST_QSV_MAP_UNSUPPORTED */
  GstQsvMapKind kind;
  guint flags;                  /* GST_QSV_MAP_* */
  /* only in these rate-control modes (GST_QSV_RC_MASK bits); 0: all */
  guint rc_modes;
  guint scale;                  /* MAP_UINT: settings unit -> child's; 0 = 1 */
  guint max;                    /* MAP_UINT: clamp with a warning; 0 = none */
  const gchar *const *nicks;    /* MAP_NICK, indexed by the value */
  const gchar *text;            /* MAP_FIXED_TEXT; MAP_OPTION's key */
} GstQsvPropertyMap;

struct _GstQsvEncoderInfo
{
  const gchar *factory;
  gboolean hardware;
  GstQsvNeeds needs;
  guint software_modes;         /* rate-control modes of a software encoder */
  const gchar *package;         /* Debian package that ships the factory */
  const gchar *plugin_file;     /* the GStreamer plugin that registers it */
  /* output PTS = first PTS + frame duration x frames taken, whatever the
   * input's were (gstvah264enc.c gst_va_h264_enc_prepare_output, 1.22) */
  gboolean renumbers_pts;
  /* opens its own render node (gstreamer-vaapi: $GST_VAAPI_DRM_DEVICE, else
   * the first where VA works), not the probed one */
  gboolean own_device;
  /* per-node factory: prefix + node name + suffix ("va" "renderD129"
   * "h264enc"); NULL prefix: the plugin does not name them after nodes */
  const gchar *node_prefix;
  const gchar *node_suffix;
  /* per-device factory by number: prefix + n (>= 1) + suffix
   * ("qsvh264device" "1" "enc"); NULL prefix: the plugin does not number
   * them */
  const gchar *indexed_prefix;
  const gchar *indexed_suffix;
  const GstQsvPropertyMap *map;       /* ends with GST_QSV_MAP_END */
};

struct _GstQsvCatalog
{
  const gchar *caps_name;       /* "video/x-h264" */
  const GstQsvEncoderInfo *rows;        /* best first */
  guint n_rows;
  /* what its hardware rows need of the probed device: the codec whose
   * encode entrypoints and rate-control modes selection checks */
  GstQsvVaCodec va_codec;
};

/* gstqsvencoders-h264.c, gstqsvencoders-h265.c */
extern const GstQsvCatalog gst_qsv_catalog_h264_table;
extern const GstQsvCatalog gst_qsv_catalog_h265_table;
/* the hardware maps both codecs' encoders share (same property names in
 * 1.22's va, qsv and vaapi plugins) */
extern const gchar *const gst_qsv_va_rate_control[];
extern const GstQsvPropertyMap gst_qsv_map_va[];
extern const GstQsvPropertyMap gst_qsv_map_qsv[];
extern const GstQsvPropertyMap gst_qsv_map_vaapi[];

G_END_DECLS

#endif
