/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_QSV_AUTO_ENC_H__
#define __GST_QSV_AUTO_ENC_H__

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_QSV_AUTO_ENC (gst_qsv_auto_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstQsvAutoEnc, gst_qsv_auto_enc, GST, QSV_AUTO_ENC,
    GstBin)

GST_ELEMENT_REGISTER_DECLARE (qsvautoenc);

gboolean gst_qsv_auto_enc_factory_exists (const gchar * name,
    gpointer user_data);

/* Called by plugin_init before registering: what this machine would use,
 * for gst-inspect's description and the sink template. */
void gst_qsv_auto_enc_set_registration_info (const gchar * summary,
    gboolean va_memory);

G_END_DECLS

#endif
