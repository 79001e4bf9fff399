#!/usr/bin/python3
# gst-qsvautoenc benchmark suite: CPU per frame and throughput of every H.264
# encoder this machine has (through qsvautoenc, and x264enc directly), the
# cost of the bin and of the tracer, ffmpeg's libx264 as the outside
# reference, the VA probe's latency, and the quality (PSNR) and bitrate
# behind every speed figure.
#
# Runs from ./scripts/benchmark (which installs ffmpeg and gnuplot and
# builds). Writes BUILD/benchmarks/benchmarks.json, benchmarks.md and
# cpu-per-frame.svg. Standard library only (Debian's /usr/bin/python3).
#
# Method (docs/BENCHMARKS.md says more):
#  - one raw NV12 source file per size, made once by ffmpeg: a Mandelbrot
#    zoom (fine detail everywhere, moving every frame) with temporal noise
#    (sensor grain), so that no encoder gets an easy, static picture;
#  - every encoder reads that same file from the page cache through its raw
#    parser (GStreamer: filesrc ! rawvideoparse; ffmpeg: -f rawvideo), so
#    both pay the same to get frames;
#  - every configuration runs in a process of its own, interleaved round by
#    round (A B C ..., then B C ... A, ...: the order rotates), several
#    rounds; figures are medians, and A/B ratios are medians of the
#    per-round ratios;
#  - GStreamer runs count process CPU (all threads, user + system, getrusage)
#    and wall time from PLAYING to EOS (tests/benchmarks/encode-cpu.c);
#    ffmpeg's own -benchmark counts the same for its whole transcode;
#  - "throughput" runs as fast as the encoder can; "live" paces the input at
#    30 fps (filesink sync=true; ffmpeg -re) and gives the CPU share one
#    stream costs, the figure the 80-90% QuickSync claim is about.
# SPDX-License-Identifier: LGPL-2.1-or-later

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

SIZES = {"720p": (1280, 720, 3000), "1080p": (1920, 1080, 6000)}
GOP = 60
FPS = 30
# everything qsvautoenc can choose; a row exists where it can be used
CATALOG = ["qsvh264enc", "vah264enc", "vah264lpenc", "vaapih264enc",
           "x264enc", "openh264enc"]
HARDWARE = {"qsvh264enc", "vah264enc", "vah264lpenc", "vaapih264enc"}
# Software H.264 against software HEVC, what a box without a GPU falls back
# to: x264enc and x265enc (gstreamer1.0-plugins-bad) at the same bitrate
# (the same quality target: compare their PSNR), speed-preset the
# trade-off that target-usage maps to. VBV as x264enc pass=cbr sets it (max
# rate = bitrate, a buffer of 600 ms).
CODEC_PRESETS = ["ultrafast", "veryfast", "medium"]


def codec_rows():
    rows = []
    for p in CODEC_PRESETS:
        rows.append((f"x264enc:{p}", "x264enc name=enc pass=cbr "
                     f"bitrate={{kbps}} key-int-max={GOP} "
                     f"option-string=scenecut=0 bframes=0 speed-preset={p}",
                     {}))
    # x265enc takes planar I420, not NV12: a videoconvert in front (about
    # 1 ms a 1080p frame, counted in its row: qsvautoenc would need it too)
    for p in CODEC_PRESETS:
        rows.append((f"x265enc:{p}", "videoconvert ! "
                     "x265enc name=enc bitrate={kbps} "
                     f"key-int-max={GOP} speed-preset={p} option-string="
                     "bframes=0:scenecut=0:vbv-maxrate={kbps}:"
                     "vbv-bufsize={vbv}", {}))
    return rows


def is_hevc(name):
    return name.startswith("x265enc")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, env=None, check=True, **kw):
    r = subprocess.run(cmd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True, **kw)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({r.returncode}):\n"
                           f"{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
    return r


