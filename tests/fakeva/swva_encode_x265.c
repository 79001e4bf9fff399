/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gst-qsvautoenc test support: the software VA encode driver's HEVC encoder
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This program is free software; you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation; either version 2 of the License, or
 * (at your option) any later version.
 *
 * It links libx265, so swva_drv_video.so is GPL-2+. It is built for the
 * tests only; the plugin itself never links x265.
 */

/* Each vaEndPicture of an HEVC context hands the surface to libx265, the
 * way swva_encode_x264.c does for H.264: one frame in, one frame out
 * (zerolatency: no B-frames, no lookahead, one frame thread), an IDR
 * exactly when the element asks, VPS/SPS/PPS with every IDR since the
 * driver reports no packed headers. Main from NV12, Main10 from P010 (the
 * 10-bit library of a multilib libx265, x265_api_get (10)). */

#include "fakeva_encode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <x265.h>

typedef struct
{
  const x265_api *api;
  x265_encoder *x265;
  x265_param *param;
  x265_picture *pic;
  /* the I420 (or 16-bit I420) copy of the surface that x265 reads */
  unsigned char *planes;
  size_t planes_size;
  /* what the open encoder was made for */
  unsigned int width, height, fps_n, fps_d, rc, quality, depth;
  unsigned int bits_per_second, target_percentage, qp;
  int index;                    /* the process's how-manieth encoder */
} SwvaX265;

/* As in swva_encode_x264.c: each encoder gets its own reference count, so
 * that two real elements (EncSlice, EncSliceLP) write different parameter
 * sets for the same stream, as two hardware paths would. */
static int encoders_made;

static void *
swva_x265_new (void)
{
  SwvaX265 *e = calloc (1, sizeof (SwvaX265));

  if (e)
    e->index = __atomic_fetch_add (&encoders_made, 1, __ATOMIC_RELAXED);
  return e;
}

static void
close_encoder (SwvaX265 * e)
{
  if (e->x265)
    e->api->encoder_close (e->x265);
  if (e->pic)
    e->api->picture_free (e->pic);
  if (e->param)
    e->api->param_free (e->param);
  e->x265 = NULL;
  e->pic = NULL;
  e->param = NULL;
}

static void
swva_x265_free (void *encoder)
{
  SwvaX265 *e = encoder;

  if (!e)
    return;
  if (e->api)
    close_encoder (e);
  free (e->planes);
  free (e);
}

/* the VA quality level, 1 best .. 7 fastest, as an x265 preset: one step
 * faster than the x264 mapping, since x265 costs several times x264 */
static const char *
preset_for (unsigned int quality)
{
  static const char *const presets[] = {
    "superfast", "medium", "fast", "faster", "veryfast", "superfast",
    "ultrafast", "ultrafast"
  };
  return presets[quality <= 7 ? quality : 0];
}

/* kbit/s the element asked for; 0 means "auto": about 0.05 bit per pixel */
static unsigned int
kbps (const FakevaFrame * f)
{
  if (f->bits_per_second)
    return f->bits_per_second / 1000;
  return (unsigned int) ((uint64_t) f->width * f->height * f->fps_n /
      (f->fps_d ? f->fps_d : 1) / 20000) + 1;
}

static void
set_rate_control (x265_param * p, const FakevaFrame * f)
{
  unsigned int max = kbps (f);
  unsigned int pct = f->target_percentage ? f->target_percentage : 100;

  if (f->rc == VA_RC_CQP) {
    p->rc.rateControlMode = X265_RC_CQP;
    p->rc.qp = f->qp;
    return;
  }
  p->rc.rateControlMode = X265_RC_ABR;
  /* CBR: the target is the maximum; VBR: a percentage of it */
  p->rc.bitrate = f->rc == VA_RC_VBR ? max * pct / 100 : max;
  p->rc.vbvMaxBitrate = max;
  p->rc.vbvBufferSize = max;
}

static int
open_encoder (SwvaX265 * e, const FakevaFrame * f)
{
  unsigned int depth = f->fourcc == VA_FOURCC_P010 ? 10 : 8;
  x265_param *p;

  if (e->api)
    close_encoder (e);
  e->api = x265_api_get (depth);
  if (!e->api)
    return -1;
  p = e->param = e->api->param_alloc ();
  if (!p || e->api->param_default_preset (p, preset_for (f->quality_level),
          "zerolatency") < 0)
    return -1;
  p->logLevel = X265_LOG_NONE;
  p->frameNumThreads = 1;
  p->numaPools = "none";        /* no thread pool: one thread, as x264 */
  p->bEnableWavefront = 0;
  p->sourceWidth = f->width;
  p->sourceHeight = f->height;
  p->internalCsp = X265_CSP_I420;
  p->internalBitDepth = depth;
  p->sourceBitDepth = depth;
  p->fpsNum = f->fps_n ? f->fps_n : 30;
  p->fpsDenom = f->fps_d ? f->fps_d : 1;
  p->keyframeMax = -1;          /* IDRs when asked, only */
  p->scenecutThreshold = 0;
  p->bOpenGOP = 0;
  p->bframes = 0;
  p->bRepeatHeaders = 1;
  p->bAnnexB = 1;
  p->bEmitInfoSEI = 0;
  p->maxNumReferences = 1 + e->index % 3;
  set_rate_control (p, f);
  if (e->api->param_apply_profile (p, depth == 10 ? "main10" : "main") < 0)
    return -1;
  e->x265 = e->api->encoder_open (p);
  if (!e->x265)
    return -1;
  e->pic = e->api->picture_alloc ();
  if (!e->pic)
    return -1;
  e->width = f->width;
  e->height = f->height;
  e->fps_n = f->fps_n;
  e->fps_d = f->fps_d;
  e->rc = f->rc;
  e->quality = f->quality_level;
  e->depth = depth;
  e->bits_per_second = f->bits_per_second;
  e->target_percentage = f->target_percentage;
  e->qp = f->qp;
  return 0;
}

