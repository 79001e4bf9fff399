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

#include "gstqsvautoenc.h"
#include "gstqsvencodercatalog.h"
#include "gstqsvvaprobe.h"
#include "gstqsvreporttracer.h"

#include <string.h>

GST_DEBUG_CATEGORY_STATIC (gst_qsv_auto_enc_debug);
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

/**
 * GstQsvAutoEncFallback:
 *
 * When a failed encoder is replaced by the next candidate.
 */
typedef enum
{
  GST_QSV_AUTO_ENC_FALLBACK_NEVER,
  GST_QSV_AUTO_ENC_FALLBACK_STARTUP,
  GST_QSV_AUTO_ENC_FALLBACK_ALWAYS,
} GstQsvAutoEncFallback;

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

/* An input frame the active encoder has taken and not yet output. */
typedef struct
{
  GstBuffer *buffer;
  GstClockTime running_time;
} PendingFrame;

static void
pending_frame_free (PendingFrame * f)
{
  gst_buffer_unref (f->buffer);
  g_free (f);
}

static GParamSpec *properties[N_PROPERTIES];

/* The formats hardware H.264 encodes: 8-bit 4:2:0. Software could do more,
 * but a fallback must not change what downstream receives. */
#define ENCODE_FORMATS "NV12, I420, YV12"
/* A sane encoder holds a few frames (lookahead, reordering); more in flight
 * means it drops frames, and holding them would only grow memory. */
#define MAX_HELD_FRAMES 256
#define SRC_CAPS "video/x-h264, stream-format = (string) { avc, byte-stream }, " \
    "alignment = (string) au, " \
    "profile = (string) { constrained-baseline, baseline, main, high }"

struct _GstQsvAutoEnc
{
  GstBin parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* properties, under the object lock */
  GstQsvSettings settings;
  gchar *encoder_name;
  gchar *device;
  gboolean reselect;            /* a selection setting changed in READY */

  /* what was chosen, under the object lock */
  gchar *active_encoder;
  gboolean hardware;
  gchar *active_device;
  GstStructure *report;
  GstQsvSelection *selection;
  guint next_candidate;
  const GstQsvCandidate *active;
  GstElement *encoder;
  GList *retired;               /* failed encoders, released at NULL */
  GstElement *convert;
  GstElement *filter;
  GstElement *parse;
  GstQsvVaProbeResult *probe;

  GstQsvAutoEncFallback fallback;       /* under the object lock */
  gboolean tracer;
  gchar *tracer_file;
  guint stall_timeout;          /* ms, 0 = off */

  /* the stall watchdog: a thread of its own while PAUSED/PLAYING */
  GThread *watchdog;
  GCond watchdog_cond;
  gboolean watchdog_stop;       /* under pending_lock */
  gint64 last_progress_us;      /* under pending_lock */

  /* fallback, under pending_lock: input frames the active encoder has taken
   * and not yet output (PendingFrame*), the segments to match them by
   * running time, and the active encoder's hidden failure */
  GMutex pending_lock;
  GQueue pending;
  GstSegment in_segment;
  GstSegment out_segment;
  gint output_seen;             /* atomic: the active encoder has output */
  gint swapping;                /* atomic: an encoder is being replaced */
  gint replaced;                /* atomic: a fallback happened since READY */
  gchar *failure;
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (SRC_CAPS));

static gchar *registration_summary;
static gboolean registration_va_memory;

