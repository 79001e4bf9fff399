/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The stream through qsvautoenc, input side: what comes in (stamping, the
 * bounded-pool copy), what is kept for a replay (the replay store), the
 * failure state of the active path, and the replay into a new path. The
 * rest of the stream: gstqsvautoencevents.c (sink pad events and queries),
 * gstqsvautoencoutput.c (what downstream sees), gstqsvautoencwatchdog.c
 * (inner errors and stalls). The swap itself (choosing and building the
 * next path) is gst_qsv_auto_enc_fall_back() in gstqsvautoenc.c.
 *
 * Threads and locks:
 * - The upstream streaming thread runs the sink pad's chain and event
 *   functions, and with them every fallback and replay: only it adds held
 *   frames, stamps input, and swaps the path.
 * - The output side runs the src pad probe: in the same thread for most
 *   encoders, in the encoder's own thread for vaapih264enc and qsvh264enc.
 *   It releases held frames and rewrites what downstream would otherwise see
 *   change at a switch (caps, segment, timestamps).
 * - The watchdog thread only reads clocks and flags a failure.
 * - The application thread changes state (reset, start/stop watchdog).
 * stream_lock guards every field of the stream part of the struct; it is
 * never held while calling into another element, pushing, or posting a
 * message. The object lock guards the properties and the active path. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc-priv.h"

#include <gst/video/video.h>

#include <string.h>

#define GST_CAT_DEFAULT gst_qsv_auto_enc_debug

/* The replay store keeps frames until their output leaves the bin. A sane
 * encoder holds a few (lookahead, reordering); this bounds the memory of one
 * that holds many (raw 4K frames are 12 MB each). */
#define MAX_HELD_BYTES ((gsize) 256 << 20)
/* A hardware encoder holds a handful of frames (B-frames, a few in flight
 * in the driver): one that takes this many more without any output lost
 * them (its output dropped as not H.264, a driver that returns nothing). */
#define MAX_SILENT_FRAMES 64

static void
held_frame_free (GstQsvHeldFrame * f)
{
  gst_buffer_unref (f->buffer);
  gst_clear_caps (&f->caps);
  g_free (f);
}

static void
clear_held (GstQsvAutoEnc * self)
{
  g_queue_clear_full (&self->held, (GDestroyNotify) held_frame_free);
  self->held_bytes = 0;
  self->store_full = FALSE;
  self->frames_unkept = 0;
}

/* ---------------------------------------------------------------------- */
/* Input: stamping and keeping                                            */

/* Frames are matched to their output by the running time of their PTS
 * inside the bin. Where upstream gives none, a duplicate, or a non-TIME
 * segment, the frame gets the next one from the frame rate, so that every
 * frame has its own. */
GstClockTime
gst_qsv_auto_enc_stream_frame_duration (GstQsvAutoEnc * self, GstBuffer * buf)
{
  GstStructure *s;
  gint n = 0, d = 1;

  if (buf && GST_BUFFER_DURATION_IS_VALID (buf) &&
      GST_BUFFER_DURATION (buf) > 0)
    return GST_BUFFER_DURATION (buf);
  if (self->in_caps && (s = gst_caps_get_structure (self->in_caps, 0)) &&
      gst_structure_get_fraction (s, "framerate", &n, &d) && n > 0 && d > 0)
    return gst_util_uint64_scale_int (GST_SECOND, d, n);
  return GST_SECOND / 30;
}

static GstBuffer *
stamp (GstQsvAutoEnc * self, GstBuffer * buf, GstClockTime * key)
{
  GstClockTime rt = GST_CLOCK_TIME_NONE;

  if (GST_BUFFER_PTS_IS_VALID (buf))
    rt = gst_segment_to_running_time (&self->inside_segment, GST_FORMAT_TIME,
        GST_BUFFER_PTS (buf));
  if (!GST_CLOCK_TIME_IS_VALID (rt) ||
      (GST_CLOCK_TIME_IS_VALID (self->last_key) && rt <= self->last_key)) {
    GstClockTime pts;

    rt = GST_CLOCK_TIME_IS_VALID (self->last_key) ?
        self->last_key + gst_qsv_auto_enc_stream_frame_duration (self, buf) : 0;
    pts = gst_segment_position_from_running_time (&self->inside_segment,
        GST_FORMAT_TIME, rt);
    GST_LOG_OBJECT (self, "input PTS %" GST_TIME_FORMAT " is none or not "
        "after the last one: %" GST_TIME_FORMAT,
        GST_TIME_ARGS (GST_BUFFER_PTS (buf)), GST_TIME_ARGS (pts));
    buf = gst_buffer_make_writable (buf);
    GST_BUFFER_PTS (buf) = pts;
    GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
  }
  self->last_key = rt;
  *key = rt;
  return buf;
}

