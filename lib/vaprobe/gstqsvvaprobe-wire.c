/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The helper's answer for one node (gst-qsvautoenc-probe-helper writes it,
 * gstqsvvaprobe-isolate.c reads it): a GKeyFile, its [device] group
 * written and read by the field table of gstqsvvaprobe-device.c, a group
 * per codec of its codec table ([h264], [h265]) with one
 * "Entrypoint.profile=rate-control;max-width;max-height" line per
 * supported pair, and an [end] group last, so that an answer cut short by a
 * crash is recognised as incomplete. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvvaprobe.h"
#include "gstqsvvaprobe-priv.h"

#include <string.h>

#define GROUP_DEVICE "device"
#define GROUP_END "end"

static void
write_field (GKeyFile * kf, const GstQsvVaDevice * dev,
    const GstQsvVaDeviceField * f)
{
  gconstpointer p = (const guint8 *) dev + f->offset;

  switch (f->type) {
    case GST_QSV_VA_FIELD_STRING:
      if (*(gchar * const *) p)
        g_key_file_set_string (kf, GROUP_DEVICE, f->name,
            *(gchar * const *) p);
      break;
    case GST_QSV_VA_FIELD_STATUS:
      g_key_file_set_string (kf, GROUP_DEVICE, f->name,
          gst_qsv_va_status_nick (*(const GstQsvVaStatus *) p));
      break;
    case GST_QSV_VA_FIELD_INT:
      g_key_file_set_integer (kf, GROUP_DEVICE, f->name, *(const gint *) p);
      break;
    case GST_QSV_VA_FIELD_INT64:
      g_key_file_set_int64 (kf, GROUP_DEVICE, f->name, *(const gint64 *) p);
      break;
    case GST_QSV_VA_FIELD_BOOLEAN:
      g_key_file_set_boolean (kf, GROUP_DEVICE, f->name,
          *(const gboolean *) p);
      break;
    case GST_QSV_VA_FIELD_VERSION:
      g_assert_not_reached ();
      break;
  }
}

/**
 * gst_qsv_va_device_serialize:
 *
 * The helper's answer for one probed node. The "end" group comes last, so
 * that an answer cut short by a crash is recognised as incomplete.
 */
gchar *
gst_qsv_va_device_serialize (const GstQsvVaDevice * dev)
{
  GKeyFile *kf = g_key_file_new ();
  gchar *text;
  guint i, p, e, codec;

  for (i = 0; i < gst_qsv_va_device_n_fields; i++) {
    if (gst_qsv_va_device_fields[i].flags & GST_QSV_VA_FIELD_WIRE)
      write_field (kf, dev, &gst_qsv_va_device_fields[i]);
  }
  for (codec = 0; codec < GST_QSV_VA_N_CODECS; codec++) {
    for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++) {
      for (p = 0; p < gst_qsv_va_codecs[codec].n_profiles; p++) {
        const GstQsvVaEntrypointCaps *c =
            gst_qsv_va_device_codec_caps (dev, codec, p, e);
        gint values[3];
        gchar *key;

        if (!c->present)
          continue;
        values[0] = (gint) c->rate_control;
        values[1] = (gint) c->max_width;
        values[2] = (gint) c->max_height;
        key = g_strdup_printf ("%s.%s", gst_qsv_va_entrypoint_name (e),
            gst_qsv_va_codecs[codec].profile_nicks[p]);
        g_key_file_set_integer_list (kf, gst_qsv_va_codecs[codec].nick, key,
            values, 3);
        g_free (key);
      }
    }
  }
  g_key_file_set_boolean (kf, GROUP_END, "complete", TRUE);
  text = g_key_file_to_data (kf, NULL, NULL);
  g_key_file_free (kf);
  return text;
}

static gboolean
parse_caps_key (GstQsvVaCodec codec, const gchar * key,
    GstQsvVaEntrypoint * entrypoint, guint * profile)
{
  guint p, e;

  for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++) {
    for (p = 0; p < gst_qsv_va_codecs[codec].n_profiles; p++) {
      gchar *want = g_strdup_printf ("%s.%s", gst_qsv_va_entrypoint_name (e),
          gst_qsv_va_codecs[codec].profile_nicks[p]);
      gboolean match = g_strcmp0 (key, want) == 0;

      g_free (want);
      if (match) {
        *entrypoint = e;
        *profile = p;
        return TRUE;
      }
    }
  }
  return FALSE;
}

/* One field of the answer into @dev. A missing optional field stays
 * unset; strings that crossed the process boundary are made valid UTF-8
 * (they reach messages and JSON). */
