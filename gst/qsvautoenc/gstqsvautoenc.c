/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/**
 * SECTION:element-qsvautoenc
 * @title: qsvautoenc
 *
 * An H.264 encoder that uses Intel QuickSync / VA-API hardware when the
 * machine has it and software (x264) when it does not, and says which.
 *
 * At NULL->READY it probes the VA display, chooses the first usable encoder
 * among qsvh264enc, vah264enc, vah264lpenc, vaapih264enc, x264enc and
 * openh264enc, gives it the element's settings, and checks that it reaches
 * READY. If the hardware encoder then refuses the input or fails before its
 * first output, the next candidate takes over and is fed every frame again:
 * the application sees a `qsvautoenc-fallback` message, not an error.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 videotestsrc num-buffers=300 ! qsvautoenc bitrate=4000 ! \
 *     h264parse ! mp4mux ! filesink location=out.mp4
 * ]|
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc-priv.h"
#include "gstqsvreporttracer.h"

#include <string.h>

GST_DEBUG_CATEGORY (gst_qsv_auto_enc_debug);
#define GST_CAT_DEFAULT gst_qsv_auto_enc_debug

enum
{
  PROP_0,
  PROP_BITRATE,
  PROP_RATE_CONTROL,
  PROP_QP,
  PROP_KEY_INT_MAX,
  PROP_B_FRAMES,
  PROP_TARGET_USAGE,
  PROP_LOW_LATENCY,
  PROP_ENCODER,
  PROP_DEVICE,
  PROP_ACTIVE_ENCODER,
  PROP_HARDWARE,
  PROP_ACTIVE_DEVICE,
  PROP_SELECTION_REPORT,
  PROP_FALLBACK,
  PROP_TRACER,
  PROP_TRACER_FILE,
  PROP_STALL_TIMEOUT,
  N_PROPERTIES
};

#define GST_TYPE_QSV_AUTO_ENC_FALLBACK (gst_qsv_auto_enc_fallback_get_type ())
static GType
gst_qsv_auto_enc_fallback_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_QSV_AUTO_ENC_FALLBACK_NEVER, "Never: a failing encoder is an error",
        "never"},
    {GST_QSV_AUTO_ENC_FALLBACK_STARTUP, "Only before the encoder's first "
          "output (refused caps, first-frame errors)", "startup"},
    {GST_QSV_AUTO_ENC_FALLBACK_ALWAYS, "Also when a hardware encoder fails "
          "mid-stream: its frames not yet output go to the next encoder",
        "always"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstQsvAutoEncFallback", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

static GParamSpec *properties[N_PROPERTIES];
/* the child the application looked up in this thread (see child_notify) */
static GPrivate user_lookup;

/* The formats hardware H.264 encodes: 8-bit 4:2:0. Software could do more,
 * but a fallback must not change what downstream receives. */
#define ENCODE_FORMATS "NV12, I420, YV12"
#define SRC_CAPS "video/x-h264, stream-format = (string) { avc, byte-stream }, " \
    "alignment = (string) au, " \
    "profile = (string) { constrained-baseline, baseline, main, high }"

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (SRC_CAPS));

static GstChildProxyInterface *parent_child_proxy;
static void gst_qsv_auto_enc_child_proxy_init (gpointer g_iface,
    gpointer iface_data);

static gpointer parent_class;
/* registered with its class data by gst_qsv_auto_enc_register_type() */
static GType qsv_auto_enc_type;
static void gst_qsv_auto_enc_class_init (GstQsvAutoEncClass * klass,
    GstQsvAutoEncClassData * cdata);
static void gst_qsv_auto_enc_init (GstQsvAutoEnc * self);

GType
gst_qsv_auto_enc_get_type (void)
{
  return qsv_auto_enc_type;
}

static void gst_qsv_auto_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_qsv_auto_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_qsv_auto_enc_finalize (GObject * object);
static GstStateChangeReturn gst_qsv_auto_enc_change_state (GstElement *
    element, GstStateChange transition);
static gboolean gst_qsv_auto_enc_query (GstElement * element,
    GstQuery * query);
static void gst_qsv_auto_enc_handle_message (GstBin * bin, GstMessage * msg);
static gboolean gst_qsv_auto_enc_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query);
static void capture_child_overrides (GstQsvAutoEnc * self, GstElement * enc);
static void release_child_overrides (GstQsvAutoEnc * self, GstElement * enc);
static void apply_child_overrides (GstQsvAutoEnc * self, GstElement * enc);

/* As G_DEFINE_TYPE_WITH_CODE would, plus the class data: what
 * gstqsvautoencregister.c found on this machine (class_init takes it). */
GType
gst_qsv_auto_enc_register_type (GstQsvAutoEncClassData * cdata)
{
  GTypeInfo info = {
    .class_size = sizeof (GstQsvAutoEncClass),
    .class_init = (GClassInitFunc) gst_qsv_auto_enc_class_init,
    .class_data = cdata,
    .instance_size = sizeof (GstQsvAutoEnc),
    .instance_init = (GInstanceInitFunc) gst_qsv_auto_enc_init,
  };
  const GInterfaceInfo child_proxy = {
    .interface_init = gst_qsv_auto_enc_child_proxy_init,
  };

  if (qsv_auto_enc_type) {
    /* the plugin registered again in this process: the class is made */
    g_free (cdata->summary);
    g_free (cdata);
    return qsv_auto_enc_type;
  }
  qsv_auto_enc_type = g_type_register_static (GST_TYPE_BIN, "GstQsvAutoEnc",
      &info, 0);
  g_type_add_interface_static (qsv_auto_enc_type, GST_TYPE_CHILD_PROXY,
      &child_proxy);
  return qsv_auto_enc_type;
}

