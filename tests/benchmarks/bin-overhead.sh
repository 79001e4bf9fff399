#!/bin/sh
# What qsvautoenc itself costs: the same x264 encode through qsvautoenc and
# through x264enc directly, with the settings qsvautoenc maps (target-usage
# 4 = speed-preset faster, cbr 2048 kbit/s, no B-frames), single-threaded,
# counted in instructions under callgrind (CPU time here varies by +-7%).
# usage: bin-overhead.sh ENCODE_CPU
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
bin=$1
command -v valgrind >/dev/null 2>&1 || { echo "valgrind not installed"; exit 77; }
# two lengths: the difference is the per-frame cost, without the one-time
# costs (plugin load, VA probe, selection, building the internal chain)
src='videotestsrc num-buffers=N pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1,format=I420'
direct="$src ! x264enc threads=1 speed-preset=faster pass=cbr bitrate=2048 bframes=0 ! fakesink"
bin_p="$src ! qsvautoenc encoder::threads=1 ! fakesink"
count () {
  p=$(echo "$1" | sed "s/num-buffers=N/num-buffers=$2/")
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$p" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
"$bin" "$(echo "$direct" | sed s/num-buffers=N/num-buffers=1/)" >/dev/null
export GST_REGISTRY_UPDATE=no
a60=$(count "$direct" 60) b60=$(count "$bin_p" 60)
a180=$(count "$direct" 180) b180=$(count "$bin_p" 180)
/usr/bin/python3 - "$a60" "$b60" "$a180" "$b180" <<'PY'
import sys
a60, b60, a180, b180 = map(int, sys.argv[1:])
print(f"instructions (callgrind, 320x240, x264 single-threaded):")
print(f"  60 frames, whole process: x264enc {a60:,}  qsvautoenc {b60:,}  ratio {b60/a60:.4f}")
print(f"  180 frames, whole process: x264enc {a180:,}  qsvautoenc {b180:,}  ratio {b180/a180:.4f}")
pa, pb = (a180 - a60) / 120, (b180 - b60) / 120
print(f"  per frame (180 - 60): x264enc {pa:,.0f}  qsvautoenc {pb:,.0f}  ratio {pb/pa:.4f}")
print(f"  one-time: {(b60 - a60) - 60 * (pb - pa):,.0f} instructions (plugin, probe, selection, chain)")
PY
