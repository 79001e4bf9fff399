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
 * rely on. */

#include "fakeva_encode.h"

#include <stddef.h>

void *
fakeva_encoder_new (void)
{
  return NULL;
}

void
fakeva_encoder_free (void *encoder)
{
  (void) encoder;
}

VAStatus
fakeva_encoder_encode (void *encoder, FakevaFrame * frame)
{
  (void) encoder;
  (void) frame;
  return VA_STATUS_ERROR_UNIMPLEMENTED;
}
