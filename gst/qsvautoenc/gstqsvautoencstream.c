/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The stream through qsvautoenc: what comes in, what is kept for a replay,
 * what downstream sees, when the active encoder path counts as failed, and
 * the stall watchdog. The swap itself (choosing and building the next path)
 * is gst_qsv_auto_enc_fall_back() in gstqsvautoenc.c.
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
static GstClockTime
frame_duration (GstQsvAutoEnc * self, GstBuffer * buf)
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
        self->last_key + frame_duration (self, buf) : 0;
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
hold (GstQsvAutoEnc * self, GstBuffer * buf, GstClockTime key,
    guint64 ordinal)
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

static void
release (GstQsvAutoEnc * self, GList * link)
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

static gboolean
has_failure (GstQsvAutoEnc * self)
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

static void
set_failure (GstQsvAutoEnc * self, gchar * text)
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
  if (GST_CLOCK_TIME_IS_VALID (key)) {
    if (self->path_frames == 0)
      self->path_first_key = key;
    self->path_frames++;
  }
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

static gboolean
downstream_failed (GstQsvAutoEnc * self, GstFlowReturn ret)
{
  GstFlowReturn down = g_atomic_int_get (&self->downstream_ret);

  if (down == GST_FLOW_OK || down == GST_FLOW_FLUSHING)
    return FALSE;
  GST_DEBUG_OBJECT (self, "downstream returned %s: %s is not taken for an "
      "encoder failure", gst_flow_get_name (down), gst_flow_get_name (ret));
  return TRUE;
}

