#!/bin/sh
# Kubernetes schema validation of deploy/kubernetes/*.yaml, offline:
# kubernetes-models (npm; the Kubernetes API's OpenAPI schemas compiled into
# ajv validators) and js-yaml, installed once with npm into a cache
# directory, then used without network. Debian 12 has no offline validator
# (no kubeconform or kubeval; kubectl's validation asks an API server).
#
#   tests/install/validate-manifests.sh [--install] [--self-test] [FILE.yaml...]
#
# --self-test (the meson test "k8s-manifests"): also feeds it broken copies
# of the example (a wrong type, a missing required field, an image pulled at
# every start, command instead of args), each of which must fail.
# --install: install the validator if missing (needs npm and the npm
# registry). Without it, a missing validator or node is a skip (exit 77,
# meson's skip status) that says what to run. Other exits: 0 valid, 1 not.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
dir=${QSV_K8S_VALIDATOR_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gst-qsvautoenc/k8s-validator}
# pinned: 4.5.1 is the last kubernetes-models for node >= 14 (Debian 12 has
# node 18; 5.x needs node 22)
pkgs="kubernetes-models@4.5.1 js-yaml@4.1.0"
install=no
self_test=no
if [ "${1:-}" = --install ]; then install=yes; shift; fi
if [ "${1:-}" = --self-test ]; then self_test=yes; shift; fi
[ $# -gt 0 ] || set -- "$src"/deploy/kubernetes/*.yaml

command -v node >/dev/null || {
  echo "SKIP: no node (apt-get install nodejs npm), so no Kubernetes schema validation"
  exit 77
}
if ! [ -f "$dir/node_modules/kubernetes-models/package.json" ] ||
   ! [ -f "$dir/node_modules/js-yaml/package.json" ]; then
  if [ $install = no ]; then
    echo "SKIP: no validator in $dir: run $0 --install (npm install $pkgs)"
    exit 77
  fi
  command -v npm >/dev/null || { echo "FAIL: --install needs npm (apt-get install npm)"; exit 1; }
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error $pkgs
fi
validate () { node "$src/tests/install/validate-manifests.js" "$dir/node_modules" "$@"; }
validate "$@"
[ $self_test = yes ] || exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
example=$src/deploy/kubernetes/qsvautoenc.yaml
n=0
for edit in 's/supplementalGroups: \[993\]/supplementalGroups: ["993"]/' \
    '/^  selector:$/,/^    matchLabels/d' \
    's/imagePullPolicy: IfNotPresent/imagePullPolicy: Always/' \
    's/^          args: /          command: /' \
    's/port: 5000$/port: "5000"/'; do
  n=$((n + 1))
  sed "$edit" "$example" >"$tmp/broken$n.yaml"
  cmp -s "$example" "$tmp/broken$n.yaml" && { echo "FAIL: self-test edit '$edit' changed nothing"; exit 1; }
  if validate "$tmp/broken$n.yaml" >"$tmp/out$n.txt"; then
    echo "FAIL: the validator accepted a broken manifest ($edit)"
    exit 1
  fi
  echo "rejected as it should ($edit): $(grep -m1 FAIL "$tmp/out$n.txt")"
done
echo "self-test: $n broken manifests rejected"
