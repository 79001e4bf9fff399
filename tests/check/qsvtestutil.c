/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc test support
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "qsvtestutil.h"

#include <glib/gstdio.h>
#include <gio/gio.h>

gchar *
qsv_test_scratch_new (void)
{
  const gchar *base = g_getenv ("QSV_TEST_TMPDIR");
  gchar *templ, *dri;

  g_assert_nonnull (base);
  g_mkdir_with_parents (base, 0755);
  templ = g_build_filename (base, "scratch-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (templ));
  dri = g_build_filename (templ, "dri", NULL);
  g_assert_cmpint (g_mkdir (dri, 0755), ==, 0);
  g_setenv ("QSVAUTOENC_DRI_DIR", dri, TRUE);
  g_free (dri);
  return templ;
}

static void
remove_tree (GFile * file)
{
  GFileEnumerator *e = g_file_enumerate_children (file,
      G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
      NULL, NULL);

  if (e) {
    GFileInfo *info;

    while ((info = g_file_enumerator_next_file (e, NULL, NULL))) {
      GFile *child = g_file_get_child (file, g_file_info_get_name (info));
      remove_tree (child);
      g_object_unref (child);
      g_object_unref (info);
    }
    g_object_unref (e);
  }
  g_file_delete (file, NULL, NULL);
}

void
qsv_test_scratch_free (gchar * scratch)
{
  GFile *f = g_file_new_for_path (scratch);

  remove_tree (f);
  g_object_unref (f);
  g_free (scratch);
}

gchar *
qsv_test_make_node (const gchar * scratch, const gchar * name,
    const gchar * config)
{
  gchar *path = g_build_filename (scratch, "dri", name, NULL);

  g_assert_true (g_file_set_contents (path, config ? config : "", -1, NULL));
  return path;
}

void
qsv_test_use_fake_driver (void)
{
  g_setenv ("LIBVA_DRIVER_NAME", "fakeva", TRUE);
}

gchar *
qsv_test_keyframes (GPtrArray * samples)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < samples->len; i++) {
    GstBuffer *b = gst_sample_get_buffer (g_ptr_array_index (samples, i));

    if (!GST_BUFFER_FLAG_IS_SET (b, GST_BUFFER_FLAG_DELTA_UNIT))
      g_string_append_printf (s, "%s%u", s->len ? "," : "", i);
  }
  return g_string_free (s, FALSE);
}