/* The application gets one ERROR that names the encoder and says why */
static GstFlowReturn
fail_for_good (GstQsvAutoEnc * self, GstFlowReturn ret)
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
          "no other H.264 encoder is usable"));
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
    set_failure (self, g_strdup_printf ("it took %u frames without any "
            "output", self->inputs_since_output - 1));
  g_mutex_unlock (&self->stream_lock);

  if (filled)
    GST_ELEMENT_WARNING (self, RESOURCE, NO_SPACE_LEFT, ("The encoder holds "
            "more than %u MiB of frames without output: until it catches up, "
            "a mid-stream fallback cannot replay every frame",
            (guint) (MAX_HELD_BYTES >> 20)), (NULL));

  if (has_failure (self)) {
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
  while ((ret != GST_FLOW_OK || has_failure (self)) &&
      !downstream_failed (self, ret) &&
      ret != GST_FLOW_FLUSHING && ret != GST_FLOW_EOS &&
      gst_qsv_auto_enc_can_fall_back (self))
    ret = gst_qsv_auto_enc_fall_back (self, ret, NULL);
  /* it failed in a way no inner element reports (output that is not H.264,
   * a refused format, silence) and nothing may replace it */
  if ((has_failure (self) || ret == GST_FLOW_NOT_NEGOTIATED) &&
      !downstream_failed (self, ret))
    ret = fail_for_good (self, ret);
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
    if (self->path_frames == 0)
      self->path_first_key = h->key;
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
/* Input events                                                           */

/* Encoders drain before they pass EOS on: a frame still held then was
 * swallowed, and losing frames is a failure like any other. */
static void
flag_swallowed_frames (GstQsvAutoEnc * self)
{
  g_mutex_lock (&self->stream_lock);
  if (!self->failure && !g_queue_is_empty (&self->held))
    self->failure = g_strdup_printf ("drained without output for %u of its "
        "frames", self->held.length);
  g_mutex_unlock (&self->stream_lock);
}

/* Inside the bin, time is TIME: a BYTES segment (appsrc's default) becomes
 * a TIME segment from 0, and the buffers' timestamps are taken as times. */
static GstEvent *
inside_segment_event (GstQsvAutoEnc * self, GstEvent * event)
{
  const GstSegment *seg;
  GstEvent *time_event;

  gst_event_parse_segment (event, &seg);
  g_mutex_lock (&self->stream_lock);
  self->in_segment = *seg;
  if (seg->format == GST_FORMAT_TIME) {
    self->inside_segment = *seg;
    g_mutex_unlock (&self->stream_lock);
    return event;
  }
  gst_segment_init (&self->inside_segment, GST_FORMAT_TIME);
  self->inside_segment.rate = seg->rate;
  time_event = gst_event_new_segment (&self->inside_segment);
  g_mutex_unlock (&self->stream_lock);
  GST_INFO_OBJECT (self, "upstream's segment is in %s: encoding in a TIME "
      "segment from 0", gst_format_get_name (seg->format));
  gst_event_set_seqnum (time_event, gst_event_get_seqnum (event));
  gst_event_unref (event);
  return time_event;
}

static void
note_input_caps (GstQsvAutoEnc * self, GstEvent * event)
{
  GstCaps *caps;

  gst_event_parse_caps (event, &caps);
  g_mutex_lock (&self->stream_lock);
  if (self->in_caps && !gst_caps_is_equal (self->in_caps, caps))
    self->upstream_caps_changed = TRUE;
  gst_caps_replace (&self->in_caps, caps);
  g_mutex_unlock (&self->stream_lock);
}

static void
refused_caps (GstQsvAutoEnc * self, GstEvent * event)
{
  GstCaps *caps;
  gchar *text;

  gst_event_parse_caps (event, &caps);
  text = gst_caps_to_string (caps);
  g_mutex_lock (&self->stream_lock);
  set_failure (self, g_strdup_printf ("it refused the input caps %s", text));
  g_free (text);
  g_mutex_unlock (&self->stream_lock);
}

static gboolean
gst_qsv_auto_enc_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstQsvAutoEnc *self = GST_QSV_AUTO_ENC (parent);
  gboolean res;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_FLUSH_STOP:
      gst_qsv_auto_enc_stream_flush (self);
      break;
    case GST_EVENT_CAPS:
      note_input_caps (self, event);
      /* a path that refuses the caps (an encoder without the profile
       * downstream asks for, a VPP without the format) is replaced */
      res = gst_pad_event_default (pad, parent, gst_event_ref (event));
      while (!res && !g_atomic_int_get (&self->output_seen) &&
          gst_qsv_auto_enc_can_fall_back (self)) {
        refused_caps (self, event);
        gst_qsv_auto_enc_fall_back (self, GST_FLOW_NOT_NEGOTIATED, NULL);
        res = gst_pad_event_default (pad, parent, gst_event_ref (event));
      }
      if (!res && !downstream_failed (self, GST_FLOW_NOT_NEGOTIATED)) {
        refused_caps (self, event);
        fail_for_good (self, GST_FLOW_NOT_NEGOTIATED);
      }
      gst_event_unref (event);
      return res;
    case GST_EVENT_SEGMENT:
      event = inside_segment_event (self, event);
      break;
    case GST_EVENT_EOS:
      /* an encoder that fails while draining is replaced and fed again
       * before EOS goes on */
      res = gst_pad_event_default (pad, parent, gst_event_ref (event));
      flag_swallowed_frames (self);
      while (has_failure (self) && gst_qsv_auto_enc_can_fall_back (self)) {
        res = gst_qsv_auto_enc_fall_back (self, GST_FLOW_ERROR, event) ==
            GST_FLOW_OK;
        flag_swallowed_frames (self);
      }
      gst_event_unref (event);
      return res;
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* Linking a new path asks upstream to renegotiate. The converter in front
 * already adapts the format, and a source that changes caps after the
 * replacement's first output can deadlock a prerolling pipeline: keep it
 * inside. */
static GstPadProbeReturn
upstream_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
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

/* Upstream allocates from the pool the active encoder proposes; in system
 * memory that pool may be the hardware encoder's own (VA-backed), which
 * stops giving buffers when the GPU is gone, also to the software encoder
 * that took over. System-memory frames come from upstream's own pool then:
 * the bin passes on what the encoder asks (metas), not its pool nor its
 * allocator. (GPU memory keeps the encoder's pool: it cannot be had otherwise.) */
/* Upstream negotiating (basesrc does it in its streaming thread) before
 * any output, and the path takes none of what it offers (a VPP without
 * the format in system memory) or cannot make what downstream asks (an
 * encoder without profile=baseline): the next candidate is asked. */
static gboolean
caps_query (GstQsvAutoEnc * self, GstPad * pad, GstQuery * query)
{
  gboolean res = gst_pad_query_default (pad, GST_OBJECT (self), query);
  GstCaps *filter, *result;
  GstState target;

  gst_query_parse_caps (query, &filter);
  for (;;) {
    if (!res || (filter && gst_caps_is_empty (filter)))
      return res;
    gst_query_parse_caps_result (query, &result);
    if (!result || !gst_caps_is_empty (result))
      return res;
    GST_OBJECT_LOCK (self);
    target = GST_STATE_TARGET (self);
    GST_OBJECT_UNLOCK (self);
    if (target < GST_STATE_PAUSED || g_atomic_int_get (&self->output_seen))
      return res;
    if (gst_qsv_auto_enc_front_without_vpp (self)) {
      res = gst_pad_query_default (pad, GST_OBJECT (self), query);
      continue;
    }
    if (!gst_qsv_auto_enc_can_fall_back (self))
      return res;
    g_mutex_lock (&self->stream_lock);
    if (filter) {
      gchar *offered = gst_caps_to_string (filter);

      set_failure (self, g_strdup_printf ("it takes none of the input "
              "formats offered (%s) with the output downstream asks for",
              offered));
      g_free (offered);
    } else
      set_failure (self, g_strdup ("it can produce nothing downstream takes"));
    g_mutex_unlock (&self->stream_lock);
    if (gst_qsv_auto_enc_fall_back (self, GST_FLOW_NOT_NEGOTIATED, NULL) !=
        GST_FLOW_OK)
      return res;
    res = gst_pad_query_default (pad, GST_OBJECT (self), query);
  }
}

static gboolean
sink_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstCaps *caps = NULL;
  GstCapsFeatures *f;
  gboolean res;

  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS)
    return caps_query (GST_QSV_AUTO_ENC (parent), pad, query);
  res = gst_pad_query_default (pad, parent, query);

  if (!res || GST_QUERY_TYPE (query) != GST_QUERY_ALLOCATION)
    return res;
  gst_query_parse_allocation (query, &caps, NULL);
  f = caps && !gst_caps_is_empty (caps) ? gst_caps_get_features (caps, 0) :
      NULL;
  if (f && !gst_caps_features_is_equal (f,
          GST_CAPS_FEATURES_MEMORY_SYSTEM_MEMORY))
    return res;
  while (gst_query_get_n_allocation_pools (query) > 0)
    gst_query_remove_nth_allocation_pool (query, 0);
  /* and its allocator (VA's), which only its pool can use */
  while (gst_query_get_n_allocation_params (query) > 0)
    gst_query_remove_nth_allocation_param (query, 0);
  return res;
}

