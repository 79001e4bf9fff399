#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Source me: sets up an emulated-GPU environment like the tests (fakedrm shim,
# fake VA driver) in a scratch dir $R. Usage: . tests/repro/env.sh [scratchname]
B=${B:-/work/b-probe/build}
R=/tmp/qsvrepro/${1:-default}
mkdir -p "$R/dri" "$R/run"
export LD_PRELOAD=$B/tests/fakedrm/libfakedrm.so
export LIBVA_DRIVERS_PATH=$B/tests/fakeva
export LIBVA_DRIVER_NAME=fakeva
export QSVAUTOENC_PROBE_HELPER=$B/tools/probe-helper/gst-qsvautoenc-probe-helper
export QSVAUTOENC_DRI_DIR=$R/dri
export XDG_RUNTIME_DIR=$R/run
export GST_PLUGIN_PATH_1_0=$B/gst/qsvautoenc
export GST_REGISTRY_1_0=$R/registry.bin
export PATH=$B/tools/qsvautoenc-probe:$PATH
export LIBVA_MESSAGING_LEVEL=2
