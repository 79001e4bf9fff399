#!/bin/sh
# Runs a test inside umockdev-run with one emulated Intel render node
# (/dev/dri/renderD128, as udev and the va plugin see it), the libfakedrm
# shim preloaded after umockdev's own preload library.
# usage: run-in-umockdev.sh DEVICE.umockdev SHIM.so PROGRAM [ARGS...]
# Exits 77 (meson's SKIP) where umockdev-run is not installed.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -e
command -v umockdev-run >/dev/null 2>&1 || {
  echo "umockdev-run not found (Debian package umockdev): skipping" >&2
  exit 77
}
device=$1 shim=$2
shift 2
exec umockdev-run -d "$device" -- sh -c \
  'LD_PRELOAD="$0${LD_PRELOAD:+:$LD_PRELOAD}" exec "$@"' "$shim" "$@"
