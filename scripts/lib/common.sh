# Shared by scripts/demo, scripts/check and scripts/benchmark: install what is missing (Debian
# 12 packages), then configure and build in build/.
# SPDX-License-Identifier: LGPL-2.1-or-later

# What the plugin set needs to build.
QSV_BUILD_PACKAGES="meson ninja-build pkg-config gcc libc6-dev
  libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  libva-dev libdrm-dev"
# What it drives at run time: the encoders it chooses between, and the tools.
QSV_RUNTIME_PACKAGES="gstreamer1.0-tools gstreamer1.0-plugins-base
  gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
  gstreamer1.0-vaapi"
# What only the tests need.
QSV_TEST_PACKAGES="libjson-glib-dev gstreamer1.0-libav umockdev libx264-dev
  libx265-dev
  clang libclang-rt-14-dev valgrind python3-gi gir1.2-gstreamer-1.0
  python3-prometheus-client
  debootstrap"
# What the benchmark suite adds: the outside reference (libx264 through
# ffmpeg, and its PSNR filter) and the chart.
QSV_BENCH_PACKAGES="ffmpeg gnuplot-nox python3"
# The fallback matrix (tests/matrix) decodes every output with ffmpeg too.
QSV_TEST_PACKAGES="$QSV_TEST_PACKAGES ffmpeg"

qsv_missing_packages () {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$p")
  done
  echo "${missing[@]:-}"
}

qsv_ensure_packages () {
  local missing
  missing=$(qsv_missing_packages "$@")
  [ -z "$missing" ] && return 0
  if ! command -v apt-get >/dev/null; then
    echo "error: missing packages ($missing) and no apt-get: install them by hand" >&2
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || {
      echo "error: missing packages: $missing" >&2
      echo "       run as root: apt-get install $missing" >&2
      return 1
    }
    sudo=sudo
  fi
  echo "==> installing Debian packages: $missing"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  # shellcheck disable=SC2086
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends $missing >/dev/null
}

# qsv_build BUILDDIR [meson options...]
qsv_build () {
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" --werror "$@" >/dev/null
  else
    meson setup "$dir" --werror "$@" >/dev/null
  fi
  ninja -C "$dir" >/dev/null
}
