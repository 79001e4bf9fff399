/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc test support
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "standins.h"

#include <gst/video/video.h>

#include <string.h>

/* Property specs as the 1.22 elements install them (gst-inspect-1.0 output
 * in shared/reference, qsvh264enc from sys/qsv/gstqsvh264enc.cpp). */
typedef struct
{
  const gchar *name;
  GType type;                   /* G_TYPE_UINT, G_TYPE_BOOLEAN, G_TYPE_STRING or an enum */
  guint min, max, def;
  gboolean read_only;
} PropSpec;

typedef enum
{
  KIND_QSV,                     /* sys/qsv: GstQsvEncoder */
  KIND_VA,                      /* sys/va: GstVaBaseEnc */
  KIND_VAAPI,                   /* gstreamer-vaapi: GstVaapiEncode */
} StandinKind;

typedef struct
{
  const gchar *factory;
  StandinKind kind;
  GstRank rank;
  const gchar *sink_caps;
  const gchar *src_caps;
  const gchar *gop_property;    /* which property sets the keyframe interval */
  guint gop_default;
  PropSpec props[16];
} StandinInfo;

/* One registered stand-in: a base behaviour under a factory name, driving
 * one render node (its class data, as upstream's). */
typedef struct
{
  const StandinInfo *info;
  gchar *factory;
  gchar *node;                  /* "renderD128"; NULL for vaapih264enc */
  StandinMode mode;
  guint frames_in;
} Entry;

#define VA_SINK "video/x-raw(memory:VAMemory), width = (int) [ 16, 4096 ], " \
  "height = (int) [ 16, 4096 ], format = (string) NV12; " \
  "video/x-raw(memory:DMABuf), width = (int) [ 16, 4096 ], " \
  "height = (int) [ 16, 4096 ], format = (string) NV12; " \
  "video/x-raw, width = (int) [ 16, 4096 ], height = (int) [ 16, 4096 ], " \
  "format = (string) NV12"
#define VAAPI_SINK "video/x-raw(memory:VASurface), format = (string) { NV12, " \
  "YV12, I420 }, width = (int) [ 1, 2147483647 ], height = (int) [ 1, 2147483647 ], " \
  "framerate = (fraction) [ 0/1, 2147483647/1 ], interlace-mode = (string) progressive; " \
  "video/x-raw(memory:DMABuf), format = (string) { NV12, YV12, I420 }, " \
  "width = (int) [ 1, 2147483647 ], height = (int) [ 1, 2147483647 ], " \
  "framerate = (fraction) [ 0/1, 2147483647/1 ], interlace-mode = (string) progressive; " \
  "video/x-raw, format = (string) { NV12, YV12, I420 }, " \
  "width = (int) [ 1, 2147483647 ], height = (int) [ 1, 2147483647 ], " \
  "framerate = (fraction) [ 0/1, 2147483647/1 ], interlace-mode = (string) progressive"
#define QSV_SINK "video/x-raw(memory:VAMemory), format = (string) NV12, " \
  "width = (int) [ 16, 4096 ], height = (int) [ 16, 4096 ]; " \
  "video/x-raw, format = (string) NV12, width = (int) [ 16, 4096 ], " \
  "height = (int) [ 16, 4096 ]"
/* sys/va/gstvah264enc.c gst_va_h264_enc_register (the driver's profiles) */
#define VA_SRC "video/x-h264, profile = (string) { constrained-baseline, " \
  "main, high }, width = (int) [ 1, 4096 ], height = (int) [ 1, 4096 ], " \
  "alignment = (string) au, stream-format = (string) byte-stream"
/* sys/qsv/gstqsvh264enc.cpp gst_qsv_h264_enc_register */
#define QSV_SRC "video/x-h264, width = (int) [ 16, 4096 ], " \
  "height = (int) [ 16, 4096 ], stream-format = (string) { avc, " \
  "byte-stream }, alignment = (string) au, profile = (string) { high, " \
  "main, constrained-baseline }"
/* gstreamer-vaapi gst/vaapi/gstvaapiencode_h264.c
 * gst_vaapiencode_h264_register_type (profiles from the driver) */
