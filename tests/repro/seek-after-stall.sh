#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# One stall only (swva stall_at=30;stall_ms=1000;stall_max=1, stall-timeout=300):
# vah26Xenc stalls at frame 30, the watchdog hands over to vah26Xlpenc, which
# is HEALTHY from then on. The application does one flushing seek to 1 s at
# input frame 45. README: a flushing seek is fine with vah264enc (the old
# seek-doubling.sh is fixed for the first encoder); Fallback: "no frame is
# lost and none is doubled"; output PTS are the input's.
# Observed (H.265 2 of 2, H.264 1 of 1): after the flush the output PTS start
# 14 frames late (14, 15, ... relative to the segment, instead of 0, 1, ...);
# at EOS the healthy replacement is condemned ("vah265lpenc failed;
# continuing with vaapih265enc ... drained without output for 30 of its
# frames") and its frames are encoded again: 163 output frames after the
# flush for 133 input (44 PTS repeated).
# Variant with a second real fault instead (fail_at=30, no stall): 149 for
# 133, content 17..32 twice, PTS stuck at 29 (seek-after-switch-h265.sh).
D=$(cd "$(dirname "$0")" && pwd); cd ${TMPDIR:-/tmp}
/usr/bin/python3 -c "
with open('clip.yuv','wb') as f:
    for i in range(150): f.write(bytes([16+i])*(320*240)+bytes([128])*(320*240//2))"
echo "== H.265"
"$D/swrun.sh" "entrypoints=slice,lp;hevc=main;stall_at=30;stall_ms=1000;stall_max=1" /usr/bin/python3 "$D/seek265.py" 45 "stall-timeout=300" 2>&1 | grep -v XDG
echo "== H.264"
"$D/swrun.sh" "entrypoints=slice,lp;stall_at=30;stall_ms=1000;stall_max=1" /usr/bin/python3 "$D/seek.py" 45 "stall-timeout=300" 2>&1 | grep -v XDG
