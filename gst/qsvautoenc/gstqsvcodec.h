/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What the bin must know of a codec's bitstream and caps, one record per
 * codec (H.264, H.265): the caps name, its parser, its stream-formats, and
 * the two bitstream facts the output side uses (is this the codec at all;
 * the level byte of its parameter sets). Pure functions, no GStreamer
 * element in here. */

#ifndef __GST_QSV_CODEC_H__
#define __GST_QSV_CODEC_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef struct _GstQsvCodec GstQsvCodec;

struct _GstQsvCodec
{
  const gchar *name;            /* "H.264", for messages */
  const gchar *caps_name;       /* "video/x-h264" */
  const gchar *parser;          /* "h264parse" */
  /* byte-stream first, then the packetized ones, the one that carries
   * parameter sets only in codec_data first ("avc", then "avc3") */
  const gchar *const *formats;
  /* profiles the element's src template offers, in the caps' names */
  const gchar *const *profiles;
  /* the raw formats given to an encoder: 8-bit 4:2:0 (what hardware
   * encodes; a fallback must not change what downstream receives), and
   * those of the deep (10-bit) profiles, where the codec has any */
  const gchar *raw_formats;
  const gchar *const *deep_profiles;
  const gchar *deep_formats;

  /* < private > */
  gboolean (*is_vcl) (const guint8 * nal);
  gboolean (*level_at) (const guint8 * nal, gsize len, guint * rbsp_index);
};

extern const GstQsvCodec gst_qsv_codec_h264;
extern const GstQsvCodec gst_qsv_codec_h265;

gboolean gst_qsv_codec_has_format (const GstQsvCodec * codec,
    const gchar * format);
gboolean gst_qsv_codec_wants_deep (const GstQsvCodec * codec,
    const GstCaps * caps);
gboolean gst_qsv_codec_looks_like (const GstQsvCodec * codec, GstBuffer * buf,
    gboolean byte_stream);
guint8 gst_qsv_codec_read_level (const GstQsvCodec * codec, GstBuffer * buf,
    gboolean byte_stream);
gboolean gst_qsv_codec_write_level (const GstQsvCodec * codec,
    GstBuffer * buf, gboolean byte_stream, guint8 level);

G_END_DECLS

#endif
