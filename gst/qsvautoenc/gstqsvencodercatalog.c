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

#include "gstqsvencodercatalog.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

/* Which VA entrypoint a hardware encoder drives. */
typedef enum
{
  NEEDS_NOTHING,                /* software */
  NEEDS_ENC_SLICE,
  NEEDS_ENC_SLICE_LP,
  NEEDS_ANY_ENTRYPOINT,         /* vaapih264enc: EncSlice, or EncSliceLP with tune=low-power */
  NEEDS_INTEL_ANY_ENTRYPOINT,   /* qsvh264enc: oneVPL runs on Intel GPUs only */
} GstQsvNeeds;

typedef void (*GstQsvMapFunc) (const GstQsvCandidate * c,
    const GstQsvSettings * s, GPtrArray * out, GPtrArray * warnings);

struct _GstQsvEncoderInfo
{
  const gchar *factory;
  gboolean hardware;
  GstQsvNeeds needs;
  guint software_modes;         /* rate-control modes of a software encoder */
  const gchar *package;         /* Debian package that ships the factory */
  const gchar *plugin_file;     /* the GStreamer plugin that registers it */
  const gchar *bitrate_property;
  guint bitrate_scale;          /* kbit/s -> the property's unit */
  GstQsvMapFunc map;
  /* output PTS = first PTS + frame duration x frames taken, whatever the
   * input's were (gstvah264enc.c gst_va_h264_enc_prepare_output, 1.22) */
  gboolean renumbers_pts;
};

static void map_x264 (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, GPtrArray * warnings);
static void map_va (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, GPtrArray * warnings);
static void map_qsv (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, GPtrArray * warnings);
static void map_vaapi (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, GPtrArray * warnings);
static void map_openh264 (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, GPtrArray * warnings);

#define RC_ALL ((1 << GST_QSV_RATE_CONTROL_CBR) | \
    (1 << GST_QSV_RATE_CONTROL_VBR) | (1 << GST_QSV_RATE_CONTROL_CQP))

/* Best first: the order in which qsvautoenc tries them. */
static const GstQsvEncoderInfo catalog[] = {
  {"qsvh264enc", TRUE, NEEDS_INTEL_ANY_ENTRYPOINT, 0,
      "gstreamer1.0-plugins-bad (built with oneVPL)", "libgstqsv.so", "bitrate", 1, map_qsv},
  {"vah264enc", TRUE, NEEDS_ENC_SLICE, 0,
      "gstreamer1.0-plugins-bad", "libgstva.so", "bitrate", 1, map_va, TRUE},
  {"vah264lpenc", TRUE, NEEDS_ENC_SLICE_LP, 0,
      "gstreamer1.0-plugins-bad", "libgstva.so", "bitrate", 1, map_va, TRUE},
  {"vaapih264enc", TRUE, NEEDS_ANY_ENTRYPOINT, 0,
      "gstreamer1.0-vaapi", "libgstvaapi.so", "bitrate", 1, map_vaapi},
  {"x264enc", FALSE, NEEDS_NOTHING, RC_ALL,
      "gstreamer1.0-plugins-ugly", "libgstx264.so", "bitrate", 1, map_x264},
  {"openh264enc", FALSE, NEEDS_NOTHING,
        (1 << GST_QSV_RATE_CONTROL_CBR) | (1 << GST_QSV_RATE_CONTROL_VBR),
      "gstreamer1.0-plugins-bad", "libgstopenh264.so", "bitrate", 1000,
      map_openh264},
};

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

guint
gst_qsv_catalog_size (void)
{
  return G_N_ELEMENTS (catalog);
}

const GstQsvEncoderInfo *
gst_qsv_catalog_get (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (catalog), NULL);
  return &catalog[index];
}

const GstQsvEncoderInfo *
gst_qsv_catalog_lookup (const gchar * factory)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (catalog); i++) {
    if (g_strcmp0 (catalog[i].factory, factory) == 0)
      return &catalog[i];
  }
  return NULL;
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
gst_qsv_encoder_info_bitrate_property (const GstQsvEncoderInfo * info)
{
  return info->bitrate_property;
}

