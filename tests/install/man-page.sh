#!/bin/sh
# qsvautoenc-probe(1) documents every option `qsvautoenc-probe --help` shows
# (GStreamer's own --gst-* options are referred to as a group) and the
# helper path this build installs.
# usage: man-page.sh PROBE MAN_PAGE HELPER_PATH
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
probe=$1 page=$2 helper=$3
fail () { echo "FAIL: $*"; exit 1; }
opts=$("$probe" --help | sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' |
  grep -v -e '^--help-' -e '^--gst-')
[ -n "$opts" ] || fail "no options in qsvautoenc-probe --help"
for o in $opts; do
  # groff writes a dash in an option as \-
  esc=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
  grep -q -- "$esc" "$page" || fail "the man page does not document $o"
  echo "documented: $o"
done
grep -q -- "$helper" "$page" || fail "the man page does not name the helper $helper"
# every status class the probe knows is named
for s in no-device permission-denied device-unavailable not-drm-device \
    no-driver driver-init-failed driver-crashed driver-hung no-h264-encode \
    open-failed not-built; do
  grep -q "^\.BR* $s" "$page" || fail "the man page does not name the status $s"
done
echo "the man page documents $(echo "$opts" | wc -w) options, the helper and the status classes"