#define gst_qsv_auto_enc_parent_class parent_class
G_DEFINE_TYPE (GstQsvAutoEnc, gst_qsv_auto_enc, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE (qsvautoenc, "qsvautoenc", GST_RANK_PRIMARY + 1,
    GST_TYPE_QSV_AUTO_ENC);

static void start_watchdog (GstQsvAutoEnc * self);
static void stop_watchdog (GstQsvAutoEnc * self);
static void gst_qsv_auto_enc_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_qsv_auto_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_qsv_auto_enc_finalize (GObject * object);
static GstStateChangeReturn gst_qsv_auto_enc_change_state (GstElement *
    element, GstStateChange transition);
static void gst_qsv_auto_enc_handle_message (GstBin * bin, GstMessage * msg);
static GstFlowReturn gst_qsv_auto_enc_sink_chain (GstPad * pad,
    GstObject * parent, GstBuffer * buffer);
static GstFlowReturn gst_qsv_auto_enc_sink_chain_list (GstPad * pad,
    GstObject * parent, GstBufferList * list);
static gboolean gst_qsv_auto_enc_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
static GstPadProbeReturn gst_qsv_auto_enc_output_probe (GstPad * pad,
    GstPadProbeInfo * info, gpointer user_data);
static GstPadProbeReturn gst_qsv_auto_enc_upstream_probe (GstPad * pad,
    GstPadProbeInfo * info, gpointer user_data);

void
gst_qsv_auto_enc_set_registration_info (const gchar * summary,
    gboolean va_memory)
{
  g_free (registration_summary);
  registration_summary = g_strdup (summary);
  registration_va_memory = va_memory;
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
describe_element (void)
{
  return g_strdup_printf ("H.264 encoder that uses Intel QuickSync / VA-API "
      "hardware when present (qsvh264enc, vah264enc, vah264lpenc, "
      "vaapih264enc) and software otherwise (x264enc, openh264enc), and "
      "reports which one works and why. On this machine: %s",
      registration_summary ? registration_summary :
      "not probed (load the plugin to see)");
}

static void
gst_qsv_auto_enc_class_init (GstQsvAutoEncClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBinClass *bin_class = GST_BIN_CLASS (klass);
  GstCaps *sink_caps;
  gchar *description;

  gobject_class->set_property = gst_qsv_auto_enc_set_property;
  gobject_class->get_property = gst_qsv_auto_enc_get_property;
  gobject_class->finalize = gst_qsv_auto_enc_finalize;
  install_properties (gobject_class);

  /* any raw video: a converter in front brings it to 8-bit 4:2:0; VA memory
   * goes straight to a VA encoder where one is usable */
  sink_caps = gst_caps_from_string (registration_va_memory ?
      "video/x-raw(memory:VAMemory), format = (string) NV12; video/x-raw" :
      "video/x-raw");
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, sink_caps));
  gst_caps_unref (sink_caps);
  gst_element_class_add_static_pad_template (element_class, &src_template);

  description = describe_element ();
  gst_element_class_set_metadata (element_class,
      "Automatic H.264 encoder (QuickSync/VA-API, else x264)",
      "Codec/Encoder/Video", description,
      "gst-qsvautoenc developers");
  g_free (description);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_change_state);
  bin_class->handle_message =
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_handle_message);

  gst_type_mark_as_plugin_api (GST_TYPE_QSV_RATE_CONTROL, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_QSV_AUTO_ENC_FALLBACK, 0);
  GST_DEBUG_CATEGORY_INIT (gst_qsv_auto_enc_debug, "qsvautoenc", 0,
      "Automatic H.264 encoder selection");
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
  g_mutex_init (&self->pending_lock);
  g_cond_init (&self->watchdog_cond);
  g_queue_init (&self->pending);
  gst_segment_init (&self->in_segment, GST_FORMAT_TIME);
  gst_segment_init (&self->out_segment, GST_FORMAT_TIME);

  /* made once, with no target; retargeted at each (re)selection */
  self->sinkpad = gst_ghost_pad_new_no_target_from_template ("sink",
      gst_element_class_get_pad_template (klass, "sink"));
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_sink_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_sink_chain_list));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_sink_event));
  gst_pad_add_probe (self->sinkpad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
      gst_qsv_auto_enc_upstream_probe, self, NULL);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_ghost_pad_new_no_target_from_template ("src",
      gst_element_class_get_pad_template (klass, "src"));
  gst_pad_add_probe (self->srcpad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
      GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM, gst_qsv_auto_enc_output_probe,
      self, NULL);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
}

static void
clear_pending (GstQsvAutoEnc * self)
{
  g_mutex_lock (&self->pending_lock);
  g_queue_clear_full (&self->pending, (GDestroyNotify) pending_frame_free);
  g_clear_pointer (&self->failure, g_free);
  g_mutex_unlock (&self->pending_lock);
}

