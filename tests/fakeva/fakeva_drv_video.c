/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc test support
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* fakeva_drv_video.so: a libva backend driver for the tests, loaded by the
 * REAL libva through LIBVA_DRIVERS_PATH=<builddir>/tests/fakeva and
 * LIBVA_DRIVER_NAME=fakeva. It reports whatever H.264 encode capabilities
 * the test asks for. Surfaces, images and buffers are plain memory; the
 * encode step is fakeva_encode.h's: none here (an encoder driving this one
 * fails at its first frame), libx264 in swva_drv_video.so.
 *
 * Configuration, "key=value" pairs separated by ';' or newlines, read from
 * $FAKEVA_CONFIG and then from the render node file itself (so each fake
 * node of a test can describe a different GPU; later keys win):
 *   vendor=STRING            vaQueryVendorString()
 *   init=ok|fail             make __vaDriverInit fail
 *   profiles=cb,main,high    H.264 profiles reported
 *   hevc=main,main10         HEVC profiles reported too (default: none, so
 *                            an H.264-only GPU unless a test asks): with
 *                            both entrypoints, the same rc= modes; main
 *                            works on NV12 surfaces, main10 on P010. swva
 *                            encodes them with libx265 (swva_encode_x265.c)
 *   entrypoints=slice,lp     any of slice, lp, none
 *   rc=cbr,vbr,cqp           rate-control modes of both entrypoints
 *   rc_slice=..., rc_lp=...  per entrypoint
 *   max=WxH                  max picture size (0x0: attribute not supported)
 *   fail_at=N                vaEndPicture fails from the Nth frame (0-based)
 *                            of a context on: each new context (a fresh
 *                            encoder) works again until its own Nth frame
 *   gone_at=N                the GPU is gone for good from the Nth encode
 *                            vaEndPicture (0-based) counted over the whole
 *                            process (all displays and contexts: vah264enc,
 *                            vah264lpenc and vaapih264enc load this one .so):
 *                            that call and every later vaEndPicture fail, and
 *                            so do vaCreateConfig, vaCreateContext and
 *                            vaCreateSurfaces, so each later hardware
 *                            candidate fails at READY or at its first frame
 *   garbage_at=N             from the Nth frame (0-based) of a context on,
 *                            the coded buffer holds bytes that are not H.264
 *                            (deterministic pseudo-random, no zero byte so no
 *                            start code, the size of the real frame) while
 *                            vaEndPicture, vaSyncSurface and vaMapBuffer
 *                            succeed
 *   vpp=1                    also a VideoProc entrypoint (VAProfileNone)
 *                            that copies and scales NV12 surfaces, so that
 *                            vapostproc registers and VA memory flows
 *   stall_at=N, stall_ms=M   vaEndPicture of frame N (0-based) of a context
 *                            first blocks M ms (default 3000; a sleep that
 *                            resumes after signals, so never shorter), then
 *                            fails with VA_STATUS_ERROR_TIMEDOUT: a GPU hang
 *                            as the element sees it. The frame is not
 *                            counted, so a retry of the same context stalls
 *                            again
 *   stall_max=K              at most K stalls in the whole process (default:
 *                            no limit): with K=1 only the first context to
 *                            reach frame N hangs and a replacement encodes
 *                            on, so a test pays the stall once
 *   crash_at=init|query      a driver bug: SIGSEGV in __vaDriverInit or in
 *                            vaQueryConfigProfiles
 *   hang_at=init|query       a driver that never returns from there
 * $FAKEVA_LOG: a file to which each encoded frame appends what the element
 * asked for (rate control, bitrate, QP, quality level, IDR, size).
 *
 * gone_at and stall_max count over the process in static variables; the
 * module is linked with -z nodelete (meson.build) so that they survive libva
 * closing the last display (dlclose) before the next element opens one.
 */

#include <va/va.h>
#include <va/va_backend.h>
#include <va/va_drmcommon.h>
#include <va/va_vpp.h>
#include <va/va_backend_vpp.h>

#include "fakeva_encode.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#define MAX_CONFIGS 64
#define MAX_SURFACES 512
#define MAX_BUFFERS 4096
#define MAX_IMAGES 256
#define MAX_CONTEXTS 16
#define FAKEVA_MAX_PROFILES 5     /* 3 H.264, 2 HEVC */
#define FAKEVA_MAX_ENTRYPOINTS 2

typedef struct
{
  char vendor[256];
  int init_fail;
  int profiles[FAKEVA_MAX_PROFILES];    /* cb, main, high, hevc main,
                                         * hevc main10 enabled */
  int entrypoints[FAKEVA_MAX_ENTRYPOINTS];      /* slice, lp enabled */
  unsigned int rc[FAKEVA_MAX_ENTRYPOINTS];
  unsigned int max_width, max_height;
  int fail_at;                  /* -1: never */
  int vpp;
  int stall_at;                 /* -1: never */
  unsigned int stall_ms;
  int stall_max;                /* -1: no limit */
  int gone_at;                  /* -1: never */
  int garbage_at;               /* -1: never */
  char crash_at[16];            /* "", "init", "query" */
  char hang_at[16];
} FakeConfig;

typedef struct
{
  int used;
  VAProfile profile;
  VAEntrypoint entrypoint;
  unsigned int rc;
} FakeVAConfig;

static int
is_hevc (VAProfile profile)
{
  return profile == VAProfileHEVCMain || profile == VAProfileHEVCMain10;
}

#define ALIGN(v, a) (((v) + (a) - 1) / (a) * (a))

typedef struct
{
  int used;
  unsigned int width, height, pitch, aligned_height;
  unsigned int fourcc;          /* NV12, or P010 (16-bit samples) */
  unsigned char *data;
  size_t size;
} FakeSurface;

typedef struct
{
  int used;
  VABufferType type;
  unsigned int size, num;
  unsigned char *data;
  int owns_data;
  VACodedBufferSegment segment; /* for VAEncCodedBufferType */
} FakeBuffer;

typedef struct
{
  int used;
  VAImage image;
} FakeImage;

typedef struct
{
  int used;
  VAConfigID config;
  VASurfaceID target;
  const FakevaEncoderClass *klass;      /* by the config's profile */
  void *encoder;
  unsigned int frame;
  /* what RenderPicture said: the parameter buffers are gone by EndPicture */
  unsigned int width, height, fps_n, fps_d;
  unsigned int bits_per_second, target_percentage, quality_level;
  unsigned int qp;
  int slice_qp_delta, idr;
  VABufferID coded_buf;
  VASurfaceID vpp_source;       /* VideoProc: the surface to copy */
} FakeContext;

typedef struct
{
  FakeConfig conf;
  FakeVAConfig configs[MAX_CONFIGS];
  FakeSurface surfaces[MAX_SURFACES];
  FakeBuffer buffers[MAX_BUFFERS];
  FakeImage images[MAX_IMAGES];
  FakeContext contexts[MAX_CONTEXTS];
} FakeDriver;

static const VAProfile profile_ids[FAKEVA_MAX_PROFILES] = {
  VAProfileH264ConstrainedBaseline, VAProfileH264Main, VAProfileH264High,
  VAProfileHEVCMain, VAProfileHEVCMain10
};

static const VAEntrypoint entrypoint_ids[FAKEVA_MAX_ENTRYPOINTS] = {
  VAEntrypointEncSlice, VAEntrypointEncSliceLP
};

static unsigned int
parse_rc (const char *v)
{
  unsigned int rc = 0;

  if (strstr (v, "cbr"))
    rc |= VA_RC_CBR;
  if (strstr (v, "vbr"))
    rc |= VA_RC_VBR;
  if (strstr (v, "cqp"))
    rc |= VA_RC_CQP;
  if (strstr (v, "icq"))
    rc |= VA_RC_ICQ;
  return rc;
}

