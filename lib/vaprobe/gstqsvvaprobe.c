/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The probe's entry point: which nodes to probe, the per-process cache, the
 * hung-node file shared between processes, and the choice among several
 * nodes. Each node is probed by gstqsvvaprobe-isolate.c; the record, its
 * nicks and its error domain are in gstqsvvaprobe-device.c, its JSON in
 * gstqsvvaprobe-json.c (gstqsvvaprobe-priv.h draws who calls whom). */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE             /* secure_getenv */
#endif

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvvaprobe.h"
#include "gstqsvvaprobe-priv.h"
#include "gstqsvfile.h"

#include <stdlib.h>
#include <string.h>

#define RENDER_NODE_PREFIX "renderD"
#define RENDER_NODE_FIRST 128
#define RENDER_NODE_LAST 191

static GMutex cache_lock;
static GHashTable *cache;       /* path -> GstQsvVaDevice* */

/* When no node works, the failure worth reporting is the one the user can
 * most likely fix, or that got furthest: a node we may not open could be the
 * GPU, so permission problems come first. */
static const gint failure_rank[] = {
  [GST_QSV_VA_STATUS_OK] = 100,
  [GST_QSV_VA_STATUS_PERMISSION_DENIED] = 11,
  [GST_QSV_VA_STATUS_DRIVER_CRASHED] = 10,
  [GST_QSV_VA_STATUS_DRIVER_HUNG] = 9,
  [GST_QSV_VA_STATUS_PROBE_FAILED] = 9,
  [GST_QSV_VA_STATUS_DRIVER_INIT_FAILED] = 8,
  [GST_QSV_VA_STATUS_NO_H264_ENCODE] = 7,
  [GST_QSV_VA_STATUS_NO_DRIVER] = 6,
  [GST_QSV_VA_STATUS_OPEN_FAILED] = 5,
  [GST_QSV_VA_STATUS_DEVICE_UNAVAILABLE] = 4,
  [GST_QSV_VA_STATUS_NOT_DRM_DEVICE] = 3,
  [GST_QSV_VA_STATUS_NO_DEVICE] = 2,
  [GST_QSV_VA_STATUS_NOT_BUILT] = 1,
};

void
gst_qsv_va_probe_result_free (GstQsvVaProbeResult * result)
{
  if (!result)
    return;
  g_ptr_array_unref (result->devices);
  g_free (result->message);
  g_free (result);
}

GstQsvVaProbeResult *
gst_qsv_va_probe_result_copy (const GstQsvVaProbeResult * result)
{
  GstQsvVaProbeResult *copy = g_memdup2 (result, sizeof (*result));

  copy->message = g_strdup (result->message);
  copy->devices = g_ptr_array_copy (result->devices,
      (GCopyFunc) gst_qsv_va_device_copy, NULL);
  g_ptr_array_set_free_func (copy->devices,
      (GDestroyNotify) gst_qsv_va_device_free);
  return copy;
}

const GstQsvVaDevice *
gst_qsv_va_probe_result_get_chosen (const GstQsvVaProbeResult * result)
{
  if (result->chosen < 0)
    return NULL;
  return g_ptr_array_index (result->devices, result->chosen);
}

/**
 * gst_qsv_va_probe_result_get_for_codec:
 *
 * The device that encodes @codec: for H.264 the chosen one; for another
 * codec the first probed node (in probe order) that has an encode
 * entrypoint for it, whatever its H.264 status (a GPU may encode HEVC and
 * not H.264, or the other way round).
 *
 * Returns: (transfer none) (nullable): the device, or %NULL if none has
 * @codec.
 */
const GstQsvVaDevice *
gst_qsv_va_probe_result_get_for_codec (const GstQsvVaProbeResult * result,
    GstQsvVaCodec codec)
{
  guint i;

  g_return_val_if_fail (codec < GST_QSV_VA_N_CODECS, NULL);
  if (codec == GST_QSV_VA_CODEC_H264)
    return gst_qsv_va_probe_result_get_chosen (result);
  for (i = 0; i < result->devices->len; i++) {
    const GstQsvVaDevice *dev = g_ptr_array_index (result->devices, i);

    if (gst_qsv_va_device_has_codec (dev, codec))
      return dev;
  }
  return NULL;
}

