/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The encoder catalog: per codec, one row per encoder qsvautoenc can drive
 * (H.264: gstqsvencoders-h264.c), with every fact about it: what it needs
 * from the VA probe, its package and plugin, its factory names per device,
 * and the table mapping each uniform setting onto its properties (name,
 * scale, enum nicks, whether essential). Selection (gstqsvselection.c) and
 * mapping (gstqsvmapping.c) are pure functions of plain data (probe
 * result, which factories exist, settings), unit-tested without a
 * pipeline; applying a mapped value to a child is the one step that
 * touches a GObject. */

#ifndef __GST_QSV_ENCODER_CATALOG_H__
#define __GST_QSV_ENCODER_CATALOG_H__

#include <glib-object.h>
#include "gstqsvvaprobe.h"

G_BEGIN_DECLS

typedef enum
{
  GST_QSV_RATE_CONTROL_AUTO = 0,        /* cbr, else vbr, else cqp: what the encoder has */
  GST_QSV_RATE_CONTROL_CBR,
  GST_QSV_RATE_CONTROL_VBR,
  GST_QSV_RATE_CONTROL_CQP,
} GstQsvRateControl;

#define GST_TYPE_QSV_RATE_CONTROL (gst_qsv_rate_control_get_type ())
GType gst_qsv_rate_control_get_type (void);
const gchar *gst_qsv_rate_control_nick (GstQsvRateControl rc);

#define GST_QSV_DEFAULT_BITRATE 2048
#define GST_QSV_DEFAULT_QP 23
#define GST_QSV_DEFAULT_TARGET_USAGE 4
#define GST_QSV_MAX_BITRATE 2048000
#define GST_QSV_MAX_KEY_INT 1024        /* vah264enc's limit: keep every encoder able */
#define GST_QSV_MAX_B_FRAMES 10 /* vaapih264enc's limit */

/* The uniform settings: a plain copy, taken under the element's lock. */
typedef struct
{
  guint bitrate;                /* kbit/s */
  gboolean bitrate_set;         /* set by the user, not the default */
  GstQsvRateControl rate_control;
  guint qp;                     /* 0..51, for cqp (and x264's vbr quality) */
  guint key_int_max;            /* exact GOP length in frames; 0: encoder default */
  guint b_frames;
  guint target_usage;           /* 1 best quality .. 7 fastest */
  gboolean low_latency;
  const gchar *encoder;         /* "auto" or a catalog factory name */
} GstQsvSettings;

void gst_qsv_settings_init (GstQsvSettings * settings);

typedef struct _GstQsvEncoderInfo GstQsvEncoderInfo;

/* A codec's catalog: its encoder rows, best first (gstqsvencoders-h264.c
 * is H.264's; a second codec is one more such table). */
typedef struct _GstQsvCatalog GstQsvCatalog;

/* The uniform settings an encoder row maps onto child properties. */
typedef enum
{
  GST_QSV_SETTING_RATE_CONTROL,
  GST_QSV_SETTING_BITRATE,
  GST_QSV_SETTING_QP,
  GST_QSV_SETTING_KEY_INT_MAX,
  GST_QSV_SETTING_B_FRAMES,
  GST_QSV_SETTING_TARGET_USAGE,
  GST_QSV_SETTING_LOW_LATENCY,
  /* not a user setting: the candidate drives the low-power entrypoint
   * (vaapih264enc's tune=low-power) */
  GST_QSV_SETTING_LOW_POWER,
} GstQsvSetting;

/* One child property assignment. @value is a G_TYPE_UINT (a number in
 * the child's unit), a G_TYPE_BOOLEAN, or a G_TYPE_STRING (a string, or
 * the nick of an enum/flags value): gst_qsv_assignment_apply() converts
 * it to the type of the child's property. */
typedef struct
{
  const gchar *name;            /* the child's property */
  GValue value;
  GstQsvSetting setting;        /* which uniform setting it carries */
  /* a value the child does not have rejects the candidate (a
   * driver-built rate-control enum without the mode) */
  gboolean essential;
} GstQsvAssignment;

#define GST_QSV_CATALOG_ERROR (gst_qsv_catalog_error_quark ())
GQuark gst_qsv_catalog_error_quark (void);

typedef enum
{
  GST_QSV_CATALOG_ERROR_NO_PROPERTY,    /* the child has no such property */
  GST_QSV_CATALOG_ERROR_NO_VALUE,       /* its enum/flags has no such nick */
  GST_QSV_CATALOG_ERROR_TYPE,   /* the value does not convert to its type */
} GstQsvCatalogError;

typedef struct
{
  const GstQsvEncoderInfo *info;
  gchar *factory;               /* factory name to create (per-device for va) */
  gchar *device;                /* the render node it was chosen for (the
                                 * probed one); NULL for software */
  GstQsvRateControl rate_control;       /* effective mode: never AUTO */
  gboolean low_power_entrypoint;        /* vaapih264enc through EncSliceLP */
  gchar *note;                  /* why this one / what it degrades, or NULL */
} GstQsvCandidate;

typedef struct
{
  gchar *factory;
  gchar *reason;
} GstQsvRejection;

typedef struct
{
  GPtrArray *candidates;        /* GstQsvCandidate*, best first */
  GPtrArray *rejected;          /* GstQsvRejection*, catalog order */
} GstQsvSelection;

/* Does a factory of that name exist (the registry, or a test's table)? */
typedef gboolean (*GstQsvFactoryExists) (const gchar * factory,
    gpointer user_data);