static void
apply_pair (FakeConfig * c, const char *key, const char *v)
{
  if (!strcmp (key, "vendor")) {
    snprintf (c->vendor, sizeof (c->vendor), "%s", v);
  } else if (!strcmp (key, "init")) {
    c->init_fail = !strcmp (v, "fail");
  } else if (!strcmp (key, "profiles")) {
    c->profiles[0] = strstr (v, "cb") != NULL;
    c->profiles[1] = strstr (v, "main") != NULL;
    c->profiles[2] = strstr (v, "high") != NULL;
  } else if (!strcmp (key, "hevc")) {
    char list[256], *tok, *save = NULL;

    snprintf (list, sizeof (list), "%s", v);
    c->profiles[3] = c->profiles[4] = 0;
    for (tok = strtok_r (list, ",", &save); tok;
        tok = strtok_r (NULL, ",", &save)) {
      c->profiles[3] |= !strcmp (tok, "main");
      c->profiles[4] |= !strcmp (tok, "main10");
    }
  } else if (!strcmp (key, "entrypoints")) {
    c->entrypoints[0] = strstr (v, "slice") != NULL;
    c->entrypoints[1] = strstr (v, "lp") != NULL;
  } else if (!strcmp (key, "rc")) {
    c->rc[0] = c->rc[1] = parse_rc (v);
  } else if (!strcmp (key, "rc_slice")) {
    c->rc[0] = parse_rc (v);
  } else if (!strcmp (key, "rc_lp")) {
    c->rc[1] = parse_rc (v);
  } else if (!strcmp (key, "fail_at")) {
    c->fail_at = atoi (v);
  } else if (!strcmp (key, "vpp")) {
    c->vpp = atoi (v);
  } else if (!strcmp (key, "stall_at")) {
    c->stall_at = atoi (v);
  } else if (!strcmp (key, "stall_ms")) {
    c->stall_ms = atoi (v);
  } else if (!strcmp (key, "stall_max")) {
    c->stall_max = atoi (v);
  } else if (!strcmp (key, "gone_at")) {
    c->gone_at = atoi (v);
  } else if (!strcmp (key, "garbage_at")) {
    c->garbage_at = atoi (v);
  } else if (!strcmp (key, "crash_at")) {
    snprintf (c->crash_at, sizeof (c->crash_at), "%s", v);
  } else if (!strcmp (key, "hang_at")) {
    snprintf (c->hang_at, sizeof (c->hang_at), "%s", v);
  } else if (!strcmp (key, "max")) {
    if (sscanf (v, "%ux%u", &c->max_width, &c->max_height) != 2)
      c->max_width = c->max_height = 0;
  }
}

static void
parse_config (FakeConfig * c, const char *text)
{
  char *copy, *tok, *save = NULL;

  if (!text)
    return;
  copy = strdup (text);
  for (tok = strtok_r (copy, ";\n", &save); tok;
      tok = strtok_r (NULL, ";\n", &save)) {
    char *eq = strchr (tok, '=');

    if (!eq)
      continue;
    *eq = '\0';
    apply_pair (c, tok, eq + 1);
  }
  free (copy);
}

