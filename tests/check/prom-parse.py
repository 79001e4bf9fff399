#!/usr/bin/python3
# Parses a Prometheus text exposition file with the Prometheus client
# library's own parser (Debian: python3-prometheus-client) and prints its
# metric families as JSON for tests/check/tracerfile.c. Fails on what
# node_exporter's textfile collector would reject and the parser lets
# through: a family given twice, a series given twice.
# SPDX-License-Identifier: LGPL-2.1-or-later
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
families = {}
series = set()
for fam in text_string_to_metric_families(text):
    if fam.name in families:
        sys.exit(f"family {fam.name} appears twice")
    samples = []
    for s in fam.samples:
        key = (s.name, tuple(sorted(s.labels.items())))
        if key in series:
            sys.exit(f"series {key} appears twice")
        series.add(key)
        samples.append({"name": s.name, "labels": s.labels, "value": s.value})
    families[fam.name] = {"type": fam.type, "help": fam.documentation,
                          "samples": samples}
print(json.dumps(families))
