#!/bin/sh
# The steps of the Docker image (see Dockerfile), as a script that runs, and
# is tested (tests/install/check-install.sh), without Docker:
#
#   docker-build.sh build-deps [--dry-run]
#       apt-get install what building needs (Debian 12)
#   docker-build.sh deb SRC OUTDIR
#       build the Debian package from SRC (`dpkg-buildpackage -us -uc -b`
#       in a copy of it) and put gstreamer1.0-qsvautoenc_*.deb in OUTDIR
#   docker-build.sh install-deb DEB [--dry-run]
#       `apt-get install ./DEB` with its dependencies (no Recommends: the
#       image picks its VA driver in runtime-deps)
#   docker-build.sh build SRC PREFIX [DESTDIR]
#       configure (release, no tests), build and `meson install` SRC into
#       PREFIX (under DESTDIR if given), for installs without the package
#   docker-build.sh enable-non-free [SOURCES_FILE]
#       add the non-free component to Debian's apt sources (deb822
#       /etc/apt/sources.list.d/debian.sources, or a one-line sources.list):
#       the non-free iHD VA driver lives there
#   docker-build.sh runtime-deps [--dry-run]
#       apt-get install the run-time packages: GStreamer and its encoders,
#       libva, and on amd64 the non-free iHD driver (full-power encode),
#       i965 for GPUs before Broadwell, and the runtimes qsvh264enc loads
#       (libmfx-gen1.2: Gen12+; libmfx1: Gen8-Gen11)
#   docker-build.sh verify PREFIX [DESTDIR]
#       check the installed tree: the plugin found through GST_PLUGIN_PATH
#       alone, qsvautoenc-probe on PATH, its probe helper where the plugin
#       looks for it, and a short encode that decodes
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu

RUNTIME_PACKAGES="gstreamer1.0-tools gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
  gstreamer1.0-vaapi libva2 libva-drm2 libdrm2 vainfo"
# amd64 only: Intel's drivers are not built for other architectures.
# Debian's qsvh264enc (libgstqsv) has its own oneVPL dispatcher and loads
# libmfx-gen.so.1.2 (Gen12+) or libmfxhw64.so.1 (Gen8-Gen11) itself: libvpl2
# is not used. i965: the VA driver for GPUs before Broadwell.
INTEL_PACKAGES="intel-media-va-driver-non-free i965-va-driver libmfx-gen1.2
  libmfx1"
# debian/control's Build-Depends, and what dpkg-buildpackage needs
BUILD_PACKAGES="meson ninja-build pkg-config gcc libc6-dev libglib2.0-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libva-dev libdrm-dev
  build-essential debhelper dpkg-dev"

die () { echo "docker-build.sh: $*" >&2; exit 1; }

apt_install () {
  dry=$1; shift
  cmd="apt-get install -y -q --no-install-recommends $*"
  if [ "$dry" = yes ]; then
    echo "apt-get update -q"
    echo "$cmd"
    return 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends "$@"
}

dry_run () { [ "${1:-}" = "--dry-run" ] && echo yes || echo no; }

enable_non_free () {
  f=${1:-}
  if [ -z "$f" ]; then
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
      f=/etc/apt/sources.list.d/debian.sources
    else
      f=/etc/apt/sources.list
    fi
  fi
  [ -f "$f" ] || die "no apt sources file $f"
  if grep -q '^Types:' "$f"; then
    # deb822: every Components line of the Debian archive gains non-free
    # ("non-free-firmware" is another component: match the word alone)
    sed -i '/^Components:/{/ non-free\( \|$\)/!s/$/ non-free/}' "$f"
  else
    sed -i '/^deb .*debian/{/ non-free\( \|$\)/!s/$/ non-free/}' "$f"
  fi
  echo "non-free enabled in $f"
}

build () {
  src=$1 prefix=$2 destdir=${3:-}
  [ -f "$src/meson.build" ] || die "$src is not the gst-qsvautoenc source"
  bdir=${QSV_DOCKER_BUILDDIR:-$src/build-image}
  if [ -f "$bdir/build.ninja" ]; then
    meson setup --reconfigure "$bdir" "$src" --prefix="$prefix" \
      --buildtype=release -Dtests=disabled >/dev/null
  else
    meson setup "$bdir" "$src" --prefix="$prefix" --buildtype=release \
      -Dtests=disabled >/dev/null
  fi
  ninja -C "$bdir" >/dev/null
  if [ -n "$destdir" ]; then
    meson install -C "$bdir" --destdir "$destdir" --quiet
  else
    meson install -C "$bdir" --quiet
  fi
  echo "installed into ${destdir}${prefix}"
}

