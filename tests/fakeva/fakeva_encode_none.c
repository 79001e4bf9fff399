/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc test support
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* fakeva_drv_video.so reports capabilities but cannot encode: an encoder
 * driving it fails at its first frame, which the start-up fallback tests
 * rely on. The definitions are weak: swva_drv_video.so links this file
 * too, and the libx264/libx265 encoders it has replace them, so a swva
 * built without libx265 still loads and fails its HEVC frames. */

#include "fakeva_encode.h"

#include <stddef.h>

static void *
none_new (void)
{
  return NULL;
}

static void
none_free (void *encoder)
{
  (void) encoder;
}

static VAStatus
none_encode (void *encoder, FakevaFrame * frame)
{
  (void) encoder;
  (void) frame;
  return VA_STATUS_ERROR_UNIMPLEMENTED;
}

__attribute__ ((weak))
     const FakevaEncoderClass fakeva_h264_encoder = {
       none_new, none_free, none_encode
     };

__attribute__ ((weak))
     const FakevaEncoderClass fakeva_h265_encoder = {
       none_new, none_free, none_encode
     };