void
gst_qsv_va_probe_clear_cache (void)
{
  g_mutex_lock (&cache_lock);
  g_clear_pointer (&cache, g_hash_table_unref);
  g_mutex_unlock (&cache_lock);
}

/* The hung nodes other processes saw: "REALTIME-US PATH" lines. */
static gchar *
hung_file_path (void)
{
  const gchar *dir = secure_getenv ("XDG_RUNTIME_DIR");

  /* a relative value is to be ignored (XDG Base Directory spec) */
  if (!dir || !g_path_is_absolute (dir))
    dir = g_get_user_runtime_dir ();
  return g_build_filename (dir, GST_QSV_VA_HUNG_FILE, NULL);
}

static gboolean
hung_entry_is_recent (gint64 when, gint64 now)
{
  return when <= now && now - when < GST_QSV_VA_HUNG_RETRY_S * G_USEC_PER_SEC;
}

/* Rewrites the file with the recent entries of other nodes, plus @path if
 * @hung; returns when @path was last seen hung, or -1. Written atomically
 * (g_file_set_contents: a temporary file renamed over it), and only when
 * something changes. */
static gint64
hung_file_update (const gchar * path, gboolean hung, gboolean write)
{
  gchar *file = hung_file_path (), *text = NULL, **lines = NULL, **l;
  GString *out = g_string_new (NULL);
  gint64 now = g_get_real_time (), seen = -1;
  gboolean changed = hung;

  /* the runtime folder may be shared (a mis-set XDG_RUNTIME_DIR): a
   * planted symlink, FIFO, huge file or another user's file is ignored
   * (and replaced at the next write) */
  if (gst_qsv_read_trusted_file (file, 64 * 1024, &text, NULL, NULL))
    lines = g_strsplit (text, "\n", -1);
  for (l = lines; l && *l; l++) {
    gchar *end;
    gint64 when = g_ascii_strtoll (*l, &end, 10);

    if (end == *l || *end != ' ' || !hung_entry_is_recent (when, now)) {
      changed |= **l != '\0';
      continue;
    }
    if (g_strcmp0 (end + 1, path) == 0) {
      seen = when;
      changed = TRUE;
      continue;
    }
    g_string_append_printf (out, "%s\n", *l);
  }
  if (hung)
    g_string_append_printf (out, "%" G_GINT64_FORMAT " %s\n", now, path);
  if (write && changed) {
    GError *error = NULL;

    if (!g_file_set_contents (file, out->str, out->len, &error)) {
      GST_INFO ("cannot write %s: %s", file, error->message);
      g_clear_error (&error);
    }
  }
  g_strfreev (lines);
  g_free (text);
  g_free (file);
  g_string_free (out, TRUE);
  return seen;
}

static GstQsvVaDevice *
hung_elsewhere (const gchar * path)
{
  gint64 seen = hung_file_update (path, FALSE, FALSE);
  GstQsvVaDevice *dev;
  gchar *file;

  if (seen < 0)
    return NULL;
  file = hung_file_path ();
  dev = gst_qsv_va_device_new (path);
  dev->status = GST_QSV_VA_STATUS_DRIVER_HUNG;
  dev->isolated = TRUE;
  dev->message = g_strdup_printf ("the VA driver hung while %s was probed "
      "%" G_GINT64_FORMAT " s ago (remembered in %s), so software encoding "
      "is used and the node is not probed again for %d s. Look for GPU "
      "hangs in the host's kernel log (dmesg: i915/xe 'GPU HANG'); "
      "'qsvautoenc-probe --fresh' probes it now", path,
      (g_get_real_time () - seen) / G_USEC_PER_SEC, file,
      GST_QSV_VA_HUNG_RETRY_S);
  GST_INFO ("%s", dev->message);
  g_free (file);
  return dev;
}