static void
install_properties (GObjectClass * gobject_class)
{
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  gchar *names = gst_qsv_catalog_factory_names (", ");
  gchar *encoder_blurb = g_strdup_printf ("Encoder to use: \"auto\" (the "
      "first usable of %s) or one of those factory names (no fallback then)",
      names);

  properties[PROP_BITRATE] = g_param_spec_uint ("bitrate", "Bitrate",
      "Target bitrate in kbit/s for cbr and vbr (x264enc, vah264enc, "
      "vah264lpenc, qsvh264enc, vaapih264enc: bitrate; openh264enc: bitrate "
      "x 1000 bit/s). Changeable while PLAYING", 1, GST_QSV_MAX_BITRATE,
      GST_QSV_DEFAULT_BITRATE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING);
  properties[PROP_RATE_CONTROL] = g_param_spec_enum ("rate-control",
      "Rate control", "Rate control: auto picks cbr, else vbr, else cqp, "
      "whichever the encoder offers; an explicit mode moves the choice to "
      "an encoder that has it (x264enc: pass=cbr/qual/quant; VA and QSV "
      "encoders: rate-control)", GST_TYPE_QSV_RATE_CONTROL,
      GST_QSV_RATE_CONTROL_AUTO, rw);
  properties[PROP_QP] = g_param_spec_uint ("qp", "QP",
      "Quantizer for cqp (and x264enc's vbr quality): x264enc quantizer "
      "(at most 50), VA/QSV qpi/qpp/qpb, vaapih264enc init-qp", 0, 51,
      GST_QSV_DEFAULT_QP, rw);
  properties[PROP_KEY_INT_MAX] = g_param_spec_uint ("key-int-max",
      "Keyframe interval", "Exact distance in frames between keyframes, no "
      "extra keyframes at scene cuts; 0 = the encoder's default (x264enc: "
      "key-int-max + scenecut=0, VA: key-int-max, qsvh264enc: gop-size, "
      "vaapih264enc: keyframe-period, openh264enc: gop-size)", 0,
      GST_QSV_MAX_KEY_INT, 0, rw);
  properties[PROP_B_FRAMES] = g_param_spec_uint ("b-frames", "B-frames",
      "B-frames between I and P frames (x264enc: bframes, vaapih264enc: "
      "max-bframes, others: b-frames; openh264enc has none)", 0,
      GST_QSV_MAX_B_FRAMES, 0, rw);
  properties[PROP_TARGET_USAGE] = g_param_spec_uint ("target-usage",
      "Target usage", "Speed/quality: 1 = best quality .. 7 = fastest "
      "(VA/QSV target-usage, vaapih264enc quality-level; x264enc "
      "speed-preset slow, medium, fast, faster, veryfast, superfast, "
      "ultrafast; openh264enc complexity high/medium/low)", 1, 7,
      GST_QSV_DEFAULT_TARGET_USAGE, rw);
  properties[PROP_LOW_LATENCY] = g_param_spec_boolean ("low-latency",
      "Low latency", "Encode for low latency: no B-frames, no lookahead "
      "(x264enc tune=zerolatency, qsvh264enc low-latency)", FALSE, rw);
  properties[PROP_ENCODER] = g_param_spec_string ("encoder", "Encoder",
      encoder_blurb, "auto", rw);
  properties[PROP_DEVICE] = g_param_spec_string ("device", "Device",
      "DRM render node to probe and encode on: \"auto\" (first usable of "
      "/dev/dri/renderD128..191, or $QSVAUTOENC_DEVICE) or a path", "auto",
      rw);
  properties[PROP_ACTIVE_ENCODER] = g_param_spec_string ("active-encoder",
      "Active encoder", "Factory name of the encoder doing the work, NULL "
      "before NULL->READY", NULL, ro);
  properties[PROP_HARDWARE] = g_param_spec_boolean ("hardware", "Hardware",
      "Whether the active encoder is a hardware one", FALSE, ro);
  properties[PROP_ACTIVE_DEVICE] = g_param_spec_string ("active-device",
      "Active device", "Render node of the active hardware encoder, NULL "
      "for software", NULL, ro);
  properties[PROP_SELECTION_REPORT] = g_param_spec_boxed ("selection-report",
      "Selection report", "What was chosen and why, each rejected candidate "
      "with its reason, and every fallback (a qsvautoenc-report structure)",
      GST_TYPE_STRUCTURE, ro);

  properties[PROP_FALLBACK] = g_param_spec_enum ("fallback", "Fallback",
      "When a failed encoder is replaced by the next candidate, which gets "
      "every frame the failed one had not output", GST_TYPE_QSV_AUTO_ENC_FALLBACK,
      GST_QSV_AUTO_ENC_FALLBACK_ALWAYS, rw);

  properties[PROP_STALL_TIMEOUT] = g_param_spec_uint ("stall-timeout",
      "Stall timeout", "Milliseconds an encoder may hold input frames without "
      "any output before it is treated as failed (a GPU or driver hang): a "
      "qsvautoenc-stall message, then the fallback; 0 = off", 0, 600000, 0,
      rw);
  properties[PROP_TRACER] = g_param_spec_boolean ("tracer", "Tracer",
      "Install the qsvautoenc-report tracer (if none is active) at NULL->READY, "
      "as GST_TRACERS=qsvautoenc-report would", FALSE, rw);
  properties[PROP_TRACER_FILE] = g_param_spec_string ("tracer-file",
      "Tracer status file", "With tracer=true: the JSON status file it keeps "
      "up to date (the tracer's file= parameter)", NULL, rw);

  g_object_class_install_properties (gobject_class, N_PROPERTIES, properties);
  /* the blurb must outlive the class: it is never freed */
  g_free (names);
}

static gchar *
describe_element (const gchar * summary)
{
  return g_strdup_printf ("H.264 encoder that uses Intel QuickSync / VA-API "
      "hardware when present (qsvh264enc, vah264enc, vah264lpenc, "
      "vaapih264enc) and software otherwise (x264enc, openh264enc), and "
      "reports which one works and why. On this machine: %s",
      summary ? summary : "not probed (load the plugin to see)");
}

static void
gst_qsv_auto_enc_class_init (GstQsvAutoEncClass * klass,
    GstQsvAutoEncClassData * cdata)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBinClass *bin_class = GST_BIN_CLASS (klass);
  GstCaps *sink_caps;
  gchar *description;

  parent_class = g_type_class_peek_parent (klass);
  gobject_class->set_property = gst_qsv_auto_enc_set_property;
  gobject_class->get_property = gst_qsv_auto_enc_get_property;
  gobject_class->finalize = gst_qsv_auto_enc_finalize;
  install_properties (gobject_class);

  /* any raw video: a converter in front brings it to 8-bit 4:2:0; VA memory
   * goes straight to a VA encoder where one is usable */
  sink_caps = gst_caps_from_string (cdata->va_memory ?
      "video/x-raw(memory:VAMemory), format = (string) NV12; video/x-raw" :
      "video/x-raw");
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, sink_caps));
  gst_caps_unref (sink_caps);
  gst_element_class_add_static_pad_template (element_class, &src_template);

  description = describe_element (cdata->summary);
  gst_element_class_set_metadata (element_class,
      "Automatic H.264 encoder (QuickSync/VA-API, else x264)",
      "Codec/Encoder/Video", description,
      "gst-qsvautoenc developers");
  g_free (description);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_change_state);
  element_class->query = GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_query);
  bin_class->handle_message =
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_handle_message);

  gst_type_mark_as_plugin_api (GST_TYPE_QSV_RATE_CONTROL, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_QSV_AUTO_ENC_FALLBACK, 0);
  GST_DEBUG_CATEGORY_INIT (gst_qsv_auto_enc_debug, "qsvautoenc", 0,
      "Automatic H.264 encoder selection");

  g_free (cdata->summary);
  g_free (cdata);
}

static void
free_gvalue (GValue * v)
{
  g_value_unset (v);
  g_free (v);
}

static void
gst_qsv_auto_enc_init (GstQsvAutoEnc * self)
{
  GstElementClass *klass = GST_ELEMENT_GET_CLASS (self);

  gst_qsv_settings_init (&self->settings);
  self->encoder_name = g_strdup ("auto");
  self->device = g_strdup ("auto");
  self->settings.encoder = self->encoder_name;
  self->fallback = GST_QSV_AUTO_ENC_FALLBACK_ALWAYS;
  self->child_overrides = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, (GDestroyNotify) free_gvalue);

  /* made once, with no target; retargeted at each (re)selection */
  self->sinkpad = gst_ghost_pad_new_no_target_from_template ("sink",
      gst_element_class_get_pad_template (klass, "sink"));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->srcpad = gst_ghost_pad_new_no_target_from_template ("src",
      gst_element_class_get_pad_template (klass, "src"));
  gst_pad_set_query_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_src_query));
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
  gst_qsv_auto_enc_stream_init (self);
}

static void
gst_qsv_auto_enc_finalize (GObject * object)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (object);

  gst_qsv_auto_enc_stream_clear (self);
  g_hash_table_unref (self->child_overrides);
  g_free (self->out_format);
  g_free (self->encoder_name);
  g_free (self->device);
  g_free (self->tracer_file);
  g_free (self->active_encoder);
  g_free (self->active_device);
  g_clear_pointer (&self->report, gst_structure_free);
  g_clear_pointer (&self->selection, gst_qsv_selection_free);
  g_clear_pointer (&self->probe, gst_qsv_va_probe_result_free);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

/* ---------------------------------------------------------------------- */
/* Properties                                                             */

static gboolean
is_selection_property (guint prop_id)
{
  return prop_id == PROP_ENCODER || prop_id == PROP_DEVICE ||
      prop_id == PROP_RATE_CONTROL || prop_id == PROP_FALLBACK;
}

static void apply_settings (GstQsvAutoEnc * self);
static void apply_bitrate (GstQsvAutoEnc * self);

