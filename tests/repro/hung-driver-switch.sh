#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A node remembered as hung stays "driver-hung" for 5 minutes even after the
# user switches LIBVA_DRIVER_NAME to another driver (the memory is keyed by
# path only).
cd "$(dirname "$0")/../.."
. tests/repro/env.sh drvswitch
echo "entrypoints=slice,lp" > $R/dri/renderD128; rm -f $R/run/* $R/registry.bin
FAKEVA_CONFIG="hang_at=init" QSVAUTOENC_PROBE_TIMEOUT_MS=500 qsvautoenc-probe | sed -n 3p
echo "now with another driver (swva, which does not hang):"
LIBVA_DRIVER_NAME=swva qsvautoenc-probe | sed -n 3p
