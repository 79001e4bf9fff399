#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A forced vaapih26Xenc (encoder=..., or fallback=never) that fails mid-stream
# (swva fail_at=40): README promises "No switch allowed, one clear ERROR ...
# an ERROR from qsvautoenc that names the encoder, the reason and the policy"
# and "fallback=never ... a failure is then a clean ERROR". Observed: the only
# ERROR is videotestsrc's "Internal data stream error ... reason error (-5)";
# nothing names vaapih265enc/vaapih264enc, the fault or the policy.
# (vah26Xenc forced the same way do post their own ERROR.)
here=$(cd "$(dirname "$0")" && pwd)
$here/h265-case.sh forced-vaapih265 "entrypoints=slice,lp;hevc=main;fail_at=40" "qsvautoh265enc encoder=vaapih265enc" "matroskamux ! filesink location=\$out" 120
$here/h265-case.sh never-vaapih265 "entrypoints=slice,lp;hevc=main;fail_at=40" "qsvautoh265enc encoder=vaapih265enc fallback=never" "matroskamux ! filesink location=\$out" 120
$here/h265-case.sh forced-vaapih264 "entrypoints=slice,lp;fail_at=40" "qsvautoenc encoder=vaapih264enc" "matroskamux ! filesink location=\$out" 120
