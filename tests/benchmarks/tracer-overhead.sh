#!/bin/sh
# Tracer on vs off: the same encode, interleaved A B A B in one run, each in
# a process of its own; medians of CPU time and wall time, and the ratio.
# usage: tracer-overhead.sh ENCODE_CPU [REPETITIONS]
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
bin=$1 reps=${2:-7}
tmp=${QSV_TEST_TMPDIR:-/tmp}
mkdir -p "$tmp"
pipeline='videotestsrc num-buffers=300 pattern=ball ! video/x-raw,width=640,height=360,framerate=30/1,format=I420 ! qsvautoenc target-usage=5 encoder::threads=1 ! fakesink'
off=$tmp/tracer-off.txt on=$tmp/tracer-on.txt
: >"$off"; : >"$on"
i=0
while [ $i -lt "$reps" ]; do
  env -u GST_TRACERS "$bin" "$pipeline" >>"$off"
  GST_TRACERS="qsvautoenc-report(file=$tmp/tracer-bench.json,interval=1000)" \
    "$bin" "$pipeline" >>"$on"
  i=$((i + 1))
done
/usr/bin/python3 - "$off" "$on" <<'PY'
import statistics, sys
def load(p):
    rows = [dict(kv.split("=") for kv in l.split()) for l in open(p) if l.strip()]
    return ([float(r["cpu_ms"]) for r in rows], [float(r["wall_ms"]) for r in rows])
(c0, w0), (c1, w1) = load(sys.argv[1]), load(sys.argv[2])
print(f"tracer off: cpu median {statistics.median(c0):.1f} ms, wall median {statistics.median(w0):.1f} ms ({len(c0)} runs)")
print(f"tracer on : cpu median {statistics.median(c1):.1f} ms, wall median {statistics.median(w1):.1f} ms ({len(c1)} runs)")
print(f"ratio on/off: cpu {statistics.median(c1)/statistics.median(c0):.4f}, wall {statistics.median(w1)/statistics.median(w0):.4f}")
PY

# CPU time on these machines varies by +-7% between identical runs: it
# cannot resolve 1%. Instructions can: the same encode under callgrind,
# x264 single-threaded, the same registry (no update), tracer off and on.
if command -v valgrind >/dev/null 2>&1; then
  small='videotestsrc num-buffers=60 pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1,format=I420 ! qsvautoenc target-usage=5 encoder::threads=1 ! fakesink'
  count () {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 |
      sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
  }
  "$bin" "$small" >/dev/null   # the registry, once
  export GST_REGISTRY_UPDATE=no
  a=$(unset GST_TRACERS; count "$bin" "$small")
  b=$(GST_TRACERS="qsvautoenc-report(file=$tmp/tracer-bench.json)" count "$bin" "$small")
  /usr/bin/python3 -c "import sys; a, b = int(sys.argv[1]), int(sys.argv[2]); print(f'instructions (callgrind, whole process): off {a:,}  on {b:,}  ratio {b/a:.4f}')" "$a" "$b"
else
  echo "(valgrind not installed: no instruction counts)"
fi
