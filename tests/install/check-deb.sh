#!/usr/bin/env bash
# The Debian package, built and installed in fresh Debian 12 roots
# (debootstrap --variant=minbase, as /work/shared/tools/fresh-debian and
# tests/install/emulate-dockerfile.sh make them), from Debian's archive only:
#  1. build root (base + `apt-get build-dep` of debian/control, build-essential,
#     lintian): `dpkg-buildpackage -us -uc -b`, then lintian (no tag left
#     that debian/*lintian-overrides does not explain);
#  2. install root: `apt install ./gstreamer1.0-qsvautoenc_*.deb` (its
#     Depends; that apt would also take its Recommends is checked with -s),
#     `qsvautoenc-probe --json` sees the element and picks x264enc; with
#     gstreamer1.0-tools, `gst-inspect-1.0 --exists qsvautoenc` and a
#     30-frame encode with no GST_PLUGIN_PATH;
#  3. `apt remove` leaves none of the package's files, and after `apt purge`
#     the root's file list is exactly what it was before the install.
# Needs root, debootstrap and Debian's archive: it runs when
# QSVAUTOENC_TEST_DEB=1 (scripts/check sets it), else it skips (77).
#
# Cached in $QSVAUTOENC_DEB_CACHE (/var/tmp/gst-qsvautoenc-deb), each layer
# made once from the one below by apt, and only read afterwards (every run
# works on an overlay, or a copy, of it):
#   base           debootstrap minbase bookworm                 (~2-3 min)
#   build-KEY      base + the build dependencies (KEY: their list in debian/control)
#   deps-KEY       base + what `apt install ./the.deb` pulled in, and
#                  gstreamer1.0-tools (KEY: the .deb's Depends): made by
#                  installing the package in a fresh base and removing it
#                  again, so dependency resolution from a bare Debian 12 is
#                  tested whenever the Depends change     (~1-4 min)
# and the downloaded .debs. A run on a warm cache takes 25-35 s; on an empty
# one 5.5 minutes in a fresh Debian 12 chroot here, up to 15 on a loaded
# machine. A run with an empty cache: QSVAUTOENC_DEB_CACHE=$(mktemp -d).
# usage: check-deb.sh SOURCE_ROOT WORK_DIR
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail
src=$(cd "$1" && pwd) work=$2
if [ "${QSVAUTOENC_TEST_DEB:-}" != 1 ]; then
  echo "SKIP: set QSVAUTOENC_TEST_DEB=1 to build and install the .deb in fresh Debian 12 roots (scripts/check does; needs root and Debian's archive)"
  exit 77
fi
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root (debootstrap, chroot, mount)"; exit 77; }
fail () { echo "FAIL: $*"; exit 1; }
start=$SECONDS
step () { echo "== [$((SECONDS - start)) s] $*"; }

cache=${QSVAUTOENC_DEB_CACHE:-/var/tmp/gst-qsvautoenc-deb}
mkdir -p "$cache/archives/partial" "$work"
work=$(cd "$work" && pwd)
# one run at a time per cache (layers are made and replaced in place)
exec 9>"$cache/lock"
flock 9
runs=()

binds="dev proc var/cache/apt/archives"
prepare_root () {
  local d=$1
  mount -t proc proc "$d/proc"
  mount --bind /dev "$d/dev"
  mkdir -p "$d/var/cache/apt/archives"
  # downloaded .debs are kept across runs
  mount --bind "$cache/archives" "$d/var/cache/apt/archives"
  cp /etc/resolv.conf "$d/etc/resolv.conf" 2>/dev/null || true
}
release_root () {
  local d=$1 m
  for m in $binds; do
    if mountpoint -q "$d/$m"; then umount "$d/$m" || umount -l "$d/$m"; fi
  done
  for m in $binds; do
    # never delete through a mount (a bound /dev is the host's)
    ! mountpoint -q "$d/$m" || { echo "check-deb: $d/$m is still mounted" >&2; return 1; }
  done
}
drop_run () {
  local run=$1
  local d=$run
  [ -d "$run" ] || return 0
  [ ! -d "$run/upper" ] || d=$run/root
  release_root "$d" || { echo "check-deb: kept $run" >&2; return 0; }
  if mountpoint -q "$d"; then umount "$d" || return 0; fi
  rm -rf --one-file-system "$run"
}
cleanup () {
  local run
  for run in "${runs[@]}"; do drop_run "$run"; done
}
trap cleanup EXIT

