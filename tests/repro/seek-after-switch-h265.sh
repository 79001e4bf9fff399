#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# qsvautoh265enc on swva with fail_at=30 (each VA context fails at its own
# 30th frame): vah265enc fails at frame 30, vah265lpenc takes over, the
# application does a flushing seek to 1 s at input frame 45, and vah265lpenc
# fails at its own 30th frame, 16 frames after the seek; x265enc finishes.
# README (Fallback): "fed every frame the failed one had taken but not
# output, so no frame is lost and none is doubled"; output PTS are the input's.
# Observed (2 of 2 runs): after the flush 149 decoded frames for 133 input:
# content 17..32 comes out twice, and the output PTS run 14..29 then stick at
# 29 (29, 29, 29, ...). With gone_at=60 (same seek) 133, once each, correct.
# (The "expected 120" label printed by seek.py is stale: 133 input after the seek.)
D=$(cd "$(dirname "$0")" && pwd); cd ${TMPDIR:-/tmp}
/usr/bin/python3 -c "
with open('clip.yuv','wb') as f:
    for i in range(150): f.write(bytes([16+i])*(320*240)+bytes([128])*(320*240//2))"
"$D/swrun.sh" "entrypoints=slice,lp;hevc=main;fail_at=30" /usr/bin/python3 "$D/seek265.py" 45
