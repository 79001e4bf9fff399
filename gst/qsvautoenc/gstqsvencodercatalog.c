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

#include "gstqsvencodercatalog-priv.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

G_DEFINE_QUARK (gst-qsv-catalog-error-quark, gst_qsv_catalog_error);

GType
gst_qsv_rate_control_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_QSV_RATE_CONTROL_AUTO, "Constant bitrate where the encoder offers it, "
          "else variable bitrate, else constant QP", "auto"},
    {GST_QSV_RATE_CONTROL_CBR, "Constant bitrate (bitrate)", "cbr"},
    {GST_QSV_RATE_CONTROL_VBR, "Variable bitrate (bitrate is the target; "
          "x264enc: quality qp capped at bitrate)", "vbr"},
    {GST_QSV_RATE_CONTROL_CQP, "Constant quantizer (qp)", "cqp"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstQsvAutoEncRateControl", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

const gchar *
gst_qsv_rate_control_nick (GstQsvRateControl rc)
{
  static const gchar *const nicks[] = { "auto", "cbr", "vbr", "cqp" };

  g_return_val_if_fail (rc <= GST_QSV_RATE_CONTROL_CQP, "?");
  return nicks[rc];
}

void
gst_qsv_settings_init (GstQsvSettings * s)
{
  memset (s, 0, sizeof (*s));
  s->bitrate = GST_QSV_DEFAULT_BITRATE;
  s->rate_control = GST_QSV_RATE_CONTROL_AUTO;
  s->qp = GST_QSV_DEFAULT_QP;
  s->target_usage = GST_QSV_DEFAULT_TARGET_USAGE;
  s->encoder = "auto";
}

/* ---------------------------------------------------------------------- */
/* A catalog and its rows                                                 */

const GstQsvCatalog *
gst_qsv_catalog_h264 (void)
{
  return &gst_qsv_catalog_h264_table;
}

const GstQsvCatalog *
gst_qsv_catalog_h265 (void)
{
  return &gst_qsv_catalog_h265_table;
}

const gchar *
gst_qsv_catalog_caps_name (const GstQsvCatalog * catalog)
{
  return catalog->caps_name;
}

guint
gst_qsv_catalog_n_encoders (const GstQsvCatalog * catalog)
{
  return catalog->n_rows;
}

const GstQsvEncoderInfo *
gst_qsv_catalog_nth (const GstQsvCatalog * catalog, guint index)
{
  g_return_val_if_fail (index < catalog->n_rows, NULL);
  return &catalog->rows[index];
}

const GstQsvEncoderInfo *
gst_qsv_catalog_find (const GstQsvCatalog * catalog, const gchar * factory)
{
  guint i;

  for (i = 0; i < catalog->n_rows; i++) {
    if (g_strcmp0 (catalog->rows[i].factory, factory) == 0)
      return &catalog->rows[i];
  }
  return NULL;
}

/* Is @factory @info's name for some node: prefix, a node name, suffix? */
static gboolean
is_node_factory (const GstQsvEncoderInfo * info, const gchar * factory)
{
  gsize len = strlen (factory), pre, suf;

  if (!info->node_prefix)
    return FALSE;
  pre = strlen (info->node_prefix);
  suf = strlen (info->node_suffix);
  return len > pre + suf && g_str_has_prefix (factory, info->node_prefix) &&
      g_str_has_suffix (factory, info->node_suffix);
}

const GstQsvEncoderInfo *
gst_qsv_catalog_find_factory (const GstQsvCatalog * catalog,
    const gchar * factory)
{
  const GstQsvEncoderInfo *info;
  guint i;

  if (!factory)
    return NULL;
  if ((info = gst_qsv_catalog_find (catalog, factory)))
    return info;
  for (i = 0; i < catalog->n_rows; i++) {
    if (is_node_factory (&catalog->rows[i], factory))
      return &catalog->rows[i];
  }
  return NULL;
}

gchar *
gst_qsv_catalog_list_factories (const GstQsvCatalog * catalog,
    const gchar * separator)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < catalog->n_rows; i++)
    g_string_append_printf (s, "%s%s", i ? separator : "",
        catalog->rows[i].factory);
  return g_string_free (s, FALSE);
}

gchar *
gst_qsv_catalog_list_missing (const GstQsvCatalog * catalog,
    GstQsvFactoryExists exists, gpointer user_data)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < catalog->n_rows; i++) {
    const GstQsvEncoderInfo *info = &catalog->rows[i];

    if (info->hardware || exists (info->factory, user_data))
      continue;
    if (strstr (s->str, info->package))
      continue;
    g_string_append_printf (s, "%s%s (%s)", s->len ? ", " : "",
        info->package, info->factory);
  }
  return g_string_free (s, FALSE);
}

/* The H.264 shorthands */

const GstQsvEncoderInfo *
gst_qsv_catalog_lookup (const gchar * factory)
{
  return gst_qsv_catalog_find (gst_qsv_catalog_h264 (), factory);
}

guint
gst_qsv_catalog_size (void)
{
  return gst_qsv_catalog_n_encoders (gst_qsv_catalog_h264 ());
}

