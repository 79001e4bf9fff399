#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# qsvautoh265enc variant of seek.py (flushing seek at frame argv[1]); run with a fault, e.g. gone_at=60.
# in the cwd: 150 I420 320x240 frames whose luma is 16+i (see seek-doubling.sh).
# argv[1]: the seek is issued when that frame enters qsvautoenc.
import sys, gi, threading
gi.require_version('Gst','1.0'); from gi.repository import Gst, GLib
Gst.init(None)
p=Gst.parse_launch("filesrc location=clip.yuv ! rawvideoparse width=320 height=240 format=i420 framerate=30/1 ! identity name=id ! qsvautoh265enc name=enc %s ! avdec_h265 ! appsink name=s sync=false" % (sys.argv[2] if len(sys.argv)>2 else ""))
cnt=[0]; content=[]; out=[]; seg=[]; flushes=[]
loop=GLib.MainLoop()
inp=[]
def h(ident, buf):
    cnt[0]+=1; inp.append(buf.pts)
    if cnt[0]==int(sys.argv[1]): GLib.idle_add(lambda: (p.seek_simple(Gst.Format.TIME, Gst.SeekFlags.FLUSH|Gst.SeekFlags.ACCURATE, Gst.SECOND), False)[1])
p.get_by_name('id').connect('handoff', h)
s=p.get_by_name('s')
def probe(pad, info):
    if info.type & Gst.PadProbeType.BUFFER:
        b=info.get_buffer(); out.append(b.pts); ok,mi=b.map(Gst.MapFlags.READ); content.append(mi.data[320*120+160]-16); b.unmap(mi)
    else:
        e=info.get_event()
        if e.type==Gst.EventType.SEGMENT: sg=e.parse_segment(); seg.append((len(out), sg.start, sg.time, sg.base))
        if e.type==Gst.EventType.FLUSH_STOP: flushes.append(len(out))
    return Gst.PadProbeReturn.OK
s.get_static_pad('sink').add_probe(Gst.PadProbeType.BUFFER|Gst.PadProbeType.EVENT_DOWNSTREAM|Gst.PadProbeType.EVENT_FLUSH, probe)
s.set_property('emit-signals', True); s.connect('new-sample', lambda x: (x.emit('pull-sample'), Gst.FlowReturn.OK)[1])
msgs=[]
def on_msg(bus, m):
    if m.type in (Gst.MessageType.EOS, Gst.MessageType.ERROR):
        msgs.append(m.type.first_value_nick + ('' if m.type==Gst.MessageType.EOS else ' '+m.parse_error()[0].message)); loop.quit()
    elif m.type==Gst.MessageType.ELEMENT: msgs.append(m.get_structure().get_name())
bus=p.get_bus(); bus.add_signal_watch(); bus.connect('message', on_msg)
p.set_state(Gst.State.PLAYING)
GLib.timeout_add_seconds(30, lambda: (msgs.append('TIMEOUT'), loop.quit()))
loop.run(); p.set_state(Gst.State.NULL)
fd=Gst.SECOND/30
print('input after seek', len(inp)-int(sys.argv[1]), 'first in pts after seek', [round(x/fd) for x in inp[int(sys.argv[1]):int(sys.argv[1])+3]]); print('out after flush first 20', [round((x-seg[-1][1])/fd) for x in out[flushes[-1]:][:20]] if flushes else None);print('content after flush', content[flushes[-1]:] if flushes else content); print(msgs); print('segments', [(i, st, t) for i,st,t,b in seg]); print('flush at out#', flushes)
# after the flush: frames expected 30..149 once each (running time relative)
after=out[flushes[-1]:] if flushes else out
st=seg[-1][1]
rel=sorted(round((x-st)/fd) for x in after)
print('after flush', len(after), 'expected', 150-30, 'dups', len(rel)-len(set(rel)), 'range', rel[:2], rel[-2:], 'contiguous', rel==list(range(rel[0], rel[0]+len(rel))) if rel else None)