/* ---------------------------------------------------------------------- */
/* Output: what downstream sees                                           */

/* Downstream keeps the caps it accepted and the segment it got, whichever
 * path runs: the parameter sets of a new path travel in-band (every path
 * emits them at each IDR), so no muxer sees a caps change it would refuse
 * (matroskamux) or apply a frame early (mp4mux). Only a change that comes
 * from upstream (a new resolution) goes through. */
static GstPadProbeReturn
output_caps (GstQsvAutoEnc * self, GstEvent * event)
{
  GstPadProbeReturn ret = GST_PAD_PROBE_OK;
  GstCaps *caps;

  gst_event_parse_caps (event, &caps);
  g_mutex_lock (&self->stream_lock);
  if (!self->out_caps || (self->upstream_caps_changed && !self->restating)) {
    self->upstream_caps_changed = FALSE;
    gst_caps_replace (&self->out_caps, caps);
  } else if (!gst_caps_is_equal (caps, self->out_caps)) {
    GST_DEBUG_OBJECT (self, "downstream keeps %" GST_PTR_FORMAT ", not %"
        GST_PTR_FORMAT, self->out_caps, caps);
    ret = GST_PAD_PROBE_DROP;
  }
  g_mutex_unlock (&self->stream_lock);
  return ret;
}

static GstPadProbeReturn
output_segment (GstQsvAutoEnc * self, GstEvent * event)
{
  GstPadProbeReturn ret = GST_PAD_PROBE_OK;
  const GstSegment *seg;

  gst_event_parse_segment (event, &seg);
  g_mutex_lock (&self->stream_lock);
  if (self->have_out_segment && (self->restating ||
          gst_segment_is_equal (seg, &self->path_segment))) {
    /* a new path restating the stream's segment in its own terms (x264enc
     * moves it by 1000 hours): downstream keeps the one it has, and the
     * path's timestamps are moved into it */
    self->path_segment = *seg;
    ret = GST_PAD_PROBE_DROP;
  } else {
    self->out_segment = *seg;
    self->path_segment = *seg;
    self->have_out_segment = TRUE;
  }
  g_mutex_unlock (&self->stream_lock);
  return ret;
}

