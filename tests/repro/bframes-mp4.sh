#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Break: b-frames=2 and a mid-stream fallback from an encoder that did not
# reorder (swva's VA encoders; vah264lpenc on real hardware) to x264enc (which
# does): DTS falls behind PTS after the switch (DTS repeats at the switch), and
# mp4mux/qtmux's edit list cuts the last 2 frames: ffprobe decodes 148 of 150.
# matroskamux and mpegtsmux: 150. Expected: 150 (README: "every output buffer
# carries the PTS/DTS its input frame would have had without the switch").
D=$(dirname "$0"); out=${TMPDIR:-/tmp}/bframes.mp4
"$D/swrun.sh" "entrypoints=slice,lp;fail_at=40" gst-launch-1.0 -q videotestsrc num-buffers=150 ! \
  video/x-raw,width=320,height=240,format=I420 ! qsvautoenc b-frames=2 ! h264parse ! mp4mux ! filesink location=$out
echo "exit $?"; ffprobe -v error -count_frames -show_entries stream=nb_frames,nb_read_frames -of csv=p=0 $out