/* A buffer from a bounded pool (v4l2src, an application's pool) goes back
 * to it only when every holder lets go: encoders hold frames (x264's
 * lookahead) and so does the replay store. Such frames are copied once, in
 * system memory, so upstream never starves. GPU memory is left alone: its
 * pools are sized for encoders downstream. */
static gboolean
from_bounded_pool (GstQsvAutoEnc * self, GstBuffer * buf)
{
  GstBufferPool *pool = buf->pool;
  GstStructure *config;
  GstCapsFeatures *f;
  guint max = 0;

  if (!pool || !self->in_caps || gst_caps_is_empty (self->in_caps))
    return FALSE;
  f = gst_caps_get_features (self->in_caps, 0);
  if (f && !gst_caps_features_is_equal (f,
          GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY))
    return FALSE;
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_get_params (config, NULL, NULL, NULL, &max);
  gst_structure_free (config);
  return max > 0;
}

static GstBuffer *
copy_out (GstBuffer * buf)
{
  gsize size = gst_buffer_get_size (buf);
  GstBuffer *copy = gst_buffer_new_allocate (NULL, size, NULL);
  GstMapInfo map;

  if (!copy || !gst_buffer_map (copy, &map, GST_MAP_WRITE)) {
    gst_clear_buffer (&copy);
    return buf;
  }
  gst_buffer_extract (buf, 0, map.data, size);
  gst_buffer_unmap (copy, &map);
  /* flags, timestamps and metas (GstVideoMeta's offsets are from the
   * buffer's start, so they stay right for the one block) */
  gst_buffer_copy_into (copy, buf, GST_BUFFER_COPY_METADATA, 0, -1);
  gst_buffer_unref (buf);
  return copy;
}

/* Keeps @buf for a replay; returns TRUE when the store just filled. */
static gboolean
hold (GstQsvAutoEnc * self, GstBuffer * buf, GstClockTime key, guint64 ordinal)
{
  GstQsvHeldFrame *f;
  gsize size = gst_buffer_get_size (buf);

  if (self->store_full || self->held_bytes + size > MAX_HELD_BYTES) {
    gboolean filled = !self->store_full;

    self->store_full = TRUE;
    self->frames_unkept++;
    return filled;
  }
  f = g_new0 (GstQsvHeldFrame, 1);
  f->buffer = gst_buffer_ref (buf);
  f->caps = self->in_caps ? gst_caps_ref (self->in_caps) : NULL;
  f->key = key;
  f->pts = GST_BUFFER_PTS (buf);
  f->ordinal = ordinal;
  f->index = self->in_index - 1;
  f->size = size;
  self->held_bytes += size;
  g_queue_push_tail (&self->held, f);
  return FALSE;
}

void
gst_qsv_auto_enc_stream_release (GstQsvAutoEnc * self, GList * link)
{
  GstQsvHeldFrame *f = link->data;

  self->held_bytes -= f->size;
  held_frame_free (f);
  g_queue_delete_link (&self->held, link);
  if (self->store_full && self->held_bytes < MAX_HELD_BYTES / 2) {
    GST_INFO_OBJECT (self, "output caught up: keeping frames again");
    self->store_full = FALSE;
  }
}

gboolean
gst_qsv_auto_enc_stream_has_failure (GstQsvAutoEnc * self)
{
  gboolean failed;

  g_mutex_lock (&self->stream_lock);
  failed = self->failure != NULL;
  g_mutex_unlock (&self->stream_lock);
  return failed;
}

gchar *
gst_qsv_auto_enc_stream_take_failure (GstQsvAutoEnc * self, GstFlowReturn ret)
{
  gchar *failure;

  g_mutex_lock (&self->stream_lock);
  failure = self->failure;
  self->failure = NULL;
  g_mutex_unlock (&self->stream_lock);
  if (!failure)
    failure = g_strdup_printf ("flow %s%s", gst_flow_get_name (ret),
        ret == GST_FLOW_NOT_NEGOTIATED ? " (it refused the input caps)" : "");
  return failure;
}

