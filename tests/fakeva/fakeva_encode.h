/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc test support
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* The encode step of the fake VA driver, one per codec: fakeva_drv_video.so
 * has none (fakeva_encode_none.c: weak definitions of both), while
 * swva_drv_video.so encodes H.264 with libx264 (swva_encode_x264.c) and
 * HEVC with libx265 (swva_encode_x265.c), both GPL-2+, whose definitions
 * override the weak ones. */

#ifndef __FAKEVA_ENCODE_H__
#define __FAKEVA_ENCODE_H__

#include <va/va.h>

typedef struct
{
  /* the picture: NV12, or P010 (16-bit samples, 10 bits in the high
   * bits) for HEVC Main10 */
  const unsigned char *y, *uv;
  unsigned int pitch;           /* bytes */
  unsigned int fourcc;          /* VA_FOURCC_NV12 or VA_FOURCC_P010 */
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

typedef struct
{
  void *(*create) (void);
  void (*free) (void *encoder);
  VAStatus (*encode) (void *encoder, FakevaFrame * frame);
} FakevaEncoderClass;

extern const FakevaEncoderClass fakeva_h264_encoder;
extern const FakevaEncoderClass fakeva_h265_encoder;

/* the encoder for a config's profile */
static inline const FakevaEncoderClass *
fakeva_encoder_class (VAProfile profile)
{
  if (profile == VAProfileHEVCMain || profile == VAProfileHEVCMain10)
    return &fakeva_h265_encoder;
  return &fakeva_h264_encoder;
}

#endif
