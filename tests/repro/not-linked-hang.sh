#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Break: downstream is not linked (a tee with no branch yet: what a dynamic
# pipeline has before the app links its branch). Downstream's NOT_LINKED is
# taken for encoder failures (vah264enc, then vah264lpenc condemned:
# "flow not-linked"), then the source's streaming task is paused with no
# ERROR and no EOS: gst-launch never returns (the time-out below ends it,
# exit 124). With x264enc (no GPU) the same line ends at once with
# "streaming stopped, reason not-linked". Expected (README: "No hang, whatever
# an inner element does"; a downstream flow return is not an encoder fault):
# the not-linked ERROR, no fallback.
D=$(dirname "$0")
timeout ${1:-20} "$D/swrun.sh" "entrypoints=slice,lp" gst-launch-1.0 videotestsrc num-buffers=30 ! \
  video/x-raw,width=320,height=240,format=I420 ! qsvautoenc ! tee name=t
echo "exit $?"