void
gst_qsv_auto_enc_stream_set_failure (GstQsvAutoEnc * self, gchar * text)
{
  GST_DEBUG_OBJECT (self, "failure: %s", text);
  if (!self->failure)
    self->failure = text;
  else
    g_free (text);
}

/* A keyframe on the stream's GOP grid: a replacement starts its GOP at the
 * switch; one keyframe forced at the next grid point puts its own cadence
 * (which restarts at a forced IDR in x264 and the VA encoders) back on it.
 * The event goes down the path in front of the frame (GstVideoEncoder takes
 * a downstream force-key-unit event without running time as "the next
 * frame"; converters pass it on). */
static void
ask_keyframe (GstQsvAutoEnc * self, GstPad * pad)
{
  GstPad *front = pad == self->sinkpad ?
      gst_ghost_pad_get_target (GST_GHOST_PAD (self->sinkpad)) :
      gst_object_ref (pad);

  GST_DEBUG_OBJECT (self, "a keyframe on the GOP grid");
  if (front) {
    gst_pad_send_event (front, gst_video_event_new_downstream_force_key_unit
        (GST_CLOCK_TIME_NONE, GST_CLOCK_TIME_NONE, GST_CLOCK_TIME_NONE, TRUE,
            0));
    gst_object_unref (front);
  }
}

/* After a switch: the first frame the replacement gets is an IDR; the next
 * multiple of @gop after it gets a keyframe too. */
void
gst_qsv_auto_enc_stream_keep_gop (GstQsvAutoEnc * self, guint gop)
{
  guint64 first;

  g_mutex_lock (&self->stream_lock);
  first = self->held.head ?
      ((GstQsvHeldFrame *) self->held.head->data)->index : self->in_index;
  self->key_at = gop && first % gop ? (first / gop + 1) * gop : G_MAXUINT64;
  GST_DEBUG_OBJECT (self, "replacement starts at frame %" G_GUINT64_FORMAT
      ", keyframe asked at %" G_GUINT64_FORMAT, first, self->key_at);
  g_mutex_unlock (&self->stream_lock);
}

/* Counts what goes into the path: an encoder that numbers its output by
 * the frames it took (vah264enc) is matched by that number. @key: the
 * frame's key, or NONE for a replayed one (numbered in replay). */
static GstFlowReturn
push_into_path (GstQsvAutoEnc * self, GstPad * pad, GstBuffer * buf,
    GstClockTime key, guint64 index)
{
  GstFlowReturn ret;
  gboolean key_here;

  g_mutex_lock (&self->stream_lock);
  if (GST_CLOCK_TIME_IS_VALID (key))
    self->path_frames++;
  self->push_since_us = g_get_monotonic_time ();
  key_here = index == self->key_at;
  if (key_here)
    self->key_at = G_MAXUINT64;
  g_mutex_unlock (&self->stream_lock);
  if (key_here)
    ask_keyframe (self, pad);
  ret = gst_proxy_pad_chain_default (pad, GST_OBJECT (self), buf);
  g_mutex_lock (&self->stream_lock);
  self->push_since_us = 0;
  g_mutex_unlock (&self->stream_lock);
  return ret;
}

gboolean
gst_qsv_auto_enc_stream_downstream_failed (GstQsvAutoEnc * self,
    GstFlowReturn ret)
{
  GstFlowReturn down = g_atomic_int_get (&self->downstream_ret);

  if (down == GST_FLOW_OK || down == GST_FLOW_FLUSHING)
    return FALSE;
  GST_DEBUG_OBJECT (self, "downstream returned %s: %s is not taken for an "
      "encoder failure", gst_flow_get_name (down), gst_flow_get_name (ret));
  return TRUE;
}

/* The application gets one ERROR that names the encoder and says why */
GstFlowReturn
gst_qsv_auto_enc_stream_fail_for_good (GstQsvAutoEnc * self, GstFlowReturn ret)
{
  GstQsvAutoEncFallback policy;
  gchar *failure, *encoder;

  if (!g_atomic_int_compare_and_exchange (&self->failed_for_good, 0, 1))
    return GST_FLOW_ERROR;
  failure = gst_qsv_auto_enc_stream_take_failure (self, ret);
  GST_OBJECT_LOCK (self);
  encoder = g_strdup (self->active_encoder);
  policy = self->fallback;
  GST_OBJECT_UNLOCK (self);
  GST_ELEMENT_ERROR (self, STREAM, ENCODE, ("%s failed: %s", encoder,
          failure), ("%s", policy == GST_QSV_AUTO_ENC_FALLBACK_NEVER ?
          "fallback=never: no other encoder is tried (fallback=always "
          "continues with the next one)" : policy ==
          GST_QSV_AUTO_ENC_FALLBACK_STARTUP ? "fallback=startup: no switch "
          "once output began (fallback=always allows one)" :
          "no other encoder of the codec is usable"));
  g_free (failure);
  g_free (encoder);
  return GST_FLOW_ERROR;
}

