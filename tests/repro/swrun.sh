#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# usage: swrun.sh "FAKEVA_CONFIG" command args...   (e.g. "entrypoints=slice,lp;fail_at=40")
B=${B:-$(cd "$(dirname "$0")/../.." && pwd)/build}
conf=$1; shift
export LIBVA_DRIVER_NAME=swva LIBVA_DRIVERS_PATH=$B/tests/fakeva FAKEVA_CONFIG="$conf" GST_VAAPI_ALL_DRIVERS=1 GST_VAAPI_DRM_DEVICE=/dev/dri/renderD128 GST_PLUGIN_PATH_1_0=$B/gst/qsvautoenc GST_REGISTRY_1_0=/tmp/swreg-$(echo "$conf"|md5sum|cut -c1-8).bin QSVAUTOENC_PROBE_HELPER=$B/tools/probe-helper/gst-qsvautoenc-probe-helper LIBVA_MESSAGING_LEVEL=0
exec umockdev-run -d $B/../tests/check/renderD128.umockdev -- sh -c 'LD_PRELOAD="$0${LD_PRELOAD:+:$LD_PRELOAD}" exec "$@"' $B/tests/fakedrm/libfakedrm.so "$@"