in_root () {
  local d=$1; shift
  chroot "$d" /usr/bin/env -i HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c "$*"
}
# apt in a throwaway root: dpkg need not fsync
apt_get="apt-get -q -y -o Dpkg::Options::=--force-unsafe-io"
# r = a fresh root over the cached root $1: an overlay (the cache is never
# written), or a copy where overlayfs is not available
new_root () {
  local from=$1 run
  run=$(mktemp -d "$cache/run.XXXXXX")
  runs+=("$run")
  r=$run/root
  mkdir -p "$r" "$run/upper" "$run/work"
  if ! mount -t overlay overlay \
      -o "lowerdir=$from,upperdir=$run/upper,workdir=$run/work" "$r" 2>/dev/null; then
    cp -a "$from/." "$r/"
  fi
  prepare_root "$r"
}

# --- the base: Debian 12 minbase, from this machine's Debian mirror ---
base=$cache/base
if [ ! -f "$base/.complete" ]; then
  step "debootstrap of the base Debian 12 root (once, kept in $cache)"
  command -v debootstrap >/dev/null ||
    fail "debootstrap is missing (apt-get install debootstrap; scripts/check installs it)"
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
  rm -rf --one-file-system "$base"
  debootstrap --variant=minbase bookworm "$base" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    fail "debootstrap failed: $(tail -n 5 "$work/debootstrap.log")"
  touch "$base/.complete"
fi

# --- 1. build root: base + the build dependencies of debian/control ---
key=$( (sed -n '/^Build-Depends:/,/^[^ ]/p' "$src/debian/control"; cat "$base/.complete") |
  sha256sum | cut -c1-16)
builddeps=$cache/build-$key
if [ ! -f "$builddeps/.complete" ]; then
  step "build root: base + build-essential, lintian and debian/control's Build-Depends (once per Build-Depends)"
  rm -rf --one-file-system "$cache"/build-*
  cp -a "$base/." "$builddeps.tmp/"
  runs+=("$builddeps.tmp")   # removed if this fails half-way
  prepare_root "$builddeps.tmp"
  mkdir -p "$builddeps.tmp/root/bd"
  cp -a "$src/debian" "$builddeps.tmp/root/bd/"
  in_root "$builddeps.tmp" "apt-get update -q && $apt_get build-dep ./root/bd &&
    $apt_get install --no-install-recommends lintian" >"$work/build-deps.log" 2>&1 ||
    fail "installing the build dependencies failed: $(tail -n 5 "$work/build-deps.log")"
  rm -rf "$builddeps.tmp/root/bd"
  release_root "$builddeps.tmp" || fail "could not unmount $builddeps.tmp"
  touch "$builddeps.tmp/.complete"
  mv "$builddeps.tmp" "$builddeps"
fi
step "building the package (dpkg-buildpackage -us -uc -b) in a fresh copy of the build root"
new_root "$builddeps"
mkdir -p "$r/root/src/gst-qsvautoenc"
# the source tree as a release tarball would hold it: no build trees, no git
tar -C "$src" --exclude=./.git --exclude=./build --exclude='./build-*' \
  --exclude='./obj-*' --exclude=./debian/.debhelper -cf - . |
  tar -C "$r/root/src/gst-qsvautoenc" -xf -
in_root "$r" "cd /root/src/gst-qsvautoenc && $apt_get build-dep . >/dev/null &&
  dpkg-buildpackage -us -uc -b" >"$work/dpkg-buildpackage.log" 2>&1 ||
  fail "dpkg-buildpackage failed: $(tail -n 20 "$work/dpkg-buildpackage.log")"
