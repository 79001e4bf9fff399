#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Odd element/pipeline names, N encoders, non-UTF-8 file path; validate both files.
cd "$(dirname "$0")/../.."
. tests/repro/env.sh names
D=$R/${DIRNAME:-plain-dir}; mkdir -p "$D"
J="$D/s.json"; P="$D/s.prom"
GST_TRACERS="qsvautoenc-report(file=$J,interval=20);qsvautoenc-report(file=$P,format=prometheus,interval=20)" \
  /usr/bin/python3 tests/repro/status-names.py ${N:-8} 2>&1 | tail -3
/usr/bin/python3 -c '
import json,sys
t=open(sys.argv[1],"rb").read()
d=json.loads(t.decode("utf-8"))
print("json ok:", len(d["encoders"]), "encoders;", "lines:", t.count(b"\n"), "names:", [e["element"] for e in d["encoders"]][:3])' "$J"
/usr/bin/python3 tests/check/prom-parse.py "$P" > /dev/null && echo "prometheus ok" || echo "prometheus FAILED"
qsvautoenc-probe --status "$J"; echo "--status rc=$?"
