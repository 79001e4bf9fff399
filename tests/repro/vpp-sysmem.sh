#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Break: where the driver has VideoProc (vapostproc registered, swva vpp=1:
# its VPP converts NV12 only, as vapostproc's caps come from the driver), any
# system-memory input the VPP cannot take (I420, YUY2, GRAY8 here) fails at
# preroll: "Internal data stream error ... not-negotiated", no fallback, no
# message naming the cause. Without VideoProc (vpp=0) the same input encodes
# (videoconvert in front). Expected (README "What it produces": "Any raw video
# input works"; "Fallback": "If the chosen encoder refuses the input caps ...
# the next candidate replaces it", "An error from any element inside the bin
# (the converter...) counts as a failure of the active encoder"): 60 frames.
# Also: after that ERROR gst-launch hangs in some runs (1 of 4 measured):
# filesink prerolls on the muxer's output after the error and the shutdown never ends;
# hence the time-out (exit 124).
D=$(dirname "$0"); out=${TMPDIR:-/tmp}/vpp.ts; rm -f $out
timeout ${TIMEOUT:-20} "$D/swrun.sh" "entrypoints=slice,lp;vpp=1" gst-launch-1.0 videotestsrc num-buffers=60 ! \
  video/x-raw,width=320,height=240,format=${1:-I420} ! qsvautoenc ! mpegtsmux ! filesink location=$out
echo "exit $? (124: hung after the ERROR, see above)"
