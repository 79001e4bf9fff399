/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc test support
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* Stand-ins for the hardware encoders, registered under their real factory
 * names (qsvh264enc, vah264enc, vah264lpenc, vaapih264enc) with their real
 * sink caps and property specs (GStreamer 1.22), for where no real one can
 * run. Each can be told to work or to fail in a given way. */

#ifndef __QSV_STANDINS_H__
#define __QSV_STANDINS_H__

#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum
{
  STANDIN_OK,                   /* "encodes": one output per input */
  STANDIN_FAIL_READY,           /* NULL->READY fails with an error */
  STANDIN_REFUSE_CAPS,          /* reaches READY, refuses every input caps */
  STANDIN_ERROR_FIRST_BUFFER,   /* posts an error and returns ERROR */
  STANDIN_FLOW_ERROR,           /* returns ERROR without a message */
  STANDIN_ERROR_AT_EOS,         /* takes frames, outputs none, fails draining */
  STANDIN_ERROR_AT_FRAME,       /* works, then errors at standin_set_fail_frame() */
  STANDIN_FLOW_ERROR_AT_FRAME,  /* works, then returns ERROR without a message */
  STANDIN_SWALLOW,              /* takes every frame, outputs none, no error */
} StandinMode;

/* qsvh264enc, vah264enc, vah264lpenc, vaapih264enc, all on renderD128 */
void standins_register (void);
/* one more, as upstream registers a second GPU: @base's behaviour under
 * @factory (e.g. "varenderD129h264enc", "qsvh264device1enc") on @node (a
 * render node name, found in $QSVAUTOENC_DRI_DIR, else /dev/dri) */
void standin_register_device (const gchar * base, const gchar * factory,
    const gchar * node);
void standin_set_mode (const gchar * factory, StandinMode mode);
/* what device-path reads, wherever upstream's would read a node (NULL:
 * the stand-in's own node, as upstream) */
void standin_set_device_path (const gchar * path);
/* frames the stand-ins of that factory took in, since registration */
guint standin_frames_in (const gchar * factory);
/* the frame (0-based, per element) at which the *_AT_FRAME modes fail */
void standin_set_fail_frame (guint frame);
/* a failed stand-in (*_AT_FRAME, ERROR_FIRST_BUFFER) posts one more error
 * when it stops, as a driver whose GPU is gone may */
void standin_set_teardown_error (gboolean error);

G_END_DECLS

#endif
