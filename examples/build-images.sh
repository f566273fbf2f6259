#!/usr/bin/env bash
# Builds every image the examples use, locally, from debian:trixie-slim and Debian's packages
# (no container registry needed). Idempotent and fast when cached: a rerun is a cache check of a
# second or two. It builds through `docker compose build` (images/compose.yml), the same builder
# and build cache that `docker compose up` uses when an example's image is missing, so the two
# never rebuild each other's work. Compose does not rebuild an image that exists: run this after
# changing anything under images/.
#
# Usage: examples/build-images.sh [compose build options, e.g. --no-cache] [image ...]
#   image: postgres, postgres15, python, nginx, jre (default: all)
# Tags:  testrig-example/postgres:17, testrig-example/postgres:15 (bookworm's PostgreSQL),
#        testrig-example/python:trixie, testrig-example/nginx:trixie, testrig-example/jre:trixie
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)

options=() services=()
for a in "$@"; do
  case "$a" in -*) options+=("$a") ;; *) services+=("$a") ;; esac
done
[ ${#services[@]} -gt 0 ] || services=(postgres postgres15 python nginx jre)

for base in debian:trixie-slim debian:bookworm-slim; do
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    # Pulls it when a registry answers, otherwise builds it with mmdebstrap + docker import.
    echo "build-images: $base missing; providing it with scripts/setup-engine.sh" >&2
    "$here/../scripts/setup-engine.sh"
  fi
done

for service in "${services[@]}"; do
  start=$(date +%s.%N)
  log=$(mktemp)
  if ! docker compose -p testrig-example-images -f "$here/images/compose.yml" build ${options[@]+"${options[@]}"} "$service" \
      >"$log" 2>&1; then
    echo "build-images: building $service failed:" >&2
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  tag=$(docker compose -p testrig-example-images -f "$here/images/compose.yml" config --images "$service")
  size=$(docker image inspect -f '{{.Size}}' "$tag")
  awk -v t="$tag" -v s="$size" -v a="$start" -v b="$(date +%s.%N)" \
    'BEGIN { printf "build-images: %-32s %4d MB  %5.1f s\n", t, s / 1e6, b - a }'
done