static GstPadProbeReturn
output_event (GstQsvAutoEnc * self, GstEvent * event)
{
  gboolean restating;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:
      return output_caps (self, event);
    case GST_EVENT_SEGMENT:
      return output_segment (self, event);
    case GST_EVENT_STREAM_START:
      g_mutex_lock (&self->stream_lock);
      restating = self->restating;
      g_mutex_unlock (&self->stream_lock);
      return restating ? GST_PAD_PROBE_DROP : GST_PAD_PROBE_OK;
    case GST_EVENT_EOS:
      /* an encoder that passes EOS on while it still holds frames
       * swallowed them: keep that EOS in, the replacement sends its own
       * after them */
      if (gst_qsv_auto_enc_can_fall_back (self) &&
          gst_qsv_auto_enc_stream_held (self, NULL) > 0) {
        GST_INFO_OBJECT (self, "holding back EOS: frames are still held");
        return GST_PAD_PROBE_DROP;
      }
      return GST_PAD_PROBE_OK;
    default:
      return GST_PAD_PROBE_OK;
  }
}

/* Moves @ts from the path's segment to downstream's by running time. */
static GstClockTime
to_out_time (GstQsvAutoEnc * self, GstClockTime ts)
{
  guint64 rt, pos;
  gint sign;

  if (!GST_CLOCK_TIME_IS_VALID (ts))
    return ts;
  sign = gst_segment_to_running_time_full (&self->path_segment,
      GST_FORMAT_TIME, ts, &rt);
  if (sign > 0) {
    sign = gst_segment_position_from_running_time_full (&self->out_segment,
        GST_FORMAT_TIME, rt, &pos);
    return sign > 0 ? pos : GST_CLOCK_TIME_NONE;
  }
  if (sign < 0) {
    /* before the segment's start: a DTS ahead of the first PTS */
    pos = gst_segment_position_from_running_time (&self->out_segment,
        GST_FORMAT_TIME, 0);
    return GST_CLOCK_TIME_IS_VALID (pos) && pos >= rt ? pos - rt :
        GST_CLOCK_TIME_NONE;
  }
  return GST_CLOCK_TIME_NONE;
}

/* Byte-stream output starts with a start code, avc's with a NAL length
 * that fits: anything else is not H.264 (a driver writing garbage). */
static gboolean
looks_like_h264 (GstBuffer * buf, gboolean byte_stream)
{
  guint8 head[4];
  guint32 len;

  if (gst_buffer_extract (buf, 0, head, 4) != 4)
    return FALSE;
  if (byte_stream)
    return head[0] == 0 && head[1] == 0 && (head[2] == 1 ||
        (head[2] == 0 && head[3] == 1));
  len = GST_READ_UINT32_BE (head);
  return len > 0 && len <= gst_buffer_get_size (buf) - 4;
}

/* Calls @func on the SPS of a coded frame (byte-stream or 4-byte lengths),
 * @sps pointing at its NAL header. */
static void
foreach_sps (guint8 * data, gsize size, gboolean byte_stream,
    void (*func) (guint8 * sps, gsize len, gpointer user_data),
    gpointer user_data)
{
  gsize i = 0;

  while (i + 4 < size) {
    gsize start, end;

    if (byte_stream) {
      if (!(data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1)) {
        i++;
        continue;
      }
      start = i + 3;
      /* parameter sets come before the slices: stop at the first one
       * (and never read coded picture data) */
      if ((data[start] & 0x1f) >= 1 && (data[start] & 0x1f) <= 5)
        break;
      for (end = start; end + 2 < size && !(data[end] == 0 &&
              data[end + 1] == 0 && data[end + 2] <= 1); end++);
      if (end + 2 >= size)
        end = size;
    } else {
      gsize len = GST_READ_UINT32_BE (data + i);

      start = i + 4;
      end = len <= size - start ? start + len : size;
      if ((data[start] & 0x1f) >= 1 && (data[start] & 0x1f) <= 5)
        break;
    }
    if (end > start + 3 && (data[start] & 0x1f) == 7)
      func (data + start, end - start, user_data);
    i = end;
  }
}

