/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Registration of the qsvautoenc (H.264) and qsvautoh265enc (H.265)
 * elements: what this machine would use
 * (probe and selection, as at NULL->READY), handed to the element's class
 * as class data (GTypeInfo.class_data), like gst-plugins-bad's va plugin
 * registers each device's encoders (sys/va/gstvah264enc.c,
 * gst_va_h264_enc_register). */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc.h"
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
  const GstQsvEncoderInfo *info = gst_qsv_catalog_find (gst_qsv_catalog_h264
      (), name);
  gboolean found = FALSE;

  if (gst_qsv_auto_enc_factory_exists (name, NULL))
    return TRUE;
  if (!info)
    info = gst_qsv_catalog_find (gst_qsv_catalog_h265 (), name);
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
static GstQsvAutoEncClassData *
probe_for_registration (gint codec)
{
  const GstQsvCatalog *catalog = codec == GST_QSV_AUTO_ENC_H265 ?
      gst_qsv_catalog_h265 () : gst_qsv_catalog_h264 ();
  GstQsvAutoEncClassData *cdata = g_new0 (GstQsvAutoEncClassData, 1);
  GstQsvVaProbeResult *probe = gst_qsv_va_probe (NULL,
      GST_QSV_VA_PROBE_FLAG_NONE);
  GstQsvSettings settings;
  GstQsvSelection *sel;
  gchar **dirs = plugin_dirs ();

  cdata->codec = codec;
  gst_qsv_settings_init (&settings);
  sel = gst_qsv_catalog_select (catalog, probe, &settings,
      registration_exists, dirs);
  if (sel->candidates->len > 0) {
    const GstQsvCandidate *c = g_ptr_array_index (sel->candidates, 0);
    const GstQsvVaDevice *dev = gst_qsv_va_probe_result_get_for_codec (probe,
        codec == GST_QSV_AUTO_ENC_H265 ? GST_QSV_VA_CODEC_H265 :
        GST_QSV_VA_CODEC_H264);

    if (gst_qsv_encoder_info_is_hardware (c->info)) {
      cdata->summary = g_strdup_printf ("would use %s (hardware) on %s",
          c->factory, c->device ? c->device : "?");
      /* VA memory in: vapostproc in front of the VA encoder, which the va
       * plugin registers where the driver has VideoProc */
      cdata->va_memory = dev && dev->video_proc &&
          registration_exists (codec == GST_QSV_AUTO_ENC_H265 ? "vah265enc" :
          "vah264enc", dirs);
    } else {
      cdata->summary = g_strdup_printf ("would use %s (software; %s)",
          c->factory, probe->message);
    }
  } else {
    cdata->summary = g_strdup_printf ("no usable encoder (%s)",
        probe->message);
  }
  gst_qsv_selection_free (sel);
  gst_qsv_va_probe_result_free (probe);
  g_strfreev (dirs);
  return cdata;
}

/* Both at PRIMARY+1, above x264enc and x265enc (PRIMARY): encodebin and
 * any rank-based autoplugging pick them for video/x-h264 and video/x-h265 */
static gboolean
register_codec (GstPlugin * plugin, gint codec, const gchar * name)
{
  GType type = gst_qsv_auto_enc_register_type (probe_for_registration
      (codec));

  return gst_element_register (plugin, name, GST_RANK_PRIMARY + 1, type);
}

static gboolean
qsv_auto_enc_register (GstPlugin * plugin)
{
  return register_codec (plugin, GST_QSV_AUTO_ENC_H264, "qsvautoenc");
}

static gboolean
qsv_auto_h265_enc_register (GstPlugin * plugin)
{
  return register_codec (plugin, GST_QSV_AUTO_ENC_H265, "qsvautoh265enc");
}

GST_ELEMENT_REGISTER_DEFINE_CUSTOM (qsvautoenc, qsv_auto_enc_register);
GST_ELEMENT_REGISTER_DEFINE_CUSTOM (qsvautoh265enc, qsv_auto_h265_enc_register);
