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

typedef struct
{
  const gchar *factory;
  const gchar *sink_caps;
  const gchar *gop_property;    /* which property sets the keyframe interval */
  guint gop_default;
  PropSpec props[16];
} StandinInfo;

#define VA_SINK "video/x-raw(memory:VAMemory), width = (int) [ 16, 4096 ], " \
  "height = (int) [ 16, 4096 ], format = (string) NV12; " \
  "video/x-raw(memory:DMABuf), width = (int) [ 16, 4096 ], " \
  "height = (int) [ 16, 4096 ], format = (string) NV12; " \
  "video/x-raw, width = (int) [ 16, 4096 ], height = (int) [ 16, 4096 ], " \
  "format = (string) NV12"
#define VAAPI_SINK "video/x-raw(memory:VASurface), format = (string) { NV12, " \
  "YV12, I420 }, width = (int) [ 1, MAX ], height = (int) [ 1, MAX ], " \
  "framerate = (fraction) [ 0, MAX ], interlace-mode = (string) progressive; " \
  "video/x-raw, format = (string) { NV12, YV12, I420 }, " \
  "width = (int) [ 1, MAX ], height = (int) [ 1, MAX ], " \
  "framerate = (fraction) [ 0, MAX ], interlace-mode = (string) progressive"
#define QSV_SINK "video/x-raw(memory:VAMemory), format = (string) NV12, " \
  "width = (int) [ 16, 4096 ], height = (int) [ 16, 4096 ]; " \
  "video/x-raw, format = (string) NV12, width = (int) [ 16, 4096 ], " \
  "height = (int) [ 16, 4096 ]"
#define H264_SRC "video/x-h264, stream-format = (string) byte-stream, " \
  "alignment = (string) au, profile = (string) { constrained-baseline, " \
  "main, high }"

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

static StandinInfo infos[] = {
  {"vah264enc", VA_SINK, "key-int-max", 30, {VA_PROPS (0)}},
  {"vah264lpenc", VA_SINK, "key-int-max", 30, {VA_PROPS (0)}},
  {"qsvh264enc", QSV_SINK, "gop-size", 30, {
          {"rate-control", 0, 0, 0, 1}, {"bitrate", G_TYPE_UINT, 0, G_MAXINT,
              2000}, {"qpi", G_TYPE_UINT, 0, 51, 0}, {"qpp", G_TYPE_UINT, 0, 51,
              0}, {"qpb", G_TYPE_UINT, 0, 51, 0}, {"gop-size", G_TYPE_UINT, 0,
              G_MAXINT, 0}, {"b-frames", G_TYPE_UINT, 0, G_MAXINT, 0},
          {"target-usage", G_TYPE_UINT, 1, 7, 4}, {"low-latency",
              G_TYPE_BOOLEAN, 0, 1, 0}, {"device-path", G_TYPE_STRING, 0, 0, 0,
              TRUE}}},
  {"vaapih264enc", VAAPI_SINK, "keyframe-period", 30, {
          {"rate-control", 0, 0, 0, 1}, {"bitrate", G_TYPE_UINT, 0, 2048000,
              0}, {"init-qp", G_TYPE_UINT, 0, 51, 26}, {"keyframe-period",
              G_TYPE_UINT, 0, G_MAXUINT, 30}, {"max-bframes", G_TYPE_UINT, 0,
              10, 0}, {"quality-level", G_TYPE_UINT, 1, 7, 4}, {"tune", 0, 0,
              0, 0}}},
};

static StandinMode modes[G_N_ELEMENTS (infos)];
static guint frames_in[G_N_ELEMENTS (infos)];
static gchar *device_path;
static guint fail_frame;
static GMutex state_lock;

typedef struct
{
  GstElement parent;
  GstPad *sinkpad, *srcpad;
  GValue *values;
  guint n_values;
  guint frame;
  guint index;                  /* into infos */
} Standin;

typedef struct
{
  GstElementClass parent_class;
  guint index;
} StandinClass;

static GstElementClass *standin_parent_class;

