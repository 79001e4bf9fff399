/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* What downstream sees: qsvautoenc's src pad probe keeps one stream across
 * a switch (the first caps and segment, timestamps moved into it, the SPS
 * level pinned, DTS in order), matches each output to its held frame and
 * releases it, and drops output that is not H.264 or comes from a path
 * being replaced. It runs in the thread that pushes: the upstream streaming
 * thread for most encoders, the encoder's own for vaapih264enc and
 * qsvh264enc. The src ghost pad's inner side records what downstream
 * returned, so that a downstream flow error is not taken for the
 * encoder's. Fields: the stream part of the struct, under stream_lock. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc-priv.h"

#include <string.h>

#define GST_CAT_DEFAULT gst_qsv_auto_enc_debug

/* ---------------------------------------------------------------------- */
/* Output: what downstream sees                                           */

/* Downstream keeps the caps it accepted and the segment it got, whichever
 * path runs: the parameter sets of a new path travel in-band (every path
 * emits them at each IDR), so no muxer sees a caps change it would refuse
 * (matroskamux) or apply a frame early (mp4mux). Only a change that comes
 * from upstream (a new resolution) goes through. */
/* Do @caps (an encoder's output) describe the input @in: every field both
 * have (size, frame rate, pixel aspect, interlacing, colorimetry...) equal,
 * the raw format aside */
static gboolean
reflects_input (GstCaps * caps, GstCaps * in)
{
  GstStructure *out_s, *in_s;
  guint i;

  if (!in || gst_caps_is_empty (caps) || gst_caps_is_empty (in))
    return FALSE;
  out_s = gst_caps_get_structure (caps, 0);
  in_s = gst_caps_get_structure (in, 0);
  for (i = 0; i < (guint) gst_structure_n_fields (in_s); i++) {
    const gchar *name = gst_structure_nth_field_name (in_s, i);
    const GValue *v = gst_structure_get_value (out_s, name);

    if (g_str_equal (name, "format") || !v)
      continue;
    if (gst_value_compare (v, gst_structure_get_value (in_s, name)) !=
        GST_VALUE_EQUAL)
      return FALSE;
  }
  return TRUE;
}

static GstPadProbeReturn
output_caps (GstQsvAutoEnc * self, GstEvent * event)
{
  GstPadProbeReturn ret = GST_PAD_PROBE_OK;
  GstCaps *caps;

  gst_event_parse_caps (event, &caps);
  g_mutex_lock (&self->stream_lock);
  /* after a change upstream: the first caps that describe the new input
   * (not a path's caps restated for the old frames, nor an old path's caps
   * sent again) */
  if (!self->out_caps || (self->upstream_caps_changed &&
          !gst_caps_is_equal (caps, self->out_caps) &&
          reflects_input (caps, self->in_caps))) {
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

/* The level downstream was told stays: a parser of the user's after the
 * bin announces the level of the SPS it sees. The first path's SPS level
 * is noted; after a switch, each SPS (a byte at a fixed place: NAL header,
 * profile_idc, constraint flags, level_idc) gets it. The same stream at the
 * same settings needs the same level. */
static void
pin_level (GstQsvAutoEnc * self, GstBuffer ** buf, gboolean byte_stream)
{
  guint8 level, found;

  if (GST_BUFFER_FLAG_IS_SET (*buf, GST_BUFFER_FLAG_DELTA_UNIT))
    return;
  g_mutex_lock (&self->stream_lock);
  level = self->level_idc;
  g_mutex_unlock (&self->stream_lock);
  if (!g_atomic_int_get (&self->replaced)) {
    if (level)
      return;
    found = gst_qsv_codec_read_level (self->codec, *buf, byte_stream);
    g_mutex_lock (&self->stream_lock);
    self->level_idc = found;
    g_mutex_unlock (&self->stream_lock);
    return;
  }
  if (!level)
    return;
  *buf = gst_buffer_make_writable (*buf);
  gst_qsv_codec_write_level (self->codec, *buf, byte_stream, level);
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
    /* gstvah264enc.c gst_va_h264_enc_prepare_output: PTS = start_pts (1000
     * hours, gst_va_base_enc_start) + duration x the frame's number since
     * the encoder started, which goes on across a flush: so the number is
     * read off the PTS itself, counted from the path's first output (its
     * frame 0, the IDR), whatever segment a seek brought */
    GstClockTime dur = gst_qsv_auto_enc_stream_frame_duration (self, NULL);
    GstClockTime pts = GST_BUFFER_PTS (*buf);
    guint64 n;

    if (!GST_CLOCK_TIME_IS_VALID (pts) || !dur)
      return;
    if (!GST_CLOCK_TIME_IS_VALID (self->path_first_out))
      self->path_first_out = pts;
    if (pts + dur / 2 < self->path_first_out)
      return;
    n = (pts - self->path_first_out + dur / 2) / dur;
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
  gst_qsv_auto_enc_stream_release (self, l);
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
  if (!gst_qsv_codec_looks_like (self->codec, *buf, byte_stream)) {
    gst_qsv_auto_enc_stream_set_failure (self,
        g_strdup_printf ("its output is not %s", self->codec->name));
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
gst_qsv_auto_enc_output_init (GstQsvAutoEnc * self)
{
  GstPad *inner;

  gst_pad_add_probe (self->srcpad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM |
      GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM, output_probe, self, NULL);
  inner = GST_PAD (gst_proxy_pad_get_internal (GST_PROXY_PAD (self->srcpad)));
  g_object_set_data (G_OBJECT (inner), "qsvautoenc", self);
  gst_pad_set_chain_function (inner, GST_DEBUG_FUNCPTR (out_chain));
  gst_pad_set_chain_list_function (inner, GST_DEBUG_FUNCPTR (out_chain_list));
  gst_object_unref (inner);
}
