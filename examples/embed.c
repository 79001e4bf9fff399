/* SPDX-License-Identifier: CC0-1.0 */
/* Embedding qsvautoenc (or qsvautoh265enc: ./embed h265): encode a clip,
 * print which encoder did the work and why (qsvautoenc-selected /
 * qsvautoenc-fallback messages), and read the active-encoder property.
 * Public domain (CC0): copy it into your app.
 *
 *   gcc embed.c $(pkg-config --cflags --libs gstreamer-1.0) -o embed
 */

#include <gst/gst.h>

int
main (int argc, char **argv)
{
  GstElement *pipeline, *enc;
  GstBus *bus;
  GstMessage *msg;
  gboolean done = FALSE, h265;
  gchar *active, *desc;

  gst_init (&argc, &argv);
  h265 = argc > 1 && g_str_equal (argv[1], "h265");
  desc = g_strdup_printf ("videotestsrc num-buffers=90 ! %s name=enc "
      "bitrate=3000 ! %s ! mp4mux ! filesink location=out.mp4",
      h265 ? "qsvautoh265enc" : "qsvautoenc", h265 ? "h265parse" : "h264parse");
  pipeline = gst_parse_launch (desc, NULL);
  g_free (desc);
  enc = gst_bin_get_by_name (GST_BIN (pipeline), "enc");
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  while (!done) {
    msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
        GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT) {
      const GstStructure *s = gst_message_get_structure (msg);
      gboolean hw = FALSE;

      if (gst_structure_has_name (s, "qsvautoenc-selected") ||
          gst_structure_has_name (s, "qsvautoenc-fallback")) {
        gst_structure_get_boolean (s, "hardware", &hw);
        g_print ("%s: %s (%s): %s\n", gst_structure_get_name (s),
            gst_structure_get_string (s, "encoder"),
            hw ? "hardware" : "software",
            gst_structure_get_string (s, "reason"));
      }
    } else {
      done = TRUE;
    }
    gst_message_unref (msg);
  }
  g_object_get (enc, "active-encoder", &active, NULL);
  g_print ("active encoder: %s\n", active);
  g_free (active);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (enc);
  gst_object_unref (pipeline);
  return 0;
}
