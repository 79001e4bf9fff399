#!/bin/sh
# `gst-inspect-1.0 --exists qsvautoenc` says yes where the plugin is
# installed: it checks the plugin's version against GStreamer's own
# <major>.<minor>.0 (gst-inspect.c, real_main: minver_maj/minver_min default
# to GST_VERSION_MAJOR/MINOR, minver_micro to 0; then
# gst_plugin_feature_check_version). And the one version scheme holds
# everywhere: meson's project version = the plugin's registered version =
# debian/changelog's upstream version = NEWS's newest release.
# usage: inspect-exists.sh SOURCE_ROOT PLUGIN_DIR PROJECT_VERSION
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
src=$1 plugin_dir=$2 version=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail () { echo "FAIL: $*"; exit 1; }
unset GST_PLUGIN_PATH_1_0 QSVAUTOENC_PROBE_HELPER LD_PRELOAD || true
# the built plugin on GST_PLUGIN_PATH, a registry of its own (fresh)
inspect () {
  env GST_PLUGIN_PATH="$plugin_dir" GST_REGISTRY_1_0="$tmp/registry.bin" \
    gst-inspect-1.0 "$@"
}
exists () {
  set +e
  inspect --exists "$@" >"$tmp/out.txt" 2>&1
  rc=$?
  set -e
  echo "gst-inspect-1.0 --exists $*: exit $rc"
}

read -r major minor <<EOV
$(gst-inspect-1.0 --version | sed -n 's/^GStreamer \([0-9]*\)\.\([0-9]*\)\..*/\1 \2/p')
EOV
echo "GStreamer $major.$minor, gst-qsvautoenc $version"

exists qsvautoenc
[ $rc = 0 ] || fail "--exists qsvautoenc exits $rc (plugin version $version, GStreamer $major.$minor)"
exists qsvautoenc-report
[ $rc = 0 ] || fail "--exists qsvautoenc-report exits $rc"
exists --atleast-version="$major.$minor.0" qsvautoenc
[ $rc = 0 ] || fail "--atleast-version=$major.$minor.0 exits $rc"
exists --atleast-version="$version" qsvautoenc
[ $rc = 0 ] || fail "--atleast-version=$version exits $rc"
# the check has teeth: a newer series and an unknown element say no
exists --atleast-version="$major.$((minor + 1)).0" qsvautoenc
[ $rc = 1 ] || fail "--atleast-version=$major.$((minor + 1)).0 exits $rc, not 1"
exists qsvautoenc-no-such-element
[ $rc = 1 ] || fail "--exists of an unknown element exits $rc, not 1"

# the registered version is meson's
inspect qsvautoenc >"$tmp/inspect.txt" || fail "gst-inspect-1.0 qsvautoenc failed"
registered=$(sed -n 's/^ *Version *\([^ ]*\)$/\1/p' "$tmp/inspect.txt" | head -n1)
[ "$registered" = "$version" ] ||
  fail "the plugin registers version '$registered', meson says $version"
case $version in
  "$major.$minor".*) ;;
  *) fail "version $version is not of the GStreamer $major.$minor series" ;;
esac
# debian/changelog: <upstream>-<debian revision>, upstream = meson's
deb=$(sed -n '1s/^[^ ]* (\([^)]*\)).*/\1/p' "$src/debian/changelog")
[ "${deb%-*}" = "$version" ] ||
  fail "debian/changelog's newest version is $deb, meson says $version"
# NEWS: the newest release comes first
news=$(sed -n 's/^## \([0-9][0-9.]*\).*/\1/p' "$src/NEWS" | head -n1)
[ "$news" = "$version" ] || fail "NEWS's newest release is '$news', meson says $version"
echo "version $version: registered, --exists yes, debian/changelog $deb, NEWS"
