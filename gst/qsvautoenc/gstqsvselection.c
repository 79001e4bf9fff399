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

/* Selection: which catalog rows can encode here, best first, and why each
 * other one cannot. A pure function of the probe result, the settings and
 * which factories exist. */

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
check_hardware (const GstQsvEncoderInfo * info, GstQsvVaCodec codec,
    const GstQsvVaDevice * dev, const GstQsvSettings * s, GstQsvCandidate * c)
{
  const gchar *name = gst_qsv_va_codec_name (codec);
  gboolean has_slice, has_lp;
  guint modes = 0;
  gchar *avail, *reason;

  has_slice = gst_qsv_va_device_has_codec_entrypoint (dev, codec,
      GST_QSV_VA_ENC_SLICE);
  has_lp = gst_qsv_va_device_has_codec_entrypoint (dev, codec,
      GST_QSV_VA_ENC_SLICE_LP);
  switch (info->needs) {
    case GST_QSV_NEEDS_ENC_SLICE:
      if (!has_slice)
        return g_strdup_printf ("%s has no EncSlice (full-power) %s "
            "encode entrypoint%s", dev->path, name,
            has_lp ? " (only EncSliceLP)" : "");
      modes = modes_from_va (gst_qsv_va_device_codec_rate_control (dev,
              codec, GST_QSV_VA_ENC_SLICE));
      break;
    case GST_QSV_NEEDS_ENC_SLICE_LP:
      if (!has_lp)
        return g_strdup_printf ("%s has no EncSliceLP (low-power) %s "
            "encode entrypoint", dev->path, name);
      modes = modes_from_va (gst_qsv_va_device_codec_rate_control (dev,
              codec, GST_QSV_VA_ENC_SLICE_LP));
      break;
    case GST_QSV_NEEDS_INTEL_ANY_ENTRYPOINT:
      if (!dev->vendor || !strstr (dev->vendor, "Intel"))
        return g_strdup_printf ("needs an Intel GPU; %s is '%s'", dev->path,
            dev->vendor ? dev->vendor : "unknown");
      /* fall through */
    case GST_QSV_NEEDS_ANY_ENTRYPOINT:
      if (!has_slice && !has_lp)
        return g_strdup_printf ("%s has no %s encode entrypoint (EncSlice "
            "or EncSliceLP)", dev->path, name);
      if (has_slice)
        modes = modes_from_va (gst_qsv_va_device_codec_rate_control (dev,
                codec, GST_QSV_VA_ENC_SLICE));
      c->rate_control = resolve_rate_control (s->rate_control, modes);
      if (c->rate_control == GST_QSV_RATE_CONTROL_AUTO && has_lp) {
        /* the full-power path can't do it: the low-power one may */
        modes = modes_from_va (gst_qsv_va_device_codec_rate_control (dev,
                codec, GST_QSV_VA_ENC_SLICE_LP));
        c->low_power_entrypoint = TRUE;
      }
      break;
    case GST_QSV_NEEDS_NOTHING:
      g_assert_not_reached ();
  }

  c->rate_control = resolve_rate_control (s->rate_control, modes);
  if (c->rate_control != GST_QSV_RATE_CONTROL_AUTO)
    return NULL;

  avail = modes_to_string (modes);
  reason = g_strdup_printf ("rate-control=%s is not offered by %s on %s "
      "(it offers %s; low-power CBR/VBR need the HuC firmware)",
      gst_qsv_rate_control_nick (s->rate_control),
      c->low_power_entrypoint || info->needs == GST_QSV_NEEDS_ENC_SLICE_LP ?
      "EncSliceLP" : "EncSlice", dev->path, avail);
  g_free (avail);
  return reason;
}

/* The factory for @dev: the per-node name where the plugin registered one,
 * else the plain one. Which node gets the plain name depends on where VA
 * opens first, so the bin then checks the element's device-path against
 * the node. Rows that number devices (qsvh264enc) keep the plain name
 * here: the bin finds the one whose device-path is the node. */
static gchar *
device_factory_name (const GstQsvEncoderInfo * info, const GstQsvVaDevice * dev,
    GstQsvFactoryExists exists, gpointer user_data)
{
  gchar *name = dev ? gst_qsv_encoder_info_node_factory (info, dev->path) :
      NULL;

  if (name && exists (name, user_data))
    return name;
  g_free (name);
  return g_strdup (info->factory);
}

