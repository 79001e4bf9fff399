#!/bin/sh
# The install and the Docker image's steps, tested without Docker:
#  1. scripts/docker-build.sh build into a temporary prefix, then verify it
#     with only GST_PLUGIN_PATH set (plugin, probe, helper, an encode);
#  2. the same staged into a DESTDIR with prefix /usr, as the Dockerfile does;
#  3. with an emulated GPU (fake node + fakeva driver from the main build),
#     the installed plugin finds its installed probe helper ("isolated");
#  4. the non-free apt edit, the package lists, the Dockerfile's use of the
#     script, and the Kubernetes example's liveness command on a real
#     tracer status file.
# usage: check-install.sh SOURCE_ROOT BUILD_ROOT
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
src=$1 build=$2
tmp=$build/tests/install/tmp
rm -rf "$tmp"
mkdir -p "$tmp"
script=$src/scripts/docker-build.sh
unset GST_PLUGIN_PATH_1_0 QSVAUTOENC_PROBE_HELPER LD_PRELOAD || true
fail () { echo "FAIL: $*"; exit 1; }
# the Dockerfile runs it directly
test -x "$script" || fail "$script is not executable"

echo "== 1. meson install into a temporary prefix"
QSV_DOCKER_BUILDDIR=$tmp/build sh "$script" build "$src" "$tmp/prefix"
sh "$script" verify "$tmp/prefix"
test -x "$tmp/prefix/libexec/gst-qsvautoenc/gst-qsvautoenc-probe-helper" ||
  fail "helper not installed in libexecdir"

echo "== 2. staged like the image (prefix /usr, DESTDIR)"
QSV_DOCKER_BUILDDIR=$tmp/build-stage sh "$script" build "$src" /usr "$tmp/stage"
sh "$script" verify /usr "$tmp/stage"

echo "== 3. the installed plugin uses its installed helper"
if [ -f "$build/tests/fakedrm/libfakedrm.so" ]; then
  mkdir -p "$tmp/dri"
  printf 'entrypoints=slice,lp' >"$tmp/dri/renderD128"
  plugin=$(dirname "$(find "$tmp/prefix" -name libgstqsvautoenc.so | head -n1)")
  set +e
  env GST_PLUGIN_PATH="$plugin" GST_REGISTRY_1_0="$tmp/fake.registry" \
    LD_PRELOAD="$build/tests/fakedrm/libfakedrm.so" \
    LIBVA_DRIVERS_PATH="$build/tests/fakeva" LIBVA_DRIVER_NAME=fakeva \
    QSVAUTOENC_DRI_DIR="$tmp/dri" \
    "$tmp/prefix/bin/qsvautoenc-probe" --json >"$tmp/probe.json"
  status=$?
  set -e
  grep -q '"status":"ok"' "$tmp/probe.json" || fail "fake GPU not seen: $(cat "$tmp/probe.json")"
  grep -q '"isolated":true' "$tmp/probe.json" ||
    fail "the installed plugin did not find its helper: $(cat "$tmp/probe.json")"
  echo "probe exit $status, isolated in the installed helper"
else
  echo "(VA not built: skipped)"
fi

echo "== 4. apt sources, package lists, Dockerfile, Kubernetes probes"
cat >"$tmp/debian.sources" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
sh "$script" enable-non-free "$tmp/debian.sources"
sh "$script" enable-non-free "$tmp/debian.sources"   # twice: no duplicate
grep -qx 'Components: main non-free-firmware non-free' "$tmp/debian.sources" ||
  fail "deb822 edit: $(grep Components "$tmp/debian.sources")"
echo 'deb http://deb.debian.org/debian bookworm main' >"$tmp/sources.list"
sh "$script" enable-non-free "$tmp/sources.list"
grep -qx 'deb http://deb.debian.org/debian bookworm main non-free' "$tmp/sources.list" ||
  fail "sources.list edit: $(cat "$tmp/sources.list")"
sh "$script" runtime-deps --dry-run >"$tmp/runtime.txt"
for p in gstreamer1.0-plugins-ugly gstreamer1.0-plugins-bad gstreamer1.0-vaapi; do
  grep -q "$p" "$tmp/runtime.txt" || fail "runtime-deps lacks $p"
