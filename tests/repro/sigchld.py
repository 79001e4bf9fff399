#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Host app that ignores SIGCHLD (mode=ign) or reaps all children in a thread
# (mode=reap), then brings qsvautoenc to READY. Prints the selection report.
import os, signal, sys, threading, time
mode = sys.argv[1]
if mode == "ign":
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
elif mode == "reap":
    def reaper():
        while True:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                time.sleep(0.0005)
    threading.Thread(target=reaper, daemon=True).start()
import gi
gi.require_version("Gst", "1.0")
from gi.repository import Gst
Gst.init(None)
e = Gst.ElementFactory.make("qsvautoenc", None)
dev = sys.argv[2] if len(sys.argv) > 2 else None
if dev:
    e.set_property("device", dev)
print("state:", e.set_state(Gst.State.READY))
r = e.get_property("selection-report")
print("va-status:", r.get_string("va-status"))
print("reason:", r.get_string("reason"))
e.set_state(Gst.State.NULL)
