#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# usage: h265-case.sh NAME "FAKEVA_CONFIG" "ELEMENT-PROPS" "DOWNSTREAM" [N] [SRC]
# qsvautoh265enc (or the element named in ELEMENT-PROPS' first word) on the
# real VA elements through swva (swrun.sh), N frames 320x240@30 of
# videotestsrc (SRC overrides the source); prints exit status, fallback and
# error lines, ffprobe's decoded frame count and key frame indices, and
# ffmpeg -xerror's complaints. Output in ${TMPDIR:-/tmp}/h265repro/NAME.*
here=$(cd "$(dirname "$0")" && pwd)
name=$1 conf=$2 el=$3 down=$4 n=${5:-120}
src=${6:-"videotestsrc num-buffers=$n pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1"}
d=${TMPDIR:-/tmp}/h265repro; mkdir -p $d; out=$d/$name.out; rm -f $out
eval "set -- $src ! $el ! $down"
timeout ${TMO:-60} "$here/swrun.sh" "$conf" gst-launch-1.0 -m -e "$@" > $d/$name.log 2>&1
echo "$name: exit $?"
grep -o 'qsvautoenc-fallback, encoder=(string)[a-z0-9]*' $d/$name.log | sed 's/.*=(string)/  fallback to /'
grep -E '^(ERROR|WARNING)|Additional debug' $d/$name.log | cut -c1-220 | sed 's/^/  /' | head -8
if [ -s $out ]; then
  echo "  decoded frames: $(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of csv=p=0 $out | head -1) of $n"
  echo "  keyframes at: $(ffprobe -v error -select_streams v:0 -show_entries frame=key_frame -of csv=p=1 $out | awk -F, '/^frame,/{if($2==1)printf "%d ", i; i++}')"
  ffmpeg -v error -xerror -i $out -f null - 2>&1 | head -3 | sed 's/^/  ffmpeg: /'
else echo "  no output file"; fi
