/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* A minimal streaming JSON writer (RFC 8259 escaping), so that the probe
 * command and the tracer's status file need no JSON library at run time. */

#ifndef __GST_QSV_JSON_H__
#define __GST_QSV_JSON_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GstQsvJson GstQsvJson;

GstQsvJson *gst_qsv_json_new (void);
gchar *gst_qsv_json_free (GstQsvJson * json, gboolean free_text);

/* @key is the member name inside an object, NULL inside an array or at the
 * top level. A NULL string value is written as null. */
void gst_qsv_json_begin_object (GstQsvJson * json, const gchar * key);
void gst_qsv_json_end_object (GstQsvJson * json);
void gst_qsv_json_begin_array (GstQsvJson * json, const gchar * key);
void gst_qsv_json_end_array (GstQsvJson * json);
void gst_qsv_json_add_string (GstQsvJson * json, const gchar * key,
    const gchar * value);
void gst_qsv_json_add_int (GstQsvJson * json, const gchar * key, gint64 value);
void gst_qsv_json_add_double (GstQsvJson * json, const gchar * key,
    gdouble value);
void gst_qsv_json_add_bool (GstQsvJson * json, const gchar * key,
    gboolean value);
void gst_qsv_json_add_null (GstQsvJson * json, const gchar * key);
/* "a,b,c" -> ["a","b","c"]; "" -> [] */
void gst_qsv_json_add_string_list (GstQsvJson * json, const gchar * key,
    const gchar * comma_separated);

G_END_DECLS

#endif /* __GST_QSV_JSON_H__ */
