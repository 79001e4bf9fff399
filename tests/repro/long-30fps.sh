#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Break: a long stream at 30 fps with a HEALTHY vah264enc, no driver fault.
# vah264enc 1.22 re-stamps output PTS as start + n * frame_duration with the
# duration truncated to whole ns (33333333), while the input PTS are
# n * 1e9 / 30 rounded; the difference grows by 1/3 ns per frame and
# qsvautoenc's output-to-frame matching stops matching after ~3000 frames
# (100 s). From there every frame is held; at EOS vah264enc is condemned
# ("drained without output for N of its frames") and the held frames are
# encoded again: 3200 frames in -> 3397 decoded. At 4000 frames the held
# frames exhaust the VA pool ("vapool alloc function failed") and the
# pipeline ERRORs. 25 fps (40 ms exactly): 4000 frames fine.
# usage: long-30fps.sh [N=3200] [FPS=30/1]
D=$(dirname "$0"); out=${TMPDIR:-/tmp}/long30.ts; rm -f $out
"$D/swrun.sh" "entrypoints=slice,lp" gst-launch-1.0 -m videotestsrc num-buffers=${1:-3200} ! \
  video/x-raw,width=160,height=120,format=NV12,framerate=${2:-30/1} ! qsvautoenc ! mpegtsmux ! filesink location=$out \
  | grep -oE 'qsvautoenc-fallback|^ERROR.*'
echo "decoded (${1:-3200} in):"; ffprobe -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 $out | head -1
