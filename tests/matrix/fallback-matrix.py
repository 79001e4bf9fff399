#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Fallback matrix: every way the hardware encoder can fail, against every
kind of downstream, measured from outside the element.

Rows (switch kinds) are faults of the software VA driver (swva, see the top
of tests/fakeva/fakeva_drv_video.c) under the REAL vah264enc, vah264lpenc
and vaapih264enc; columns are what a user puts after qsvautoenc. Each cell
is its own process (driver state such as gone_at is per process), fed the
same raw clip, and passes only if:
  - the pipeline ends with exit status 0, no ERROR on the bus, no hang;
  - the element really switched (a qsvautoenc-fallback message; the stall
    row also needs qsvautoenc-stall);
  - every input frame is there exactly once: decoded frame count == input
    count, and the output PTS (relative to the first output frame) equal
    i/30 s within half a frame (appsink: the running-time PTS set equals the
    input's exactly);
  - `ffmpeg -v error -xerror` decodes the output with no message;
  - the luma PSNR of every frame against the source frame of the same index
    is above PSNR_FLOOR;
  - appsink only: the caps downstream never change stream-format, profile,
    width or height (nor level once data flowed), the segment is never
    re-sent with a different start/base/offset, PTS never jump back and
    DTS never goes back.
splitmuxsink and hlssink2 (built on it) lose their final EOS in 1.22 now and
then with any encoder: see SPLITMUX_COLS for how that is told apart from a
hang and reported.

Runs inside umockdev (meson: tests/matrix/meson.build), with the meson test
environment (LIBVA_DRIVERS_PATH, GST_PLUGIN_PATH_1_0, GST_REGISTRY_1_0...).

  fallback-matrix.py [--codec h264|h265] [--rows R,..] [--cols C,..]
                     [--jobs N] [--valgrind]
  --codec h265: qsvautoh265enc on the REAL vah265enc, vah265lpenc and
  vaapih265enc (swva's HEVC, hevc=main), x265enc behind them, against the
  reduced set of downstreams H265_COLS.
  QSV_MATRIX_ROWS / QSV_MATRIX_COLS: the same as --rows / --cols.

Exit status: 0 when every cell passes, 1 otherwise, 77 (skip) without
ffmpeg (Debian package ffmpeg) or without the VA elements.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

WIDTH, HEIGHT, FPS, FRAMES = 320, 240, 30, 150
# Under valgrind (about 40x slower): a shorter clip, still 20 frames past the
# faults at frame 40.
VALGRIND_FRAMES = 60
FRAME_NS = 1000000000 // FPS
# Measured on this clip: x264enc at the default 2048 kbit/s gives 40-47 dB
# luma per frame; the clip against itself shifted by one frame (what a lost
# or doubled frame does to every later one) at most 27.4 dB, a concealed
# (garbage) frame less. 33 dB sits between, with margin on both sides.
PSNR_FLOOR = 33.0
BASE_DRIVER = "entrypoints=slice,lp"
# The stall row: the driver blocks 5 s, the watchdog fires after 0.5 s of
# no output. No timing is asserted: the fallback happens either way (the
# stalled call fails with a time-out when it returns); the stall message only
# needs the watchdog thread to run once in the 4.5 s between, which a loaded
# 2-core machine still grants by a wide margin. stall_max=1: one stall per
# cell, the replacement encodes on.
STALL_MS = 5000
STALL_TIMEOUT_MS = 500

ROWS = {
    # name: (driver faults, extra qsvautoenc properties)
    "startup": ("fail_at=0", ""),
    "midstream": ("fail_at=40", ""),
    "gone": ("gone_at=40", ""),
    "stall": ("stall_at=40;stall_ms=%d;stall_max=1" % STALL_MS,
              "stall-timeout=%d" % STALL_TIMEOUT_MS),
    "garbage": ("garbage_at=40", ""),
}

# name: (tail of the pipeline after qsvautoenc, output kind)
COLS = {
    "matroskamux": ("h264parse ! matroskamux ! filesink location={out}.mkv",
                    "file:{out}.mkv"),
    "mp4-avc": ("h264parse ! video/x-h264,stream-format=avc ! mp4mux ! "
                "filesink location={out}.mp4", "file:{out}.mp4"),
    # avc as qsvautoenc makes it for a muxer linked directly
    "mp4-avc-direct": ("video/x-h264,stream-format=avc ! mp4mux ! "
                       "filesink location={out}.mp4", "file:{out}.mp4"),
    "mp4-avc3": ("h264parse ! video/x-h264,stream-format=avc3 ! mp4mux ! "
                 "filesink location={out}.mp4", "file:{out}.mp4"),
    "mpegtsmux": ("h264parse ! mpegtsmux ! filesink location={out}.ts",
                  "file:{out}.ts"),
    "splitmuxsink": ("h264parse ! splitmuxsink location={out}-%05d.mp4 "
                     "max-size-time=1000000000", "concat:{out}-*.mp4"),
    "hlssink2": ("h264parse ! hlssink2 target-duration=1 max-files=0 "
                 "playlist-length=0 location={out}-%05d.ts "
                 "playlist-location={out}.m3u8", "file:{out}.m3u8"),
    # the payloader right after qsvautoenc: fed avc (what an h264parse in
    # between makes for it), rtph264pay 1.22 re-sends the parameter sets of
    # the first codec_data at every IDR (README, "What downstream sees")
    "rtp": ("rtph264pay config-interval=-1 ! rtph264depay ! "
            "h264parse ! video/x-h264,stream-format=byte-stream,alignment=au",
            "appsink:{out}.h264"),
    "appsink": ("h264parse ! video/x-h264,stream-format=byte-stream,"
                "alignment=au", "appsink:{out}.h264"),
}

# H.265 (issue 17): the muxers, hvc1 and hev1 in mp4.
H265_COLS = {
    "matroskamux": ("h265parse ! matroskamux ! filesink location={out}.mkv",
                    "file:{out}.mkv"),
    "mp4-hvc1": ("h265parse ! video/x-h265,stream-format=hvc1 ! mp4mux ! "
                 "filesink location={out}.mp4", "file:{out}.mp4"),
    "mp4-hev1": ("h265parse ! video/x-h265,stream-format=hev1 ! mp4mux ! "
                 "filesink location={out}.mp4", "file:{out}.mp4"),
    "mpegtsmux": ("h265parse ! mpegtsmux ! filesink location={out}.ts",
                  "file:{out}.ts"),
}
CODEC = "h264"

# Under valgrind: two cells, gst-launch-1.0 under memcheck.
VALGRIND_CELLS = [("midstream", "mpegtsmux"), ("gone", "mp4-avc3")]
# splitmuxsink 1.22 (and hlssink2, built on it) sometimes never posts EOS
# after closing its final fragment, with a bare x264enc in front as well
# (DESIGN.md; measured here: splitmuxsink 3 runs in 10, hlssink2 4 in 20).
# Its sign: the last thing it said is "fragment-closed" at the running time
# of the last frame, i.e. it got EOS after all data, and then nothing for
# EOS_LOST_GRACE seconds. Such a run is ended there, retried once, and if the
# retry loses its EOS the same way the output is judged as it is (the
# element's part, EOS delivered after every frame, is done); reported.
# Any other hang fails the cell.
SPLITMUX_COLS = ("splitmuxsink", "hlssink2")
EOS_LOST_GRACE = 10
CELL_TIMEOUT = 60
VALGRIND_TIMEOUT = 400

SRC = ("filesrc location={clip} ! rawvideoparse width=%d height=%d "
       "format=i420 framerate=%d/1 ! " % (WIDTH, HEIGHT, FPS))
# A keyframe every second, as streaming setups have: splitmuxsink and
# hlssink2 cut only at keyframes.
ENC = "qsvautoenc name=enc key-int-max=30 {props} ! "


def log(*a):
    print(*a, flush=True)


def run(cmd, timeout=None, env=None, log_path=None, eos_lost_at=None):
    """Runs cmd in its own process group; returns (rc, combined output):
    rc None on time-out, "eos-lost" when eos_lost_at (ns) is given and
    splitmuxsink lost its final EOS (see SPLITMUX_COLS)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         env=env, start_new_session=True)
    lines, last = [], [time.monotonic()]

    def reader():
        for line in iter(p.stdout.readline, b""):
            lines.append(line.decode("utf-8", "replace"))
            last[0] = time.monotonic()
    t = threading.Thread(target=reader)
    t.start()
    deadline = time.monotonic() + timeout if timeout else None
    rc = None
    while True:
        try:
            rc = p.wait(timeout=0.2)
            break
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if deadline and now > deadline:
            break
        if (eos_lost_at is not None and now - last[0] > EOS_LOST_GRACE and
                final_fragment_closed(lines, eos_lost_at)):
            rc = "eos-lost"
            break
    if p.poll() is None:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    t.join()
    out = "".join(lines)
    if log_path:
        with open(log_path, "a") as f:
            f.write("$ %s\n%s\n[exit %s]\n" % (" ".join(cmd), out, rc))
    return rc, out


def final_fragment_closed(lines, end_ns):
    frag = [l for l in lines if "splitmuxsink-fragment-" in l]
    if not frag or "splitmuxsink-fragment-closed" not in frag[-1]:
        return False
    m = re.search(r"running-time=\(guint64\)(\d+)", frag[-1])
    return bool(m) and int(m.group(1)) >= end_ns


def make_clip(path):
    """FRAMES frames of moving detail with noise: an honest source (DESIGN.md
    section 5), made once per run."""
    rc, out = run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                   "testsrc2=size=%dx%d:rate=%d" % (WIDTH, HEIGHT, FPS),
                   "-vf", "noise=alls=4:allf=t", "-frames:v", str(FRAMES),
                   "-pix_fmt", "yuv420p", "-f", "rawvideo", path])
    if rc != 0 or os.path.getsize(path) != WIDTH * HEIGHT * 3 // 2 * FRAMES:
        sys.exit("cannot make the source clip: %s" % out)


# -- the cell itself ---------------------------------------------------------

def pipeline(row, col, clip, out):
    faults, props = ROWS[row]
    tail, kind = COLS[col]
    return (SRC.format(clip=clip) + ENC.format(props=props) +
            tail.format(out=out)), kind.format(out=out)


def driver_env(row):
    env = dict(os.environ)
    env["FAKEVA_CONFIG"] = BASE_DRIVER + (
        ";hevc=main" if CODEC == "h265" else "") + ";" + ROWS[row][0]
    return env


def valgrind_cmd():
    supp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "valgrind", "gst-qsvautoenc.supp")
    cmd = ["valgrind", "--tool=memcheck", "--leak-check=full",
           "--errors-for-leak-kinds=definite", "--error-exitcode=99",
           "--num-callers=30", "--suppressions=" + supp]
    if os.path.exists("/usr/share/glib-2.0/valgrind/glib.supp"):
        cmd.append("--suppressions=/usr/share/glib-2.0/valgrind/glib.supp")
    return cmd


def launch(row, col, clip, out, use_valgrind, logp):
    """Runs the cell's pipeline; returns (problems, messages: list of
    (name, fields-text), appsink record or None)."""
    desc, kind = pipeline(row, col, clip, out)
    env = driver_env(row)
    timeout = VALGRIND_TIMEOUT if use_valgrind else CELL_TIMEOUT
    problems = []
    if kind.startswith("appsink:"):
        rec = out + ".json"
        cmd = ["/usr/bin/python3", os.path.abspath(__file__), "--appsink-cell",
               desc, kind.split(":", 1)[1], rec]
    else:
        rec = None
        cmd = ["gst-launch-1.0", "-m", "--no-position"] + desc.split()
    eos_lost_at = None
    if use_valgrind:
        env["GST_REGISTRY_UPDATE"] = "no"
        cmd = valgrind_cmd() + cmd
    elif col in SPLITMUX_COLS:
        # line by line, to see what splitmuxsink said last
        cmd = ["stdbuf", "-oL"] + cmd
        # the last frame's running time, less a millisecond of rounding
        eos_lost_at = (FRAMES - 1) * 1000000000 // FPS - 1000000
    rc, text = run(cmd, timeout=timeout, env=env, log_path=logp,
                   eos_lost_at=eos_lost_at)
    if rc == "eos-lost":
        problems.append("eos-lost")
    elif rc is None:
        problems.append("hang: no end in %d s" % timeout)
    elif rc == 99 and use_valgrind:
        first = re.search(r"^==\d+== (Invalid .*|Conditional .*|Use of .*|"
                          r".* definitely lost .*)$", text, re.M)
        problems.append("valgrind: %s (see the log)" % (
            first.group(1) if first else "errors"))
    elif rc != 0:
        problems.append("exit status %d" % rc)
    errs = re.findall(r"^ERROR: from element (\S+): (.*)\n"
                      r"(?:Additional debug info:\n.*\n(.*))?", text, re.M)
    for where, what, detail in errs[:1]:
        problems.append("ERROR from %s: %s %s" % (
            where.split("/")[-1], what.strip(), detail.strip()[:100]))
    msgs = re.findall(r'\(element\): (qsvautoenc-[a-z]+), (.*)$', text, re.M)
    record = None
    if rec:
        try:
            with open(rec) as f:
                record = json.load(f)
        except (OSError, ValueError):
            record = None
        if record:
            msgs = [tuple(m) for m in record["messages"]]
            for e in record["errors"][:1]:
                problems.append("ERROR from %s: %s" % (e[0], e[1][:120]))
    return problems, msgs, record


def encoders_of(msgs):
    chain = []
    for name, fields in msgs:
        m = re.search(r"\bencoder=\(string\)([\w-]+)", fields)
        if name in ("qsvautoenc-selected", "qsvautoenc-fallback") and m:
            chain.append(m.group(1))
    return chain


def ffmpeg_input(kind, workdir):
    """The ffmpeg/ffprobe input arguments for a cell's output."""
    how, path = kind.split(":", 1)
    if how == "concat":
        import glob
        parts = sorted(glob.glob(path))
        if not parts:
            return None
        lst = path.replace("-*.mp4", ".concat")
        with open(lst, "w") as f:
            for p in parts:
                f.write("file '%s'\n" % p)
        return ["-f", "concat", "-safe", "0", "-i", lst]
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    if how == "appsink":
        return ["-f", "hevc" if CODEC == "h265" else "h264", "-i", path]
    return ["-i", path]


def probe_frames(inp):
    """Decoded frames' presentation times (None where a frame has none)."""
    rc, out = run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                   "-show_entries", "frame=best_effort_timestamp_time",
                   "-of", "json"] + inp, timeout=120)
    try:
        frames = json.loads(out[out.index("{"):]).get("frames", [])
    except ValueError:
        return []
    return [float(f["best_effort_timestamp_time"])
            if "best_effort_timestamp_time" in f else None for f in frames]