class Bench:
    def __init__(self, args):
        self.args = args
        self.build = os.path.abspath(args.build)
        self.out = os.path.abspath(args.out or os.path.join(self.build,
                                                            "benchmarks"))
        os.makedirs(self.out, exist_ok=True)
        self.encode = os.path.join(self.build, "tests", "benchmarks",
                                   "encode-cpu")
        self.env = dict(os.environ)
        self.env["GST_PLUGIN_PATH_1_0"] = os.path.join(self.build, "gst",
                                                       "qsvautoenc")
        self.env["GST_REGISTRY_1_0"] = os.path.join(self.out, "registry.bin")
        helper = os.path.join(self.build, "tools", "probe-helper",
                              "gst-qsvautoenc-probe-helper")
        if os.path.exists(helper):
            self.env["QSVAUTOENC_PROBE_HELPER"] = helper
        self.env.pop("GST_TRACERS", None)
        self.results = {"settings": {}, "machine": {}, "probe_latency": [],
                        "throughput": [], "live": [], "quality": [],
                        "ratios": {}, "x264_options": {}}

    # -- the machine ------------------------------------------------------
    def machine(self):
        m = self.results["machine"]
        cpu = "unknown"
        try:
            for line in open("/proc/cpuinfo"):
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        except OSError:
            pass
        m["cpu"] = cpu
        m["cores"] = os.cpu_count()
        m["kernel"] = platform.release()
        try:
            osr = dict(l.rstrip().split("=", 1) for l in open("/etc/os-release")
                       if "=" in l)
            m["os"] = osr.get("PRETTY_NAME", "").strip('"')
        except OSError:
            m["os"] = "unknown"
        m["gstreamer"] = run(["gst-launch-1.0", "--version"]).stdout \
            .splitlines()[1].strip()
        m["ffmpeg"] = run(["ffmpeg", "-hide_banner", "-version"]).stdout \
            .splitlines()[0]
        # the encoders' own versions, as Debian packaged them
        r = run(["dpkg-query", "-W", "-f", "${Package} ${Version}\\n",
                 "libx264-*", "libx265-*", "libopenh264-*", "intel-media-va-driver*",
                 "libmfx-gen*", "libvpl*", "libva2", "gstreamer1.0-plugins-bad",
                 "gstreamer1.0-plugins-ugly", "gstreamer1.0-vaapi"],
                check=False)
        m["packages"] = sorted(l for l in r.stdout.splitlines()
                               if l.strip() and not l.endswith(" "))
        probe = os.path.join(self.build, "tools", "probe-helper", "qsvautoenc-probe")
        r = run([probe, "--json"], env=self.env, check=False)
        try:
            p = json.loads(r.stdout)
            dev = next((d for d in p["devices"] if d["path"] == p["device"]),
                       None)
            m["va"] = {"status": p["status"], "device": p["device"],
                       "vendor": dev["vendor"] if dev else None,
                       "va_driver": dev["va_driver"] if dev else None,
                       "message": p["message"]}
            m["qsvautoenc_choice"] = p.get("qsvautoenc", {}).get("encoder")
        except (ValueError, KeyError):
            m["va"] = {"status": "unknown", "message": r.stderr.strip()}
        log(f"machine: {m['cpu']} ({m['cores']} cores), {m['os']}, "
            f"{m['gstreamer']}; VA: {m['va'].get('status')}")

    # -- the source -------------------------------------------------------
    def source(self, size):
        w, h, _ = SIZES[size]
        n = self.args.frames
        path = os.path.join(self.out, f"source-{w}x{h}-{n}.nv12")
        if os.path.exists(path) and os.path.getsize(path) == w * h * 3 // 2 * n:
            return path
        log(f"making the {size} source ({n} frames; once)")
        run(["ffmpeg", "-v", "error", "-nostdin", "-f", "lavfi", "-i",
             f"mandelbrot=size={w}x{h}:rate={FPS}:maxiter=200:"
             f"end_pts={max(n // FPS, 1)}:end_scale=0.02,"
             "noise=alls=6:allf=t", "-frames:v", str(n), "-pix_fmt", "nv12",
             "-f", "rawvideo", "-y", path])
        return path

    # -- the encoders -----------------------------------------------------
    def gst_rows(self):
        """(row name, encoder part of the pipeline, extra env)"""
        if self.args.codecs_only:
            return codec_rows()
        rows = [("x264enc", "x264enc name=enc pass=cbr bitrate={kbps} "
                 f"key-int-max={GOP} option-string=scenecut=0 bframes=0 "
                 "speed-preset=faster", {})]
        for name in CATALOG:
            ok, why = self.usable(name)
            if ok:
                rows.append((f"qsvautoenc:{name}",
                             f"qsvautoenc name=enc encoder={name} "
                             "bitrate={kbps} key-int-max=" + str(GOP) +
                             " b-frames=0 target-usage=4", {}))
            else:
                log(f"  {name}: not measured ({why})")
                self.results["settings"].setdefault("not_measured", {})[
                    name] = why
        if any(r[0] == "qsvautoenc:x264enc" for r in rows):
            # the software baseline a live service would pick: what
            # target-usage=5 low-latency=true maps to (x264 veryfast,
            # tune=zerolatency): the fairer one to compare hardware with
            rows.append(("qsvautoenc:x264enc-veryfast-zerolatency",
                         "qsvautoenc name=enc encoder=x264enc bitrate={kbps} "
                         f"key-int-max={GOP} b-frames=0 target-usage=5 "
                         "low-latency=true", {}))
            tr = os.path.join(self.out, "tracer-status.json")
            bin_row = next(r for r in rows if r[0] == "qsvautoenc:x264enc")
            rows.append(("qsvautoenc:x264enc+tracer", bin_row[1],
                         {"GST_TRACERS":
                          f"qsvautoenc-report(file={tr},interval=1000)"}))
        return rows + codec_rows()

    def usable(self, name):
        r = run([self.encode, "videotestsrc num-buffers=2 ! video/x-raw,"
                 "width=320,height=240,format=NV12 ! qsvautoenc name=enc "
                 f"encoder={name} fallback=never ! fakesink name=sink"],
                env=self.env, check=False)
        if r.returncode != 0:
            m = re.search(re.escape(name) + r": ([^;]+)", r.stderr)
            if not m:
                return False, (r.stderr.strip().splitlines() or
                               ["failed"])[-1]
            why = m.group(1)
            # the last reason also closes the error's own parenthesis
            while why.count(")") > why.count("("):
                why = why[:-1]
            return False, why
        kv = dict(x.split("=", 1) for x in r.stdout.split())
        if kv.get("encoder") != name:
            return False, f"qsvautoenc used {kv.get('encoder')}"
        return True, ""

    def gst_pipeline(self, size, enc, frames, live, outfile, hevc=False):
        w, h, kbps = SIZES[size]
        return (f"filesrc location={self.source(size)} "
                f"num-buffers={frames} blocksize={w * h * 3 // 2} ! "
                f"rawvideoparse width={w} height={h} format=nv12 "
                f"framerate={FPS}/1 ! "
                f"{enc.format(kbps=kbps, vbv=kbps * 600 // 1000)} ! "
                f"video/x-{'h265' if hevc else 'h264'},"
                "stream-format=byte-stream ! "
                f"filesink name=sink location={outfile} "
                f"sync={'true' if live else 'false'}")

    def run_gst(self, size, row, frames, live):
        name, enc, extra = row
        outfile = os.path.join(self.out, f"{name.replace(':', '-')}-{size}"
                               f"{'-live' if live else ''}."
                               f"{'h265' if is_hevc(name) else 'h264'}")
        env = dict(self.env)
        env.update(extra)
        r = run([self.encode, self.gst_pipeline(size, enc, frames, live,
                                                outfile, is_hevc(name))],
                env=env)
        kv = dict(x.split("=", 1) for x in r.stdout.split())
        return {"encoder": name, "size": size, "cpu_ms": float(kv["cpu_ms"]),
                "user_ms": float(kv["user_ms"]), "sys_ms": float(kv["sys_ms"]),
                "wall_ms": float(kv["wall_ms"]), "frames": int(kv["frames"]),
                "active": kv.get("encoder"), "file": outfile}

    def ffmpeg_cmd(self, size, frames, live, outfile):
        w, h, kbps = SIZES[size]
        # x264enc pass=cbr: ABR with VBV max rate = bitrate and a buffer of
        # vbv-buf-capacity (600 ms) of it; keyint_min as x264enc leaves it
        # (x264's default, keyint / 10). The report compares the two
        # streams' x264 option strings (SEI) to show they match.
        return (["ffmpeg", "-hide_banner", "-nostdin", "-benchmark"] +
                (["-re"] if live else []) +
                ["-f", "rawvideo", "-pix_fmt", "nv12", "-s", f"{w}x{h}",
                 "-r", str(FPS), "-i", self.source(size),
                 "-frames:v", str(frames),
                 "-c:v", "libx264", "-preset", "faster", "-b:v", f"{kbps}k",
                 "-maxrate", f"{kbps}k", "-bufsize", f"{kbps * 600 // 1000}k",
                 "-g", str(GOP), "-keyint_min", str(GOP // 10), "-sc_threshold",
                 "0", "-bf", "0", "-f", "h264", "-y", outfile])

    def run_ffmpeg(self, size, frames, live):
        outfile = os.path.join(self.out, f"ffmpeg-libx264-{size}"
                               f"{'-live' if live else ''}.h264")
        r = run(self.ffmpeg_cmd(size, frames, live, outfile))
        m = re.search(r"bench: utime=([\d.]+)s stime=([\d.]+)s "
                      r"rtime=([\d.]+)s", r.stderr)
        user, sys_, wall = (float(x) * 1000 for x in m.groups())
        return {"encoder": "ffmpeg-libx264", "size": size,
                "cpu_ms": user + sys_, "user_ms": user, "sys_ms": sys_,
                "wall_ms": wall, "frames": frames, "active": "libx264",
                "file": outfile}

    # -- measurements -----------------------------------------------------
    def throughput(self):
        reps, frames = self.args.reps, self.args.frames
        rows = self.gst_rows()
        for size in self.args.sizes:
            self.source(size)
            log(f"{size}: {len(rows) + (0 if self.args.codecs_only else 1)} "
                f"configurations x {reps} rounds, "
                f"{frames} frames each, interleaved")
            configs = rows + ([] if self.args.codecs_only else [None])
            # None: ffmpeg
            for rep in range(reps):
                # each round starts one configuration later, so that none
                # always runs right after the same other one (order effects:
                # caches, clock boost, a neighbour's load)
                k = rep % len(configs)
                for row in configs[k:] + configs[:k]:
                    res = self.run_gst(size, row, frames, False) if row \
                        else self.run_ffmpeg(size, frames, False)
                    res["round"] = rep
                    self.results["throughput"].append(res)
                log(f"  round {rep + 1}/{reps} done")
        self.rows = rows

    def live(self):
        frames = self.args.live_frames
        for size in self.args.sizes:
            log(f"{size}: live (paced at {FPS} fps), {frames} frames each")
            for row in self.rows:
                if row[0].endswith("+tracer"):
                    continue
                res = self.run_gst(size, row, frames, True)
                self.results["live"].append(res)
            self.results["live"].append(self.run_ffmpeg(size, frames, True))

    def probe_latency(self):
        exe = os.path.join(self.build, "tests", "benchmarks", "probe-latency")
        env = dict(self.env)
        env["QSV_TEST_TMPDIR"] = os.path.join(self.out, "tmp")
        fakedrm = os.path.join(self.build, "tests", "fakedrm",
                               "libfakedrm.so")
        if os.path.exists(fakedrm):
            env.update({"LD_PRELOAD": fakedrm, "LIBVA_DRIVER_NAME": "fakeva",
                        "LIBVA_DRIVERS_PATH": os.path.join(self.build, "tests",
                                                           "fakeva")})
        r = run([exe], env=env)
        for line in r.stdout.splitlines():
            m = re.match(r"(.+?)\s{2,}(\S+)\s+median\s+([\d.]+) us\s+p90\s+"
                         r"([\d.]+) us\s+min\s+([\d.]+) us \((\d+) runs\)", line)
            if m:
                self.results["probe_latency"].append(
                    {"case": m.group(1).strip(), "status": m.group(2),
                     "median_us": float(m.group(3)),
                     "p90_us": float(m.group(4)), "min_us": float(m.group(5)),
                     "runs": int(m.group(6))})
            elif line.startswith("("):
                self.results["probe_latency_note"] = line.strip("()")

    def instructions(self):
        """The overheads that CPU time on a shared machine cannot resolve to
        1%: the same encode counted in instructions under callgrind
        (bin-overhead.sh, tracer-overhead.sh; x264 single-threaded)."""
        if not shutil.which("valgrind"):
            log("valgrind not installed: no instruction counts")
            return
        here = os.path.dirname(os.path.abspath(__file__))
        env = dict(self.env)
        env["QSV_TEST_TMPDIR"] = os.path.join(self.out, "tmp")
        log("instruction counts (callgrind): bin and tracer overhead")
        r = run(["sh", os.path.join(here, "bin-overhead.sh"), self.encode],
                env=env)
        m = re.search(r"per frame \(180 - 60\): x264enc ([\d,]+)\s+qsvautoenc "
                      r"([\d,]+)\s+ratio ([\d.]+)", r.stdout)
        o = re.search(r"one-time: ([\d,-]+) instructions", r.stdout)
        ins = self.results.setdefault("instructions", {})
        if m:
            ins["bin_per_frame"] = {
                "x264enc": int(m.group(1).replace(",", "")),
                "qsvautoenc": int(m.group(2).replace(",", "")),
                "ratio": float(m.group(3)),
                "one_time": int(o.group(1).replace(",", "")) if o else None}
        r = run(["sh", os.path.join(here, "tracer-overhead.sh"), self.encode,
                 "1"], env=env)
        m = re.search(r"off ([\d,]+)\s+on ([\d,]+)\s+ratio ([\d.]+)",
                      r.stdout)
        if m:
            ins["tracer_whole_process"] = {
                "off": int(m.group(1).replace(",", "")),
                "on": int(m.group(2).replace(",", "")),
                "ratio": float(m.group(3))}

    def quality(self):
        seen = set()
        for res in self.results["throughput"]:
            key = (res["encoder"], res["size"])
            if key in seen:
                continue
            seen.add(key)
            w, h, kbps = SIZES[res["size"]]
            r = run(["ffmpeg", "-hide_banner", "-nostdin", "-f",
                     "hevc" if is_hevc(res["encoder"]) else "h264",
                     "-r", str(FPS), "-i", res["file"], "-f", "rawvideo",
                     "-pix_fmt", "nv12", "-s", f"{w}x{h}", "-r", str(FPS),
                     "-i", self.source(res["size"]), "-lavfi",
                     # frame i against frame i: both timelines rebuilt
                     # from the frame count, whatever the demuxers did
                     "[0:v]settb=AVTB,setpts=N/30/TB[a];"
                     "[1:v]settb=AVTB,setpts=N/30/TB[b];[a][b]psnr",
                     "-f", "null", "-"])
            m = re.search(r"PSNR y:([\d.inf]+) u:([\d.inf]+) v:([\d.inf]+) "
                          r"average:([\d.inf]+)", r.stderr)
            n = re.findall(r"frame=\s*(\d+)", r.stderr)
            decoded = int(n[-1]) if n else 0
            size_bytes = os.path.getsize(res["file"])
            got = size_bytes * 8 / (self.args.frames / FPS) / 1000
            self.results["quality"].append(
                {"encoder": res["encoder"], "size": res["size"],
                 "frames_decoded": decoded, "frames_in": self.args.frames,
                 "psnr_y": float(m.group(1)), "psnr_avg": float(m.group(4)),
                 "bitrate_kbps": round(got, 1), "requested_kbps": kbps,
                 "bitrate_ratio": round(got / kbps, 3)})
            if res["encoder"] in ("x264enc", "ffmpeg-libx264"):
                data = open(res["file"], "rb").read(1 << 16)
                o = re.search(rb"options: ([ -~]+)", data)
                self.results["x264_options"][f"{res['encoder']}@{res['size']}"] \
                    = o.group(1).decode() if o else None

    # -- summary ----------------------------------------------------------
    def med(self, kind, enc, size, key):
        v = [r[key] for r in self.results[kind]
             if r["encoder"] == enc and r["size"] == size]
        return statistics.median(v) if v else None

    def paired_ratio(self, a, b, size, key):
        """median over rounds of b/a, each round's pair run back to back"""
        rows = self.results["throughput"]
        ra = {r["round"]: r[key] for r in rows
              if r["encoder"] == a and r["size"] == size}
        rb = {r["round"]: r[key] for r in rows
              if r["encoder"] == b and r["size"] == size}
        ratios = [rb[k] / ra[k] for k in ra if k in rb and ra[k] > 0]
        return (statistics.median(ratios), min(ratios), max(ratios)) \
            if ratios else None

    def summarise(self):
        names = sorted({r["encoder"] for r in self.results["throughput"]},
                       key=lambda n: (n.startswith("ffmpeg"), n))
        self.names = names
        table = []
        for size in self.args.sizes:
            for enc in names:
                cpu = self.med("throughput", enc, size, "cpu_ms")
                wall = self.med("throughput", enc, size, "wall_ms")
                frames = self.med("throughput", enc, size, "frames")
                lcpu = self.med("live", enc, size, "cpu_ms")
                lwall = self.med("live", enc, size, "wall_ms")
                lframes = self.med("live", enc, size, "frames")
                q = next((x for x in self.results["quality"]
                          if x["encoder"] == enc and x["size"] == size), {})
                table.append({
                    "encoder": enc, "size": size,
                    "hardware": enc.split(":")[-1].split("+")[0] in HARDWARE,
                    "cpu_ms_per_frame": round(cpu / frames, 3),
                    "fps": round(frames / wall * 1000, 1),
                    "cpu_cores_busy": round(cpu / wall, 2),
                    "live_cpu_ms_per_frame": round(lcpu / lframes, 3)
                    if lcpu else None,
                    "live_cpu_percent_of_one_core": round(lcpu / lwall * 100, 1)
                    if lcpu else None,
                    "psnr_y": q.get("psnr_y"), "bitrate_kbps":
                    q.get("bitrate_kbps"), "requested_kbps":
                    q.get("requested_kbps"), "frames_decoded":
                    q.get("frames_decoded")})
        self.results["table"] = table
        for size in self.args.sizes:
            rat = {}
            for label, b in (("bin", "qsvautoenc:x264enc"),
                             ("tracer", "qsvautoenc:x264enc+tracer"),
                             ("ffmpeg", "ffmpeg-libx264")):
                a = "qsvautoenc:x264enc" if label == "tracer" else "x264enc"
                c = self.paired_ratio(a, b, size, "cpu_ms")
                w = self.paired_ratio(a, b, size, "wall_ms")
                if c and w:
                    rat[label] = {"against": a, "with": b,
                                  "cpu_ratio": round(c[0], 4),
                                  "cpu_ratio_range": [round(c[1], 4),
                                                      round(c[2], 4)],
                                  # throughput is frames per wall time
                                  "throughput_ratio": round(1 / w[0], 4),
                                  "throughput_ratio_range":
                                  [round(1 / w[2], 4), round(1 / w[1], 4)]}
            self.results["ratios"][size] = rat
        self.results["settings"].update({
            "frames": self.args.frames, "rounds": self.args.reps,
            "live_frames": self.args.live_frames, "gop": GOP, "fps": FPS,
            "bitrates_kbps": {s: SIZES[s][2] for s in self.args.sizes},
            "source": "ffmpeg lavfi mandelbrot zoom (maxiter=200) + temporal "
                      "noise (alls=6), NV12, read from a raw file by every "
                      "encoder"})

    def write(self):
        with open(os.path.join(self.out, "benchmarks.json"), "w") as f:
            json.dump(self.results, f, indent=2)
        md = self.markdown()
        with open(os.path.join(self.out, "benchmarks.md"), "w") as f:
            f.write(md)
        self.chart()
        print(md)
        log(f"wrote {self.out}/benchmarks.json, benchmarks.md, "
            "cpu-per-frame.svg")

    def markdown(self):
        m = self.results["machine"]
        s = self.results["settings"]
        L = [f"# gst-qsvautoenc benchmarks ({time.strftime('%Y-%m-%d')})", "",
             f"- Machine: {m['cpu']}, {m['cores']} cores, {m['os']}, "
             f"kernel {m['kernel']}",
             f"- {m['gstreamer']}; {m['ffmpeg']}",
             f"- Packages: {', '.join(m.get('packages', []))}",
             f"- VA: {m['va'].get('status')}"
             + (f" ({m['va'].get('vendor')}, driver {m['va'].get('va_driver')}"
                f", {m['va'].get('device')})" if m['va'].get('vendor') else "")
             + f"; qsvautoenc chooses {m.get('qsvautoenc_choice')}",
             f"- Source: {s['source']}; {s['frames']} frames per run, "
             f"{s['rounds']} interleaved rounds, medians; live: "
             f"{s['live_frames']} frames paced at {FPS} fps",
             f"- Settings: CBR {', '.join(f'{k} {v} kbit/s' for k, v in s['bitrates_kbps'].items())}, "
             f"GOP {GOP} (no scene-cut keyframes), no B-frames, "
             "x264 preset faster (qsvautoenc target-usage=4)", ""]
        if s.get("not_measured"):
            L += ["Not measured here (not usable on this machine):", ""]
            L += [f"- `{k}`: {v}" for k, v in s["not_measured"].items()]
            L += [""]
        L += ["## CPU per frame, throughput and quality", "",
              "| encoder | size | CPU ms/frame | fps | cores busy | live: CPU ms/frame | live: % of one core | PSNR-Y dB | kbit/s (asked) | frames decoded |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in self.results["table"]:
            hw = " (hw)" if r["hardware"] else ""
            L.append(f"| `{r['encoder']}`{hw} | {r['size']} | "
                     f"{r['cpu_ms_per_frame']:.2f} | {r['fps']:.1f} | "
                     f"{r['cpu_cores_busy']:.2f} | "
                     f"{r['live_cpu_ms_per_frame'] if r['live_cpu_ms_per_frame'] is not None else '-'} | "
                     f"{r['live_cpu_percent_of_one_core'] if r['live_cpu_percent_of_one_core'] is not None else '-'} | "
                     f"{r['psnr_y']:.2f} | {r['bitrate_kbps']:.0f} "
                     f"({r['requested_kbps']}) | {r['frames_decoded']} |")
        L += ["", "## Ratios (median of per-round ratios; range in brackets)",
              "", "| size | what | CPU time | throughput |",
              "|---|---|---:|---:|"]
        what = {"bin": "qsvautoenc→x264enc / x264enc",
                "tracer": "tracer on / off (qsvautoenc→x264enc)",
                "ffmpeg": "ffmpeg libx264 / x264enc"}
        for size, rat in self.results["ratios"].items():
            for k, v in rat.items():
                L.append(f"| {size} | {what[k]} | {v['cpu_ratio']:.4f} "
                         f"[{v['cpu_ratio_range'][0]:.3f}–{v['cpu_ratio_range'][1]:.3f}] | "
                         f"{v['throughput_ratio']:.4f} "
                         f"[{v['throughput_ratio_range'][0]:.3f}–{v['throughput_ratio_range'][1]:.3f}] |")
        L += self.codec_markdown()
        ins = self.results.get("instructions", {})
        if ins:
            L += ["", "## Overheads in instructions (callgrind; x264 "
                  "single-threaded, 320x240)", "",
                  "| what | without | with | ratio |", "|---|---:|---:|---:|"]
            if "bin_per_frame" in ins:
                b = ins["bin_per_frame"]
                L.append(f"| qsvautoenc vs x264enc, per frame (180 − 60 "
                         f"frames) | {b['x264enc']:,} | {b['qsvautoenc']:,} | "
                         f"{b['ratio']:.4f} |")
                if b.get("one_time") is not None:
                    L.append(f"| qsvautoenc, once per start (plugin, probe, "
                             f"selection, chain) | | {b['one_time']:,} | |")
            if "tracer_whole_process" in ins:
                t = ins["tracer_whole_process"]
                L.append(f"| tracer off vs on, whole 60-frame process | "
                         f"{t['off']:,} | {t['on']:,} | {t['ratio']:.4f} |")
        L += ["", "## VA probe latency", "",
              "| case | status | median µs | p90 µs | runs |",
              "|---|---|---:|---:|---:|"]
        for p in self.results["probe_latency"]:
            L.append(f"| {p['case']} | {p['status']} | {p['median_us']:.1f} | "
                     f"{p['p90_us']:.1f} | {p['runs']} |")
        if self.results.get("probe_latency_note"):
            L += ["", self.results["probe_latency_note"]]
        opts = self.results["x264_options"]
        if opts:
            L += ["", "## x264 settings actually used (from the streams' SEI)",
                  ""]
            for k, v in sorted(opts.items()):
                L.append(f"- `{k}`: `{v}`")
            diffs = self.option_diffs()
            if diffs:
                L += ["", "Differences x264enc vs ffmpeg: " + ", ".join(
                    f"`{d}`" for d in diffs)]
        L.append("")
        return "\n".join(L)

    def codec_markdown(self):
        """x265enc against x264enc at the same preset and bitrate"""
        t = {(r["encoder"], r["size"]): r for r in self.results["table"]}
        L = []
        for size in self.args.sizes:
            for p in CODEC_PRESETS:
                a, b = t.get((f"x264enc:{p}", size)), \
                    t.get((f"x265enc:{p}", size))
                if not a or not b:
                    continue
                if not L:
                    L = ["", "## Software HEVC against software H.264 (same "
                         "bitrate, same speed-preset)", "",
                         "| size | speed-preset | x264enc ms/frame | x265enc "
                         "ms/frame | x265/x264 CPU | x264enc fps | x265enc "
                         "fps | PSNR-Y x264 → x265 dB |",
                         "|---|---|---:|---:|---:|---:|---:|---:|"]
                L.append(f"| {size} | {p} | {a['cpu_ms_per_frame']:.1f} | "
                         f"{b['cpu_ms_per_frame']:.1f} | "
                         f"{b['cpu_ms_per_frame'] / a['cpu_ms_per_frame']:.1f}"
                         f"× | {a['fps']:.1f} | {b['fps']:.1f} | "
                         f"{a['psnr_y']:.2f} → {b['psnr_y']:.2f} |")
        return L

    def option_diffs(self):
        opts = self.results["x264_options"]
        size = self.args.sizes[0]
        a, b = opts.get(f"x264enc@{size}"), opts.get(f"ffmpeg-libx264@{size}")
        if not a or not b:
            return []
        da = dict(x.split("=", 1) for x in a.split() if "=" in x)
        db = dict(x.split("=", 1) for x in b.split() if "=" in x)
        return [f"{k}: {da.get(k)} vs {db.get(k)}"
                for k in sorted(set(da) | set(db)) if da.get(k) != db.get(k)]

    def chart(self):
        if not shutil.which("gnuplot"):
            log("gnuplot not installed: no chart")
            return
        dat = os.path.join(self.out, "cpu-per-frame.dat")
        with open(dat, "w") as f:
            f.write("encoder " + " ".join(self.args.sizes) + "\n")
            for enc in self.names:
                vals = [next((r["cpu_ms_per_frame"] for r in
                              self.results["table"] if r["encoder"] == enc
                              and r["size"] == s), 0) for s in self.args.sizes]
                f.write(f"\"{enc}\" " + " ".join(str(v) for v in vals) + "\n")
        cols = ", ".join(f"'{dat}' using {i + 2}" +
                         (":xtic(1)" if i == 0 else "") +
                         f" title columnheader({i + 2})"
                         for i in range(len(self.args.sizes)))
        script = f"""set terminal svg size 900,500 dynamic font 'sans,11'
set output '{os.path.join(self.out, "cpu-per-frame.svg")}'
set title 'CPU time per frame (all threads), lower is better'
set ylabel 'CPU ms per frame'
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set xtics rotate by -25
set grid ytics
set key top left
set yrange [0:*]
plot {cols}
"""
        run(["gnuplot"], input=script)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("--out", default=None)
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--live-frames", type=int, default=150)
    ap.add_argument("--sizes", default="720p,1080p")
    ap.add_argument("--codecs-only", action="store_true",
                    help="only x264enc against x265enc (speed-presets "
                    + ", ".join(CODEC_PRESETS) + "): no hardware rows, "
                    "ffmpeg, live runs, probe latency or instruction counts")
    ap.add_argument("--quick", action="store_true",
                    help="60 frames, 3 rounds, 60 live frames")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite benchmarks.md and the chart from "
                    "benchmarks.json (and refresh the machine's description)")
    args = ap.parse_args()
    args.sizes = args.sizes.split(",")
    for s in args.sizes:
        if s not in SIZES:
            ap.error(f"unknown size {s} (one of {', '.join(SIZES)})")
    if args.quick:
        args.frames, args.reps, args.live_frames = 60, 3, 60
    args.live_frames = min(args.live_frames, args.frames)
    b = Bench(args)
    if args.report_only:
        with open(os.path.join(b.out, "benchmarks.json")) as f:
            b.results = json.load(f)
        st = b.results["settings"]
        args.frames, args.reps = st["frames"], st["rounds"]
        args.live_frames = st["live_frames"]
        args.sizes = list(st["bitrates_kbps"])
        b.machine()
        b.summarise()
        b.write()
        return
    b.machine()
    if not args.codecs_only:
        b.probe_latency()
    b.throughput()
    if not args.codecs_only:
        b.live()
        b.instructions()
    b.quality()
    b.summarise()
    b.write()


if __name__ == "__main__":
    main()
