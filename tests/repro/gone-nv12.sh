#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Break: GPU gone (every hardware candidate fails) with NV12 input (what
# videotestsrc, v4l2src and VA decoders negotiate): after vaapih264enc refuses
# the caps, the inner videoconvert stays "not negotiated", x264enc gets nothing,
# the pipeline ERRORs (Internal data stream error, flow error). I420: passes.
# Expected (README "Fallback"): x264enc takes over, all 150 frames, exit 0.
D=$(dirname "$0"); out=${TMPDIR:-/tmp}/gone-nv12.ts
"$D/swrun.sh" "entrypoints=slice,lp;gone_at=${1:-40}" gst-launch-1.0 videotestsrc num-buffers=150 ! \
  video/x-raw,width=320,height=240,format=NV12 ! qsvautoenc ! mpegtsmux ! filesink location=$out
echo "exit $?"; ffprobe -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 $out
