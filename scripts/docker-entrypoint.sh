#!/bin/sh
# The Docker image's ENTRYPOINT (installed as /usr/local/bin/qsvautoenc-entrypoint):
# runs the container's command ("$@", the CMD or what `docker run IMAGE ...`,
# compose's `command:` or Kubernetes' `args:` give) after three things:
#
#  1. GST_TRACERS for this command only: the qsvautoenc-report tracer writes
#     /run/qsvautoenc/status.json (override or disable by setting GST_TRACERS,
#     even to ""). Not an image-wide ENV: health checks run through
#     `docker exec`, which does not pass the ENTRYPOINT, so a probe does not
#     rewrite the service's status file.
#  2. Every directory in QSVAUTOENC_OUTPUT_DIRS (default /out) that exists
#     must be writable by this user (uid 997 in the image): if not, say how
#     to fix it and exit 73 (EX_CANTCREAT) before the pipeline starts.
#  3. A gst-launch-1.0 command without -e is warned about: on the stop signal
#     (SIGINT, the image's STOPSIGNAL) it would stop without EOS, and an MP4
#     would lack its index.
#
# Then it execs the command, which becomes PID 1 and receives the stop signal.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
me=qsvautoenc-entrypoint

if [ -z "${GST_TRACERS+set}" ]; then
  GST_TRACERS="qsvautoenc-report(file=${QSVAUTOENC_STATUS_DIR:-/run/qsvautoenc}/status.json,interval=1000)"
  export GST_TRACERS
fi
# A user other than the image's (docker run --user): its HOME is not its
# own; GStreamer keeps its registry cache under XDG_CACHE_HOME
if [ -n "${HOME:-}" ] && ! [ -w "$HOME" ] && [ -z "${XDG_CACHE_HOME:-}" ]; then
  XDG_CACHE_HOME=/tmp/.cache
  export XDG_CACHE_HOME
fi

for dir in ${QSVAUTOENC_OUTPUT_DIRS-/out}; do
  [ -d "$dir" ] || continue
  probe="$dir/.qsvautoenc-write-test.$$"
  # a real write: test -w ignores read-only mounts and ACLs
  if (: >"$probe") 2>/dev/null; then
    rm -f "$probe"
    continue
  fi
  uid=$(id -u)
  owner=$(stat -c '%u:%g, mode %a' "$dir" 2>/dev/null || echo '?')
  cat >&2 <<EOF
$me: cannot write to $dir (owner $owner); this container runs as
  uid $uid ($(id -un 2>/dev/null || echo '?')), groups $(id -G).
  $dir is usually a host directory mounted into the container (compose:
  ./out:/out, docker run -v "\$PWD/out:/out"), created by dockerd as root
  when it did not exist. Fix one of:
   - on the host: mkdir -p out && sudo chown $uid out   (the mounted directory)
   - run as the directory's owner: docker run --user "\$(id -u):\$(id -g)" ...
     (compose: user: "1000:1000"), keeping --group-add for the render node
   - mount a named volume at $dir instead of a host directory
   - a read-only mount: remount it read-write
  Exiting with 73 (EX_CANTCREAT). Under a restart policy (unless-stopped,
  always) Docker starts the container again and this message repeats in
  \`docker logs\` until the directory is fixed.
EOF
  exit 73
done

if [ $# -gt 0 ] && [ "$(basename "$1")" = gst-launch-1.0 ]; then
  eos=no
  for a in "$@"; do
    case $a in -e|--eos-on-shutdown) eos=yes ;; esac
  done
  if [ $eos = no ]; then
    echo "$me: warning: gst-launch-1.0 without -e: on docker stop (SIGINT) the" \
      "pipeline stops without EOS and a file it writes is cut short (an MP4" \
      "has no index); add -e" >&2
  fi
fi

exec "$@"
