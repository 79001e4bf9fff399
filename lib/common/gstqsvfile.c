/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static gboolean
fail (GError ** error, gint code, const gchar * path, const gchar * why)
{
  g_set_error (error, G_FILE_ERROR, code, "%s: %s", path, why);
  return FALSE;
}

gboolean
gst_qsv_read_trusted_file (const gchar * path, gsize max_size,
    gchar ** contents, gsize * length, GError ** error)
{
  struct stat st;
  gchar *buf = NULL;
  gsize got = 0;
  int fd, saved;

  fd = open (path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    saved = errno;
    return fail (error, g_file_error_from_errno (saved), path,
        saved == ELOOP ? "is a symbolic link (not followed)" :
        g_strerror (saved));
  }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode)) {
    close (fd);
    return fail (error, G_FILE_ERROR_INVAL, path, "not a regular file");
  }
  if (st.st_uid != geteuid () && st.st_uid != 0) {
    close (fd);
    return fail (error, G_FILE_ERROR_PERM, path,
        "owned by another user (not trusted)");
  }
  if ((guint64) st.st_size > max_size) {
    close (fd);
    return fail (error, G_FILE_ERROR_FAILED, path, "larger than expected");
  }
  buf = g_malloc (st.st_size + 1);
  while (got < (gsize) st.st_size) {
    ssize_t n = read (fd, buf + got, st.st_size - got);

    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += n;
  }
  close (fd);
  buf[got] = '\0';
  *contents = buf;
  if (length)
    *length = got;
  return TRUE;
}