static void
gst_qsv_auto_enc_finalize (GObject * object)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (object);

  clear_pending (self);
  g_mutex_clear (&self->pending_lock);
  g_cond_clear (&self->watchdog_cond);
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

/* A VA element drives the node its factory was registered for. */
static gchar *
check_device (GstElement * enc, const gchar * device)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (enc),
      "device-path");
  gchar *path = NULL, *reason = NULL;

  if (!pspec || !device || !(pspec->flags & G_PARAM_READABLE))
    return NULL;
  g_object_get (enc, "device-path", &path, NULL);
  if (path && g_strcmp0 (path, device) != 0)
    reason = g_strdup_printf ("drives %s, not the probed device %s", path,
        device);
  g_free (path);
  return reason;
}

static gchar *
error_text (GstMessage * msg)
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
    reason = msg ? error_text (msg) : g_strdup ("failed to reach READY");
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
    const GstQsvSettings * s, const gchar * device, GPtrArray * warnings,
    gchar ** reason)
{
  GstElement *enc = gst_element_factory_make (c->factory, "encoder");

  if (!enc) {
    *reason = g_strdup_printf ("%s could not be created", c->factory);
    return NULL;
  }
  gst_object_ref_sink (enc);
  if (c->info && gst_qsv_encoder_info_is_hardware (c->info))
    *reason = check_device (enc, device);
  if (!*reason && configure_child (enc, c, s, warnings, reason))
    *reason = try_ready (enc);
  if (*reason) {
    gst_object_unref (enc);
    return NULL;
  }
  return enc;
}

/* ---------------------------------------------------------------------- */
/* The internal chain: converter ! capsfilter ! encoder [! h264parse]     */

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
needs_parser (GstQsvAutoEnc * self, GstElement * enc)
{
  GstCaps *peer, *out;
  GstPad *pad;
  gboolean need;

  peer = gst_pad_peer_query_caps (self->srcpad, NULL);
  pad = gst_element_get_static_pad (enc, "src");
  out = gst_pad_query_caps (pad, NULL);
  need = !gst_caps_is_any (peer) && !gst_caps_can_intersect (peer, out);
  gst_caps_unref (peer);
  gst_caps_unref (out);
  gst_object_unref (pad);
  return need && gst_qsv_auto_enc_factory_exists ("h264parse", NULL);
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

/* Puts @enc behind the capsfilter and in front of the src ghost pad. */
static void
install_encoder (GstQsvAutoEnc * self, GstElement * enc)
{
  GstCaps *caps = encoder_input_caps (enc);
  GstElement *last = enc;
  GstPad *target;

  g_object_set (self->filter, "caps", caps, NULL);
  gst_caps_unref (caps);
  gst_bin_add (GST_BIN (self), enc);
  gst_element_link_pads (self->filter, "src", enc, "sink");

  if (!self->parse && needs_parser (self, enc)) {
    GST_INFO_OBJECT (self, "downstream needs what %s can't produce: adding "
        "h264parse", GST_OBJECT_NAME (gst_element_get_factory (enc)));
    self->parse = gst_element_factory_make ("h264parse", "parse");
    gst_bin_add (GST_BIN (self), self->parse);
  }
  if (self->parse) {
    gst_element_link_pads (enc, "src", self->parse, "sink");
    last = self->parse;
  }
  target = gst_element_get_static_pad (last, "src");
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->srcpad), target);
  gst_object_unref (target);
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

static void
remove_encoder (GstQsvAutoEnc * self)
{
  GstElement *enc;

  GST_OBJECT_LOCK (self);
  enc = self->encoder;
  self->encoder = NULL;
  self->active = NULL;
  GST_OBJECT_UNLOCK (self);
  if (!enc)
    return;
  /* A state change of the bin may be iterating its children right now
   * (a fallback runs in the streaming thread): lock the element out of it
   * and keep a reference until the bin goes to NULL, so that no late
   * set_state meets a disposed element. */
  gst_element_set_locked_state (enc, TRUE);
  gst_element_set_state (enc, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self), enc);
  self->retired = g_list_prepend (self->retired, enc);
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

