#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# run under swrun.sh "" : qsvautoenc fallback=never with downstream
# profile=baseline (no VA encoder makes it). After the ERROR, the pipeline
# is left in PAUSED for 2 s (as gst-launch does while it reports): does the
# source start again and buffers reach the sink? Prints errors, element
# messages, the active encoder, and buffers/caps at the sink after the error.
import sys, gi
gi.require_version('Gst','1.0'); from gi.repository import Gst, GLib
Gst.init(None)
p=Gst.parse_launch("videotestsrc num-buffers=120 ! video/x-raw,width=320,height=240,framerate=30/1 ! qsvautoenc name=enc fallback=never ! video/x-h264,profile=baseline ! fakesink name=s")
errs=[]; msgs=[]; after=[0]; caps=[]
def probe(pad, info):
    if info.type & Gst.PadProbeType.BUFFER:
        if errs: after[0]+=1
    else:
        e=info.get_event()
        if e.type==Gst.EventType.CAPS: caps.append(e.parse_caps().to_string())
    return Gst.PadProbeReturn.OK
p.get_by_name('s').get_static_pad('sink').add_probe(Gst.PadProbeType.BUFFER|Gst.PadProbeType.EVENT_DOWNSTREAM, probe)
loop=GLib.MainLoop()
def on_msg(bus, m):
    if m.type==Gst.MessageType.ERROR:
        errs.append(m.src.get_name()+': '+m.parse_error()[0].message)
        if len(errs)==1: GLib.timeout_add(2000, loop.quit)
    elif m.type==Gst.MessageType.WARNING: msgs.append('WARNING '+m.src.get_name()+': '+m.parse_warning()[0].message)
    elif m.type==Gst.MessageType.ELEMENT: msgs.append(m.get_structure().get_name()+' '+str(m.get_structure().get_value('encoder')))
    elif m.type==Gst.MessageType.ASYNC_DONE: msgs.append('ASYNC_DONE')
bus=p.get_bus(); bus.add_signal_watch(); bus.connect('message', on_msg)
p.set_state(Gst.State.PAUSED)
GLib.timeout_add_seconds(10, loop.quit)
loop.run()
print('errors', errs); print('messages', msgs); print('active encoder', p.get_by_name('enc').get_property('active-encoder'))
print('sink caps', caps); print('buffers at the sink after the ERROR', after[0])
p.set_state(Gst.State.NULL)
