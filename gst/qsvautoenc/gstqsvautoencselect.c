/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Choosing the encoder: giving the uniform settings to a candidate through
 * the catalog's mapping, creating a candidate and checking it reaches READY
 * on a private bus (on its own node), selection at NULL->READY, and
 * activating the next candidate (at selection, or for a fallback). Runs in
 * the application's thread (state changes, property changes) and in the
 * upstream streaming thread (a fallback); the object lock guards the
 * settings and the active path. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc-priv.h"

#include "gstqsvreport.h"

#include <string.h>

#define GST_CAT_DEFAULT gst_qsv_auto_enc_debug

/* ---------------------------------------------------------------------- */
/* Giving the settings to a child                                         */

/* Gives one mapped setting to the child: FALSE, with @error, if it could
 * not (gst_qsv_assignment_rejects() tells whether that rejects it). */
static gboolean
set_child_property (GstElement * child, const GstQsvAssignment * a,
    GError ** error)
{
  const gchar *factory = GST_OBJECT_NAME (gst_element_get_factory (child));

  if (!gst_qsv_assignment_apply (a, G_OBJECT (child), factory, error))
    return FALSE;
  if (gst_debug_category_get_threshold (GST_CAT_DEFAULT) >= GST_LEVEL_DEBUG) {
    gchar *text = gst_qsv_assignment_value_text (a);

    GST_DEBUG_OBJECT (child, "%s=%s", a->name, text);
    g_free (text);
  }
  return TRUE;
}

/* Applies the mapped settings; returns FALSE (and @reason) if the child
 * cannot honour something essential. Warnings go to @warnings. */
static gboolean
configure_child (GstElement * child, const GstQsvCandidate * c,
    const GstQsvSettings * s, GPtrArray * warnings, gchar ** reason)
{
  GPtrArray *assignments = gst_qsv_candidate_map_settings (c, s, warnings);
  gboolean ok = TRUE;
  guint i;

  gst_qsv_auto_enc_forget_lookup ();

  for (i = 0; i < assignments->len && ok; i++) {
    const GstQsvAssignment *a = g_ptr_array_index (assignments, i);
    GError *err = NULL;

    if (set_child_property (child, a, &err))
      continue;
    ok = !gst_qsv_assignment_rejects (a, err);
    if (ok)
      g_ptr_array_add (warnings, g_strdup (err->message));
    else
      *reason = g_strdup (err->message);
    g_error_free (err);
  }
  g_ptr_array_unref (assignments);
  return ok;
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
void
gst_qsv_auto_enc_apply_settings (GstQsvAutoEnc * self)
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

void
gst_qsv_auto_enc_apply_bitrate (GstQsvAutoEnc * self)
{
  GstQsvAssignment *a = NULL;
  GstElement *enc = NULL;
  GError *err = NULL;
  gchar *text;

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
  text = gst_qsv_assignment_value_text (a);
  GST_INFO_OBJECT (self, "bitrate -> %s on %s", text, GST_OBJECT_NAME (enc));
  g_free (text);
  gst_qsv_auto_enc_forget_lookup ();
  if (!set_child_property (enc, a, &err)) {
    GST_ELEMENT_WARNING (self, LIBRARY, SETTINGS, ("%s", err->message), (NULL));
    g_error_free (err);
  }
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

  /* a plugin that numbers its devices (qsvh264enc, qsvh264device1enc...):
   * the one on the probed node */
  if (!enc || !c->device || !gst_qsv_encoder_info_numbers_devices (c->info))
    return enc;
  gst_object_ref_sink (enc);
  for (i = 1; i < 64; i++) {
    gchar *reason = check_device (enc, c->device), *name;
    GstElement *other;

    if (!reason)
      break;
    g_free (reason);
    name = gst_qsv_encoder_info_indexed_factory (c->info, i);
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
    reason =
        msg ? gst_qsv_auto_enc_error_text (msg) :
        g_strdup ("failed to reach READY");
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
    gst_qsv_auto_enc_apply_child_overrides (self, enc);
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
/* Selection                                                              */

/* Creates the next candidate that reaches READY and installs it; the ones
 * that fail join the rejected list. Returns FALSE when none is left. */
gboolean
gst_qsv_auto_enc_activate_next_candidate (GstQsvAutoEnc * self,
    const GstQsvSettings * s, const gchar * device)
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
  if (enc && gst_qsv_auto_enc_ensure_front (self, c)) {
    gst_qsv_auto_enc_install_path (self, enc);
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

gboolean
gst_qsv_auto_enc_select_encoder (GstQsvAutoEnc * self)
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

  if (g_strcmp0 (encoder, "auto") != 0 &&
      !gst_qsv_catalog_find (self->catalog, encoder)) {
    text = gst_qsv_catalog_list_factories (self->catalog, ", ");
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN, ("Unknown encoder '%s'",
            encoder), ("encoder= takes auto or one of: %s", text));
    g_free (text);
    goto failed;
  }

  /* a cached success stands; a failure is probed afresh, so a fixed
   * permission or a new driver is seen at the next start (except a driver
   * that hung a moment ago: each start would wait for the time-out) */
  g_clear_pointer (&self->probe, gst_qsv_va_probe_result_free);
  self->probe = gst_qsv_va_probe (device, GST_QSV_VA_PROBE_FLAG_RETRY_FAILURES);
  GST_DEBUG_OBJECT (self, "VA probe: %s", self->probe->message);

  g_clear_pointer (&self->selection, gst_qsv_selection_free);
  self->selection = gst_qsv_catalog_select (self->catalog, self->probe, &s,
      gst_qsv_auto_enc_factory_exists, NULL);
  self->next_candidate = 0;
  if (!gst_qsv_auto_enc_activate_next_candidate (self, &s, device)) {
    text = rejections_text (self->selection);
    missing = gst_qsv_catalog_list_missing (self->catalog,
        gst_qsv_auto_enc_factory_exists, NULL);
    GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
        ("No usable %s encoder%s%s", self->codec->name,
            *missing ? ": install " : "", missing), ("%s", text));
    g_free (text);
    g_free (missing);
    goto failed;
  }

  msg =
      gst_qsv_auto_enc_update_report (self, "qsvautoenc-selected", NULL, NULL);
  gst_element_post_message (GST_ELEMENT (self),
      gst_message_new_element (GST_OBJECT (self), msg));
  if (self->probe->explicit_device && g_str_equal (encoder, "auto")
      && !gst_qsv_encoder_info_is_hardware (self->active->info)) {
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
