/* SPDX-License-Identifier: GPL-2.0-or-later */
/* gst-qsvautoenc test support: the software VA encode driver's encoder
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This program is free software; you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation; either version 2 of the License, or
 * (at your option) any later version.
 *
 * It links libx264, so swva_drv_video.so is GPL-2+. It is built for the
 * tests only; the plugin itself never links x264.
 */

/* Each vaEndPicture hands the surface to libx264: one frame in, one frame
 * out (zerolatency, no B-frames), an IDR exactly when the element asks,
 * SPS/PPS with every IDR since the element sends no packed headers. */

#include "fakeva_encode.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <x264.h>

typedef struct
{
  x264_t *x264;
  x264_param_t param;
  /* what the open encoder was made for */
  unsigned int width, height, fps_n, fps_d, rc, quality;
  VAProfile profile;
  unsigned int bits_per_second, target_percentage, qp;
  int index;                    /* the process's how-manieth encoder */
} SwvaEncoder;

/* Two real encoders (vah264enc on EncSlice, vah264lpenc on EncSliceLP, a
 * different driver) write different parameter sets for the same stream:
 * each encoder here gets its own reference count, level and entropy coder,
 * so that a switch between them changes SPS and PPS as it would on real
 * hardware (and codec_data with them). */
static int encoders_made;

static void *
swva_x264_new (void)
{
  SwvaEncoder *e = calloc (1, sizeof (SwvaEncoder));

  if (e)
    e->index = __atomic_fetch_add (&encoders_made, 1, __ATOMIC_RELAXED);
  return e;
}

static void
swva_x264_free (void *encoder)
{
  SwvaEncoder *e = encoder;

  if (!e)
    return;
  if (e->x264)
    x264_encoder_close (e->x264);
  free (e);
}

/* the VA quality level, 1 best .. 7 fastest, as an x264 preset */
static const char *
preset_for (unsigned int quality)
{
  static const char *const presets[] = {
    "veryfast", "slow", "medium", "fast", "faster", "veryfast", "superfast",
    "ultrafast"
  };
  return presets[quality <= 7 ? quality : 0];
}

static const char *
profile_for (VAProfile profile)
{
  switch (profile) {
    case VAProfileH264ConstrainedBaseline:
      return "baseline";
    case VAProfileH264Main:
      return "main";
    default:
      return "high";
  }
}

/* kbit/s the element asked for; 0 means "auto": about 0.1 bit per pixel */
static unsigned int
kbps (const FakevaFrame * f)
{
  if (f->bits_per_second)
    return f->bits_per_second / 1000;
  return (unsigned int) ((uint64_t) f->width * f->height * f->fps_n /
      (f->fps_d ? f->fps_d : 1) / 10000) + 1;
}

static void
set_rate_control (x264_param_t * p, const FakevaFrame * f)
{
  unsigned int max = kbps (f);
  unsigned int pct = f->target_percentage ? f->target_percentage : 100;

  if (f->rc == VA_RC_CQP) {
    p->rc.i_rc_method = X264_RC_CQP;
    p->rc.i_qp_constant = f->qp;
    return;
  }
  p->rc.i_rc_method = X264_RC_ABR;
  /* CBR: the target is the maximum; VBR: a percentage of it */
  p->rc.i_bitrate = f->rc == VA_RC_VBR ? max * pct / 100 : max;
  p->rc.i_vbv_max_bitrate = max;
  p->rc.i_vbv_buffer_size = max;
}

static int
open_encoder (SwvaEncoder * e, const FakevaFrame * f)
{
  x264_param_t *p = &e->param;

  if (e->x264)
    x264_encoder_close (e->x264);
  e->x264 = NULL;
  if (x264_param_default_preset (p, preset_for (f->quality_level),
          "zerolatency") < 0)
    return -1;
  p->i_threads = 1;
  p->i_width = f->width;
  p->i_height = f->height;
  p->i_csp = X264_CSP_NV12;
  p->i_fps_num = f->fps_n ? f->fps_n : 30;
  p->i_fps_den = f->fps_d ? f->fps_d : 1;
  p->i_keyint_max = X264_KEYINT_MAX_INFINITE;   /* IDRs when asked, only */
  p->i_scenecut_threshold = 0;
  p->i_bframe = 0;
  p->b_repeat_headers = 1;
  p->b_annexb = 1;
  p->i_log_level = X264_LOG_NONE;
  set_rate_control (p, f);
  p->i_frame_reference = 1 + e->index % 3;
  p->i_level_idc = e->index % 2 ? 40 : 41;
  p->b_cabac = e->index % 2 == 0;
  if (x264_param_apply_profile (p, profile_for (f->profile)) < 0)
    return -1;
  e->x264 = x264_encoder_open (p);
  if (!e->x264)
    return -1;
  e->width = f->width;
  e->height = f->height;
  e->fps_n = f->fps_n;
  e->fps_d = f->fps_d;
  e->rc = f->rc;
  e->quality = f->quality_level;
  e->profile = f->profile;
  e->bits_per_second = f->bits_per_second;
  e->target_percentage = f->target_percentage;
  e->qp = f->qp;
  return 0;
}

/* Size, profile, mode or preset changed: a new encoder. Only the bitrate or
 * the QP: reconfigure, as a bitrate change while PLAYING must work. */
static int
ensure_encoder (SwvaEncoder * e, const FakevaFrame * f)
{
  if (!e->x264 || e->width != f->width || e->height != f->height ||
      e->rc != f->rc || e->quality != f->quality_level ||
      e->profile != f->profile || e->fps_n != f->fps_n ||
      e->fps_d != f->fps_d)
    return open_encoder (e, f);
  if (e->bits_per_second != f->bits_per_second || e->qp != f->qp ||
      e->target_percentage != f->target_percentage) {
    set_rate_control (&e->param, f);
    e->bits_per_second = f->bits_per_second;
    e->target_percentage = f->target_percentage;
    e->qp = f->qp;
    return x264_encoder_reconfig (e->x264, &e->param);
  }
  return 0;
}

static VAStatus
swva_x264_encode (void *encoder, FakevaFrame * f)
{
  SwvaEncoder *e = encoder;
  x264_picture_t pic, out;
  x264_nal_t *nals;
  int n_nals, size;

  if (!e || ensure_encoder (e, f) < 0)
    return VA_STATUS_ERROR_OPERATION_FAILED;
  x264_picture_init (&pic);
  pic.img.i_csp = X264_CSP_NV12;
  pic.img.i_plane = 2;
  pic.img.plane[0] = (uint8_t *) f->y;
  pic.img.plane[1] = (uint8_t *) f->uv;
  pic.img.i_stride[0] = pic.img.i_stride[1] = f->pitch;
  pic.i_pts = f->frame;
  pic.i_type = f->idr ? X264_TYPE_IDR : X264_TYPE_P;

  size = x264_encoder_encode (e->x264, &nals, &n_nals, &pic, &out);
  if (size < 0)
    return VA_STATUS_ERROR_OPERATION_FAILED;
  if ((unsigned int) size > f->out_capacity)
    return VA_STATUS_ERROR_NOT_ENOUGH_BUFFER;
  /* x264 keeps the NAL payloads of one frame contiguous */
  if (size > 0)
    memcpy (f->out, nals[0].p_payload, size);
  f->out_size = size;
  return VA_STATUS_SUCCESS;
}

const FakevaEncoderClass fakeva_h264_encoder = {
  swva_x264_new, swva_x264_free, swva_x264_encode
};