static void
read_level (guint8 * sps, gsize len, gpointer user_data)
{
  *(guint8 *) user_data = sps[3];
}

static void
write_level (guint8 * sps, gsize len, gpointer user_data)
{
  sps[3] = *(guint8 *) user_data;
}

/* The level downstream was told stays: a parser of the user's after the
 * bin announces the level of the SPS it sees. The first path's SPS level
 * is noted; after a switch, each SPS (a byte at a fixed place: NAL header,
 * profile_idc, constraint flags, level_idc) gets it. The same stream at the
 * same settings needs the same level. */
static void
pin_level (GstQsvAutoEnc * self, GstBuffer ** buf, gboolean byte_stream)
{
  GstMapInfo map;
  guint8 level, found = 0;

  if (GST_BUFFER_FLAG_IS_SET (*buf, GST_BUFFER_FLAG_DELTA_UNIT))
    return;
  g_mutex_lock (&self->stream_lock);
  level = self->level_idc;
  g_mutex_unlock (&self->stream_lock);
  if (!g_atomic_int_get (&self->replaced)) {
    if (level || !gst_buffer_map (*buf, &map, GST_MAP_READ))
      return;
    foreach_sps (map.data, map.size, byte_stream, read_level, &found);
    gst_buffer_unmap (*buf, &map);
    g_mutex_lock (&self->stream_lock);
    self->level_idc = found;
    g_mutex_unlock (&self->stream_lock);
    return;
  }
  if (!level)
    return;
  *buf = gst_buffer_make_writable (*buf);
  if (!gst_buffer_map (*buf, &map, GST_MAP_READWRITE))
    return;
  foreach_sps (map.data, map.size, byte_stream, write_level, &level);
  gst_buffer_unmap (*buf, &map);
}

/* Finds the held frame @buf (at running time @rt) is the output of, and
 * lets it go. Most encoders echo the input's PTS: the frame whose key it
 * is. vah264enc and vah264lpenc (1.22) give the first PTS plus a frame
 * duration per frame taken: the frame with that number, whose own PTS the
 * buffer then gets back (after gaps in the input, or a replay, the count
 * and the input's timestamps differ). */
static void
match_output (GstQsvAutoEnc * self, GstBuffer ** buf, GstClockTime rt)
{
  GstQsvHeldFrame *f;
  GList *l;

  if (!self->path_renumbers) {
    for (l = self->held.head; l; l = l->next)
      if (ABS (GST_CLOCK_DIFF (((GstQsvHeldFrame *) l->data)->key, rt)) <=
          GST_USECOND)
        break;
  } else {
    GstClockTime dur = frame_duration (self, NULL);
    guint64 n;

    if (!GST_CLOCK_TIME_IS_VALID (self->path_first_key) ||
        rt + dur / 2 < self->path_first_key)
      return;
    n = (rt - self->path_first_key + dur / 2) / dur;
    for (l = self->held.head; l; l = l->next)
      if (((GstQsvHeldFrame *) l->data)->ordinal == n)
        break;
  }
  if (!l)
    return;
  f = l->data;
  if (self->path_renumbers && f->key != rt) {
    GstClockTime pts = gst_segment_position_from_running_time
        (&self->path_segment, GST_FORMAT_TIME, f->key);

    if (GST_CLOCK_TIME_IS_VALID (pts)) {
      GstClockTimeDiff delta = GST_CLOCK_DIFF (GST_BUFFER_PTS (*buf), pts);

      *buf = gst_buffer_make_writable (*buf);
      if (GST_BUFFER_DTS_IS_VALID (*buf))
        GST_BUFFER_DTS (*buf) = MIN ((GstClockTime) MAX (0,
                (GstClockTimeDiff) GST_BUFFER_DTS (*buf) + delta), pts);
      GST_BUFFER_PTS (*buf) = pts;
    }
  }
  release (self, l);
}

/* Whether the stream downstream has had output, none of it reordered
 * (no B-frames) */
