/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Crash isolation of the VA probe.
 *
 * Opening a VA display loads the vendor's driver into the process, and a
 * driver with a bug can crash or hang in vaInitialize() or in a capability
 * query. In an application that costs the application; in GStreamer's
 * registry scanner (the plugin probes at registration, to say what it would
 * choose) it gets the plugin blacklisted until the registry is rebuilt. So,
 * like GStreamer's own gst-plugin-scanner, the probe of each node runs in a
 * small helper process (gst-qsvautoenc-probe-helper) that answers with a
 * GKeyFile on a pipe. A crash, a non-zero exit, a malformed answer or no
 * answer in time become the statuses driver-crashed and driver-hung, with a
 * message saying what to do, and qsvautoenc goes on in software.
 *
 * Where no helper is installed (or $QSVAUTOENC_PROBE_HELPER=in-process) the
 * probe runs in this process, as before, and says so ("isolated": false).
 * Once a helper is to be used, the driver is never loaded here: a helper
 * that cannot be started, whose end is unknown (the application reaps its
 * children itself) or that does not end even after SIGKILL (uninterruptible
 * sleep in the kernel) is a classified failure, and the wait for it is
 * bounded. */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE             /* secure_getenv */
#endif

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvvaprobe.h"
#include "gstqsvvaprobe-priv.h"

#include <gst/gst.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define GST_CAT_DEFAULT gst_qsv_va_probe_debug

#define MAX_ANSWER (64 * 1024)
/* how long a killed (or finished) helper may take to be gone */
#define REAP_GRACE_MS 1000

/* The helper runs whatever its path names, so the path comes from the
 * environment only where that is safe (not in a setuid/setgid process), and
 * only absolute: a relative one would run a file of the current directory. */
