#!/usr/bin/env bash
# Runs the Dockerfile's instructions without Docker, in THIS root file
# system: for a throwaway Debian 12 root only (a chroot, a VM), where no
# Docker engine runs. It installs packages and writes into /usr and /stage.
#
#   ../shared/tools/fresh-debian tests/install/emulate-dockerfile.sh --throwaway-root
#
# What it does with each instruction: FROM starts a stage (only its name is
# kept: both stages share this root, so the build stage's packages stay
# installed, unlike in a real image); COPY copies from the source tree or,
# with --from, from this root; RUN runs with /bin/sh -c in the WORKDIR, as
# root or as USER; ENV and WORKDIR are applied; HEALTHCHECK and CMD are run
# last, as the image's user, and their exit status is reported. The
# instructions and their order come from the Dockerfile itself, so this
# checks the file, not a copy of its steps.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -euo pipefail
[ "${1:-}" = "--throwaway-root" ] || {
  sed -n '2,16p' "$0"
  echo "refusing to run without --throwaway-root" >&2
  exit 2
}
[ "$(id -u)" = 0 ] || { echo "needs root" >&2; exit 2; }
src=$(cd "$(dirname "$0")/../.." && pwd)
dockerfile=$src/Dockerfile
user=root workdir=/ healthcheck="" cmd=""
declare -A env_vars=()

as_user () {
  local envs=() k
  for k in "${!env_vars[@]}"; do envs+=("$k=${env_vars[$k]}"); done
  if [ "$user" = root ]; then
    (cd "$workdir" && env "${envs[@]}" /bin/sh -c "$1")
  else
    (cd "$workdir" && su -s /bin/sh "$user" -c "$(printf 'export %q; ' "${envs[@]}")$1")
  fi
}

# join continuation lines, drop comments and blank lines
instructions=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$dockerfile" |
  grep -v '^[[:space:]]*#' | grep -v '^[[:space:]]*$')

while IFS= read -r line; do
  op=${line%% *} args=${line#* }
  echo "==> $op $args"
  case $op in
    FROM) ;;
    COPY)
      if [[ $args == --from=* ]]; then
        set -- ${args#--from=*[[:space:]]}
        from=${1} to=${2}
        cp -a "$from." "$to" 2>/dev/null || cp -a "$from" "$to"
      else
        set -- $args
        from=$1 to=$2
        if [ "$from" = . ]; then
          # the build context: the tree minus .dockerignore's patterns
          excludes=()
          while IFS= read -r pat; do
            [ -n "$pat" ] && excludes+=("--exclude=./${pat%/}")
          done <"$src/.dockerignore"
          mkdir -p "$to"
          tar -C "$src" "${excludes[@]}" -cf - . | tar -C "$to" -xf -
        else
          install -D "$src/$from" "$to"
        fi
      fi ;;
    RUN) as_user "$args" ;;
    ENV)
      k=${args%%=*} v=${args#*=}
      v=${v#\"}; v=${v%\"}
      env_vars[$k]=$v ;;
    USER) user=$args ;;
    WORKDIR) mkdir -p "$args"; workdir=$args ;;
    HEALTHCHECK) healthcheck=${args#*CMD } ;;
    CMD) cmd=$(echo "$args" | /usr/bin/python3 -c 'import json,sys,shlex; print(" ".join(shlex.quote(a) for a in json.load(sys.stdin)))' 2>/dev/null || echo "$args") ;;
    *) echo "emulate-dockerfile: unsupported instruction $op" >&2; exit 1 ;;
  esac
done <<<"$instructions"

echo "==> CMD, as $user: $cmd"
set +e
as_user "$cmd"
echo "    exit status $?"
echo "==> HEALTHCHECK, as $user: $healthcheck"
as_user "$healthcheck"
status=$?
set -e
echo "    exit status $status (1 = unhealthy: no GPU here; 0 needs an Intel GPU)"
echo "==> non-free iHD installed: $(dpkg-query -W -f '${Status} ${Version}' intel-media-va-driver-non-free 2>/dev/null || echo no)"
echo "emulate-dockerfile: every instruction ran"
