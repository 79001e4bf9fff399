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

/* What the plugin found at registration (gstqsvautoencregister.c): the
 * class data of the element's type, for gst-inspect's description and the
 * sink template. */
typedef struct
{
  gchar *summary;               /* what this machine would use */
  gboolean va_memory;           /* a VA encoder takes VAMemory here */
} GstQsvAutoEncClassData;

/* Registers the element's type (once per process) with @cdata, taken. */
GType gst_qsv_auto_enc_register_type (GstQsvAutoEncClassData * cdata);

G_END_DECLS

#endif
