# gst-qsvautoenc on Debian 12, with Intel's VA driver (non-free iHD: low-power
# CBR/VBR, all codecs) and the oneVPL GPU runtime (qsvh264enc) on amd64.
#
#   docker build -t gst-qsvautoenc .
#   docker run --rm --device /dev/dri/renderD128 \
#     --group-add "$(stat -c %g /dev/dri/renderD128)" gst-qsvautoenc
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
RUN docker-build.sh enable-non-free \
 && docker-build.sh runtime-deps \
 && docker-build.sh install-deb /tmp/debs/gstreamer1.0-qsvautoenc_*.deb \
 && rm -rf /var/lib/apt/lists/* /tmp/debs
# the installed plugin, probe and helper work (software here: no GPU at build)
RUN docker-build.sh verify /usr \
 && useradd --system --create-home --user-group --groups video app \
 && install -d -o app -g app /run/qsvautoenc
USER app
WORKDIR /home/app
# which encoder works, for the health check and for operators
ENV GST_TRACERS="qsvautoenc-report(file=/run/qsvautoenc/status.json,interval=1000)"
# Healthy while the GPU can encode H.264 and qsvautoenc uses it (exit 0);
# exit 1 = software only. For a service that may run on the CPU, use
# `CMD qsvautoenc-probe; test $? -le 1` instead (docs/DOCKER.md). The
# timeout covers the probe's own time-out for a hung driver (15 s).
HEALTHCHECK --interval=60s --timeout=20s --start-period=5s --retries=2 \
  CMD qsvautoenc-probe >/dev/null || exit 1
CMD ["qsvautoenc-probe"]
