#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# usage: main10-matrix.sh [CASE...]   qsvautoh265enc Main 10 from outside, on
# the real VA elements through swva (swrun.sh, hevc=main,main10). Each case
# encodes N=120 frames 320x240 and prints exit status, fallback lines,
# ffprobe's profile / pix_fmt / decoded frame count.
here=$(cd "$(dirname "$0")" && pwd)
d=${TMPDIR:-/tmp}/main10; mkdir -p $d
N=120
V="videotestsrc num-buffers=$N pattern=ball"
R="width=320,height=240,framerate=30/1"
run() { # name conf pipeline-tail (output to $d/name.EXT)
  name=$1 conf=$2; shift 2
  out=$(ls $d/$name.* 2>/dev/null); rm -f $d/$name.*
  timeout ${TMO:-90} "$here/swrun.sh" "$conf" gst-launch-1.0 -m -e "$@" > $d/$name.log 2>&1
  rc=$?
  out=$(ls $d/$name.mkv $d/$name.mp4 $d/$name.ts $d/$name.h265 2>/dev/null | head -1)
  info="no output"
  if [ -s "$out" ]; then
    info=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=profile,pix_fmt,nb_read_frames -of csv=p=0 "$out" | head -1)
  fi
  fb=$(grep -o 'qsvautoenc-fallback, encoder=(string)[a-z0-9]*' $d/$name.log | sed 's/.*=(string)/fallback->/' | tr '\n' ' ')
  sel=$(grep -o 'qsvautoenc-selected, encoder=(string)[a-z0-9]*' $d/$name.log | sed 's/.*=(string)/sel=/' | head -1)
  err=$(grep -E '^ERROR' $d/$name.log | head -2 | cut -c1-160 | tr '\n' '|')
  echo "$name: rc=$rc $sel $fb [$info] $err"
}
HV="hevc=main,main10"
case_() {
 case $1 in
 p010-after)   run $1 "$HV" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc ! video/x-h265,profile=main-10 ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 p010-before-parse) run $1 "$HV" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc ! h265parse ! video/x-h265,profile=main-10 ! mp4mux ! filesink location=$d/$1.mp4 ;;
 i42010-ts)    run $1 "$HV" $V ! video/x-raw,format=I420_10LE,$R ! qsvautoh265enc ! video/x-h265,profile=main-10 ! mpegtsmux ! filesink location=$d/$1.ts ;;
 8bit-main10)  run $1 "$HV" $V ! video/x-raw,format=I420,$R ! qsvautoh265enc ! video/x-h265,profile=main-10 ! h265parse ! mp4mux ! filesink location=$d/$1.mp4 ;;
 nv12-main10-mkv) run $1 "$HV" $V ! video/x-raw,format=NV12,$R ! qsvautoh265enc ! video/x-h265,profile=main-10 ! matroskamux ! filesink location=$d/$1.mkv ;;
 gone40-mkv)   run $1 "$HV;gone_at=40" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc ! video/x-h265,profile=main-10 ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 gone40-mp4)   run $1 "$HV;gone_at=40" $V ! video/x-raw,format=I420_10LE,$R ! qsvautoh265enc ! h265parse ! video/x-h265,profile=main-10 ! mp4mux ! filesink location=$d/$1.mp4 ;;
 gone40-ts)    run $1 "$HV;gone_at=40" $V ! video/x-raw,format=I420,$R ! qsvautoh265enc ! video/x-h265,profile=main-10 ! mpegtsmux ! filesink location=$d/$1.ts ;;
 both-profiles) run $1 "$HV" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc ! 'video/x-h265,profile=(string){main,main-10}' ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 both-rev)     run $1 "$HV" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc ! 'video/x-h265,profile=(string){main-10,main}' ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 main-10bitsrc) run $1 "$HV" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc ! video/x-h265,profile=main ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 main-10bitsrc-gone) run $1 "$HV;gone_at=40" $V ! video/x-raw,format=I420_10LE,$R ! qsvautoh265enc ! video/x-h265,profile=main ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 no10-driver)  run $1 "hevc=main" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc ! video/x-h265,profile=main-10 ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 main10-failat0) run $1 "$HV;fail_at=0" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc ! video/x-h265,profile=main-10 ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 main10-garbage) run $1 "$HV;garbage_at=40" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc ! video/x-h265,profile=main-10 ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 main10-hvc1-caps) run $1 "$HV;gone_at=40" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc ! video/x-h265,profile=main-10,stream-format=hvc1 ! mp4mux ! filesink location=$d/$1.mp4 ;;
 esac
}
[ $# -gt 0 ] || set -- p010-after p010-before-parse i42010-ts 8bit-main10 nv12-main10-mkv gone40-mkv gone40-mp4 gone40-ts both-profiles both-rev main-10bitsrc main-10bitsrc-gone no10-driver main10-failat0 main10-garbage main10-hvc1-caps

# forced encoders and refusals (pass these names as arguments)
case2() {
 case $1 in
 x265-forced) run $1 "$HV" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc encoder=x265enc ! video/x-h265,profile=main-10 ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 vaapi-forced) run $1 "$HV" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc encoder=vaapih265enc ! video/x-h265,profile=main-10 ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 lp-forced) run $1 "$HV" $V ! video/x-raw,format=I420,$R ! qsvautoh265enc encoder=vah265lpenc ! video/x-h265,profile=main-10 ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 never-no10) run $1 "hevc=main" $V ! video/x-raw,format=P010_10LE,$R ! qsvautoh265enc fallback=never ! video/x-h265,profile=main-10 ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 main444) run $1 "$HV" $V ! video/x-raw,format=I420,$R ! qsvautoh265enc ! video/x-h265,profile=main-444 ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 main12) run $1 "$HV" $V ! video/x-raw,format=I420,$R ! qsvautoh265enc ! video/x-h265,profile=main-12 ! h265parse ! matroskamux ! filesink location=$d/$1.mkv ;;
 esac
}
for c; do case_ $c; case2 $c; done