static void
gst_qsv_auto_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (object);
  GstQsvSettings *s = &self->settings;
  gboolean have_encoder;
  GstState state;

  GST_OBJECT_LOCK (self);
  state = GST_STATE (self);
  if (prop_id != PROP_BITRATE && state > GST_STATE_READY) {
    GST_OBJECT_UNLOCK (self);
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, (NULL),
        ("%s can only be changed in the NULL or READY state; ignored",
            pspec->name));
    return;
  }
  switch (prop_id) {
    case PROP_BITRATE:
      s->bitrate = g_value_get_uint (value);
      s->bitrate_set = TRUE;
      break;
    case PROP_RATE_CONTROL:
      s->rate_control = g_value_get_enum (value);
      break;
    case PROP_QP:
      s->qp = g_value_get_uint (value);
      break;
    case PROP_KEY_INT_MAX:
      s->key_int_max = g_value_get_uint (value);
      break;
    case PROP_B_FRAMES:
      s->b_frames = g_value_get_uint (value);
      break;
    case PROP_TARGET_USAGE:
      s->target_usage = g_value_get_uint (value);
      break;
    case PROP_LOW_LATENCY:
      s->low_latency = g_value_get_boolean (value);
      break;
    case PROP_ENCODER:
      g_free (self->encoder_name);
      self->encoder_name = g_value_dup_string (value);
      if (!self->encoder_name)
        self->encoder_name = g_strdup ("auto");
      s->encoder = self->encoder_name;
      break;
    case PROP_DEVICE:
      g_free (self->device);
      self->device = g_value_dup_string (value);
      if (!self->device)
        self->device = g_strdup ("auto");
      break;
    case PROP_FALLBACK:
      self->fallback = g_value_get_enum (value);
      break;
    case PROP_TRACER:
      self->tracer = g_value_get_boolean (value);
      break;
    case PROP_STALL_TIMEOUT:
      self->stall_timeout = g_value_get_uint (value);
      break;
    case PROP_TRACER_FILE:
      g_free (self->tracer_file);
      self->tracer_file = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  if (state == GST_STATE_READY && is_selection_property (prop_id))
    self->reselect = TRUE;
  have_encoder = self->encoder != NULL;
  GST_OBJECT_UNLOCK (self);

  if (!have_encoder || is_selection_property (prop_id))
    return;
  if (prop_id == PROP_BITRATE)
    apply_bitrate (self);
  else
    apply_settings (self);
}

static void
gst_qsv_auto_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (object);
  GstQsvSettings *s = &self->settings;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_BITRATE:
      g_value_set_uint (value, s->bitrate);
      break;
    case PROP_RATE_CONTROL:
      g_value_set_enum (value, s->rate_control);
      break;
    case PROP_QP:
      g_value_set_uint (value, s->qp);
      break;
    case PROP_KEY_INT_MAX:
      g_value_set_uint (value, s->key_int_max);
      break;
    case PROP_B_FRAMES:
      g_value_set_uint (value, s->b_frames);
      break;
    case PROP_TARGET_USAGE:
      g_value_set_uint (value, s->target_usage);
      break;
    case PROP_LOW_LATENCY:
      g_value_set_boolean (value, s->low_latency);
      break;
    case PROP_ENCODER:
      g_value_set_string (value, self->encoder_name);
      break;
    case PROP_DEVICE:
      g_value_set_string (value, self->device);
      break;
    case PROP_ACTIVE_ENCODER:
      g_value_set_string (value, self->active_encoder);
      break;
    case PROP_HARDWARE:
      g_value_set_boolean (value, self->hardware);
      break;
    case PROP_ACTIVE_DEVICE:
      g_value_set_string (value, self->active_device);
      break;
    case PROP_SELECTION_REPORT:
      g_value_set_boxed (value, self->report);
      break;
    case PROP_FALLBACK:
      g_value_set_enum (value, self->fallback);
      break;
    case PROP_TRACER:
      g_value_set_boolean (value, self->tracer);
      break;
    case PROP_STALL_TIMEOUT:
      g_value_set_uint (value, self->stall_timeout);
      break;
    case PROP_TRACER_FILE:
      g_value_set_string (value, self->tracer_file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

/* ---------------------------------------------------------------------- */
/* Giving the settings to a child                                         */

/* Sets one mapped property; returns a warning, or NULL. An enum value the
 * child doesn't have (driver-built enums) is an error for rate-control. */
static gchar *
set_child_property (GstElement * child, const GstQsvAssignment * a,
    gboolean * fatal)
{
  GParamSpec *pspec;
  const gchar *factory =
      GST_OBJECT_NAME (gst_element_get_factory (child));

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (child), a->name);
  if (!pspec)
    return g_strdup_printf ("%s has no property '%s'; %s=%s not applied",
        factory, a->name, a->name, a->value);
  if (G_IS_PARAM_SPEC_ENUM (pspec) &&
      !g_enum_get_value_by_nick (G_PARAM_SPEC_ENUM (pspec)->enum_class,
          a->value)) {
    *fatal = g_str_equal (a->name, "rate-control");
    return g_strdup_printf ("%s has no %s '%s'", factory, a->name, a->value);
  }
  GST_DEBUG_OBJECT (child, "%s=%s", a->name, a->value);
  gst_util_set_object_arg (G_OBJECT (child), a->name, a->value);
  return NULL;
}

/* Applies the mapped settings; returns FALSE (and @reason) if the child
 * cannot honour something essential. Warnings go to @warnings. */
static gboolean
configure_child (GstElement * child, const GstQsvCandidate * c,
    const GstQsvSettings * s, GPtrArray * warnings, gchar ** reason)
{
  GPtrArray *assignments = gst_qsv_candidate_map_settings (c, s, warnings);
  gboolean fatal = FALSE;
  guint i;

  g_private_set (&user_lookup, NULL);

  for (i = 0; i < assignments->len && !fatal; i++) {
    gchar *w = set_child_property (child,
        g_ptr_array_index (assignments, i), &fatal);

    if (w && fatal)
      *reason = w;
    else if (w)
      g_ptr_array_add (warnings, w);
  }
  g_ptr_array_unref (assignments);
  return !fatal;
}

static void
post_warnings (GstQsvAutoEnc * self, GPtrArray * warnings)
{
  guint i;

  for (i = 0; i < warnings->len; i++) {
    const gchar *w = g_ptr_array_index (warnings, i);

    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("%s", w), (NULL));
  }
}

/* Re-applies every setting to the active encoder (changed in READY). */
static void
apply_settings (GstQsvAutoEnc * self)
{
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);
  GstQsvSettings s;
  GstElement *enc = NULL;
  const GstQsvCandidate *c;
  gchar *reason = NULL;

  GST_OBJECT_LOCK (self);
  s = self->settings;
  c = self->active;
  if (self->encoder && c)
    enc = gst_object_ref (self->encoder);
  GST_OBJECT_UNLOCK (self);

  if (enc && !configure_child (enc, c, &s, warnings, &reason)) {
    g_ptr_array_add (warnings, reason);
    reason = NULL;
  }
  post_warnings (self, warnings);
  g_ptr_array_unref (warnings);
  gst_clear_object (&enc);
}

static void
apply_bitrate (GstQsvAutoEnc * self)
{
  GstQsvAssignment *a = NULL;
  GstElement *enc = NULL;
  gboolean fatal = FALSE;
  gchar *w;

  GST_OBJECT_LOCK (self);
  if (self->encoder && self->active) {
    a = gst_qsv_candidate_map_bitrate (self->active, self->settings.bitrate);
    enc = gst_object_ref (self->encoder);
  }
  GST_OBJECT_UNLOCK (self);

  if (!a) {
    if (enc)
      GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("bitrate change has no "
              "effect: the encoder runs with constant QP"), (NULL));
    gst_clear_object (&enc);
    return;
  }
  GST_INFO_OBJECT (self, "bitrate -> %s on %s", a->value,
      GST_OBJECT_NAME (enc));
  g_private_set (&user_lookup, NULL);
  w = set_child_property (enc, a, &fatal);
  if (w)
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("%s", w), (NULL));
  g_free (w);
  gst_qsv_assignment_free (a);
  gst_object_unref (enc);
}

/* ---------------------------------------------------------------------- */
/* Creating and checking a candidate                                      */

/* Is an element factory of that name in the registry (any user_data). */
gboolean
gst_qsv_auto_enc_factory_exists (const gchar * name, gpointer user_data)
{
  GstPluginFeature *f = gst_registry_find_feature (gst_registry_get (), name,
      GST_TYPE_ELEMENT_FACTORY);

  if (f)
    gst_object_unref (f);
  return f != NULL;
}

/* Does @enc drive @device? Both upstream encoders say which node they drive
 * in "device-path", at different times: qsvh264enc from its class data,
 * always (1.22 sys/qsv/gstqsvh264enc.cpp gst_qsv_h264_enc_get_property);
 * vah264enc/vah264lpenc only once their display is open, from READY on
 * (sys/va/gstvabaseenc.c gst_va_base_enc_get_property; NULL before). */