done
if [ "$(dpkg --print-architecture)" = amd64 ]; then
  grep -q intel-media-va-driver-non-free "$tmp/runtime.txt" || fail "no non-free iHD"
  grep -q libmfx-gen1.2 "$tmp/runtime.txt" || fail "no oneVPL GPU runtime"
fi
# every runtime package exists in this machine's Debian 12 archive
# (non-free ones where the archive's non-free component is configured)
for p in $(sed -n 's/^apt-get install -y -q --no-install-recommends //p' "$tmp/runtime.txt"); do
  case $p in intel-media-va-driver-non-free) continue ;; esac
  apt-cache show "$p" >/dev/null 2>&1 || fail "no Debian package $p"
done
sh "$script" build-deps --dry-run >"$tmp/build-deps.txt"
# the image builds the .deb: build-deps covers debian/control's Build-Depends
bdeps=$(sed -n '/^Build-Depends:/,/^[^ ]/p' "$src/debian/control" |
  sed 's/^Build-Depends://' | tr ',' '\n' | sed 's/[[:space:]]*(.*//; s/^[[:space:]]*//' |
  grep -v '^debhelper-compat' | grep '^[a-z]')
for p in $bdeps debhelper dpkg-dev build-essential; do
  grep -qw -- "$p" "$tmp/build-deps.txt" || fail "build-deps lacks $p (debian/control)"
done
touch "$tmp/gstreamer1.0-qsvautoenc_0_all.deb"
(cd "$tmp" && sh "$script" install-deb gstreamer1.0-qsvautoenc_0_all.deb --dry-run) |
  grep -q ' \./gstreamer1.0-qsvautoenc_0_all.deb$' || fail "install-deb must hand apt a ./path"
for step in "build-deps" "deb /src /debs" "enable-non-free" "runtime-deps" \
    "install-deb /tmp/debs/gstreamer1.0-qsvautoenc_" "verify /usr"; do
  grep -q "docker-build.sh $step" "$src/Dockerfile" || fail "Dockerfile does not run '$step'"
done
grep -A1 '^HEALTHCHECK' "$src/Dockerfile" | grep -q 'CMD qsvautoenc-probe.*|| exit 1' ||
  fail "no HEALTHCHECK mapping the probe's exit to 0/1"
grep -qx 'STOPSIGNAL SIGINT' "$src/Dockerfile" || fail "no STOPSIGNAL SIGINT (gst-launch-1.0 ignores SIGTERM as PID 1)"
grep -qx 'ENTRYPOINT \["qsvautoenc-entrypoint"\]' "$src/Dockerfile" || fail "no ENTRYPOINT"
grep -q '^ENV GST_TRACERS' "$src/Dockerfile" && fail "GST_TRACERS image-wide: every health probe would rewrite the status file"
compose=$src/deploy/docker-compose.yml
grep -qx '    stop_signal: SIGINT' "$compose" || fail "compose: no stop_signal: SIGINT"
grep -q 'test: \["CMD-SHELL", "qsvautoenc-probe >/dev/null || exit 1"\]' "$compose" ||
  fail "compose: the health check must map the probe's exit 2 to 1"
grep -q 'gst-launch-1.0 -e ' "$compose" || fail "compose: gst-launch-1.0 without -e"