static guint
info_index (const gchar * factory)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (infos); i++) {
    if (g_str_equal (infos[i].factory, factory))
      return i;
  }
  g_assert_not_reached ();
  return 0;
}

void
standin_set_mode (const gchar * factory, StandinMode mode)
{
  g_mutex_lock (&state_lock);
  modes[info_index (factory)] = mode;
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
  n = frames_in[info_index (factory)];
  g_mutex_unlock (&state_lock);
  return n;
}

static StandinMode
mode_of (Standin * self)
{
  StandinMode m;

  g_mutex_lock (&state_lock);
  m = modes[self->index];
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

static GParamSpec *
make_pspec (const StandinInfo * info, const PropSpec * p)
{
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS;

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
    g_mutex_lock (&state_lock);
    g_value_set_string (value, device_path);
    g_mutex_unlock (&state_lock);
    return;
  }
  GST_OBJECT_LOCK (self);
  g_value_copy (&self->values[prop_id - 1], value);
  GST_OBJECT_UNLOCK (self);
}

static guint
gop_of (Standin * self)
{
  const StandinInfo *info = &infos[self->index];
  GValue v = G_VALUE_INIT;
  guint gop;

  g_value_init (&v, G_TYPE_UINT);
  g_object_get_property (G_OBJECT (self), info->gop_property, &v);
  gop = g_value_get_uint (&v);
  return gop ? gop : info->gop_default;
}

static gboolean
standin_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  Standin *self = (Standin *) parent;
  StandinMode mode = mode_of (self);

  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    GstCaps *in, *out;
    GstStructure *s;

    if (mode == STANDIN_REFUSE_CAPS) {
      gst_event_unref (event);
      return FALSE;
    }
    gst_event_parse_caps (event, &in);
    s = gst_caps_get_structure (in, 0);
    out = gst_caps_new_simple ("video/x-h264", "stream-format",
        G_TYPE_STRING, "byte-stream", "alignment", G_TYPE_STRING, "au",
        "profile", G_TYPE_STRING, "main", NULL);
    gst_structure_set_value (gst_caps_get_structure (out, 0), "width",
        gst_structure_get_value (s, "width"));
    gst_structure_set_value (gst_caps_get_structure (out, 0), "height",
        gst_structure_get_value (s, "height"));
    gst_event_unref (event);
    gst_pad_push_event (self->srcpad, gst_event_new_caps (out));
    gst_caps_unref (out);
    return TRUE;
  }
  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS && mode == STANDIN_ERROR_AT_EOS) {
    GST_ELEMENT_ERROR (self, STREAM, ENCODE, ("stand-in failed to drain"),
        (NULL));
    gst_event_unref (event);
    return FALSE;
  }
  return gst_pad_event_default (pad, parent, event);
}

static GstFlowReturn
standin_chain (GstPad * pad, GstObject * parent, GstBuffer * in)
{
  Standin *self = (Standin *) parent;
  StandinMode mode = mode_of (self);
  GstBuffer *out;

  g_mutex_lock (&state_lock);
  frames_in[self->index]++;
  g_mutex_unlock (&state_lock);

  if ((mode == STANDIN_ERROR_AT_FRAME || mode == STANDIN_FLOW_ERROR_AT_FRAME)
      && self->frame >= get_fail_frame ())
    mode = mode == STANDIN_ERROR_AT_FRAME ? STANDIN_ERROR_FIRST_BUFFER :
        STANDIN_FLOW_ERROR;
  switch (mode) {
    case STANDIN_ERROR_FIRST_BUFFER:
      gst_buffer_unref (in);
      GST_ELEMENT_ERROR (self, STREAM, ENCODE, ("stand-in device failed"),
          ("MFX_ERR_DEVICE_FAILED (simulated)"));
      return GST_FLOW_ERROR;
    case STANDIN_FLOW_ERROR:
      gst_buffer_unref (in);
      return GST_FLOW_ERROR;
    case STANDIN_ERROR_AT_EOS:
    case STANDIN_SWALLOW:
      gst_buffer_unref (in);
      return GST_FLOW_OK;
    default:
      break;
  }
  /* one "coded" frame per input, keyframes every GOP */
  out = gst_buffer_new_allocate (NULL, 16, NULL);
  gst_buffer_memset (out, 0, 0, 16);
  /* byte-stream, as the real encoders' output: a start code and a slice
   * NAL header (IDR or not), then filler */
  gst_buffer_memset (out, 3, 1, 1);
  gst_buffer_memset (out, 4, self->frame % gop_of (self) ? 0x41 : 0x65, 1);
  GST_BUFFER_PTS (out) = GST_BUFFER_PTS (in);
  GST_BUFFER_DTS (out) = GST_BUFFER_PTS (in);
  GST_BUFFER_DURATION (out) = GST_BUFFER_DURATION (in);
  if (self->frame++ % gop_of (self) != 0)
    GST_BUFFER_FLAG_SET (out, GST_BUFFER_FLAG_DELTA_UNIT);
  gst_buffer_unref (in);
  return gst_pad_push (self->srcpad, out);
}

