#!/usr/bin/env bash
# Provides what testrig's demo and integration tests need on a Debian host:
# a running Docker engine, the Compose v2 CLI plugin, and local debian:trixie-slim and
# debian:bookworm-slim base images.
# Leaves a user's existing Docker untouched: it installs nothing when an engine already answers
# and `docker compose version` works. Trixie packages come from the host's own Debian mirror
# (scripts/debian-mirror.sh; TESTRIG_DEBIAN_MIRROR overrides it).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

log() { printf 'setup-engine: %s\n' "$*" >&2; }
need_root() { [ "$(id -u)" = 0 ] || { log "must run as root to install $1"; exit 2; }; }

engine_up() { timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
compose_ok() { timeout 10 docker compose version >/dev/null 2>&1; }

apt_updated=""
apt_install() {
  need_root "$*"
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# 1. Engine: Debian's docker.io (dockerd 20.10 on bookworm) when nothing answers.
if ! engine_up; then
  if [ -n "${DOCKER_HOST:-}" ]; then
    log "DOCKER_HOST=$DOCKER_HOST is set but does not answer; not starting a local daemon"; exit 3
  fi
  command -v dockerd >/dev/null || apt_install docker.io iptables
  if ! pgrep -x dockerd >/dev/null; then
    log "starting dockerd"
    # Close every inherited descriptor above 2 first: run as `flock /tmp/testrig-engine.lock bash
    # scripts/setup-engine.sh`, the lock's descriptor would otherwise stay open in dockerd (and
    # containerd) for their lifetime, and every later `flock` on the engine lock waits forever.
    (
      for fd in /proc/self/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null
      done
      exec nohup dockerd </dev/null >/var/log/dockerd.log 2>&1
    ) &
  fi
  for _ in $(seq 1 60); do engine_up && break; sleep 0.5; done
  engine_up || { log "dockerd did not answer within 30 s; see /var/log/dockerd.log"; tail -20 /var/log/dockerd.log >&2; exit 3; }
fi
log "engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

# 2. Compose v2: bookworm has none; trixie's docker-compose package is a static CLI plugin.
if ! compose_ok; then
  need_root "the compose plugin"
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
  mirror=$("$here/debian-mirror.sh")
  echo "deb $mirror trixie main" >"$work/trixie.list"
  aptopts=(-o Dir::Etc::sourcelist="$work/trixie.list" -o Dir::Etc::sourceparts=- \
           -o Dir::State::Lists="$work/lists" -o Dir::Cache="$work/cache" -o APT::Get::List-Cleanup=0)
  apt-get "${aptopts[@]}" update -qq
  (cd "$work" && apt-get "${aptopts[@]}" download docker-compose >/dev/null)
  dpkg-deb -x "$work"/docker-compose_*.deb "$work/x"
  install -D -m 0755 "$work/x/usr/libexec/docker/cli-plugins/docker-compose" \
    /usr/local/lib/docker/cli-plugins/docker-compose
  # The host CLI may be a different build from Debian's; both search /usr/local/lib/docker/cli-plugins.
  compose_ok || { log "docker compose still not usable"; exit 3; }
fi
log "$(docker compose version)"

# 3. Base images: no registry here, so build debian:<suite>-slim from the Debian mirror unless
#    present or pullable. trixie is the base of every local image; bookworm only of the example
#    image testrig-example/postgres:15 (examples/version-matrix: PostgreSQL 15 is bookworm's).
for suite in trixie bookworm; do
  if ! docker image inspect "debian:$suite-slim" >/dev/null 2>&1; then
    if ! timeout 60 docker pull -q "debian:$suite-slim" >/dev/null 2>&1; then
      command -v mmdebstrap >/dev/null || apt_install mmdebstrap
      mirror=$("$here/debian-mirror.sh")
      log "building debian:$suite-slim with mmdebstrap from $mirror"
      tmp=$(mktemp -d)
      mmdebstrap --quiet --variant=minbase "$suite" "$tmp/rootfs.tar" "$mirror"
      docker import "$tmp/rootfs.tar" "debian:$suite-slim" >/dev/null
      rm -rf "$tmp"
    fi
  fi
  log "base image debian:$suite-slim ready"
done