gboolean
gst_qsv_auto_enc_stream_unordered (GstQsvAutoEnc * self)
{
  gboolean unordered;

  g_mutex_lock (&self->stream_lock);
  unordered = self->out_count > 0 && !self->reorders;
  g_mutex_unlock (&self->stream_lock);
  return unordered;
}

/* DTS never goes back across a switch (a replacement that reorders more
 * than the encoder before it starts its DTS further back); it may not pass
 * the PTS either. Called with the stream lock. */
static void
keep_dts_order (GstQsvAutoEnc * self, GstBuffer ** buf)
{
  GstClockTime pts = GST_BUFFER_PTS (*buf), dts = GST_BUFFER_DTS (*buf);

  self->out_count++;
  if (!GST_CLOCK_TIME_IS_VALID (dts))
    return;
  if (GST_CLOCK_TIME_IS_VALID (pts) && dts < pts)
    self->reorders = TRUE;
  if (GST_CLOCK_TIME_IS_VALID (self->last_out_dts) &&
      dts <= self->last_out_dts && self->last_out_dts < G_MAXUINT64 - 1 &&
      (!GST_CLOCK_TIME_IS_VALID (pts) || self->last_out_dts + 1 <= pts)) {
    GST_DEBUG_OBJECT (self, "DTS %" GST_TIME_FORMAT " after %" GST_TIME_FORMAT
        ": moved on by 1 ns", GST_TIME_ARGS (dts),
        GST_TIME_ARGS (self->last_out_dts));
    *buf = gst_buffer_make_writable (*buf);
    dts = GST_BUFFER_DTS (*buf) = self->last_out_dts + 1;
  }
  self->last_out_dts = dts;
}

/* One output buffer: its input is no longer needed, and its timestamps
 * are moved into downstream's segment. Returns FALSE to drop it. */
static gboolean
output_buffer (GstQsvAutoEnc * self, GstBuffer ** buf)
{
  GstClockTime rt;
  gboolean byte_stream, moved;

  /* a late buffer of the path being replaced (vaapih264enc pushes from a
   * thread of its own): its frame is in the replay, and its faults are not
   * the replacement's */
  if (g_atomic_int_get (&self->swapping))
    return FALSE;
  GST_OBJECT_LOCK (self);
  byte_stream = !self->out_format || g_str_equal (self->out_format,
      "byte-stream");
  GST_OBJECT_UNLOCK (self);

  g_mutex_lock (&self->stream_lock);
  self->restating = FALSE;
  if (!looks_like_h264 (*buf, byte_stream)) {
    set_failure (self, g_strdup ("its output is not H.264"));
    g_mutex_unlock (&self->stream_lock);
    return FALSE;
  }
  rt = gst_segment_to_running_time (&self->path_segment, GST_FORMAT_TIME,
      GST_BUFFER_PTS (*buf));
  if (GST_CLOCK_TIME_IS_VALID (rt))
    match_output (self, buf, rt);
  self->last_output_us = g_get_monotonic_time ();
  self->waiting_since_us = 0;
  self->inputs_since_output = 0;
  moved = self->have_out_segment &&
      !gst_segment_is_equal (&self->path_segment, &self->out_segment);
  if (moved) {
    GstClockTime pts = to_out_time (self, GST_BUFFER_PTS (*buf));
    GstClockTime dts = to_out_time (self, GST_BUFFER_DTS (*buf));

    *buf = gst_buffer_make_writable (*buf);
    GST_BUFFER_PTS (*buf) = pts;
    GST_BUFFER_DTS (*buf) = dts;
  }
  keep_dts_order (self, buf);
  g_mutex_unlock (&self->stream_lock);
  pin_level (self, buf, byte_stream);
  g_atomic_int_set (&self->output_seen, 1);
  return TRUE;
}

