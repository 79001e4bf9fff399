#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# For each odd device path: qsvautoenc-probe --device, $QSVAUTOENC_DEVICE and
# device= (gst-launch to READY); prints status and any openat() of the path
# itself (strace -f). Needs: . tests/repro/env.sh dev first.
D=$R/devs
for p in "$@"; do
  echo "=== '$p'"
  out=$(strace -f -qq -o $R/strace.txt -e trace=openat,open qsvautoenc-probe --json --device "$p" 2>/dev/null)
  echo "--device: rc=$? $(echo "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print([(x["status"],x["message"][:140]) for x in d["devices"]], "| chosen:", d["qsvautoenc"].get("encoder"))' 2>&1 | tail -1)"
  grep -F "\"$p\"" $R/strace.txt | grep -v "ENOENT" | head -3
  out=$(QSVAUTOENC_DEVICE="$p" strace -f -qq -o $R/strace.txt -e trace=openat,open qsvautoenc-probe --json 2>/dev/null)
  echo "env: rc=$? $(echo "$out" | /usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin); print([(x["status"]) for x in d["devices"]], "explicit:", d["explicit_device"])' 2>&1|tail -1)"
  grep -F "\"$p\"" $R/strace.txt | grep -v ENOENT | head -3
  strace -f -qq -o $R/strace.txt -e trace=openat,open gst-launch-1.0 -m videotestsrc num-buffers=2 ! qsvautoenc "device=$p" ! fakesink > $R/launch.txt 2>&1
  echo "device=: rc=$? $(grep -o 'WARNING.*' $R/launch.txt | head -2 | cut -c1-300) $(grep -o 'encoder=(string)[a-z0-9]*' $R/launch.txt | head -1)"
  grep -F "\"$p\"" $R/strace.txt | grep -v ENOENT | head -3
done