step "lintian"
set +e
in_root "$r" "cd /root/src && lintian --pedantic --display-info \
  --fail-on error,warning,info,pedantic gst-qsvautoenc_*.changes" >"$work/lintian.log" 2>&1
lintian_status=$?
set -e
# lintian says this of every run as root; it is no tag
grep -v '^running with root privileges' "$work/lintian.log" || true
[ $lintian_status = 0 ] || fail "lintian: $(cat "$work/lintian.log")"
rm -f "$work"/*.deb
cp "$r"/root/src/gstreamer1.0-qsvautoenc_*.deb "$work/"
deb=$(cd "$work" && echo gstreamer1.0-qsvautoenc_*.deb)
version=$(dpkg-deb -f "$work/$deb" Version)
echo "built $deb"

# --- 2. install root ---
# base + the package's dependencies, as apt resolves them in a bare root
key=$( (dpkg-deb -f "$work/$deb" Depends; cat "$base/.complete") | sha256sum | cut -c1-16)
deps=$cache/deps-$key
if [ ! -f "$deps/.complete" ]; then
  step "dependency root: apt install ./$deb in a fresh base, then apt remove it (once per Depends)"
  rm -rf --one-file-system "$cache"/deps-*
  cp -a "$base/." "$deps.tmp/"
  runs+=("$deps.tmp")
  prepare_root "$deps.tmp"
  cp "$work/$deb" "$deps.tmp/root/"
  in_root "$deps.tmp" "apt-get update -q && $apt_get install --no-install-recommends ./root/$deb &&
    $apt_get install --no-install-recommends gstreamer1.0-tools &&
    $apt_get remove gstreamer1.0-qsvautoenc" >"$work/deps.log" 2>&1 ||
    fail "apt install ./$deb in a fresh Debian 12 root failed: $(tail -n 20 "$work/deps.log")"
  echo "packages set up: $(grep -c '^Setting up' "$work/deps.log")"
  rm -f "$deps.tmp/root/$deb"
  release_root "$deps.tmp" || fail "could not unmount $deps.tmp"
  touch "$deps.tmp/.complete"
  mv "$deps.tmp" "$deps"
fi
step "install root: apt install ./$deb"
new_root "$deps"
cp "$work/$deb" "$r/root/"
# the root's files, less what apt and dpkg keep about themselves, logs, and
# the scratch dirs and homes (GStreamer's registry cache lands in ~/.cache)
snapshot () {
  (cd "$r" && find . -xdev \
    \( -path ./proc -o -path ./dev -o -path ./sys -o -path ./run -o -path ./tmp \
       -o -path ./var/tmp -o -path ./root -o -path ./var/log \
       -o -path ./var/lib/apt -o -path ./var/lib/dpkg -o -path ./var/cache/apt \
       -o -path ./var/cache/debconf -o -path ./var/cache/ldconfig \) -prune \
    -o -print | LC_ALL=C sort)
}
snapshot >"$work/files-before.txt"
# with its Recommends, as a user's apt would by default (simulated)...
in_root "$r" "apt-get install -s -q ./root/$deb" >"$work/install-recommends.txt" 2>&1 ||
  fail "apt cannot install ./$deb with its Recommends: $(tail -n 5 "$work/install-recommends.txt")"
grep -q '^Inst gstreamer1.0-vaapi ' "$work/install-recommends.txt" ||
  fail "apt would not install gstreamer1.0-vaapi (Recommends)"
# ...and for real with its Depends alone: they must be enough for the
# software path
in_root "$r" "$apt_get install --no-install-recommends ./root/$deb" >"$work/install.log" 2>&1 ||
  fail "apt install ./$deb failed: $(tail -n 20 "$work/install.log")"
dpkg-deb -c "$work/$deb" | awk '{print $6}' | sed 's#^\./#/#' | grep -v '/$' >"$work/deb-files.txt"
for f in /usr/libexec/gst-qsvautoenc/gst-qsvautoenc-probe-helper /usr/bin/qsvautoenc-probe \
    /usr/share/man/man1/qsvautoenc-probe.1.gz; do
  grep -qx "$f" "$work/deb-files.txt" || fail "the package lacks $f"
  [ -e "$r$f" ] || fail "$f is not installed"
done
grep -q '^/usr/lib/[^/]*/gstreamer-1.0/libgstqsvautoenc.so$' "$work/deb-files.txt" ||
  fail "the plugin is not in GStreamer's plugin directory: $(grep libgst "$work/deb-files.txt")"

