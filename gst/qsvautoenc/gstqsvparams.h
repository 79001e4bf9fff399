/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_QSV_PARAMS_H__
#define __GST_QSV_PARAMS_H__

#include <glib.h>

G_BEGIN_DECLS

/* The qsvautoenc-report tracer's parameters,
 * "file=PATH,interval=MS,format=json|prometheus": fills
 * what is given (@file newly allocated) and returns FALSE, with @error set,
 * on anything else. Pure: no tracer needed, so it can be fuzzed. */
gboolean gst_qsv_parse_tracer_params (const gchar * params, gchar ** file,
    guint * interval_ms, gboolean * prometheus, GError ** error);

G_END_DECLS

#endif