#define VAAPI_SRC "video/x-h264, stream-format = (string) { avc, " \
  "byte-stream }, alignment = (string) au, profile = (string) { " \
  "constrained-baseline, main, high }"

static GType va_rc_type (void);
static GType qsv_rc_type (void);
static GType vaapi_rc_type (void);
static GType vaapi_tune_type (void);

#define VA_PROPS(rc) \
  {"rate-control", 0, 0, 0, 2}, {"bitrate", G_TYPE_UINT, 0, 2048000, 0}, \
  {"qpi", G_TYPE_UINT, 0, 51, 26}, {"qpp", G_TYPE_UINT, 0, 51, 26}, \
  {"qpb", G_TYPE_UINT, 0, 51, 26}, {"key-int-max", G_TYPE_UINT, 0, 1024, 0}, \
  {"b-frames", G_TYPE_UINT, 0, 31, 0}, {"target-usage", G_TYPE_UINT, 1, 7, 4}, \
  {"device-path", G_TYPE_STRING, 0, 0, 0, TRUE}

/* Ranks: sys/va/plugin.c and sys/qsv/plugin.cpp register at GST_RANK_NONE;
 * gstreamer-vaapi's gstvaapi.c registers vaapih264enc at GST_RANK_PRIMARY. */
static const StandinInfo infos[] = {
  {"vah264enc", KIND_VA, GST_RANK_NONE, VA_SINK, VA_SRC, "key-int-max", 30,
      {VA_PROPS (0)}},
  {"vah264lpenc", KIND_VA, GST_RANK_NONE, VA_SINK, VA_SRC, "key-int-max", 30,
      {VA_PROPS (0)}},
  /* gstqsvh264enc.cpp gst_qsv_h264_enc_class_init as in 1.22.0 (Debian
   * 12's libgstqsv.so: qp-i, min-qp-i, idr-interval; no qpi), base class
   * properties from gstqsvencoder.cpp gst_qsv_encoder_class_init */
  {"qsvh264enc", KIND_QSV, GST_RANK_NONE, QSV_SINK, QSV_SRC, "gop-size", 30, {
          {"rate-control", 0, 0, 0, 1}, {"bitrate", G_TYPE_UINT, 0, G_MAXINT,
              2000}, {"qp-i", G_TYPE_UINT, 0, 51, 0}, {"qp-p", G_TYPE_UINT, 0,
              51, 0}, {"qp-b", G_TYPE_UINT, 0, 51, 0}, {"gop-size", G_TYPE_UINT,
              0, G_MAXUSHORT, 0}, {"idr-interval", G_TYPE_UINT, 0, G_MAXUSHORT,
              0}, {"b-frames", G_TYPE_UINT, 0, G_MAXUSHORT, 0},
          {"target-usage", G_TYPE_UINT, 1, 7, 4}, {"low-latency",
              G_TYPE_BOOLEAN, 0, 1, 0}, {"device-path", G_TYPE_STRING, 0, 0, 0,
              TRUE}}},
  {"vaapih264enc", KIND_VAAPI, GST_RANK_PRIMARY, VAAPI_SINK, VAAPI_SRC,
        "keyframe-period", 30, {
          {"rate-control", 0, 0, 0, 1}, {"bitrate", G_TYPE_UINT, 0, 2048000,
              0}, {"init-qp", G_TYPE_UINT, 0, 51, 26}, {"keyframe-period",
              G_TYPE_UINT, 0, G_MAXUINT, 30}, {"max-bframes", G_TYPE_UINT, 0,
              10, 0}, {"quality-level", G_TYPE_UINT, 1, 7, 4}, {"tune", 0, 0,
              0, 0}}},
};

static GPtrArray *entries;      /* Entry*, all registered */
static gchar *device_path;
static guint fail_frame;
static gboolean teardown_error;
static GMutex state_lock;

/* A GstVideoEncoder, as every one of the real encoders is: the base class
 * gives them the same caps, latency, flush, force-key-unit and min-PTS
 * handling. */
