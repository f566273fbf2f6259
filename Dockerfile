# testrig builder image: Docker-in-Docker (Debian's engine, CLI and Compose v2 plugin), a jlink'd
# Java 21 runtime, the testrig CLI and junit-platform-console-standalone, on debian:trixie-slim.
#
#   mvn -B -DskipTests package     # host build: target/testrig.jar, target/image/junit-*.jar
#   docker build -t testrig .
#
# No step downloads over HTTPS and the Dockerfile uses no BuildKit-only syntax, so it builds with
# the legacy builder and BuildKit alike, behind TLS-intercepting proxies too (docker/extra-ca/).
ARG BASE_IMAGE=debian:trixie-slim

FROM ${BASE_IMAGE} AS base
# Build-time only (an ARG, not ENV): no debconf prompts during apt-get install.
ARG DEBIAN_FRONTEND=noninteractive
# Empty: keep the base image's sources. Set e.g. to an internal mirror.
ARG APT_MIRROR=
COPY docker/extra-ca/ /usr/local/share/ca-certificates/extra/
COPY docker/apt-setup /usr/local/sbin/apt-setup
RUN apt-setup "$APT_MIRROR"

# A Java runtime cut down with jlink: java.se (so JUnit suites run on it too) plus the JDK modules
# testrig or typical tests load reflectively (--strip-debug runs binutils' objcopy on the native
# libraries). No default CDS archive (26 MB): testrig maps its own static AppCDS archive below.
FROM base AS jre
ARG JDK_VERSION=21.*
ARG JLINK_MODULES=java.se,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.unsupported,jdk.zipfs,jdk.charsets,jdk.management,jdk.naming.dns,jdk.net,jdk.httpserver
RUN apt-get update \
 && apt-get install -y "openjdk-21-jdk-headless=${JDK_VERSION}" binutils \
 && jlink --add-modules "$JLINK_MODULES" --strip-debug --no-man-pages --no-header-files \
      --compress=zip-6 --output /opt/java \
 && /opt/java/bin/java -version

FROM base
# Versions are apt patterns: the upstream release is pinned, Debian security updates still apply.
ARG DOCKER_VERSION=26.1.*
ARG COMPOSE_VERSION=2.26.*
ARG TINI_VERSION=0.19.*
RUN apt-get update \
 && apt-get install -y \
      "docker.io=${DOCKER_VERSION}" "docker-cli=${DOCKER_VERSION}" "docker-compose=${COMPOSE_VERSION}" \
      "tini=${TINI_VERSION}" bash ca-certificates git openssl iptables procps \
 && update-ca-certificates \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
      /usr/share/doc/* /usr/share/man/* /usr/share/locale/* \
 && rm -f /usr/bin/ctr /usr/bin/containerd-shim /usr/bin/containerd-shim-runc-v1
# Removed above (46 MB): containerd's debugging CLI `ctr` and the legacy v1 shims; dockerd 26 only
# starts containers through containerd-shim-runc-v2.
COPY --from=jre /opt/java /opt/java
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    JUNIT_CONSOLE_JAR=/opt/testrig/junit-platform-console-standalone.jar \
    TESTRIG_JUNIT_CONSOLE=/opt/testrig/junit-platform-console-standalone.jar
COPY target/image/junit-platform-console-standalone.jar target/testrig.jar /opt/testrig/
COPY docker/testrig /usr/local/bin/testrig
# AppCDS (https://docs.oracle.com/en/java/javase/21/vm/class-data-sharing.html): list the classes
# testrig loads on its real command paths, then dump a static archive of them. The training runs
# `validate`, `render` (jinjava), `certs` (BouncyCastle) on a small rig, and `up`, `run`, `down`
# against an engine socket that does not exist (testrig's engine client and Jackson up to the
# first request; no engine answers inside `docker build`); the lists are merged without their
# per-run ids. Static, not a dynamic -XX:ArchiveClassesAtExit archive: picocli is compiled for
# Java 5 and a dynamic archive skips such "old" classes, a static dump takes them; and a CI job
# starts from a fresh container, so an archive made on first use would be paid for by every job.
# Same jar path at dump and use, as CDS needs. Nothing the runs write stays in the image.
RUN mkdir -p /tmp/cds/rig/templates && cd /tmp/cds/rig \
 && printf '%s\n' 'name: cds' 'templates: [{from: templates}]' 'certs: {issue: {db: {dns: [db]}}}' \
      'stack: {files: [compose.yml]}' 'suites: [{name: s, service: db}]' >testrig.yml \
 && printf 'services:\n  db:\n    image: cds\n' >compose.yml \
 && echo 'password={{ password.db.app | b64encode }}' >templates/app.conf.j2 \
 && e='--start-engine never --engine-wait 0s' && n=0 \
 && for cmd in 'validate -f testrig.yml' 'render -f testrig.yml --run-dir /tmp/cds/run' \
      'certs -f testrig.yml --run-dir /tmp/cds/run' "up -f testrig.yml --run-dir /tmp/cds/run $e" \
      "run -f testrig.yml --artifacts /tmp/cds/art $e" "down -p cds --artifacts /tmp/cds/art $e"; do \
      n=$((n + 1)); DOCKER_HOST=unix:///tmp/cds/no-engine.sock java -XX:+UseSerialGC \
        -XX:DumpLoadedClassList=/tmp/cds/$n.lst -jar /opt/testrig/testrig.jar $cmd >/dev/null 2>&1 \
      || true; done \
 && cat /tmp/cds/*.lst | sed 's/ id: [0-9]*$//' | awk '!/^#/ && !seen[$0]++' >/tmp/cds/classes.lst \
 && java -Xshare:dump -XX:SharedClassListFile=/tmp/cds/classes.lst -XX:+UseSerialGC \
      -XX:SharedArchiveFile=/opt/testrig/testrig.jsa -cp /opt/testrig/testrig.jar >/tmp/cds/dump.log 2>&1 \
 || { cat /tmp/cds/dump.log; exit 1; } \
 && cd / && rm -rf /tmp/cds && testrig --version
# Shell completion for interactive use (`docker run -it … bash`): picocli writes it from the
# command tree; Debian's bash reads /etc/bash.bashrc in every interactive shell.
RUN mkdir -p /etc/bash_completion.d \
 && testrig generate-completion >/etc/bash_completion.d/testrig \
 && echo '. /etc/bash_completion.d/testrig' >>/etc/bash.bashrc
COPY entrypoint /usr/local/bin/entrypoint
# Last, so a new revision reuses every cached layer above.
ARG TESTRIG_VERSION=dev
ARG VCS_REF=unknown
ARG SOURCE=https://gitlab.com/testrig/testrig
LABEL org.opencontainers.image.title="testrig" \
      org.opencontainers.image.description="Docker-in-Docker builder image with the testrig CLI for end-to-end tests in GitLab CI" \
      org.opencontainers.image.version="${TESTRIG_VERSION}" \
      org.opencontainers.image.revision="${VCS_REF}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.base.name="debian:trixie-slim"
# dockerd's storage must not be the container's overlay filesystem (overlay on overlay fails).
VOLUME /var/lib/docker
# tini reaps the zombies dockerd and compose leave behind; -s also when it is not PID 1.
ENTRYPOINT ["/usr/bin/tini", "-s", "--", "/usr/local/bin/entrypoint"]
CMD ["bash"]
