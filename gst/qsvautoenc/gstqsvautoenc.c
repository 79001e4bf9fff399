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
#include "gstqsvreport.h"
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

static gpointer parent_class;
static void gst_qsv_auto_enc_base_class_init (GstQsvAutoEncClass * klass);
static void gst_qsv_auto_enc_base_init (GstQsvAutoEnc * self);

/* As G_DEFINE_ABSTRACT_TYPE_WITH_CODE, but named "GstQsvAutoEncBase": the
 * H.264 subclass keeps the type name "GstQsvAutoEnc" it always had */
GType
gst_qsv_auto_enc_base_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type)) {
    const GInterfaceInfo child_proxy = {
      .interface_init = gst_qsv_auto_enc_child_proxy_init,
    };
    GType t = g_type_register_static_simple (GST_TYPE_BIN,
        g_intern_static_string ("GstQsvAutoEncBase"),
        sizeof (GstQsvAutoEncClass),
        (GClassInitFunc) gst_qsv_auto_enc_base_class_init,
        sizeof (GstQsvAutoEnc), (GInstanceInitFunc) gst_qsv_auto_enc_base_init,
        G_TYPE_FLAG_ABSTRACT);

    g_type_add_interface_static (t, GST_TYPE_CHILD_PROXY, &child_proxy);
    g_once_init_leave (&type, t);
  }
  return type;
}

static void gst_qsv_auto_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_qsv_auto_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_qsv_auto_enc_constructed (GObject * object);
static void gst_qsv_auto_enc_finalize (GObject * object);
static GstStateChangeReturn gst_qsv_auto_enc_change_state (GstElement *
    element, GstStateChange transition);
static gboolean gst_qsv_auto_enc_query (GstElement * element,
    GstQuery * query);
static void gst_qsv_auto_enc_handle_message (GstBin * bin, GstMessage * msg);
static gboolean gst_qsv_auto_enc_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query);

static void
install_properties (GObjectClass * gobject_class)
{
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  gchar *h264 = gst_qsv_catalog_list_factories (gst_qsv_catalog_h264 (),
      ", ");
  gchar *h265 = gst_qsv_catalog_list_factories (gst_qsv_catalog_h265 (),
      ", ");
  gchar *encoder_blurb = g_strdup_printf ("Encoder to use: \"auto\" (the "
      "first usable of the element's catalog: qsvautoenc %s; qsvautoh265enc "
      "%s) or one of those factory names (no fallback then)", h264, h265);

  properties[PROP_BITRATE] = g_param_spec_uint ("bitrate", "Bitrate",
      "Target bitrate in kbit/s for cbr and vbr (every encoder's bitrate; "
      "openh264enc: bitrate x 1000 bit/s). Changeable while PLAYING", 1, GST_QSV_MAX_BITRATE,
      GST_QSV_DEFAULT_BITRATE, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING);
  properties[PROP_RATE_CONTROL] = g_param_spec_enum ("rate-control",
      "Rate control", "Rate control: auto picks cbr, else vbr, else cqp, "
      "whichever the encoder offers; an explicit mode moves the choice to "
      "an encoder that has it (x264enc: pass=cbr/qual/quant; x265enc: "
      "bitrate or qp; VA and QSV encoders: rate-control)", GST_TYPE_QSV_RATE_CONTROL,
      GST_QSV_RATE_CONTROL_AUTO, rw);
  properties[PROP_QP] = g_param_spec_uint ("qp", "QP",
      "Quantizer for cqp (and x264enc's vbr quality): x264enc quantizer "
      "(at most 50), x265enc qp, VA qpi/qpp/qpb, QSV qp-i/qp-p/qp-b, "
      "vaapi init-qp", 0, 51,
      GST_QSV_DEFAULT_QP, rw);
  properties[PROP_KEY_INT_MAX] = g_param_spec_uint ("key-int-max",
      "Keyframe interval", "Exact distance in frames between keyframes, no "
      "extra keyframes at scene cuts; 0 = the encoder's default (x264enc, "
      "x265enc: key-int-max + scenecut=0, VA: key-int-max, QSV: gop-size, "
      "vaapi: keyframe-period, openh264enc: gop-size)", 0,
      GST_QSV_MAX_KEY_INT, 0, rw);
  properties[PROP_B_FRAMES] = g_param_spec_uint ("b-frames", "B-frames",
      "B-frames between I and P frames (x264enc: bframes, x265enc: "
      "option-string bframes, vaapi: max-bframes, others: b-frames; "
      "openh264enc has none)", 0,
      GST_QSV_MAX_B_FRAMES, 0, rw);
  properties[PROP_TARGET_USAGE] = g_param_spec_uint ("target-usage",
      "Target usage", "Speed/quality: 1 = best quality .. 7 = fastest "
      "(VA/QSV target-usage, vaapi quality-level; x264enc and x265enc "
      "speed-preset slow, medium, fast, faster, veryfast, superfast, "
      "ultrafast; openh264enc complexity high/medium/low)", 1, 7,
      GST_QSV_DEFAULT_TARGET_USAGE, rw);
  properties[PROP_LOW_LATENCY] = g_param_spec_boolean ("low-latency",
      "Low latency", "Encode for low latency: no B-frames, no lookahead "
      "(x264enc, x265enc tune=zerolatency, QSV low-latency)", FALSE, rw);
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
  g_free (h264);
  g_free (h265);
}