typedef struct
{
  GstVideoEncoder parent;
  GValue *values;
  guint n_values;
  Entry *entry;
  gboolean display_open;        /* from open() to close(), as upstream's */
  /* streaming thread only */
  guint frame;                  /* frames taken since start */
  guint gop_index;              /* position in the GOP */
  GQueue pending;               /* qsvh264enc: frames in its async tasks;
                                 * vah264enc with B-frames: the mini-GOP */
  GQueue coded;                 /* vah264enc with B-frames: coded, in
                                 * decode order, not yet output */
  gint fps_n, fps_d;            /* of the input format */
} Standin;

typedef struct
{
  GstVideoEncoderClass parent_class;
  Entry *entry;
} StandinClass;

static GstVideoEncoderClass *standin_parent_class;

/* called with state_lock */
static Entry *
find_entry (const gchar * factory)
{
  guint i;

  for (i = 0; entries && i < entries->len; i++) {
    Entry *e = g_ptr_array_index (entries, i);

    if (g_str_equal (e->factory, factory))
      return e;
  }
  g_assert_not_reached ();
  return NULL;
}

void
standin_set_mode (const gchar * factory, StandinMode mode)
{
  g_mutex_lock (&state_lock);
  find_entry (factory)->mode = mode;
  g_mutex_unlock (&state_lock);
}

void
standin_set_device_path (const gchar * path)
{
  g_mutex_lock (&state_lock);
  g_free (device_path);
  device_path = g_strdup (path);
  g_mutex_unlock (&state_lock);
}

void
standin_set_fail_frame (guint frame)
{
  g_mutex_lock (&state_lock);
  fail_frame = frame;
  g_mutex_unlock (&state_lock);
}

void
standin_set_teardown_error (gboolean error)
{
  g_mutex_lock (&state_lock);
  teardown_error = error;
  g_mutex_unlock (&state_lock);
}

static guint
get_fail_frame (void)
{
  guint f;

  g_mutex_lock (&state_lock);
  f = fail_frame;
  g_mutex_unlock (&state_lock);
  return f;
}

guint
standin_frames_in (const gchar * factory)
{
  guint n;

  g_mutex_lock (&state_lock);
  n = find_entry (factory)->frames_in;
  g_mutex_unlock (&state_lock);
  return n;
}

static StandinMode
mode_of (Standin * self)
{
  StandinMode m;

  g_mutex_lock (&state_lock);
  m = self->entry->mode;
  g_mutex_unlock (&state_lock);
  return m;
}

static GType
make_enum (const gchar * name, const GEnumValue * values)
{
  GType t = g_type_from_name (name);
  return t ? t : g_enum_register_static (name, values);
}

static GType
va_rc_type (void)
{
  static const GEnumValue v[] = { {2, "Constant Bitrate", "cbr"},
  {4, "Variable Bitrate", "vbr"}, {16, "Constant Quantizer", "cqp"},
  {0, NULL, NULL}
  };
  return make_enum ("StandinVaEncoderRateControl", v);
}

static GType
qsv_rc_type (void)
{
  static const GEnumValue v[] = { {1, "Constant Bitrate", "cbr"},
  {2, "Variable Bitrate", "vbr"}, {3, "Constant Quantizer", "cqp"},
  {4, "Average Bitrate", "avbr"}, {8, "VBR with look ahead", "la_vbr"},
  {9, "Intelligent CQP", "icq"}, {0, NULL, NULL}
  };
  return make_enum ("StandinQsvH264EncRateControl", v);
}

static GType
vaapi_rc_type (void)
{
  static const GEnumValue v[] = { {1, "Constant QP", "cqp"},
  {2, "Constant bitrate", "cbr"}, {4, "Variable bitrate", "vbr"},
  {5, "Variable bitrate - Constrained", "vbr_constrained"},
  {7, "Constant QP - Intelligent", "icq"},
  {8, "Variable bitrate - Quality defined", "qvbr"}, {0, NULL, NULL}
  };
  return make_enum ("StandinVaapiRateControlH264", v);
}

static GType
vaapi_tune_type (void)
{
  static const GEnumValue v[] = { {0, "None", "none"},
  {1, "High compression", "high-compression"}, {3, "Low power mode",
      "low-power"}, {0, NULL, NULL}
  };
  return make_enum ("StandinVaapiEncoderTuneH264", v);
}