/* The catalogs */
const GstQsvCatalog *gst_qsv_catalog_h264 (void);
const GstQsvCatalog *gst_qsv_catalog_h265 (void);
const gchar *gst_qsv_catalog_caps_name (const GstQsvCatalog * catalog);
guint gst_qsv_catalog_n_encoders (const GstQsvCatalog * catalog);
const GstQsvEncoderInfo *gst_qsv_catalog_nth (const GstQsvCatalog * catalog,
    guint index);
/* The row of a catalog factory name, exactly */
const GstQsvEncoderInfo *gst_qsv_catalog_find (const GstQsvCatalog * catalog,
    const gchar * factory);
/* The row of any factory a row registers: also the per-node names, such
 * as "varenderD129h264enc" (vah264enc's row) */
const GstQsvEncoderInfo *gst_qsv_catalog_find_factory (const GstQsvCatalog *
    catalog, const gchar * factory);
gchar *gst_qsv_catalog_list_factories (const GstQsvCatalog * catalog,
    const gchar * separator);
/* Which Debian package brings each missing encoder, for error messages. */
gchar *gst_qsv_catalog_list_missing (const GstQsvCatalog * catalog,
    GstQsvFactoryExists exists, gpointer user_data);
GstQsvSelection *gst_qsv_catalog_select (const GstQsvCatalog * catalog,
    const GstQsvVaProbeResult * probe, const GstQsvSettings * settings,
    GstQsvFactoryExists exists, gpointer user_data);

/* Shorthands on the H.264 catalog (gst_qsv_catalog_h264()) */
const GstQsvEncoderInfo *gst_qsv_catalog_lookup (const gchar * factory);
guint gst_qsv_catalog_size (void);
const GstQsvEncoderInfo *gst_qsv_catalog_get (guint index);
gchar *gst_qsv_catalog_factory_names (const gchar * separator);
gchar *gst_qsv_catalog_missing_packages (GstQsvFactoryExists exists,
    gpointer user_data);
GstQsvSelection *gst_qsv_select (const GstQsvVaProbeResult * probe,
    const GstQsvSettings * settings, GstQsvFactoryExists exists,
    gpointer user_data);

/* One row */
const gchar *gst_qsv_encoder_info_factory (const GstQsvEncoderInfo * info);
gboolean gst_qsv_encoder_info_is_hardware (const GstQsvEncoderInfo * info);
/* Whether its output PTS count frames instead of echoing the input's */
/* Whether its plugin numbers a factory per device (qsvh264device1enc) */
gboolean gst_qsv_encoder_info_numbers_devices (const GstQsvEncoderInfo *
    info);
gboolean gst_qsv_encoder_info_renumbers_pts (const GstQsvEncoderInfo *
    info);
const gchar *gst_qsv_encoder_info_package (const GstQsvEncoderInfo * info);
const gchar *gst_qsv_encoder_info_plugin_file (const GstQsvEncoderInfo * info);
const gchar *gst_qsv_encoder_info_bitrate_property (const GstQsvEncoderInfo *
    info);
/* The factory upstream registers for the render node @device (a path,
 * links followed) when that node is not the plugin's first: e.g.
 * "varenderD129h264enc". NULL if the row's plugin names none after nodes. */
gchar *gst_qsv_encoder_info_node_factory (const GstQsvEncoderInfo * info,
    const gchar * device);
/* The factory of the @index-th device (0: the plain name) for plugins that
 * number them, e.g. "qsvh264device1enc"; NULL if the row's plugin does
 * not. */
gchar *gst_qsv_encoder_info_indexed_factory (const GstQsvEncoderInfo * info,
    guint index);
/* The child property @setting maps to, or NULL if the encoder has none */
const gchar *gst_qsv_encoder_info_property (const GstQsvEncoderInfo * info,
    GstQsvSetting setting);
/* Every child property the row may set, NULL-terminated (free the array
 * only) */
const gchar **gst_qsv_encoder_info_properties (const GstQsvEncoderInfo *
    info);

void gst_qsv_selection_free (GstQsvSelection * selection);
void gst_qsv_selection_reject (GstQsvSelection * selection,
    const gchar * factory, const gchar * reason);

/* The property assignments that give @settings to @candidate, in order,
 * and in @warnings what it cannot honour exactly (strings). */
GPtrArray *gst_qsv_candidate_map_settings (const GstQsvCandidate * candidate,
    const GstQsvSettings * settings, GPtrArray * warnings);
/* Only the bitrate, for changes while PLAYING. NULL if not applicable. */
GstQsvAssignment *gst_qsv_candidate_map_bitrate (const GstQsvCandidate *
    candidate, guint bitrate);
void gst_qsv_assignment_free (GstQsvAssignment * a);
/* The value as text ("4000", "true", "cbr"), for messages */
gchar *gst_qsv_assignment_value_text (const GstQsvAssignment * a);
/* Sets @a on @child (named @child_name in messages), converting the value
 * to the property's type, an enum or flags nick resolved against its
 * GParamSpec. FALSE with @error (GST_QSV_CATALOG_ERROR) if it could not. */
gboolean gst_qsv_assignment_apply (const GstQsvAssignment * a,
    GObject * child, const gchar * child_name, GError ** error);
/* Whether @error, from applying @a, rejects the candidate (else it is a
 * warning: the child encodes with its own value) */
gboolean gst_qsv_assignment_rejects (const GstQsvAssignment * a,
    const GError * error);

gboolean gst_qsv_same_node (const gchar * a, const gchar * b);

G_END_DECLS

#endif
