/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc test support
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Fake render nodes for the tests: files named renderD<N> in a scratch
 * folder under the build directory (never /dev), that the libfakedrm shim
 * passes off as DRM nodes and whose contents configure the fake VA driver. */

#ifndef __QSV_TEST_UTIL_H__
#define __QSV_TEST_UTIL_H__

#include <gst/gst.h>

G_BEGIN_DECLS

/* Makes a fresh scratch folder under $QSV_TEST_TMPDIR with an empty "dri"
 * folder in it, and points QSVAUTOENC_DRI_DIR at it. */
gchar *qsv_test_scratch_new (void);
void qsv_test_scratch_free (gchar * scratch);
/* Writes <scratch>/dri/<name> with @config (fake driver keys); returns the
 * node's path. */
gchar *qsv_test_make_node (const gchar * scratch, const gchar * name,
    const gchar * config);
/* Selects the fake VA driver for every node (LIBVA_DRIVER_NAME=fakeva). */
void qsv_test_use_fake_driver (void);

/* Indices of the keyframes among coded GstSamples, "0,15,30" */
gchar *qsv_test_keyframes (GPtrArray * samples);

G_END_DECLS

#endif