/* A fake render node is a regular file whose contents configure it. */
static void
parse_node_file (FakeConfig * c, int fd)
{
  struct stat st;
  char buf[4096];
  ssize_t n;

  if (fd < 0 || fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    return;
  n = pread (fd, buf, sizeof (buf) - 1, 0);
  if (n <= 0)
    return;
  buf[n] = '\0';
  parse_config (c, buf);
}

static void
default_config (FakeConfig * c)
{
  memset (c, 0, sizeof (*c));
  snprintf (c->vendor, sizeof (c->vendor),
      "Intel iHD driver for Intel(R) Gen Graphics - 23.1.1 (fakeva)");
  c->profiles[0] = c->profiles[1] = c->profiles[2] = 1;
  c->entrypoints[0] = c->entrypoints[1] = 1;
  c->rc[0] = c->rc[1] = VA_RC_CBR | VA_RC_VBR | VA_RC_CQP;
  c->max_width = c->max_height = 4096;
  c->fail_at = -1;
  c->stall_at = -1;
  c->stall_ms = 3000;
  c->stall_max = -1;
  c->gone_at = -1;
  c->garbage_at = -1;
}

/* Process-wide fault state (see the top comment): every display in the
 * process shares it, whichever thread calls. */
static unsigned int process_encode_frames;
static int process_gpu_gone;
static unsigned int process_stalls;

static int
gpu_gone (void)
{
  return __atomic_load_n (&process_gpu_gone, __ATOMIC_SEQ_CST);
}

/* Counts one encode vaEndPicture; true when the GPU is gone from it on. */
static int
gpu_gone_at_frame (const FakeConfig * c)
{
  unsigned int n;

  if (gpu_gone ())
    return 1;
  if (c->gone_at < 0)
    return 0;
  n = __atomic_fetch_add (&process_encode_frames, 1, __ATOMIC_SEQ_CST);
  if (n < (unsigned int) c->gone_at)
    return 0;
  __atomic_store_n (&process_gpu_gone, 1, __ATOMIC_SEQ_CST);
  return 1;
}

/* Whether this stall may happen: stall_max counts over the process. */
static int
take_stall (const FakeConfig * c)
{
  if (c->stall_max < 0)
    return 1;
  return __atomic_add_fetch (&process_stalls, 1, __ATOMIC_SEQ_CST) <=
      (unsigned int) c->stall_max;
}

/* Blocks the full time even when a signal interrupts the sleep. */
static void
sleep_ms (unsigned int ms)
{
  struct timespec left = { ms / 1000, (long) (ms % 1000) * 1000000L };

  while (nanosleep (&left, &left) != 0 && errno == EINTR);
}

/* Not H.264: bytes from a fixed xorshift sequence seeded by the frame
 * number, none of them zero, so no 00 00 01 start code anywhere. */
static void
fill_garbage (unsigned char *out, unsigned int size, unsigned int frame)
{
  uint32_t x = 0x9e3779b9u ^ (frame * 2654435761u);
  unsigned int i;

  for (i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    out[i] = (unsigned char) (x % 255 + 1);
  }
}

#define DRV(ctx) ((FakeDriver *) (ctx)->pDriverData)

/* The driver bugs the probe must survive: a crash (a real invalid write, as
 * a driver bug would make, not a polite abort) or a call that never
 * returns. */
static void
misbehave_at (const FakeConfig * c, const char *where)
{
  if (!strcmp (c->crash_at, where)) {
    volatile int *volatile nowhere = NULL;
    *nowhere = 1;
  }
  if (!strcmp (c->hang_at, where)) {
    for (;;)
      pause ();
  }
}

static int
profile_index (FakeDriver * drv, VAProfile profile)
{
  int i;

  for (i = 0; i < FAKEVA_MAX_PROFILES; i++) {
    if (profile_ids[i] == profile)
      return drv->conf.profiles[i] ? i : -1;
  }
  return -1;
}

static int
entrypoint_index (FakeDriver * drv, VAEntrypoint entrypoint)
{
  int i;

  for (i = 0; i < FAKEVA_MAX_ENTRYPOINTS; i++) {
    if (entrypoint_ids[i] == entrypoint)
      return drv->conf.entrypoints[i] ? i : -1;
  }
  return -1;
}

static void free_objects (FakeDriver * drv);

static int
is_vpp (FakeDriver * drv, VAProfile profile, VAEntrypoint entrypoint)
{
  return drv->conf.vpp && profile == VAProfileNone &&
      entrypoint == VAEntrypointVideoProc;
}

static VAStatus
fake_Terminate (VADriverContextP ctx)
{
  free_objects (ctx->pDriverData);
  free (ctx->pDriverData);
  ctx->pDriverData = NULL;
  free ((char *) ctx->str_vendor);
  ctx->str_vendor = NULL;
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_QueryConfigProfiles (VADriverContextP ctx, VAProfile * list, int *num)
{
  FakeDriver *drv = DRV (ctx);
  int i, n = 0;

  misbehave_at (&drv->conf, "query");
  for (i = 0; i < FAKEVA_MAX_PROFILES; i++) {
    if (drv->conf.profiles[i])
      list[n++] = profile_ids[i];
  }
  if (drv->conf.vpp)
    list[n++] = VAProfileNone;
  *num = n;
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_QueryConfigEntrypoints (VADriverContextP ctx, VAProfile profile,
    VAEntrypoint * list, int *num)
{
  FakeDriver *drv = DRV (ctx);
  int i, n = 0;

  if (profile == VAProfileNone && drv->conf.vpp) {
    list[0] = VAEntrypointVideoProc;
    *num = 1;
    return VA_STATUS_SUCCESS;
  }
  if (profile_index (drv, profile) < 0)
    return VA_STATUS_ERROR_UNSUPPORTED_PROFILE;
  for (i = 0; i < FAKEVA_MAX_ENTRYPOINTS; i++) {
    if (drv->conf.entrypoints[i])
      list[n++] = entrypoint_ids[i];
  }
  *num = n;
  return VA_STATUS_SUCCESS;
}

static unsigned int
rt_format_of (VAProfile profile)
{
  return profile == VAProfileHEVCMain10 ? VA_RT_FORMAT_YUV420_10 :
      VA_RT_FORMAT_YUV420;
}

static unsigned int
fourcc_of (VAProfile profile)
{
  return profile == VAProfileHEVCMain10 ? VA_FOURCC_P010 : VA_FOURCC_NV12;
}

/* The HEVC-only attributes, as the iHD driver of a Gen9+ GPU reports them
 * for an EncSlice/EncSliceLP config (values in libva 2.17's va.h types). */
static int
fill_hevc_attribute (VAConfigAttrib * a)
{
  switch (a->type) {
    case VAConfigAttribEncSliceStructure:
      a->value = VA_ENC_SLICE_STRUCTURE_ARBITRARY_MACROBLOCKS |
          VA_ENC_SLICE_STRUCTURE_ARBITRARY_ROWS;
      return 1;
    case VAConfigAttribEncHEVCFeatures:{
      VAConfigAttribValEncHEVCFeatures f = {.value = 0 };
      /* 1: supported, 2: required (va.h); what x265 writes by default */
      f.bits.separate_colour_planes = 0;
      f.bits.scaling_lists = 0;
      f.bits.amp = 1;
      f.bits.sao = 1;
      f.bits.pcm = 0;
      f.bits.temporal_mvp = 1;
      f.bits.strong_intra_smoothing = 1;
      f.bits.dependent_slices = 0;
      f.bits.sign_data_hiding = 1;
      f.bits.constrained_intra_pred = 1;
      f.bits.transform_skip = 1;
      f.bits.cu_qp_delta = 1;
      f.bits.weighted_prediction = 0;
      f.bits.transquant_bypass = 0;
      f.bits.deblocking_filter_disable = 1;
      a->value = f.value;
      return 1;
    }
    case VAConfigAttribEncHEVCBlockSizes:{
      VAConfigAttribValEncHEVCBlockSizes b = {.value = 0 };
      /* CTB 16..64, CB 8..64 (log2 - 3), TB 4..32 (log2 - 2); x265's
       * defaults: CTU 64, min CU 8, TU 4..32 */
      b.bits.log2_max_coding_tree_block_size_minus3 = 3;
      b.bits.log2_min_coding_tree_block_size_minus3 = 1;
      b.bits.log2_min_luma_coding_block_size_minus3 = 0;
      b.bits.log2_max_luma_transform_block_size_minus2 = 3;
      b.bits.log2_min_luma_transform_block_size_minus2 = 0;
      b.bits.max_max_transform_hierarchy_depth_inter = 2;
      b.bits.min_max_transform_hierarchy_depth_inter = 0;
      b.bits.max_max_transform_hierarchy_depth_intra = 2;
      b.bits.min_max_transform_hierarchy_depth_intra = 0;
      b.bits.log2_max_pcm_coding_block_size_minus3 = 0;
      b.bits.log2_min_pcm_coding_block_size_minus3 = 0;
      a->value = b.value;
      return 1;
    }
    default:
      return 0;
  }
}

static void
fill_attribute (FakeDriver * drv, VAProfile profile, int ep, VAConfigAttrib * a)
{
  if (is_hevc (profile) && fill_hevc_attribute (a))
    return;
  switch (a->type) {
    case VAConfigAttribRTFormat:
      a->value = rt_format_of (profile);
      break;
    case VAConfigAttribRateControl:
      a->value = drv->conf.rc[ep] ? drv->conf.rc[ep] : VA_ATTRIB_NOT_SUPPORTED;
      break;
    case VAConfigAttribMaxPictureWidth:
      a->value = drv->conf.max_width ? drv->conf.max_width :
          VA_ATTRIB_NOT_SUPPORTED;
      break;
    case VAConfigAttribMaxPictureHeight:
      a->value = drv->conf.max_height ? drv->conf.max_height :
          VA_ATTRIB_NOT_SUPPORTED;
      break;
    case VAConfigAttribEncPackedHeaders:
      a->value = VA_ENC_PACKED_HEADER_NONE;
      break;
    case VAConfigAttribEncMaxRefFrames:
      a->value = 1;             /* L0 = 1, L1 = 0: I/P only */
      break;
    case VAConfigAttribEncMaxSlices:
      a->value = 1;
      break;
    case VAConfigAttribEncQualityRange:
      a->value = 7;
      break;
    default:
      a->value = VA_ATTRIB_NOT_SUPPORTED;
      break;
  }
}

static VAStatus
fake_GetConfigAttributes (VADriverContextP ctx, VAProfile profile,
    VAEntrypoint entrypoint, VAConfigAttrib * list, int num)
{
  FakeDriver *drv = DRV (ctx);
  int i, ep;

  if (is_vpp (drv, profile, entrypoint)) {
    for (i = 0; i < num; i++)
      list[i].value = list[i].type == VAConfigAttribRTFormat ?
          VA_RT_FORMAT_YUV420 : VA_ATTRIB_NOT_SUPPORTED;
    return VA_STATUS_SUCCESS;
  }
  if (profile_index (drv, profile) < 0)
    return VA_STATUS_ERROR_UNSUPPORTED_PROFILE;
  ep = entrypoint_index (drv, entrypoint);
  if (ep < 0)
    return VA_STATUS_ERROR_UNSUPPORTED_ENTRYPOINT;
  for (i = 0; i < num; i++)
    fill_attribute (drv, profile, ep, &list[i]);
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_CreateConfig (VADriverContextP ctx, VAProfile profile,
    VAEntrypoint entrypoint, VAConfigAttrib * attribs, int num,
    VAConfigID * id)
{
  FakeDriver *drv = DRV (ctx);
  int i, ep = 0;

  if (gpu_gone ())
    return VA_STATUS_ERROR_OPERATION_FAILED;
  if (!is_vpp (drv, profile, entrypoint)) {
    if (profile_index (drv, profile) < 0)
      return VA_STATUS_ERROR_UNSUPPORTED_PROFILE;
    ep = entrypoint_index (drv, entrypoint);
    if (ep < 0)
      return VA_STATUS_ERROR_UNSUPPORTED_ENTRYPOINT;
  }
  for (i = 0; i < MAX_CONFIGS; i++) {
    if (!drv->configs[i].used)
      break;
  }
  if (i == MAX_CONFIGS)
    return VA_STATUS_ERROR_MAX_NUM_EXCEEDED;
  drv->configs[i].used = 1;
  drv->configs[i].profile = profile;
  drv->configs[i].entrypoint = entrypoint;
  drv->configs[i].rc = drv->conf.rc[ep];
  while (num-- > 0) {
    if (attribs[num].type == VAConfigAttribRateControl) {
      if (!(attribs[num].value & drv->conf.rc[ep])) {
        drv->configs[i].used = 0;
        return VA_STATUS_ERROR_INVALID_CONFIG;
      }
      drv->configs[i].rc = attribs[num].value;
    }
  }
  *id = i + 1;
  return VA_STATUS_SUCCESS;
}

static FakeVAConfig *
lookup_config (VADriverContextP ctx, VAConfigID id)
{
  FakeDriver *drv = DRV (ctx);

  if (id < 1 || id > MAX_CONFIGS || !drv->configs[id - 1].used)
    return NULL;
  return &drv->configs[id - 1];
}

static VAStatus
fake_DestroyConfig (VADriverContextP ctx, VAConfigID id)
{
  FakeVAConfig *c = lookup_config (ctx, id);

  if (!c)
    return VA_STATUS_ERROR_INVALID_CONFIG;
  c->used = 0;
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_QueryConfigAttributes (VADriverContextP ctx, VAConfigID id,
    VAProfile * profile, VAEntrypoint * entrypoint, VAConfigAttrib * list,
    int *num)
{
  FakeVAConfig *c = lookup_config (ctx, id);

  if (!c)
    return VA_STATUS_ERROR_INVALID_CONFIG;
  *profile = c->profile;
  *entrypoint = c->entrypoint;
  list[0].type = VAConfigAttribRTFormat;
  list[0].value = rt_format_of (c->profile);
  list[1].type = VAConfigAttribRateControl;
  list[1].value = c->rc;
  *num = 2;
  return VA_STATUS_SUCCESS;
}

static void
set_int_attrib (VASurfaceAttrib * a, VASurfaceAttribType type, int value)
{
  a->type = type;
  a->flags = VA_SURFACE_ATTRIB_GETTABLE;
  a->value.type = VAGenericValueTypeInteger;
  a->value.value.i = value;
}

/* What surfaces a config works on: NV12 (P010 for HEVC Main10) in VA
 * memory, up to the max size. */
static VAStatus
fake_QuerySurfaceAttributes (VADriverContextP ctx, VAConfigID config,
    VASurfaceAttrib * list, unsigned int *num)
{
  FakeDriver *drv = DRV (ctx);
  const unsigned int n = 6;
  unsigned int max_w = drv->conf.max_width ? drv->conf.max_width : 4096;
  unsigned int max_h = drv->conf.max_height ? drv->conf.max_height : 4096;
  FakeVAConfig *cfg = lookup_config (ctx, config);

  if (!cfg)
    return VA_STATUS_ERROR_INVALID_CONFIG;
  if (!list) {
    *num = n;
    return VA_STATUS_SUCCESS;
  }
  if (*num < n) {
    *num = n;
    return VA_STATUS_ERROR_MAX_NUM_EXCEEDED;
  }
  set_int_attrib (&list[0], VASurfaceAttribPixelFormat,
      fourcc_of (cfg->profile));
  list[0].flags |= VA_SURFACE_ATTRIB_SETTABLE;
  set_int_attrib (&list[1], VASurfaceAttribMinWidth, 16);
  set_int_attrib (&list[2], VASurfaceAttribMinHeight, 16);
  set_int_attrib (&list[3], VASurfaceAttribMaxWidth, max_w);
  set_int_attrib (&list[4], VASurfaceAttribMaxHeight, max_h);
  set_int_attrib (&list[5], VASurfaceAttribMemoryType,
      VA_SURFACE_ATTRIB_MEM_TYPE_VA);
  list[5].flags |= VA_SURFACE_ATTRIB_SETTABLE;
  *num = n;
  return VA_STATUS_SUCCESS;
}

/* P010 only where HEVC Main10 is reported: an H.264 GPU lists NV12 alone */
static int
has_p010 (FakeDriver * drv)
{
  return drv->conf.profiles[4];
}

static VAStatus
fake_QueryImageFormats (VADriverContextP ctx, VAImageFormat * list, int *num)
{
  memset (&list[0], 0, sizeof (list[0]));
  list[0].fourcc = VA_FOURCC_NV12;
  list[0].byte_order = VA_LSB_FIRST;
  list[0].bits_per_pixel = 12;
  *num = 1;
  if (has_p010 (DRV (ctx))) {
    memset (&list[1], 0, sizeof (list[1]));
    list[1].fourcc = VA_FOURCC_P010;
    list[1].byte_order = VA_LSB_FIRST;
    list[1].bits_per_pixel = 24;
    *num = 2;
  }
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_QuerySubpictureFormats (VADriverContextP ctx, VAImageFormat * list,
    unsigned int *flags, unsigned int *num)
{
  (void) ctx;
  (void) list;
  (void) flags;
  *num = 0;
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_QueryDisplayAttributes (VADriverContextP ctx, VADisplayAttribute * list,
    int *num)
{
  (void) ctx;
  (void) list;
  *num = 0;
  return VA_STATUS_SUCCESS;
}

/* ---------------------------------------------------------------------- */
/* Object tables: an ID is the slot index + 1                             */

#define DEFINE_LOOKUP(name, type, table, max)                   \
static type *                                                   \
name (FakeDriver * drv, unsigned int id)                        \
{                                                               \
  if (id < 1 || id > (max) || !drv->table[id - 1].used)         \
    return NULL;                                                \
  return &drv->table[id - 1];                                   \
}

DEFINE_LOOKUP (get_surface, FakeSurface, surfaces, MAX_SURFACES)
DEFINE_LOOKUP (get_buffer, FakeBuffer, buffers, MAX_BUFFERS)
DEFINE_LOOKUP (get_image, FakeImage, images, MAX_IMAGES)
DEFINE_LOOKUP (get_context, FakeContext, contexts, MAX_CONTEXTS)

#define ALLOC_SLOT(drv, table, max, out_id) do {               \
  unsigned int i_;                                             \
  *(out_id) = 0;                                               \
  for (i_ = 0; i_ < (max); i_++) {                             \
    if (!(drv)->table[i_].used) {                              \
      memset (&(drv)->table[i_], 0, sizeof ((drv)->table[i_])); \
      (drv)->table[i_].used = 1;                               \
      *(out_id) = i_ + 1;                                      \
      break;                                                   \
    }                                                          \
  }                                                            \
} while (0)

static void
buffer_clear (FakeBuffer * b)
{
  if (b->owns_data)
    free (b->data);
  memset (b, 0, sizeof (*b));
}

static void
free_objects (FakeDriver * drv)
{
  unsigned int i;

  if (!drv)
    return;
  for (i = 0; i < MAX_SURFACES; i++)
    free (drv->surfaces[i].data);
  for (i = 0; i < MAX_BUFFERS; i++)
    buffer_clear (&drv->buffers[i]);
  for (i = 0; i < MAX_CONTEXTS; i++) {
    if (drv->contexts[i].klass)
      drv->contexts[i].klass->free (drv->contexts[i].encoder);
  }
}

/* NV12 (or P010: the same with 16-bit samples), one layout for surfaces,
 * derived and created images alike: the GStreamer VA allocator uses both
 * and expects them identical */
static void
nv12_layout (unsigned int fourcc, unsigned int width, unsigned int height,
    unsigned int *pitch, unsigned int *aligned_height, size_t *size)
{
  *pitch = ALIGN (width * (fourcc == VA_FOURCC_P010 ? 2 : 1), 64);
  *aligned_height = ALIGN (height, 32);
  *size = (size_t) * pitch * *aligned_height * 3 / 2;
}

static VAStatus
create_surfaces (VADriverContextP ctx, unsigned int format,
    unsigned int width, unsigned int height, VASurfaceID * ids,
    unsigned int n)
{
  FakeDriver *drv = DRV (ctx);
  unsigned int i, fourcc = VA_FOURCC_NV12;

  if (gpu_gone ())
    return VA_STATUS_ERROR_ALLOCATION_FAILED;
  if (format == VA_RT_FORMAT_YUV420_10 && has_p010 (drv))
    fourcc = VA_FOURCC_P010;
  else if (format != VA_RT_FORMAT_YUV420)
    return VA_STATUS_ERROR_UNSUPPORTED_RT_FORMAT;
  if ((drv->conf.max_width && width > drv->conf.max_width) ||
      (drv->conf.max_height && height > drv->conf.max_height))
    return VA_STATUS_ERROR_RESOLUTION_NOT_SUPPORTED;
  for (i = 0; i < n; i++) {
    FakeSurface *s;

    ALLOC_SLOT (drv, surfaces, MAX_SURFACES, &ids[i]);
    if (!ids[i])
      return VA_STATUS_ERROR_ALLOCATION_FAILED;
    s = &drv->surfaces[ids[i] - 1];
    s->width = width;
    s->height = height;
    s->fourcc = fourcc;
    nv12_layout (fourcc, width, height, &s->pitch, &s->aligned_height,
        &s->size);
    s->data = calloc (1, s->size);
    if (!s->data)
      return VA_STATUS_ERROR_ALLOCATION_FAILED;
  }
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_CreateSurfaces (VADriverContextP ctx, int width, int height, int format,
    int n, VASurfaceID * ids)
{
  return create_surfaces (ctx, format, width, height, ids, n);
}

static VAStatus
fake_CreateSurfaces2 (VADriverContextP ctx, unsigned int format,
    unsigned int width, unsigned int height, VASurfaceID * ids,
    unsigned int n, VASurfaceAttrib * attribs, unsigned int n_attribs)
{
  unsigned int i;

  for (i = 0; i < n_attribs; i++) {
    if (attribs[i].type == VASurfaceAttribPixelFormat &&
        attribs[i].value.value.i != (format == VA_RT_FORMAT_YUV420_10 ?
            VA_FOURCC_P010 : VA_FOURCC_NV12))
      return VA_STATUS_ERROR_UNSUPPORTED_RT_FORMAT;
  }
  return create_surfaces (ctx, format, width, height, ids, n);
}

static VAStatus
fake_DestroySurfaces (VADriverContextP ctx, VASurfaceID * ids, int n)
{
  FakeDriver *drv = DRV (ctx);
  int i;

  for (i = 0; i < n; i++) {
    FakeSurface *s = get_surface (drv, ids[i]);

    if (!s)
      return VA_STATUS_ERROR_INVALID_SURFACE;
    free (s->data);
    memset (s, 0, sizeof (*s));
  }
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_SurfaceReady (VADriverContextP ctx, VASurfaceID id)
{
  return get_surface (DRV (ctx), id) ?
      VA_STATUS_SUCCESS : VA_STATUS_ERROR_INVALID_SURFACE;
}

static VAStatus
fake_QuerySurfaceStatus (VADriverContextP ctx, VASurfaceID id,
    VASurfaceStatus * status)
{
  *status = VASurfaceReady;
  return fake_SurfaceReady (ctx, id);
}

/* buffers ---------------------------------------------------------------- */

static VAStatus
new_buffer (FakeDriver * drv, VABufferType type, unsigned int size,
    unsigned int num, VABufferID * id)
{
  FakeBuffer *b;

  ALLOC_SLOT (drv, buffers, MAX_BUFFERS, id);
  if (!*id)
    return VA_STATUS_ERROR_ALLOCATION_FAILED;
  b = &drv->buffers[*id - 1];
  b->type = type;
  b->size = size;
  b->num = num;
  return VA_STATUS_SUCCESS;
}

/* zero-filled and mappable: vaapih264enc creates misc parameter buffers
 * with no data and fills them through vaMapBuffer */
static VAStatus
fake_CreateBuffer (VADriverContextP ctx, VAContextID context,
    VABufferType type, unsigned int size, unsigned int num, void *data,
    VABufferID * id)
{
  FakeDriver *drv = DRV (ctx);
  VAStatus st = new_buffer (drv, type, size, num ? num : 1, id);
  FakeBuffer *b;

  (void) context;
  if (st != VA_STATUS_SUCCESS)
    return st;
  b = &drv->buffers[*id - 1];
  b->data = calloc (1, (size_t) size * b->num + 1);
  b->owns_data = 1;
  if (!b->data)
    return VA_STATUS_ERROR_ALLOCATION_FAILED;
  if (data && type != VAEncCodedBufferType)
    memcpy (b->data, data, (size_t) size * b->num);
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_BufferSetNumElements (VADriverContextP ctx, VABufferID id,
    unsigned int n)
{
  FakeBuffer *b = get_buffer (DRV (ctx), id);

  if (!b)
    return VA_STATUS_ERROR_INVALID_BUFFER;
  if (n > b->num)
    return VA_STATUS_ERROR_INVALID_PARAMETER;
  b->num = n;
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_MapBuffer (VADriverContextP ctx, VABufferID id, void **p)
{
  FakeBuffer *b = get_buffer (DRV (ctx), id);

  if (!b)
    return VA_STATUS_ERROR_INVALID_BUFFER;
  if (b->type == VAEncCodedBufferType) {
    /* one segment: what vaEndPicture wrote */
    b->segment.buf = b->data;
    b->segment.next = NULL;
    *p = &b->segment;
  } else {
    *p = b->data;
  }
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_UnmapBuffer (VADriverContextP ctx, VABufferID id)
{
  return get_buffer (DRV (ctx), id) ?
      VA_STATUS_SUCCESS : VA_STATUS_ERROR_INVALID_BUFFER;
}

static VAStatus
fake_DestroyBuffer (VADriverContextP ctx, VABufferID id)
{
  FakeBuffer *b = get_buffer (DRV (ctx), id);

  if (!b)
    return VA_STATUS_ERROR_INVALID_BUFFER;
  buffer_clear (b);
  return VA_STATUS_SUCCESS;
}

/* images ----------------------------------------------------------------- */

static void
fill_image (VAImage * img, VAImageID id, VABufferID buf, unsigned int fourcc,
    unsigned int width, unsigned int height)
{
  unsigned int pitch, aligned_height;
  size_t size;

  nv12_layout (fourcc, width, height, &pitch, &aligned_height, &size);
  memset (img, 0, sizeof (*img));
  img->image_id = id;
  img->buf = buf;
  img->format.fourcc = fourcc;
  img->format.byte_order = VA_LSB_FIRST;
  img->format.bits_per_pixel = fourcc == VA_FOURCC_P010 ? 24 : 12;
  img->width = width;
  img->height = height;
  img->data_size = size;
  img->num_planes = 2;
  img->pitches[0] = img->pitches[1] = pitch;
  img->offsets[0] = 0;
  img->offsets[1] = pitch * aligned_height;
}

static VAStatus
make_image (VADriverContextP ctx, unsigned int fourcc, unsigned int width,
    unsigned int height, unsigned char *shared, VAImage * out)
{
  FakeDriver *drv = DRV (ctx);
  VAImageID id;
  VABufferID buf;
  VAStatus st;
  FakeBuffer *b;

  ALLOC_SLOT (drv, images, MAX_IMAGES, &id);
  if (!id)
    return VA_STATUS_ERROR_ALLOCATION_FAILED;
  st = new_buffer (drv, VAImageBufferType, 0, 1, &buf);
  if (st != VA_STATUS_SUCCESS) {
    drv->images[id - 1].used = 0;
    return st;
  }
  fill_image (&drv->images[id - 1].image, id, buf, fourcc, width, height);
  b = &drv->buffers[buf - 1];
  b->size = drv->images[id - 1].image.data_size;
  if (shared) {
    b->data = shared;           /* vaDeriveImage: the surface itself */
  } else {
    b->data = calloc (1, b->size);
    b->owns_data = 1;
  }
  *out = drv->images[id - 1].image;
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_CreateImage (VADriverContextP ctx, VAImageFormat * format, int width,
    int height, VAImage * image)
{
  if (format->fourcc != VA_FOURCC_NV12 && !(format->fourcc ==
          VA_FOURCC_P010 && has_p010 (DRV (ctx))))
    return VA_STATUS_ERROR_INVALID_IMAGE_FORMAT;
  return make_image (ctx, format->fourcc, width, height, NULL, image);
}

static VAStatus
fake_DeriveImage (VADriverContextP ctx, VASurfaceID surface, VAImage * image)
{
  FakeSurface *s = get_surface (DRV (ctx), surface);

  if (!s)
    return VA_STATUS_ERROR_INVALID_SURFACE;
  return make_image (ctx, s->fourcc, s->width, s->height, s->data, image);
}

static VAStatus
fake_DestroyImage (VADriverContextP ctx, VAImageID id)
{
  FakeDriver *drv = DRV (ctx);
  FakeImage *img = get_image (drv, id);

  if (!img)
    return VA_STATUS_ERROR_INVALID_IMAGE;
  fake_DestroyBuffer (ctx, img->image.buf);
  memset (img, 0, sizeof (*img));
  return VA_STATUS_SUCCESS;
}

/* whole-frame copies between a surface and an image of the same layout */
static VAStatus
copy_image (VADriverContextP ctx, VASurfaceID surface, VAImageID image,
    int to_surface)
{
  FakeDriver *drv = DRV (ctx);
  FakeSurface *s = get_surface (drv, surface);
  FakeImage *img = get_image (drv, image);
  FakeBuffer *b;
  size_t n;

  if (!s)
    return VA_STATUS_ERROR_INVALID_SURFACE;
  if (!img)
    return VA_STATUS_ERROR_INVALID_IMAGE;
  b = get_buffer (drv, img->image.buf);
  if (!b)
    return VA_STATUS_ERROR_INVALID_BUFFER;
  if (b->data == s->data)
    return VA_STATUS_SUCCESS;
  n = b->size < s->size ? b->size : s->size;
  if (to_surface)
    memcpy (s->data, b->data, n);
  else
    memcpy (b->data, s->data, n);
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_GetImage (VADriverContextP ctx, VASurfaceID s, int x, int y,
    unsigned int w, unsigned int h, VAImageID img)
{
  (void) x, (void) y, (void) w, (void) h;
  return copy_image (ctx, s, img, 0);
}

static VAStatus
fake_PutImage (VADriverContextP ctx, VASurfaceID s, VAImageID img, int sx,
    int sy, unsigned int sw, unsigned int sh, int dx, int dy,
    unsigned int dw, unsigned int dh)
{
  (void) sx, (void) sy, (void) sw, (void) sh;
  (void) dx, (void) dy, (void) dw, (void) dh;
  return copy_image (ctx, s, img, 1);
}

/* contexts and pictures -------------------------------------------------- */

static VAStatus
fake_CreateContext (VADriverContextP ctx, VAConfigID config, int width,
    int height, int flag, VASurfaceID * targets, int n, VAContextID * id)
{
  FakeDriver *drv = DRV (ctx);
  FakeVAConfig *cfg;
  FakeContext *c;

  (void) flag, (void) targets, (void) n;
  if (gpu_gone ())
    return VA_STATUS_ERROR_OPERATION_FAILED;
  cfg = lookup_config (ctx, config);
  if (!cfg)
    return VA_STATUS_ERROR_INVALID_CONFIG;
  ALLOC_SLOT (drv, contexts, MAX_CONTEXTS, id);
  if (!*id)
    return VA_STATUS_ERROR_ALLOCATION_FAILED;
  c = &drv->contexts[*id - 1];
  c->config = config;
  c->width = width;
  c->height = height;
  c->fps_n = 30;
  c->fps_d = 1;
  c->qp = 26;
  c->klass = fakeva_encoder_class (cfg->profile);
  c->encoder = c->klass->create ();
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_DestroyContext (VADriverContextP ctx, VAContextID id)
{
  FakeContext *c = get_context (DRV (ctx), id);

  if (!c)
    return VA_STATUS_ERROR_INVALID_CONTEXT;
  c->klass->free (c->encoder);
  memset (c, 0, sizeof (*c));
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_BeginPicture (VADriverContextP ctx, VAContextID id, VASurfaceID target)
{
  FakeContext *c = get_context (DRV (ctx), id);

  if (!c)
    return VA_STATUS_ERROR_INVALID_CONTEXT;
  c->target = target;
  return VA_STATUS_SUCCESS;
}

static void
take_sequence (FakeContext * c, const VAEncSequenceParameterBufferH264 * sp)
{
  unsigned int crop_x = 0, crop_y = 0;

  if (sp->frame_cropping_flag) {
    crop_x = 2 * (sp->frame_crop_left_offset + sp->frame_crop_right_offset);
    crop_y = 2 * (sp->frame_crop_top_offset + sp->frame_crop_bottom_offset);
  }
  c->width = sp->picture_width_in_mbs * 16 - crop_x;
  c->height = sp->picture_height_in_mbs * 16 - crop_y;
  if (sp->bits_per_second)
    c->bits_per_second = sp->bits_per_second;
  if (sp->vui_parameters_present_flag && sp->num_units_in_tick &&
      sp->time_scale) {
    c->fps_n = sp->time_scale;
    c->fps_d = sp->num_units_in_tick * 2;
  }
}

/* HEVC: the sequence carries the coded size (a multiple of the minimum
 * coding block, no conformance window: that is in the packed SPS only), so
 * the visible size stays the surface's (fake_EndPicture takes the
 * smaller). */
static void
take_sequence_hevc (FakeContext * c,
    const VAEncSequenceParameterBufferHEVC * sp)
{
  c->width = sp->pic_width_in_luma_samples;
  c->height = sp->pic_height_in_luma_samples;
  if (sp->bits_per_second)
    c->bits_per_second = sp->bits_per_second;
  if (sp->vui_parameters_present_flag && sp->vui_num_units_in_tick &&
      sp->vui_time_scale) {
    c->fps_n = sp->vui_time_scale;
    c->fps_d = sp->vui_num_units_in_tick;
  }
}

static void
take_picture_hevc (FakeContext * c,
    const VAEncPictureParameterBufferHEVC * pp)
{
  c->coded_buf = pp->coded_buf;
  c->idr = pp->pic_fields.bits.idr_pic_flag;
  c->qp = pp->pic_init_qp;
}

static void
take_misc (FakeContext * c, const VAEncMiscParameterBuffer * misc)
{
  switch (misc->type) {
    case VAEncMiscParameterTypeRateControl:{
      const VAEncMiscParameterRateControl *rc = (const void *) misc->data;
      if (rc->bits_per_second)
        c->bits_per_second = rc->bits_per_second;
      c->target_percentage = rc->target_percentage;
      break;
    }
    case VAEncMiscParameterTypeQualityLevel:{
      const VAEncMiscParameterBufferQualityLevel *q = (const void *) misc->data;
      c->quality_level = q->quality_level;
      break;
    }
    case VAEncMiscParameterTypeFrameRate:{
      const VAEncMiscParameterFrameRate *f = (const void *) misc->data;
      unsigned int num = f->framerate & 0xffff, den = f->framerate >> 16;
      if (num) {
        c->fps_n = num;
        c->fps_d = den ? den : 1;
      }
      break;
    }
    default:
      break;
  }
}

/* The parameter buffers are destroyed right after this: copy what counts. */
static VAStatus
fake_RenderPicture (VADriverContextP ctx, VAContextID id, VABufferID * bufs,
    int n)
{
  FakeDriver *drv = DRV (ctx);
  FakeContext *c = get_context (drv, id);
  FakeVAConfig *cfg;
  int i;

  if (!c)
    return VA_STATUS_ERROR_INVALID_CONTEXT;
  cfg = lookup_config (ctx, c->config);
  for (i = 0; i < n; i++) {
    FakeBuffer *b = get_buffer (drv, bufs[i]);

    if (!b)
      return VA_STATUS_ERROR_INVALID_BUFFER;
    if (cfg && is_hevc (cfg->profile)) {
      switch (b->type) {
        case VAEncSequenceParameterBufferType:
          take_sequence_hevc (c, (const void *) b->data);
          continue;
        case VAEncPictureParameterBufferType:
          take_picture_hevc (c, (const void *) b->data);
          continue;
        case VAEncSliceParameterBufferType:
          c->slice_qp_delta = ((const VAEncSliceParameterBufferHEVC *)
              b->data)->slice_qp_delta;
          continue;
        default:
          break;                /* misc and packed: as for H.264 */
      }
    }
    switch (b->type) {
      case VAEncSequenceParameterBufferType:
        take_sequence (c, (const void *) b->data);
        break;
      case VAEncPictureParameterBufferType:{
        const VAEncPictureParameterBufferH264 *pp = (const void *) b->data;
        c->coded_buf = pp->coded_buf;
        c->idr = pp->pic_fields.bits.idr_pic_flag;
        c->qp = pp->pic_init_qp;
        break;
      }
      case VAEncSliceParameterBufferType:{
        const VAEncSliceParameterBufferH264 *sl = (const void *) b->data;
        c->slice_qp_delta = sl->slice_qp_delta;
        break;
      }
      case VAEncMiscParameterBufferType:
        take_misc (c, (const void *) b->data);
        break;
      case VAProcPipelineParameterBufferType:
        c->vpp_source = ((const VAProcPipelineParameterBuffer *)
            b->data)->surface;
        break;
      default:
        break;
    }
  }
  return VA_STATUS_SUCCESS;
}

static void
log_frame (const FakeVAConfig * cfg, const FakevaFrame * f)
{
  const char *path = getenv ("FAKEVA_LOG");
  FILE *log;

  if (!path || !(log = fopen (path, "a")))
    return;
  fprintf (log, "frame=%u %sentrypoint=%s rc=%s bitrate=%u qp=%u quality=%u "
      "idr=%d size=%ux%u fps=%u/%u bytes=%u\n", f->frame,
      is_hevc (cfg->profile) ? cfg->profile == VAProfileHEVCMain10 ?
      "codec=hevc-main10 " : "codec=hevc " : "", cfg->entrypoint == VAEntrypointEncSliceLP ? "lp" : "slice",
      f->rc == VA_RC_CQP ? "cqp" : f->rc == VA_RC_VBR ? "vbr" : "cbr",
      f->bits_per_second, f->qp, f->quality_level, f->idr, f->width,
      f->height, f->fps_n, f->fps_d, f->out_size);
  fclose (log);
}

/* VideoProc: the source surface into the target, NV12 to NV12, nearest
 * neighbour where the sizes differ. */
static VAStatus
vpp_copy (FakeDriver * drv, FakeContext * c)
{
  FakeSurface *src = get_surface (drv, c->vpp_source);
  FakeSurface *dst = get_surface (drv, c->target);
  unsigned int x, y;

  if (!src || !dst)
    return VA_STATUS_ERROR_INVALID_SURFACE;
  if (src->fourcc != VA_FOURCC_NV12 || dst->fourcc != VA_FOURCC_NV12)
    return VA_STATUS_ERROR_UNSUPPORTED_RT_FORMAT;
  for (y = 0; y < dst->height; y++) {
    const unsigned char *sy = src->data + (size_t) (y * src->height /
        dst->height) * src->pitch;
    unsigned char *dy = dst->data + (size_t) y * dst->pitch;
    for (x = 0; x < dst->width; x++)
      dy[x] = sy[x * src->width / dst->width];
  }
  for (y = 0; y < dst->height / 2; y++) {
    const unsigned char *suv = src->data + (size_t) src->pitch *
        src->aligned_height + (size_t) (y * src->height / dst->height) *
        src->pitch;
    unsigned char *duv = dst->data + (size_t) dst->pitch * dst->aligned_height
        + (size_t) y * dst->pitch;
    for (x = 0; x < dst->width / 2; x++) {
      unsigned int sx = x * src->width / dst->width;
      duv[2 * x] = suv[2 * sx];
      duv[2 * x + 1] = suv[2 * sx + 1];
    }
  }
  return VA_STATUS_SUCCESS;
}

/* One frame in, one frame out: the whole encode happens here. */
static VAStatus
fake_EndPicture (VADriverContextP ctx, VAContextID id)
{
  FakeDriver *drv = DRV (ctx);
  FakeContext *c = get_context (drv, id);
  FakeSurface *s;
  FakeBuffer *coded;
  FakeVAConfig *cfg;
  FakevaFrame f;
  VAStatus st;

  if (!c)
    return VA_STATUS_ERROR_INVALID_CONTEXT;
  cfg = lookup_config (ctx, c->config);
  if (cfg && cfg->entrypoint == VAEntrypointVideoProc) {
    if (gpu_gone ())
      return VA_STATUS_ERROR_OPERATION_FAILED;
    return vpp_copy (drv, c);
  }
  s = get_surface (drv, c->target);
  coded = get_buffer (drv, c->coded_buf);
  if (!s)
    return VA_STATUS_ERROR_INVALID_SURFACE;
  if (!coded || coded->type != VAEncCodedBufferType || !cfg)
    return VA_STATUS_ERROR_INVALID_BUFFER;
  if (gpu_gone_at_frame (&drv->conf))
    return VA_STATUS_ERROR_OPERATION_FAILED;
  if (drv->conf.fail_at >= 0 && c->frame >= (unsigned int) drv->conf.fail_at)
    return VA_STATUS_ERROR_HW_BUSY;
  if (drv->conf.stall_at >= 0 && c->frame == (unsigned int) drv->conf.stall_at
      && take_stall (&drv->conf)) {
    sleep_ms (drv->conf.stall_ms);
    return VA_STATUS_ERROR_TIMEDOUT;
  }

  memset (&f, 0, sizeof (f));
  f.y = s->data;
  f.uv = s->data + (size_t) s->pitch * s->aligned_height;
  f.pitch = s->pitch;
  f.fourcc = s->fourcc;
  f.width = c->width < s->width ? c->width : s->width;
  f.height = c->height < s->height ? c->height : s->height;
  f.fps_n = c->fps_n;
  f.fps_d = c->fps_d;
  f.profile = cfg->profile;
  f.rc = cfg->rc & VA_RC_CQP ? VA_RC_CQP : cfg->rc & VA_RC_VBR ? VA_RC_VBR :
      VA_RC_CBR;
  f.bits_per_second = c->bits_per_second;
  f.target_percentage = c->target_percentage;
  f.qp = c->qp + c->slice_qp_delta;
  f.quality_level = c->quality_level;
  f.idr = c->idr;
  f.frame = c->frame;
  f.out = coded->data;
  f.out_capacity = coded->size;
  st = c->klass->encode (c->encoder, &f);
  if (st != VA_STATUS_SUCCESS)
    return st;
  if (drv->conf.garbage_at >= 0 &&
      c->frame >= (unsigned int) drv->conf.garbage_at)
    fill_garbage (coded->data, f.out_size, c->frame);
  coded->segment.size = f.out_size;
  coded->segment.status = 0;
  log_frame (cfg, &f);
  c->frame++;
  return VA_STATUS_SUCCESS;
}

/* Not implemented (display, subpictures): each entry must still be
 * non-NULL, or libva refuses the driver. */
#define UNIMPLEMENTED return VA_STATUS_ERROR_UNIMPLEMENTED

static VAStatus
fake_PutSurface (VADriverContextP c, VASurfaceID s, void *d, short sx,
    short sy, unsigned short sw, unsigned short sh, short dx, short dy,
    unsigned short dw, unsigned short dh, VARectangle * r, unsigned int nr,
    unsigned int f)
{
  (void) c, (void) s, (void) d, (void) sx, (void) sy, (void) sw, (void) sh;
  (void) dx, (void) dy, (void) dw, (void) dh, (void) r, (void) nr, (void) f;
  UNIMPLEMENTED;
}

static VAStatus
fake_SetImagePalette (VADriverContextP c, VAImageID img, unsigned char *p)
{
  (void) c, (void) img, (void) p;
  UNIMPLEMENTED;
}

static VAStatus
fake_CreateSubpicture (VADriverContextP c, VAImageID img, VASubpictureID * s)
{
  (void) c, (void) img, (void) s;
  UNIMPLEMENTED;
}

static VAStatus
fake_SubpictureId (VADriverContextP c, VASubpictureID s)
{
  (void) c, (void) s;
  UNIMPLEMENTED;
}

static VAStatus
fake_SetSubpictureImage (VADriverContextP c, VASubpictureID s, VAImageID img)
{
  (void) c, (void) s, (void) img;
  UNIMPLEMENTED;
}

static VAStatus
fake_SetSubpictureChromakey (VADriverContextP c, VASubpictureID s,
    unsigned int min, unsigned int max, unsigned int mask)
{
  (void) c, (void) s, (void) min, (void) max, (void) mask;
  UNIMPLEMENTED;
}

static VAStatus
fake_SetSubpictureGlobalAlpha (VADriverContextP c, VASubpictureID s, float a)
{
  (void) c, (void) s, (void) a;
  UNIMPLEMENTED;
}

static VAStatus
fake_AssociateSubpicture (VADriverContextP c, VASubpictureID sp,
    VASurfaceID * s, int n, short sx, short sy, unsigned short sw,
    unsigned short sh, short dx, short dy, unsigned short dw,
    unsigned short dh, unsigned int f)
{
  (void) c, (void) sp, (void) s, (void) n, (void) sx, (void) sy, (void) sw;
  (void) sh, (void) dx, (void) dy, (void) dw, (void) dh, (void) f;
  UNIMPLEMENTED;
}

static VAStatus
fake_DeassociateSubpicture (VADriverContextP c, VASubpictureID sp,
    VASurfaceID * s, int n)
{
  (void) c, (void) sp, (void) s, (void) n;
  UNIMPLEMENTED;
}

static VAStatus
fake_DisplayAttributes (VADriverContextP c, VADisplayAttribute * a, int n)
{
  (void) c, (void) a, (void) n;
  UNIMPLEMENTED;
}

static VAStatus
fake_QueryVideoProcFilters (VADriverContextP ctx, VAContextID context,
    VAProcFilterType * filters, unsigned int *num)
{
  (void) ctx, (void) context, (void) filters;
  *num = 0;
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_QueryVideoProcFilterCaps (VADriverContextP ctx, VAContextID context,
    VAProcFilterType type, void *caps, unsigned int *num)
{
  (void) ctx, (void) context, (void) type, (void) caps;
  *num = 0;
  return VA_STATUS_ERROR_UNSUPPORTED_FILTER;
}

static VAStatus
fake_QueryVideoProcPipelineCaps (VADriverContextP ctx, VAContextID context,
    VABufferID * filters, unsigned int num_filters,
    VAProcPipelineCaps * caps)
{
  (void) ctx, (void) context, (void) filters, (void) num_filters;
  caps->pipeline_flags = 0;
  caps->filter_flags = 0;
  caps->num_forward_references = 0;
  caps->num_backward_references = 0;
  caps->num_input_color_standards = 0;
  caps->num_output_color_standards = 0;
  return VA_STATUS_SUCCESS;
}

static void
fill_vtable_vpp (struct VADriverVTableVPP *vt)
{
  vt->vaQueryVideoProcFilters = fake_QueryVideoProcFilters;
  vt->vaQueryVideoProcFilterCaps = fake_QueryVideoProcFilterCaps;
  vt->vaQueryVideoProcPipelineCaps = fake_QueryVideoProcPipelineCaps;
}

static void
fill_vtable (struct VADriverVTable *vt)
{
  vt->vaTerminate = fake_Terminate;
  vt->vaQueryConfigProfiles = fake_QueryConfigProfiles;
  vt->vaQueryConfigEntrypoints = fake_QueryConfigEntrypoints;
  vt->vaGetConfigAttributes = fake_GetConfigAttributes;
  vt->vaCreateConfig = fake_CreateConfig;
  vt->vaDestroyConfig = fake_DestroyConfig;
  vt->vaQueryConfigAttributes = fake_QueryConfigAttributes;
  vt->vaCreateSurfaces = fake_CreateSurfaces;
  vt->vaCreateSurfaces2 = fake_CreateSurfaces2;
  vt->vaDestroySurfaces = fake_DestroySurfaces;
  vt->vaCreateContext = fake_CreateContext;
  vt->vaDestroyContext = fake_DestroyContext;
  vt->vaCreateBuffer = fake_CreateBuffer;
  vt->vaBufferSetNumElements = fake_BufferSetNumElements;
  vt->vaMapBuffer = fake_MapBuffer;
  vt->vaUnmapBuffer = fake_UnmapBuffer;
  vt->vaDestroyBuffer = fake_DestroyBuffer;
  vt->vaBeginPicture = fake_BeginPicture;
  vt->vaRenderPicture = fake_RenderPicture;
  vt->vaEndPicture = fake_EndPicture;
  vt->vaSyncSurface = fake_SurfaceReady;
  vt->vaQuerySurfaceStatus = fake_QuerySurfaceStatus;
  vt->vaPutSurface = fake_PutSurface;
  vt->vaQueryImageFormats = fake_QueryImageFormats;
  vt->vaCreateImage = fake_CreateImage;
  vt->vaDeriveImage = fake_DeriveImage;
  vt->vaDestroyImage = fake_DestroyImage;
  vt->vaSetImagePalette = fake_SetImagePalette;
  vt->vaGetImage = fake_GetImage;
  vt->vaPutImage = fake_PutImage;
  vt->vaQuerySubpictureFormats = fake_QuerySubpictureFormats;
  vt->vaCreateSubpicture = fake_CreateSubpicture;
  vt->vaDestroySubpicture = fake_SubpictureId;
  vt->vaSetSubpictureImage = fake_SetSubpictureImage;
  vt->vaSetSubpictureChromakey = fake_SetSubpictureChromakey;
  vt->vaSetSubpictureGlobalAlpha = fake_SetSubpictureGlobalAlpha;
  vt->vaAssociateSubpicture = fake_AssociateSubpicture;
  vt->vaDeassociateSubpicture = fake_DeassociateSubpicture;
  vt->vaQueryDisplayAttributes = fake_QueryDisplayAttributes;
  vt->vaGetDisplayAttributes = fake_DisplayAttributes;
  vt->vaSetDisplayAttributes = fake_DisplayAttributes;
  vt->vaQuerySurfaceAttributes = fake_QuerySurfaceAttributes;
}

VAStatus __vaDriverInit_1_0 (VADriverContextP ctx);

VAStatus
__vaDriverInit_1_0 (VADriverContextP ctx)
{
  struct drm_state *drm = ctx->drm_state;
  FakeDriver *drv;

  drv = calloc (1, sizeof (*drv));
  if (!drv)
    return VA_STATUS_ERROR_ALLOCATION_FAILED;
  default_config (&drv->conf);
  parse_config (&drv->conf, getenv ("FAKEVA_CONFIG"));
  parse_node_file (&drv->conf, drm ? drm->fd : -1);
  misbehave_at (&drv->conf, "init");
  if (drv->conf.init_fail) {
    free (drv);
    return VA_STATUS_ERROR_HW_BUSY;
  }

  ctx->pDriverData = drv;
  ctx->version_major = VA_MAJOR_VERSION;
  ctx->version_minor = VA_MINOR_VERSION;
  ctx->max_profiles = FAKEVA_MAX_PROFILES + 1;       /* + VAProfileNone */
  ctx->max_entrypoints = FAKEVA_MAX_ENTRYPOINTS;
  ctx->max_attributes = 16;
  ctx->max_image_formats = 2;
  ctx->max_subpic_formats = 1;
  ctx->max_display_attributes = 1;
  ctx->str_vendor = strdup (drv->conf.vendor);
  fill_vtable (ctx->vtable);
  if (ctx->vtable_vpp)
    fill_vtable_vpp (ctx->vtable_vpp);
  return VA_STATUS_SUCCESS;
}
