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
# root or as USER; ENV and WORKDIR are applied; ENTRYPOINT, STOPSIGNAL,
# HEALTHCHECK and CMD are kept and used last, as the image's user:
#  - ENTRYPOINT + CMD run, and the HEALTHCHECK (as `docker exec` runs it:
#    without the entrypoint); their exit statuses are reported;
#  - output permission: /out owned by root (a host directory dockerd
#    created) makes the entrypoint exit 73 with the fix to apply, at once;
#  - stop signal: ENTRYPOINT + the compose service's command (an endless
#    live encode into /out/out.mp4) in a new PID namespace, as docker runs
#    it: its PID 1 must catch STOPSIGNAL and not SIGTERM; once the tracer's
#    status file counts frames, STOPSIGNAL goes to PID 1 (docker stop); the
#    command must exit 0 and Debian's ffprobe must decode every frame of the
#    MP4 (-count_frames);
#  - the HEALTHCHECK must leave the service's status file as it was.
# The instructions and their order come from the Dockerfile itself, so this
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
user=root workdir=/ healthcheck="" cmd="" entrypoint="" stopsignal=SIGTERM
declare -A env_vars=()
fail () { echo "emulate-dockerfile: FAIL: $*" >&2; exit 1; }
# a JSON (exec form) array as shell words
json_words () {
  echo "$1" | /usr/bin/python3 -c 'import json,sys,shlex; print(" ".join(shlex.quote(a) for a in json.load(sys.stdin)))' 2>/dev/null || echo "$1"
}

as_user () {
  local envs=() k
  for k in "${!env_vars[@]}"; do envs+=("$k=${env_vars[$k]}"); done
  if [ "$user" = root ]; then
    (cd "$workdir" && env "${envs[@]}" /bin/sh -c "$1")
  else
    local exports=""
    [ ${#envs[@]} -eq 0 ] || exports=$(printf 'export %q; ' "${envs[@]}")
    (cd "$workdir" && su -s /bin/sh "$user" -c "$exports$1")
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
    ENTRYPOINT) entrypoint=$(json_words "$args") ;;
    STOPSIGNAL) stopsignal=$args ;;
    CMD) cmd=$(json_words "$args") ;;
    *) echo "emulate-dockerfile: unsupported instruction $op" >&2; exit 1 ;;
  esac
done <<<"$instructions"

[ "$user" != root ] || fail "the image runs as root"
uid=$(id -u "$user")
echo "==> ENTRYPOINT $entrypoint, CMD, as $user (uid $uid): $cmd"
set +e
as_user "$entrypoint $cmd"
echo "    exit status $?"
echo "==> HEALTHCHECK, as $user: $healthcheck"
as_user "$healthcheck"
status=$?
set -e
echo "    exit status $status (1 = unhealthy: no GPU here; 0 needs an Intel GPU)"
[ $status -le 1 ] || fail "HEALTHCHECK exited $status: Docker reserves 2, use 0 or 1"
echo "==> non-free iHD installed: $(dpkg-query -W -f '${Status} ${Version}' intel-media-va-driver-non-free 2>/dev/null || echo no)"

