#!/bin/sh
# qsvautoenc-probe(1) documents every option `qsvautoenc-probe --help` shows
# (GStreamer's own --gst-* options are referred to as a group) and the
# helper path this build installs, and names every failure class of the probe.
# usage: man-page.sh PROBE MAN_PAGE HELPER_PATH SOURCE_ROOT
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
probe=$1 page=$2 helper=$3 src=$4
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
# every failure class the probe knows (its nick table) is named
classes=$(sed -n 's/^ *\[GST_QSV_VA_STATUS_[A-Z0-9_]*\] = "\([a-z0-9-]*\)",$/\1/p' "$src"/lib/vaprobe/gstqsvvaprobe*.c |
  grep -v -x ok)
[ "$(echo "$classes" | wc -w)" -ge 10 ] || fail "could not read the status nicks from lib/vaprobe/gstqsvvaprobe*.c"
for s in $classes; do
  grep -q "^\.BR* $s" "$page" || fail "the man page does not name the status $s"
done
echo "the man page documents $(echo "$opts" | wc -w) options, the helper and $(echo "$classes" | wc -w) status classes"
