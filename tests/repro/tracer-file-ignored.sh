#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Two elements with tracer=true and different tracer-file: one file is
# written, the other element's tracer-file is ignored without any message
# (also at GST_DEBUG=qsvautoenc*:4); same when GST_TRACERS already set one.
cd "$(dirname "$0")/../.."
. tests/repro/env.sh prop
rm -f $R/*.json
gst-launch-1.0 -q videotestsrc num-buffers=5 ! qsvautoenc tracer=true tracer-file=$R/one.json ! fakesink \
  videotestsrc num-buffers=5 ! qsvautoenc tracer=true tracer-file=$R/two.json ! fakesink
ls $R/*.json
