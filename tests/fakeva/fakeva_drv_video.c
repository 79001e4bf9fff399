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
 * the test asks for; it does not encode (yet).
 *
 * Configuration, "key=value" pairs separated by ';' or newlines, read from
 * $FAKEVA_CONFIG and then from the render node file itself (so each fake
 * node of a test can describe a different GPU; later keys win):
 *   vendor=STRING            vaQueryVendorString()
 *   init=ok|fail             make __vaDriverInit fail
 *   profiles=cb,main,high    H.264 profiles reported
 *   entrypoints=slice,lp     any of slice, lp, none
 *   rc=cbr,vbr,cqp           rate-control modes of both entrypoints
 *   rc_slice=..., rc_lp=...  per entrypoint
 *   max=WxH                  max picture size (0x0: attribute not supported)
 */

#include <va/va.h>
#include <va/va_backend.h>
#include <va/va_drmcommon.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#define MAX_CONFIGS 64
#define FAKEVA_MAX_PROFILES 3
#define FAKEVA_MAX_ENTRYPOINTS 2

typedef struct
{
  char vendor[256];
  int init_fail;
  int profiles[FAKEVA_MAX_PROFILES];    /* cb, main, high enabled */
  int entrypoints[FAKEVA_MAX_ENTRYPOINTS];      /* slice, lp enabled */
  unsigned int rc[FAKEVA_MAX_ENTRYPOINTS];
  unsigned int max_width, max_height;
} FakeConfig;

typedef struct
{
  int used;
  VAProfile profile;
  VAEntrypoint entrypoint;
  unsigned int rc;
} FakeVAConfig;

typedef struct
{
  FakeConfig conf;
  FakeVAConfig configs[MAX_CONFIGS];
} FakeDriver;

static const VAProfile profile_ids[FAKEVA_MAX_PROFILES] = {
  VAProfileH264ConstrainedBaseline, VAProfileH264Main, VAProfileH264High
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
  } else if (!strcmp (key, "entrypoints")) {
    c->entrypoints[0] = strstr (v, "slice") != NULL;
    c->entrypoints[1] = strstr (v, "lp") != NULL;
  } else if (!strcmp (key, "rc")) {
    c->rc[0] = c->rc[1] = parse_rc (v);
  } else if (!strcmp (key, "rc_slice")) {
    c->rc[0] = parse_rc (v);
  } else if (!strcmp (key, "rc_lp")) {
    c->rc[1] = parse_rc (v);
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
}

#define DRV(ctx) ((FakeDriver *) (ctx)->pDriverData)

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

