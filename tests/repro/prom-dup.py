#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Two live pipelines with the same pipeline and element names (an app that
# names its pipelines "encode" and runs two at once), then the same names
# run again sequentially: the Prometheus file must never hold a series twice
# (node_exporter rejects the whole file), and JSON must list both live ones.
import sys, time, subprocess, gi
gi.require_version("Gst", "1.0")
from gi.repository import Gst
Gst.init(None)
def make():
    p = Gst.parse_launch("videotestsrc is-live=true ! video/x-raw,width=64,height=48,framerate=30/1 ! qsvautoenc name=enc ! fakesink")
    p.set_name("encode")
    return p
a, b = make(), make()
a.set_state(Gst.State.PLAYING); b.set_state(Gst.State.PLAYING)
time.sleep(1.0)
r = subprocess.run(["/usr/bin/python3", sys.argv[3], sys.argv[2]], capture_output=True, text=True)
print("two live, prom parse rc:", r.returncode, r.stderr.strip()[-200:])
import json
d = json.load(open(sys.argv[1]))
print("two live, json live_encoders:", d["live_encoders"], "entries:", len(d["encoders"]))
a.set_state(Gst.State.NULL); b.set_state(Gst.State.NULL)
r = subprocess.run(["/usr/bin/python3", sys.argv[3], sys.argv[2]], capture_output=True, text=True)
print("both stopped, prom parse rc:", r.returncode, r.stderr.strip()[-200:])