static GType
enum_type_for (const StandinInfo * info, const PropSpec * p)
{
  if (g_str_equal (p->name, "tune"))
    return vaapi_tune_type ();
  if (g_str_equal (info->factory, "qsvh264enc"))
    return qsv_rc_type ();
  if (g_str_equal (info->factory, "vaapih264enc"))
    return vaapi_rc_type ();
  return va_rc_type ();
}

static gchar *
node_path (const gchar * node)
{
  const gchar *dir = g_getenv ("QSVAUTOENC_DRI_DIR");

  return g_build_filename (dir && *dir ? dir : "/dev/dri", node, NULL);
}

static GParamSpec *
make_pspec (const Entry * entry, const PropSpec * p)
{
  const StandinInfo *info = entry->info;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

  /* qsvh264enc's default is its class data (gstqsvh264enc.cpp
   * gst_qsv_h264_enc_class_init: g_param_spec_string ("device-path", ...,
   * cdata->display_path, ...)); vabaseenc's is NULL */
  if (g_str_equal (p->name, "device-path") && info->kind == KIND_QSV) {
    gchar *path = g_build_filename ("/dev/dri", entry->node, NULL);
    const gchar *def = g_intern_string (path);

    g_free (path);
    return g_param_spec_string (p->name, p->name, "DRM device path", def,
        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  }

  if (p->type == G_TYPE_UINT)
    return g_param_spec_uint (p->name, p->name, p->name, p->min, p->max,
        p->def, rw);
  if (p->type == G_TYPE_BOOLEAN)
    return g_param_spec_boolean (p->name, p->name, p->name, p->def, rw);
  if (p->type == G_TYPE_STRING)
    return g_param_spec_string (p->name, p->name, p->name, NULL,
        p->read_only ? G_PARAM_READABLE | G_PARAM_STATIC_STRINGS : rw);
  return g_param_spec_enum (p->name, p->name, p->name,
      enum_type_for (info, p), p->def, rw);
}

static void
standin_set_property (GObject * object, guint prop_id, const GValue * value,
    GParamSpec * pspec)
{
  Standin *self = (Standin *) object;

  GST_OBJECT_LOCK (self);
  g_value_copy (value, &self->values[prop_id - 1]);
  GST_OBJECT_UNLOCK (self);
}

static void
standin_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  Standin *self = (Standin *) object;

  if (g_str_equal (pspec->name, "device-path")) {
    gboolean known;

    /* qsvh264enc answers from its class data, in any state
     * (gstqsvh264enc.cpp gst_qsv_h264_enc_get_property); vah264enc only
     * once its display is open (gstvabaseenc.c gst_va_base_enc_get_property:
     * NULL without a display; the display is opened at NULL->READY) */
    GST_OBJECT_LOCK (self);
    known = self->entry->info->kind == KIND_QSV || self->display_open;
    GST_OBJECT_UNLOCK (self);
    g_mutex_lock (&state_lock);
    if (!known)
      g_value_set_string (value, NULL);
    else if (device_path)
      g_value_set_string (value, device_path);
    else
      g_value_take_string (value, node_path (self->entry->node));
    g_mutex_unlock (&state_lock);
    return;
  }
  GST_OBJECT_LOCK (self);
  g_value_copy (&self->values[prop_id - 1], value);
  GST_OBJECT_UNLOCK (self);
}

static guint
uint_prop (Standin * self, const gchar * name)
{
  GParamSpec *p = g_object_class_find_property (G_OBJECT_GET_CLASS (self),
      name);
  guint v = 0;

  if (p && p->value_type == G_TYPE_UINT)
    g_object_get (self, name, &v, NULL);
  return v;
}

static gboolean
bool_prop (Standin * self, const gchar * name)
{
  GParamSpec *p = g_object_class_find_property (G_OBJECT_GET_CLASS (self),
      name);
  gboolean v = FALSE;

  if (p && p->value_type == G_TYPE_BOOLEAN)
    g_object_get (self, name, &v, NULL);
  return v;
}

static guint
gop_of (Standin * self)
{
  guint gop = uint_prop (self, self->entry->info->gop_property);

  return gop ? gop : self->entry->info->gop_default;
}

/* qsvh264enc keeps AsyncDepth frames in flight: 4, or 1 with low-latency
 * (gstqsvencoder.cpp gst_qsv_encoder_init_encode_session); the others
 * output each frame as they take it */
