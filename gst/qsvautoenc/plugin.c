/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Registers the plugin's features; all the logic is elsewhere. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>

#include "gstqsvautoenc.h"
#include "gstqsvreporttracer.h"
#include "gstqsvencodercatalog.h"
#include "gstqsvvaprobe.h"

/* The folders GStreamer loads plugins from, as it decides them. */
static gchar **
plugin_dirs (void)
{
  const gchar *vars[] = { "GST_PLUGIN_PATH_1_0", "GST_PLUGIN_PATH",
    "GST_PLUGIN_SYSTEM_PATH_1_0", "GST_PLUGIN_SYSTEM_PATH", NULL
  };
  GString *all = g_string_new (NULL);
  gboolean system_set = FALSE;
  gchar **dirs;
  guint i;

  for (i = 0; vars[i]; i++) {
    const gchar *v = g_getenv (vars[i]);

    if (!v)
      continue;
    g_string_append_printf (all, "%s%s", all->len ? G_SEARCHPATH_SEPARATOR_S :
        "", v);
    system_set |= i >= 2;
  }
  if (!system_set)
    g_string_append_printf (all, "%s%s", all->len ? G_SEARCHPATH_SEPARATOR_S :
        "", QSV_GST_PLUGINS_DIR);
  dirs = g_strsplit (all->str, G_SEARCHPATH_SEPARATOR_S, -1);
  g_string_free (all, TRUE);
  return dirs;
}

/* In the registry scanner only the plugin being scanned is known: whether an
 * encoder is there is told by its plugin's file (the VA probe tells whether
 * the VA ones will register). */
static gboolean
registration_exists (const gchar * name, gpointer user_data)
{
  gchar **dirs = user_data, **d;
  const GstQsvEncoderInfo *info = gst_qsv_catalog_lookup (name);
  gboolean found = FALSE;

  if (gst_qsv_auto_enc_factory_exists (name, NULL))
    return TRUE;
  if (!info)
    return FALSE;
  for (d = dirs; *d && !found; d++) {
    gchar *path = g_build_filename (*d,
        gst_qsv_encoder_info_plugin_file (info), NULL);
    found = **d && g_file_test (path, G_FILE_TEST_EXISTS);
    g_free (path);
  }
  return found;
}

/* What qsvautoenc would use here, for gst-inspect-1.0's description. In the
 * registry scanner other plugins may not be known yet; gst-inspect loads
 * the plugin again with the whole registry, and re-registers. */
static void
probe_for_registration (void)
{
  GstQsvVaProbeResult *probe = gst_qsv_va_probe (NULL,
      GST_QSV_VA_PROBE_FLAG_NONE);
  GstQsvSettings settings;
  GstQsvSelection *sel;
  gchar **dirs = plugin_dirs ();
  gchar *summary;
  gboolean va_memory = FALSE;

  gst_qsv_settings_init (&settings);
  sel = gst_qsv_select (probe, &settings, registration_exists, dirs);
  if (sel->candidates->len > 0) {
    const GstQsvCandidate *c = g_ptr_array_index (sel->candidates, 0);
    const GstQsvVaDevice *dev = gst_qsv_va_probe_result_get_chosen (probe);

    if (gst_qsv_encoder_info_is_hardware (c->info)) {
      summary = g_strdup_printf ("would use %s (hardware) on %s", c->factory,
          c->device ? c->device : "?");
      /* VA memory in: vapostproc in front of the VA encoder, which the va
       * plugin registers where the driver has VideoProc */
      va_memory = dev && dev->video_proc &&
          registration_exists ("vah264enc", dirs);
    } else {
      summary = g_strdup_printf ("would use %s (software; %s)", c->factory,
          probe->message);
    }
  } else {
    summary = g_strdup_printf ("no usable encoder (%s)", probe->message);
  }
  gst_qsv_auto_enc_set_registration_info (summary, va_memory);
  g_free (summary);
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (probe);
  g_strfreev (dirs);
}

static gboolean
plugin_init (GstPlugin * plugin)
{
  const gchar *env_vars[] = { "LIBVA_DRIVER_NAME", "LIBVA_DRIVERS_PATH",
    "QSVAUTOENC_DEVICE", "QSVAUTOENC_DRI_DIR", NULL
  };
  const gchar *kernel_paths[] = { "/dev/dri", NULL };
  const gchar *kernel_names[] = { "renderD", NULL };
  const gchar *plugin_vars[] = { "GST_PLUGIN_SYSTEM_PATH_1_0", NULL };
  const gchar *plugin_paths[] = { QSV_GST_PLUGINS_DIR, NULL };
  const gchar *plugin_files[8] = { NULL };      /* NULL-terminated */
  guint i, n = 0;

  /* re-register (and re-probe) when the GPU or the VA driver changes */
  gst_plugin_add_dependency (plugin, env_vars, kernel_paths, kernel_names,
      GST_PLUGIN_DEPENDENCY_FLAG_FILE_NAME_IS_PREFIX);
#if HAVE_VA
  gst_plugin_add_dependency_simple (plugin, "LIBVA_DRIVERS_PATH",
      QSV_LIBVA_DRIVERS_DIR, "_drv_video.so",
      GST_PLUGIN_DEPENDENCY_FLAG_FILE_NAME_IS_SUFFIX |
      GST_PLUGIN_DEPENDENCY_FLAG_PATHS_ARE_DEFAULT_ONLY);
#endif

  /* ... and when an encoder's plugin is installed or removed */
  for (i = 0; i < gst_qsv_catalog_size () && n < G_N_ELEMENTS (plugin_files) - 1; i++)
    plugin_files[n++] =
        gst_qsv_encoder_info_plugin_file (gst_qsv_catalog_get (i));
  gst_plugin_add_dependency (plugin, plugin_vars, plugin_paths, plugin_files,
      GST_PLUGIN_DEPENDENCY_FLAG_NONE);

  probe_for_registration ();
#ifndef GST_DISABLE_GST_TRACER_HOOKS
  if (!gst_tracer_register (plugin, "qsvautoenc-report",
          GST_TYPE_QSV_REPORT_TRACER))
    return FALSE;
#endif
  return GST_ELEMENT_REGISTER (qsvautoenc, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, qsvautoenc,
    "H.264 encoder choosing Intel QuickSync / VA-API hardware or software",
    plugin_init, VERSION, "LGPL", GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
