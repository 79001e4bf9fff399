/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvstatuswriter.h"

#include <gst/gst.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

GST_DEBUG_CATEGORY_STATIC (gst_qsv_status_writer_debug);
#define GST_CAT_DEFAULT gst_qsv_status_writer_debug

struct _GstQsvStatusWriter
{
  gchar *path;
  guint interval_ms;
  GstQsvStatusRender render;
  gpointer user_data;

  GMutex file_lock;             /* one writer of the file at a time */
  GMutex lock;                  /* the fields below */
  GCond cond;
  GThread *thread;
  gboolean dirty, live, stopping;
  gint last_errno;              /* of the last failed write, 0 after success */
};

static gboolean
write_all (int fd, const gchar * text)
{
  gsize len = strlen (text), done = 0;

  while (done < len) {
    gssize n = write (fd, text + done, len - done);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return FALSE;
    done += (gsize) n;
  }
  return TRUE;
}

/* Replaces @path by a file holding @text, so that a reader only ever sees
 * the old file or the whole new one, whoever else writes there:
 * a temporary with a fresh random name in the same folder (O_CREAT|O_EXCL|
 * O_NOFOLLOW: never someone else's file or symlink), mode 0644 whatever the
 * umask, written and fsync()ed, renamed over @path, the folder fsync()ed.
 * A symbolic link (or anything but a regular file) at @path is refused
 * (ELOOP / EISDIR / EINVAL): the file never goes where a link points, and
 * an operator who put the link there learns that it is not followed.
 * FALSE with *err and *what (the step) on failure. */
static gboolean
write_file_atomically (const gchar * path, const gchar * text, gint * err,
    const gchar ** what)
{
  gchar *dir = g_path_get_dirname (path), *base = g_path_get_basename (path);
  gchar *tmp = NULL;
  gboolean ok = FALSE, created = FALSE;
  struct stat st;
  int dfd, fd = -1, i;

  *err = 0;
  *what = "open the folder";
  dfd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0)
    goto out;
  *what = "check the path";
  if (fstatat (dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
    if (S_ISLNK (st.st_mode))
      errno = ELOOP;
    else if (S_ISDIR (st.st_mode))
      errno = EISDIR;
    else if (!S_ISREG (st.st_mode))
      errno = EINVAL;
    else
      errno = 0;
    if (errno)
      goto out;
  } else if (errno != ENOENT) {
    goto out;
  }
  *what = "create a temporary file in the folder";
  for (i = 0; i < 100 && fd < 0; i++) {
    g_free (tmp);
    /* hidden, and not *.prom or *.json: no collector reads it */
    tmp = g_strdup_printf (".%s.%08x%08x", base, g_random_int (),
        g_random_int ());
    fd = openat (dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
        O_CLOEXEC, 0644);
    if (fd < 0 && errno != EEXIST)
      break;
  }
  if (fd < 0)
    goto out;
  created = TRUE;
  *what = "write";
  if (fchmod (fd, 0644) < 0 || !write_all (fd, text))
    goto out;
  *what = "fsync";
  if (fsync (fd) < 0)
    goto out;
  *what = "close";
  i = close (fd);
  fd = -1;
  if (i < 0)
    goto out;
  *what = "rename the temporary file over it";
  if (renameat (dfd, tmp, dfd, base) < 0)
    goto out;
  created = FALSE;
  /* the rename itself on disk; some file systems refuse: no matter */
  fsync (dfd);
  ok = TRUE;
out:
  if (!ok)
    *err = errno ? errno : EIO;
  if (fd >= 0)
    close (fd);
  /* only ours: a name that existed (EEXIST) is someone else's */
  if (created)
    unlinkat (dfd, tmp, 0);
  if (dfd >= 0)
    close (dfd);
  g_free (tmp);
  g_free (dir);
  g_free (base);
  return ok;
}

