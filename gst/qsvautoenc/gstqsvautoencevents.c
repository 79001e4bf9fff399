/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Input events and queries on qsvautoenc's sink pad (the upstream streaming
 * thread, or the application's for queries): caps, segments, EOS with the
 * swallowed-frame check, flushes, and negotiation that fails before any
 * output (a failure of the active path, so the next candidate is asked).
 * Fields: the stream part of the struct, under stream_lock (see
 * gstqsvautoencstream.c). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc-priv.h"

#include <gst/video/video.h>

#define GST_CAT_DEFAULT gst_qsv_auto_enc_debug

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
  gst_qsv_auto_enc_stream_set_failure (self,
      g_strdup_printf ("it refused the input caps %s", text));
  g_free (text);
  g_mutex_unlock (&self->stream_lock);
}

gboolean
gst_qsv_auto_enc_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
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
      if (!res
          && !gst_qsv_auto_enc_stream_downstream_failed (self,
              GST_FLOW_NOT_NEGOTIATED)) {
        refused_caps (self, event);
        gst_qsv_auto_enc_stream_fail_for_good (self, GST_FLOW_NOT_NEGOTIATED);
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
      while (gst_qsv_auto_enc_stream_has_failure (self)
          && gst_qsv_auto_enc_can_fall_back (self)) {
        res =
            gst_qsv_auto_enc_fall_back (self, GST_FLOW_ERROR,
            event) == GST_FLOW_OK;
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
 * allocator. (GPU memory keeps the encoder's pool: it cannot be had
 * otherwise.) */
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
    g_mutex_lock (&self->stream_lock);
    if (filter) {
      gchar *offered = gst_caps_to_string (filter);

      gst_qsv_auto_enc_stream_set_failure (self,
          g_strdup_printf ("it takes none of the input "
              "formats offered (%s) with the output downstream asks for",
              offered));
      g_free (offered);
    } else
      gst_qsv_auto_enc_stream_set_failure (self,
          g_strdup ("it can produce nothing downstream takes"));
    g_mutex_unlock (&self->stream_lock);
    if (!gst_qsv_auto_enc_can_fall_back (self)) {
      /* upstream fails with not-negotiated: the application is told which
       * encoder could not and why */
      gst_qsv_auto_enc_stream_fail_for_good (self, GST_FLOW_NOT_NEGOTIATED);
      return res;
    }
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

void
gst_qsv_auto_enc_events_init (GstQsvAutoEnc * self)
{
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_qsv_auto_enc_sink_event));
  gst_pad_set_query_function (self->sinkpad, GST_DEBUG_FUNCPTR (sink_query));
  gst_pad_add_probe (self->sinkpad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM,
      upstream_probe, self, NULL);
}
