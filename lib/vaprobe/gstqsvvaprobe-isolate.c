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

#define GROUP_DEVICE "device"
#define GROUP_H264 "h264"
#define GROUP_END "end"
#define MAX_ANSWER (64 * 1024)
/* how long a killed (or finished) helper may take to be gone */
#define REAP_GRACE_MS 1000

static void
set_string (GKeyFile * kf, const gchar * key, const gchar * value)
{
  if (value)
    g_key_file_set_string (kf, GROUP_DEVICE, key, value);
}

/**
 * gst_qsv_va_device_serialize:
 *
 * The helper's answer for one probed node. The "end" group comes last, so
 * that an answer cut short by a crash is recognised as incomplete.
 */
gchar *
gst_qsv_va_device_serialize (const GstQsvVaDevice * dev)
{
  GKeyFile *kf = g_key_file_new ();
  gchar *text;
  guint p, e;

  set_string (kf, "path", dev->path);
  set_string (kf, "status", gst_qsv_va_status_nick (dev->status));
  g_key_file_set_integer (kf, GROUP_DEVICE, "errno", dev->os_errno);
  set_string (kf, "message", dev->message);
  set_string (kf, "libva_error", dev->libva_error);
  set_string (kf, "kernel_driver", dev->kernel_driver);
  set_string (kf, "va_driver", dev->va_driver);
  set_string (kf, "vendor", dev->vendor);
  g_key_file_set_integer (kf, GROUP_DEVICE, "va_major", dev->va_major);
  g_key_file_set_integer (kf, GROUP_DEVICE, "va_minor", dev->va_minor);
  g_key_file_set_boolean (kf, GROUP_DEVICE, "video_proc", dev->video_proc);
  g_key_file_set_int64 (kf, GROUP_DEVICE, "probe_time_us", dev->probe_time_us);
  for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++) {
    for (p = 0; p < GST_QSV_VA_H264_N_PROFILES; p++) {
      const GstQsvVaEntrypointCaps *c = &dev->h264[p][e];
      gint values[3];
      gchar *key;

      if (!c->present)
        continue;
      values[0] = (gint) c->rate_control;
      values[1] = (gint) c->max_width;
      values[2] = (gint) c->max_height;
      key = g_strdup_printf ("%s.%s", gst_qsv_va_entrypoint_name (e),
          gst_qsv_va_h264_profile_nick (p));
      g_key_file_set_integer_list (kf, GROUP_H264, key, values, 3);
      g_free (key);
    }
  }
  g_key_file_set_boolean (kf, GROUP_END, "complete", TRUE);
  text = g_key_file_to_data (kf, NULL, NULL);
  g_key_file_free (kf);
  return text;
}

static gboolean
parse_h264_key (const gchar * key, GstQsvVaEntrypoint * entrypoint,
    GstQsvVaH264Profile * profile)
{
  guint p, e;

  for (e = 0; e < GST_QSV_VA_N_ENTRYPOINTS; e++) {
    for (p = 0; p < GST_QSV_VA_H264_N_PROFILES; p++) {
      gchar *want = g_strdup_printf ("%s.%s", gst_qsv_va_entrypoint_name (e),
          gst_qsv_va_h264_profile_nick (p));
      gboolean match = g_strcmp0 (key, want) == 0;

      g_free (want);
      if (match) {
        *entrypoint = e;
        *profile = p;
        return TRUE;
      }
    }
  }
  return FALSE;
}

static gchar *
get_optional_string (GKeyFile * kf, const gchar * key)
{
  gchar *value = g_key_file_get_string (kf, GROUP_DEVICE, key, NULL);

  /* the answer crossed a process boundary: keep what reaches messages and
   * JSON valid UTF-8 */
  if (value && !g_utf8_validate (value, -1, NULL)) {
    gchar *valid = g_utf8_make_valid (value, -1);
    g_free (value);
    value = valid;
  }
  return value;
}

static gint
get_int (GKeyFile * kf, const gchar * key, gint min, gint max,
    GError ** error)
{
  GError *err = NULL;
  gint v = g_key_file_get_integer (kf, GROUP_DEVICE, key, &err);

  if (err) {
    g_propagate_error (error, err);
    return 0;
  }
  if (v < min || v > max) {
    g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
        "%s=%d is out of range", key, v);
    return 0;
  }
  return v;
}

/**
 * gst_qsv_va_device_deserialize:
 * @text: the helper's answer
 * @length: its length, or -1 if NUL-terminated
 *
 * Returns: (transfer full) (nullable): the device, or %NULL with @error set
 * if the answer is incomplete or malformed.
 */
