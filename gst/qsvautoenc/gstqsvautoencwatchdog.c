/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* When the active path counts as failed from outside the data flow: an
 * ERROR message from any element inside the bin (handled in the posting
 * thread, without a lock held while walking ancestry), and the stall
 * watchdog (a thread of its own, in PLAYING only, that reads clocks and
 * flags a failure; the fallback then runs in the streaming thread). Fields:
 * the stream part of the struct, under stream_lock; the watchdog thread
 * handle and its stop flag under stream_lock too. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc-priv.h"

#define GST_CAT_DEFAULT gst_qsv_auto_enc_debug

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
          gst_qsv_auto_enc_stream_downstream_failed (self, GST_FLOW_ERROR)))
    return FALSE;
  text = gst_qsv_auto_enc_error_text (msg);
  GST_WARNING_OBJECT (self, "%s failed: %s", GST_MESSAGE_SRC_NAME (msg), text);
  g_mutex_lock (&self->stream_lock);
  if (g_atomic_int_get (&self->swapping))
    g_free (text);              /* the path being retired, tearing down */
  else
    gst_qsv_auto_enc_stream_set_failure (self, text);
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
