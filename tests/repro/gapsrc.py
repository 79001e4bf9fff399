#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# appsrc feeding N (90) I420 frames at 30 fps; GAP=a-b (41-60) frames left out,
# JITTER_MS=J: each PTS moved by up to +-J MICROseconds (name kept), as a
import sys, gi
gi.require_version('Gst','1.0'); from gi.repository import Gst
Gst.init(None)
tail=sys.argv[1]
import os,random
random.seed(1)
GAP=os.environ.get('GAP','41-60'); JIT=int(os.environ.get('JITTER_MS','0')); N=int(os.environ.get('N','90'))
ga,gb=map(int,GAP.split('-'))
p=Gst.parse_launch("appsrc name=a format=time caps=video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! "+tail)
a=p.get_by_name('a'); fd=Gst.SECOND//30
p.set_state(Gst.State.PLAYING)
for i in range(N):
    if ga<=i<=gb: continue
    b=Gst.Buffer.new_wrapped(bytes([(i*3)%256])*(320*240*3//2)); b.pts=i*fd+(random.randint(-JIT,JIT)*Gst.USECOND if JIT and i else 0); b.duration=fd
    a.emit('push-buffer', b)
a.emit('end-of-stream')
bus=p.get_bus()
while True:
    m=bus.timed_pop_filtered(30*Gst.SECOND, Gst.MessageType.EOS|Gst.MessageType.ERROR|Gst.MessageType.ELEMENT)
    if m is None: print("TIMEOUT"); break
    if m.type==Gst.MessageType.EOS: print("EOS"); break
    if m.type==Gst.MessageType.ERROR: print("ERROR", m.parse_error()[0].message); break
    s=m.get_structure()
    if s.get_name()=='qsvautoenc-fallback': print("FALLBACK", s.get_string('failed-encoder'), '->', s.get_string('encoder'), ':', s.get_string('error'), 'replayed', s.get_value('frames-replayed'))
p.set_state(Gst.State.NULL)