static guint
async_depth (Standin * self)
{
  if (self->entry->info->kind != KIND_QSV)
    return 1;
  return bool_prop (self, "low-latency") ? 1 : 4;
}

static gboolean
standin_open (GstVideoEncoder * enc)
{
  Standin *self = (Standin *) enc;

  /* the real ones fail here without their device (gst_va_base_enc_open,
   * gst_qsv_encoder_open); GstVideoEncoder then fails NULL->READY */
  if (mode_of (self) == STANDIN_FAIL_READY) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        ("stand-in could not open the device"), (NULL));
    return FALSE;
  }
  GST_OBJECT_LOCK (self);
  self->display_open = TRUE;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
standin_close (GstVideoEncoder * enc)
{
  Standin *self = (Standin *) enc;

  GST_OBJECT_LOCK (self);
  self->display_open = FALSE;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
standin_start (GstVideoEncoder * enc)
{
  Standin *self = (Standin *) enc;

  self->frame = 0;
  self->gop_index = 0;
  /* gstvabaseenc.c gst_va_base_enc_start: 1000 h, so that DTS never goes
   * negative; GstVideoEncoder shifts the segment to match */
  if (self->entry->info->kind == KIND_VA)
    gst_video_encoder_set_min_pts (enc, GST_SECOND * 60 * 60 * 1000);
  return TRUE;
}

/* @frame's sync point flag says whether it is a keyframe */
static GstFlowReturn
output_frame (Standin * self, GstVideoCodecFrame * frame)
{
  GstVideoEncoder *enc = GST_VIDEO_ENCODER (self);
  guint8 first = 0;

  frame->output_buffer = gst_buffer_new_allocate (NULL, 16, NULL);
  gst_buffer_memset (frame->output_buffer, 0, 0, 16);
  /* the tests' mark: the input's first byte, so that an output names the
   * frame it came from without trusting timestamps */
  if (frame->input_buffer)
    gst_buffer_extract (frame->input_buffer, 0, &first, 1);
  gst_buffer_memset (frame->output_buffer, 5, first, 1);
  /* byte-stream, as the real encoders' output: a start code and a slice
   * NAL header (IDR or not), then filler */
  gst_buffer_memset (frame->output_buffer, 3, 1, 1);
  gst_buffer_memset (frame->output_buffer, 4,
      GST_VIDEO_CODEC_FRAME_IS_SYNC_POINT (frame) ? 0x65 : 0x41, 1);
  /* gstvah264enc.c gst_va_h264_enc_prepare_output: PTS = start + frame
   * duration x frames so far, whatever the input PTS was */
  if (self->entry->info->kind == KIND_VA && self->fps_n > 0) {
    guint count = GPOINTER_TO_UINT (gst_video_codec_frame_get_user_data
        (frame));

    frame->pts = GST_SECOND * 60 * 60 * 1000 +
        gst_util_uint64_scale (count, GST_SECOND * self->fps_d, self->fps_n);
    frame->dts = frame->pts;
  }
  return gst_video_encoder_finish_frame (enc, frame);
}

/* the frames still in flight, in order (qsvh264enc's drain) */
static GstFlowReturn
output_pending (Standin * self, guint keep)
{
  GstFlowReturn ret = GST_FLOW_OK;

  while (g_queue_get_length (&self->pending) > keep && ret == GST_FLOW_OK) {
    ret = output_frame (self, g_queue_pop_head (&self->pending));
  }
  return ret;
}

static void
drop_pending (Standin * self)
{
  GstVideoCodecFrame *f;

  while ((f = g_queue_pop_head (&self->pending)))
    gst_video_codec_frame_unref (f);
  while ((f = g_queue_pop_head (&self->coded)))
    gst_video_codec_frame_unref (f);
}

/* vah264enc with B-frames (gstvah264enc.c gst_va_h264_enc_reorder_frame,
 * _pop_pyramid / _push_one_frame): a mini-GOP of b-frames + 1 frames is
 * coded last frame first (the P), then its B-frames; an IDR closes the
 * mini-GOP before it. Coded frames leave one per frame taken
 * (gst_va_base_enc_handle_frame outputs what is beyond its output delay),
 * so at any moment some of a mini-GOP may be out and some not. Output PTS
 * stay numbered by display order (output_frame). */
static void
code_mini_gop (Standin * self)
{
  GstVideoCodecFrame *p = g_queue_pop_tail (&self->pending);

  if (p)
    g_queue_push_tail (&self->coded, p);
  while ((p = g_queue_pop_head (&self->pending)))
    g_queue_push_tail (&self->coded, p);
}

static GstFlowReturn
output_coded (Standin * self, guint keep)
{
  GstFlowReturn ret = GST_FLOW_OK;

  while (g_queue_get_length (&self->coded) > keep && ret == GST_FLOW_OK)
    ret = output_frame (self, g_queue_pop_head (&self->coded));
  return ret;
}

/* everything still inside, in the order it would leave */
static GstFlowReturn
drain_all (Standin * self)
{
  if (!g_queue_is_empty (&self->coded) || (self->entry->info->kind == KIND_VA
          && uint_prop (self, "b-frames") > 0)) {
    code_mini_gop (self);
    if (output_coded (self, 0) != GST_FLOW_OK)
      return GST_FLOW_ERROR;
  }
  return output_pending (self, 0);
}

static GstFlowReturn
reorder (Standin * self, GstVideoCodecFrame * frame, gboolean key)
{
  guint b = uint_prop (self, "b-frames");

  if (key) {
    /* the open mini-GOP is coded as it is, then the IDR */
    code_mini_gop (self);
    g_queue_push_tail (&self->coded, frame);
  } else {
    g_queue_push_tail (&self->pending, frame);
    if (g_queue_get_length (&self->pending) >= b + 1)
      code_mini_gop (self);
  }
  /* one out per frame taken: the others wait in decode order */
  return output_coded (self, b);
}

static gboolean
standin_set_format (GstVideoEncoder * enc, GstVideoCodecState * state)
{
  Standin *self = (Standin *) enc;
  GstVideoCodecState *out;
  GstClockTime lat = 0;
  guint fps_n = GST_VIDEO_INFO_FPS_N (&state->info);

  if (mode_of (self) == STANDIN_REFUSE_CAPS)
    return FALSE;
  /* a new format drains what is in flight and starts a new GOP (qsv: new
   * session, gstqsvencoder.cpp gst_qsv_encoder_set_format; va:
   * gst_va_base_enc_set_format, reset) */
  drain_all (self);
  self->gop_index = 0;
  self->fps_n = fps_n;
  self->fps_d = GST_VIDEO_INFO_FPS_D (&state->info);
  out = gst_video_encoder_set_output_state (enc,
      gst_caps_new_simple ("video/x-h264", "stream-format", G_TYPE_STRING,
          "byte-stream", "alignment", G_TYPE_STRING, "au", "profile",
          G_TYPE_STRING, "main", NULL), state);
  gst_video_codec_state_unref (out);
  /* qsv: min latency = AsyncDepth + B-frames frames
   * (gst_qsv_encoder_init_encode_session); va, vaapi: none without
   * B-frames */
  if (self->entry->info->kind == KIND_QSV && fps_n > 0)
    lat = gst_util_uint64_scale (async_depth (self) + uint_prop (self,
            "b-frames"), GST_SECOND * GST_VIDEO_INFO_FPS_D (&state->info),
        fps_n);
  gst_video_encoder_set_latency (enc, lat, lat);
  return TRUE;
}

static GstFlowReturn
standin_handle_frame (GstVideoEncoder * enc, GstVideoCodecFrame * frame)
{
  Standin *self = (Standin *) enc;
  StandinMode mode = mode_of (self);
  gboolean key;

  g_mutex_lock (&state_lock);
  self->entry->frames_in++;
  g_mutex_unlock (&state_lock);

  if ((mode == STANDIN_ERROR_AT_FRAME || mode == STANDIN_FLOW_ERROR_AT_FRAME)
      && self->frame >= get_fail_frame ())
    mode = mode == STANDIN_ERROR_AT_FRAME ? STANDIN_ERROR_FIRST_BUFFER :
        STANDIN_FLOW_ERROR;
  switch (mode) {
    case STANDIN_ERROR_FIRST_BUFFER:
      GST_ELEMENT_ERROR (self, STREAM, ENCODE, ("stand-in device failed"),
          ("MFX_ERR_DEVICE_FAILED (simulated)"));
      gst_video_encoder_finish_frame (enc, frame);
      return GST_FLOW_ERROR;
    case STANDIN_FLOW_ERROR:
      gst_video_codec_frame_unref (frame);
      return GST_FLOW_ERROR;
    case STANDIN_ERROR_AT_EOS:
    case STANDIN_SWALLOW:
      /* taken, never finished */
      self->frame++;
      gst_video_codec_frame_unref (frame);
      return GST_FLOW_OK;
    default:
      break;
  }

  key = self->gop_index % gop_of (self) == 0 ||
      GST_VIDEO_CODEC_FRAME_IS_FORCE_KEYFRAME (frame);
  if (GST_VIDEO_CODEC_FRAME_IS_FORCE_KEYFRAME (frame))
    self->gop_index = 0;
  self->gop_index++;
  gst_video_codec_frame_set_user_data (frame, GUINT_TO_POINTER (self->frame),
      NULL);
  self->frame++;
  if (key)
    GST_VIDEO_CODEC_FRAME_SET_SYNC_POINT (frame);
  else
    GST_VIDEO_CODEC_FRAME_UNSET_SYNC_POINT (frame);
  if (self->entry->info->kind == KIND_VA && uint_prop (self, "b-frames") > 0)
    return reorder (self, frame, key);
  g_queue_push_tail (&self->pending, frame);
  /* qsv: a frame comes out once AsyncDepth tasks are pending
   * (gst_qsv_encoder_handle_frame) */
  return output_pending (self, async_depth (self) - 1);
}

static GstFlowReturn
standin_finish (GstVideoEncoder * enc)
{
  Standin *self = (Standin *) enc;

  if (mode_of (self) == STANDIN_ERROR_AT_EOS) {
    GST_ELEMENT_ERROR (self, STREAM, ENCODE, ("stand-in failed to drain"),
        (NULL));
    return GST_FLOW_ERROR;
  }
  return drain_all (self);
}

static gboolean
standin_flush (GstVideoEncoder * enc)
{
  Standin *self = (Standin *) enc;

  /* qsv: pending tasks dropped, the session goes on
   * (gst_qsv_encoder_flush); va: an IDR next (gst_va_h264_enc_flush);
   * vaapi: likewise, its encoder reset (gst_vaapiencode_flush) */
  drop_pending (self);
  if (self->entry->info->kind != KIND_QSV)
    self->gop_index = 0;
  return TRUE;
}

static gboolean
standin_stop (GstVideoEncoder * enc)
{
  gboolean error;

  g_mutex_lock (&state_lock);
  error = teardown_error;
  g_mutex_unlock (&state_lock);
  /* a device that is gone errors once more while it is torn down */
  if (error && (mode_of ((Standin *) enc) == STANDIN_ERROR_AT_FRAME ||
          mode_of ((Standin *) enc) == STANDIN_ERROR_FIRST_BUFFER))
    GST_ELEMENT_ERROR (enc, RESOURCE, CLOSE, ("stand-in device lost while "
            "closing"), ("vaDestroyContext: VA_STATUS_ERROR_OPERATION_FAILED "
            "(simulated)"));
  drop_pending ((Standin *) enc);
  return TRUE;
}

static void
standin_finalize (GObject * object)
{
  Standin *self = (Standin *) object;
  guint i;

  drop_pending (self);
  for (i = 0; i < self->n_values; i++) {
    if (G_IS_VALUE (&self->values[i]))
      g_value_unset (&self->values[i]);
  }
  g_free (self->values);
  G_OBJECT_CLASS (standin_parent_class)->finalize (object);
}

static void
standin_class_init (StandinClass * klass, gpointer data)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstVideoEncoderClass *venc_class = GST_VIDEO_ENCODER_CLASS (klass);
  Entry *entry = data;
  const StandinInfo *info = entry->info;
  GstCaps *caps;
  guint i;

  standin_parent_class = g_type_class_peek_parent (klass);
  klass->entry = entry;
  gobject_class->set_property = standin_set_property;
  gobject_class->get_property = standin_get_property;
  gobject_class->finalize = standin_finalize;
  venc_class->open = standin_open;
  venc_class->close = standin_close;
  venc_class->start = standin_start;
  venc_class->stop = standin_stop;
  venc_class->set_format = standin_set_format;
  venc_class->handle_frame = standin_handle_frame;
  venc_class->finish = standin_finish;
  venc_class->flush = standin_flush;
  for (i = 0; info->props[i].name; i++)
    g_object_class_install_property (gobject_class, i + 1,
        make_pspec (entry, &info->props[i]));

  caps = gst_caps_from_string (info->sink_caps);
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, caps));
  gst_caps_unref (caps);
  caps = gst_caps_from_string (info->src_caps);
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("src", GST_PAD_SRC, GST_PAD_ALWAYS, caps));
  gst_caps_unref (caps);
  gst_element_class_set_static_metadata (element_class, entry->factory,
      "Codec/Encoder/Video/Hardware", "test stand-in", "tests");
}

