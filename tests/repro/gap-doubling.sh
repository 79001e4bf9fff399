#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Break: a gap in input timestamps (frames 41..60 missing: a leaky queue, a
# camera hiccup) with a HEALTHY vah264enc (no driver fault at all).
# vah264enc/vah264lpenc 1.22 re-stamp their output PTS as start + n * duration
# (measured here: plain `videoconvert ! vah264enc` outputs PTS 0..69 for input
# 0..40,61..89). qsvautoenc is fooled by it: at EOS it condemns vah264enc
# ("drained without output for 20 of its frames"), replays 20 frames to
# vah264lpenc, and the file holds 90 frames for 70 input (frames 70..89 twice,
# frames 61..89 at PTS 41..69). Expected (README: "Frames matched without
# trusting timestamps", "every output buffer carries the PTS its input frame
# would have had"): 70 frames at the input PTS, no fallback.
D=$(dirname "$0"); out=${TMPDIR:-/tmp}/gap.ts; rm -f $out
"$D/swrun.sh" "entrypoints=slice,lp" /usr/bin/python3 "$D/gapsrc.py" "qsvautoenc ! mpegtsmux ! filesink location=$out"
echo "decoded (70 pushed):"; ffprobe -v error -count_frames -show_entries stream=nb_read_frames -of csv=p=0 $out
