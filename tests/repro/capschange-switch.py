#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Upstream caps change before / during / after a switch, Main 10 or 8-bit.
#   tests/repro/swrun.sh "hevc=main,main10;gone_at=40" /usr/bin/python3 tests/repro/capschange-switch.py KIND AT [FMT] [PROFILE] [N]
# KIND: resize (320x240 -> 352x288) or fps (30/1 -> 15/1) or both, from input
# frame AT on. FMT: I420 (default), P010_10LE, I420_10LE. PROFILE: main-10
# puts video/x-h265,profile=main-10 downstream. N frames (default 120).
# Promise (README "What downstream sees"): every frame out once, PTS kept,
# caps change only where upstream's did (a new resolution is passed on), and
# the coded frames have the size of their input. Prints the caps downstream
# saw (with the output frame index), frames in/out, PTS mismatches, and the
# coded sizes/profile of the dumped stream (ffprobe).
# EL=vah265enc / EL=qsvautoenc / EL=vah264enc run the bare encoder or H.264.
# Observed (1 run each): resize and fps at 20/40/60 with gone_at=40 from
# I420 / I420_10LE, frames out once, PTS kept, Main 10 kept: holds.
# BROKEN 1: NV12 or P010_10LE input (fed to the VA encoder as is, Main 10
# mode takes P010 directly), resize at 20, no fault: caps downstream say
# 352x288 from output 20 on, but all 120 coded frames are 320x240 (ffprobe);
# with gone_at=40: 40 frames 320x240 (20 of them had 352x288 input), then
# x265enc's 352x288. Same for qsvautoenc (H.264) with NV12. The bare
# vah265enc / vah264enc on swva do the same (so: vabaseenc 1.22 or the swva
# driver), but the bin passes the new caps on over frames of the old size.
# BROKEN 2: fps 30 -> 15 at 20 or 40 (before / at the switch), H.265: caps
# downstream stay 30/1 for the whole stream (no fault either); at 60, after
# the switch to x265enc, 15/1 appears. qsvautoenc passes it at 20. The bare
# vah265enc does not announce it either (vah264enc does).
import sys, os, subprocess, gi
gi.require_version('Gst', '1.0')
from gi.repository import Gst, GLib
Gst.init(None)
kind, at = sys.argv[1], int(sys.argv[2])
fmt = sys.argv[3] if len(sys.argv) > 3 else 'I420'
prof = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] != '-' else None
n = int(sys.argv[5]) if len(sys.argv) > 5 else 120
h264 = os.environ.get('EL', '').startswith(('qsvautoenc', 'vah264'))
down = ('video/x-h264' if h264 else 'video/x-h265') + ',stream-format=byte-stream' + (',profile=' + prof if prof else '')
p = Gst.parse_launch(f'appsrc name=s format=time ! {os.environ.get("EL", "qsvautoh265enc")} name=e ! {down} ! appsink name=k sync=false')
src, sink = p.get_by_name('s'), p.get_by_name('k')
es = os.environ.get('TMPDIR', '/tmp') + ('/capschange.h264' if h264 else '/capschange.h265')
dump = open(es, 'wb')
out = []; caps_seen = []
def on_sample(sk):
    smp = sk.emit('pull-sample'); b = smp.get_buffer(); c = smp.get_caps().get_structure(0)
    ok, fn, fd = c.get_fraction('framerate')
    short = '%sx%s@%s/%s %s' % (c.get_value('width'), c.get_value('height'), fn, fd, c.get_value('profile'))
    if not caps_seen or caps_seen[-1][1] != short: caps_seen.append((len(out), short))
    dump.write(b.extract_dup(0, b.get_size())); out.append(smp.get_segment().to_running_time(Gst.Format.TIME, b.pts))
    return Gst.FlowReturn.OK
sink.set_property('emit-signals', True); sink.connect('new-sample', on_sample)
msgs = []
p.set_state(Gst.State.PLAYING)
ins = []; t = 0
for i in range(n):
    late = i >= at
    w, h = (352, 288) if late and kind in ('resize', 'both') else (320, 240)
    fps = 15 if late and kind in ('fps', 'both') else 30
    caps = Gst.Caps.from_string(f'video/x-raw,format={fmt},width={w},height={h},framerate={fps}/1')
    if src.get_property('caps') is None or not src.get_property('caps').is_equal(caps):
        src.set_property('caps', caps)
    size = {'I420': w * h * 3 // 2}.get(fmt, w * h * 3)
    data = bytearray(size)
    b = Gst.Buffer.new_wrapped(bytes(data))
    b.pts = t; b.duration = Gst.SECOND // fps; t += Gst.SECOND // fps
    ins.append(b.pts)
    if src.emit('push-buffer', b) != Gst.FlowReturn.OK: msgs.append('push failed at %d' % i); break
src.emit('end-of-stream')
bus = p.get_bus()
while True:
    m = bus.timed_pop(30 * Gst.SECOND)
    if m is None: msgs.append('TIMEOUT'); break
    if m.type == Gst.MessageType.EOS: msgs.append('EOS'); break
    if m.type == Gst.MessageType.ERROR: msgs.append('ERROR ' + m.src.get_name() + ': ' + m.parse_error()[0].message); break
    if m.type == Gst.MessageType.ELEMENT and m.get_structure().get_name() == 'qsvautoenc-fallback':
        msgs.append('fallback->' + m.get_structure().get_value('encoder'))
p.set_state(Gst.State.NULL); dump.close()
print('messages', msgs)
print('first pts in/out', ins[:2], out[:2]); print('in', len(ins), 'out', len(out), 'pts mismatches', sum(1 for a, b in zip(sorted(ins), sorted(out)) if a != b), 'dups', len(out) - len(set(out)))
print('caps downstream (output frame index, caps):', caps_seen)
r = subprocess.run(['ffprobe', '-v', 'error', '-show_entries', 'frame=width,height', '-of', 'csv=p=0', es], capture_output=True, text=True).stdout.split()
runs = []
for s in r:
    s = s.strip(',')
    if runs and runs[-1][1] == s: runs[-1][0] += 1
    else: runs.append([1, s])
pr = subprocess.run(['ffprobe', '-v', 'error', '-show_entries', 'stream=profile,pix_fmt', '-of', 'csv=p=0', es], capture_output=True, text=True).stdout.strip()
print('coded frames (count x size, in order):', runs, 'stream:', pr)