static void
standin_init (Standin * self, gpointer g_class)
{
  StandinClass *klass = g_class;
  GParamSpec **pspecs;
  guint i, n;

  self->entry = klass->entry;
  g_queue_init (&self->pending);
  g_queue_init (&self->coded);
  /* the real vaapih264enc takes raw caps without interlace-mode, which its
   * template names (seen in fidelity-realva: its caps query answers from
   * the driver, gstvaapiencode.c gst_vaapiencode_get_caps) */
  if (self->entry->info->kind == KIND_VAAPI)
    GST_PAD_SET_ACCEPT_INTERSECT (GST_VIDEO_ENCODER_SINK_PAD (self));
  pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n);
  self->values = g_new0 (GValue, n);
  self->n_values = n;
  for (i = 0; i < n; i++) {
    if (pspecs[i]->param_id == 0 || pspecs[i]->owner_type !=
        G_TYPE_FROM_CLASS (klass))
      continue;
    g_value_init (&self->values[pspecs[i]->param_id - 1],
        pspecs[i]->value_type);
    g_param_value_set_default (pspecs[i],
        &self->values[pspecs[i]->param_id - 1]);
  }
  g_free (pspecs);
}

static gboolean
register_entry (GstPlugin * plugin, const StandinInfo * info,
    const gchar * factory, const gchar * node)
{
  Entry *entry = g_new0 (Entry, 1);
  GTypeInfo type_info = {
    sizeof (StandinClass), NULL, NULL,
    (GClassInitFunc) standin_class_init, NULL, entry,
    sizeof (Standin), 0, (GInstanceInitFunc) standin_init, NULL
  };
  gchar *type_name = g_strdup_printf ("Standin_%s", factory);
  GType type;

  entry->info = info;
  entry->factory = g_strdup (factory);
  entry->node = info->kind == KIND_VAAPI ? NULL : g_strdup (node);
  g_mutex_lock (&state_lock);
  if (!entries)
    entries = g_ptr_array_new ();
  g_ptr_array_add (entries, entry);
  g_mutex_unlock (&state_lock);
  type = g_type_register_static (GST_TYPE_VIDEO_ENCODER, type_name,
      &type_info, 0);
  g_free (type_name);
  return gst_element_register (plugin, factory, info->rank, type);
}

static gboolean
register_standins (GstPlugin * plugin)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (infos); i++) {
    if (!register_entry (plugin, &infos[i], infos[i].factory, "renderD128"))
      return FALSE;
  }
  return TRUE;
}

void
standins_register (void)
{
  gst_plugin_register_static (GST_VERSION_MAJOR, GST_VERSION_MINOR,
      "qsvteststandins", "stand-ins for hardware H.264 encoders",
      register_standins, "0", "LGPL", "tests", "gst-qsvautoenc", "tests");
}

void
standin_register_device (const gchar * base, const gchar * factory,
    const gchar * node)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (infos); i++) {
    if (g_str_equal (infos[i].factory, base)) {
      g_assert_true (register_entry (NULL, &infos[i], factory, node));
      return;
    }
  }
  g_assert_not_reached ();
}