static GstPadProbeReturn
output_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
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
  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM)
    return output_event (self, GST_PAD_PROBE_INFO_EVENT (info));

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);

    if (!output_buffer (self, &buf))
      return GST_PAD_PROBE_DROP;
    GST_PAD_PROBE_INFO_DATA (info) = buf;
  } else {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);
    guint i;

    list = gst_buffer_list_make_writable (list);
    for (i = 0; i < gst_buffer_list_length (list);) {
      GstBuffer *buf = gst_buffer_ref (gst_buffer_list_get (list, i));

      gst_buffer_list_remove (list, i, 1);
      if (output_buffer (self, &buf))
        gst_buffer_list_insert (list, i++, buf);
      else
        gst_buffer_unref (buf);
    }
    GST_PAD_PROBE_INFO_DATA (info) = list;
  }
  return GST_PAD_PROBE_OK;
}

/* ---------------------------------------------------------------------- */
/* Errors from inside                                                     */

/* An error from any element inside (encoder, converter, capsfilter,
 * h264parse) is a failure of the active path: kept off the application's
 * bus when a fallback will follow. Returns TRUE when it was taken. Never
 * called with a lock held: walking the message's ancestry takes the
 * objects' locks. */
gboolean
gst_qsv_auto_enc_stream_handle_error (GstQsvAutoEnc * self, GstMessage * msg)
{
  gchar *text;

  if (!g_atomic_int_get (&self->swapping) &&
      (!gst_qsv_auto_enc_can_fall_back (self) ||
          downstream_failed (self, GST_FLOW_ERROR)))
    return FALSE;
  text = gst_qsv_auto_enc_error_text (msg);
  GST_WARNING_OBJECT (self, "%s failed: %s", GST_MESSAGE_SRC_NAME (msg),
      text);
  g_mutex_lock (&self->stream_lock);
  if (g_atomic_int_get (&self->swapping))
    g_free (text);              /* the path being retired, tearing down */
  else
    set_failure (self, text);
  g_mutex_unlock (&self->stream_lock);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* The watchdog                                                           */

/* Stalled: in PLAYING, a hardware path blocked in one call for longer than
 * stall-timeout, or taking input without output for that long while it
 * holds more frames than reordering explains. A path waiting for input
 * (B-frames, a paused source) is not stalled. */
static gchar *
stall_reason (GstQsvAutoEnc * self, gint64 now, gint64 timeout_us,
    guint allowance)
{
  if (!self->playing || self->failure)
    return NULL;
  if (self->push_since_us && now - self->push_since_us > timeout_us)
    return g_strdup_printf ("a call into it has not returned for %"
        G_GINT64_FORMAT " ms (stall)", (now - self->push_since_us) / 1000);
  if (self->waiting_since_us && self->inputs_since_output > allowance &&
      now - self->waiting_since_us > timeout_us)
    return g_strdup_printf ("no output for %" G_GINT64_FORMAT " ms while it "
        "took %u frames (stall)", (now - self->waiting_since_us) / 1000,
        self->inputs_since_output);
  return NULL;
}

static gpointer
watchdog_thread (gpointer data)
{
  GstQsvAutoEnc *self = data;
  gint64 timeout_us;
  guint allowance;
  gboolean hw;

  GST_OBJECT_LOCK (self);
  timeout_us = (gint64) self->stall_timeout * G_TIME_SPAN_MILLISECOND;
  allowance = self->settings.b_frames + 16;
  GST_OBJECT_UNLOCK (self);

  g_mutex_lock (&self->stream_lock);
  while (!self->watchdog_stop) {
    gchar *reason;

    g_mutex_unlock (&self->stream_lock);
    /* software encoders hold frames by design (x264's lookahead) and do
     * not hang on a GPU: only hardware ones are watched */
    GST_OBJECT_LOCK (self);
    hw = self->active && gst_qsv_encoder_info_is_hardware (self->active->info);
    GST_OBJECT_UNLOCK (self);
    g_mutex_lock (&self->stream_lock);
    reason = hw ? stall_reason (self, g_get_monotonic_time (), timeout_us,
        allowance) : NULL;
    if (reason) {
      self->failure = reason;
      g_mutex_unlock (&self->stream_lock);
      GST_ELEMENT_WARNING (self, STREAM, ENCODE, ("The encoder stalled: %s",
              reason), (NULL));
      /* an application may stop the pipeline from a sync handler right
       * here: stop_watchdog then lets this thread end by itself */
      gst_element_post_message (GST_ELEMENT (self),
          gst_message_new_element (GST_OBJECT (self),
              gst_structure_new ("qsvautoenc-stall", "timeout-ms",
                  G_TYPE_UINT, (guint) (timeout_us / 1000), NULL)));
      g_mutex_lock (&self->stream_lock);
      continue;
    }
    g_cond_wait_until (&self->watchdog_cond, &self->stream_lock,
        g_get_monotonic_time () + MAX (timeout_us / 4, 1000));
  }
  g_mutex_unlock (&self->stream_lock);
  gst_object_unref (self);
  return NULL;
}

void
gst_qsv_auto_enc_start_watchdog (GstQsvAutoEnc * self)
{
  guint timeout;

  GST_OBJECT_LOCK (self);
  timeout = self->stall_timeout;
  GST_OBJECT_UNLOCK (self);
  g_mutex_lock (&self->stream_lock);
  if (timeout && !self->watchdog) {
    self->watchdog_stop = FALSE;
    self->watchdog = g_thread_new ("qsvautoenc-watchdog", watchdog_thread,
        gst_object_ref (self));
  }
  g_mutex_unlock (&self->stream_lock);
}

void
gst_qsv_auto_enc_stop_watchdog (GstQsvAutoEnc * self)
{
  GThread *thread;

  g_mutex_lock (&self->stream_lock);
  thread = self->watchdog;
  self->watchdog = NULL;
  self->watchdog_stop = TRUE;
  g_cond_signal (&self->watchdog_cond);
  g_mutex_unlock (&self->stream_lock);
  if (!thread)
    return;
  if (thread == g_thread_self ())
    g_thread_unref (thread);    /* stopped from its own message */
  else
    g_thread_join (thread);
}

void
gst_qsv_auto_enc_stream_set_playing (GstQsvAutoEnc * self, gboolean playing)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&self->stream_lock);
  self->playing = playing;
  /* time spent paused is no one's stall */
  if (playing) {
    self->last_output_us = now;
    if (self->waiting_since_us)
      self->waiting_since_us = now;
    if (self->push_since_us)
      self->push_since_us = now;
  }
  g_mutex_unlock (&self->stream_lock);
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
  self->path_first_key = GST_CLOCK_TIME_NONE;
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
}

