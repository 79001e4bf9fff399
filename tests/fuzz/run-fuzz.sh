#!/bin/sh
# Builds the fuzz target with clang (libFuzzer, ASan, UBSan) and runs it for
# a while on the seed corpus. Exit 77 (meson's SKIP) where clang's fuzzer
# runtime is missing (Debian packages clang, libclang-rt-14-dev).
# usage: run-fuzz.sh SOURCE_ROOT BUILD_ROOT SECONDS
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
src=$1 build=$2 seconds=${3:-20}
out=$build/tests/fuzz
command -v clang >/dev/null 2>&1 || { echo "clang not found: skipping"; exit 77; }
mkdir -p "$out/corpus" "$out/scratch"
cflags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -DHAVE_CONFIG_H"
inc="-I$build -I$src/lib/common -I$src/lib/vaprobe -I$src/gst/qsvautoenc"
# the VA probe library with its libva backend (not the stub of -Dva=disabled)
probe=$(ls "$src"/lib/vaprobe/gstqsvvaprobe*.c | grep -v -- -none.c)
deps="gstreamer-1.0 json-glib-1.0 libva libva-drm libdrm"
# shellcheck disable=SC2046,SC2086
if ! clang $cflags $inc -o "$out/fuzz_strings" "$src/tests/fuzz/fuzz_strings.c" \
    "$src/gst/qsvautoenc/gstqsvencodercatalog.c" "$src/gst/qsvautoenc/gstqsvencoders-h264.c" \
    "$src/gst/qsvautoenc/gstqsvencoders-h265.c" \
    "$src/gst/qsvautoenc/gstqsvselection.c" "$src/gst/qsvautoenc/gstqsvmapping.c" "$src/gst/qsvautoenc/gstqsvparams.c" \
    "$src/lib/common/gstqsvjson.c" "$src/lib/common/gstqsvfile.c" $probe $(pkg-config --cflags --libs $deps) -lm \
    2>"$out/build.log"; then
  if grep -q "libclang_rt.fuzzer\|cannot find -l" "$out/build.log"; then
    echo "clang's fuzzer runtime is missing (libclang-rt-14-dev): skipping"
    exit 77
  fi
  cat "$out/build.log"
  exit 1
fi
cp "$src"/tests/fuzz/corpus/* "$out/corpus/"
# something to open: a plain file named like a node, and another
printf 'entrypoints=slice,lp' >"$out/scratch/renderD128"
printf 'x' >"$out/scratch/notadrm"
status=0
QSV_FUZZ_DIR=$out/scratch QSVAUTOENC_PROBE_HELPER=in-process ASAN_OPTIONS=detect_leaks=0 \
  "$out/fuzz_strings" -max_total_time="$seconds" -print_final_stats=1 \
  -artifact_prefix="$out/" "$out/corpus" >"$out/fuzz.log" 2>&1 || status=$?
grep -v '^#[0-9]' "$out/fuzz.log" | tail -n 40
exit $status
