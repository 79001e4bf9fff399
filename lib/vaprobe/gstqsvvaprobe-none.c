/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The probe when built without libva (-Dva=disabled, or libva-dev missing):
 * every answer is "VA support not built", so selection goes to software. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvvaprobe.h"
#include "gstqsvvaprobe-priv.h"

gboolean
gst_qsv_va_probe_is_built (void)
{
  return FALSE;
}

GstQsvVaDevice *
gst_qsv_va_probe_device_uncached (const gchar * path)
{
  GstQsvVaDevice *dev = gst_qsv_va_device_new (path);

  gst_qsv_va_device_take_error (dev, g_error_new_literal
      (GST_QSV_VA_PROBE_ERROR, GST_QSV_VA_STATUS_NOT_BUILT, "VA support not "
          "built: gst-qsvautoenc was configured without libva (install "
          "libva-dev and libdrm-dev, then reconfigure with -Dva=enabled)"));
  return dev;
}