# The compose service's command (a folded ">-" scalar), as compose runs it:
# after the image's ENTRYPOINT
compose=$src/deploy/docker-compose.yml
service_cmd=$(awk '/^    command: >-$/ {on = 1; next}
  on && /^      / {sub(/^ +/, ""); printf "%s ", $0; next}
  on {exit}' "$compose")
[ -n "$service_cmd" ] || fail "no command in $compose"
grep -q "^    stop_signal: $stopsignal\$" "$compose" ||
  fail "compose's stop_signal is not the image's STOPSIGNAL $stopsignal"
out=$(echo "$service_cmd" | sed -n 's/.*location=\([^ ]*\).*/\1/p')
outdir=$(dirname "$out")
[ -d "$outdir" ] || fail "the image has no $outdir"

echo "==> output permission: $outdir owned by root, as a bind mount dockerd created"
chown root:root "$outdir"
chmod 755 "$outdir"
set +e
# timeout only guards the test against a hang: the entrypoint must exit by itself
as_user "timeout 120 $entrypoint $service_cmd" >"/tmp/denied.out" 2>&1
status=$?
set -e
sed 's/^/    /' /tmp/denied.out
[ $status = 73 ] || fail "entrypoint exit $status with an unwritable $outdir, not 73"
grep -q "chown $uid" /tmp/denied.out || fail "the message does not say to chown $uid"
[ ! -e "$out" ] || fail "the pipeline ran although $outdir is not writable"
chown "$user:$user" "$outdir"   # the documented fix: chown 997 on the host

echo "==> stop signal: ENTRYPOINT + compose command in a PID namespace, then $stopsignal to PID 1"
command -v ffprobe >/dev/null || {
  DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ffmpeg >/dev/null
}
status_file=/run/qsvautoenc/status.json
rm -f "$status_file"
envs=()
for k in "${!env_vars[@]}"; do envs+=("$k=${env_vars[$k]}"); done
# PID 1 of the new namespace mounts its own /proc, as --mount-proc would
# (which fails in a chroot: / is no mount point, so unshare cannot make it
# private; /proc, a mount point, can be), then becomes the image's user in
# WORKDIR and execs ENTRYPOINT + command: one process, PID 1 throughout
cat >/tmp/pidns-init.sh <<'INIT'
#!/bin/sh
mount --make-rprivate /proc && mount -t proc proc /proc || exit 125
user=$1 dir=$2
shift 2
cd "$dir" || exit 125
exec setpriv --reuid="$user" --regid="$user" --init-groups "$@"
INIT
chmod +x /tmp/pidns-init.sh
# shellcheck disable=SC2086
env -i HOME="/home/$user" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  "${envs[@]}" unshare --pid --fork --mount --propagation unchanged \
  /tmp/pidns-init.sh "$user" "$workdir" $entrypoint $service_cmd >/tmp/service.out 2>&1 &
upid=$!
# PID 1 of the namespace: unshare's child (polled; never a timed wait)
init="" i=0
while [ -z "$init" ]; do
  init=$(awk '{print $1}' "/proc/$upid/task/$upid/children" 2>/dev/null || true)
  kill -0 "$upid" 2>/dev/null || { cat /tmp/service.out; fail "unshare exited at once"; }
  i=$((i + 1)); [ $i -lt 600 ] || fail "no PID 1 in the namespace"
  [ -n "$init" ] || sleep 0.1
done
# ... once it has exec'd gst-launch-1.0 and counts frames
n=0 i=0
while :; do
  n=$(grep -o '"frames_out":[0-9]*' "$status_file" 2>/dev/null | head -n1 | cut -d: -f2 || true)
  if [ -n "$n" ] && [ "$n" -ge 60 ]; then break; fi
  kill -0 "$upid" 2>/dev/null || { cat /tmp/service.out; fail "the service exited before encoding"; }
  i=$((i + 1)); [ $i -lt 3000 ] || fail "no 60 frames in $status_file"
  sleep 0.1
done
comm=$(cat "/proc/$init/comm")
[ "$comm" = gst-launch-1.0 ] || fail "PID 1 is $comm, not gst-launch-1.0 (the entrypoint must exec)"
# PID 1 gets only the signals it catches (SigCgt, bit N-1 for signal N)
caught=$(awk '/^SigCgt:/ {print $2}' "/proc/$init/status")
catches () { [ $(( (0x$caught >> ($1 - 1)) & 1 )) = 1 ]; }
signum=$(kill -l "${stopsignal#SIG}")
catches "$signum" || fail "PID 1 does not catch $stopsignal (SigCgt $caught): docker stop would SIGKILL it"
catches 15 && echo "    (PID 1 also catches SIGTERM)" ||
  echo "    PID 1 catches $stopsignal, not SIGTERM (SigCgt $caught): SIGTERM would be ignored"
kill -s "${stopsignal#SIG}" "$init"
set +e
wait $upid
status=$?
set -e
tail -n 5 /tmp/service.out | sed 's/^/    /'
[ $status = 0 ] || { cat /tmp/service.out; fail "the service exited $status after $stopsignal"; }
probe=$(ffprobe -v error -count_frames -select_streams v:0 \
  -show_entries stream=codec_name,nb_read_frames -of default=nw=1 "$out") ||
  fail "ffprobe cannot read $out"
echo "    ffprobe: $(echo $probe)"
frames=$(echo "$probe" | sed -n 's/^nb_read_frames=//p')
echo "$probe" | grep -qx 'codec_name=h264' || fail "$out holds no H.264 stream"
[ -n "$frames" ] && [ "$frames" -ge "$n" ] ||
  fail "$out decodes $frames frames, fewer than the $n encoded before the signal"
errors=$(ffmpeg -v error -i "$out" -f null - 2>&1 | head -n 3)
[ -z "$errors" ] || fail "decoding $out: $errors"
echo "    $out complete: $frames frames decode (>= $n counted before $stopsignal)"

echo "==> the HEALTHCHECK leaves the service's status file alone"
before=$(sha256sum "$status_file")
set +e
as_user "$healthcheck" >/dev/null 2>&1
set -e
[ "$(sha256sum "$status_file")" = "$before" ] ||
  fail "the health check rewrote $status_file (GST_TRACERS in its environment)"
echo "    unchanged"
echo "emulate-dockerfile: every instruction ran; permission, stop-signal and health-check tests passed"
