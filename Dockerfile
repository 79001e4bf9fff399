# gst-qsvautoenc on Debian 12, with Intel's VA driver (non-free iHD: low-power
# CBR/VBR, all codecs) and the oneVPL GPU runtime (qsvh264enc) on amd64.
#
#   docker build -t gst-qsvautoenc .
#   docker run --rm --device /dev/dri/renderD128 \
#     --group-add "$(stat -c %g /dev/dri/renderD128)" gst-qsvautoenc
#
# The container runs as user app, uid/gid 997: a host directory mounted at
# /out must be writable by 997 (the entrypoint checks and says what to do).
#
# Every step is scripts/docker-build.sh, which the tests run without Docker
# (tests/install/check-install.sh). docs/DOCKER.md explains the choices.
# SPDX-License-Identifier: LGPL-2.1-or-later

# the Debian package users get (debian/), built from this tree
FROM debian:12-slim AS build
COPY . /src
RUN /src/scripts/docker-build.sh build-deps \
 && /src/scripts/docker-build.sh deb /src /debs

FROM debian:12-slim
COPY scripts/docker-build.sh /usr/local/sbin/docker-build.sh
COPY --from=build /debs/ /tmp/debs/
COPY scripts/docker-entrypoint.sh /usr/local/bin/qsvautoenc-entrypoint
RUN docker-build.sh enable-non-free \
 && docker-build.sh runtime-deps \
 && docker-build.sh install-deb /tmp/debs/gstreamer1.0-qsvautoenc_*.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/debs
# the installed plugin, probe and helper work (software here: no GPU at build)
RUN docker-build.sh verify /usr \
 && groupadd --system --gid 997 app \
 && useradd --system --uid 997 --gid app --create-home --groups video app \
 && install -d -m 1777 /run/qsvautoenc \
 && install -d -o app -g app /out
USER app
WORKDIR /home/app
# The entrypoint sets GST_TRACERS (the status file
# /run/qsvautoenc/status.json) for the command only, not for health checks,
# and checks that /out is writable (docs/DOCKER.md).
ENTRYPOINT ["qsvautoenc-entrypoint"]
# gst-launch-1.0 stops cleanly (EOS, with -e) on SIGINT; as PID 1 it ignores
# the default SIGTERM, and docker stop would SIGKILL it after 10 s.
STOPSIGNAL SIGINT
# Healthy while the GPU can encode H.264 and qsvautoenc uses it (exit 0);
# exit 1 = software only. For a service that may run on the CPU, use
# `CMD qsvautoenc-probe; test $? -le 1` instead (docs/DOCKER.md). The
# timeout covers the probe's own time-out for a hung driver (15 s).
HEALTHCHECK --interval=60s --timeout=20s --start-period=5s --retries=2 \
  CMD qsvautoenc-probe >/dev/null || exit 1
CMD ["qsvautoenc-probe"]