static gboolean
read_field (GKeyFile * kf, GstQsvVaDevice * dev,
    const GstQsvVaDeviceField * f, GError ** error)
{
  gpointer p = (guint8 *) dev + f->offset;
  GError *err = NULL;
  gchar *s = NULL;
  gboolean ok = FALSE;
  gint v;

  if (!g_key_file_has_key (kf, GROUP_DEVICE, f->name, NULL)) {
    if (!(f->flags & GST_QSV_VA_FIELD_REQUIRED))
      return TRUE;
    g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
        "no %s", f->name);
    return FALSE;
  }

  switch (f->type) {
    case GST_QSV_VA_FIELD_STRING:
      /* one GKeyFile cannot read (not UTF-8, a bad escape) is left out,
       * unless required */
      s = g_key_file_get_string (kf, GROUP_DEVICE, f->name, NULL);
      if (!s && (f->flags & GST_QSV_VA_FIELD_REQUIRED)) {
        g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
            "no valid %s", f->name);
        goto out;
      }
      if (s && !g_utf8_validate (s, -1, NULL)) {
        gchar *valid = g_utf8_make_valid (s, -1);

        g_free (s);
        s = valid;
      }
      g_free (*(gchar **) p);
      *(gchar **) p = g_steal_pointer (&s);
      break;
    case GST_QSV_VA_FIELD_STATUS:
      s = g_key_file_get_string (kf, GROUP_DEVICE, f->name, &err);
      if (!s)
        goto out;
      if (!gst_qsv_va_status_from_nick (s, (GstQsvVaStatus *) p)) {
        g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
            "unknown %s '%s'", f->name, s);
        goto out;
      }
      break;
    case GST_QSV_VA_FIELD_INT:
      v = g_key_file_get_integer (kf, GROUP_DEVICE, f->name, &err);
      if (err)
        goto out;
      if (v < f->min || v > f->max) {
        g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
            "%s=%d is out of range", f->name, v);
        goto out;
      }
      *(gint *) p = v;
      break;
    case GST_QSV_VA_FIELD_INT64:
      *(gint64 *) p = g_key_file_get_int64 (kf, GROUP_DEVICE, f->name, &err);
      break;
    case GST_QSV_VA_FIELD_BOOLEAN:
      *(gboolean *) p = g_key_file_get_boolean (kf, GROUP_DEVICE, f->name,
          &err);
      break;
    case GST_QSV_VA_FIELD_VERSION:
      g_assert_not_reached ();
      break;
  }
  ok = err == NULL;

out:
  if (err)
    g_propagate_error (error, err);
  g_free (s);
  return ok;
}

/* the group of @codec, absent when the device has none of it */
static gboolean
read_caps (GKeyFile * kf, GstQsvVaDevice * dev, GstQsvVaCodec codec,
    GError ** error)
{
  const GstQsvVaCodecTable *t = &gst_qsv_va_codecs[codec];
  gchar **keys = g_key_file_get_keys (kf, t->nick, NULL, NULL);
  gint *values = NULL;
  gboolean ok = FALSE;
  guint i;

  for (i = 0; keys && keys[i]; i++) {
    GstQsvVaEntrypointCaps *c;
    GstQsvVaEntrypoint e;
    guint p;
    gsize n = 0;

    if (!parse_caps_key (codec, keys[i], &e, &p)) {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
          "unknown %s key '%s'", t->name, keys[i]);
      goto out;
    }
    values = g_key_file_get_integer_list (kf, t->nick, keys[i], &n, error);
    if (!values)
      goto out;
    if (n != 3 || values[1] < 0 || values[2] < 0) {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
          "malformed %s entry '%s'", t->name, keys[i]);
      goto out;
    }
    c = (GstQsvVaEntrypointCaps *) gst_qsv_va_device_codec_caps (dev, codec,
        p, e);
    c->present = TRUE;
    c->rate_control = (guint) values[0];
    c->max_width = (guint) values[1];
    c->max_height = (guint) values[2];
    g_clear_pointer (&values, g_free);
  }
  ok = TRUE;

out:
  g_free (values);
  g_strfreev (keys);
  return ok;
}

/**
 * gst_qsv_va_device_deserialize:
 * @text: the helper's answer
 * @length: its length, or -1 if NUL-terminated
 *
 * Returns: (transfer full) (nullable): the device, or %NULL with @error set
 * (G_KEY_FILE_ERROR) if the answer is incomplete or malformed.
 */
GstQsvVaDevice *
gst_qsv_va_device_deserialize (const gchar * text, gssize length,
    GError ** error)
{
  GKeyFile *kf = g_key_file_new ();
  GstQsvVaDevice *dev = NULL;
  GError *err = NULL;
  guint i;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = strlen (text);
  if (!g_key_file_load_from_data (kf, text, length, G_KEY_FILE_NONE, &err))
    goto failed;
  if (!g_key_file_get_boolean (kf, GROUP_END, "complete", &err)) {
    if (!err)
      g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
          "answer not complete");
    goto failed;
  }

  dev = g_new0 (GstQsvVaDevice, 1);
  for (i = 0; i < gst_qsv_va_device_n_fields; i++) {
    const GstQsvVaDeviceField *f = &gst_qsv_va_device_fields[i];

    if ((f->flags & GST_QSV_VA_FIELD_WIRE) && !read_field (kf, dev, f, &err))
      goto failed;
  }
  for (i = 0; i < GST_QSV_VA_N_CODECS; i++) {
    if (!read_caps (kf, dev, i, &err))
      goto failed;
  }
  g_key_file_free (kf);
  return dev;

failed:
  /* some GKeyFile getters fail without an error (an empty list) */
  if (!err)
    g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
        "malformed answer");
  g_propagate_error (error, err);
  gst_qsv_va_device_free (dev);
  g_key_file_free (kf);
  return NULL;
}
