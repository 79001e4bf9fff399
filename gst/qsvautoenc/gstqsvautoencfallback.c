/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The swap at a fallback: the failed path out, the next candidate in, the
 * held frames replayed into it (gstqsvautoencstream.c), the stream's shape
 * kept (no B-frames where there were none, the GOP grid). Runs in the
 * upstream streaming thread, where the failure showed; `swapping` tells
 * the output side and the error handler that the old path's leftovers are
 * not the new one's. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc-priv.h"

#define GST_CAT_DEFAULT gst_qsv_auto_enc_debug

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
  /* the stream keeps its shape: a stream without B-frames so far (the
   * encoder did not reorder, as low-power VA does not) gets none from the
   * replacement, whose DTS would start behind the PTS it follows (mp4mux
   * then cut the last frames off its edit list) */
  if (s.b_frames && gst_qsv_auto_enc_stream_unordered (self)) {
    GST_INFO_OBJECT (self, "no B-frames so far: none from the replacement");
    s.b_frames = 0;
  }

  gst_qsv_selection_reject (self->selection, failed, failure);
  g_atomic_int_set (&self->swapping, 1);
  gst_qsv_auto_enc_remove_path (self);
  g_atomic_int_set (&self->replaced, 1);
  if (!gst_qsv_auto_enc_activate_next_candidate (self, &s, device)) {
    g_atomic_int_set (&self->swapping, 0);
    GST_ELEMENT_ERROR (self, STREAM, ENCODE, ("%s failed and no other %s "
            "encoder is usable", failed, self->codec->name), ("%s", failure));
    ret = GST_FLOW_ERROR;
    goto done;
  }
  sync_path_state (self);
  gst_qsv_auto_enc_stream_keep_gop (self, s.key_int_max);
  g_atomic_int_set (&self->swapping, 0);

  /* a bitrate set while the swap ran went to no encoder */
  GST_OBJECT_LOCK (self);
  bitrate = self->settings.bitrate;
  GST_OBJECT_UNLOCK (self);
  if (bitrate != s.bitrate)
    gst_qsv_auto_enc_apply_bitrate (self);

  msg =
      gst_qsv_auto_enc_update_report (self, "qsvautoenc-fallback", failed,
      failure);
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
