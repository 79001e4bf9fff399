#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Two gst-launch writers on one status path (interval=5 ms), a reader that
# parses every read as JSON for the whole run. Prints counts.
cd "$(dirname "$0")/../.."
. tests/repro/env.sh twowriters
F=$R/status.json; rm -f $F $R/.status*
for i in 1 2; do
  GST_TRACERS="qsvautoenc-report(file=$F,interval=5)" nice gst-launch-1.0 -q videotestsrc num-buffers=${N:-600} ! video/x-raw,width=160,height=120 ! qsvautoenc name=enc$i ! fakesink 2>$R/w$i.err &
done
/usr/bin/python3 - "$F" <<'PY'
import json, sys, os, time, subprocess
f = sys.argv[1]; ok = bad = missing = 0; pids = set(); badsample = None
t0 = time.time()
while time.time() - t0 < 25:
    try:
        s = open(f, "rb").read()
    except FileNotFoundError:
        missing += 1; continue
    try:
        d = json.loads(s.decode("utf-8")); ok += 1; pids.add(d["pid"])
    except Exception as e:
        bad += 1; badsample = (repr(e), s[:200])
    if ok > 50 and len(pids) >= 2 and not any(os.path.exists("/proc/%d" % p) for p in pids):
        break
print("reads ok=%d bad=%d missing=%d writers=%s" % (ok, bad, missing, sorted(pids)))
if badsample: print("bad sample:", badsample)
PY
wait
cat $R/w*.err; ls -la $R | grep -c '\.status' | sed 's/^/leftover temporaries: /'
