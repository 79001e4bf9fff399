#!/bin/sh
# Runs an example; it must report the selection and the active encoder and
# leave a non-empty out.mp4. Exit 77 (SKIP) if PyGObject is missing.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
case "$1" in
  */python3)
    "$1" -c 'import gi; gi.require_version("Gst", "1.0"); from gi.repository import Gst' \
      2>/dev/null || { echo "python3-gi / gir1.2-gstreamer-1.0 missing: skipping"; exit 77; } ;;
esac
rm -f out.mp4
out=$("$@")
echo "$out"
echo "$out" | grep -q "qsvautoenc-selected" || { echo "no selection reported"; exit 1; }
echo "$out" | grep -q "^active encoder: " || { echo "no active encoder"; exit 1; }
[ -s out.mp4 ] || { echo "no out.mp4"; exit 1; }