static GstQsvVaDevice *
probe_device_cached (const gchar * path, GstQsvVaProbeFlags flags)
{
  GstQsvVaDevice *device = NULL;

  if (!(flags & GST_QSV_VA_PROBE_FLAG_FRESH)) {
    g_mutex_lock (&cache_lock);
    if (cache && (device = g_hash_table_lookup (cache, path)))
      device = gst_qsv_va_device_copy (device);
    g_mutex_unlock (&cache_lock);
    if (device && (flags & GST_QSV_VA_PROBE_FLAG_RETRY_FAILURES) &&
        device->status != GST_QSV_VA_STATUS_OK &&
        !(device->status == GST_QSV_VA_STATUS_DRIVER_HUNG &&
            g_get_monotonic_time () - device->probed_at <
            GST_QSV_VA_HUNG_RETRY_S * G_TIME_SPAN_SECOND))
      g_clear_pointer (&device, gst_qsv_va_device_free);
    /* a hang seen by another process (each one that loads the plugin
     * probes) costs the time-out once, not once per process */
    if (!device)
      device = hung_elsewhere (path);
    if (device)
      return device;
  }

  /* Probe without the lock held: opening a driver can take a while, and
   * another thread may probe another node meanwhile. */
  device = gst_qsv_va_probe_device_isolated (path);
  device->probed_at = g_get_monotonic_time ();
  hung_file_update (path, device->status == GST_QSV_VA_STATUS_DRIVER_HUNG,
      TRUE);

  g_mutex_lock (&cache_lock);
  if (!cache)
    cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
        (GDestroyNotify) gst_qsv_va_device_free);
  g_hash_table_replace (cache, g_strdup (path),
      gst_qsv_va_device_copy (device));
  g_mutex_unlock (&cache_lock);
  return device;
}

static gint
compare_render_nodes (gconstpointer a, gconstpointer b)
{
  const gchar *na = *(const gchar * const *) a;
  const gchar *nb = *(const gchar * const *) b;

  return (gint) (strtol (na + strlen (RENDER_NODE_PREFIX), NULL, 10) -
      strtol (nb + strlen (RENDER_NODE_PREFIX), NULL, 10));
}

static gboolean
is_render_node_name (const gchar * name)
{
  gchar *end;
  glong n;

  if (!g_str_has_prefix (name, RENDER_NODE_PREFIX))
    return FALSE;
  n = strtol (name + strlen (RENDER_NODE_PREFIX), &end, 10);
  return *end == '\0' && end != name + strlen (RENDER_NODE_PREFIX)
      && n >= RENDER_NODE_FIRST && n <= RENDER_NODE_LAST;
}

/* renderD128..191 in @dir, numerically sorted; NULL with @error
 * (G_FILE_ERROR) if the directory itself cannot be read. */
static GPtrArray *
list_render_nodes (const gchar * dir, GError ** error)
{
  GPtrArray *names, *paths;
  GDir *d;
  const gchar *name;
  guint i;

  d = g_dir_open (dir, 0, error);
  if (!d)
    return NULL;
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (d))) {
    if (is_render_node_name (name))
      g_ptr_array_add (names, g_strdup (name));
  }
  g_dir_close (d);
  g_ptr_array_sort (names, compare_render_nodes);

  paths = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < names->len; i++)
    g_ptr_array_add (paths, g_build_filename (dir,
            (const gchar *) g_ptr_array_index (names, i), NULL));
  g_ptr_array_unref (names);
  return paths;
}

/* No node to probe in @dir: @error says why it could not be listed, or is
 * NULL when it holds none. */