static gchar *
check_device (GstElement * enc, const gchar * device)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (enc),
      "device-path");
  gchar *path = NULL, *reason = NULL;

  if (!pspec || !device || !(pspec->flags & G_PARAM_READABLE))
    return NULL;
  g_object_get (enc, "device-path", &path, NULL);
  if (path && !gst_qsv_same_node (path, device))
    reason = g_strdup_printf ("drives %s, not the probed device %s", path,
        device);
  g_free (path);
  return reason;
}

/* qsvh264enc is the encoder of the first Intel GPU that can encode; the
 * others are qsvh264device1enc, qsvh264device2enc ... in registration order
 * (gstqsvh264enc.cpp gst_qsv_h264_enc_register), so the one for @device is
 * found by its device-path. */
static GstElement *
create_encoder (GstQsvCandidate * c)
{
  GstElement *enc = gst_element_factory_make (c->factory, "encoder");
  guint i;

  if (!enc || !c->device || !g_str_equal (c->factory, "qsvh264enc"))
    return enc;
  gst_object_ref_sink (enc);
  for (i = 1; i < 64; i++) {
    gchar *reason = check_device (enc, c->device), *name;
    GstElement *other;

    if (!reason)
      break;
    g_free (reason);
    name = g_strdup_printf ("qsvh264device%uenc", i);
    other = gst_element_factory_make (name, "encoder");
    if (!other) {
      g_free (name);
      break;
    }
    gst_object_unref (enc);
    enc = gst_object_ref_sink (other);
    g_free (c->factory);
    c->factory = name;
  }
  /* floating again, as gst_element_factory_make() returns it */
  g_object_force_floating (G_OBJECT (enc));
  return enc;
}

gchar *
gst_qsv_auto_enc_error_text (GstMessage * msg)
{
  GError *err = NULL;
  gchar *dbg = NULL, *text;

  gst_message_parse_error (msg, &err, &dbg);
  text = dbg ? g_strdup_printf ("%s (%s)", err->message, dbg) :
      g_strdup (err->message);
  g_error_free (err);
  g_free (dbg);
  return text;
}

/* Takes @enc to READY on a bus of its own, so that a failure stays off the
 * application's bus; returns the reason it failed, or NULL. */
static gchar *
try_ready (GstElement * enc)
{
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  gchar *reason = NULL;

  gst_element_set_bus (enc, bus);
  if (gst_element_set_state (enc, GST_STATE_READY) == GST_STATE_CHANGE_FAILURE) {
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    reason = msg ? gst_qsv_auto_enc_error_text (msg) : g_strdup ("failed to reach READY");
    if (msg)
      gst_message_unref (msg);
    gst_element_set_state (enc, GST_STATE_NULL);
  }
  gst_element_set_bus (enc, NULL);
  gst_bus_set_flushing (bus, TRUE);
  gst_object_unref (bus);
  return reason;
}

static GstElement *
make_candidate (GstQsvAutoEnc * self, const GstQsvCandidate * c,
    const GstQsvSettings * s, GPtrArray * warnings, gchar ** reason)
{
  /* the selection is ours: the per-node factory found is written back */
  GstElement *enc = create_encoder ((GstQsvCandidate *) c);
  gboolean hw = c->info && gst_qsv_encoder_info_is_hardware (c->info);

  if (!enc) {
    *reason = g_strdup_printf ("%s could not be created", c->factory);
    return NULL;
  }
  gst_object_ref_sink (enc);
  /* the node the selection probed for this candidate, never the raw
   * device= value ("auto") */
  if (hw)
    *reason = check_device (enc, c->device);
  if (!*reason && configure_child (enc, c, s, warnings, reason)) {
    apply_child_overrides (self, enc);
    *reason = try_ready (enc);
  }
  if (!*reason && hw) {
    /* a VA element knows its node from READY on */
    *reason = check_device (enc, c->device);
    if (*reason)
      gst_element_set_state (enc, GST_STATE_NULL);
  }
  if (*reason) {
    gst_object_unref (enc);
    return NULL;
  }
  return enc;
}

/* ---------------------------------------------------------------------- */
/* The internal chain:                                                    */
/*   converter ! capsfilter ! encoder ! enc_filter [! h264parse ! out_filter] */
/* The front (converter, capsfilter) stays; the path from the encoder on is */
/* replaced whole at a fallback.                                          */

/* The formats the encoder takes, limited to 8-bit 4:2:0, any memory. */
static GstCaps *
encoder_input_caps (GstElement * enc)
{
  GstPad *pad = gst_element_get_static_pad (enc, "sink");
  GstCaps *tmpl = gst_pad_get_pad_template_caps (pad);
  GstCaps *want = gst_caps_from_string ("video/x-raw, format = (string) { "
      ENCODE_FORMATS " }");
  GstCaps *result;

  gst_caps_set_features_simple (want, gst_caps_features_new_any ());
  result = gst_caps_intersect (tmpl, want);
  gst_caps_unref (want);
  gst_caps_unref (tmpl);
  gst_object_unref (pad);
  return result;
}

static gboolean
is_our_format (const gchar * format)
{
  return !g_strcmp0 (format, "byte-stream") || !g_strcmp0 (format, "avc") ||
      !g_strcmp0 (format, "avc3");
}

/* The first stream-format @caps list that the bin can produce: the
 * consumer's own preference (mp4mux and matroskamux list avc first). */
static const gchar *
preferred_format (GstCaps * caps)
{
  guint i, j;

  for (i = 0; i < gst_caps_get_size (caps); i++) {
    GstStructure *st = gst_caps_get_structure (caps, i);
    const GValue *v = gst_structure_get_value (st, "stream-format");

    if (!gst_structure_has_name (st, "video/x-h264"))
      continue;
    if (!v)
      return "byte-stream";
    if (G_VALUE_HOLDS_STRING (v) && is_our_format (g_value_get_string (v)))
      return g_value_get_string (v);
    if (GST_VALUE_HOLDS_LIST (v)) {
      for (j = 0; j < gst_value_list_get_size (v); j++) {
        const GValue *f = gst_value_list_get_value (v, j);

        if (G_VALUE_HOLDS_STRING (f) && is_our_format (g_value_get_string (f)))
          return g_value_get_string (f);
      }
    }
  }
  return NULL;
}

static gboolean
is_factory (GstElement * element, const gchar * const *names)
{
  GstElementFactory *f = element ? gst_element_get_factory (element) : NULL;

  return f && g_strv_contains (names, GST_OBJECT_NAME (f));
}

/* What the element that consumes the stream accepts, looking through an
 * H.264 parser (and queues) right after the bin: such a parser makes its
 * own caps from the in-band parameter sets, so what matters is what it
 * must produce. */
static GstCaps *
consumer_caps (GstQsvAutoEnc * self, gboolean * through_parser)
{
  static const gchar *const passive[] = { "queue", "queue2", "identity",
    NULL
  };
  static const gchar *const parsers[] = { "h264parse", NULL };
  GstPad *pad = gst_pad_get_peer (self->srcpad);
  GstCaps *caps = NULL;
  guint hops;

  *through_parser = FALSE;
  for (hops = 0; pad && hops < 8; hops++) {
    GstElement *e = gst_pad_get_parent_element (pad);
    GstPad *src = NULL;

    if (is_factory (e, parsers) || is_factory (e, passive))
      src = gst_element_get_static_pad (e, "src");
    if (src && is_factory (e, parsers)) {
      *through_parser = TRUE;
      caps = gst_pad_peer_query_caps (src, NULL);
    }
    gst_clear_object (&e);
    gst_object_unref (pad);
    pad = src && !caps ? gst_pad_get_peer (src) : NULL;
    gst_clear_object (&src);
  }
  gst_clear_object (&pad);
  if (!caps)
    caps = gst_pad_peer_query_caps (self->srcpad, NULL);
  return caps;
}

static gboolean
accepts_format (GstCaps * caps, const gchar * format)
{
  GstCaps *want = gst_caps_new_simple ("video/x-h264", "stream-format",
      G_TYPE_STRING, format, "alignment", G_TYPE_STRING, "au", NULL);
  gboolean ok = gst_caps_can_intersect (caps, want);

  gst_caps_unref (want);
  return ok;
}