static VAStatus
fake_Terminate (VADriverContextP ctx)
{
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

  for (i = 0; i < FAKEVA_MAX_PROFILES; i++) {
    if (drv->conf.profiles[i])
      list[n++] = profile_ids[i];
  }
  *num = n;
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_QueryConfigEntrypoints (VADriverContextP ctx, VAProfile profile,
    VAEntrypoint * list, int *num)
{
  FakeDriver *drv = DRV (ctx);
  int i, n = 0;

  if (profile_index (drv, profile) < 0)
    return VA_STATUS_ERROR_UNSUPPORTED_PROFILE;
  for (i = 0; i < FAKEVA_MAX_ENTRYPOINTS; i++) {
    if (drv->conf.entrypoints[i])
      list[n++] = entrypoint_ids[i];
  }
  *num = n;
  return VA_STATUS_SUCCESS;
}

static void
fill_attribute (FakeDriver * drv, int ep, VAConfigAttrib * a)
{
  switch (a->type) {
    case VAConfigAttribRTFormat:
      a->value = VA_RT_FORMAT_YUV420;
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

  if (profile_index (drv, profile) < 0)
    return VA_STATUS_ERROR_UNSUPPORTED_PROFILE;
  ep = entrypoint_index (drv, entrypoint);
  if (ep < 0)
    return VA_STATUS_ERROR_UNSUPPORTED_ENTRYPOINT;
  for (i = 0; i < num; i++)
    fill_attribute (drv, ep, &list[i]);
  return VA_STATUS_SUCCESS;
}

static VAStatus
fake_CreateConfig (VADriverContextP ctx, VAProfile profile,
    VAEntrypoint entrypoint, VAConfigAttrib * attribs, int num,
    VAConfigID * id)
{
  FakeDriver *drv = DRV (ctx);
  int i, ep;

  if (profile_index (drv, profile) < 0)
    return VA_STATUS_ERROR_UNSUPPORTED_PROFILE;
  ep = entrypoint_index (drv, entrypoint);
  if (ep < 0)
    return VA_STATUS_ERROR_UNSUPPORTED_ENTRYPOINT;
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
  list[0].value = VA_RT_FORMAT_YUV420;
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

/* What surfaces a config works on: NV12 in VA memory, up to the max size. */
static VAStatus
fake_QuerySurfaceAttributes (VADriverContextP ctx, VAConfigID config,
    VASurfaceAttrib * list, unsigned int *num)
{
  FakeDriver *drv = DRV (ctx);
  const unsigned int n = 6;
  unsigned int max_w = drv->conf.max_width ? drv->conf.max_width : 4096;
  unsigned int max_h = drv->conf.max_height ? drv->conf.max_height : 4096;

  if (!lookup_config (ctx, config))
    return VA_STATUS_ERROR_INVALID_CONFIG;
  if (!list) {
    *num = n;
    return VA_STATUS_SUCCESS;
  }
  if (*num < n) {
    *num = n;
    return VA_STATUS_ERROR_MAX_NUM_EXCEEDED;
  }
  set_int_attrib (&list[0], VASurfaceAttribPixelFormat, VA_FOURCC_NV12);
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

static VAStatus
fake_QueryImageFormats (VADriverContextP ctx, VAImageFormat * list, int *num)
{
  (void) ctx;
  memset (&list[0], 0, sizeof (list[0]));
  list[0].fourcc = VA_FOURCC_NV12;
  list[0].byte_order = VA_LSB_FIRST;
  list[0].bits_per_pixel = 12;
  *num = 1;
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

/* Everything below is not implemented by this driver: each entry must still
 * be non-NULL, or libva refuses the driver. */
#define UNIMPLEMENTED return VA_STATUS_ERROR_UNIMPLEMENTED

static VAStatus
fake_CreateSurfaces (VADriverContextP c, int w, int h, int f, int n,
    VASurfaceID * s)
{
  (void) c, (void) w, (void) h, (void) f, (void) n, (void) s;
  UNIMPLEMENTED;
}

static VAStatus
fake_DestroySurfaces (VADriverContextP c, VASurfaceID * s, int n)
{
  (void) c, (void) s, (void) n;
  UNIMPLEMENTED;
}

static VAStatus
fake_CreateContext (VADriverContextP c, VAConfigID cfg, int w, int h, int f,
    VASurfaceID * rt, int n, VAContextID * id)
{
  (void) c, (void) cfg, (void) w, (void) h, (void) f, (void) rt, (void) n,
      (void) id;
  UNIMPLEMENTED;
}

static VAStatus
fake_DestroyContext (VADriverContextP c, VAContextID id)
{
  (void) c, (void) id;
  UNIMPLEMENTED;
}

static VAStatus
fake_CreateBuffer (VADriverContextP c, VAContextID ctx, VABufferType t,
    unsigned int size, unsigned int n, void *data, VABufferID * id)
{
  (void) c, (void) ctx, (void) t, (void) size, (void) n, (void) data, (void) id;
  UNIMPLEMENTED;
}

static VAStatus
fake_BufferSetNumElements (VADriverContextP c, VABufferID id, unsigned int n)
{
  (void) c, (void) id, (void) n;
  UNIMPLEMENTED;
}

static VAStatus
fake_MapBuffer (VADriverContextP c, VABufferID id, void **p)
{
  (void) c, (void) id, (void) p;
  UNIMPLEMENTED;
}

static VAStatus
fake_BufferId (VADriverContextP c, VABufferID id)
{
  (void) c, (void) id;
  UNIMPLEMENTED;
}

static VAStatus
fake_BeginPicture (VADriverContextP c, VAContextID ctx, VASurfaceID s)
{
  (void) c, (void) ctx, (void) s;
  UNIMPLEMENTED;
}

static VAStatus
fake_RenderPicture (VADriverContextP c, VAContextID ctx, VABufferID * b, int n)
{
  (void) c, (void) ctx, (void) b, (void) n;
  UNIMPLEMENTED;
}

static VAStatus
fake_ContextId (VADriverContextP c, VAContextID ctx)
{
  (void) c, (void) ctx;
  UNIMPLEMENTED;
}

static VAStatus
fake_SurfaceId (VADriverContextP c, VASurfaceID s)
{
  (void) c, (void) s;
  UNIMPLEMENTED;
}

static VAStatus
fake_QuerySurfaceStatus (VADriverContextP c, VASurfaceID s,
    VASurfaceStatus * st)
{
  (void) c, (void) s, (void) st;
  UNIMPLEMENTED;
}

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
fake_CreateImage (VADriverContextP c, VAImageFormat * f, int w, int h,
    VAImage * img)
{
  (void) c, (void) f, (void) w, (void) h, (void) img;
  UNIMPLEMENTED;
}

static VAStatus
fake_DeriveImage (VADriverContextP c, VASurfaceID s, VAImage * img)
{
  (void) c, (void) s, (void) img;
  UNIMPLEMENTED;
}

static VAStatus
fake_ImageId (VADriverContextP c, VAImageID img)
{
  (void) c, (void) img;
  UNIMPLEMENTED;
}

static VAStatus
fake_SetImagePalette (VADriverContextP c, VAImageID img, unsigned char *p)
{
  (void) c, (void) img, (void) p;
  UNIMPLEMENTED;
}

static VAStatus
fake_GetImage (VADriverContextP c, VASurfaceID s, int x, int y,
    unsigned int w, unsigned int h, VAImageID img)
{
  (void) c, (void) s, (void) x, (void) y, (void) w, (void) h, (void) img;
  UNIMPLEMENTED;
}

static VAStatus
fake_PutImage (VADriverContextP c, VASurfaceID s, VAImageID img, int sx,
    int sy, unsigned int sw, unsigned int sh, int dx, int dy,
    unsigned int dw, unsigned int dh)
{
  (void) c, (void) s, (void) img, (void) sx, (void) sy, (void) sw, (void) sh;
  (void) dx, (void) dy, (void) dw, (void) dh;
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
  vt->vaDestroySurfaces = fake_DestroySurfaces;
  vt->vaCreateContext = fake_CreateContext;
  vt->vaDestroyContext = fake_DestroyContext;
  vt->vaCreateBuffer = fake_CreateBuffer;
  vt->vaBufferSetNumElements = fake_BufferSetNumElements;
  vt->vaMapBuffer = fake_MapBuffer;
  vt->vaUnmapBuffer = fake_BufferId;
  vt->vaDestroyBuffer = fake_BufferId;
  vt->vaBeginPicture = fake_BeginPicture;
  vt->vaRenderPicture = fake_RenderPicture;
  vt->vaEndPicture = fake_ContextId;
  vt->vaSyncSurface = fake_SurfaceId;
  vt->vaQuerySurfaceStatus = fake_QuerySurfaceStatus;
  vt->vaPutSurface = fake_PutSurface;
  vt->vaQueryImageFormats = fake_QueryImageFormats;
  vt->vaCreateImage = fake_CreateImage;
  vt->vaDeriveImage = fake_DeriveImage;
  vt->vaDestroyImage = fake_ImageId;
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
  if (drv->conf.init_fail) {
    free (drv);
    return VA_STATUS_ERROR_HW_BUSY;
  }

  ctx->pDriverData = drv;
  ctx->version_major = VA_MAJOR_VERSION;
  ctx->version_minor = VA_MINOR_VERSION;
  ctx->max_profiles = FAKEVA_MAX_PROFILES;
  ctx->max_entrypoints = FAKEVA_MAX_ENTRYPOINTS;
  ctx->max_attributes = 16;
  ctx->max_image_formats = 1;
  ctx->max_subpic_formats = 1;
  ctx->max_display_attributes = 1;
  ctx->str_vendor = strdup (drv->conf.vendor);
  fill_vtable (ctx->vtable);
  return VA_STATUS_SUCCESS;
}