GstQsvVaDevice *
gst_qsv_va_device_deserialize (const gchar * text, gssize length,
    GError ** error)
{
  GKeyFile *kf = g_key_file_new ();
  GstQsvVaDevice *dev = NULL;
  GError *err = NULL;
  gchar *status = NULL, **keys = NULL;
  guint i;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = strlen (text);
  if (!g_key_file_load_from_data (kf, text, length, G_KEY_FILE_NONE, &err))
    goto failed;
  if (!g_key_file_get_boolean (kf, GROUP_END, "complete", &err)) {
    if (!err)
      g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
          "answer not complete");
    goto failed;
  }

  dev = g_new0 (GstQsvVaDevice, 1);
  status = g_key_file_get_string (kf, GROUP_DEVICE, "status", &err);
  if (!status)
    goto failed;
  if (!gst_qsv_va_status_from_nick (status, &dev->status)) {
    g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
        "unknown status '%s'", status);
    goto failed;
  }
  dev->message = get_optional_string (kf, "message");
  if (!dev->message) {
    g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
        "no message");
    goto failed;
  }
  dev->path = get_optional_string (kf, "path");
  dev->libva_error = get_optional_string (kf, "libva_error");
  dev->kernel_driver = get_optional_string (kf, "kernel_driver");
  dev->va_driver = get_optional_string (kf, "va_driver");
  dev->vendor = get_optional_string (kf, "vendor");
  dev->os_errno = get_int (kf, "errno", 0, 4095, &err);
  if (!err)
    dev->va_major = get_int (kf, "va_major", 0, 255, &err);
  if (!err)
    dev->va_minor = get_int (kf, "va_minor", 0, 255, &err);
  if (err)
    goto failed;
  dev->video_proc = g_key_file_get_boolean (kf, GROUP_DEVICE, "video_proc",
      &err);
  if (err)
    goto failed;
  dev->probe_time_us = g_key_file_get_int64 (kf, GROUP_DEVICE,
      "probe_time_us", &err);
  if (err)
    goto failed;

  keys = g_key_file_get_keys (kf, GROUP_H264, NULL, NULL);
  for (i = 0; keys && keys[i]; i++) {
    GstQsvVaEntrypoint e;
    GstQsvVaH264Profile p;
    gsize n = 0;
    gint *values;

    if (!parse_h264_key (keys[i], &e, &p)) {
      g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
          "unknown H.264 key '%s'", keys[i]);
      goto failed;
    }
    values = g_key_file_get_integer_list (kf, GROUP_H264, keys[i], &n, &err);
    if (!values)
      goto failed;
    if (n != 3 || values[1] < 0 || values[2] < 0) {
      g_free (values);
      g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
          "malformed H.264 entry '%s'", keys[i]);
      goto failed;
    }
    dev->h264[p][e].present = TRUE;
    dev->h264[p][e].rate_control = (guint) values[0];
    dev->h264[p][e].max_width = (guint) values[1];
    dev->h264[p][e].max_height = (guint) values[2];
    g_free (values);
  }
  g_strfreev (keys);
  g_free (status);
  g_key_file_free (kf);
  return dev;

failed:
  /* some GKeyFile getters fail without an error (an empty list) */
  if (!err)
    g_set_error (&err, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
        "malformed answer");
  g_propagate_error (error, err);
  g_strfreev (keys);
  g_free (status);
  gst_qsv_va_device_free (dev);
  g_key_file_free (kf);
  return NULL;
}

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

static GstQsvVaDevice *
failed_device (const gchar * path, GstQsvVaStatus status, gchar * message)
{
  GstQsvVaDevice *dev = g_new0 (GstQsvVaDevice, 1);

  dev->path = g_strdup (path);
  dev->status = status;
  dev->message = message;
  dev->isolated = TRUE;
  GST_WARNING ("%s", message);
  return dev;
}

static GstQsvVaDevice *
crashed_device (const gchar * path, const gchar * how)
{
  gchar *driver = driver_description ();
  gchar *msg = g_strdup_printf ("the VA driver (%s) crashed while %s was "
      "probed (%s): a bug in the VA driver, not in this machine's setup, so "
      "software encoding is used. Update the driver package "
      "(intel-media-va-driver-non-free or intel-media-va-driver), or choose "
      "another driver with LIBVA_DRIVER_NAME (iHD for Broadwell and newer, "
      "i965 for older GPUs); 'qsvautoenc-probe --device %s' repeats the "
      "check", driver, path, how, path);

  g_free (driver);
  return failed_device (path, GST_QSV_VA_STATUS_DRIVER_CRASHED, msg);
}