def check_times(times, what="decoded"):
    """Set of PTS relative to the first output frame == {i/30 s}, each
    within half a frame."""
    if len(times) != FRAMES:
        return ["%s %d frames, want %d" % (what, len(times), FRAMES)]
    if None in times:
        return ["%d decoded frames have no timestamp" % times.count(None)]
    rel = sorted(t - min(times) for t in times)
    bad = [i for i, t in enumerate(rel) if abs(t - i / FPS) >= 0.5 / FPS]
    if bad:
        # which input frames are doubled or missing, as a reader wants it
        idx = [round(t * FPS) for t in rel]
        doubled = sorted({i for i in idx if idx.count(i) > 1})
        missing = sorted(set(range(FRAMES)) - set(idx))
        return ["PTS set differs from the input's at %d frame(s): %d "
                "timestamps doubled (first at %.3f s), %d input times "
                "missing (first %s)" % (
                    len(bad), len(doubled),
                    doubled[0] / FPS if doubled else -1, len(missing),
                    "%.3f s" % (missing[0] / FPS) if missing else "-")]
    return []


def check_decode_psnr(inp, clip, stats, logp):
    """One decode: `ffmpeg -v error -xerror` must exit 0 and print nothing,
    and every frame's luma PSNR against the source frame of the same index
    must reach PSNR_FLOOR."""
    problems = []
    lavfi = ("[0:v]settb=1/%d,setpts=N[a];[1:v]settb=1/%d,setpts=N[b];"
             "[a][b]psnr=stats_file=%s" % (FPS, FPS, stats))
    rc, out = run(["ffmpeg", "-nostdin", "-v", "error", "-xerror"] + inp +
                  ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s",
                   "%dx%d" % (WIDTH, HEIGHT), "-r", str(FPS), "-i", clip,
                   "-lavfi", lavfi, "-f", "null", "-"], timeout=120,
                  log_path=logp)
    if rc != 0 or out.strip():
        first = out.strip().splitlines()[0] if out.strip() else ""
        problems.append("ffmpeg -xerror: exit %s %s" % (rc, first[:100]))
    values = []
    if os.path.exists(stats):
        with open(stats) as f:
            for line in f:
                m = re.search(r"psnr_y:(\S+)", line)
                if m:
                    values.append(float(m.group(1)))
    if len(values) != FRAMES:
        problems.append("PSNR: %d frames compared, want %d" % (len(values),
                                                               FRAMES))
        return problems, min(values) if values else None
    low = [(i, v) for i, v in enumerate(values) if v < PSNR_FLOOR]
    if low:
        problems.append("luma PSNR < %.0f dB at %d frame(s), first frame %d: "
                        "%.1f dB" % (PSNR_FLOOR, len(low), low[0][0],
                                     low[0][1]))
    return problems, min(values)


