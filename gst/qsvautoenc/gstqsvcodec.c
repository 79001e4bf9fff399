/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The codec records (gstqsvcodec.h) and their bitstream facts.
 *
 * Where the level is: H.264 (ITU-T H.264 7.3.2.1.1) seq_parameter_set_data
 * starts profile_idc (8 bits), constraint flags (8), level_idc (8): RBSP
 * byte 3 after the one-byte NAL header. H.265 (ITU-T H.265 7.3.1.2,
 * 7.3.2.1, 7.3.2.2, 7.3.3) has a two-byte NAL header; the SPS starts
 * sps_video_parameter_set_id (4), sps_max_sub_layers_minus1 (3),
 * sps_temporal_id_nesting_flag (1), then profile_tier_level: profile space,
 * tier, profile_idc (8 bits), 32 compatibility flags, 48 bits of constraint
 * flags, general_level_idc: RBSP byte 14. The VPS has 4 bytes before its
 * profile_tier_level (ids, flags, vps_reserved_0xffff_16bits): byte 17.
 * Both sit after bytes that may be zero, so emulation prevention bytes
 * (00 00 03) are skipped when counting. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvcodec.h"

static const gchar *const h264_formats[] = { "byte-stream", "avc", "avc3",
  NULL
};

static const gchar *const h264_profiles[] = { "constrained-baseline",
  "baseline", "main", "high", NULL
};

static gboolean
h264_is_vcl (const guint8 * nal)
{
  guint type = nal[0] & 0x1f;

  return type >= 1 && type <= 5;
}

static gboolean
h264_level_at (const guint8 * nal, gsize len, guint * rbsp_index)
{
  if ((nal[0] & 0x1f) != 7)
    return FALSE;
  *rbsp_index = 3;
  return TRUE;
}

const GstQsvCodec gst_qsv_codec_h264 = {
  "H.264", "video/x-h264", "h264parse", h264_formats, h264_profiles,
  "NV12, I420, YV12", NULL, NULL, h264_is_vcl, h264_level_at
};

static const gchar *const h265_formats[] = { "byte-stream", "hvc1", "hev1",
  NULL
};

static const gchar *const h265_profiles[] = { "main", "main-10", NULL };

/* Main 10 where downstream asks for it only: P010 for the VA and QSV
 * encoders, I420_10LE for x265enc */
static const gchar *const h265_deep_profiles[] = { "main-10", NULL };

static gboolean
h265_is_vcl (const guint8 * nal)
{
  return ((nal[0] >> 1) & 0x3f) < 32;
}

static gboolean
h265_level_at (const guint8 * nal, gsize len, guint * rbsp_index)
{
  switch ((nal[0] >> 1) & 0x3f) {
    case 32:                   /* VPS */
      *rbsp_index = 17;
      return TRUE;
    case 33:                   /* SPS */
      *rbsp_index = 14;
      return TRUE;
    default:
      return FALSE;
  }
}

const GstQsvCodec gst_qsv_codec_h265 = {
  "H.265", "video/x-h265", "h265parse", h265_formats, h265_profiles,
  "NV12, I420, YV12", h265_deep_profiles, "P010_10LE, I420_10LE",
  h265_is_vcl, h265_level_at
};

gboolean
gst_qsv_codec_has_format (const GstQsvCodec * codec, const gchar * format)
{
  guint i;

  for (i = 0; format && codec->formats[i]; i++)
    if (g_str_equal (codec->formats[i], format))
      return TRUE;
  return FALSE;
}

/* Does downstream (@caps) take only the codec's deep profiles (every
 * structure of the codec names a profile, all of them deep)? */
gboolean
gst_qsv_codec_wants_deep (const GstQsvCodec * codec, const GstCaps * caps)
{
  gboolean any = FALSE;
  guint i, j;

  if (!codec->deep_profiles || !caps || gst_caps_is_any (caps))
    return FALSE;
  for (i = 0; i < gst_caps_get_size (caps); i++) {
    const GstStructure *st = gst_caps_get_structure (caps, i);
    const GValue *v = gst_structure_get_value (st, "profile");

    if (!gst_structure_has_name (st, codec->caps_name))
      continue;
    if (!v)
      return FALSE;
    if (G_VALUE_HOLDS_STRING (v)) {
      if (!g_strv_contains (codec->deep_profiles, g_value_get_string (v)))
        return FALSE;
    } else if (GST_VALUE_HOLDS_LIST (v)) {
      for (j = 0; j < gst_value_list_get_size (v); j++) {
        const GValue *p = gst_value_list_get_value (v, j);

        if (!G_VALUE_HOLDS_STRING (p) ||
            !g_strv_contains (codec->deep_profiles, g_value_get_string (p)))
          return FALSE;
      }
    } else {
      return FALSE;
    }
    any = TRUE;
  }
  return any;
}