static GstFlowReturn
gst_qsv_auto_enc_sink_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (parent);
  gboolean keep = gst_qsv_auto_enc_can_fall_back (self), filled = FALSE;
  GstClockTime key;
  GstFlowReturn ret;
  guint silent_limit = 0;
  guint64 index;

  if (keep) {
    GST_OBJECT_LOCK (self);
    if (self->active && gst_qsv_encoder_info_is_hardware (self->active->info))
      silent_limit = self->settings.b_frames + MAX_SILENT_FRAMES;
    GST_OBJECT_UNLOCK (self);
  }

  g_mutex_lock (&self->stream_lock);
  if (from_bounded_pool (self, buffer))
    buffer = copy_out (buffer);
  buffer = stamp (self, buffer, &key);
  index = self->in_index++;
  if (keep)
    filled = hold (self, buffer, key, self->path_frames);
  if (!self->waiting_since_us)
    self->waiting_since_us = g_get_monotonic_time ();
  self->inputs_since_output++;
  if (silent_limit && self->inputs_since_output > silent_limit)
    gst_qsv_auto_enc_stream_set_failure (self,
        g_strdup_printf ("it took %u frames without any " "output",
            self->inputs_since_output - 1));
  g_mutex_unlock (&self->stream_lock);

  if (filled)
    GST_ELEMENT_WARNING (self, RESOURCE, NO_SPACE_LEFT, ("The encoder holds "
            "more than %u MiB of frames without output: until it catches up, "
            "a mid-stream fallback cannot replay every frame",
            (guint) (MAX_HELD_BYTES >> 20)), (NULL));

  if (gst_qsv_auto_enc_stream_has_failure (self)) {
    /* it failed outside a push of ours: this buffer is in the replay */
    gst_buffer_unref (buffer);
    ret = keep ? gst_qsv_auto_enc_fall_back (self, GST_FLOW_ERROR, NULL) :
        GST_FLOW_ERROR;
  } else {
    ret = push_into_path (self, pad, buffer, key, index);
  }
  if (ret != GST_FLOW_OK)
    GST_DEBUG_OBJECT (self, "the path returned %s", gst_flow_get_name (ret));
  /* a failure flagged meanwhile (the watchdog, bad output) counts too; a
   * flow error that came from downstream (a tee with no branch yet, a muxer
   * that failed) is not the encoder's: it goes back upstream as it is */
  while ((ret != GST_FLOW_OK || gst_qsv_auto_enc_stream_has_failure (self)) &&
      !gst_qsv_auto_enc_stream_downstream_failed (self, ret) &&
      ret != GST_FLOW_FLUSHING && ret != GST_FLOW_EOS &&
      gst_qsv_auto_enc_can_fall_back (self))
    ret = gst_qsv_auto_enc_fall_back (self, ret, NULL);
  /* it failed in a way no inner element reported (output that is not the
   * codec, a refused format, silence, a flow error from an encoder that
   * posts none: vaapih26Xenc's own thread) and nothing may replace it */
  if ((gst_qsv_auto_enc_stream_has_failure (self)
          || ret == GST_FLOW_NOT_NEGOTIATED || (ret == GST_FLOW_ERROR
              && !g_atomic_int_get (&self->inner_error)))
      && !gst_qsv_auto_enc_stream_downstream_failed (self, ret))
    ret = gst_qsv_auto_enc_stream_fail_for_good (self, ret);
  if (ret != GST_FLOW_OK)
    GST_DEBUG_OBJECT (self, "returning %s upstream", gst_flow_get_name (ret));
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

/* ---------------------------------------------------------------------- */
/* Replay                                                                 */

