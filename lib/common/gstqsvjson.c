/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvjson.h"

#include <math.h>

struct _GstQsvJson
{
  GString *text;
  /* per open container: has it a member yet (a comma is due) */
  GArray *need_comma;
};

GstQsvJson *
gst_qsv_json_new (void)
{
  GstQsvJson *json = g_new0 (GstQsvJson, 1);
  gboolean top = FALSE;

  json->text = g_string_new (NULL);
  json->need_comma = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_array_append_val (json->need_comma, top);
  return json;
}

/* Returns the text (free with g_free) unless @free_text. */
gchar *
gst_qsv_json_free (GstQsvJson * json, gboolean free_text)
{
  gchar *text;

  g_warn_if_fail (json->need_comma->len == 1);
  g_array_unref (json->need_comma);
  text = g_string_free (json->text, free_text);
  g_free (json);
  return text;
}

static void
append_escaped (GString * s, const gchar * str)
{
  /* JSON is UTF-8: a path or a driver's vendor string may not be */
  gchar *valid = g_utf8_validate (str, -1, NULL) ? NULL :
      g_utf8_make_valid (str, -1);
  const guchar *p;

  g_string_append_c (s, '"');
  for (p = (const guchar *) (valid ? valid : str); *p; p++) {
    switch (*p) {
      case '"':
        g_string_append (s, "\\\"");
        break;
      case '\\':
        g_string_append (s, "\\\\");
        break;
      case '\n':
        g_string_append (s, "\\n");
        break;
      case '\r':
        g_string_append (s, "\\r");
        break;
      case '\t':
        g_string_append (s, "\\t");
        break;
      default:
        if (*p < 0x20)
          g_string_append_printf (s, "\\u%04x", *p);
        else
          g_string_append_c (s, *p);
    }
  }
  g_string_append_c (s, '"');
  g_free (valid);
}

static void
begin_value (GstQsvJson * json, const gchar * key)
{
  gboolean *need = &g_array_index (json->need_comma, gboolean,
      json->need_comma->len - 1);

  if (*need)
    g_string_append_c (json->text, ',');
  *need = TRUE;
  if (key) {
    append_escaped (json->text, key);
    g_string_append_c (json->text, ':');
  }
}

static void
open_container (GstQsvJson * json, const gchar * key, gchar c)
{
  gboolean fresh = FALSE;

  begin_value (json, key);
  g_string_append_c (json->text, c);
  g_array_append_val (json->need_comma, fresh);
}

static void
close_container (GstQsvJson * json, gchar c)
{
  g_return_if_fail (json->need_comma->len > 1);
  g_array_set_size (json->need_comma, json->need_comma->len - 1);
  g_string_append_c (json->text, c);
}

void
gst_qsv_json_begin_object (GstQsvJson * json, const gchar * key)
{
  open_container (json, key, '{');
}

void
gst_qsv_json_end_object (GstQsvJson * json)
{
  close_container (json, '}');
}

void
gst_qsv_json_begin_array (GstQsvJson * json, const gchar * key)
{
  open_container (json, key, '[');
}

void
gst_qsv_json_end_array (GstQsvJson * json)
{
  close_container (json, ']');
}

void
gst_qsv_json_add_string (GstQsvJson * json, const gchar * key,
    const gchar * value)
{
  begin_value (json, key);
  if (value)
    append_escaped (json->text, value);
  else
    g_string_append (json->text, "null");
}

void
gst_qsv_json_add_int (GstQsvJson * json, const gchar * key, gint64 value)
{
  begin_value (json, key);
  g_string_append_printf (json->text, "%" G_GINT64_FORMAT, value);
}

void
gst_qsv_json_add_double (GstQsvJson * json, const gchar * key, gdouble value)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

  begin_value (json, key);
  /* JSON has no NaN or infinity */
  if (!isfinite (value))
    g_string_append (json->text, "null");
  else
    g_string_append (json->text, g_ascii_dtostr (buf, sizeof (buf), value));
}

void
gst_qsv_json_add_bool (GstQsvJson * json, const gchar * key, gboolean value)
{
  begin_value (json, key);
  g_string_append (json->text, value ? "true" : "false");
}

void
gst_qsv_json_add_null (GstQsvJson * json, const gchar * key)
{
  begin_value (json, key);
  g_string_append (json->text, "null");
}

void
gst_qsv_json_add_string_list (GstQsvJson * json, const gchar * key,
    const gchar * comma_separated)
{
  gchar **items = g_strsplit (comma_separated ? comma_separated : "", ",", -1);
  gchar **item;

  gst_qsv_json_begin_array (json, key);
  for (item = items; *item; item++) {
    if (**item)
      gst_qsv_json_add_string (json, NULL, *item);
  }
  gst_qsv_json_end_array (json);
  g_strfreev (items);
}
