/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Registers the plugin's features and what they depend on; the probing
 * behind the element's registration is in gstqsvautoencregister.c. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/gst.h>

#include "gstqsvautoenc.h"
#include "gstqsvreporttracer.h"
#include "gstqsvencodercatalog.h"

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
  const gchar *plugin_files[16] = { NULL };     /* NULL-terminated */
  const GstQsvCatalog *catalogs[] = { gst_qsv_catalog_h264 (),
    gst_qsv_catalog_h265 ()
  };
  guint c, i, n = 0;

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
  for (c = 0; c < G_N_ELEMENTS (catalogs); c++) {
    for (i = 0; i < gst_qsv_catalog_n_encoders (catalogs[c]) &&
        n < G_N_ELEMENTS (plugin_files) - 1; i++) {
      const gchar *file = gst_qsv_encoder_info_plugin_file
          (gst_qsv_catalog_nth (catalogs[c], i));

      if (!g_strv_contains (plugin_files, file))
        plugin_files[n++] = file;
    }
  }
  gst_plugin_add_dependency (plugin, plugin_vars, plugin_paths, plugin_files,
      GST_PLUGIN_DEPENDENCY_FLAG_NONE);

#ifndef GST_DISABLE_GST_TRACER_HOOKS
  if (!gst_tracer_register (plugin, "qsvautoenc-report",
          GST_TYPE_QSV_REPORT_TRACER))
    return FALSE;
#endif
  return GST_ELEMENT_REGISTER (qsvautoenc, plugin) &&
      GST_ELEMENT_REGISTER (qsvautoh265enc, plugin);
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, qsvautoenc,
    "H.264 and H.265 encoders choosing Intel QuickSync / VA-API hardware or "
    "software",
    plugin_init, VERSION, "LGPL", GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