/* The stream-format downstream gets, kept across every switch. Encoders
 * produce byte-stream inside (every one can, with the parameter sets at
 * each IDR); an h264parse makes avc or avc3.
 * - Linked directly: byte-stream where the consumer takes it (it carries
 *   new parameter sets in-band for everyone, and rtph264pay follows them
 *   only in byte-stream), else the consumer's first choice (avc for mp4mux
 *   and matroskamux, with the first codec_data kept).
 * - Behind a parser of the user's: what that parser will produce, the
 *   first format of the consumer's first structure (h264parse looks at no
 *   other), so that it passes the stream through untouched instead of
 *   converting it, which would rebuild codec_data from the new parameter
 *   sets at a switch: matroskamux refuses that and mp4mux applies it one
 *   sample early. */
static const gchar *
choose_out_format (GstQsvAutoEnc * self)
{
  gboolean parser;
  GstCaps *caps = consumer_caps (self, &parser);
  const gchar *format = NULL;

  if (caps && !gst_caps_is_any (caps) && !gst_caps_is_empty (caps)) {
    if (parser)
      caps = gst_caps_truncate (caps);
    else if (accepts_format (caps, "byte-stream"))
      format = "byte-stream";
    if (!format)
      format = preferred_format (caps);
  }
  if (!format)
    format = "byte-stream";
  GST_INFO_OBJECT (self, "downstream%s %" GST_PTR_FORMAT ": producing %s",
      parser ? " (behind a parser)" : "", caps, format);
  format = g_intern_string (format);
  gst_clear_caps (&caps);
  return format;
}

static gboolean
ensure_front (GstQsvAutoEnc * self, const GstQsvCandidate * c)
{
  const gchar *conv = "videoconvert";
  GstPad *target;

  if (self->convert)
    return TRUE;
  /* VA memory in, VA encoder out: vapostproc keeps frames on the GPU */
  if (c->info && gst_qsv_encoder_info_is_hardware (c->info) &&
      gst_qsv_auto_enc_factory_exists ("vapostproc", NULL))
    conv = "vapostproc";
  self->convert = gst_element_factory_make (conv, "convert");
  self->filter = gst_element_factory_make ("capsfilter", "filter");
  if (!self->convert || !self->filter) {
    gst_clear_object (&self->convert);
    gst_clear_object (&self->filter);
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN, ("%s or capsfilter is "
            "missing: install gstreamer1.0-plugins-base", conv), (NULL));
    return FALSE;
  }
  gst_bin_add_many (GST_BIN (self), self->convert, self->filter, NULL);
  gst_element_link_pads (self->convert, "src", self->filter, "sink");
  target = gst_element_get_static_pad (self->convert, "sink");
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->sinkpad), target);
  gst_object_unref (target);
  return TRUE;
}

/* A new path produces the profile downstream kept: a parser of the user's
 * after the bin announces the profile of the SPS it sees, so a subset
 * profile would still change its caps. (The level is kept by rewriting
 * the new path's SPS; see pin_level in gstqsvautoencstream.c.) */
static void
constrain_profile (GstQsvAutoEnc * self, GstCaps * caps)
{
  GstCaps *out = gst_qsv_auto_enc_stream_out_caps (self);
  const gchar *profile = out ?
      gst_structure_get_string (gst_caps_get_structure (out, 0), "profile") :
      NULL;

  if (profile)
    gst_caps_set_simple (caps, "profile", G_TYPE_STRING, profile, NULL);
  gst_clear_caps (&out);
}

static GstElement *
make_capsfilter (const gchar * name, GstCaps * caps)
{
  GstElement *f = gst_element_factory_make ("capsfilter", name);

  g_object_set (f, "caps", caps, NULL);
  gst_caps_unref (caps);
  return f;
}

/* Appends h264parse ! out_filter to the path where downstream gets avc or
 * avc3 (@format), and points the src ghost pad at the path's end. */
static void
finish_path_tail (GstQsvAutoEnc * self, const gchar * format)
{
  GstElement *last = self->enc_filter;
  GstPad *target;

  if (format && !g_str_equal (format, "byte-stream")) {
    GstCaps *caps = gst_caps_new_simple ("video/x-h264", "stream-format",
        G_TYPE_STRING, format, "alignment", G_TYPE_STRING, "au", NULL);

    self->parse = gst_element_factory_make ("h264parse", "parse");
    self->out_filter = make_capsfilter ("out_filter", caps);
    /* the parameter sets in-band at every IDR: after a switch they are
     * the only ones that describe the stream */
    g_object_set (self->parse, "config-interval", -1, NULL);
    gst_bin_add_many (GST_BIN (self), self->parse, self->out_filter, NULL);
    gst_element_link_many (self->enc_filter, self->parse, self->out_filter,
        NULL);
    last = self->out_filter;
  }
  target = gst_element_get_static_pad (last, "src");
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->srcpad), target);
  gst_object_unref (target);
}

/* Builds encoder ! enc_filter [! h264parse ! out_filter] behind the front
 * and in front of the src ghost pad. The output format is decided at
 * READY->PAUSED, when downstream is linked (finish_path); until then the
 * path ends at enc_filter. */
static void
install_path (GstQsvAutoEnc * self, GstElement * enc)
{
  GstCaps *caps = encoder_input_caps (enc);
  gchar *format;

  g_object_set (self->filter, "caps", caps, NULL);
  gst_caps_unref (caps);

  caps = gst_caps_from_string ("video/x-h264, stream-format = (string) "
      "byte-stream, alignment = (string) au");
  constrain_profile (self, caps);
  self->enc_filter = make_capsfilter ("enc_filter", caps);
  capture_child_overrides (self, enc);
  gst_bin_add_many (GST_BIN (self), enc, self->enc_filter, NULL);
  release_child_overrides (self, enc);
  gst_element_link_pads (self->filter, "src", enc, "sink");
  gst_element_link_pads (enc, "src", self->enc_filter, "sink");

  GST_OBJECT_LOCK (self);
  format = g_strdup (self->out_format);
  GST_OBJECT_UNLOCK (self);
  finish_path_tail (self, format);
  g_free (format);
}

/* At READY->PAUSED: the format downstream gets, and the parser that makes
 * it; once per stream: every later path produces the same. */
static void
finish_path (GstQsvAutoEnc * self)
{
  const gchar *format = "byte-stream";
  gboolean decided;

  GST_OBJECT_LOCK (self);
  decided = self->out_format != NULL || !self->encoder;
  GST_OBJECT_UNLOCK (self);
  if (decided)
    return;
  if (gst_qsv_auto_enc_factory_exists ("h264parse", NULL))
    format = choose_out_format (self);
  GST_OBJECT_LOCK (self);
  self->out_format = g_strdup (format);
  GST_OBJECT_UNLOCK (self);
  if (!g_str_equal (format, "byte-stream")) {
    gst_ghost_pad_set_target (GST_GHOST_PAD (self->srcpad), NULL);
    finish_path_tail (self, format);
  }
}

static void
remove_element (GstQsvAutoEnc * self, GstElement ** element)
{
  if (!*element)
    return;
  gst_element_set_state (*element, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self), *element);
  *element = NULL;
}

/* Takes the path out. Out of the bin first, so that whatever it posts
 * while it is torn down (a dead GPU's errors) reaches no one; kept until
 * the bin goes to NULL, since a state change of the bin may be iterating
 * its children right now (a fallback runs in the streaming thread). */
static void
remove_path (GstQsvAutoEnc * self)
{
  GstElement *path[4];
  guint i;

  GST_OBJECT_LOCK (self);
  path[0] = self->encoder;
  path[1] = self->enc_filter;
  path[2] = self->parse;
  path[3] = self->out_filter;
  self->encoder = self->enc_filter = self->parse = self->out_filter = NULL;
  self->active = NULL;
  GST_OBJECT_UNLOCK (self);
  for (i = 0; i < G_N_ELEMENTS (path); i++) {
    if (!path[i])
      continue;
    gst_element_set_locked_state (path[i], TRUE);
    /* the encoder's reference is ours already (make_candidate); the bin
     * owns the others */
    if (i > 0)
      gst_object_ref (path[i]);
    gst_bin_remove (GST_BIN (self), path[i]);
    gst_element_set_state (path[i], GST_STATE_NULL);
    self->retired = g_list_prepend (self->retired, path[i]);
  }
}