/* Byte-stream output starts with a start code, the packetized formats'
 * with a NAL length that fits, and the NAL's forbidden bit is 0: anything
 * else is not the codec (a driver writing garbage). */
gboolean
gst_qsv_codec_looks_like (const GstQsvCodec * codec, GstBuffer * buf,
    gboolean byte_stream)
{
  guint8 head[5];
  guint32 len;

  if (gst_buffer_extract (buf, 0, head, 5) != 5)
    return FALSE;
  if (byte_stream) {
    if (head[0] != 0 || head[1] != 0)
      return FALSE;
    if (head[2] == 1)
      return !(head[3] & 0x80);
    return head[2] == 0 && head[3] == 1 && !(head[4] & 0x80);
  }
  len = GST_READ_UINT32_BE (head);
  return len > 0 && len <= gst_buffer_get_size (buf) - 4 && !(head[4] & 0x80);
}

/* The raw offset of RBSP byte @index in the NAL @nal (@len bytes), emulation
 * prevention bytes skipped; -1 past the end. */
static gssize
raw_offset (const guint8 * nal, gsize len, guint index)
{
  gsize i, zeros = 0;
  guint n = 0;

  for (i = 0; i < len; i++) {
    if (zeros >= 2 && nal[i] == 3) {
      zeros = 0;
      continue;
    }
    if (n == index)
      return i;
    zeros = nal[i] == 0 ? zeros + 1 : 0;
    n++;
  }
  return -1;
}

/* Calls @func on the level byte of each parameter set before the first
 * slice of a coded frame (byte-stream, or 4-byte lengths). */
static void
foreach_level (const GstQsvCodec * codec, guint8 * data, gsize size,
    gboolean byte_stream, void (*func) (guint8 * level, gpointer user_data),
    gpointer user_data)
{
  gsize i = 0;

  while (i + 4 < size) {
    gsize start, end;
    guint index;
    gssize at;

    if (byte_stream) {
      if (!(data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1)) {
        i++;
        continue;
      }
      start = i + 3;
      /* parameter sets come before the slices: stop at the first slice,
       * before looking for its end (coded picture data is never read) */
      if (start + 2 > size || codec->is_vcl (data + start))
        break;
      for (end = start; end + 2 < size && !(data[end] == 0 &&
              data[end + 1] == 0 && data[end + 2] <= 1); end++);
      if (end + 2 >= size)
        end = size;
    } else {
      gsize len = GST_READ_UINT32_BE (data + i);

      start = i + 4;
      end = len <= size - start ? start + len : size;
      if (start + 2 > end || codec->is_vcl (data + start))
        break;
    }
    if (start + 2 > end)
      break;
    if (codec->level_at (data + start, end - start, &index) &&
        (at = raw_offset (data + start, end - start, index)) >= 0)
      func (data + start + at, user_data);
    i = end;
  }
}

static void
read_level (guint8 * level, gpointer user_data)
{
  guint8 *found = user_data;

  if (!*found)
    *found = *level;
}

static void
write_level (guint8 * level, gpointer user_data)
{
  *level = *(guint8 *) user_data;
}

/* The level of the first parameter set in @buf that has one, 0 if none */
guint8
gst_qsv_codec_read_level (const GstQsvCodec * codec, GstBuffer * buf,
    gboolean byte_stream)
{
  GstMapInfo map;
  guint8 found = 0;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return 0;
  foreach_level (codec, map.data, map.size, byte_stream, read_level, &found);
  gst_buffer_unmap (buf, &map);
  return found;
}

/* Sets the level of every parameter set in @buf (writable) to @level */
gboolean
gst_qsv_codec_write_level (const GstQsvCodec * codec, GstBuffer * buf,
    gboolean byte_stream, guint8 level)
{
  GstMapInfo map;

  if (!gst_buffer_map (buf, &map, GST_MAP_READWRITE))
    return FALSE;
  foreach_level (codec, map.data, map.size, byte_stream, write_level, &level);
  gst_buffer_unmap (buf, &map);
  return TRUE;
}