gchar *
gst_qsv_catalog_factory_names (const gchar * separator)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (catalog); i++)
    g_string_append_printf (s, "%s%s", i ? separator : "", catalog[i].factory);
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Selection                                                              */

static void
candidate_free (GstQsvCandidate * c)
{
  g_free (c->factory);
  g_free (c->device);
  g_free (c->note);
  g_free (c);
}

static void
rejection_free (GstQsvRejection * r)
{
  g_free (r->factory);
  g_free (r->reason);
  g_free (r);
}

void
gst_qsv_selection_free (GstQsvSelection * selection)
{
  if (!selection)
    return;
  g_ptr_array_unref (selection->candidates);
  g_ptr_array_unref (selection->rejected);
  g_free (selection);
}

void
gst_qsv_selection_reject (GstQsvSelection * selection, const gchar * factory,
    const gchar * reason)
{
  GstQsvRejection *r = g_new0 (GstQsvRejection, 1);

  r->factory = g_strdup (factory);
  r->reason = g_strdup (reason);
  g_ptr_array_add (selection->rejected, r);
}

/* VA_RC_* bits -> our modes, as a 1 << GstQsvRateControl mask */
static guint
modes_from_va (guint va_rc)
{
  guint modes = 0;

  if (va_rc & GST_QSV_VA_RC_CBR)
    modes |= 1 << GST_QSV_RATE_CONTROL_CBR;
  if (va_rc & GST_QSV_VA_RC_VBR)
    modes |= 1 << GST_QSV_RATE_CONTROL_VBR;
  if (va_rc & GST_QSV_VA_RC_CQP)
    modes |= 1 << GST_QSV_RATE_CONTROL_CQP;
  return modes;
}

/* The requested mode if @modes has it; for auto the first of cbr, vbr, cqp;
 * AUTO (0) when there is none. */
static GstQsvRateControl
resolve_rate_control (GstQsvRateControl requested, guint modes)
{
  GstQsvRateControl rc;

  if (requested != GST_QSV_RATE_CONTROL_AUTO)
    return (modes & (1 << requested)) ? requested : GST_QSV_RATE_CONTROL_AUTO;
  for (rc = GST_QSV_RATE_CONTROL_CBR; rc <= GST_QSV_RATE_CONTROL_CQP; rc++) {
    if (modes & (1 << rc))
      return rc;
  }
  return GST_QSV_RATE_CONTROL_AUTO;
}

static gchar *
modes_to_string (guint modes)
{
  GString *s = g_string_new (NULL);
  GstQsvRateControl rc;

  for (rc = GST_QSV_RATE_CONTROL_CBR; rc <= GST_QSV_RATE_CONTROL_CQP; rc++) {
    if (modes & (1 << rc))
      g_string_append_printf (s, "%s%s", s->len ? "," : "",
          gst_qsv_rate_control_nick (rc));
  }
  if (!s->len)
    g_string_append (s, "none");
  return g_string_free (s, FALSE);
}

/* Checks what a hardware row needs against the probed device. Returns the
 * rejection reason, or NULL and fills @c. */
