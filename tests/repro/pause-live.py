#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Break: a live pipeline paused for 1.5 s and resumed, healthy vah264enc, no
# driver fault. The live source's timestamps jump after the pause; vah264enc
# 1.22 re-stamps its output as start + n * duration, qsvautoenc matches output
# to frames by PTS and matches none after the pause: at EOS vah264enc is
# condemned ("drained without output for 135 of its frames"), the frames are
# encoded again by vah264lpenc and the file holds them twice.
# Run: tests/repro/swrun.sh "entrypoints=slice,lp" /usr/bin/python3 tests/repro/pause-live.py OUT.ts
# then: ffprobe -v error -count_frames -show_entries stream=nb_read_frames OUT.ts
# (measured: 283 frames for 150 produced; expected 150, no fallback)
import sys, time, gi
gi.require_version('Gst', '1.0')
from gi.repository import Gst
Gst.init(None)
p = Gst.parse_launch("videotestsrc is-live=true num-buffers=150 ! "
                     "video/x-raw,width=320,height=240,format=I420 ! "
                     "qsvautoenc ! mpegtsmux ! filesink location=" + sys.argv[1])
p.set_state(Gst.State.PLAYING)
time.sleep(0.5)
p.set_state(Gst.State.PAUSED)
time.sleep(1.5)
p.set_state(Gst.State.PLAYING)
bus = p.get_bus()
while True:
    m = bus.timed_pop_filtered(30 * Gst.SECOND, Gst.MessageType.EOS |
                               Gst.MessageType.ERROR | Gst.MessageType.ELEMENT)
    if m is None or m.type != Gst.MessageType.ELEMENT:
        print(m.type.first_value_nick if m else "TIMEOUT")
        break
    s = m.get_structure()
    if s.get_name() == "qsvautoenc-fallback":
        print("fallback:", s.get_string("error"), "replayed", s.get_value("frames-replayed"))
p.set_state(Gst.State.NULL)
