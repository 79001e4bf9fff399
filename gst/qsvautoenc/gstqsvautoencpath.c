/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Building the chain inside qsvautoenc: the front (videoconvert, or
 * vapostproc in front of a VA encoder) ! capsfilter, then the path
 * encoder ! enc_filter (byte-stream, au, the kept profile) [! parser !
 * out_filter where downstream wants a packetized format], behind the two
 * ghost pads; and taking a path out at a switch. Codec facts (caps name,
 * parser, formats) come from the bin's codec record (gstqsvcodec.h).
 * Runs in the application's thread (state changes) and in the upstream
 * streaming thread (a fallback); the path's element pointers are under the
 * object lock where other threads read them. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc-priv.h"

#define GST_CAT_DEFAULT gst_qsv_auto_enc_debug

/* The formats @enc takes, limited to the codec's (8-bit 4:2:0, or the deep
 * profile's where downstream asked for one), any memory */
static GstCaps *
encoder_input_caps (GstQsvAutoEnc * self, GstElement * enc)
{
  GstPad *pad = gst_element_get_static_pad (enc, "sink");
  GstCaps *tmpl = gst_pad_get_pad_template_caps (pad);
  gboolean deep;
  gchar *text;
  GstCaps *want, *result;

  GST_OBJECT_LOCK (self);
  deep = self->deep;
  GST_OBJECT_UNLOCK (self);
  text = g_strdup_printf ("video/x-raw, format = (string) { %s }", deep ?
      self->codec->deep_formats : self->codec->raw_formats);
  want = gst_caps_from_string (text);
  g_free (text);
  gst_caps_set_features_simple (want, gst_caps_features_new_any ());
  result = gst_caps_intersect (tmpl, want);
  gst_caps_unref (want);
  gst_caps_unref (tmpl);
  gst_object_unref (pad);
  return result;
}

/* The first stream-format @caps list that the bin can produce: the
 * consumer's own preference (mp4mux and matroskamux list avc first). */