static gchar *
check_hardware (const GstQsvEncoderInfo * info, const GstQsvVaDevice * dev,
    const GstQsvSettings * s, GstQsvCandidate * c)
{
  gboolean has_slice, has_lp;
  guint modes = 0;
  gchar *avail, *reason;

  has_slice = gst_qsv_va_device_has_entrypoint (dev, GST_QSV_VA_ENC_SLICE);
  has_lp = gst_qsv_va_device_has_entrypoint (dev, GST_QSV_VA_ENC_SLICE_LP);
  switch (info->needs) {
    case NEEDS_ENC_SLICE:
      if (!has_slice)
        return g_strdup_printf ("%s has no EncSlice (full-power) H.264 "
            "encode entrypoint%s", dev->path, has_lp ? " (only EncSliceLP)" :
            "");
      modes = modes_from_va (gst_qsv_va_device_rate_control (dev,
              GST_QSV_VA_ENC_SLICE));
      break;
    case NEEDS_ENC_SLICE_LP:
      if (!has_lp)
        return g_strdup_printf ("%s has no EncSliceLP (low-power) H.264 "
            "encode entrypoint", dev->path);
      modes = modes_from_va (gst_qsv_va_device_rate_control (dev,
              GST_QSV_VA_ENC_SLICE_LP));
      break;
    case NEEDS_INTEL_ANY_ENTRYPOINT:
      if (!dev->vendor || !strstr (dev->vendor, "Intel"))
        return g_strdup_printf ("needs an Intel GPU; %s is '%s'", dev->path,
            dev->vendor ? dev->vendor : "unknown");
      /* fall through */
    case NEEDS_ANY_ENTRYPOINT:
      if (has_slice)
        modes = modes_from_va (gst_qsv_va_device_rate_control (dev,
                GST_QSV_VA_ENC_SLICE));
      c->rate_control = resolve_rate_control (s->rate_control, modes);
      if (c->rate_control == GST_QSV_RATE_CONTROL_AUTO && has_lp) {
        /* the full-power path can't do it: the low-power one may */
        modes = modes_from_va (gst_qsv_va_device_rate_control (dev,
                GST_QSV_VA_ENC_SLICE_LP));
        c->low_power_entrypoint = TRUE;
      }
      break;
    case NEEDS_NOTHING:
      g_assert_not_reached ();
  }

  c->rate_control = resolve_rate_control (s->rate_control, modes);
  if (c->rate_control != GST_QSV_RATE_CONTROL_AUTO)
    return NULL;

  avail = modes_to_string (modes);
  reason = g_strdup_printf ("rate-control=%s is not offered by %s on %s "
      "(it offers %s; low-power CBR/VBR need the HuC firmware)",
      gst_qsv_rate_control_nick (s->rate_control),
      c->low_power_entrypoint || info->needs == NEEDS_ENC_SLICE_LP ?
      "EncSliceLP" : "EncSlice", dev->path, avail);
  g_free (avail);
  return reason;
}

/* The va plugin (1.22 sys/va/gstvadevice.c gst_va_device_find_devices)
 * numbers the render nodes on which a VA display opens, in path order, and
 * gstvah264enc.c gst_va_h264_enc_register names the encoder of index 0
 * "vah264enc" / "vah264lpenc", the others "va<node>h264enc", e.g.
 * "varenderD129h264enc". Which node is index 0 depends on where VA opens,
 * so: the per-node name where it exists, else the plain one (the bin then
 * checks the element's device-path against the node). qsvh264enc has no
 * node in its names (gstqsvh264enc.cpp gst_qsv_h264_enc_register:
 * "qsvh264enc", then "qsvh264device1enc" ...): the bin finds the one whose
 * device-path is the node. */
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

