/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* gst-qsvautoenc
 * Copyright (C) 2026 gst-qsvautoenc developers
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Library General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/* gst-qsvautoenc-probe-helper PATH: probes one VA render node and writes the
 * result (gst_qsv_va_device_serialize()) to stdout. Internal to
 * gstqsvvaprobe-isolate.c, which runs it so that a VA driver that crashes or
 * hangs takes down this process only. It does not initialise GStreamer (no
 * registry, no plugins): only libva and the driver run here. */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstqsvvaprobe.h"
#include "gstqsvvaprobe-priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

static gboolean
write_all (int fd, const gchar * data, gsize len)
{
  while (len > 0) {
    gssize n = write (fd, data, len);

    if (n < 0)
      return FALSE;
    data += n;
    len -= (gsize) n;
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  GstQsvVaDevice *dev;
  gchar *text;
  int out;

  if (argc != 2 || !*argv[1]) {
    fprintf (stderr, "usage: %s RENDER-NODE\n(internal helper of the "
        "qsvautoenc GStreamer plugin; run qsvautoenc-probe instead)\n",
        argv[0]);
    return 2;
  }

  /* A driver that crashes here does so on every probe: no core file in the
   * application's working directory each time. */
  {
    struct rlimit no_core = { 0, 0 };
    setrlimit (RLIMIT_CORE, &no_core);
  }

  /* The answer goes to the original stdout; whatever the driver prints to
   * stdout goes to stderr, so it cannot corrupt the answer. */
  out = dup (STDOUT_FILENO);
  if (out < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0) {
    perror ("gst-qsvautoenc-probe-helper");
    return 2;
  }

  dev = gst_qsv_va_probe_device_uncached (argv[1]);
  text = gst_qsv_va_device_serialize (dev);
  if (!write_all (out, text, strlen (text)))
    return 2;
  g_free (text);
  gst_qsv_va_device_free (dev);
  /* the answer ends at exit: EOF on the pipe means this process is gone */
  return 0;
}