static gchar *
choice_reason (GstQsvAutoEnc * self, const GstQsvCandidate * c)
{
  const GstQsvVaDevice *dev = self->probe ?
      gst_qsv_va_probe_result_get_chosen (self->probe) : NULL;
  gchar *reason;

  if (gst_qsv_encoder_info_is_hardware (c->info))
    reason = g_strdup_printf ("hardware H.264 encode on %s (%s), "
        "rate-control %s", dev ? dev->path : "?",
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
  const GstQsvVaDevice *dev = self->probe ?
      gst_qsv_va_probe_result_get_chosen (self->probe) : NULL;
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
  self->active_device = hw && dev ? g_strdup (dev->path) : NULL;

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
    enc = make_candidate (self, c, s, device, warnings, &reason);
    if (!enc) {
      GST_INFO_OBJECT (self, "%s is not usable: %s", c->factory, reason);
      gst_qsv_selection_reject (sel, c->factory, reason);
      g_free (reason);
    }
  }
  if (enc && ensure_front (self, c)) {
    install_encoder (self, enc);
    GST_OBJECT_LOCK (self);
    self->encoder = enc;
    self->active = c;
    GST_OBJECT_UNLOCK (self);
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
  stop_watchdog (self);
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->sinkpad), NULL);
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->srcpad), NULL);
  remove_encoder (self);
  release_retired (self);
  remove_element (self, &self->parse);
  remove_element (self, &self->filter);
  remove_element (self, &self->convert);
  clear_pending (self);
  g_atomic_int_set (&self->output_seen, 0);
  g_atomic_int_set (&self->replaced, 0);
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
      g_atomic_int_set (&self->output_seen, 0);
      start_watchdog (self);
      break;
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      stop_watchdog (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      clear_pending (self);
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
/* Start-up fallback                                                      */

/* Whether a failure of the active encoder now would be handled: before its
 * first output, per the start-up policy; after it, only for a hardware
 * encoder (software ones do not lose their device) with "always". */
static gboolean
can_fall_back (GstQsvAutoEnc * self)
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

/* An output frame leaves the bin: its input is no longer needed. Encoders
 * shift timestamps (and their segment with them), so match by running time;
 * where nothing matches, the oldest input is the one. */
static void
output_done (GstQsvAutoEnc * self, GstBuffer * buf)
{
  GstClockTime rt = gst_segment_to_running_time (&self->out_segment,
      GST_FORMAT_TIME, GST_BUFFER_PTS (buf));
  GList *l, *match = NULL;

  for (l = self->pending.head; l && GST_CLOCK_TIME_IS_VALID (rt); l = l->next) {
    PendingFrame *f = l->data;

    if (GST_CLOCK_TIME_IS_VALID (f->running_time) &&
        ABS (GST_CLOCK_DIFF (f->running_time, rt)) <= GST_USECOND) {
      match = l;
      break;
    }
  }
  if (!match)
    match = self->pending.head;
  if (match) {
    pending_frame_free (match->data);
    g_queue_delete_link (&self->pending, match);
  }
}

static gboolean
output_done_list (GstBuffer ** buf, guint idx, gpointer user_data)
{
  output_done (user_data, *buf);
  return TRUE;
}

static GstPadProbeReturn
gst_qsv_auto_enc_output_probe (GstPad * pad, GstPadProbeInfo * info,
    gpointer user_data)
{
  GstQsvAutoEnc *self = user_data;

  /* A replacement negotiates while downstream may be prerolling; its
   * ALLOCATION query is serialized and would wait behind a queue whose
   * thread sits in a prerolled sink. A bitstream encoder needs nothing from
   * the answer: give it an empty one here. */
  if (info->type & GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM) {
    if (GST_QUERY_TYPE (GST_PAD_PROBE_INFO_QUERY (info)) ==
        GST_QUERY_ALLOCATION && g_atomic_int_get (&self->replaced))
      return GST_PAD_PROBE_HANDLED;
    return GST_PAD_PROBE_OK;
  }
  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

    /* an encoder that passes EOS on while it still holds frames swallowed
     * them: keep that EOS in, the replacement sends its own after them */
    if (GST_EVENT_TYPE (event) == GST_EVENT_EOS && can_fall_back (self)) {
      gboolean swallowed;

      g_mutex_lock (&self->pending_lock);
      swallowed = !g_queue_is_empty (&self->pending);
      g_mutex_unlock (&self->pending_lock);
      if (swallowed) {
        GST_INFO_OBJECT (self, "holding back EOS: frames are still held");
        return GST_PAD_PROBE_DROP;
      }
    }
    if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT) {
      g_mutex_lock (&self->pending_lock);
      gst_event_copy_segment (event, &self->out_segment);
      g_mutex_unlock (&self->pending_lock);
    }
    return GST_PAD_PROBE_OK;
  }

  /* Held frames leave only with their output: never clear them here on
   * can_fall_back(), which is briefly FALSE during a swap, when an encoder
   * with an output thread of its own (vaapih264enc) may still push. Once
   * fallback is off, the chain stops holding new frames and these drain. */
  g_atomic_int_set (&self->output_seen, 1);
  g_mutex_lock (&self->pending_lock);
  self->last_progress_us = g_get_monotonic_time ();
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    output_done (self, GST_PAD_PROBE_INFO_BUFFER (info));
  else
    gst_buffer_list_foreach (GST_PAD_PROBE_INFO_BUFFER_LIST (info),
        output_done_list, self);
  g_mutex_unlock (&self->pending_lock);
  return GST_PAD_PROBE_OK;
}

