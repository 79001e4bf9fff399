#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# gst-inspect-1.0 --exists qsvautoenc exits 1 although the element loads:
# --exists checks the plugin version against GStreamer's own (1.22) by
# default, and the plugin says 0.1.0 (issue 13 point 6).
cd "$(dirname "$0")/../.."
. tests/repro/env.sh exists
gst-inspect-1.0 qsvautoenc >/dev/null; echo "gst-inspect-1.0 qsvautoenc rc=$?"
gst-inspect-1.0 --exists qsvautoenc; echo "--exists rc=$? (expected 0)"
gst-inspect-1.0 --exists --atleast-version=0.1 qsvautoenc; echo "--exists --atleast-version=0.1 rc=$?"
