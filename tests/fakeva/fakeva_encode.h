/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc test support
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The encode step of the fake VA driver: fakeva_drv_video.so has none
 * (fakeva_encode_none.c), swva_drv_video.so encodes with libx264
 * (swva_encode_x264.c, GPL-2+). */

#ifndef __FAKEVA_ENCODE_H__
#define __FAKEVA_ENCODE_H__

#include <va/va.h>

typedef struct
{
  /* the picture: NV12 */
  const unsigned char *y, *uv;
  unsigned int pitch;
  unsigned int width, height;   /* visible size */
  unsigned int fps_n, fps_d;
  /* what the element asked for */
  VAProfile profile;
  unsigned int rc;              /* VA_RC_CBR, VA_RC_VBR or VA_RC_CQP */
  unsigned int bits_per_second;
  unsigned int target_percentage;
  unsigned int qp;
  unsigned int quality_level;   /* 1 best .. 7 fastest, 0 = default */
  int idr;
  unsigned int frame;
  /* where the coded frame goes */
  unsigned char *out;
  unsigned int out_capacity;
  unsigned int out_size;
} FakevaFrame;

void *fakeva_encoder_new (void);
void fakeva_encoder_free (void *encoder);
VAStatus fakeva_encoder_encode (void *encoder, FakevaFrame * frame);

#endif