/* Linking the replacement asks upstream to renegotiate. The converter in
 * front already adapts the format, and a source that changes caps after the
 * replacement's first output can deadlock a prerolling pipeline: keep it
 * inside. */
static GstPadProbeReturn
gst_qsv_auto_enc_upstream_probe (GstPad * pad, GstPadProbeInfo * info,
    gpointer user_data)
{
  GstQsvAutoEnc *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

  if (GST_EVENT_TYPE (event) == GST_EVENT_RECONFIGURE &&
      g_atomic_int_get (&self->swapping)) {
    GST_DEBUG_OBJECT (self, "keeping the swap's reconfigure inside");
    return GST_PAD_PROBE_DROP;
  }
  return GST_PAD_PROBE_OK;
}

static gboolean
is_from_encoder (GstQsvAutoEnc * self, GstMessage * msg)
{
  gboolean from;

  GST_OBJECT_LOCK (self);
  from = self->encoder && (GST_MESSAGE_SRC (msg) == GST_OBJECT (self->encoder)
      || gst_object_has_as_ancestor (GST_MESSAGE_SRC (msg),
          GST_OBJECT (self->encoder)));
  GST_OBJECT_UNLOCK (self);
  return from;
}

static void
gst_qsv_auto_enc_handle_message (GstBin * bin, GstMessage * msg)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (bin);

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR && is_from_encoder (self,
          msg) && can_fall_back (self)) {
    gchar *text = error_text (msg);

    /* kept off the application's bus: the next candidate takes over */
    GST_WARNING_OBJECT (self, "encoder failed before any output: %s", text);
    g_mutex_lock (&self->pending_lock);
    if (!self->failure)
      self->failure = text;
    else
      g_free (text);
    g_mutex_unlock (&self->pending_lock);
    gst_message_unref (msg);
    return;
  }
  GST_BIN_CLASS (parent_class)->handle_message (bin, msg);
}

static gchar *
take_failure (GstQsvAutoEnc * self, GstFlowReturn ret)
{
  gchar *failure;

  g_mutex_lock (&self->pending_lock);
  failure = self->failure;
  self->failure = NULL;
  g_mutex_unlock (&self->pending_lock);
  if (!failure)
    failure = g_strdup_printf ("flow %s before any output%s",
        gst_flow_get_name (ret), ret == GST_FLOW_NOT_NEGOTIATED ?
        " (it refused the input caps)" : "");
  return failure;
}

