#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The README must show the examples exactly as the files are."""
import sys
readme, *examples = sys.argv[1:]
text = open(readme).read()
missing = [e for e in examples if open(e).read() not in text]
if missing:
    sys.exit("README.md does not show these files as they are: " + ", ".join(missing))
print("README shows", ", ".join(examples))
