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

#include "gstqsvparams.h"

#include <gst/gst.h>

/* takes @message */
static gboolean
fail (GError ** error, gchar * message)
{
  g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
      message);
  g_free (message);
  return FALSE;
}

gboolean
gst_qsv_parse_tracer_params (const gchar * params, gchar ** file,
    guint * interval_ms, gboolean * prometheus, GError ** error)
{
  gchar *text = g_strdup_printf ("qsvautoenc-report,%s", params);
  GstStructure *s = gst_structure_from_string (text, NULL);
  gboolean ok = TRUE;
  gint interval;
  guint i;

  g_free (text);
  if (!s)
    return fail (error, g_strdup_printf ("cannot parse parameters '%s': "
            "expected file=PATH,interval=MS,format=json|prometheus", params));
  for (i = 0; ok && i < (guint) gst_structure_n_fields (s); i++) {
    const gchar *f = gst_structure_nth_field_name (s, i);

    if (!g_str_equal (f, "file") && !g_str_equal (f, "interval") &&
        !g_str_equal (f, "format"))
      ok = fail (error, g_strdup_printf ("unknown parameter '%s' (known: "
              "file, interval, format)", f));
  }
  if (ok && gst_structure_has_field (s, "file")) {
    const gchar *path = gst_structure_get_string (s, "file");

    if (!path || !*path)
      ok = fail (error, g_strdup ("file= needs a path"));
    else
      *file = g_strdup (path);
  }
  if (ok && gst_structure_has_field (s, "interval")) {
    if (!gst_structure_get_int (s, "interval", &interval) || interval <= 0)
      ok = fail (error, g_strdup ("interval= takes milliseconds > 0"));
    else
      *interval_ms = interval;
  }
  if (ok && gst_structure_has_field (s, "format")) {
    const gchar *format = gst_structure_get_string (s, "format");

    if (g_strcmp0 (format, "json") == 0)
      *prometheus = FALSE;
    else if (g_strcmp0 (format, "prometheus") == 0)
      *prometheus = TRUE;
    else
      ok = fail (error, g_strdup ("format= takes json or prometheus"));
  }
  gst_structure_free (s);
  return ok;
}
