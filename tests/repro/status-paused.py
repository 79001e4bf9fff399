#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# A pipeline that stops moving (PAUSED, or a source that stalls) while the
# process lives: what does --status say? argv: status file, probe command
import sys, subprocess, time, gi
gi.require_version("Gst", "1.0")
from gi.repository import Gst
Gst.init(None)
p = Gst.parse_launch("videotestsrc is-live=true ! video/x-raw,width=160,height=120,framerate=30/1 ! qsvautoenc ! fakesink")
p.set_state(Gst.State.PLAYING); time.sleep(1.5)
r = subprocess.run([sys.argv[2], "--status", sys.argv[1]], capture_output=True, text=True)
print("PLAYING:", r.returncode, r.stdout.strip())
p.set_state(Gst.State.PAUSED); time.sleep(2.5)
r = subprocess.run([sys.argv[2], "--status", sys.argv[1]], capture_output=True, text=True)
print("PAUSED 2.5 s:", r.returncode, r.stdout.strip())
print(open(sys.argv[1]).read()[:600])
p.set_state(Gst.State.NULL)
