#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# file=DIR/ (a folder, with a trailing slash) silently writes DIR/<name of
# DIR>; without the slash the same folder gives "Is a directory".
cd "$(dirname "$0")/../.."
. tests/repro/env.sh slash
D=$R/statusdir; rm -rf $D; mkdir -p $D
GST_TRACERS="qsvautoenc-report(file=$D/)" gst-launch-1.0 -q videotestsrc num-buffers=5 ! qsvautoenc ! fakesink
echo "rc=$? ; files in $D:"; ls -la $D | tail -n +4