static gchar *
device_factory_name (const GstQsvEncoderInfo * info, const GstQsvVaDevice * dev,
    GstQsvFactoryExists exists, gpointer user_data)
{
  gchar *base, *name;

  if (!g_str_has_prefix (info->factory, "va") ||
      g_str_has_prefix (info->factory, "vaapi") || !dev || !dev->path)
    return g_strdup (info->factory);
  base = node_name (dev->path);
  name = g_strdup_printf ("va%s%s", base, info->factory + 2);
  g_free (base);
  if (exists (name, user_data))
    return name;
  g_free (name);
  return g_strdup (info->factory);
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

/* vaapih264enc has no device property: gstreamer-vaapi opens
 * $GST_VAAPI_DRM_DEVICE, else the first render node (in udev's order) on
 * which VA initialises. It is a candidate only where that is the probed
 * device, so that the report never names a device it does not run on. */
static gchar *
check_vaapi_device (const GstQsvVaProbeResult * probe,
    const GstQsvVaDevice * dev)
{
  const gchar *env = g_getenv ("GST_VAAPI_DRM_DEVICE");
  gint i;

  if (env && *env) {
    if (gst_qsv_same_node (env, dev->path))
      return NULL;
    return g_strdup_printf ("opens GST_VAAPI_DRM_DEVICE=%s, not the probed "
        "%s", env, dev->path);
  }
  for (i = 0; i < probe->chosen && i < (gint) probe->devices->len; i++) {
    const GstQsvVaDevice *d = g_ptr_array_index (probe->devices, i);

    /* VA works there (only H.264 encode is missing): gstreamer-vaapi
     * would take it */
    if (d->status == GST_QSV_VA_STATUS_NO_H264_ENCODE)
      return g_strdup_printf ("would open %s (gstreamer-vaapi takes the "
          "first render node where VA works), not %s: set "
          "GST_VAAPI_DRM_DEVICE=%s", d->path, dev->path, dev->path);
  }
  if (probe->explicit_device && !g_str_has_suffix (dev->path, "/renderD128"))
    return g_strdup_printf ("picks its own render node (the first where VA "
        "works), which may not be %s: set GST_VAAPI_DRM_DEVICE=%s to use it "
        "there", dev->path, dev->path);
  return NULL;
}

static gchar *
check_candidate (const GstQsvEncoderInfo * info,
    const GstQsvVaProbeResult * probe, const GstQsvSettings * s,
    GstQsvFactoryExists exists, gpointer user_data, GstQsvCandidate * c)
{
  const GstQsvVaDevice *dev = probe ?
      gst_qsv_va_probe_result_get_chosen (probe) : NULL;

  c->info = info;
  if (!info->hardware) {
    if (!exists (info->factory, user_data))
      return g_strdup_printf ("not installed (Debian package %s)",
          info->package);
    c->factory = g_strdup (info->factory);
    c->rate_control = resolve_rate_control (s->rate_control,
        info->software_modes);
    if (c->rate_control == GST_QSV_RATE_CONTROL_AUTO)
      return g_strdup_printf ("has no rate-control=%s mode",
          gst_qsv_rate_control_nick (s->rate_control));
    return NULL;
  }

  if (!dev)
    return g_strdup_printf ("no usable VA device (%s)", probe ?
        gst_qsv_va_status_nick (probe->status) : "not-built");
  c->factory = device_factory_name (info, dev, exists, user_data);
  c->device = g_strdup (dev->path);
  if (!exists (c->factory, user_data))
    return g_strdup_printf ("not registered (Debian package %s; GStreamer "
        "registers it only where the VA driver offers H.264 encode)",
        info->package);
  if (g_str_equal (info->factory, "vaapih264enc")) {
    gchar *reason = check_vaapi_device (probe, dev);

    if (reason)
      return reason;
  }
  return check_hardware (info, dev, s, c);
}

/**
 * gst_qsv_select:
 * @probe: (nullable): the VA probe result, %NULL if VA is not built
 * @settings: the uniform settings (rate-control and the forced encoder
 *   matter here)
 * @exists: tells whether a factory is installed
 *
 * Returns: (transfer full): the usable candidates, best first, and every
 * other catalog row with the reason it was not chosen.
 */
GstQsvSelection *
gst_qsv_select (const GstQsvVaProbeResult * probe,
    const GstQsvSettings * settings, GstQsvFactoryExists exists,
    gpointer user_data)
{
  GstQsvSelection *sel = g_new0 (GstQsvSelection, 1);
  gboolean forced = settings->encoder && g_strcmp0 (settings->encoder,
      "auto") != 0;
  guint i;

  sel->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify)
      candidate_free);
  sel->rejected = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rejection_free);

  for (i = 0; i < G_N_ELEMENTS (catalog); i++) {
    const GstQsvEncoderInfo *info = &catalog[i];
    GstQsvCandidate *c;
    gchar *reason;

    if (forced && g_strcmp0 (settings->encoder, info->factory) != 0) {
      gchar *why = g_strdup_printf ("not requested (encoder=%s)",
          settings->encoder);
      gst_qsv_selection_reject (sel, info->factory, why);
      g_free (why);
      continue;
    }
    c = g_new0 (GstQsvCandidate, 1);
    reason = check_candidate (info, probe, settings, exists, user_data, c);
    if (reason) {
      gst_qsv_selection_reject (sel, info->factory, reason);
      g_free (reason);
      candidate_free (c);
      continue;
    }
    if (settings->rate_control == GST_QSV_RATE_CONTROL_AUTO &&
        c->rate_control != GST_QSV_RATE_CONTROL_CBR)
      c->note = g_strdup_printf ("rate-control=auto resolves to %s: the "
          "encoder offers no cbr", gst_qsv_rate_control_nick (c->rate_control));
    g_ptr_array_add (sel->candidates, c);
  }
  return sel;
}