static gchar *
find_helper (void)
{
  const gchar *env = secure_getenv (GST_QSV_VA_ENV_PROBE_HELPER);

  if (env && *env) {
    if (g_strcmp0 (env, GST_QSV_VA_PROBE_IN_PROCESS) == 0)
      return NULL;
    if (g_path_is_absolute (env))
      return g_strdup (env);
    GST_WARNING (GST_QSV_VA_ENV_PROBE_HELPER "=%s is not an absolute path: "
        "ignored (give the helper's full path)", env);
  }
#ifdef QSV_PROBE_HELPER_PATH
  if (g_file_test (QSV_PROBE_HELPER_PATH, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (QSV_PROBE_HELPER_PATH);
#endif
  return NULL;
}

static guint
probe_timeout_ms (void)
{
  const gchar *env = secure_getenv (GST_QSV_VA_ENV_PROBE_TIMEOUT);
  guint64 v;

  if (env && g_ascii_string_to_unsigned (env, 10, 1, 600000, &v, NULL))
    return (guint) v;
  return GST_QSV_VA_DEFAULT_PROBE_TIMEOUT_MS;
}

/* which driver libva would load, as far as the parent can tell */
static gchar *
driver_description (void)
{
  const gchar *name = g_getenv ("LIBVA_DRIVER_NAME");

  if (name && *name)
    return g_strdup_printf ("LIBVA_DRIVER_NAME=%s", name);
  return g_strdup ("the one libva chose for this GPU");
}

static GError *
crashed_error (const gchar * path, const gchar * how)
{
  gchar *driver = driver_description ();
  GError *error = g_error_new (GST_QSV_VA_PROBE_ERROR,
      GST_QSV_VA_STATUS_DRIVER_CRASHED, "the VA driver (%s) crashed while "
      "%s was probed (%s): a bug in the VA driver, not in this machine's "
      "setup, so software encoding is used. Update the driver package "
      "(intel-media-va-driver-non-free or intel-media-va-driver), or choose "
      "another driver with LIBVA_DRIVER_NAME (iHD for Broadwell and newer, "
      "i965 for older GPUs); 'qsvautoenc-probe --device %s' repeats the "
      "check", driver, path, how, path);

  g_free (driver);
  return error;
}

static GError *
hung_error (const gchar * path, guint timeout_ms)
{
  gchar *driver = driver_description ();
  GError *error = g_error_new (GST_QSV_VA_PROBE_ERROR,
      GST_QSV_VA_STATUS_DRIVER_HUNG, "the VA driver (%s) did not answer "
      "within %u ms while %s was probed: the GPU or its driver hangs, so "
      "software encoding is used. Look for GPU hangs in the host's kernel "
      "log (dmesg: i915/xe 'GPU HANG'), check the GuC/HuC firmware, or raise "
      GST_QSV_VA_ENV_PROBE_TIMEOUT " if the driver is only slow", driver,
      timeout_ms, path);

  g_free (driver);
  return error;
}

/* Reads the helper's answer until EOF, the size cap or the deadline.
 * Returns FALSE on time-out. */
static gboolean
read_answer (gint fd, GString * answer, gint64 deadline)
{
  gchar buf[4096];

  for (;;) {
    struct pollfd pfd = { fd, POLLIN, 0 };
    gint64 left_ms = (deadline - g_get_monotonic_time ()) / 1000;
    gssize n;
    gint r;

    if (left_ms <= 0)
      return FALSE;
    r = poll (&pfd, 1, (gint) MIN (left_ms, G_MAXINT));
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return TRUE;
    if (r == 0)
      return FALSE;
    n = read (fd, buf, sizeof (buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
      continue;
    if (n <= 0)
      return TRUE;
    if (answer->len + n > MAX_ANSWER)
      return TRUE;
    g_string_append_len (answer, buf, n);
  }
}

static GError *
probe_failed_error (const gchar * path, const gchar * helper,
    const gchar * what)
{
  return g_error_new (GST_QSV_VA_PROBE_ERROR, GST_QSV_VA_STATUS_PROBE_FAILED,
      "the VA probe helper %s %s, so %s was not probed and software encoding "
      "is used. Reinstall gst-qsvautoenc (the helper comes with it), unset "
      GST_QSV_VA_ENV_PROBE_HELPER ", or, if the system is out of processes "
      "or memory (a container's pids limit), raise the limit", helper, what,
      path);
}

static gpointer
reaper_thread (gpointer data)
{
  GPid pid = GPOINTER_TO_INT (data);
  gint status;

  while (waitpid (pid, &status, 0) < 0 && errno == EINTR);
  GST_INFO ("probe helper %d is finally gone", (gint) pid);
  return NULL;
}

/**
 * gst_qsv_va_probe_reap:
 * @pid: a child started with G_SPAWN_DO_NOT_REAP_CHILD
 * @deadline: g_get_monotonic_time() after which to stop waiting
 * @status: (out): the wait status, when reaped
 *
 * Waits for @pid without blocking past @deadline: a process in
 * uninterruptible sleep (a driver inside an i915 ioctl when the GPU hangs)
 * outlives even SIGKILL for as long as the kernel keeps it there. Such a
 * child is left to a thread that reaps it whenever it goes.
 *
 * Returns: whether it was reaped here, somebody else reaped it (an
 * application that ignores SIGCHLD or calls waitpid(-1)), or it still runs.
 */
GstQsvVaReap
gst_qsv_va_probe_reap (GPid pid, gint64 deadline, gint * status)
{
  gulong pause_us = 1000;

  for (;;) {
    pid_t r = waitpid (pid, status, WNOHANG);

    if (r == pid)
      return GST_QSV_VA_REAPED;
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return GST_QSV_VA_REAPED_ELSEWHERE;
    if (g_get_monotonic_time () >= deadline)
      break;
    g_usleep (pause_us);
    pause_us = MIN (pause_us * 2, 20000);
  }
  g_thread_unref (g_thread_new ("qsvprobe-reaper", reaper_thread,
          GINT_TO_POINTER (pid)));
  return GST_QSV_VA_STILL_RUNNING;
}

/* What became of a helper that gave no usable answer (@answer_error: why
 * its answer was not usable). Once a helper has been started the driver is
 * never probed in this process: whatever made the helper fail would hit the
 * application. */
static GError *
classify_failure (const gchar * path, const gchar * helper,
    GstQsvVaReap reap, gint status, gboolean in_time, guint timeout_ms,
    const GError * answer_error)
{
  GError *error;
  gchar *how;

  if (!in_time || reap == GST_QSV_VA_STILL_RUNNING)
    return hung_error (path, timeout_ms);
  if (reap == GST_QSV_VA_REAPED_ELSEWHERE)
    return crashed_error (path, "the probe helper ended without an answer; "
        "how is unknown: this application collects its child processes "
        "itself (SIGCHLD ignored, or waitpid(-1))");
  if (WIFSIGNALED (status)) {
    how = g_strdup_printf ("signal %d, %s", WTERMSIG (status),
        g_strsignal (WTERMSIG (status)));
    error = crashed_error (path, how);
  } else if (WIFEXITED (status) && WEXITSTATUS (status)) {
    /* the driver exit()ed or the helper failed to start it */
    how = g_strdup_printf ("the probe helper exited with status %d without "
        "an answer", WEXITSTATUS (status));
    error = crashed_error (path, how);
  } else {
    /* A clean exit without a valid answer is not the driver's doing: the
     * helper is not ours (a wrong $QSVAUTOENC_PROBE_HELPER, a partial
     * upgrade) */
    how = g_strdup_printf ("exited without a usable answer (%s)",
        answer_error ? answer_error->message : "none");
    error = probe_failed_error (path, helper, how);
  }
  g_free (how);
  return error;
}

/* Runs the helper on @path, started at @start: its answer, or %NULL with
 * @error saying why there is none (GST_QSV_VA_PROBE_ERROR). */
static GstQsvVaDevice *
run_helper (const gchar * helper, const gchar * path, gint64 start,
    GError ** error)
{
  const gchar *argv[3] = { helper, path, NULL };
  GError *spawn_error = NULL, *answer_error = NULL;
  GstQsvVaDevice *dev = NULL;
  GString *answer = NULL;
  GstQsvVaReap reap;
  gboolean in_time;
  guint timeout_ms;
  gint64 deadline;
  gint out_fd, status = 0;
  GPid pid;

  if (!g_spawn_async_with_pipes (NULL, (gchar **) argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
          &pid, NULL, &out_fd, NULL, &spawn_error)) {
    /* not probed here either: a machine out of processes or memory is no
     * place to load a GPU driver into the application */
    gchar *what = g_strdup_printf ("could not be started (%s)",
        spawn_error->message);

    g_propagate_error (error, probe_failed_error (path, helper, what));
    g_free (what);
    goto out;
  }

  timeout_ms = probe_timeout_ms ();
  deadline = start + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;
  answer = g_string_new (NULL);
  in_time = read_answer (out_fd, answer, deadline);
  close (out_fd);
  if (!in_time)
    kill (pid, SIGKILL);
  reap = gst_qsv_va_probe_reap (pid, MAX (deadline, g_get_monotonic_time ())
      + REAP_GRACE_MS * G_TIME_SPAN_MILLISECOND, &status);
  if (reap == GST_QSV_VA_STILL_RUNNING && in_time) {
    /* it closed its answer but does not end: stop it */
    kill (pid, SIGKILL);
  }
  g_spawn_close_pid (pid);

  /* A complete answer stands, whatever happened at exit. */
  dev = gst_qsv_va_device_deserialize (answer->str, answer->len,
      &answer_error);
  if (!dev)
    g_propagate_error (error, classify_failure (path, helper, reap, status,
            in_time, timeout_ms, answer_error));

out:
  g_clear_error (&spawn_error);
  g_clear_error (&answer_error);
  if (answer)
    g_string_free (answer, TRUE);
  return dev;
}

GstQsvVaDevice *
gst_qsv_va_probe_device_isolated (const gchar * path)
{
  GstQsvVaDevice *dev = NULL;
  GError *error = NULL;
  gchar *helper = NULL;
  gint64 start;
  gint os_errno;

  gst_qsv_va_probe_init_debug ();
  if (!gst_qsv_va_probe_is_built ())
    return gst_qsv_va_probe_device_uncached (path);

  /* checked here too: a device that is not a DRM node costs no helper */
  if (!gst_qsv_va_check_drm_node (path, &os_errno, &error)) {
    GST_INFO ("%s", error->message);
    dev = gst_qsv_va_device_new (path);
    dev->os_errno = os_errno;
    gst_qsv_va_device_take_error (dev, error);
    return dev;
  }

  helper = find_helper ();
  if (!helper) {
    GST_INFO ("probing %s in this process (no probe helper; set "
        GST_QSV_VA_ENV_PROBE_HELPER ")", path);
    return gst_qsv_va_probe_device_uncached (path);
  }

  start = g_get_monotonic_time ();
  dev = run_helper (helper, path, start, &error);
  if (dev) {
    g_free (dev->path);
    dev->path = g_strdup (path);
  } else {
    GST_WARNING ("%s", error->message);
    dev = gst_qsv_va_device_new (path);
    gst_qsv_va_device_take_error (dev, error);
  }
  dev->isolated = TRUE;
  dev->probe_time_us = g_get_monotonic_time () - start;
  GST_DEBUG ("probed %s in %s: %s (%" G_GINT64_FORMAT " us)", path, helper,
      gst_qsv_va_status_nick (dev->status), dev->probe_time_us);
  g_free (helper);
  return dev;
}