static void
set_no_node_result (GstQsvVaProbeResult * result, const gchar * dir,
    const GError * error)
{
  gboolean noent = g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  gboolean acces = error && error->code == G_FILE_ERROR_ACCES;

  result->status = acces ? GST_QSV_VA_STATUS_PERMISSION_DENIED :
      GST_QSV_VA_STATUS_NO_DEVICE;
  if (noent)
    result->message = g_strdup_printf ("no VA render node: %s does not exist. "
        "No GPU is visible here: pass the render node into the container "
        "(docker run --device /dev/dri/renderD128) or, on Proxmox, add it "
        "to the LXC/VM (docs/PROXMOX_GPU_PASSTHROUGH.md)", dir);
  else if (acces)
    result->message = g_strdup_printf ("cannot list %s: permission denied. "
        "Make the directory readable for this user", dir);
  else
    result->message = g_strdup_printf ("no VA render node: %s holds no "
        "renderD128..191 node. Pass the render node into the container "
        "(docker run --device /dev/dri/renderD128) or load the GPU's kernel "
        "driver (i915 or xe) on the host", dir);
}

/* The chosen device is the first usable one; failing that, the failure
 * most worth reporting. */
static void
choose_device (GstQsvVaProbeResult * result)
{
  const GstQsvVaDevice *best = NULL;
  guint i;

  for (i = 0; i < result->devices->len; i++) {
    const GstQsvVaDevice *dev = g_ptr_array_index (result->devices, i);

    if (dev->status == GST_QSV_VA_STATUS_OK) {
      result->chosen = i;
      best = dev;
      break;
    }
    if (!best || failure_rank[dev->status] > failure_rank[best->status])
      best = dev;
  }
  result->status = best->status;
  if (result->devices->len > 1 && best->status != GST_QSV_VA_STATUS_OK)
    result->message = g_strdup_printf ("none of %u render nodes can encode "
        "H.264; %s", result->devices->len, best->message);
  else
    result->message = g_strdup (best->message);
}

/**
 * gst_qsv_va_probe:
 * @device: (nullable): a render node path, "auto" or %NULL to enumerate
 * @flags: %GST_QSV_VA_PROBE_FLAG_FRESH to bypass the per-device cache
 *
 * Probes an explicit node (or $QSVAUTOENC_DEVICE), else every render node of
 * /dev/dri (or $QSVAUTOENC_DRI_DIR) in order, stopping at the first that can
 * encode H.264. Safe to call from any thread; never blocks on a lock while
 * libva runs.
 *
 * Returns: (transfer full): the result, free with gst_qsv_va_probe_result_free()
 */
GstQsvVaProbeResult *
gst_qsv_va_probe (const gchar * device, GstQsvVaProbeFlags flags)
{
  GstQsvVaProbeResult *result = g_new0 (GstQsvVaProbeResult, 1);
  GPtrArray *paths;
  const gchar *dir;
  GError *error = NULL;
  guint i;

  result->chosen = -1;
  result->devices =
      g_ptr_array_new_with_free_func ((GDestroyNotify) gst_qsv_va_device_free);

  if (!gst_qsv_va_probe_is_built ()) {
    g_ptr_array_add (result->devices, gst_qsv_va_probe_device_uncached (NULL));
    choose_device (result);
    return result;
  }

  if (!device || !*device || g_strcmp0 (device, "auto") == 0)
    device = g_getenv (GST_QSV_VA_ENV_DEVICE);
  if (device && *device && g_strcmp0 (device, "auto") != 0) {
    result->explicit_device = TRUE;
    g_ptr_array_add (result->devices, probe_device_cached (device, flags));
    choose_device (result);
    return result;
  }

  dir = g_getenv (GST_QSV_VA_ENV_DRI_DIR);
  if (!dir || !*dir)
    dir = GST_QSV_VA_DEFAULT_DRI_DIR;
  paths = list_render_nodes (dir, &error);
  if (!paths || paths->len == 0) {
    set_no_node_result (result, dir, error);
    g_clear_error (&error);
    g_clear_pointer (&paths, g_ptr_array_unref);
    return result;
  }
  for (i = 0; i < paths->len; i++) {
    GstQsvVaDevice *dev =
        probe_device_cached (g_ptr_array_index (paths, i), flags);

    g_ptr_array_add (result->devices, dev);
    if (dev->status == GST_QSV_VA_STATUS_OK)
      break;
  }
  g_ptr_array_unref (paths);
  choose_device (result);
  return result;
}