/* The src ghost pad's inner side: what downstream returns passes here */
static GstFlowReturn
out_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  GstQsvAutoEnc *self = g_object_get_data (G_OBJECT (pad), "qsvautoenc");
  GstFlowReturn ret = gst_proxy_pad_chain_default (pad, parent, buf);

  g_atomic_int_set (&self->downstream_ret, ret);
  return ret;
}

static GstFlowReturn
out_chain_list (GstPad * pad, GstObject * parent, GstBufferList * list)
{
  GstQsvAutoEnc *self = g_object_get_data (G_OBJECT (pad), "qsvautoenc");
  GstFlowReturn ret = gst_proxy_pad_chain_list_default (pad, parent, list);

  g_atomic_int_set (&self->downstream_ret, ret);
  return ret;
}

void
gst_qsv_auto_enc_stream_init (GstQsvAutoEnc * self)
{
  GstPad *inner;

  g_mutex_init (&self->stream_lock);
  g_cond_init (&self->watchdog_cond);
  g_queue_init (&self->held);
  gst_qsv_auto_enc_stream_reset (self);

  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_sink_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_sink_chain_list));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_sink_event));
  gst_pad_set_query_function (self->sinkpad, GST_DEBUG_FUNCPTR (sink_query));
  gst_pad_add_probe (self->sinkpad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
      upstream_probe, self, NULL);
  gst_pad_add_probe (self->srcpad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
      GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM, output_probe, self, NULL);
  inner = GST_PAD (gst_proxy_pad_get_internal (GST_PROXY_PAD (self->srcpad)));
  g_object_set_data (G_OBJECT (inner), "qsvautoenc", self);
  gst_pad_set_chain_function (inner, GST_DEBUG_FUNCPTR (out_chain));
  gst_pad_set_chain_list_function (inner, GST_DEBUG_FUNCPTR (out_chain_list));
  gst_object_unref (inner);
}

void
gst_qsv_auto_enc_stream_clear (GstQsvAutoEnc * self)
{
  gst_qsv_auto_enc_stream_reset (self);
  g_mutex_clear (&self->stream_lock);
  g_cond_clear (&self->watchdog_cond);
}
