/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The encoder catalog: one row per H.264 encoder qsvautoenc can drive, what
 * it needs from the VA probe, and how the uniform settings map onto its
 * properties. Selection and mapping are pure functions of plain data (probe
 * result, which factories exist, settings), unit-tested without a pipeline. */

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

/* One property assignment, as gst_util_set_object_arg() takes it. */
typedef struct
{
  const gchar *name;
  gchar *value;
} GstQsvAssignment;

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

const GstQsvEncoderInfo *gst_qsv_catalog_lookup (const gchar * factory);
guint gst_qsv_catalog_size (void);
const GstQsvEncoderInfo *gst_qsv_catalog_get (guint index);
const gchar *gst_qsv_encoder_info_factory (const GstQsvEncoderInfo * info);
gboolean gst_qsv_encoder_info_is_hardware (const GstQsvEncoderInfo * info);
/* Whether its output PTS count frames instead of echoing the input's */
gboolean gst_qsv_encoder_info_renumbers_pts (const GstQsvEncoderInfo *
    info);
const gchar *gst_qsv_encoder_info_package (const GstQsvEncoderInfo * info);
const gchar *gst_qsv_encoder_info_plugin_file (const GstQsvEncoderInfo * info);
const gchar *gst_qsv_encoder_info_bitrate_property (const GstQsvEncoderInfo *
    info);
gchar *gst_qsv_catalog_factory_names (const gchar * separator);

GstQsvSelection *gst_qsv_select (const GstQsvVaProbeResult * probe,
    const GstQsvSettings * settings, GstQsvFactoryExists exists,
    gpointer user_data);
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

gboolean gst_qsv_same_node (const gchar * a, const gchar * b);

/* Which Debian package brings each missing encoder, for error messages. */
gchar *gst_qsv_catalog_missing_packages (GstQsvFactoryExists exists,
    gpointer user_data);

G_END_DECLS

#endif
