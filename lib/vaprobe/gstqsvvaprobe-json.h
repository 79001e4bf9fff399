/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The probe result as JSON (gstqsvvaprobe-json.c): the schema of
 * `qsvautoenc-probe --json`, documented in README.md. */

#ifndef __GST_QSV_VA_PROBE_JSON_H__
#define __GST_QSV_VA_PROBE_JSON_H__

#include "gstqsvvaprobe.h"
#include "gstqsvjson.h"

G_BEGIN_DECLS

gchar *gst_qsv_va_probe_result_to_json (const GstQsvVaProbeResult * result);
void gst_qsv_va_probe_result_add_json (const GstQsvVaProbeResult * result,
    GstQsvJson * json);

G_END_DECLS

#endif /* __GST_QSV_VA_PROBE_JSON_H__ */