const GstQsvEncoderInfo *
gst_qsv_catalog_get (guint index)
{
  return gst_qsv_catalog_nth (gst_qsv_catalog_h264 (), index);
}

gchar *
gst_qsv_catalog_factory_names (const gchar * separator)
{
  return gst_qsv_catalog_list_factories (gst_qsv_catalog_h264 (), separator);
}

gchar *
gst_qsv_catalog_missing_packages (GstQsvFactoryExists exists,
    gpointer user_data)
{
  return gst_qsv_catalog_list_missing (gst_qsv_catalog_h264 (), exists,
      user_data);
}

GstQsvSelection *
gst_qsv_select (const GstQsvVaProbeResult * probe,
    const GstQsvSettings * settings, GstQsvFactoryExists exists,
    gpointer user_data)
{
  return gst_qsv_catalog_select (gst_qsv_catalog_h264 (), probe, settings,
      exists, user_data);
}

const gchar *
gst_qsv_encoder_info_factory (const GstQsvEncoderInfo * info)
{
  return info->factory;
}

gboolean
gst_qsv_encoder_info_is_hardware (const GstQsvEncoderInfo * info)
{
  return info->hardware;
}

gboolean
gst_qsv_encoder_info_numbers_devices (const GstQsvEncoderInfo * info)
{
  return info->indexed_prefix != NULL;
}

gboolean
gst_qsv_encoder_info_renumbers_pts (const GstQsvEncoderInfo * info)
{
  return info->renumbers_pts;
}

const gchar *
gst_qsv_encoder_info_package (const GstQsvEncoderInfo * info)
{
  return info->package;
}

const gchar *
gst_qsv_encoder_info_plugin_file (const GstQsvEncoderInfo * info)
{
  return info->plugin_file;
}

const gchar *
gst_qsv_encoder_info_property (const GstQsvEncoderInfo * info,
    GstQsvSetting setting)
{
  const GstQsvPropertyMap *m;

  for (m = info->map; m->kind != GST_QSV_MAP_END; m++) {
    if (m->setting == setting && m->property)
      return m->property;
  }
  return NULL;
}

const gchar *
gst_qsv_encoder_info_bitrate_property (const GstQsvEncoderInfo * info)
{
  return gst_qsv_encoder_info_property (info, GST_QSV_SETTING_BITRATE);
}

const gchar **
gst_qsv_encoder_info_properties (const GstQsvEncoderInfo * info)
{
  GPtrArray *names = g_ptr_array_new ();
  const GstQsvPropertyMap *m;

  for (m = info->map; m->kind != GST_QSV_MAP_END; m++) {
    if (m->property)
      g_ptr_array_add (names, (gpointer) m->property);
  }
  g_ptr_array_add (names, NULL);
  return (const gchar **) g_ptr_array_free (names, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Factory names per device                                               */

/* The name of the node @path is, following links (a udev link such as
 * /dev/dri/by-path/pci-...-render points at ../renderD129): upstream names
 * a node's factory after it. (Not realpath(): umockdev's wrapper of it
 * corrupts the heap in the tests.) */
static gchar *
node_name (const gchar * path)
{
  gchar *cur = g_strdup (path);
  guint hops;

  for (hops = 0; hops < 8 && g_file_test (cur, G_FILE_TEST_IS_SYMLINK);
      hops++) {
    gchar *target = g_file_read_link (cur, NULL), *next;

    if (!target)
      break;
    if (g_path_is_absolute (target)) {
      next = target;
    } else {
      gchar *dir = g_path_get_dirname (cur);

      next = g_build_filename (dir, target, NULL);
      g_free (dir);
      g_free (target);
    }
    g_free (cur);
    cur = next;
  }
  {
    gchar *base = g_path_get_basename (cur);

    g_free (cur);
    return base;
  }
}

gchar *
gst_qsv_encoder_info_node_factory (const GstQsvEncoderInfo * info,
    const gchar * device)
{
  gchar *base, *name;

  if (!info->node_prefix || !device)
    return NULL;
  base = node_name (device);
  name = g_strconcat (info->node_prefix, base, info->node_suffix, NULL);
  g_free (base);
  return name;
}

gchar *
gst_qsv_encoder_info_indexed_factory (const GstQsvEncoderInfo * info,
    guint index)
{
  if (!info->indexed_prefix)
    return NULL;
  if (index == 0)
    return g_strdup (info->factory);
  return g_strdup_printf ("%s%u%s", info->indexed_prefix, index,
      info->indexed_suffix);
}

/**
 * gst_qsv_same_node:
 *
 * Whether two paths name the same render node (the same string, the same
 * character device, or the same file).
 */
gboolean
gst_qsv_same_node (const gchar * a, const gchar * b)
{
  GStatBuf sa, sb;

  if (g_strcmp0 (a, b) == 0)
    return TRUE;
  if (g_stat (a, &sa) != 0 || g_stat (b, &sb) != 0)
    return FALSE;
  if (S_ISCHR (sa.st_mode) && S_ISCHR (sb.st_mode))
    return sa.st_rdev == sb.st_rdev;
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