static const gchar *
preferred_format (const GstQsvCodec * codec, GstCaps * caps)
{
  guint i, j;

  for (i = 0; i < gst_caps_get_size (caps); i++) {
    GstStructure *st = gst_caps_get_structure (caps, i);
    const GValue *v = gst_structure_get_value (st, "stream-format");

    if (!gst_structure_has_name (st, codec->caps_name))
      continue;
    if (!v)
      return "byte-stream";
    if (G_VALUE_HOLDS_STRING (v) && gst_qsv_codec_has_format (codec,
            g_value_get_string (v)))
      return g_value_get_string (v);
    if (GST_VALUE_HOLDS_LIST (v)) {
      for (j = 0; j < gst_value_list_get_size (v); j++) {
        const GValue *f = gst_value_list_get_value (v, j);

        if (G_VALUE_HOLDS_STRING (f) && gst_qsv_codec_has_format (codec,
                g_value_get_string (f)))
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
 * parser of the codec (and queues) right after the bin: such a parser makes its
 * own caps from the in-band parameter sets, so what matters is what it
 * must produce. */
static GstCaps *
consumer_caps (GstQsvAutoEnc * self, gboolean * through_parser)
{
  static const gchar *const passive[] = { "queue", "queue2", "identity",
    NULL
  };
  const gchar *const parsers[] = { self->codec->parser, NULL };
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
accepts_format (const GstQsvCodec * codec, GstCaps * caps, const gchar * format)
{
  GstCaps *want = gst_caps_new_simple (codec->caps_name, "stream-format",
      G_TYPE_STRING, format, "alignment", G_TYPE_STRING, "au", NULL);
  gboolean ok = gst_caps_can_intersect (caps, want);

  gst_caps_unref (want);
  return ok;
}

/* The stream-format downstream gets, kept across every switch. Encoders
 * produce byte-stream inside (every one can, with the parameter sets at
 * each IDR); the codec's parser makes the packetized formats (avc or
 * avc3; hvc1 or hev1).
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

  if (caps && gst_qsv_codec_wants_deep (self->codec, caps)) {
    GST_OBJECT_LOCK (self);
    self->deep = TRUE;
    GST_OBJECT_UNLOCK (self);
  }
  if (caps && !gst_caps_is_any (caps) && !gst_caps_is_empty (caps)) {
    if (parser)
      caps = gst_caps_truncate (caps);
    else if (accepts_format (self->codec, caps, "byte-stream"))
      format = "byte-stream";
    if (!format)
      format = preferred_format (self->codec, caps);
  }
  if (!format)
    format = "byte-stream";
  GST_INFO_OBJECT (self, "downstream%s %" GST_PTR_FORMAT ": producing %s",
      parser ? " (behind a parser)" : "", caps, format);
  format = g_intern_string (format);
  gst_clear_caps (&caps);
  return format;
}

gboolean
gst_qsv_auto_enc_ensure_front (GstQsvAutoEnc * self, const GstQsvCandidate * c)
{
  const gchar *conv = "videoconvert";
  GstPad *target;

  if (self->convert)
    return TRUE;
  /* VA memory in, VA encoder out: vapostproc keeps frames on the GPU */
  if (c->info && gst_qsv_encoder_info_is_hardware (c->info) &&
      !self->front_sysmem &&
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
 * the new path's SPS; see pin_level in gstqsvautoencoutput.c.) */
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

/* Appends the codec's parser (h264parse, h265parse) ! out_filter to the
 * path where downstream gets a packetized @format (avc, avc3; hvc1,
 * hev1), and points the src ghost pad at the path's end. */
static void
finish_path_tail (GstQsvAutoEnc * self, const gchar * format)
{
  GstElement *last = self->enc_filter;
  GstPad *target;

  if (format && !g_str_equal (format, "byte-stream")) {
    GstCaps *caps = gst_caps_new_simple (self->codec->caps_name,
        "stream-format", G_TYPE_STRING, format, "alignment", G_TYPE_STRING,
        "au", NULL);

    self->parse = gst_element_factory_make (self->codec->parser, "parse");
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
void
gst_qsv_auto_enc_install_path (GstQsvAutoEnc * self, GstElement * enc)
{
  GstCaps *caps = encoder_input_caps (self, enc);
  gchar *format;

  g_object_set (self->filter, "caps", caps, NULL);
  gst_caps_unref (caps);

  caps = gst_caps_new_simple (self->codec->caps_name, "stream-format",
      G_TYPE_STRING, "byte-stream", "alignment", G_TYPE_STRING, "au", NULL);
  constrain_profile (self, caps);
  self->enc_filter = make_capsfilter ("enc_filter", caps);
  gst_qsv_auto_enc_capture_child_overrides (self, enc);
  gst_bin_add_many (GST_BIN (self), enc, self->enc_filter, NULL);
  gst_qsv_auto_enc_release_child_overrides (self, enc);
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
void
gst_qsv_auto_enc_finish_path (GstQsvAutoEnc * self)
{
  const gchar *format = "byte-stream";
  gboolean decided, deep;

  GST_OBJECT_LOCK (self);
  decided = self->out_format != NULL || !self->encoder;
  GST_OBJECT_UNLOCK (self);
  if (decided)
    return;
  if (gst_qsv_auto_enc_factory_exists (self->codec->parser, NULL))
    format = choose_out_format (self);
  GST_OBJECT_LOCK (self);
  self->out_format = g_strdup (format);
  deep = self->deep;
  GST_OBJECT_UNLOCK (self);
  if (deep) {
    /* downstream takes only a deep profile: the encoder gets deep input */
    GstCaps *caps = encoder_input_caps (self, self->encoder);

    g_object_set (self->filter, "caps", caps, NULL);
    gst_caps_unref (caps);
  }
  if (!g_str_equal (format, "byte-stream")) {
    gst_ghost_pad_set_target (GST_GHOST_PAD (self->srcpad), NULL);
    finish_path_tail (self, format);
  }
}

void
gst_qsv_auto_enc_remove_element (GstQsvAutoEnc * self, GstElement ** element)
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
void
gst_qsv_auto_enc_remove_path (GstQsvAutoEnc * self)
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

void
gst_qsv_auto_enc_release_retired (GstQsvAutoEnc * self)
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

  gst_qsv_auto_enc_remove_element (self, &self->filter);
  gst_qsv_auto_enc_remove_element (self, &self->convert);
  if (!gst_qsv_auto_enc_ensure_front (self, self->active))
    return NULL;
  gst_element_link_pads (self->filter, "src", self->encoder, "sink");
  gst_element_sync_state_with_parent (self->convert);
  gst_element_sync_state_with_parent (self->filter);
  caps = encoder_input_caps (self, self->encoder);
  g_object_set (self->filter, "caps", caps, NULL);
  gst_caps_unref (caps);
  return gst_element_get_static_pad (self->convert, "sink");
}

/* The VPP in front takes none of what upstream offers (system memory in a
 * format the driver's VPP lacks): videoconvert takes its place, and the
 * hardware encoder stays. Returns FALSE where there is no VPP to replace. */
gboolean
gst_qsv_auto_enc_front_without_vpp (GstQsvAutoEnc * self)
{
  GstElementFactory *f;
  GstPad *front;

  if (self->front_sysmem || !self->convert || !self->encoder)
    return FALSE;
  f = gst_element_get_factory (self->convert);
  if (!f || g_strcmp0 (GST_OBJECT_NAME (f), "vapostproc") != 0)
    return FALSE;
  GST_INFO_OBJECT (self, "vapostproc takes none of the input: videoconvert "
      "in front instead");
  self->front_sysmem = TRUE;
  front = gst_qsv_auto_enc_rebuild_front (self);
  if (!front)
    return FALSE;
  gst_object_unref (front);
  return TRUE;
}
