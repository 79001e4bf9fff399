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

/* The shared base (abstract, "GstQsvAutoEncBase") holds the machinery:
 * probing, selection, the internal chain, fallback, reporting. A codec is
 * a thin subclass registered with its class data (codec record, catalog):
 * qsvautoenc (H.264, type "GstQsvAutoEnc") and qsvautoh265enc (H.265, type
 * "GstQsvAutoH265Enc"), as autodetect's autovideosink and autoaudiosink
 * share GstAutoDetect. */
#define GST_TYPE_QSV_AUTO_ENC_BASE (gst_qsv_auto_enc_base_get_type ())
#define GST_TYPE_QSV_AUTO_ENC (gst_qsv_auto_enc_get_type ())
#define GST_TYPE_QSV_AUTO_H265_ENC (gst_qsv_auto_h265_enc_get_type ())

typedef struct _GstQsvAutoEnc GstQsvAutoEnc;
typedef struct _GstQsvAutoEncClass GstQsvAutoEncClass;

#define GST_QSV_AUTO_ENC(obj) (G_TYPE_CHECK_INSTANCE_CAST ((obj), \
    GST_TYPE_QSV_AUTO_ENC_BASE, GstQsvAutoEnc))
#define GST_QSV_AUTO_ENC_GET_CLASS(obj) (G_TYPE_INSTANCE_GET_CLASS ((obj), \
    GST_TYPE_QSV_AUTO_ENC_BASE, GstQsvAutoEncClass))
#define GST_IS_QSV_AUTO_ENC_BASE(obj) (G_TYPE_CHECK_INSTANCE_TYPE ((obj), \
    GST_TYPE_QSV_AUTO_ENC_BASE))
/* the H.264 element, qsvautoenc */
#define GST_IS_QSV_AUTO_ENC(obj) (G_TYPE_CHECK_INSTANCE_TYPE ((obj), \
    GST_TYPE_QSV_AUTO_ENC))

GType gst_qsv_auto_enc_base_get_type (void);
GType gst_qsv_auto_enc_get_type (void);
GType gst_qsv_auto_h265_enc_get_type (void);

GST_ELEMENT_REGISTER_DECLARE (qsvautoenc);
GST_ELEMENT_REGISTER_DECLARE (qsvautoh265enc);

gboolean gst_qsv_auto_enc_factory_exists (const gchar * name,
    gpointer user_data);

/* What the plugin found at registration (gstqsvautoencregister.c): the
 * class data of a codec's element type, for gst-inspect's description and
 * the sink template. */
typedef struct
{
  gint codec;                   /* GST_QSV_AUTO_ENC_H264 or _H265 */
  gchar *summary;               /* what this machine would use */
  gboolean va_memory;           /* a VA encoder takes VAMemory here */
} GstQsvAutoEncClassData;

#define GST_QSV_AUTO_ENC_H264 0
#define GST_QSV_AUTO_ENC_H265 1

/* Registers a codec's element type (once per process) with @cdata, taken */
GType gst_qsv_auto_enc_register_type (GstQsvAutoEncClassData * cdata);

G_END_DECLS

#endif
