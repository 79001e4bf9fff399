#!/usr/bin/python3
# Embedding qsvautoenc (or qsvautoh265enc: embed.py h265) from Python
# (Debian: python3-gi, gir1.2-gstreamer-1.0; run with /usr/bin/python3).
# Public domain (CC0): copy it into your app.
# SPDX-License-Identifier: CC0-1.0
import sys
import gi
gi.require_version("Gst", "1.0")
from gi.repository import Gst

Gst.init(None)
h265 = sys.argv[1:] == ["h265"]
pipeline = Gst.parse_launch(
    "videotestsrc num-buffers=90 ! %s name=enc bitrate=3000 ! %s "
    "! mp4mux ! filesink location=out.mp4" % (
        ("qsvautoh265enc", "h265parse") if h265 else
        ("qsvautoenc", "h264parse")))
enc = pipeline.get_by_name("enc")
pipeline.set_state(Gst.State.PLAYING)
bus = pipeline.get_bus()
while True:
    msg = bus.timed_pop_filtered(Gst.CLOCK_TIME_NONE,
        Gst.MessageType.ELEMENT | Gst.MessageType.EOS | Gst.MessageType.ERROR)
    if msg.type == Gst.MessageType.ELEMENT:
        s = msg.get_structure()
        if s.get_name() in ("qsvautoenc-selected", "qsvautoenc-fallback"):
            print(s.get_name(), s.get_string("encoder"),
                  "hardware" if s.get_value("hardware") else "software",
                  "-", s.get_string("reason"))
    elif msg.type == Gst.MessageType.ERROR:
        err, dbg = msg.parse_error()
        print("error:", err.message, dbg)
        break
    else:
        break
print("active encoder:", enc.get_property("active-encoder"),
      "hardware:", enc.get_property("hardware"))
pipeline.set_state(Gst.State.NULL)
