#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# usage: seek-main10.sh "FAKEVA_CONFIG" SEEK_AT [FMT]
# seek265.py (flushing seek to 1 s when input frame SEEK_AT enters the bin)
# with downstream video/x-h265,profile=main-10 (Main 10 mode), decoded and
# converted back to I420 for the content check; FMT (default I420) is the raw
# format fed to the bin. README: flushing seeks after a switch hold; every
# frame after the flush comes out once, contiguous.
D=$(cd "$(dirname "$0")" && pwd); cd ${TMPDIR:-/tmp}
fmt=${3:-I420}
/usr/bin/python3 -c "
with open('clip.yuv','wb') as f:
    for i in range(150): f.write(bytes([16+i])*(320*240)+bytes([128])*(320*240//2))"
sed -e "s/! identity name=id ! qsvautoh265enc name=enc %s ! avdec_h265 !/! identity name=id ! videoconvert ! video\/x-raw,format=$fmt ! qsvautoh265enc name=enc %s ! video\/x-h265,profile=main-10 ! avdec_h265 ! videoconvert ! video\/x-raw,format=I420 !/" "$D/seek265.py" > seek-main10.py
grep -q 'profile=main-10' seek-main10.py || { echo "pipeline edit failed"; exit 2; }
"$D/swrun.sh" "$1" /usr/bin/python3 seek-main10.py "$2" 2>&1 | grep -v XDG
