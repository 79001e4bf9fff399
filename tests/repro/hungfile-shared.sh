#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The hung-node cache in a runtime dir another user can write
# (XDG_RUNTIME_DIR=/tmp or any shared folder): poison, FIFO, /dev/zero.
# Run as root from the worktree after building.
cd "$(dirname "$0")/../.."
. tests/repro/env.sh hungshared
echo "entrypoints=slice,lp" > $R/dri/renderD128
S=/tmp/qsvshared; mkdir -p $S; chmod 1777 $S; rm -f $S/qsvautoenc-hung-nodes
export XDG_RUNTIME_DIR=$S
NB="setpriv --reuid 65534 --regid 65534 --clear-groups"
echo "== 1. planted entry (another user): healthy node reported driver-hung"
$NB sh -c "echo \"\$(date +%s)000000 $R/dri/renderD128\" > $S/qsvautoenc-hung-nodes"
qsvautoenc-probe | sed -n 3p
rm -f $S/qsvautoenc-hung-nodes
echo "== 2. FIFO planted: every process loading the plugin blocks (timeout 10 s)"
$NB mkfifo $S/qsvautoenc-hung-nodes
timeout 10 qsvautoenc-probe >/dev/null; echo "qsvautoenc-probe rc=$? (124 = hung)"
rm -f $S/qsvautoenc-hung-nodes
echo "== 3. symlink to /dev/zero (needs fs.protected_symlinks=0): memory grows until killed"
$NB ln -s /dev/zero $S/qsvautoenc-hung-nodes
(ulimit -v 1500000; timeout 15 qsvautoenc-probe >/dev/null 2>&1; echo "rc=$? (124 = hung, 134 = abort out of memory)")
rm -f $S/qsvautoenc-hung-nodes
