#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# tracer=true tracer-file=...: a normal gst-launch exit leaves the writer's
# temporary (.NAME.xxxxxxxxxxxxxxxx) behind in about 1 run of 4: the
# periodic writer thread is still writing when the process exits (strace:
# openat tmp, fsync, close, then exit_group before renameat). With
# GST_TRACERS (gst_deinit finalizes the tracer) none is left.
cd "$(dirname "$0")/../.."
. tests/repro/env.sh leftover
rm -rf $R/out; mkdir -p $R/out
for i in $(seq 1 ${N:-30}); do
  gst-launch-1.0 -q videotestsrc num-buffers=5 ! qsvautoenc tracer=true tracer-file="$R/out/s$i.json" ! fakesink >/dev/null 2>&1
done
echo "tracer=true: $(ls -a $R/out | grep -c '^\.s') temporaries left in ${N:-30} runs (expected 0)"
for i in $(seq 1 ${N:-30}); do
  GST_TRACERS="qsvautoenc-report(file=$R/out/e$i.json)" gst-launch-1.0 -q videotestsrc num-buffers=5 ! qsvautoenc ! fakesink >/dev/null 2>&1
done
echo "GST_TRACERS: $(ls -a $R/out | grep -c '^\.e') temporaries left in ${N:-30} runs"