static GstFlowReturn
replay_pending (GstQsvAutoEnc * self)
{
  GstFlowReturn ret = GST_FLOW_OK;
  GQueue copy = G_QUEUE_INIT;
  GstBuffer *buf;

  g_mutex_lock (&self->pending_lock);
  for (GList * l = self->pending.head; l; l = l->next)
    g_queue_push_tail (&copy, gst_buffer_ref (((PendingFrame *)
                l->data)->buffer));
  g_mutex_unlock (&self->pending_lock);

  GST_INFO_OBJECT (self, "feeding %u frames again", copy.length);
  while (ret == GST_FLOW_OK && (buf = g_queue_pop_head (&copy)))
    ret = gst_proxy_pad_chain_default (self->sinkpad, GST_OBJECT (self), buf);
  g_queue_clear_full (&copy, (GDestroyNotify) gst_buffer_unref);
  return ret;
}

static gboolean
resend_sticky (GstPad * pad, GstEvent ** event, gpointer user_data)
{
  if (GST_EVENT_TYPE (*event) != GST_EVENT_EOS)
    gst_pad_send_event (GST_PAD (user_data), gst_event_ref (*event));
  return TRUE;
}

/* After EOS the front's pads (and the ghost pad's) refuse data: rebuild
 * the front and feed the new one directly, sticky events first. */
static GstFlowReturn
replay_pending_at_eos (GstQsvAutoEnc * self, GstEvent * eos)
{
  GstFlowReturn ret = GST_FLOW_OK;
  GstPad *front;
  GQueue copy = G_QUEUE_INIT;
  GstBuffer *buf;
  GstCaps *caps;

  remove_element (self, &self->filter);
  remove_element (self, &self->convert);
  if (!ensure_front (self, self->active))
    return GST_FLOW_ERROR;
  gst_element_link_pads (self->filter, "src", self->encoder, "sink");
  gst_element_sync_state_with_parent (self->convert);
  gst_element_sync_state_with_parent (self->filter);
  caps = encoder_input_caps (self->encoder);
  g_object_set (self->filter, "caps", caps, NULL);
  gst_caps_unref (caps);

  front = gst_element_get_static_pad (self->convert, "sink");
  gst_pad_sticky_events_foreach (self->sinkpad, resend_sticky, front);

  g_mutex_lock (&self->pending_lock);
  for (GList * l = self->pending.head; l; l = l->next)
    g_queue_push_tail (&copy, gst_buffer_ref (((PendingFrame *)
                l->data)->buffer));
  g_mutex_unlock (&self->pending_lock);
  GST_INFO_OBJECT (self, "feeding %u frames again, then EOS", copy.length);
  while (ret == GST_FLOW_OK && (buf = g_queue_pop_head (&copy)))
    ret = gst_pad_chain (front, buf);
  g_queue_clear_full (&copy, (GDestroyNotify) gst_buffer_unref);
  if (ret == GST_FLOW_OK && !gst_pad_send_event (front, gst_event_ref (eos)))
    ret = GST_FLOW_ERROR;
  gst_object_unref (front);
  return ret;
}

/* Replaces the failed encoder by the next candidate (in the streaming
 * thread, where the failure showed) and feeds it what the failed one took;
 * @eos is the EOS event being drained when it failed then, else NULL. */
