/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __GST_QSV_FILE_H__
#define __GST_QSV_FILE_H__

#include <glib.h>

G_BEGIN_DECLS

/* Reads a small state file that may sit in a shared folder: never through
 * a symlink, never blocking (a FIFO planted there), only a regular file of
 * at most @max_size bytes owned by this user or root. Returns FALSE with
 * @error (G_FILE_ERROR) otherwise. */
gboolean gst_qsv_read_trusted_file (const gchar * path, gsize max_size,
    gchar ** contents, gsize * length, GError ** error);

G_END_DECLS

#endif