def check_appsink(record, input_rt):
    """What an application reading samples sees."""
    problems = []
    caps = record["caps"]
    keys = ("stream-format", "profile", "width", "height")
    first = caps[0] if caps else {}
    # what downstream had accepted when data started: from then on the level
    # must hold too (issue 12: "the caps it already accepted"; a level
    # refined before the first buffer is harmless)
    accepted = ([c for c in caps if c["after-buffers"] == 0] or [first])[-1]
    for c in caps[1:]:
        diff = [k for k in keys if c.get(k) != first.get(k)]
        if c["after-buffers"] > 0 and c.get("level") != accepted.get("level"):
            diff.append("level")
        if diff:
            ref = dict(first, level=accepted.get("level"))
            problems.append("caps changed after %d buffers (%s): %s -> %s" % (
                c["after-buffers"], ",".join(diff),
                "/".join(str(ref.get(k)) for k in diff),
                "/".join(str(c.get(k)) for k in diff)))
            break
    segs = record["segments"]
    for s in segs[1:]:
        if s != segs[0]:
            problems.append("segment re-sent: start %s base %s -> start %s "
                            "base %s" % (segs[0]["start"], segs[0]["base"],
                                         s["start"], s["base"]))
            break
    out_rt = [s["pts_rt"] for s in record["samples"]]
    if sorted(out_rt) != sorted(input_rt):
        missing = sorted(set(input_rt) - set(out_rt))
        extra = sorted(set(out_rt) - set(input_rt))
        problems.append("running-time PTS differ from input: %d samples for "
                        "%d frames, %d missing (first %s), %d not in input "
                        "(first %s)" % (len(out_rt), len(input_rt),
                                        len(missing), fmt_ns(missing),
                                        len(extra), fmt_ns(extra)))
    pts = [s["pts"] for s in record["samples"]]
    jumps = [i for i in range(1, len(pts)) if pts[i] is not None and
             pts[i - 1] is not None and pts[i] + 10 * FRAME_NS < pts[i - 1]]
    if jumps:
        i = jumps[0]
        problems.append("PTS jumps back at sample %d: %s -> %s" % (
            i, fmt_ns([pts[i - 1]]), fmt_ns([pts[i]])))
    dts = [s["dts_rt"] for s in record["samples"] if s["dts_rt"] is not None]
    back = [i for i in range(1, len(dts)) if dts[i] < dts[i - 1]]
    if back:
        problems.append("DTS goes back at %d sample(s)" % len(back))
    return problems


