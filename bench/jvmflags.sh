#!/usr/bin/env bash
# Benchmark (not a test): JVM flag sets for the launchers, side by side in one run. Each argument
# is one set of extra flags, passed to bin/testrig through TESTRIG_JAVA_OPTS ("" = the launcher's
# own flags); every round runs each command once per set, the order of the sets rotating from
# round to round. Commands, all through bin/testrig with its class-data archives warm:
#
#   version   `testrig --version`
#   validate  `testrig validate` of a one-service rig (as bench/fixed.sh)
#   render    `testrig render` of 500 templates (bench/render.sh's rig), a long CPU-bound command;
#             "inside" is its render alone, timed inside the JVM (--timings, as bench/render.sh)
#   certs     `testrig certs` of a CA + 10 ecdsa-p256 leaves
#   up, down  `testrig up` / `down` of one service without a readiness wait (bench/fixed.sh's
#             stack), one engine-locked block per round (/tmp/testrig-engine.lock); ENGINE=0 skips
#
# Prints per command and set the median wall and CPU (user + sys) of the process, and the ratio
# to the first set. Why: issue 11 (fixed cost per command) against issue 2 (render and certs).
#
# Usage: bench/jvmflags.sh "" "-XX:CompileThresholdScaling=10" ...    REPS=10, ENGINE=1
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REPS=${REPS:-10}
ENGINE=${ENGINE:-1}
TESTRIG=${TESTRIG:-$ROOT/bin/testrig}
LOCK=/tmp/testrig-engine.lock
(($# >= 1)) || { echo "usage: $0 FLAGS... (\"\" for none)" >&2; exit 2; }
SETS=("$@")
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_engine_setup flags stack/compose.yml

mkdir -p "$WORK/certs"
bench_one_service "$WORK/stack" bench-flags
bench_render_rig "$WORK/render" 500
{
  printf '%s\n' 'certs:' '  ca: {key: ecdsa-p256}' '  issue:'
  for i in $(seq 0 9); do
    printf '    svc%s: {dns: [svc%s, localhost], ip: [127.0.0.1], usage: [server, client]}\n' "$i" "$i"
  done
} >"$WORK/certs/testrig.yml"

declare -A W C # "command set" -> samples (ms)
timed() { # command set-index argv...
  local t0
  rm -rf "$WORK/run"
  t0=${EPOCHREALTIME/./}
  TESTRIG_JAVA_OPTS=${SETS[$2]} /usr/bin/time -f '%U %S' -o "$WORK/cpu" "${@:3}" >"$WORK/out" 2>&1 ||
    { echo "bench: failed: ${*:3} with '${SETS[$2]}'" >&2; tail -5 "$WORK/out" >&2; exit 1; }
  W[$1 $2]="${W[$1 $2]:-} $(((${EPOCHREALTIME/./} - t0) / 1000))"
  C[$1 $2]="${C[$1 $2]:-} $(awk '{printf "%d", ($1 + $2) * 1000}' "$WORK/cpu")"
  # render --timings: the render itself, inside the JVM (as bench/render.sh measures it)
  if [[ $1 == render ]]; then
    W[inside $2]="${W[inside $2]:-} $(awk '/^render-ms/ {printf "%d", $2}' "$WORK/out")"
    C[inside $2]="${C[inside $2]:-} $(awk '/^render-cpu-ms/ {printf "%d", $2}' "$WORK/out")"
  fi
}
STACK=(-f "$WORK/stack/testrig.yml" -p "$P" --run-dir "$WORK/stackrun")
one() { # set-index: every command once
  timed version "$1" "$TESTRIG" --version
  timed validate "$1" "$TESTRIG" validate -f "$WORK/stack/testrig.yml"
  timed render "$1" "$TESTRIG" render -f "$WORK/render/testrig.yml" --run-dir "$WORK/run" --timings
  timed certs "$1" "$TESTRIG" certs -f "$WORK/certs/testrig.yml" --run-dir "$WORK/run"
}
updown() { # set-index
  timed up "$1" "$TESTRIG" up "${STACK[@]}"
  timed down "$1" "$TESTRIG" down "${STACK[@]}" --artifacts "$WORK/art"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench/jvmflags.sh: REPS=$REPS, ${#SETS[@]} flag sets; load $LOAD0 on $(nproc) cores" >&2
n=${#SETS[@]}
# Untimed: the first run of each command makes its class-data archive.
one 0
[[ $ENGINE != 1 ]] || { flock 9; updown 0; flock -u 9; }
W=() C=()
for ((r = 0; r < REPS; r++)); do
  for ((k = 0; k < n; k++)); do one $(((r + k) % n)); done
  if [[ $ENGINE == 1 ]]; then
    flock 9
    for ((k = 0; k < n; k++)); do updown $(((r + k) % n)); done
    flock -u 9
  fi
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "bench/jvmflags.sh: medians of $REPS rounds; $(java -version 2>&1 | head -1), $(nproc) cores, load average $LOAD0 at start, $LOAD1 at end"
echo
echo "| command | flags | wall | CPU | wall / first set | CPU / first set |"
echo "|---|---|---|---|---|---|"
cmds=(version validate render inside certs)
[[ $ENGINE != 1 ]] || cmds+=(up down)
for c in "${cmds[@]}"; do
  w0=$(med "${W[$c 0]}") c0=$(med "${C[$c 0]}")
  for ((k = 0; k < n; k++)); do
    awk -v c="$c" -v f="${SETS[$k]:-(launcher)}" -v w="$(med "${W[$c $k]}")" -v u="$(med "${C[$c $k]}")" \
      -v w0="$w0" -v c0="$c0" 'BEGIN {
        printf "| %s | `%s` | %.2f s | %.2f s | %.2f | %.2f |\n", c, f, w / 1000, u / 1000, w / w0, u / c0 }'
  done
done