static GstStateChangeReturn
standin_change_state (GstElement * element, GstStateChange transition)
{
  Standin *self = (Standin *) element;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY &&
      mode_of (self) == STANDIN_FAIL_READY) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ_WRITE,
        ("stand-in could not open the device"), (NULL));
    return GST_STATE_CHANGE_FAILURE;
  }
  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED)
    self->frame = 0;
  return standin_parent_class->change_state (element, transition);
}

static void
standin_finalize (GObject * object)
{
  Standin *self = (Standin *) object;
  guint i;

  for (i = 0; i < self->n_values; i++)
    g_value_unset (&self->values[i]);
  g_free (self->values);
  G_OBJECT_CLASS (standin_parent_class)->finalize (object);
}

static void
standin_class_init (StandinClass * klass, gpointer data)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const StandinInfo *info = data;
  GstCaps *caps;
  guint i;

  standin_parent_class = g_type_class_peek_parent (klass);
  klass->index = info - infos;
  gobject_class->set_property = standin_set_property;
  gobject_class->get_property = standin_get_property;
  gobject_class->finalize = standin_finalize;
  element_class->change_state = standin_change_state;
  for (i = 0; info->props[i].name; i++)
    g_object_class_install_property (gobject_class, i + 1,
        make_pspec (info, &info->props[i]));

  caps = gst_caps_from_string (info->sink_caps);
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, caps));
  gst_caps_unref (caps);
  caps = gst_caps_from_string (H264_SRC);
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("src", GST_PAD_SRC, GST_PAD_ALWAYS, caps));
  gst_caps_unref (caps);
  gst_element_class_set_static_metadata (element_class, info->factory,
      "Codec/Encoder/Video/Hardware", "test stand-in", "tests");
}

static void
standin_init (Standin * self, gpointer g_class)
{
  StandinClass *klass = g_class;
  GParamSpec **pspecs;
  guint i, n;

  self->index = klass->index;
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

  self->sinkpad = gst_pad_new_from_template (gst_element_class_get_pad_template
      (GST_ELEMENT_CLASS (klass), "sink"), "sink");
  gst_pad_set_event_function (self->sinkpad, standin_sink_event);
  gst_pad_set_chain_function (self->sinkpad, standin_chain);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->srcpad = gst_pad_new_from_template (gst_element_class_get_pad_template
      (GST_ELEMENT_CLASS (klass), "src"), "src");
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
}

static gboolean
register_standins (GstPlugin * plugin)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (infos); i++) {
    GTypeInfo type_info = {
      sizeof (StandinClass), NULL, NULL,
      (GClassInitFunc) standin_class_init, NULL, &infos[i],
      sizeof (Standin), 0, (GInstanceInitFunc) standin_init, NULL
    };
    gchar *type_name = g_strdup_printf ("Standin_%s", infos[i].factory);
    GType type = g_type_register_static (GST_TYPE_ELEMENT, type_name,
        &type_info, 0);

    g_free (type_name);
    if (!gst_element_register (plugin, infos[i].factory, GST_RANK_NONE, type))
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
