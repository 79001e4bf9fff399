#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Hung driver, runtime dir not writable (readOnlyRootFilesystem, HOME
# unwritable, XDG_RUNTIME_DIR unset or read-only): qsvautoenc-probe pays the
# probe time-out twice per run (its own probe and the element's, two copies
# of the in-process cache: the probe code is linked into both the command
# and the plugin), 30 s with the default 15 s, beyond the README's
# HEALTHCHECK --timeout=20s. Every later run pays it again.
# TIMEOUT_MS=1000 for a quick run.
cd "$(dirname "$0")/../.."
. tests/repro/env.sh rohang
echo "entrypoints=slice,lp;hang_at=init" > $R/dri/renderD128; chmod 666 $R/dri/renderD128
mkdir -p $R/ro; chmod 555 $R/ro; chmod -R a+rX /tmp/qsvrepro/rohang; chmod a+rw $R
rm -f $R/registry.bin
[ -n "$TIMEOUT_MS" ] && export QSVAUTOENC_PROBE_TIMEOUT_MS=$TIMEOUT_MS
NB="setpriv --reuid 65534 --regid 65534 --clear-groups env HOME=/nonexistent XDG_RUNTIME_DIR=$R/ro"
$NB gst-inspect-1.0 qsvautoenc >/dev/null 2>&1   # registry scan first
for i in 1 2; do
  /usr/bin/time -f "run $i: %e s" $NB qsvautoenc-probe 2>&1 | grep "run \|renderD128:"
done
