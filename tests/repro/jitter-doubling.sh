#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Break: input PTS that are not exactly start + n * duration (here +-100 us of
# jitter, what a camera's clock gives; no gap, no driver fault): vah264enc
# 1.22 re-stamps its output, qsvautoenc matches output to frames by PTS and
# matches none. At EOS the healthy vah264enc is condemned ("drained without
# output for 87 of its frames"), then vah264lpenc the same way; the file holds
# ~263 frames for 90 input. Expected: 90 frames, no fallback.
D=$(dirname "$0"); out=${TMPDIR:-/tmp}/jitter.ts; rm -f $out
GAP=1000-1000 JITTER_MS=${1:-100} "$D/swrun.sh" "entrypoints=slice,lp" /usr/bin/python3 "$D/gapsrc.py" "qsvautoenc ! mpegtsmux ! filesink location=$out"
echo "decoded (90 pushed):"; ffprobe -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 $out | head -1