gchar *
gst_qsv_catalog_missing_packages (GstQsvFactoryExists exists,
    gpointer user_data)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (catalog); i++) {
    if (catalog[i].hardware || exists (catalog[i].factory, user_data))
      continue;
    if (strstr (s->str, catalog[i].package))
      continue;
    g_string_append_printf (s, "%s%s (%s)", s->len ? ", " : "",
        catalog[i].package, catalog[i].factory);
  }
  return g_string_free (s, FALSE);
}

/* ---------------------------------------------------------------------- */
/* Mapping                                                                */

void
gst_qsv_assignment_free (GstQsvAssignment * a)
{
  g_free (a->value);
  g_free (a);
}

static void
assign (GPtrArray * out, const gchar * name, gchar * value)
{
  GstQsvAssignment *a = g_new0 (GstQsvAssignment, 1);

  a->name = name;
  a->value = value;
  g_ptr_array_add (out, a);
}

static void
assign_uint (GPtrArray * out, const gchar * name, guint value)
{
  assign (out, name, g_strdup_printf ("%u", value));
}

static void
assign_str (GPtrArray * out, const gchar * name, const gchar * value)
{
  assign (out, name, g_strdup (value));
}

/* low-latency means no B-frames on every encoder */
static guint
effective_b_frames (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * warnings)
{
  if (s->low_latency && s->b_frames > 0) {
    g_ptr_array_add (warnings, g_strdup_printf ("b-frames=%u ignored on %s: "
            "low-latency encodes without B-frames", s->b_frames,
            c->info->factory));
    return 0;
  }
  return s->b_frames;
}

static void
map_bitrate_or_qp (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, const gchar * const *qp_props)
{
  if (c->rate_control == GST_QSV_RATE_CONTROL_CQP) {
    for (; *qp_props; qp_props++)
      assign_uint (out, *qp_props, s->qp);
  } else {
    assign_uint (out, c->info->bitrate_property,
        s->bitrate * c->info->bitrate_scale);
  }
}

static void
warn_cqp_ignores_bitrate (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * warnings)
{
  if (c->rate_control == GST_QSV_RATE_CONTROL_CQP && s->bitrate_set &&
      s->rate_control == GST_QSV_RATE_CONTROL_AUTO)
    g_ptr_array_add (warnings, g_strdup_printf ("bitrate=%u ignored: %s "
            "offers only constant QP here, encoding with qp=%u", s->bitrate,
            c->info->factory, s->qp));
}

static void
map_x264 (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, GPtrArray * warnings)
{
  static const gchar *const presets[] = {
    NULL, "slow", "medium", "fast", "faster", "veryfast", "superfast",
    "ultrafast"
  };
  guint qp = MIN (s->qp, 50);

  if (c->rate_control != GST_QSV_RATE_CONTROL_CBR && s->qp > 50)
    g_ptr_array_add (warnings, g_strdup ("qp=51 is out of x264enc's range "
            "(0-50): using 50"));
  switch (c->rate_control) {
    case GST_QSV_RATE_CONTROL_CBR:
      assign_str (out, "pass", "cbr");
      assign_uint (out, "bitrate", s->bitrate);
      break;
    case GST_QSV_RATE_CONTROL_VBR:
      /* x264enc has no single-pass VBR: constant quality, capped */
      assign_str (out, "pass", "qual");
      assign_uint (out, "quantizer", qp);
      assign_uint (out, "bitrate", s->bitrate);
      break;
    default:
      assign_str (out, "pass", "quant");
      assign_uint (out, "quantizer", qp);
      break;
  }
  if (s->key_int_max > 0) {
    /* key-int-max is the exact GOP: no extra keyframes at scene cuts */
    assign_uint (out, "key-int-max", s->key_int_max);
    assign_str (out, "option-string", "scenecut=0");
  }
  assign_uint (out, "bframes", effective_b_frames (c, s, warnings));
  assign_str (out, "speed-preset", presets[CLAMP (s->target_usage, 1, 7)]);
  if (s->low_latency)
    assign_str (out, "tune", "zerolatency");
}

