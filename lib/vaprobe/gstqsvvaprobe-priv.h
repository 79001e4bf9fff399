/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Shared by the probe's own files, its helper and its unit tests; not by
 * the plugin or the probe command.
 *
 * Who calls whom (one way only):
 *
 *   gstqsvvaprobe.c          which nodes, the cache, the hung-node file,
 *     |                      the choice among nodes
 *     v
 *   gstqsvvaprobe-isolate.c  one node in the helper process
 *     |            \
 *     v             v
 *   gstqsvvaprobe-wire.c    gstqsvvaprobe-libva.c (or -none.c)
 *   (the helper's answer)   (one node through libva, uncached)
 *     \             /
 *      v           v
 *   gstqsvvaprobe-device.c   the device record, its field table, nicks,
 *                            the error domain, the debug category
 *
 *   gstqsvvaprobe-json.c     the result as JSON: uses gstqsvvaprobe.c,
 *                            -device.c and the backend's is_built(); used
 *                            by nobody here
 *
 * (-libva.c and -none.c are the two builds of one backend: never both.)
 */

#ifndef __GST_QSV_VA_PROBE_PRIV_H__
#define __GST_QSV_VA_PROBE_PRIV_H__

#include <gst/gst.h>

#include "gstqsvvaprobe.h"

G_BEGIN_DECLS

/* "qsvvaprobe": one debug category for the whole probe; usable before
 * gst_init() (the helper process never initialises GStreamer) */
GST_DEBUG_CATEGORY_EXTERN (gst_qsv_va_probe_debug);
void gst_qsv_va_probe_init_debug (void);

/* gstqsvvaprobe-device.c: the device record */

/* One field of GstQsvVaDevice: the helper's answer (gstqsvvaprobe-wire.c),
 * the JSON (gstqsvvaprobe-json.c) and copy/free walk this table, so a new
 * field is one row (its H.264 capabilities are a table of their own). */
typedef enum
{
  GST_QSV_VA_FIELD_STRING,      /* gchar *, NULL when unknown */
  GST_QSV_VA_FIELD_STATUS,      /* GstQsvVaStatus, by its nick */
  GST_QSV_VA_FIELD_INT,         /* gint, in [min, max] in an answer */
  GST_QSV_VA_FIELD_INT64,       /* gint64 */
  GST_QSV_VA_FIELD_BOOLEAN,     /* gboolean */
  GST_QSV_VA_FIELD_VERSION,     /* two gints, major then minor: "1.17",
                                 * JSON null when both are 0 */
} GstQsvVaFieldType;

typedef enum
{
  GST_QSV_VA_FIELD_WIRE = (1 << 0),     /* in the helper's answer */
  GST_QSV_VA_FIELD_REQUIRED = (1 << 1), /* an answer without it is malformed */
  GST_QSV_VA_FIELD_JSON = (1 << 2),     /* in the JSON, in table order */
} GstQsvVaFieldFlags;

typedef struct
{
  const gchar *name;            /* the key, in the answer and the JSON */
  GstQsvVaFieldType type;
  gsize offset;                 /* in GstQsvVaDevice */
  GstQsvVaFieldFlags flags;
  gint min, max;                /* GST_QSV_VA_FIELD_INT in an answer */
} GstQsvVaDeviceField;

extern const GstQsvVaDeviceField gst_qsv_va_device_fields[];
extern const guint gst_qsv_va_device_n_fields;

/* One codec's capability table in GstQsvVaDevice, [profile][entrypoint]:
 * the helper's answer (a group named by the nick), the JSON ("NICK_encode")
 * and the probe command walk this table, so a codec is one row here and one
 * member of the record. */
typedef struct
{
  const gchar *nick;            /* "h264": the answer's group, the JSON's key */
  const gchar *name;            /* "H.264", in messages */
  gsize offset;                 /* of its GstQsvVaEntrypointCaps array */
  guint n_profiles;
  const gchar *const *profile_nicks;
} GstQsvVaCodecTable;

extern const GstQsvVaCodecTable gst_qsv_va_codecs[GST_QSV_VA_N_CODECS];

#define GST_QSV_VA_DEVICE_FIELD(dev, field, type) \
    ((type *) ((guint8 *) (dev) + (field)->offset))

GstQsvVaDevice *gst_qsv_va_device_new (const gchar * path);
/* status and message from a GST_QSV_VA_PROBE_ERROR (taken) */
void gst_qsv_va_device_take_error (GstQsvVaDevice * device, GError * error);
/* the failed open()/stat() of @path, with @err as errno */
void gst_qsv_va_set_open_error (GError ** error, const gchar * path,
    gint err);
/* Whether @path is a DRM character device, by stat() alone. If not,
 * @error says why and @os_errno (optional) is the errno of a failed stat(),
 * else 0. */
gboolean gst_qsv_va_check_drm_node (const gchar * path, gint * os_errno,
    GError ** error);

/* gstqsvvaprobe-libva.c, or -none.c when VA is not built: probe one node,
 * uncached, in this process */
GstQsvVaDevice *gst_qsv_va_probe_device_uncached (const gchar * path);

/* gstqsvvaprobe-isolate.c: probe one node, uncached, through the helper
 * process where there is one */
GstQsvVaDevice *gst_qsv_va_probe_device_isolated (const gchar * path);

typedef enum
{
  GST_QSV_VA_REAPED,            /* gone, its wait status known */
  GST_QSV_VA_REAPED_ELSEWHERE,  /* gone, reaped by the application */
  GST_QSV_VA_STILL_RUNNING,     /* left to a reaper thread */
} GstQsvVaReap;

GstQsvVaReap gst_qsv_va_probe_reap (GPid pid, gint64 deadline, gint * status);

/* gstqsvvaprobe-wire.c: the helper's answer, a GKeyFile text.
 * Deserializing never trusts it: anything missing or malformed is an error
 * (G_KEY_FILE_ERROR). */
gchar *gst_qsv_va_device_serialize (const GstQsvVaDevice * device);
GstQsvVaDevice *gst_qsv_va_device_deserialize (const gchar * text,
    gssize length, GError ** error);

G_END_DECLS

#endif /* __GST_QSV_VA_PROBE_PRIV_H__ */