static void
release_retired (GstQsvAutoEnc * self)
{
  GList *l;

  for (l = self->retired; l; l = l->next)
    gst_element_set_state (l->data, GST_STATE_NULL);
  g_list_free_full (self->retired, gst_object_unref);
  self->retired = NULL;
}

/* After EOS the front's pads (and the ghost pad's) refuse data: a new
 * front for the replay. Returns its sink pad. */
GstPad *
gst_qsv_auto_enc_rebuild_front (GstQsvAutoEnc * self)
{
  GstCaps *caps;

  remove_element (self, &self->filter);
  remove_element (self, &self->convert);
  if (!ensure_front (self, self->active))
    return NULL;
  gst_element_link_pads (self->filter, "src", self->encoder, "sink");
  gst_element_sync_state_with_parent (self->convert);
  gst_element_sync_state_with_parent (self->filter);
  caps = encoder_input_caps (self->encoder);
  g_object_set (self->filter, "caps", caps, NULL);
  gst_caps_unref (caps);
  return gst_element_get_static_pad (self->convert, "sink");
}

/* ---------------------------------------------------------------------- */
/* encoder::prop=value                                                    */

/* Properties the application sets on the child (gst-launch's
 * encoder::threads=2, gst_child_proxy_set_property) are remembered and
 * given to every encoder the bin creates that has them, not only the one
 * that happened to exist. They are recognised as the child's notify in
 * the thread that looked the child up, or while gst-launch's delayed
 * setter runs at gst_bin_add. */
static void
child_notify (GObject * child, GParamSpec * pspec, GstQsvAutoEnc * self)
{
  GValue *v;

  if (g_private_get (&user_lookup) != child)
    return;
  if (!(pspec->flags & G_PARAM_READABLE) || !(pspec->flags &
          G_PARAM_WRITABLE) || pspec->owner_type == GST_TYPE_OBJECT ||
      pspec->owner_type == G_TYPE_OBJECT)
    return;
  v = g_new0 (GValue, 1);
  g_value_init (v, pspec->value_type);
  g_object_get_property (child, pspec->name, v);
  GST_INFO_OBJECT (self, "remembering encoder::%s for every encoder",
      pspec->name);
  GST_OBJECT_LOCK (self);
  g_hash_table_replace (self->child_overrides, g_strdup (pspec->name), v);
  GST_OBJECT_UNLOCK (self);
}

static void
capture_child_overrides (GstQsvAutoEnc * self, GstElement * enc)
{
  g_signal_connect_object (enc, "notify", G_CALLBACK (child_notify), self,
      0);
  g_private_set (&user_lookup, enc);
}

static void
release_child_overrides (GstQsvAutoEnc * self, GstElement * enc)
{
  g_private_set (&user_lookup, NULL);
}

static void
apply_child_overrides (GstQsvAutoEnc * self, GstElement * enc)
{
  GHashTableIter iter;
  gpointer name, value;
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GArray *values = g_array_new (FALSE, TRUE, sizeof (GValue));
  guint i;

  g_array_set_clear_func (values, (GDestroyNotify) g_value_unset);
  GST_OBJECT_LOCK (self);
  g_hash_table_iter_init (&iter, self->child_overrides);
  while (g_hash_table_iter_next (&iter, &name, &value)) {
    GValue copy = G_VALUE_INIT;

    g_value_init (&copy, G_VALUE_TYPE ((GValue *) value));
    g_value_copy (value, &copy);
    g_ptr_array_add (names, g_strdup (name));
    g_array_append_val (values, copy);
  }
  GST_OBJECT_UNLOCK (self);
  for (i = 0; i < names->len; i++) {
    const gchar *n = g_ptr_array_index (names, i);
    GParamSpec *pspec =
        g_object_class_find_property (G_OBJECT_GET_CLASS (enc), n);
    GValue *v = &g_array_index (values, GValue, i);

    if (pspec && (pspec->flags & G_PARAM_WRITABLE) &&
        g_value_type_transformable (G_VALUE_TYPE (v), pspec->value_type)) {
      GST_DEBUG_OBJECT (self, "encoder::%s from the application", n);
      g_object_set_property (G_OBJECT (enc), n, v);
    } else {
      GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("encoder::%s does not "
              "apply to %s, which has no such property", n,
              GST_OBJECT_NAME (gst_element_get_factory (enc))), (NULL));
    }
  }
  g_ptr_array_unref (names);
  g_array_unref (values);
}

static GObject *
gst_qsv_auto_enc_get_child_by_name (GstChildProxy * proxy, const gchar * name)
{
  GObject *child = parent_child_proxy->get_child_by_name (proxy, name);
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (proxy);
  gboolean is_encoder;

  GST_OBJECT_LOCK (self);
  is_encoder = child && (GstElement *) child == self->encoder;
  GST_OBJECT_UNLOCK (self);
  /* the application is about to read or set one of its properties (or
   * gst-launch's delayed setter, while the bin adds the child) */
  if (is_encoder)
    g_private_set (&user_lookup, child);
  else if (g_private_get (&user_lookup) != child)
    g_private_set (&user_lookup, NULL);
  return child;
}

static void
gst_qsv_auto_enc_child_proxy_init (gpointer g_iface, gpointer iface_data)
{
  GstChildProxyInterface *iface = g_iface;

  parent_child_proxy = g_type_interface_peek_parent (iface);
  iface->get_child_by_name = gst_qsv_auto_enc_get_child_by_name;
  iface->get_child_by_index = parent_child_proxy->get_child_by_index;
  iface->get_children_count = parent_child_proxy->get_children_count;
}

/* ---------------------------------------------------------------------- */
/* Reporting                                                              */

static GValue *
rejected_array (const GstQsvSelection * sel, GValue * array)
{
  guint i;

  g_value_init (array, GST_TYPE_ARRAY);
  for (i = 0; i < sel->rejected->len; i++) {
    const GstQsvRejection *r = g_ptr_array_index (sel->rejected, i);
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_STRING);
    g_value_take_string (&v, g_strdup_printf ("%s: %s", r->factory,
            r->reason));
    gst_value_array_append_and_take_value (array, &v);
  }
  return array;
}

/* The probed device a hardware candidate was chosen for. */
static const GstQsvVaDevice *
candidate_device (GstQsvAutoEnc * self, const GstQsvCandidate * c)
{
  guint i;

  for (i = 0; self->probe && c->device && i < self->probe->devices->len; i++) {
    const GstQsvVaDevice *d = g_ptr_array_index (self->probe->devices, i);

    if (g_strcmp0 (d->path, c->device) == 0)
      return d;
  }
  return NULL;
}

static gchar *
choice_reason (GstQsvAutoEnc * self, const GstQsvCandidate * c)
{
  const GstQsvVaDevice *dev = candidate_device (self, c);
  gchar *reason;

  if (gst_qsv_encoder_info_is_hardware (c->info))
    reason = g_strdup_printf ("hardware H.264 encode on %s (%s), "
        "rate-control %s", c->device ? c->device : "?",
        dev && dev->vendor ? dev->vendor : "unknown vendor",
        gst_qsv_rate_control_nick (c->rate_control));
  else if (self->probe && self->probe->status != GST_QSV_VA_STATUS_OK)
    reason = g_strdup_printf ("software: %s", self->probe->message);
  else
    reason = g_strdup_printf ("software: no hardware candidate is usable "
        "(see rejected), rate-control %s",
        gst_qsv_rate_control_nick (c->rate_control));
  if (c->note) {
    gchar *r = g_strconcat (reason, "; ", c->note, NULL);
    g_free (reason);
    reason = r;
  }
  return reason;
}

/* Fills the report and the read-only properties for the new active
 * encoder, and returns the selection message's structure. */