static GstFlowReturn
fall_back (GstQsvAutoEnc * self, GstFlowReturn ret, GstEvent * eos)
{
  gchar *failure = take_failure (self, ret);
  gchar *failed = g_strdup (self->active_encoder);
  GstQsvSettings s;
  gchar *device;
  GstStructure *msg;
  guint replayed;

  GST_OBJECT_LOCK (self);
  s = self->settings;
  s.encoder = self->encoder_name;
  device = g_strdup (self->device);
  GST_OBJECT_UNLOCK (self);

  gst_qsv_selection_reject (self->selection, failed, failure);
  g_atomic_int_set (&self->swapping, 1);
  remove_encoder (self);
  g_atomic_int_set (&self->output_seen, 0);
  g_atomic_int_set (&self->replaced, 1);
  if (!activate_next_candidate (self, &s, device)) {
    g_atomic_int_set (&self->swapping, 0);
    GST_ELEMENT_ERROR (self, STREAM, ENCODE, ("%s failed and no other H.264 "
            "encoder is usable", failed), ("%s", failure));
    ret = GST_FLOW_ERROR;
    goto done;
  }
  gst_element_sync_state_with_parent (self->encoder);
  if (self->parse)
    gst_element_sync_state_with_parent (self->parse);
  g_atomic_int_set (&self->swapping, 0);

  msg = update_report (self, "qsvautoenc-fallback", failed, failure);
  g_mutex_lock (&self->pending_lock);
  replayed = self->pending.length;
  g_mutex_unlock (&self->pending_lock);
  gst_structure_set (msg, "failed-encoder", G_TYPE_STRING, failed,
      "error", G_TYPE_STRING, failure, "frames-replayed", G_TYPE_UINT,
      replayed, NULL);
  GST_ELEMENT_WARNING (self, STREAM, ENCODE, ("%s failed; continuing with %s",
          failed, self->active_encoder), ("%s", failure));
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), msg));
  ret = eos ? replay_pending_at_eos (self, eos) : replay_pending (self);

done:
  g_free (failure);
  g_free (failed);
  g_free (device);
  return ret;
}

/* Encoders drain before they pass EOS on: a frame still held then was
 * swallowed, and losing frames is a failure like any other. */
static void
flag_swallowed_frames (GstQsvAutoEnc * self)
{
  g_mutex_lock (&self->pending_lock);
  if (!self->failure && !g_queue_is_empty (&self->pending))
    self->failure = g_strdup_printf ("drained without output for %u of its "
        "frames", self->pending.length);
  g_mutex_unlock (&self->pending_lock);
}

/* The watchdog: held frames and no output for stall-timeout ms mark the
 * encoder failed. It cannot take a hung streaming thread back: the
 * streaming thread falls back at its next call, or as soon as a blocked
 * call returns. */
static gpointer
watchdog_thread (gpointer data)
{
  GstQsvAutoEnc *self = data;
  gint64 timeout_us;
  gboolean stalled;

  GST_OBJECT_LOCK (self);
  timeout_us = (gint64) self->stall_timeout * G_TIME_SPAN_MILLISECOND;
  GST_OBJECT_UNLOCK (self);

  g_mutex_lock (&self->pending_lock);
  while (!self->watchdog_stop) {
    gint64 now = g_get_monotonic_time ();
    gboolean hw;

    /* software encoders hold frames by design (x264's lookahead) and do
     * not hang on a GPU: only hardware ones are watched */
    g_mutex_unlock (&self->pending_lock);
    GST_OBJECT_LOCK (self);
    hw = self->active && gst_qsv_encoder_info_is_hardware (self->active->info);
    GST_OBJECT_UNLOCK (self);
    g_mutex_lock (&self->pending_lock);
    stalled = hw && !self->failure && !g_queue_is_empty (&self->pending) &&
        now - self->last_progress_us > timeout_us;
    if (stalled) {
      self->failure = g_strdup_printf ("no output for %" G_GINT64_FORMAT
          " ms with %u frames taken (stall)", (now - self->last_progress_us) /
          1000, self->pending.length);
      g_mutex_unlock (&self->pending_lock);
      GST_ELEMENT_WARNING (self, STREAM, ENCODE, ("The encoder stalled: no "
              "output for %u ms", (guint) (timeout_us / 1000)), (NULL));
      gst_element_post_message (GST_ELEMENT (self),
          gst_message_new_element (GST_OBJECT (self),
              gst_structure_new ("qsvautoenc-stall", "timeout-ms", G_TYPE_UINT,
                  (guint) (timeout_us / 1000), NULL)));
      g_mutex_lock (&self->pending_lock);
    }
    g_cond_wait_until (&self->watchdog_cond, &self->pending_lock,
        g_get_monotonic_time () + MAX (timeout_us / 4, 1000));
  }
  g_mutex_unlock (&self->pending_lock);
  return NULL;
}

