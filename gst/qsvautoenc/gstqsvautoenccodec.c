/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The codecs' elements: thin subclasses of GstQsvAutoEncBase
 * (gstqsvautoenc.c), one per codec, registered with class data as
 * gst-plugins-bad's va plugin registers its per-device types. A subclass's
 * class carries its codec record (gstqsvcodec.h) and catalog
 * (gstqsvencodercatalog.h), its pad templates and its metadata: qsvautoenc
 * (GstQsvAutoEnc, H.264) and qsvautoh265enc (GstQsvAutoH265Enc, H.265).
 * Runs at plugin registration (class_init), in the registering thread. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvautoenc-priv.h"
#include "gstqsvreport.h"

/* the codecs' element types, registered with their class data by
 * gst_qsv_auto_enc_register_type() */
static GType codec_types[2];

GType
gst_qsv_auto_enc_get_type (void)
{
  return codec_types[GST_QSV_AUTO_ENC_H264];
}

GType
gst_qsv_auto_h265_enc_get_type (void)
{
  return codec_types[GST_QSV_AUTO_ENC_H265];
}

static void gst_qsv_auto_enc_codec_class_init (GstQsvAutoEncClass * klass,
    GstQsvAutoEncClassData * cdata);

/* A codec's element: a subclass of the base with its class data, what
 * gstqsvautoencregister.c found on this machine (class_init takes it), as
 * gst-plugins-bad's va plugin registers its per-device types. */
GType
gst_qsv_auto_enc_register_type (GstQsvAutoEncClassData * cdata)
{
  static const gchar *const names[] = { "GstQsvAutoEnc", "GstQsvAutoH265Enc" };
  GTypeInfo info = {
    .class_size = sizeof (GstQsvAutoEncClass),
    .class_init = (GClassInitFunc) gst_qsv_auto_enc_codec_class_init,
    .class_data = cdata,
    .instance_size = sizeof (GstQsvAutoEnc),
  };
  gint codec = cdata->codec;

  g_return_val_if_fail (codec == GST_QSV_AUTO_ENC_H264 ||
      codec == GST_QSV_AUTO_ENC_H265, G_TYPE_INVALID);
  if (codec_types[codec]) {
    /* the plugin registered again in this process: the class is made */
    g_free (cdata->summary);
    g_free (cdata);
    return codec_types[codec];
  }
  codec_types[codec] = g_type_register_static (GST_TYPE_QSV_AUTO_ENC_BASE,
      names[codec], &info, 0);
  return codec_types[codec];
}

/* "a, b, c": the catalog's hardware or software encoders */
static gchar *
catalog_names (const GstQsvCatalog * catalog, gboolean hardware)
{
  GString *names = g_string_new (NULL);
  guint i;

  for (i = 0; i < gst_qsv_catalog_n_encoders (catalog); i++) {
    const GstQsvEncoderInfo *info = gst_qsv_catalog_nth (catalog, i);

    if (gst_qsv_encoder_info_is_hardware (info) == hardware)
      g_string_append_printf (names, "%s%s", names->len ? ", " : "",
          gst_qsv_encoder_info_factory (info));
  }
  return g_string_free (names, FALSE);
}

/* The src template: the codec's caps, its stream-formats and profiles */
static GstCaps *
codec_src_caps (const GstQsvCodec * codec)
{
  GstCaps *caps = gst_caps_new_empty_simple (codec->caps_name);
  GValue formats = G_VALUE_INIT, profiles = G_VALUE_INIT, v = G_VALUE_INIT;
  guint i;

  gst_value_list_init (&formats, 0);
  gst_value_list_init (&profiles, 0);
  g_value_init (&v, G_TYPE_STRING);
  for (i = 0; codec->formats[i]; i++) {
    g_value_set_string (&v, codec->formats[i]);
    gst_value_list_append_value (&formats, &v);
  }
  for (i = 0; codec->profiles[i]; i++) {
    g_value_set_string (&v, codec->profiles[i]);
    gst_value_list_append_value (&profiles, &v);
  }
  gst_caps_set_value (caps, "stream-format", &formats);
  gst_caps_set_simple (caps, "alignment", G_TYPE_STRING, "au", NULL);
  gst_caps_set_value (caps, "profile", &profiles);
  g_value_unset (&v);
  g_value_unset (&formats);
  g_value_unset (&profiles);
  return caps;
}

/* A codec's subclass: its codec record and catalog, pad templates and
 * metadata */
static void
gst_qsv_auto_enc_codec_class_init (GstQsvAutoEncClass * klass,
    GstQsvAutoEncClassData * cdata)
{
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  gboolean h265 = cdata->codec == GST_QSV_AUTO_ENC_H265;
  gchar *hardware, *software, *description, *longname;
  GstCaps *caps;

  klass->codec = h265 ? &gst_qsv_codec_h265 : &gst_qsv_codec_h264;
  klass->catalog = h265 ? gst_qsv_catalog_h265 () : gst_qsv_catalog_h264 ();

  /* any raw video: a converter in front brings it to 8-bit 4:2:0; VA memory
   * goes straight to a VA encoder where one is usable */
  caps = gst_caps_from_string (cdata->va_memory ?
      "video/x-raw(memory:VAMemory), format = (string) NV12; video/x-raw" :
      "video/x-raw");
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("sink", GST_PAD_SINK, GST_PAD_ALWAYS, caps));
  gst_caps_unref (caps);
  caps = codec_src_caps (klass->codec);
  gst_element_class_add_pad_template (element_class,
      gst_pad_template_new ("src", GST_PAD_SRC, GST_PAD_ALWAYS, caps));
  gst_caps_unref (caps);

  hardware = catalog_names (klass->catalog, TRUE);
  software = catalog_names (klass->catalog, FALSE);
  description = g_strdup_printf ("%s encoder that uses Intel QuickSync / "
      "VA-API hardware when present (%s) and software otherwise (%s), and "
      "reports which one works and why. On this machine: %s",
      klass->codec->name, hardware, software, cdata->summary ?
      cdata->summary : "not probed (load the plugin to see)");
  longname = g_strdup_printf ("Automatic %s encoder (QuickSync/VA-API, else "
      "%s)", klass->codec->name, h265 ? "x265" : "x264");
  gst_element_class_set_metadata (element_class, longname,
      "Codec/Encoder/Video", description, "gst-qsvautoenc developers");
  /* the tracer knows the element by this mark on its factory */
  gst_qsv_report_mark_element_class (element_class);
  g_free (hardware);
  g_free (software);
  g_free (description);
  g_free (longname);
  g_free (cdata->summary);
  g_free (cdata);
}
