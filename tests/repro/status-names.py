#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Element and pipeline names with quotes, backslashes, newlines, control
# characters, non-UTF-8 bytes, and many encoders (N) in one pipeline; the
# tracer must keep the JSON file valid (one member per line) and the
# Prometheus file parseable. Run with GST_TRACERS set (see status-names.sh).
import sys, gi
gi.require_version("Gst", "1.0")
from gi.repository import Gst
Gst.init(None)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 8
names = ['q"uote', 'back\\slash', 'new\nline', 'tab\tcr\r', 'ctl\x01\x1f',
         'brace}{],', 'label="x",y="', 'ünï©ødé']
p = Gst.Pipeline.new('pipe"\nline\\')
for i in range(n):
    src = Gst.ElementFactory.make("videotestsrc", None)
    src.set_property("num-buffers", 30)
    caps = Gst.ElementFactory.make("capsfilter", None)
    caps.set_property("caps", Gst.Caps.from_string("video/x-raw,width=64,height=48"))
    enc = Gst.ElementFactory.make("qsvautoenc", names[i % len(names)] + str(i))
    sink = Gst.ElementFactory.make("fakesink", None)
    for e in (src, caps, enc, sink): p.add(e)
    src.link(caps); caps.link(enc); enc.link(sink)
p.set_state(Gst.State.PLAYING)
msg = p.get_bus().timed_pop_filtered(60 * Gst.SECOND, Gst.MessageType.EOS | Gst.MessageType.ERROR)
print("ended:", msg.type if msg else "timeout")
p.set_state(Gst.State.NULL)
