/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* device= naming the second GPU through a symbolic link (as udev's
 * /dev/dri/by-path/pci-0000:03:00.0-render does), with the stand-ins
 * registered as 1.22 registers the VA encoders on two nodes
 * (vah264enc on renderD128, varenderD129h264enc on renderD129) and no qsv.
 * The node is the same as device=.../renderD129, which picks
 * varenderD129h264enc; through the link the bin builds the factory name
 * from the link's basename, falls back to vah264enc (renderD128), whose
 * device-path is not the node, and encodes in software.
 *
 * The link's name starts with "renderD129" only because the test shim
 * (libfakedrm) fakes a DRM node for a regular file by the name it is
 * opened with; a real by-path link needs no such name.
 * Build and run: tests/repro/bypath.sh */
#include <gst/gst.h>
#include <gst/check/gstcheck.h>
#include <unistd.h>
#include "qsvtestutil.h"
#include "standins.h"

static void
run (const gchar * device)
{
  gchar *desc = g_strdup_printf ("videotestsrc num-buffers=5 ! video/x-raw,"
      "format=NV12,width=64,height=48 ! qsvautoenc name=enc device=\"%s\" ! "
      "fakesink", device);
  GstElement *pipe = gst_parse_launch (desc, NULL), *enc;
  GstBus *bus = gst_element_get_bus (pipe);
  GstMessage *m;
  gchar *active = NULL, *dev = NULL;

  gst_element_set_state (pipe, GST_STATE_PLAYING);
  while ((m = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
              GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_WARNING))) {
    GstMessageType t = GST_MESSAGE_TYPE (m);
    if (t == GST_MESSAGE_WARNING) {
      GError *err; gchar *dbg;
      gst_message_parse_warning (m, &err, &dbg);
      g_print ("  WARNING: %s\n    %s\n", err->message, dbg);
      g_error_free (err); g_free (dbg);
    }
    gst_message_unref (m);
    if (t != GST_MESSAGE_WARNING)
      break;
  }
  enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  g_object_get (enc, "active-encoder", &active, "active-device", &dev, NULL);
  g_print ("device=%s\n  -> %s on %s\n", device, active, dev);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (enc); gst_object_unref (bus); gst_object_unref (pipe);
  g_free (desc); g_free (active); g_free (dev);
}

int
main (int argc, char **argv)
{
  gchar *scratch, *n129, *bypath, *link;

  gst_check_init (&argc, &argv);
  scratch = qsv_test_scratch_new ();
  g_setenv ("XDG_RUNTIME_DIR", scratch, TRUE);
  qsv_test_use_fake_driver ();
  g_free (qsv_test_make_node (scratch, "renderD128", "entrypoints=slice,lp"));
  n129 = qsv_test_make_node (scratch, "renderD129", "entrypoints=slice,lp");
  standin_register_device ("vah264enc", "vah264enc", "renderD128");
  standin_register_device ("vah264lpenc", "vah264lpenc", "renderD128");
  standin_register_device ("vah264enc", "varenderD129h264enc", "renderD129");
  standin_register_device ("vah264lpenc", "varenderD129h264lpenc",
      "renderD129");
  bypath = g_build_filename (scratch, "by-path", NULL);
  g_mkdir_with_parents (bypath, 0755);
  link = g_build_filename (bypath, "renderD129-pci-0000:03:00.0-render", NULL);
  if (symlink (n129, link) != 0)
    g_error ("symlink");
  run (n129);
  run (link);
  return 0;
}