static gboolean
resend_sticky (GstPad * pad, GstEvent ** event, gpointer user_data)
{
  if (GST_EVENT_TYPE (*event) != GST_EVENT_EOS)
    gst_pad_send_event (GST_PAD (user_data), gst_event_ref (*event));
  return TRUE;
}

/* Feeds the held frames to the new path, each under the caps it came
 * with. Before EOS, through the sink pad; at EOS the front already took
 * EOS and refuses data: it is rebuilt and fed directly, then EOS again. */
GstFlowReturn
gst_qsv_auto_enc_stream_replay (GstQsvAutoEnc * self, GstEvent * eos)
{
  GstFlowReturn ret = GST_FLOW_OK;
  GQueue copy = G_QUEUE_INIT;
  GstQsvHeldFrame *f;
  GstPad *front;
  GstCaps *current;

  if (eos) {
    front = gst_qsv_auto_enc_rebuild_front (self);
    if (!front)
      return GST_FLOW_ERROR;
    gst_pad_sticky_events_foreach (self->sinkpad, resend_sticky, front);
  } else {
    front = gst_ghost_pad_get_target (GST_GHOST_PAD (self->sinkpad));
    if (!front)
      return GST_FLOW_ERROR;
  }
  /* the first frame's caps are sent whatever the front had: a converter
   * that failed to negotiate with the failed encoder (a dead GPU answers
   * no caps) negotiates again with the new one only on a caps event */
  current = NULL;

  g_mutex_lock (&self->stream_lock);
  for (GList * l = self->held.head; l; l = l->next) {
    GstQsvHeldFrame *h = l->data, *c = g_new0 (GstQsvHeldFrame, 1);

    /* the new path numbers them from its start */
    h->ordinal = self->path_frames++;

    c->buffer = gst_buffer_ref (h->buffer);
    c->caps = h->caps ? gst_caps_ref (h->caps) : NULL;
    c->index = h->index;
    g_queue_push_tail (&copy, c);
  }
  g_mutex_unlock (&self->stream_lock);

  GST_INFO_OBJECT (self, "feeding %u frames again%s", copy.length,
      eos ? ", then EOS" : "");
  while (ret == GST_FLOW_OK && (f = g_queue_pop_head (&copy))) {
    if (f->caps && (!current || !gst_caps_is_equal (f->caps, current))) {
      gst_caps_replace (&current, f->caps);
      gst_pad_send_event (front, gst_event_new_caps (f->caps));
    }
    if (eos) {
      g_mutex_lock (&self->stream_lock);
      if (f->index == self->key_at) {
        self->key_at = G_MAXUINT64;
        g_mutex_unlock (&self->stream_lock);
        ask_keyframe (self, front);
      } else {
        g_mutex_unlock (&self->stream_lock);
      }
      ret = gst_pad_chain (front, gst_buffer_ref (f->buffer));
    } else {
      ret = push_into_path (self, self->sinkpad, gst_buffer_ref (f->buffer),
          GST_CLOCK_TIME_NONE, f->index);
    }
    held_frame_free (f);
  }
  g_queue_clear_full (&copy, (GDestroyNotify) held_frame_free);
  if (ret != GST_FLOW_OK)
    GST_DEBUG_OBJECT (self, "the replay returned %s", gst_flow_get_name (ret));

  /* what comes next from upstream has upstream's current caps */
  g_mutex_lock (&self->stream_lock);
  if (self->in_caps && (!current || !gst_caps_is_equal (self->in_caps,
              current))) {
    GstCaps *in = gst_caps_ref (self->in_caps);

    g_mutex_unlock (&self->stream_lock);
    gst_pad_send_event (front, gst_event_new_caps (in));
    gst_caps_unref (in);
  } else {
    g_mutex_unlock (&self->stream_lock);
  }
  if (eos && ret == GST_FLOW_OK && !gst_pad_send_event (front,
          gst_event_ref (eos)))
    ret = GST_FLOW_ERROR;
  gst_clear_caps (&current);
  gst_object_unref (front);
  return ret;
}

guint
gst_qsv_auto_enc_stream_held (GstQsvAutoEnc * self, guint * unkept)
{
  guint n;

  g_mutex_lock (&self->stream_lock);
  n = self->held.length;
  if (unkept)
    *unkept = self->frames_unkept;
  g_mutex_unlock (&self->stream_lock);
  return n;
}

/* ---------------------------------------------------------------------- */
/* Life cycle                                                             */

/* A new path is active: it restates caps and segment (dropped, see
 * output_segment), and the watchdog's clocks start afresh. */