/* Size, depth, mode or preset changed: a new encoder. Only the bitrate or
 * the QP: reconfigure, as a bitrate change while PLAYING must work. */
static int
ensure_encoder (SwvaX265 * e, const FakevaFrame * f)
{
  unsigned int depth = f->fourcc == VA_FOURCC_P010 ? 10 : 8;

  if (!e->x265 || e->width != f->width || e->height != f->height ||
      e->rc != f->rc || e->quality != f->quality_level ||
      e->depth != depth || e->fps_n != f->fps_n || e->fps_d != f->fps_d)
    return open_encoder (e, f);
  if (e->bits_per_second != f->bits_per_second || e->qp != f->qp ||
      e->target_percentage != f->target_percentage) {
    set_rate_control (e->param, f);
    e->bits_per_second = f->bits_per_second;
    e->target_percentage = f->target_percentage;
    e->qp = f->qp;
    if (e->api->encoder_reconfig (e->x265, e->param) < 0)
      return open_encoder (e, f);
  }
  return 0;
}

/* NV12 to I420, P010 (10 bits in the high bits) to 16-bit I420 */
static int
to_planar (SwvaX265 * e, const FakevaFrame * f)
{
  unsigned int w = f->width, h = f->height, cw = (w + 1) / 2,
      ch = (h + 1) / 2, x, y;
  unsigned int bps = e->depth > 8 ? 2 : 1;
  size_t need = ((size_t) w * h + 2 * (size_t) cw * ch) * bps;

  if (need > e->planes_size) {
    free (e->planes);
    e->planes = malloc (need);
    e->planes_size = e->planes ? need : 0;
    if (!e->planes)
      return -1;
  }
  if (bps == 1) {
    unsigned char *py = e->planes, *pu = py + (size_t) w * h,
        *pv = pu + (size_t) cw * ch;
    for (y = 0; y < h; y++)
      memcpy (py + (size_t) y * w, f->y + (size_t) y * f->pitch, w);
    for (y = 0; y < ch; y++) {
      const unsigned char *uv = f->uv + (size_t) y * f->pitch;
      for (x = 0; x < cw; x++) {
        pu[(size_t) y * cw + x] = uv[2 * x];
        pv[(size_t) y * cw + x] = uv[2 * x + 1];
      }
    }
  } else {
    uint16_t *py = (uint16_t *) e->planes, *pu = py + (size_t) w * h,
        *pv = pu + (size_t) cw * ch;
    for (y = 0; y < h; y++) {
      const uint16_t *row = (const uint16_t *) (f->y + (size_t) y * f->pitch);
      for (x = 0; x < w; x++)
        py[(size_t) y * w + x] = row[x] >> 6;
    }
    for (y = 0; y < ch; y++) {
      const uint16_t *uv = (const uint16_t *) (f->uv + (size_t) y * f->pitch);
      for (x = 0; x < cw; x++) {
        pu[(size_t) y * cw + x] = uv[2 * x] >> 6;
        pv[(size_t) y * cw + x] = uv[2 * x + 1] >> 6;
      }
    }
  }
  e->api->picture_init (e->param, e->pic);
  e->pic->colorSpace = X265_CSP_I420;
  e->pic->bitDepth = e->depth;
  e->pic->planes[0] = e->planes;
  e->pic->planes[1] = e->planes + (size_t) w * h * bps;
  e->pic->planes[2] = e->planes + ((size_t) w * h + (size_t) cw * ch) * bps;
  e->pic->stride[0] = w * bps;
  e->pic->stride[1] = e->pic->stride[2] = cw * bps;
  return 0;
}

static VAStatus
swva_x265_encode (void *encoder, FakevaFrame * f)
{
  SwvaX265 *e = encoder;
  x265_nal *nals = NULL;
  uint32_t n_nals = 0, i;
  size_t size = 0;
  int ret;

  if (!e || ensure_encoder (e, f) < 0 || to_planar (e, f) < 0)
    return VA_STATUS_ERROR_OPERATION_FAILED;
  e->pic->pts = f->frame;
  e->pic->sliceType = f->idr ? X265_TYPE_IDR : X265_TYPE_AUTO;

  ret = e->api->encoder_encode (e->x265, &nals, &n_nals, e->pic, NULL);
  if (ret < 0)
    return VA_STATUS_ERROR_OPERATION_FAILED;
  for (i = 0; i < n_nals; i++)
    size += nals[i].sizeBytes;
  if (size > f->out_capacity)
    return VA_STATUS_ERROR_NOT_ENOUGH_BUFFER;
  /* x265 keeps the NAL payloads of one frame contiguous (x265.h) */
  if (size > 0)
    memcpy (f->out, nals[0].payload, size);
  f->out_size = size;
  return VA_STATUS_SUCCESS;
}

const FakevaEncoderClass fakeva_h265_encoder = {
  swva_x265_new, swva_x265_free, swva_x265_encode
};