static GstQsvVaDevice *
hung_device (const gchar * path, guint timeout_ms)
{
  gchar *driver = driver_description ();
  gchar *msg = g_strdup_printf ("the VA driver (%s) did not answer within "
      "%u ms while %s was probed: the GPU or its driver hangs, so software "
      "encoding is used. Look for GPU hangs in the host's kernel log (dmesg: "
      "i915/xe 'GPU HANG'), check the GuC/HuC firmware, or raise "
      GST_QSV_VA_ENV_PROBE_TIMEOUT " if the driver is only slow", driver, timeout_ms,
      path);

  g_free (driver);
  return failed_device (path, GST_QSV_VA_STATUS_DRIVER_HUNG, msg);
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

static GstQsvVaDevice *
probe_failed_device (const gchar * path, const gchar * helper,
    const gchar * what)
{
  gchar *msg = g_strdup_printf ("the VA probe helper %s %s, so %s was not "
      "probed and software encoding is used. Reinstall gst-qsvautoenc (the "
      "helper comes with it), unset " GST_QSV_VA_ENV_PROBE_HELPER ", or, if "
      "the system is out of processes or memory (a container's pids limit), "
      "raise the limit", helper, what, path);

  return failed_device (path, GST_QSV_VA_STATUS_PROBE_FAILED, msg);
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

/* What became of a helper that gave no usable answer. Once a helper has
 * been started the driver is never probed in this process: whatever made
 * the helper fail would hit the application. */
static GstQsvVaDevice *
classify_failure (const gchar * path, const gchar * helper,
    GstQsvVaReap reap, gint status, gboolean in_time, guint timeout_ms,
    const GError * error)
{
  GstQsvVaDevice *dev;
  gchar *how;

  if (!in_time || reap == GST_QSV_VA_STILL_RUNNING)
    return hung_device (path, timeout_ms);
  if (reap == GST_QSV_VA_REAPED_ELSEWHERE)
    return crashed_device (path, "the probe helper ended without an answer; "
        "how is unknown: this application collects its child processes "
        "itself (SIGCHLD ignored, or waitpid(-1))");
  if (WIFSIGNALED (status)) {
    how = g_strdup_printf ("signal %d, %s", WTERMSIG (status),
        g_strsignal (WTERMSIG (status)));
    dev = crashed_device (path, how);
  } else if (WIFEXITED (status) && WEXITSTATUS (status)) {
    /* the driver exit()ed or the helper failed to start it */
    how = g_strdup_printf ("the probe helper exited with status %d without "
        "an answer", WEXITSTATUS (status));
    dev = crashed_device (path, how);
  } else {
    /* A clean exit without a valid answer is not the driver's doing: the
     * helper is not ours (a wrong $QSVAUTOENC_PROBE_HELPER, a partial
     * upgrade) */
    how = g_strdup_printf ("exited without a usable answer (%s)",
        error ? error->message : "none");
    dev = probe_failed_device (path, helper, how);
  }
  g_free (how);
  return dev;
}

GstQsvVaDevice *
gst_qsv_va_probe_device_isolated (const gchar * path)
{
  gchar *helper;
  const gchar *argv[3];
  GError *error = NULL;
  GPid pid;
  gint out_fd, status = 0;
  GString *answer;
  GstQsvVaDevice *dev;
  GstQsvVaReap reap;
  gboolean in_time;
  guint timeout_ms;
  gint64 start, deadline;

  gst_qsv_va_probe_init_debug ();
  if (!gst_qsv_va_probe_is_built ())
    return gst_qsv_va_probe_device_uncached (path);

  /* checked here too: a device that is not a DRM node costs no helper */
  dev = g_new0 (GstQsvVaDevice, 1);
  dev->path = g_strdup (path);
  if (!gst_qsv_va_check_drm_node (path, dev)) {
    GST_INFO ("%s", dev->message);
    return dev;
  }
  gst_qsv_va_device_free (dev);

  helper = find_helper ();
  if (!helper) {
    GST_INFO ("probing %s in this process (no probe helper; set "
        GST_QSV_VA_ENV_PROBE_HELPER ")", path);
    return gst_qsv_va_probe_device_uncached (path);
  }

  start = g_get_monotonic_time ();
  argv[0] = helper;
  argv[1] = path;
  argv[2] = NULL;
  if (!g_spawn_async_with_pipes (NULL, (gchar **) argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
          &pid, NULL, &out_fd, NULL, &error)) {
    /* not probed here either: a machine out of processes or memory is no
     * place to load a GPU driver into the application */
    gchar *what = g_strdup_printf ("could not be started (%s)",
        error->message);
    dev = probe_failed_device (path, helper, what);
    g_free (what);
    goto done;
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

  dev = gst_qsv_va_device_deserialize (answer->str, answer->len, &error);
  if (dev) {
    /* A complete answer stands, whatever happened at exit. */
    g_free (dev->path);
    dev->path = g_strdup (path);
  } else {
    dev = classify_failure (path, helper, reap, status, in_time, timeout_ms,
        error);
  }
  g_string_free (answer, TRUE);

done:
  g_clear_error (&error);
  dev->isolated = TRUE;
  dev->probe_time_us = g_get_monotonic_time () - start;
  GST_DEBUG ("probed %s in %s: %s (%" G_GINT64_FORMAT " us)", path, helper,
      gst_qsv_va_status_nick (dev->status), dev->probe_time_us);
  g_free (helper);
  return dev;
}
