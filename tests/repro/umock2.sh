#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Two emulated GPUs (umockdev, tests/check/render2nodes.umockdev), the real va
# plugin on the software VA driver (swva). Runs "$@" inside, with the
# emulated /dev/dri; $UMOCKDEV_DIR/dev/dri/ holds the nodes (make symlinks
# there). Usage: tests/repro/umock2.sh sh -c '...'
B=/work/b-probe/build
S=/work/b-probe/tests/check
R=/tmp/qsvrepro/umock2; mkdir -p $R/run
export LIBVA_DRIVERS_PATH=$B/tests/fakeva LIBVA_DRIVER_NAME=swva FAKEVA_CONFIG="${FAKEVA_CONFIG:-entrypoints=slice,lp}"
export GST_VAAPI_ALL_DRIVERS=1 GST_VAAPI_DRM_DEVICE=${GST_VAAPI_DRM_DEVICE:-/dev/dri/renderD128}
export QSVAUTOENC_PROBE_HELPER=$B/tools/probe-helper/gst-qsvautoenc-probe-helper
export GST_PLUGIN_PATH_1_0=$B/gst/qsvautoenc GST_REGISTRY_1_0=$R/registry.bin
export XDG_RUNTIME_DIR=$R/run PATH=$B/tools/qsvautoenc-probe:$PATH LIBVA_MESSAGING_LEVEL=2
unset LD_PRELOAD
exec $S/run-in-umockdev.sh ${UMOCK_FILE:-$S/render2nodes.umockdev} $B/tests/fakedrm/libfakedrm.so "$@"
