#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Builds and runs bypath.c against the build's stand-ins (see bypath.c).
cd "$(dirname "$0")/../.."
B=build; mkdir -p $B/repro
gcc -o $B/repro/bypath tests/repro/bypath.c tests/check/standins.c tests/check/qsvtestutil.c \
  -Itests/check -I$B $(pkg-config --cflags --libs gstreamer-check-1.0 gstreamer-video-1.0 gio-2.0) || exit 1
. tests/repro/env.sh bypath
export QSV_TEST_TMPDIR=$R
exec $B/repro/bypath