deb () {
  src=$1 out=$2
  [ -f "$src/debian/control" ] || die "$src has no debian/ directory"
  tmp=$(mktemp -d)
  # dpkg-buildpackage writes the packages next to the source directory
  mkdir "$tmp/gst-qsvautoenc"
  tar -C "$src" --exclude=./.git --exclude=./build --exclude='./build-*' \
    --exclude='./obj-*' -cf - . | tar -C "$tmp/gst-qsvautoenc" -xf -
  (cd "$tmp/gst-qsvautoenc" && dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1 ||
    { tail -n 30 "$tmp/build.log" >&2; rm -rf "$tmp"; die "dpkg-buildpackage failed"; }
  mkdir -p "$out"
  cp "$tmp"/gstreamer1.0-qsvautoenc_*.deb "$out/"
  rm -rf "$tmp"
  echo "built $(cd "$out" && echo gstreamer1.0-qsvautoenc_*.deb) in $out"
}

install_deb () {
  [ -f "$1" ] || die "no package $1"
  case $1 in /*|./*) d=$1 ;; *) d=./$1 ;; esac
  apt_install "$(dry_run "${2:-}")" "$d"
}

verify () {
  prefix=$1 root=${2:-}${1}
  plugin=""
  for d in "$root"/lib/*/gstreamer-1.0 "$root/lib/gstreamer-1.0" \
      "$root/lib64/gstreamer-1.0"; do
    if [ -f "$d/libgstqsvautoenc.so" ]; then plugin=$d; fi
  done
  [ -n "$plugin" ] || die "no libgstqsvautoenc.so under $root/lib*"
  [ -x "$root/bin/qsvautoenc-probe" ] || die "no $root/bin/qsvautoenc-probe"
  helper=$root/libexec/gst-qsvautoenc/gst-qsvautoenc-probe-helper
  [ -x "$helper" ] || die "no probe helper $helper"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  # only GST_PLUGIN_PATH: no build tree, no developer environment
  envs="env -u QSVAUTOENC_PROBE_HELPER -u GST_PLUGIN_PATH_1_0 -u LD_PRELOAD
    GST_PLUGIN_PATH=$plugin GST_REGISTRY_1_0=$work/registry.bin PATH=$root/bin:$PATH"
  if [ -n "${2:-}" ]; then
    # staged (DESTDIR): the helper is not yet where the plugin will look
    envs="$envs QSVAUTOENC_PROBE_HELPER=$helper"
  fi
  # shellcheck disable=SC2086
  $envs gst-inspect-1.0 qsvautoenc >"$work/inspect.txt" ||
    die "gst-inspect-1.0 does not find qsvautoenc in $plugin"
  grep -q "On this machine" "$work/inspect.txt" || die "unexpected gst-inspect output"
  set +e
  # shellcheck disable=SC2086
  $envs qsvautoenc-probe --json >"$work/probe.json"
  status=$?
  set -e
  [ $status -le 1 ] || die "qsvautoenc-probe exited with $status"
  grep -q '"installed":true' "$work/probe.json" ||
    die "qsvautoenc-probe does not see the installed element"
  # shellcheck disable=SC2086
  $envs gst-launch-1.0 -q videotestsrc num-buffers=30 ! \
    video/x-raw,width=320,height=240 ! qsvautoenc key-int-max=10 ! \
    h264parse ! matroskamux ! filesink location="$work/out.mkv" ||
    die "encoding through the installed qsvautoenc failed"
  # every frame is in the file, as H.264
  frames=$(gst-launch-1.0 -v filesrc location="$work/out.mkv" ! matroskademux \
    ! video/x-h264 ! fakesink silent=false 2>&1 |
    grep -c "fakesink0: last-message = chain" || true)
  [ "$frames" = 30 ] || die "the output holds $frames H.264 frames, not 30"
  if [ -z "${2:-}" ] && [ "$prefix" = /usr ]; then
    # installed for real (the image): GStreamer must find it by itself
    env -u GST_PLUGIN_PATH -u GST_PLUGIN_PATH_1_0 \
      GST_REGISTRY_1_0="$work/registry-default.bin" \
      gst-inspect-1.0 qsvautoenc >/dev/null ||
      die "GStreamer does not find qsvautoenc without GST_PLUGIN_PATH ($plugin)"
  fi
  echo "verified: plugin in $plugin, probe exit $status, 30 of 30 frames encoded"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
  build-deps) apt_install "$(dry_run "${1:-}")" $BUILD_PACKAGES ;;
  build) [ $# -ge 2 ] || die "usage: build SRC PREFIX [DESTDIR]"; build "$@" ;;
  deb) [ $# -eq 2 ] || die "usage: deb SRC OUTDIR"; deb "$@" ;;
  install-deb) [ $# -ge 1 ] || die "usage: install-deb DEB"; install_deb "$@" ;;
  enable-non-free) enable_non_free "${1:-}" ;;
  runtime-deps)
    pkgs=$RUNTIME_PACKAGES
    if [ "$(dpkg --print-architecture 2>/dev/null || echo amd64)" = amd64 ]; then
      pkgs="$pkgs $INTEL_PACKAGES"
    else
      echo "not amd64: no Intel VA driver or oneVPL runtime (software only)"
    fi
    # shellcheck disable=SC2086
    apt_install "$(dry_run "${1:-}")" $pkgs ;;
  verify) [ $# -ge 1 ] || die "usage: verify PREFIX [DESTDIR]"; verify "$@" ;;
  *) sed -n '2,28p' "$0"; exit 2 ;;
esac