# the entrypoint: GST_TRACERS for the command only, unless set (even to "");
# an unwritable output directory stops it with 73 and the fix
ep=$src/scripts/docker-entrypoint.sh
test -x "$ep" || fail "$ep is not executable"
mkdir -p "$tmp/out"
t=$(env -u GST_TRACERS QSVAUTOENC_OUTPUT_DIRS="$tmp/out $tmp/none" sh "$ep" sh -c 'echo "$GST_TRACERS"')
[ "$t" = "qsvautoenc-report(file=/run/qsvautoenc/status.json,interval=1000)" ] || fail "entrypoint GST_TRACERS: $t"
t=$(GST_TRACERS="" QSVAUTOENC_OUTPUT_DIRS="" sh "$ep" sh -c 'echo "[$GST_TRACERS]"')
[ "$t" = "[]" ] || fail "entrypoint overrode an empty GST_TRACERS: $t"
[ -z "$(find "$tmp/out" -mindepth 1)" ] || fail "the entrypoint left its write test in $tmp/out"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  # the other user must reach the script and the folder: not under /root
  # (0700 on a fresh Debian), so both in a folder of their own in /tmp
  pub=$(mktemp -d /tmp/qsvautoenc-ep.XXXXXX)
  chmod 755 "$pub"
  cp "$ep" "$pub/entrypoint.sh"
  chmod 755 "$pub/entrypoint.sh"
  mkdir "$pub/out"
  chmod 755 "$pub/out"
  set +e
  QSVAUTOENC_OUTPUT_DIRS="$pub/out" setpriv --reuid=65534 --regid=65534 --clear-groups \
    sh "$pub/entrypoint.sh" true 2>"$tmp/denied.txt"
  st=$?
  set -e
  rm -rf "$pub"
  [ $st = 73 ] || fail "entrypoint exit $st for an unwritable output directory, not 73"
  grep -q "sudo chown 65534" "$tmp/denied.txt" || fail "entrypoint message: $(cat "$tmp/denied.txt")"
  echo "entrypoint: GST_TRACERS for the command only; unwritable output: exit 73 with the fix"
else
  echo "entrypoint: GST_TRACERS checked; (not root: the unwritable-directory case is left to emulate-dockerfile.sh)"
fi
grep -q 'gpu.intel.com/i915' "$src/deploy/kubernetes/qsvautoenc.yaml" || fail "no GPU request"

# the liveness command, on a status file the tracer really writes
/usr/bin/python3 - "$src/deploy/kubernetes/qsvautoenc.yaml" >"$tmp/liveness.sh" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
block = text.split("livenessProbe:", 1)[1]
cmd = json.loads(re.search(r"command: (\[.*\])", block).group(1))
assert cmd[:2] == ["sh", "-c"], cmd
print(cmd[2])
PY
plugin=$(dirname "$(find "$tmp/prefix" -name libgstqsvautoenc.so | head -n1)")
# one read of the status file: its text, and the first frames_out in it
snapshot () {
  text=$(cat "$tmp/status.json" 2>/dev/null || true)
  n=$(printf '%s' "$text" | grep -o '"frames_out":[0-9]*' | head -n1 | cut -d: -f2)
}
# a live encode (3 s at 30 fps), as in the Deployment; the status file is
# read while it runs, polled for the conditions (never a timed wait)
env GST_PLUGIN_PATH="$plugin" GST_REGISTRY_1_0="$tmp/registry2.bin" \
  GST_TRACERS="qsvautoenc-report(file=$tmp/status.json,interval=100)" \
  gst-launch-1.0 -q videotestsrc is-live=true num-buffers=90 \
  ! video/x-raw,width=160,height=120,framerate=30/1 ! qsvautoenc ! fakesink &
pid=$!
i=0 first=""
while :; do
  snapshot
  if [ -n "$n" ] && [ "$n" -gt 0 ]; then first=$n; break; fi
  i=$((i + 1)); [ $i -lt 1200 ] || fail "no frames_out in the status file"
  sleep 0.05
done
printf '%s' "$text" >"$tmp/snap1.json"
while :; do
  snapshot
  if [ -n "$n" ] && [ "$n" != "$first" ]; then break; fi
  i=$((i + 1)); [ $i -lt 2400 ] || fail "frames_out did not move"
  sleep 0.05
done
printf '%s' "$text" >"$tmp/snap2.json"
wait $pid || fail "the live encode failed"
sed -i "s#/run/qsvautoenc/status.json#$tmp/status.json#g; s#/tmp/frames_out#$tmp/frames_out#g" "$tmp/liveness.sh"
cp "$tmp/snap1.json" "$tmp/status.json"
sh "$tmp/liveness.sh" || fail "liveness failed on a fresh count"
sh "$tmp/liveness.sh" && fail "liveness passed although frames_out did not move"
cp "$tmp/snap2.json" "$tmp/status.json"
sh "$tmp/liveness.sh" || fail "liveness failed although frames_out moved"
echo "liveness: passes while frames_out moves ($first, then more), fails when it stalls"
test ! -e "$tmp/status.json.tmp" || fail "the tracer left its temporary file"
echo "all install checks passed"
