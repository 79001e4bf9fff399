#!/bin/sh
# Every source file names its license in an SPDX-License-Identifier line
# near its top (README "License"): C, headers, shell, Python, meson, the
# Dockerfile, YAML, the man page source, debian/rules. The GPL-2+ one is
# tests/fakeva/swva_encode_x264.c and swva_encode_x265.c (they link libx264,
# libx265); the examples are CC0.
# usage: spdx.sh SOURCE_ROOT
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
cd "$1"
fail=0 n=0
files=$(find . \( -path ./.git -o -path ./build -o -path './build-*' -o -path './obj-*' \
    -o -path ./debian/.debhelper -o -path ./debian/gstreamer1.0-qsvautoenc \
    -o -path ./tests/fuzz/corpus \) -prune -o -type f \
    \( -name '*.[ch]' -o -name '*.sh' -o -name '*.py' -o -name meson.build \
       -o -name meson_options.txt -o -name Dockerfile -o -name '*.yml' -o -name '*.yaml' \
       -o -name '*.1.in' -o -name '*.supp' -o -path ./debian/rules -o -path ./.ci/run \
       -o -path './scripts/*' \) -print | LC_ALL=C sort)
for f in $files; do
  n=$((n + 1))
  id=$(head -n 40 "$f" | sed -n 's/.*SPDX-License-Identifier: \([A-Za-z0-9.+-]*\).*/\1/p' | head -n1)
  case $f:$id in
    ./tests/fakeva/swva_encode_x26[45].c:GPL-2.0-or-later) ;;
    ./examples/embed.c:CC0-1.0|./examples/embed.py:CC0-1.0) ;;
    ./tests/fakeva/swva_encode_x26[45].c:*|./examples/embed.*:*)
      echo "FAIL: $f: SPDX-License-Identifier '$id' is not its license"; fail=1 ;;
    *:LGPL-2.1-or-later) ;;
    *:) echo "FAIL: $f has no SPDX-License-Identifier line"; fail=1 ;;
    *) echo "FAIL: $f: SPDX-License-Identifier $id (the project is LGPL-2.1-or-later; README \"License\")"; fail=1 ;;
  esac
done
[ $fail = 0 ] || exit 1
echo "$n source files, each with its SPDX-License-Identifier"
