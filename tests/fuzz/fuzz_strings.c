/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* libFuzzer target for every string the project parses or writes:
 *  - encoder= names, through the selection (forced encoder);
 *  - the tracer's parameters;
 *  - device= paths, through the real VA probe (confined to a scratch
 *    folder: the fuzzer never opens anything outside it);
 *  - the probe helper's answer (gst_qsv_va_device_deserialize), which
 *    must be rejected or survive a second round trip unchanged;
 *  - the JSON writer, whose output must parse back to the same string.
 * Built with clang -fsanitize=fuzzer,address,undefined by run-fuzz.sh. */

#include <gst/gst.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <string.h>

#include "gstqsvencodercatalog.h"
#include "gstqsvjson.h"
#include "gstqsvparams.h"
#include "gstqsvvaprobe.h"
#include "gstqsvvaprobe-priv.h"

int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

static gboolean
all_exist (const gchar * factory, gpointer user_data)
{
  return TRUE;
}

static void
fuzz_encoder_name (const gchar * s)
{
  GstQsvSettings settings;
  GstQsvSelection *sel;

  gst_qsv_settings_init (&settings);
  settings.encoder = s;
  sel = gst_qsv_select (NULL, &settings, all_exist, NULL);
  /* every catalog row is either a candidate or rejected */
  g_assert_cmpuint (sel->candidates->len + sel->rejected->len, ==,
      gst_qsv_catalog_size ());
  /* a forced encoder (anything but "auto") is the only candidate, if any */
  if (g_strcmp0 (s, "auto") != 0)
    g_assert_cmpuint (sel->candidates->len, <=, 1);
  gst_qsv_selection_free (sel);
}

static void
fuzz_tracer_params (const gchar * s)
{
  gchar *file = NULL;
  guint interval = 1000;
  gboolean prometheus = FALSE;
  GError *error = NULL;

  if (gst_qsv_parse_tracer_params (s, &file, &interval, &prometheus,
          &error)) {
    g_assert_cmpuint (interval, >, 0);
    g_assert (!file || *file);
  } else {
    g_assert (error != NULL && error->message != NULL);
    g_error_free (error);
  }
  g_free (file);
}

static void
fuzz_device (const gchar * s)
{
  /* stay in the scratch folder: no '/' and no "..", whatever the input */
  gchar *name = g_strdelimit (g_strdup (s), "/", '_');
  gchar *path = g_build_filename (g_getenv ("QSV_FUZZ_DIR"),
      strstr (name, "..") ? "dotdot" : name, NULL);
  GstQsvVaProbeResult *r = gst_qsv_va_probe (path, GST_QSV_VA_PROBE_FLAG_FRESH);

  /* whatever the path: one device, a status, a message */
  g_assert_cmpuint (r->devices->len, ==, 1);
  g_assert (r->message != NULL);
  g_assert (r->status != GST_QSV_VA_STATUS_OK);
  gst_qsv_va_probe_result_free (r);
  /* the cache keeps one entry per path: fuzzed paths would pile up */
  gst_qsv_va_probe_clear_cache ();
  g_free (path);
  g_free (name);
}

static void
fuzz_probe_answer (const gchar * s, gsize size)
{
  GError *error = NULL;
  GstQsvVaDevice *dev = gst_qsv_va_device_deserialize (s, size, &error);
  GstQsvVaDevice *again;
  gchar *text;
  guint p, e;

  if (!dev) {
    g_assert (error != NULL && error->message != NULL);
    g_error_free (error);
    return;
  }
  g_assert (dev->message != NULL);
  g_assert (g_utf8_validate (dev->message, -1, NULL));
  text = gst_qsv_va_device_serialize (dev);
  again = gst_qsv_va_device_deserialize (text, -1, NULL);
  g_assert (again != NULL);
  g_assert_cmpint (again->status, ==, dev->status);
  g_assert_cmpstr (again->message, ==, dev->message);
  g_assert_cmpstr (again->vendor, ==, dev->vendor);
  for (p = 0; p < GST_QSV_VA_H264_N_PROFILES; p++)
    for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++)
      g_assert (memcmp (&again->h264[p][e], &dev->h264[p][e],
              sizeof (dev->h264[p][e])) == 0);
  g_assert (memcmp (again->h265, dev->h265, sizeof (dev->h265)) == 0);
  gst_qsv_va_device_free (again);
  gst_qsv_va_device_free (dev);
  g_free (text);
}

static void
fuzz_json (const gchar * s)
{
  GstQsvJson *json = gst_qsv_json_new ();
  JsonParser *parser = json_parser_new ();
  gchar *text, *valid;
  GError *error = NULL;
  JsonObject *o;

  gst_qsv_json_begin_object (json, NULL);
  gst_qsv_json_add_string (json, "value", s);
  gst_qsv_json_add_string_list (json, s, s);
  gst_qsv_json_end_object (json);
  text = gst_qsv_json_free (json, FALSE);
  /* always valid JSON, and the string comes back (made valid UTF-8) */
  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("invalid JSON for input: %s\n%s", error->message, text);
  o = json_node_get_object (json_parser_get_root (parser));
  valid = g_utf8_make_valid (s, -1);
  g_assert_cmpstr (json_object_get_string_member (o, "value"), ==, valid);
  g_free (valid);
  g_free (text);
  g_object_unref (parser);
}

int
LLVMFuzzerTestOneInput (const uint8_t * data, size_t size)
{
  static gboolean initialized;
  gchar *s;

  if (!initialized) {
    gst_init (NULL, NULL);
    /* warnings about bad input are expected; they must not abort */
    g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
    initialized = TRUE;
  }
  if (size > 4096)
    return 0;
  s = g_strndup ((const gchar *) data, size);
  fuzz_encoder_name (s);
  fuzz_tracer_params (s);
  fuzz_device (s);
  fuzz_json (s);
  fuzz_probe_answer ((const gchar *) data, size);
  g_free (s);
  return 0;
}