static void
start_watchdog (GstQsvAutoEnc * self)
{
  guint timeout;

  GST_OBJECT_LOCK (self);
  timeout = self->stall_timeout;
  GST_OBJECT_UNLOCK (self);
  if (!timeout || self->watchdog)
    return;
  self->watchdog_stop = FALSE;
  self->watchdog = g_thread_new ("qsvautoenc-watchdog", watchdog_thread, self);
}

static void
stop_watchdog (GstQsvAutoEnc * self)
{
  if (!self->watchdog)
    return;
  g_mutex_lock (&self->pending_lock);
  self->watchdog_stop = TRUE;
  g_cond_signal (&self->watchdog_cond);
  g_mutex_unlock (&self->pending_lock);
  g_thread_join (self->watchdog);
  self->watchdog = NULL;
}

static gboolean
has_failure (GstQsvAutoEnc * self)
{
  gboolean failed;

  g_mutex_lock (&self->pending_lock);
  failed = self->failure != NULL;
  g_mutex_unlock (&self->pending_lock);
  return failed;
}

static GstFlowReturn
gst_qsv_auto_enc_sink_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (parent);
  gboolean keep = can_fall_back (self);
  PendingFrame *frame;
  GstFlowReturn ret;

  if (!keep)
    return gst_proxy_pad_chain_default (pad, parent, buffer);

  frame = g_new (PendingFrame, 1);
  frame->buffer = gst_buffer_ref (buffer);
  g_mutex_lock (&self->pending_lock);
  frame->running_time = gst_segment_to_running_time (&self->in_segment,
      GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));
  if (g_queue_is_empty (&self->pending))
    self->last_progress_us = g_get_monotonic_time ();
  g_queue_push_tail (&self->pending, frame);
  if (G_UNLIKELY (self->pending.length > MAX_HELD_FRAMES)) {
    GST_WARNING_OBJECT (self, "the encoder holds more than %u frames without "
        "output: no longer keeping the oldest for a fallback",
        MAX_HELD_FRAMES);
    pending_frame_free (g_queue_pop_head (&self->pending));
  }
  g_mutex_unlock (&self->pending_lock);

  if (has_failure (self)) {
    /* it failed outside a push of ours: this buffer is in the replay */
    gst_buffer_unref (buffer);
    ret = fall_back (self, GST_FLOW_ERROR, NULL);
  } else {
    ret = gst_proxy_pad_chain_default (pad, parent, buffer);
  }
  /* a failure flagged meanwhile (the stall watchdog) counts too */
  while ((ret != GST_FLOW_OK || has_failure (self)) &&
      ret != GST_FLOW_FLUSHING && ret != GST_FLOW_EOS && can_fall_back (self))
    ret = fall_back (self, ret, NULL);
  return ret;
}

static GstFlowReturn
gst_qsv_auto_enc_sink_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  GstFlowReturn ret = GST_FLOW_OK;
  guint i, n = gst_buffer_list_length (list);

  for (i = 0; i < n && ret == GST_FLOW_OK; i++)
    ret = gst_qsv_auto_enc_sink_chain (pad, parent,
        gst_buffer_ref (gst_buffer_list_get (list, i)));
  gst_buffer_list_unref (list);
  return ret;
}

static gboolean
gst_qsv_auto_enc_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (parent);
  gboolean res;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_FLUSH_STOP:
      /* flushed frames are dropped on purpose, not lost */
      g_mutex_lock (&self->pending_lock);
      g_queue_clear_full (&self->pending, (GDestroyNotify) pending_frame_free);
      g_mutex_unlock (&self->pending_lock);
      break;
    case GST_EVENT_SEGMENT:
      g_mutex_lock (&self->pending_lock);
      gst_event_copy_segment (event, &self->in_segment);
      g_mutex_unlock (&self->pending_lock);
      break;
    case GST_EVENT_EOS:
      /* an encoder that fails while draining, before any output, is
       * replaced and fed again before EOS goes on */
      res = gst_pad_event_default (pad, parent, gst_event_ref (event));
      flag_swallowed_frames (self);
      while (has_failure (self) && can_fall_back (self)) {
        res = fall_back (self, GST_FLOW_ERROR, event) == GST_FLOW_OK;
        flag_swallowed_frames (self);
      }
      gst_event_unref (event);
      return res;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}
