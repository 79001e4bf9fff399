/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The qsvautoenc-report tracer's status file: rewritten atomically by a
 * thread of its own at each change and, while something is live, every
 * interval. It knows nothing of encoders: @render makes the text. */

#ifndef __GST_QSV_STATUS_WRITER_H__
#define __GST_QSV_STATUS_WRITER_H__

#include <glib.h>

G_BEGIN_DECLS

typedef struct _GstQsvStatusWriter GstQsvStatusWriter;

/* The file's text, or NULL to leave the file alone; called without any
 * lock of the writer's held. */
typedef gchar *(*GstQsvStatusRender) (gpointer user_data);

GstQsvStatusWriter *gst_qsv_status_writer_new (const gchar * path,
    guint interval_ms, GstQsvStatusRender render, gpointer user_data);
/* Stops the thread and writes a pending change; @self may be NULL. */
void gst_qsv_status_writer_free (GstQsvStatusWriter * self);
/* Asks for a rewrite; never blocks on file I/O (streaming threads call
 * it). @live: whether the figures move, so that they are rewritten every
 * interval. */
void gst_qsv_status_writer_request (GstQsvStatusWriter * self,
    gboolean live);
/* Writes now, in the calling thread. */
void gst_qsv_status_writer_write (GstQsvStatusWriter * self);
/* Stops the thread (once) and writes a pending change. */
void gst_qsv_status_writer_stop (GstQsvStatusWriter * self);

G_END_DECLS

#endif /* __GST_QSV_STATUS_WRITER_H__ */
