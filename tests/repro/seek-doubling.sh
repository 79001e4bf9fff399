#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Break: one flushing seek (to 1 s, from the application, frame 45) while a
# healthy vah264enc encodes a raw clip, no driver fault: after the seek the
# output carries vah264enc's own running count as PTS (45, 46, ... instead of
# the input frames' PTS), qsvautoenc matches none of them, condemns vah264enc at
# EOS ("qsvautoenc-fallback") and vah264lpenc encodes every post-seek frame a
# second time: 266 decoded frames after the flush for 133 input (content
# 17..149 twice). With x264enc (no GPU) the same script gives 133, once each.
D=$(cd "$(dirname "$0")" && pwd); cd ${TMPDIR:-/tmp}
/usr/bin/python3 -c "
with open('clip.yuv','wb') as f:
    for i in range(150): f.write(bytes([16+i])*(320*240)+bytes([128])*(320*240//2))"
"$D/swrun.sh" "entrypoints=slice,lp" /usr/bin/python3 "$D/seek.py" 45