/* A row with its own device (vaapih264enc) has no device property:
 * gstreamer-vaapi opens $GST_VAAPI_DRM_DEVICE, else the first render node
 * (in udev's order) on which VA initialises. It is a candidate only where that is the probed
 * device, so that the report never names a device it does not run on. */
static gchar *
check_own_device (const GstQsvVaProbeResult * probe,
    const GstQsvVaDevice * dev)
{
  const gchar *env = g_getenv ("GST_VAAPI_DRM_DEVICE");
  guint i;

  if (env && *env) {
    if (gst_qsv_same_node (env, dev->path))
      return NULL;
    return g_strdup_printf ("opens GST_VAAPI_DRM_DEVICE=%s, not the probed "
        "%s", env, dev->path);
  }
  for (i = 0; i < probe->devices->len; i++) {
    const GstQsvVaDevice *d = g_ptr_array_index (probe->devices, i);

    if (d == dev)
      break;
    /* VA works there (it may lack this codec's encode): gstreamer-vaapi
     * would take it */
    if (d->status == GST_QSV_VA_STATUS_NO_H264_ENCODE ||
        d->status == GST_QSV_VA_STATUS_OK)
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

/* The device @codec's hardware rows run on: the first that encodes it;
 * failing that, for a codec other than the probe's own (H.264, whose status
 * already says what is missing), the first where VA works, so that the
 * rejections name the entrypoint it lacks. */
static const GstQsvVaDevice *
codec_device (const GstQsvVaProbeResult * probe, GstQsvVaCodec codec)
{
  const GstQsvVaDevice *dev;
  guint i;

  if (!probe)
    return NULL;
  dev = gst_qsv_va_probe_result_get_for_codec (probe, codec);
  if (dev || codec == GST_QSV_VA_CODEC_H264)
    return dev;
  for (i = 0; i < probe->devices->len; i++) {
    dev = g_ptr_array_index (probe->devices, i);
    if (dev->status == GST_QSV_VA_STATUS_OK ||
        dev->status == GST_QSV_VA_STATUS_NO_H264_ENCODE)
      return dev;
  }
  return NULL;
}

static gchar *
check_candidate (const GstQsvEncoderInfo * info, GstQsvVaCodec codec,
    const GstQsvVaProbeResult * probe, const GstQsvSettings * s,
    GstQsvFactoryExists exists, gpointer user_data, GstQsvCandidate * c)
{
  const GstQsvVaDevice *dev = codec_device (probe, codec);

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
        "registers it only where the VA driver offers %s encode)",
        info->package, gst_qsv_va_codec_name (codec));
  if (info->own_device) {
    gchar *reason = check_own_device (probe, dev);

    if (reason)
      return reason;
  }
  return check_hardware (info, codec, dev, s, c);
}

/**
 * gst_qsv_catalog_select:
 * @catalog: the codec's encoders
 * @probe: (nullable): the VA probe result, %NULL if VA is not built
 * @settings: the uniform settings (rate-control and the forced encoder
 *   matter here)
 * @exists: tells whether a factory is installed
 *
 * Returns: (transfer full): the usable candidates, best first, and every
 * other catalog row with the reason it was not chosen.
 */
GstQsvSelection *
gst_qsv_catalog_select (const GstQsvCatalog * catalog,
    const GstQsvVaProbeResult * probe, const GstQsvSettings * settings,
    GstQsvFactoryExists exists, gpointer user_data)
{
  GstQsvSelection *sel = g_new0 (GstQsvSelection, 1);
  gboolean forced = settings->encoder && g_strcmp0 (settings->encoder,
      "auto") != 0;
  guint i;

  sel->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify)
      candidate_free);
  sel->rejected = g_ptr_array_new_with_free_func ((GDestroyNotify)
      rejection_free);

  for (i = 0; i < catalog->n_rows; i++) {
    const GstQsvEncoderInfo *info = &catalog->rows[i];
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
    reason = check_candidate (info, catalog->va_codec, probe, settings,
        exists, user_data, c);
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
