#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Break: downstream asks for profile=baseline (README "What it produces" lists
# it; x264enc and the no-GPU path give it). qsvautoenc picks vah264enc, which
# has no baseline in its caps (1.22: constrained-baseline, main, high); the
# pipeline fails at preroll with "Internal data stream error"
# (not-negotiated), no fallback to a candidate that can, no message naming why.
# Expected: a candidate that produces baseline (or constrained-baseline, which
# is a subset) is chosen, 30 frames.
# Also: after that ERROR gst-launch hangs in some runs (3 of 6 measured):
# filesink prerolls on the muxer's output after the error and the shutdown never ends;
# hence the time-out (exit 124).
D=$(dirname "$0"); out=${TMPDIR:-/tmp}/baseline.mkv
timeout ${TIMEOUT:-20} "$D/swrun.sh" "entrypoints=slice,lp" gst-launch-1.0 videotestsrc num-buffers=30 ! \
  video/x-raw,width=320,height=240,format=I420 ! qsvautoenc ! video/x-h264,profile=baseline ! \
  h264parse ! matroskamux ! filesink location=$out
echo "exit $? (124: hung after the ERROR, see above)"