static GstStructure *
update_report (GstQsvAutoEnc * self, const gchar * name,
    const gchar * fallback_from, const gchar * fallback_error)
{
  const GstQsvCandidate *c = self->active;
  const GstQsvVaDevice *dev = candidate_device (self, c);
  gboolean hw = gst_qsv_encoder_info_is_hardware (c->info);
  gchar *reason = choice_reason (self, c);
  GValue rejected = G_VALUE_INIT, fallbacks = G_VALUE_INIT;
  GstStructure *msg;

  rejected_array (self->selection, &rejected);
  GST_OBJECT_LOCK (self);
  g_free (self->active_encoder);
  self->active_encoder = g_strdup (c->factory);
  self->hardware = hw;
  g_free (self->active_device);
  self->active_device = hw ? g_strdup (c->device) : NULL;

  g_value_init (&fallbacks, GST_TYPE_ARRAY);
  if (self->report && gst_structure_has_field (self->report, "fallbacks"))
    g_value_copy (gst_structure_get_value (self->report, "fallbacks"),
        &fallbacks);
  if (fallback_from) {
    GValue v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_STRING);
    g_value_take_string (&v, g_strdup_printf ("%s -> %s: %s", fallback_from,
            c->factory, fallback_error));
    gst_value_array_append_and_take_value (&fallbacks, &v);
  }
  g_clear_pointer (&self->report, gst_structure_free);
  self->report = gst_structure_new ("qsvautoenc-report",
      "encoder", G_TYPE_STRING, c->factory,
      "hardware", G_TYPE_BOOLEAN, hw,
      "device", G_TYPE_STRING, self->active_device,
      "vendor", G_TYPE_STRING, hw && dev ? dev->vendor : NULL,
      "rate-control", G_TYPE_STRING,
      gst_qsv_rate_control_nick (c->rate_control),
      "reason", G_TYPE_STRING, reason,
      "va-status", G_TYPE_STRING, self->probe ?
      gst_qsv_va_status_nick (self->probe->status) : "not-built", NULL);
  gst_structure_take_value (self->report, "rejected", &rejected);
  gst_structure_take_value (self->report, "fallbacks", &fallbacks);
  msg = gst_structure_copy (self->report);
  gst_structure_set_name (msg, name);
  GST_OBJECT_UNLOCK (self);

  GST_INFO_OBJECT (self, "using %s (%s): %s", c->factory,
      hw ? "hardware" : "software", reason);
  g_free (reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_ENCODER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HARDWARE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_DEVICE]);
  g_object_notify_by_pspec (G_OBJECT (self),
      properties[PROP_SELECTION_REPORT]);
  return msg;
}

/* ---------------------------------------------------------------------- */
/* Selection                                                              */

/* Creates the next candidate that reaches READY and installs it; the ones
 * that fail join the rejected list. Returns FALSE when none is left. */
static gboolean
activate_next_candidate (GstQsvAutoEnc * self, const GstQsvSettings * s,
    const gchar * device)
{
  GPtrArray *warnings = g_ptr_array_new_with_free_func (g_free);
  GstQsvSelection *sel = self->selection;
  GstElement *enc = NULL;
  const GstQsvCandidate *c = NULL;

  while (!enc && self->next_candidate < sel->candidates->len) {
    gchar *reason = NULL;

    c = g_ptr_array_index (sel->candidates, self->next_candidate++);
    GST_DEBUG_OBJECT (self, "trying %s", c->factory);
    g_ptr_array_set_size (warnings, 0);
    enc = make_candidate (self, c, s, warnings, &reason);
    if (!enc) {
      GST_INFO_OBJECT (self, "%s is not usable: %s", c->factory, reason);
      gst_qsv_selection_reject (sel, c->factory, reason);
      g_free (reason);
    }
  }
  if (enc && ensure_front (self, c)) {
    install_path (self, enc);
    GST_OBJECT_LOCK (self);
    self->encoder = enc;
    self->active = c;
    GST_OBJECT_UNLOCK (self);
    gst_qsv_auto_enc_stream_path_started (self);
    post_warnings (self, warnings);
  } else {
    gst_clear_object (&enc);
  }
  g_ptr_array_unref (warnings);
  return enc != NULL;
}

static gchar *
rejections_text (const GstQsvSelection * sel)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < sel->rejected->len; i++) {
    const GstQsvRejection *r = g_ptr_array_index (sel->rejected, i);
    g_string_append_printf (s, "%s%s: %s", i ? "; " : "", r->factory,
        r->reason);
  }
  return g_string_free (s, FALSE);
}

static gboolean
select_encoder (GstQsvAutoEnc * self)
{
  GstQsvSettings s;
  gchar *device, *encoder, *text, *missing;
  GstStructure *msg;

  GST_OBJECT_LOCK (self);
  s = self->settings;
  encoder = g_strdup (self->encoder_name);
  device = g_strdup (self->device);
  self->reselect = FALSE;
  GST_OBJECT_UNLOCK (self);
  s.encoder = encoder;

  if (g_strcmp0 (encoder, "auto") != 0 && !gst_qsv_catalog_lookup (encoder)) {
    text = gst_qsv_catalog_factory_names (", ");
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN, ("Unknown encoder '%s'",
            encoder), ("encoder= takes auto or one of: %s", text));
    g_free (text);
    goto failed;
  }

  /* a cached success stands; a failure is probed afresh, so a fixed
   * permission or a new driver is seen at the next start (except a driver
   * that hung a moment ago: each start would wait for the time-out) */
  g_clear_pointer (&self->probe, gst_qsv_va_probe_result_free);
  self->probe = gst_qsv_va_probe (device,
      GST_QSV_VA_PROBE_FLAG_RETRY_FAILURES);
  GST_DEBUG_OBJECT (self, "VA probe: %s", self->probe->message);

  g_clear_pointer (&self->selection, gst_qsv_selection_free);
  self->selection = gst_qsv_select (self->probe, &s,
      gst_qsv_auto_enc_factory_exists, NULL);
  self->next_candidate = 0;
  if (!activate_next_candidate (self, &s, device)) {
    text = rejections_text (self->selection);
    missing =
        gst_qsv_catalog_missing_packages (gst_qsv_auto_enc_factory_exists,
        NULL);
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        ("No usable H.264 encoder%s%s", *missing ? ": install " : "",
            missing), ("%s", text));
    g_free (text);
    g_free (missing);
    goto failed;
  }

  msg = update_report (self, "qsvautoenc-selected", NULL, NULL);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), msg));
  if (self->probe->explicit_device && g_str_equal (encoder, "auto") &&
      !gst_qsv_encoder_info_is_hardware (self->active->info)) {
    /* a node chosen by name that can't be used is said, not hidden behind
     * software (with device=auto and no GPU software is simply the answer) */
    const GstQsvVaDevice *d = self->probe->devices->len ?
        g_ptr_array_index (self->probe->devices, 0) : NULL;

    text = self->probe->status != GST_QSV_VA_STATUS_OK ?
        g_strdup (self->probe->message) : rejections_text (self->selection);
    /* VA works there but no hardware element can use it: the rejections
     * are the reason, in the headline too */
    GST_ELEMENT_WARNING (self, RESOURCE, OPEN_READ_WRITE,
        ("Cannot encode on %s (%s); encoding in software with %s",
            d ? d->path : device, self->probe->status ==
            GST_QSV_VA_STATUS_OK ? text :
            gst_qsv_va_status_nick (self->probe->status),
            self->active->factory), ("%s", text));
    g_free (text);
  }
  g_free (encoder);
  g_free (device);
  return TRUE;

failed:
  g_free (encoder);
  g_free (device);
  return FALSE;
}

static void
reset (GstQsvAutoEnc * self)
{
  gst_qsv_auto_enc_stop_watchdog (self);
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->sinkpad), NULL);
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->srcpad), NULL);
  remove_path (self);
  release_retired (self);
  remove_element (self, &self->filter);
  remove_element (self, &self->convert);
  gst_qsv_auto_enc_stream_reset (self);
  GST_OBJECT_LOCK (self);
  g_clear_pointer (&self->out_format, g_free);
  GST_OBJECT_UNLOCK (self);
  g_clear_pointer (&self->selection, gst_qsv_selection_free);
  g_clear_pointer (&self->probe, gst_qsv_va_probe_result_free);
}