/* A failure is told once, as a GLib warning (on the terminal, whatever
 * GST_DEBUG says), until a write succeeds again. */
void
gst_qsv_status_writer_write (GstQsvStatusWriter * self)
{
  const gchar *what = NULL;
  gchar *text;
  gint err = 0;

  g_mutex_lock (&self->file_lock);
  g_mutex_lock (&self->lock);
  self->dirty = FALSE;
  g_mutex_unlock (&self->lock);
  text = self->render (self->user_data);
  if (!text) {
    g_mutex_unlock (&self->file_lock);
    return;
  }
  if (!write_file_atomically (self->path, text, &err, &what)) {
    GST_WARNING ("cannot %s for %s: %s", what, self->path, g_strerror (err));
    if (self->last_errno != err)
      g_warning ("qsvautoenc-report: cannot write the status file %s (%s: "
          "%s, errno %d)%s; encoding goes on without it", self->path, what,
          g_strerror (err), err, err == ELOOP ?
          " - it is a symbolic link, which is never followed: name the real "
          "path" : "");
    self->last_errno = err;
  } else {
    self->last_errno = 0;
  }
  g_mutex_unlock (&self->file_lock);
  g_free (text);
}

/* Rewrites the file at each change and, while something is live, every
 * interval (its counters move). */
static gpointer
writer_thread (gpointer data)
{
  GstQsvStatusWriter *self = data;

  g_mutex_lock (&self->lock);
  while (!self->stopping) {
    gint64 until = g_get_monotonic_time () +
        self->interval_ms * G_TIME_SPAN_MILLISECOND;
    gboolean timed_out = FALSE;

    while (!self->dirty && !self->stopping && !timed_out) {
      if (self->live)
        timed_out = !g_cond_wait_until (&self->cond, &self->lock, until);
      else
        g_cond_wait (&self->cond, &self->lock);
    }
    if (self->stopping)
      break;
    g_mutex_unlock (&self->lock);
    gst_qsv_status_writer_write (self);
    g_mutex_lock (&self->lock);
  }
  g_mutex_unlock (&self->lock);
  return NULL;
}

void
gst_qsv_status_writer_request (GstQsvStatusWriter * self, gboolean live)
{
  if (!self)
    return;
  g_mutex_lock (&self->lock);
  self->live = live;
  if (!self->stopping) {
    self->dirty = TRUE;
    if (!self->thread)
      self->thread = g_thread_new ("qsvautoenc-report", writer_thread, self);
    g_cond_signal (&self->cond);
  }
  g_mutex_unlock (&self->lock);
}

GstQsvStatusWriter *
gst_qsv_status_writer_new (const gchar * path, guint interval_ms,
    GstQsvStatusRender render, gpointer user_data)
{
  GstQsvStatusWriter *self = g_new0 (GstQsvStatusWriter, 1);

  GST_DEBUG_CATEGORY_INIT (gst_qsv_status_writer_debug, "qsvautoencstatus",
      0, "qsvautoenc-report status file");
  self->path = g_strdup (path);
  self->interval_ms = interval_ms;
  self->render = render;
  self->user_data = user_data;
  g_mutex_init (&self->file_lock);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  return self;
}

void
gst_qsv_status_writer_stop (GstQsvStatusWriter * self)
{
  gboolean dirty;
  GThread *thread;

  g_mutex_lock (&self->lock);
  dirty = self->dirty && !self->stopping;
  self->stopping = TRUE;
  thread = self->thread;
  self->thread = NULL;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  if (thread)
    g_thread_join (thread);
  /* the last change (gst_deinit() after the pipeline was freed) */
  if (dirty)
    gst_qsv_status_writer_write (self);
}

void
gst_qsv_status_writer_free (GstQsvStatusWriter * self)
{
  if (!self)
    return;
  gst_qsv_status_writer_stop (self);
  g_mutex_clear (&self->file_lock);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self->path);
  g_free (self);
}
