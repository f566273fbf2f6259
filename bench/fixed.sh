#!/usr/bin/env bash
# Benchmark (not a test): testrig's fixed cost per command, against the docker CLI doing the same
# work, side by side in one run (issue 11: each <= 0.3 s wall over the docker CLI).
#
#   --version   `testrig --version`                 vs `docker --version`
#   validate    `testrig validate -f <rig>`         vs `docker compose -f <file> config -q`
#   up          `testrig up` of one service that is ready when running (no healthcheck, so no
#               readiness wait on either side) vs `docker compose up -d` of the same file
#   down        `testrig down -p` of that stack     vs `docker compose down -v -t 0`
#
# Each pair runs REPS times alternating the order (A B, B A, ...); it prints the median wall and
# CPU (user + sys, children included) per command, the difference of the medians (the fixed cost)
# and the ratio. up and down pairs hold the engine lock (/tmp/testrig-engine.lock) per pair.
# The launcher is bin/testrig (or $TESTRIG); its first run of each command makes the command's
# class-data archive, so one untimed run of each goes first.
#
# Usage: bench/fixed.sh        REPS=7, ENGINE=0 to leave out up and down (no engine, no lock)
# Needs: bash, docker with the compose v2 plugin, java 17+, debian:trixie-slim, target/testrig.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REPS=${REPS:-7}
ENGINE=${ENGINE:-1}
TESTRIG=${TESTRIG:-$ROOT/bin/testrig}
LOCK=/tmp/testrig-engine.lock
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_engine_setup fixed compose.yml
bench_one_service "$WORK" bench-fixed

declare -A W C # key -> samples (ms)
timed() { # key command...: wall and CPU of one run
  local t0 out
  t0=${EPOCHREALTIME/./}
  /usr/bin/time -f '%U %S' -o "$WORK/cpu" "${@:2}" >>"$WORK/log" 2>&1 ||
    { echo "bench: failed: ${*:2}" >&2; tail -5 "$WORK/log" >&2; exit 1; }
  W[$1]="${W[$1]:-} $(((${EPOCHREALTIME/./} - t0) / 1000))"
  C[$1]="${C[$1]:-} $(awk '{printf "%d", ($1 + $2) * 1000}' "$WORK/cpu")"
}
# Arrays, not functions: /usr/bin/time runs a program.
TR_UP=("$TESTRIG" up -f "$WORK/testrig.yml" -p "$P" --run-dir "$WORK/run")
TR_DOWN=("$TESTRIG" down -f "$WORK/testrig.yml" -p "$P" --run-dir "$WORK/run" --artifacts "$WORK/art")
DC=(docker compose -p "$P" -f "$WORK/compose.yml")

pair() { # name, then A (testrig) and B (docker) as functions
  local r
  for ((r = 1; r <= REPS; r++)); do
    if ((r % 2)); then "$2" "$1.a"; "$3" "$1.b"; else "$3" "$1.b"; "$2" "$1.a"; fi
  done
}
ver_a() { timed "$1" "$TESTRIG" --version; }
ver_b() { timed "$1" docker --version; }
val_a() { timed "$1" "$TESTRIG" validate -f "$WORK/testrig.yml"; }
val_b() { timed "$1" docker compose -f "$WORK/compose.yml" config -q; }
# up and down are measured as one locked block per tool: up, then down of what it brought up.
stack_a() { flock 9; timed up.a "${TR_UP[@]}"; timed down.a "${TR_DOWN[@]}"; flock -u 9; }
stack_b() { flock 9; timed up.b "${DC[@]}" up -d; timed down.b "${DC[@]}" down -v -t 0; flock -u 9; }

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench/fixed.sh: REPS=$REPS, launcher $TESTRIG; load $LOAD0 on $(nproc) cores" >&2
"$TESTRIG" --version >/dev/null
"$TESTRIG" validate -f "$WORK/testrig.yml" >/dev/null
pair version ver_a ver_b
pair validate val_a val_b
if [[ $ENGINE == 1 ]]; then
  flock 9; "${TR_UP[@]}" >/dev/null 2>&1; "${TR_DOWN[@]}" >/dev/null 2>&1; flock -u 9
  for ((r = 1; r <= REPS; r++)); do
    if ((r % 2)); then stack_a; stack_b; else stack_b; stack_a; fi
  done
fi
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "bench/fixed.sh: medians of $REPS alternating runs; $(java -version 2>&1 | head -1), Docker $(docker version -f '{{.Server.Version}}'), $(nproc) cores, load average $LOAD0 at start, $LOAD1 at end"
echo
echo "| command | testrig wall | docker CLI | docker wall | fixed cost (wall difference) | ratio | testrig CPU | docker CPU |"
echo "|---|---|---|---|---|---|---|---|"
row() { # key, label, docker label
  local aw bw ac bc
  aw=$(med "${W[$1.a]}") bw=$(med "${W[$1.b]}") ac=$(med "${C[$1.a]}") bc=$(med "${C[$1.b]}")
  awk -v l="$2" -v d="$3" -v aw="$aw" -v bw="$bw" -v ac="$ac" -v bc="$bc" 'BEGIN {
    printf "| %s | %.2f s | %s | %.2f s | %.2f s | %.1f× | %.2f s | %.2f s |\n",
      l, aw / 1000, d, bw / 1000, (aw - bw) / 1000, aw / bw, ac / 1000, bc / 1000 }'
}
row version '`testrig --version`' '`docker --version`'
row validate '`testrig validate`' '`docker compose config -q`'
[[ $ENGINE != 1 ]] || row up '`testrig up` (1 service, no readiness wait)' '`docker compose up -d`'
[[ $ENGINE != 1 ]] || row down '`testrig down`' '`docker compose down -v -t 0`'