def fmt_ns(values):
    if not values:
        return "-"
    v = values[0]
    if v is None:
        return "none"
    return "%d:%02d:%02d.%03d" % (v // 3600000000000, v // 60000000000 % 60,
                                  v // 1000000000 % 60, v // 1000000 % 1000)


def cell(row, col, clip, workdir, use_valgrind):
    name = "%s.%s" % (row, col)
    out = os.path.join(workdir, name)
    logp = out + ".log"
    for old in os.listdir(workdir):
        if old.startswith(name + ".") or old.startswith(name + "-"):
            os.unlink(os.path.join(workdir, old))
    start = time.monotonic()
    problems, msgs, record = launch(row, col, clip, out, use_valgrind, logp)
    note = ""
    if "eos-lost" in problems:
        note = "splitmuxsink lost its final EOS; retried"
        for old in os.listdir(workdir):
            if old.startswith(name + "-") or old == name + ".m3u8":
                os.unlink(os.path.join(workdir, old))
        problems, msgs, record = launch(row, col, clip, out, use_valgrind,
                                        logp)
        if "eos-lost" in problems:
            problems.remove("eos-lost")
            note = ("splitmuxsink lost its final EOS twice, after every "
                    "frame: output judged as written")
    chain = encoders_of(msgs)
    names = [m[0] for m in msgs]
    if "qsvautoenc-fallback" not in names:
        problems.append("no qsvautoenc-fallback message (encoders: %s)" %
                        ("->".join(chain) or "none reported"))
    if row == "stall" and "qsvautoenc-stall" not in names:
        problems.append("no qsvautoenc-stall message")
    _, kind = pipeline(row, col, clip, out)
    inp = ffmpeg_input(kind, workdir)
    min_psnr = None
    if inp is None:
        problems.append("no output written")
        return result(row, col, problems, chain, start, min_psnr, note, logp)
    decoded = probe_frames(inp)
    if record is None and kind.startswith("appsink:"):
        problems.append("no sample record written")
    elif record is not None:
        # raw H.264 has no timestamps: the samples' running times instead
        if col == "appsink":
            problems += check_appsink(record, record["input_rt"])
        problems += check_times([None if s["pts_rt"] is None else
                                 s["pts_rt"] / 1e9 for s in record["samples"]],
                                "appsink got")
        if len(decoded) != FRAMES:
            problems.append("decoded %d frames, want %d" % (len(decoded),
                                                            FRAMES))
    else:
        problems += check_times(decoded)
    psnr_problems, min_psnr = check_decode_psnr(inp, clip, out + ".psnr",
                                                logp)
    problems += psnr_problems
    return result(row, col, problems, chain, start, min_psnr, note, logp)


def result(row, col, problems, chain, start, min_psnr, note, logp):
    return {"row": row, "col": col, "ok": not problems, "problems": problems,
            "encoders": chain, "seconds": time.monotonic() - start,
            "min_psnr": min_psnr, "note": note, "log": logp}


# -- the appsink runner (own process: --appsink-cell) -----------------------

def appsink_cell(desc, outpath, recpath):
    import gi
    gi.require_version("Gst", "1.0")
    gi.require_version("GstApp", "1.0")
    from gi.repository import Gst, GstApp  # noqa: F401
    Gst.init(None)
    pipe = Gst.parse_launch(desc + " ! appsink name=sink sync=false")
    sink = pipe.get_by_name("sink")
    parse = pipe.get_by_name("rawvideoparse0")
    rec = {"caps": [], "segments": [], "samples": [], "input_rt": [],
           "messages": [], "errors": []}
    in_seg = {}

    def seg_dict(seg):
        return {"format": int(seg.format), "start": seg.start,
                "base": seg.base, "offset": seg.offset, "time": seg.time,
                "rate": seg.rate}

    # The input's running times, on the bin's input (outside the element).
    def in_probe(pad, info):
        if info.type & Gst.PadProbeType.BUFFER:
            b = info.get_buffer()
            seg = in_seg.get("seg")
            rec["input_rt"].append(
                seg.to_running_time(Gst.Format.TIME, b.pts) if seg else b.pts)
        else:
            ev = info.get_event()
            if ev.type == Gst.EventType.SEGMENT:
                in_seg["seg"] = ev.parse_segment()
        return Gst.PadProbeReturn.OK

    parse.get_static_pad("src").add_probe(
        Gst.PadProbeType.BUFFER | Gst.PadProbeType.EVENT_DOWNSTREAM, in_probe)

    buffers = [0]

    def ev_probe(pad, info):
        if info.type & Gst.PadProbeType.BUFFER:
            buffers[0] += 1
            return Gst.PadProbeReturn.OK
        ev = info.get_event()
        if ev.type == Gst.EventType.CAPS:
            s = ev.parse_caps().get_structure(0)
            c = {k: (str(s.get_value(k)) if s.has_field(k) else None)
                 for k in ("stream-format", "profile", "width", "height",
                           "level")}
            c["after-buffers"] = buffers[0]
            rec["caps"].append(c)
        elif ev.type == Gst.EventType.SEGMENT:
            rec["segments"].append(seg_dict(ev.parse_segment()))
        return Gst.PadProbeReturn.OK

    sink.get_static_pad("sink").add_probe(
        Gst.PadProbeType.BUFFER | Gst.PadProbeType.EVENT_DOWNSTREAM, ev_probe)
    out = open(outpath, "wb")

    def take(sample):
        b = sample.get_buffer()
        seg = sample.get_segment()
        none = Gst.CLOCK_TIME_NONE

        def rt(t):
            if t == none:
                return None
            return seg.to_running_time(Gst.Format.TIME, t)
        rec["samples"].append({"pts": None if b.pts == none else b.pts,
                               "pts_rt": rt(b.pts), "dts_rt": rt(b.dts)})
        ok, info = b.map(Gst.MapFlags.READ)
        if ok:
            out.write(info.data)
            b.unmap(info)

    bus = pipe.get_bus()
    pipe.set_state(Gst.State.PLAYING)
    done = False
    while not done:
        sample = sink.try_pull_sample(20 * Gst.MSECOND)
        if sample:
            take(sample)
        while True:
            msg = bus.pop()
            if not msg:
                break
            if msg.type == Gst.MessageType.ERROR:
                err, dbg = msg.parse_error()
                rec["errors"].append([msg.src.get_name(), err.message])
                done = True
            elif msg.type == Gst.MessageType.EOS:
                while True:
                    sample = sink.try_pull_sample(0)
                    if not sample:
                        break
                    take(sample)
                done = True
            elif msg.type == Gst.MessageType.ELEMENT:
                s = msg.get_structure()
                if s and s.get_name().startswith("qsvautoenc-"):
                    rec["messages"].append([s.get_name(), s.to_string()])
    pipe.set_state(Gst.State.NULL)
    out.close()
    with open(recpath, "w") as f:
        json.dump(rec, f)
    return 1 if rec["errors"] else 0


# -- main --------------------------------------------------------------------

def table(results):
    cols = [c for c in COLS if any(r["col"] == c for r in results)]
    w = max(len(c) for c in cols) + 2
    lines = ["%-10s " % "" + "".join("%-*s" % (w, c) for c in cols)]
    for row in ROWS:
        rr = {r["col"]: r for r in results if r["row"] == row}
        if rr:
            lines.append("%-10s " % row + "".join(
                "%-*s" % (w, "-" if c not in rr else
                          "PASS" if rr[c]["ok"] else "FAIL") for c in cols))
    return "\n".join(lines)


def main():
    global FRAMES, COLS, ENC, CODEC
    if len(sys.argv) > 1 and sys.argv[1] == "--appsink-cell":
        sys.exit(appsink_cell(*sys.argv[2:5]))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--codec", choices=("h264", "h265"), default="h264")
    ap.add_argument("--rows", default=os.environ.get("QSV_MATRIX_ROWS", ""))
    ap.add_argument("--cols", default=os.environ.get("QSV_MATRIX_COLS", ""))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--valgrind", action="store_true",
                    help="the reduced set %s under valgrind memcheck" %
                    VALGRIND_CELLS)
    ap.add_argument("--frames", type=int, default=0,
                    help="clip length (default %d, %d under valgrind)" %
                    (FRAMES, VALGRIND_FRAMES))
    ap.add_argument("--workdir", default=os.environ.get(
        "QSV_MATRIX_DIR", os.path.join(os.getcwd(), "fallback-matrix")))
    args = ap.parse_args()
    CODEC = args.codec
    if CODEC == "h265":
        COLS = H265_COLS
        ENC = ENC.replace("qsvautoenc ", "qsvautoh265enc ")

    for tool in ("ffmpeg", "ffprobe", "gst-launch-1.0") + (
            ("valgrind",) if args.valgrind else ()):
        if not shutil.which(tool):
            log("%s not found (Debian package %s): skipping" % (
                tool, {"gst-launch-1.0": "gstreamer1.0-tools"}.get(tool, tool)))
            sys.exit(77)
    rows = [r for r in args.rows.split(",") if r] or list(ROWS)
    cols = [c for c in args.cols.split(",") if c] or list(COLS)
    for r in rows:
        if r not in ROWS:
            sys.exit("unknown row %s (rows: %s)" % (r, ", ".join(ROWS)))
    for c in cols:
        if c not in COLS:
            sys.exit("unknown column %s (columns: %s)" % (c, ", ".join(COLS)))
    cells = [(r, c) for r in rows for c in cols]
    if args.valgrind:
        cells = [rc for rc in VALGRIND_CELLS if rc[0] in rows and rc[1] in cols]

    os.makedirs(args.workdir, exist_ok=True)
    t0 = time.monotonic()
    # The registry once, before cells run in parallel, and the VA elements
    # in it: without them the matrix would test x264enc alone.
    va = "vah265enc" if CODEC == "h265" else "vah264enc"
    scan_env = dict(os.environ)
    scan_env["FAKEVA_CONFIG"] = BASE_DRIVER + (
        ";hevc=main" if CODEC == "h265" else "")
    rc, out = run(["gst-inspect-1.0", va], timeout=120, env=scan_env)
    if rc != 0:
        log(va + " is not registered (no umockdev device, or "
            "gstreamer1.0-plugins-bad missing): skipping\n" + out[-2000:])
        sys.exit(77)
    FRAMES = args.frames or (VALGRIND_FRAMES if args.valgrind else FRAMES)
    clip = os.path.join(args.workdir, "clip-%d.yuv" % FRAMES)
    make_clip(clip)
    log("fallback matrix: %d cell(s)%s, %d frames, %d at a time, in %s" % (
        len(cells), " under valgrind" if args.valgrind else "", FRAMES,
        args.jobs, args.workdir))
    results = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futs = [pool.submit(cell, r, c, clip, args.workdir, args.valgrind)
                for r, c in cells]
        for f in futs:
            res = f.result()
            results.append(res)
            log("%-4s %-10s %-13s %5.1f s  [%s]%s%s" % (
                "PASS" if res["ok"] else "FAIL", res["row"], res["col"],
                res["seconds"], "->".join(res["encoders"]) or "?",
                "  min PSNR %.1f dB" % res["min_psnr"]
                if res["min_psnr"] is not None else "",
                "  (%s)" % res["note"] if res["note"] else ""))
            for p in res["problems"]:
                log("       - " + p)
    log("")
    log(table(results))
    failed = [r for r in results if not r["ok"]]
    log("\n%d cells: %d passed, %d failed; %.0f s (logs: %s/*.log)" % (
        len(results), len(results) - len(failed), len(failed),
        time.monotonic() - t0, args.workdir))
    with open(os.path.join(args.workdir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
