#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Another user plants a symlink at the status file's path in a sticky
# world-writable folder before the (root) service starts. The tracer refuses
# to write through it (ELOOP, as documented), but `qsvautoenc-probe --status`
# follows it and reports the attacker's content: a software-only or stopped
# service reads as healthy hardware. Run as root after building.
cd "$(dirname "$0")/../.."
. tests/repro/env.sh spoof
echo "entrypoints=slice,lp" > $R/dri/renderD128
S=/tmp/qsvsticky; mkdir -p $S; chmod 1777 $S; rm -rf $S/* $S/.status*
NB="setpriv --reuid 65534 --regid 65534 --clear-groups"
# the service: a long software encode (x264enc: health must be "software")
GST_TRACERS="qsvautoenc-report(file=$S/status.json,interval=200)" \
  gst-launch-1.0 -q videotestsrc is-live=true num-buffers=150 ! video/x-raw,framerate=30/1 ! qsvautoenc ! fakesink 2>$R/svc.err &
svc=$!
# the attacker plants the link before the first write, pointing at a file
# of theirs that names the service's pid and start ticks
$NB ln -s /tmp/qsvsticky-fake.json $S/status.json
sleep 1
ticks=$(awk '{print $22}' /proc/$svc/stat)
$NB sh -c "printf '{\n\"health\": \"hardware\",\n\"pid\": $svc,\n\"process_start\": \"x\",\n\"process_start_ticks\": $ticks,\n\"live_encoders\": 1,\n\"encoders\": []\n}\n' > /tmp/qsvsticky-fake.json"
qsvautoenc-probe --status $S/status.json; echo "--status rc=$? (expected 1: the service encodes in software, or 2)"
wait $svc
echo "service stderr:"; cat $R/svc.err
rm -f /tmp/qsvsticky-fake.json
echo "== a FIFO planted at the path: the writer refuses (EINVAL), --status blocks"
. tests/repro/env.sh spoof
rm -rf $S/*; $NB mkfifo -m 644 $S/status.json
GST_TRACERS="qsvautoenc-report(file=$S/status.json)" gst-launch-1.0 -q videotestsrc num-buffers=10 ! qsvautoenc ! fakesink 2>/dev/null
timeout 10 qsvautoenc-probe --status $S/status.json; echo "--status rc=$? (124 = blocked; a HEALTHCHECK then times out)"
rm -f $S/status.json
