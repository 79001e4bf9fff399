/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* How long the VA probe takes: with no render node, through the real libva
 * and the fake driver (fresh and cached), and on this machine's real nodes
 * if it has any. A benchmark (meson test --benchmark), never a timed test:
 * it reports figures, it asserts none. */

#include <gst/gst.h>
#include <glib/gstdio.h>
#include <stdlib.h>

#include "gstqsvvaprobe.h"

#define RUNS 2000

static int
compare_i64 (const void *a, const void *b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;
  return x < y ? -1 : x > y;
}

static void
measure (const gchar * what, const gchar * device, GstQsvVaProbeFlags flags,
    guint runs)
{
  gint64 *t = g_new (gint64, runs);
  GstQsvVaStatus status = GST_QSV_VA_STATUS_OK;
  guint i;

  for (i = 0; i < runs; i++) {
    gint64 start = g_get_monotonic_time ();
    GstQsvVaProbeResult *r = gst_qsv_va_probe (device, flags);

    t[i] = g_get_monotonic_time () - start;
    status = r->status;
    gst_qsv_va_probe_result_free (r);
  }
  qsort (t, runs, sizeof (gint64), compare_i64);
  g_print ("%-46s %-18s median %7.1f us  p90 %7.1f us  min %7.1f us (%u runs)\n",
      what, gst_qsv_va_status_nick (status), (gdouble) t[runs / 2],
      (gdouble) t[runs * 9 / 10], (gdouble) t[0], runs);
  g_free (t);
}

int
main (int argc, char **argv)
{
  const gchar *tmp = g_getenv ("QSV_TEST_TMPDIR");
  gchar *dir, *dri, *node, *missing;
  gchar *helper = g_strdup (g_getenv ("QSVAUTOENC_PROBE_HELPER"));

  gst_init (&argc, &argv);
  g_mkdir_with_parents (tmp, 0755);
  dir = g_build_filename (tmp, "bench-XXXXXX", NULL);
  g_mkdtemp (dir);
  dri = g_build_filename (dir, "dri", NULL);
  g_mkdir (dri, 0755);
  missing = g_build_filename (dir, "no-dri", NULL);
  node = g_build_filename (dri, "renderD128", NULL);
  g_file_set_contents (node, "entrypoints=slice,lp", -1, NULL);

  g_print ("VA probe latency (%s)\n", gst_qsv_va_probe_is_built ()?
      "libva" : "VA not built");
  g_setenv ("QSVAUTOENC_DRI_DIR", missing, TRUE);
  measure ("no /dev/dri at all", NULL, GST_QSV_VA_PROBE_FLAG_FRESH, RUNS);
  if (g_getenv ("LIBVA_DRIVER_NAME")) {
    g_setenv ("QSVAUTOENC_DRI_DIR", dri, TRUE);
    if (helper && g_strcmp0 (helper, "in-process") != 0)
      measure ("fake node + fakeva, fresh, helper process", NULL,
          GST_QSV_VA_PROBE_FLAG_FRESH, RUNS / 8);
    g_setenv ("QSVAUTOENC_PROBE_HELPER", "in-process", TRUE);
    measure ("fake node + fakeva, fresh, in-process", NULL,
        GST_QSV_VA_PROBE_FLAG_FRESH, RUNS / 4);
    if (helper)
      g_setenv ("QSVAUTOENC_PROBE_HELPER", helper, TRUE);
    else
      g_unsetenv ("QSVAUTOENC_PROBE_HELPER");
    measure ("fake node + fakeva, cached", NULL,
        GST_QSV_VA_PROBE_FLAG_NONE, RUNS);
    g_unsetenv ("LIBVA_DRIVER_NAME");
  }
  g_unsetenv ("QSVAUTOENC_DRI_DIR");
  if (g_file_test ("/dev/dri", G_FILE_TEST_IS_DIR)) {
    measure ("this machine's /dev/dri, fresh", NULL,
        GST_QSV_VA_PROBE_FLAG_FRESH, 50);
    measure ("this machine's /dev/dri, cached", NULL,
        GST_QSV_VA_PROBE_FLAG_NONE, RUNS);
  } else {
    g_print ("(this machine has no /dev/dri: no real-hardware figures)\n");
  }

  g_unlink (node);
  g_rmdir (dri);
  g_rmdir (dir);
  g_free (node);
  g_free (dri);
  g_free (missing);
  g_free (dir);
  g_free (helper);
  return 0;
}
