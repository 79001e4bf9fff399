/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc test support
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* libfakedrm.so, LD_PRELOADed by the tests: lets a regular file named
 * renderD<N> (in a test's own folder, never /dev) pass for a DRM render node,
 * so the REAL libva accepts it in vaGetDisplayDRM() and loads the fake VA
 * driver. Anything that is not such a file goes to the real libdrm.
 *
 *   drmGetNodeTypeFromFd()  regular file "renderD*" -> DRM_NODE_RENDER; under
 *                           umockdev-run (which emulates /dev/dri/renderD*
 *                           with a PTY, and the sysfs udev sees), a PTY too
 *   drmGetVersion()         kernel driver name: "kernel=NAME" line in the
 *                           node file, else $FAKEDRM_KERNEL_DRIVER, else i915
 *   open()                  $FAKEDRM_OPEN_ERRNO="renderD129=EACCES,..." makes
 *                           open() of that node fail with that errno, since
 *                           the tests run as root, where chmod can't.
 *   stat(), stat64()        a regular file "renderD<N>" outside /dev reads
 *                           as the character device 226:<N>, as a real
 *                           render node does (the probe opens only DRM
 *                           character devices). */

/* define open and open64 as two symbols (meson sets _FILE_OFFSET_BITS=64,
 * which would make open() an alias of open64()) */
#undef _FILE_OFFSET_BITS

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <xf86drm.h>

static const struct
{
  const char *name;
  int value;
} errnos[] = {
  {"ENOENT", ENOENT}, {"EACCES", EACCES}, {"EPERM", EPERM},
  {"ENXIO", ENXIO}, {"ENODEV", ENODEV}, {"EIO", EIO}, {"EBUSY", EBUSY},
};

static int
fd_path (int fd, char *buf, size_t len)
{
  char link[64];
  ssize_t n;

  snprintf (link, sizeof (link), "/proc/self/fd/%d", fd);
  n = readlink (link, buf, len - 1);
  if (n < 0)
    return -1;
  buf[n] = '\0';
  return 0;
}

static int
is_fake_node (int fd)
{
  struct stat st;
  char path[4096];

  if (fd < 0 || fstat (fd, &st) != 0)
    return 0;
  /* Unix98 PTY slaves: majors 136-143 */
  if (getenv ("UMOCKDEV_DIR") && S_ISCHR (st.st_mode) &&
      major (st.st_rdev) >= 136 && major (st.st_rdev) <= 143)
    return 1;
  if (!S_ISREG (st.st_mode) || fd_path (fd, path, sizeof (path)) != 0)
    return 0;
  return strncmp (basename (path), "renderD", 7) == 0;
}

int
drmGetNodeTypeFromFd (int fd)
{
  static int (*real) (int);

  if (is_fake_node (fd))
    return DRM_NODE_RENDER;
  if (!real)
    real = (int (*)(int)) dlsym (RTLD_NEXT, "drmGetNodeTypeFromFd");
  return real ? real (fd) : -1;
}

static char *
node_kernel_driver (int fd)
{
  char buf[4096], *line, *save = NULL;
  ssize_t n = pread (fd, buf, sizeof (buf) - 1, 0);
  const char *env = getenv ("FAKEDRM_KERNEL_DRIVER");

  if (n > 0) {
    buf[n] = '\0';
    for (line = strtok_r (buf, ";\n", &save); line;
        line = strtok_r (NULL, ";\n", &save)) {
      if (strncmp (line, "kernel=", 7) == 0)
        return strdup (line + 7);
    }
  }
  return strdup (env ? env : "i915");
}

drmVersionPtr
drmGetVersion (int fd)
{
  static drmVersionPtr (*real) (int);
  drmVersionPtr v;

  if (!is_fake_node (fd)) {
    if (!real)
      real = (drmVersionPtr (*)(int)) dlsym (RTLD_NEXT, "drmGetVersion");
    return real ? real (fd) : NULL;
  }
  /* allocated as libdrm does, so that the real drmFreeVersion() frees it */
  v = calloc (1, sizeof (*v));
  v->version_major = 1;
  v->version_minor = 6;
  v->name = node_kernel_driver (fd);
  v->name_len = strlen (v->name);
  v->date = strdup ("20260101");
  v->date_len = strlen (v->date);
  v->desc = strdup ("fakedrm test node");
  v->desc_len = strlen (v->desc);
  return v;
}

/* errno that $FAKEDRM_OPEN_ERRNO asks for when opening @path, or 0 */
static int
injected_errno (const char *path)
{
  const char *spec = getenv ("FAKEDRM_OPEN_ERRNO");
  char *copy, *item, *save = NULL, *pathcopy;
  const char *base;
  int result = 0;
  size_t i;

  if (!spec || !path)
    return 0;
  pathcopy = strdup (path);
  base = basename (pathcopy);
  copy = strdup (spec);
  for (item = strtok_r (copy, ",", &save); item && !result;
      item = strtok_r (NULL, ",", &save)) {
    char *eq = strchr (item, '=');

    if (!eq)
      continue;
    *eq = '\0';
    if (strcmp (item, base) != 0)
      continue;
    for (i = 0; i < sizeof (errnos) / sizeof (errnos[0]); i++) {
      if (strcmp (eq + 1, errnos[i].name) == 0)
        result = errnos[i].value;
    }
  }
  free (copy);
  free (pathcopy);
  return result;
}

#define WRAP_OPEN(name)                                                   \
int                                                                       \
name (const char *path, int flags, ...)                                   \
{                                                                         \
  static int (*real) (const char *, int, ...);                            \
  mode_t mode = 0;                                                        \
  int err = injected_errno (path);                                        \
                                                                          \
  if (err) {                                                              \
    errno = err;                                                          \
    return -1;                                                            \
  }                                                                       \
  if (flags & (O_CREAT | O_TMPFILE)) {                                    \
    va_list ap;                                                           \
    va_start (ap, flags);                                                 \
    mode = va_arg (ap, mode_t);                                           \
    va_end (ap);                                                          \
  }                                                                       \
  if (!real)                                                              \
    real = (int (*)(const char *, int, ...)) dlsym (RTLD_NEXT, #name);    \
  return real (path, flags, mode);                                        \
}

WRAP_OPEN (open)
WRAP_OPEN (open64)

int __open_2 (const char *path, int flags);
int
__open_2 (const char *path, int flags)
{
  return open (path, flags);
}

int __open64_2 (const char *path, int flags);
int
__open64_2 (const char *path, int flags)
{
  return open64 (path, flags);
}

/* Only for paths, never for descriptors: fstat() still tells the truth, so
 * is_fake_node() above (and libdrm) see the regular file. */
static void
fake_node_stat (const char *path, struct stat *st)
{
  char *copy;
  const char *base;
  long n;

  if (!S_ISREG (st->st_mode) || strncmp (path, "/dev/", 5) == 0)
    return;
  /* stat() follows a link (/dev/dri/by-path/...-render): the node is what
   * it points at (one level, as the tests make them; not realpath(), which
   * umockdev wraps) */
  copy = strdup (path);
  {
    char target[4096];
    ssize_t len = readlink (path, target, sizeof (target) - 1);

    if (len > 0) {
      target[len] = '\0';
      free (copy);
      copy = strdup (target);
    }
  }
  base = basename (copy);
  if (strncmp (base, "renderD", 7) == 0 && base[7] >= '0' && base[7] <= '9') {
    n = strtol (base + 7, NULL, 10);
    st->st_mode = S_IFCHR | (st->st_mode & 07777);
    st->st_rdev = makedev (226, (unsigned) n);
    st->st_size = 0;
  }
  free (copy);
}

#define WRAP_STAT(name, type)                                             \
int                                                                       \
name (const char *path, struct type *st)                                  \
{                                                                         \
  static int (*real) (const char *, struct type *);                       \
  int r;                                                                  \
                                                                          \
  if (!real)                                                              \
    real = (int (*)(const char *, struct type *)) dlsym (RTLD_NEXT, #name); \
  r = real (path, st);                                                    \
  if (r == 0)                                                             \
    fake_node_stat (path, (struct stat *) st);                            \
  return r;                                                               \
}

WRAP_STAT (stat, stat)
WRAP_STAT (stat64, stat64)
