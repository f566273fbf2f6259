#!/usr/bin/env bash
# Runs every test: unit tests, integration tests against a real engine, formatting check.
# Installs what the tests need on a Debian host (PostgreSQL, OpenSSL, xmllint, Docker engine,
# compose plugin, a local debian:trixie-slim base image) when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-host.sh
bash scripts/setup-engine.sh
# The run-level and image tests use the example images (cached by tag after the first build).
bash examples/build-images.sh
mvn -B -ntp spotless:check verify "$@"
