#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# qsvautoh265enc fed by appsrc, run through swrun.sh with a fault, e.g.
#   tests/repro/swrun.sh "entrypoints=slice,lp;hevc=main;gone_at=40" /usr/bin/python3 tests/repro/h265-appsrc.py MODE [N]
# MODE: jitter  (PTS i/30 s +- 300 us, odd DTS none)
#       gaps    (every 10th frame missing from the PTS grid)
#       nopts   (no PTS at all)
#       resize  (320x240, then 352x288 from frame N/2: caps change mid-stream)
#       dup     (every 5th frame repeats the previous PTS)
# Promise (README, What downstream sees): every input frame comes out
# exactly once, output PTS are the input's (a frame with no/duplicate PTS gets
# the next time from the frame rate), caps change only where upstream's did.
# Prints frames in/out, PTS mismatches, fallbacks, errors.
import sys, gi
gi.require_version('Gst', '1.0')
from gi.repository import Gst, GLib
Gst.init(None)
mode = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 120
el = sys.argv[3] if len(sys.argv) > 3 else 'qsvautoh265enc'
caps_s = 'video/x-h265' if 'h265' in el else 'video/x-h264'
p = Gst.parse_launch(f'appsrc name=s format=time ! {el} name=e ! {caps_s},stream-format=byte-stream ! appsink name=k sync=false')
src, sink = p.get_by_name('s'), p.get_by_name('k')
import os
dump = open(os.environ.get('TMPDIR', '/tmp') + '/h265-appsrc.es', 'wb')
out = []; capslist = []; changes = []
sizes = []
def on_sample(sk):
    smp = sk.emit('pull-sample'); b = smp.get_buffer()
    c = smp.get_caps().to_string()
    if not capslist or capslist[-1] != c: capslist.append(c); changes.append(len(out))
    dump.write(b.extract_dup(0, b.get_size()))
    seg = smp.get_segment()
    out.append(seg.to_running_time(Gst.Format.TIME, b.pts) if b.pts != Gst.CLOCK_TIME_NONE else None)
    return Gst.FlowReturn.OK
sink.set_property('emit-signals', True); sink.connect('new-sample', on_sample)
fb = []; errs = []
p.set_state(Gst.State.PLAYING)
ins = []
for i in range(n):
    w, h = (352, 288) if (mode == 'resize' and i >= n // 2) else (320, 240)
    if i == 0 or (mode == 'resize' and i == n // 2):
        src.set_property('caps', Gst.Caps.from_string(f'video/x-raw,format=I420,width={w},height={h},framerate=30/1'))
    buf = Gst.Buffer.new_wrapped(bytes([(i * 7) % 256]) * (w * h * 3 // 2))
    pts = i * Gst.SECOND // 30
    if mode == 'jitter': pts += (300 if i % 2 else -300) * 1000 if i else 0
    if mode == 'gaps': pts = (i + i // 9) * Gst.SECOND // 30
    if mode == 'dup' and i % 5 == 4: pts = ins[-1]
    if mode != 'nopts': buf.pts = pts
    buf.duration = Gst.SECOND // 30
    ins.append(pts)
    src.emit('push-buffer', buf)
src.emit('end-of-stream')
bus = p.get_bus()
while True:
    m = bus.timed_pop(60 * Gst.SECOND)
    if m is None: print('TIMEOUT (no EOS in 60 s)'); break
    if m.type == Gst.MessageType.ELEMENT and m.get_structure().get_name() == 'qsvautoenc-fallback':
        fb.append(m.get_structure().get_string('encoder'))
    if m.type == Gst.MessageType.ERROR: errs.append(m.parse_error()[0].message); break
    if m.type == Gst.MessageType.EOS: break
p.set_state(Gst.State.NULL); dump.close()
print(f'mode={mode} in={n} out={len(out)} fallbacks={fb} errors={errs}')
print('caps seen:', len(capslist), 'at output frames', changes); [print('  ', c[:400]) for c in capslist]
if mode != 'nopts':
    miss = sorted(set(ins) - set(o for o in out if o is not None)); extra = len(out) - len(set(out))
    if mode in ('jitter', 'gaps'):
        print(f'input PTS not seen at output: {len(miss)} {[m/1e6 for m in miss[:5]]}; repeated output PTS: {extra}')
    else:
        print(f'repeated output PTS: {extra}; out monotonic: {all(a < b for a, b in zip(out, out[1:]) if a is not None and b is not None)}')