static void
gst_qsv_auto_enc_base_class_init (GstQsvAutoEncClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBinClass *bin_class = GST_BIN_CLASS (klass);

  parent_class = g_type_class_peek_parent (klass);
  gobject_class->constructed = gst_qsv_auto_enc_constructed;
  gobject_class->set_property = gst_qsv_auto_enc_set_property;
  gobject_class->get_property = gst_qsv_auto_enc_get_property;
  gobject_class->finalize = gst_qsv_auto_enc_finalize;
  install_properties (gobject_class);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_change_state);
  element_class->query = GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_query);
  bin_class->handle_message =
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_handle_message);

  gst_type_mark_as_plugin_api (GST_TYPE_QSV_AUTO_ENC_BASE, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_QSV_RATE_CONTROL, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_QSV_AUTO_ENC_FALLBACK, 0);
  GST_DEBUG_CATEGORY_INIT (gst_qsv_auto_enc_debug, "qsvautoenc", 0,
      "Automatic H.264/H.265 encoder selection");
}

static void
free_gvalue (GValue * v)
{
  g_value_unset (v);
  g_free (v);
}

static void
gst_qsv_auto_enc_base_init (GstQsvAutoEnc * self)
{
  gst_qsv_settings_init (&self->settings);
  self->encoder_name = g_strdup ("auto");
  self->device = g_strdup ("auto");
  self->settings.encoder = self->encoder_name;
  self->fallback = GST_QSV_AUTO_ENC_FALLBACK_ALWAYS;
  self->child_overrides = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, (GDestroyNotify) free_gvalue);
}

/* The codec's class is known only now (in the base's instance_init the
 * instance still has the base's class): its record, catalog and pads */
static void
gst_qsv_auto_enc_constructed (GObject * object)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (object);
  GstQsvAutoEncClass *klass = GST_QSV_AUTO_ENC_GET_CLASS (self);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  G_OBJECT_CLASS (parent_class)->constructed (object);
  self->codec = klass->codec;
  self->catalog = klass->catalog;
  /* made once, with no target; retargeted at each (re)selection */
  self->sinkpad = gst_ghost_pad_new_no_target_from_template ("sink",
      gst_element_class_get_pad_template (element_class, "sink"));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->srcpad = gst_ghost_pad_new_no_target_from_template ("src",
      gst_element_class_get_pad_template (element_class, "src"));
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
    gst_qsv_auto_enc_apply_bitrate (self);
  else
    gst_qsv_auto_enc_apply_settings (self);
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

static void
reset (GstQsvAutoEnc * self)
{
  gst_qsv_auto_enc_stop_watchdog (self);
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->sinkpad), NULL);
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->srcpad), NULL);
  gst_qsv_auto_enc_remove_path (self);
  gst_qsv_auto_enc_release_retired (self);
  gst_qsv_auto_enc_remove_element (self, &self->filter);
  gst_qsv_auto_enc_remove_element (self, &self->convert);
  self->front_sysmem = FALSE;
  gst_qsv_auto_enc_stream_reset (self);
  GST_OBJECT_LOCK (self);
  self->deep = FALSE;
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
      if (!gst_qsv_auto_enc_select_encoder (self)) {
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
        if (!gst_qsv_auto_enc_select_encoder (self)) {
          reset (self);
          return GST_STATE_CHANGE_FAILURE;
        }
        gst_element_set_state (GST_ELEMENT (self->convert), GST_STATE_READY);
        gst_element_set_state (GST_ELEMENT (self->filter), GST_STATE_READY);
      }
      gst_qsv_auto_enc_finish_path (self);
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
/* Messages and queries                                                   */

static gboolean
inner_not_negotiated (GstMessage * msg)
{
  GError *err = NULL;
  gboolean is;

  gst_message_parse_warning (msg, &err, NULL);
  is = g_error_matches (err, GST_STREAM_ERROR, GST_STREAM_ERROR_FORMAT) &&
      g_strcmp0 (err->message, "not negotiated") == 0;
  g_error_free (err);
  return is;
}

static void
gst_qsv_auto_enc_handle_message (GstBin * bin, GstMessage * msg)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (bin);

  /* any element inside failing is the active path failing: the next
   * candidate takes over where the policy allows, else it is an ERROR */
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    if (gst_qsv_auto_enc_stream_handle_error (self, msg)) {
      gst_message_unref (msg);
      return;
    }
    /* it reaches the application and names the element: no second one */
    if (GST_MESSAGE_SRC (msg) != GST_OBJECT (self))
      g_atomic_int_set (&self->inner_error, 1);
  }
  /* an inner converter's "not negotiated" is the encoder refusing caps: the
   * fallback that follows says it (with the encoder's name), where allowed */
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING &&
      GST_MESSAGE_SRC (msg) != GST_OBJECT (self) &&
      inner_not_negotiated (msg) && (g_atomic_int_get (&self->swapping) ||
          gst_qsv_auto_enc_can_fall_back (self))) {
    GST_DEBUG_OBJECT (self, "kept off the bus: %" GST_PTR_FORMAT, msg);
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

/* After the active encoder changed (gstqsvautoencreport.c) */
void
gst_qsv_auto_enc_notify_active (GstQsvAutoEnc * self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_ENCODER]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HARDWARE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE_DEVICE]);
  g_object_notify_by_pspec (G_OBJECT (self),
      properties[PROP_SELECTION_REPORT]);
}