static void
install_tracer (GstQsvAutoEnc * self)
{
  gchar *params = NULL;
  gboolean tracer;

  GST_OBJECT_LOCK (self);
  tracer = self->tracer;
  if (tracer && self->tracer_file) {
    gchar *escaped = g_strescape (self->tracer_file, NULL);
    params = g_strdup_printf ("file=\"%s\"", escaped);
    g_free (escaped);
  }
  GST_OBJECT_UNLOCK (self);
#ifndef GST_DISABLE_GST_TRACER_HOOKS
  if (tracer)
    gst_qsv_report_tracer_ensure (params);
#endif
  g_free (params);
}

static GstStateChangeReturn
gst_qsv_auto_enc_change_state (GstElement * element,
    GstStateChange transition)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (element);
  GstStateChangeReturn ret;
  gboolean reselect;

  switch (transition) {
    case GST_STATE_CHANGE_NULL_TO_READY:
      install_tracer (self);
      if (!select_encoder (self)) {
        reset (self);
        return GST_STATE_CHANGE_FAILURE;
      }
      break;
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      GST_OBJECT_LOCK (self);
      reselect = self->reselect;
      GST_OBJECT_UNLOCK (self);
      if (reselect) {
        reset (self);
        if (!select_encoder (self)) {
          reset (self);
          return GST_STATE_CHANGE_FAILURE;
        }
        gst_element_set_state (GST_ELEMENT (self->convert), GST_STATE_READY);
        gst_element_set_state (GST_ELEMENT (self->filter), GST_STATE_READY);
      }
      finish_path (self);
      gst_qsv_auto_enc_stream_path_started (self);
      gst_qsv_auto_enc_start_watchdog (self);
      break;
    case GST_STATE_CHANGE_PLAYING_TO_PAUSED:
      gst_qsv_auto_enc_stream_set_playing (self, FALSE);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      gst_qsv_auto_enc_stop_watchdog (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      gst_qsv_auto_enc_stream_set_playing (self, TRUE);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      gst_qsv_auto_enc_stream_flush (self);
      break;
    case GST_STATE_CHANGE_READY_TO_NULL:
      reset (self);
      GST_OBJECT_LOCK (self);
      g_clear_pointer (&self->active_encoder, g_free);
      g_clear_pointer (&self->active_device, g_free);
      self->hardware = FALSE;
      GST_OBJECT_UNLOCK (self);
      g_object_notify_by_pspec (G_OBJECT (self),
          properties[PROP_ACTIVE_ENCODER]);
      break;
    default:
      break;
  }
  return ret;
}


/* ---------------------------------------------------------------------- */
/* Fallback: replacing the active path                                    */

/* Whether a failure of the active path now would be handled: before its
 * first output, per the start-up policy; after it, only for a hardware
 * encoder (software ones do not lose their device) with "always". */
gboolean
gst_qsv_auto_enc_can_fall_back (GstQsvAutoEnc * self)
{
  GstQsvAutoEncFallback policy;
  gboolean next, hw;

  GST_OBJECT_LOCK (self);
  policy = self->fallback;
  next = self->selection && self->encoder &&
      self->next_candidate < self->selection->candidates->len;
  hw = self->active && gst_qsv_encoder_info_is_hardware (self->active->info);
  GST_OBJECT_UNLOCK (self);
  if (!next || policy == GST_QSV_AUTO_ENC_FALLBACK_NEVER)
    return FALSE;
  if (!g_atomic_int_get (&self->output_seen))
    return TRUE;
  return hw && policy == GST_QSV_AUTO_ENC_FALLBACK_ALWAYS;
}

static void
sync_path_state (GstQsvAutoEnc * self)
{
  GstElement *path[] = { self->encoder, self->enc_filter, self->parse,
    self->out_filter
  };

  for (guint i = 0; i < G_N_ELEMENTS (path); i++)
    if (path[i])
      gst_element_sync_state_with_parent (path[i]);
}

/* Replaces the failed path by the next candidate's (in the streaming
 * thread, where the failure showed) and feeds it every held frame; @eos
 * is the EOS event being drained when it failed then, else NULL. */
GstFlowReturn
gst_qsv_auto_enc_fall_back (GstQsvAutoEnc * self, GstFlowReturn ret,
    GstEvent * eos)
{
  gchar *failure = gst_qsv_auto_enc_stream_take_failure (self, ret);
  gchar *failed, *device, *encoder;
  GstQsvSettings s;
  GstStructure *msg;
  guint replayed, lost = 0, bitrate;

  GST_OBJECT_LOCK (self);
  failed = g_strdup (self->active_encoder);
  s = self->settings;
  encoder = g_strdup (self->encoder_name);
  device = g_strdup (self->device);
  GST_OBJECT_UNLOCK (self);
  s.encoder = encoder;

  gst_qsv_selection_reject (self->selection, failed, failure);
  g_atomic_int_set (&self->swapping, 1);
  remove_path (self);
  g_atomic_int_set (&self->replaced, 1);
  if (!activate_next_candidate (self, &s, device)) {
    g_atomic_int_set (&self->swapping, 0);
    GST_ELEMENT_ERROR (self, STREAM, ENCODE, ("%s failed and no other H.264 "
            "encoder is usable", failed), ("%s", failure));
    ret = GST_FLOW_ERROR;
    goto done;
  }
  sync_path_state (self);
  g_atomic_int_set (&self->swapping, 0);

  /* a bitrate set while the swap ran went to no encoder */
  GST_OBJECT_LOCK (self);
  bitrate = self->settings.bitrate;
  GST_OBJECT_UNLOCK (self);
  if (bitrate != s.bitrate)
    apply_bitrate (self);

  msg = update_report (self, "qsvautoenc-fallback", failed, failure);
  replayed = gst_qsv_auto_enc_stream_held (self, &lost);
  gst_structure_set (msg, "failed-encoder", G_TYPE_STRING, failed,
      "error", G_TYPE_STRING, failure, "frames-replayed", G_TYPE_UINT,
      replayed, "frames-lost", G_TYPE_UINT, lost, NULL);
  GST_ELEMENT_WARNING (self, STREAM, ENCODE, ("%s failed; continuing with %s",
          failed, self->active_encoder), ("%s", failure));
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), msg));
  ret = gst_qsv_auto_enc_stream_replay (self, eos);

done:
  g_free (failure);
  g_free (failed);
  g_free (encoder);
  g_free (device);
  return ret;
}

/* ---------------------------------------------------------------------- */
/* Messages and queries                                                   */

static void
gst_qsv_auto_enc_handle_message (GstBin * bin, GstMessage * msg)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (bin);

  /* any element inside failing is the active path failing: the next
   * candidate takes over where the policy allows, else it is an ERROR */
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR &&
      gst_qsv_auto_enc_stream_handle_error (self, msg)) {
    gst_message_unref (msg);
    return;
  }
  GST_BIN_CLASS (parent_class)->handle_message (bin, msg);
}

/* The bin has no sink inside: GstBin would answer an element's latency
 * query with "not live, 0". Answer what the src pad answers, as the
 * encoder itself would. */
static gboolean
gst_qsv_auto_enc_query (GstElement * element, GstQuery * query)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (element);

  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY)
    return gst_pad_query (self->srcpad, query);
  return GST_ELEMENT_CLASS (parent_class)->query (element, query);
}

/* Before the path is complete (READY, or linking after READY), the bin can
 * give any stream-format: it adds a parser at READY->PAUSED. Once
 * downstream has caps, it keeps them. */
static gboolean
gst_qsv_auto_enc_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (parent);
  GstCaps *caps, *filter, *result;
  gboolean decided;

  if (GST_QUERY_TYPE (query) != GST_QUERY_CAPS)
    return gst_pad_query_default (pad, parent, query);
  GST_OBJECT_LOCK (self);
  decided = self->out_format != NULL;
  GST_OBJECT_UNLOCK (self);
  caps = gst_qsv_auto_enc_stream_out_caps (self);
  if (!caps && decided)
    return gst_pad_query_default (pad, parent, query);
  if (!caps)
    caps = gst_pad_get_pad_template_caps (pad);
  gst_query_parse_caps (query, &filter);
  result = filter ? gst_caps_intersect_full (filter, caps,
      GST_CAPS_INTERSECT_FIRST) : gst_caps_ref (caps);
  gst_query_set_caps_result (query, result);
  gst_caps_unref (result);
  gst_caps_unref (caps);
  return TRUE;
}
