#!/usr/bin/env bash
# Builds every image the examples use, locally, from debian:trixie-slim and Debian's packages
# (no container registry needed). Idempotent and fast when cached: Docker's layer cache turns a
# rerun into a cache check of a few seconds. The compose files name the same tags with a `build:`
# section, so `docker compose up` also builds a missing image; this script is the explicit way,
# and the way to pick up a changed Dockerfile (compose does not rebuild an image that exists).
#
# Usage: examples/build-images.sh [docker build options, e.g. --no-cache or --pull]
# Tags:  testrig-example/postgres:17, testrig-example/python:trixie, testrig-example/nginx:trixie
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
context=$here/images
base=debian:trixie-slim

if ! docker image inspect "$base" >/dev/null 2>&1; then
  # Pulls it when a registry answers, otherwise builds it with mmdebstrap + docker import.
  echo "build-images: $base missing; providing it with scripts/setup-engine.sh" >&2
  "$here/../scripts/setup-engine.sh"
fi

# tag | Dockerfile (relative to the context) | build args
images=(
  "testrig-example/postgres:17|postgres/Dockerfile|--build-arg PG_MAJOR=17"
  "testrig-example/python:trixie|python/Dockerfile|"
  "testrig-example/nginx:trixie|nginx/Dockerfile|"
)

for entry in "${images[@]}"; do
  IFS='|' read -r tag dockerfile args <<<"$entry"
  start=$(date +%s.%N)
  log=$(mktemp)
  # shellcheck disable=SC2086 # args is a list of words by design
  if ! docker build -q -t "$tag" -f "$context/$dockerfile" $args "$@" "$context" >"$log" 2>&1; then
    echo "build-images: building $tag failed:" >&2
    cat "$log" >&2
    rm -f "$log"
    exit 1
  fi
  rm -f "$log"
  size=$(docker image inspect -f '{{.Size}}' "$tag")
  awk -v t="$tag" -v s="$size" -v a="$start" -v b="$(date +%s.%N)" \
    'BEGIN { printf "build-images: %-32s %4d MB  %5.1f s\n", t, s / 1e6, b - a }'
done
