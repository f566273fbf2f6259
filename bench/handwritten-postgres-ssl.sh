#!/usr/bin/env bash
# The hand-written equivalent of `testrig run -f examples/postgres-ssl/testrig.yml --only <config>`
# that bench/stack.sh times against testrig: what a team writes without testrig, given configs and
# certs that are already rendered (bench/stack.sh prepares RUN_DIR once, before timing, with
# `testrig certs` + `testrig render`, so this script times only the stack and the suite):
#
#   docker compose up --wait postgres               (the engine's healthcheck, interval 5 s)
#   docker compose run --rm tests-pytest            (the pytest suite, JUnit XML to REPORT_DIR)
#   docker compose down -v
#
# Usage: bench/handwritten-postgres-ssl.sh RUN_DIR PROJECT REPORT_DIR
# Prints `up-ms N`, `suite-ms N`, `down-ms N` (wall time of each step, in ms) on stdout; compose's
# own output goes to REPORT_DIR/compose.log. Exit code: the suite's (0 all passed), or compose's.
set -euo pipefail

[[ $# -eq 3 ]] || { echo "usage: $0 RUN_DIR PROJECT REPORT_DIR" >&2; exit 2; }
export TESTRIG_RUN_DIR=$1 # compose.yml mounts the rendered files and certs from there
project=$2
reports=$3
compose_file="$(cd "$(dirname "$0")/.." && pwd)/examples/postgres-ssl/compose.yml"
mkdir -p "$reports"
log=$reports/compose.log

dc() { docker compose -p "$project" -f "$compose_file" "$@"; }
now_us() { echo "${EPOCHREALTIME/./}"; } # bash builtin: no fork, microseconds

down_done=false
# A failed step must not leave the stack behind.
trap '$down_done || dc down -v -t 0 >>"$log" 2>&1 || true' EXIT

t0=$(now_us)
dc up --wait postgres >>"$log" 2>&1
t1=$(now_us)
rc=0
dc --profile tests run --rm -T -v "$reports:/reports" tests-pytest >>"$log" 2>&1 || rc=$?
t2=$(now_us)
dc down -v >>"$log" 2>&1
down_done=true
t3=$(now_us)

echo "up-ms $(((t1 - t0) / 1000))"
echo "suite-ms $(((t2 - t1) / 1000))"
echo "down-ms $(((t3 - t2) / 1000))"
exit "$rc"