# the package's Depends alone: the probe instantiates the element
step "qsvautoenc-probe --json"
set +e
in_root "$r" "env -u GST_PLUGIN_PATH qsvautoenc-probe --json" >"$work/probe.json" 2>"$work/probe.err"
probe_status=$?
set -e
cat "$work/probe.json"
[ $probe_status -le 1 ] || fail "qsvautoenc-probe exited $probe_status: $(cat "$work/probe.err")"
grep -q '"installed":true' "$work/probe.json" || fail "qsvautoenc-probe does not see the installed element"
grep -q '"encoder":"x264enc"' "$work/probe.json" ||
  fail "without a GPU the element should choose x264enc (the package depends on gstreamer1.0-plugins-ugly)"

step "gst-inspect-1.0 --exists and a 30-frame encode, no GST_PLUGIN_PATH"
in_root "$r" "env -u GST_PLUGIN_PATH gst-inspect-1.0 --exists qsvautoenc" ||
  fail "gst-inspect-1.0 --exists qsvautoenc exits $? after apt install"
in_root "$r" "gst-inspect-1.0 qsvautoenc" >"$work/inspect.txt" || fail "gst-inspect-1.0 qsvautoenc failed"
grep -q "Version *$version\$" "$work/inspect.txt" ||
  fail "the installed plugin's version is not the package's $version: $(grep Version "$work/inspect.txt")"
in_root "$r" "env -u GST_PLUGIN_PATH gst-launch-1.0 -q videotestsrc num-buffers=30 ! \
  video/x-raw,width=320,height=240 ! qsvautoenc key-int-max=10 ! h264parse ! \
  matroskamux ! filesink location=/root/out.mkv" || fail "encoding through the installed qsvautoenc failed"
frames=$(in_root "$r" "gst-launch-1.0 -v filesrc location=/root/out.mkv ! matroskademux ! \
  video/x-h264 ! fakesink silent=false 2>&1" | grep -c "fakesink0: last-message = chain" || true)
[ "$frames" = 30 ] || fail "the output holds $frames H.264 frames, not 30"
echo "30 of 30 frames encoded; gst-inspect-1.0 --exists qsvautoenc: yes; version $version"

# --- 3. removal ---
step "apt remove, then purge"
in_root "$r" "$apt_get remove gstreamer1.0-qsvautoenc" >>"$work/install.log" 2>&1 ||
  fail "apt remove failed"
left=$(while read -r f; do [ ! -e "$r$f" ] || echo "$f"; done <"$work/deb-files.txt")
[ -z "$left" ] || fail "apt remove left the package's files: $left"
# it has no conffiles: removed is gone (no "rc" state to purge)
in_root "$r" "dpkg-query -W -f='\${Status}' gstreamer1.0-qsvautoenc 2>/dev/null" >"$work/status.txt" || true
case $(cat "$work/status.txt") in
  ""|"unknown ok not-installed"|"deinstall ok not-installed") ;;
  *) fail "after apt remove, dpkg says: $(cat "$work/status.txt")" ;;
esac
in_root "$r" "dpkg --purge gstreamer1.0-qsvautoenc" >>"$work/install.log" 2>&1 ||
  fail "dpkg --purge failed"
snapshot >"$work/files-after.txt"
if ! diff -u "$work/files-before.txt" "$work/files-after.txt" >"$work/files.diff"; then
  fail "the root's files differ from before the install: $(head -n 40 "$work/files.diff")"
fi
echo "removal: none of the package's $(wc -l <"$work/deb-files.txt") files left; after purge the file list ($(wc -l <"$work/files-before.txt") entries) is as before"
step "all package checks passed"