/* vah264enc, vah264lpenc and qsvh264enc share the VA names but the GOP's */
static void
map_va_family (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, GPtrArray * warnings, const gchar * gop_property,
    const gchar * const *qp_props)
{
  assign_str (out, "rate-control", gst_qsv_rate_control_nick (c->rate_control));
  map_bitrate_or_qp (c, s, out, qp_props);
  warn_cqp_ignores_bitrate (c, s, warnings);
  if (s->key_int_max > 0)
    assign_uint (out, gop_property, s->key_int_max);
  assign_uint (out, "b-frames", effective_b_frames (c, s, warnings));
  assign_uint (out, "target-usage", s->target_usage);
}

static void
map_va (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, GPtrArray * warnings)
{
  static const gchar *const qp_props[] = { "qpi", "qpp", "qpb", NULL };

  map_va_family (c, s, out, warnings, "key-int-max", qp_props);
}

static void
map_qsv (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, GPtrArray * warnings)
{
  /* qp-i, not vah264enc's qpi: 1.22 gstqsvh264enc.cpp
   * gst_qsv_h264_enc_class_init, as Debian 12's libgstqsv.so has them */
  static const gchar *const qp_props[] = { "qp-i", "qp-p", "qp-b", NULL };

  map_va_family (c, s, out, warnings, "gop-size", qp_props);
  assign_str (out, "low-latency", s->low_latency ? "true" : "false");
}

static void
map_vaapi (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, GPtrArray * warnings)
{
  static const gchar *const qp_props[] = { "init-qp", NULL };

  assign_str (out, "rate-control", gst_qsv_rate_control_nick (c->rate_control));
  map_bitrate_or_qp (c, s, out, qp_props);
  warn_cqp_ignores_bitrate (c, s, warnings);
  if (s->key_int_max > 0)
    assign_uint (out, "keyframe-period", s->key_int_max);
  assign_uint (out, "max-bframes", effective_b_frames (c, s, warnings));
  assign_uint (out, "quality-level", s->target_usage);
  if (c->low_power_entrypoint)
    assign_str (out, "tune", "low-power");
}

static void
map_openh264 (const GstQsvCandidate * c, const GstQsvSettings * s,
    GPtrArray * out, GPtrArray * warnings)
{
  assign_str (out, "rate-control",
      c->rate_control == GST_QSV_RATE_CONTROL_CBR ? "bitrate" : "quality");
  assign_uint (out, "bitrate", s->bitrate * 1000);
  if (s->key_int_max > 0) {
    assign_uint (out, "gop-size", s->key_int_max);
    assign_str (out, "scene-change-detection", "false");
  }
  if (s->b_frames > 0 && !s->low_latency)
    g_ptr_array_add (warnings, g_strdup_printf ("b-frames=%u ignored: "
            "openh264enc encodes no B-frames", s->b_frames));
  assign_str (out, "complexity", s->target_usage <= 2 ? "high" :
      s->target_usage <= 5 ? "medium" : "low");
}

GPtrArray *
gst_qsv_candidate_map_settings (const GstQsvCandidate * candidate,
    const GstQsvSettings * settings, GPtrArray * warnings)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_qsv_assignment_free);

  candidate->info->map (candidate, settings, out, warnings);
  return out;
}

GstQsvAssignment *
gst_qsv_candidate_map_bitrate (const GstQsvCandidate * candidate,
    guint bitrate)
{
  GstQsvAssignment *a;

  if (candidate->rate_control == GST_QSV_RATE_CONTROL_CQP)
    return NULL;
  a = g_new0 (GstQsvAssignment, 1);
  a->name = candidate->info->bitrate_property;
  a->value = g_strdup_printf ("%u", bitrate * candidate->info->bitrate_scale);
  return a;
}
