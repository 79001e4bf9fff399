#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Input resolution changes (320x240 -> 352x288 at frame 60) AFTER a mid-stream
# switch (swva gone_at=40 -> x265enc / x264enc), appsrc -> bin -> appsink.
# README ("What downstream sees"): "The caps downstream accepted first
# (stream-format, profile, level, size, codec_data) stay for the whole
# stream; only a change that comes from upstream (a new resolution) is
# passed on."
# Observed (3 of 3 runs H.265, 1 of 1 H.264): the caps change at the switch
# (output frame 42 / 40: level 2 -> 2.1 and tier=main added; H.264 level 1.3
# -> 2), and the new resolution is never announced: downstream caps stay
# width=320,height=240 while the last 60 coded frames are 352x288 (ffprobe of
# the dumped elementary stream). Without a fault, the caps change at 60 to
# 352x288 as they should.
here=$(cd "$(dirname "$0")" && pwd)
"$here/swrun.sh" "entrypoints=slice,lp;hevc=main;gone_at=40" /usr/bin/python3 "$here/h265-appsrc.py" resize 120 2>&1 | grep -v XDG
echo "coded frame sizes:"; ffprobe -v error -show_entries frame=width,height -of csv=p=0 ${TMPDIR:-/tmp}/h265-appsrc.es | sed 's/,$//' | grep . | sort | uniq -c
"$here/swrun.sh" "entrypoints=slice,lp;gone_at=40" /usr/bin/python3 "$here/h265-appsrc.py" resize 120 qsvautoenc 2>&1 | grep -v XDG
