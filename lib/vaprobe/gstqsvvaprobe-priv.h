/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Shared by the probe's own files only. */

#ifndef __GST_QSV_VA_PROBE_PRIV_H__
#define __GST_QSV_VA_PROBE_PRIV_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* "qsvvaprobe": one debug category for the whole probe; usable before
 * gst_init() (the helper process never initialises GStreamer) */
GST_DEBUG_CATEGORY_EXTERN (gst_qsv_va_probe_debug);
void gst_qsv_va_probe_init_debug (void);

#include "gstqsvvaprobe.h"

/* status and message for a failed open()/stat() of device->path */
void gst_qsv_va_device_set_open_failure (GstQsvVaDevice * device, gint err);

typedef enum
{
  GST_QSV_VA_REAPED,            /* gone, its wait status known */
  GST_QSV_VA_REAPED_ELSEWHERE,  /* gone, reaped by the application */
  GST_QSV_VA_STILL_RUNNING,     /* left to a reaper thread */
} GstQsvVaReap;

GstQsvVaReap gst_qsv_va_probe_reap (GPid pid, gint64 deadline, gint * status);

G_END_DECLS

#endif /* __GST_QSV_VA_PROBE_PRIV_H__ */