void
gst_qsv_auto_enc_stream_path_started (GstQsvAutoEnc * self)
{
  gint64 now = g_get_monotonic_time ();
  gboolean renumbers;

  GST_OBJECT_LOCK (self);
  renumbers = self->active && self->active->info &&
      gst_qsv_encoder_info_renumbers_pts (self->active->info);
  GST_OBJECT_UNLOCK (self);

  g_mutex_lock (&self->stream_lock);
  self->restating = self->out_caps != NULL || self->have_out_segment;
  self->upstream_caps_changed = FALSE;
  self->path_frames = 0;
  self->path_first_out = GST_CLOCK_TIME_NONE;
  self->path_renumbers = renumbers;
  self->last_output_us = now;
  self->waiting_since_us = g_queue_is_empty (&self->held) ? 0 : now;
  self->inputs_since_output = 0;
  self->push_since_us = 0;
  g_mutex_unlock (&self->stream_lock);
  g_atomic_int_set (&self->output_seen, 0);
}

GstCaps *
gst_qsv_auto_enc_stream_out_caps (GstQsvAutoEnc * self)
{
  GstCaps *caps;

  g_mutex_lock (&self->stream_lock);
  caps = self->out_caps ? gst_caps_ref (self->out_caps) : NULL;
  g_mutex_unlock (&self->stream_lock);
  return caps;
}

/* Flushed frames are dropped on purpose, not lost; after a flush the next
 * segment is downstream's new one. */
void
gst_qsv_auto_enc_stream_flush (GstQsvAutoEnc * self)
{
  g_mutex_lock (&self->stream_lock);
  clear_held (self);
  self->last_key = GST_CLOCK_TIME_NONE;
  self->in_index = 0;
  self->key_at = G_MAXUINT64;
  self->have_out_segment = FALSE;
  self->restating = FALSE;
  self->waiting_since_us = 0;
  self->inputs_since_output = 0;
  self->last_out_dts = GST_CLOCK_TIME_NONE;
  g_mutex_unlock (&self->stream_lock);
  g_atomic_int_set (&self->downstream_ret, GST_FLOW_OK);
}

void
gst_qsv_auto_enc_stream_reset (GstQsvAutoEnc * self)
{
  g_mutex_lock (&self->stream_lock);
  clear_held (self);
  g_clear_pointer (&self->failure, g_free);
  gst_clear_caps (&self->in_caps);
  gst_clear_caps (&self->out_caps);
  self->upstream_caps_changed = FALSE;
  self->have_out_segment = FALSE;
  self->restating = FALSE;
  self->level_idc = 0;
  self->last_key = GST_CLOCK_TIME_NONE;
  self->reorders = FALSE;
  self->out_count = 0;
  self->in_index = 0;
  self->key_at = G_MAXUINT64;
  self->last_out_dts = GST_CLOCK_TIME_NONE;
  gst_segment_init (&self->in_segment, GST_FORMAT_TIME);
  gst_segment_init (&self->inside_segment, GST_FORMAT_TIME);
  gst_segment_init (&self->out_segment, GST_FORMAT_TIME);
  gst_segment_init (&self->path_segment, GST_FORMAT_TIME);
  self->waiting_since_us = 0;
  self->inputs_since_output = 0;
  self->push_since_us = 0;
  g_mutex_unlock (&self->stream_lock);
  g_atomic_int_set (&self->output_seen, 0);
  g_atomic_int_set (&self->replaced, 0);
  g_atomic_int_set (&self->downstream_ret, GST_FLOW_OK);
  g_atomic_int_set (&self->failed_for_good, 0);
  g_atomic_int_set (&self->inner_error, 0);
}

void
gst_qsv_auto_enc_stream_init (GstQsvAutoEnc * self)
{
  g_mutex_init (&self->stream_lock);
  g_cond_init (&self->watchdog_cond);
  g_queue_init (&self->held);
  gst_qsv_auto_enc_stream_reset (self);

  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_sink_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_sink_chain_list));
  gst_qsv_auto_enc_events_init (self);
  gst_qsv_auto_enc_output_init (self);
}

void
gst_qsv_auto_enc_stream_clear (GstQsvAutoEnc * self)
{
  gst_qsv_auto_enc_stream_reset (self);
  g_mutex_clear (&self->stream_lock);
  g_cond_clear (&self->watchdog_cond);
}
