#!/usr/bin/env bash
# Benchmark (not a test; never part of the test suite): testrig side by side with plain Docker
# Compose, in one run, on this machine's engine. Prints one table of min / median / max per figure
# and the ratio of the medians (testrig / baseline: below 1 means testrig is faster).
#
#   ready   time-to-ready of bench/stacks/ready1s (one service, ready ~1 s after its start) with a
#           healthcheck interval of 5 s and of 30 s: `testrig up` against `docker compose up --wait`
#           and against a tight external probe (`docker exec <c> test -f /tmp/ready` every 50 ms,
#           started before the container, so it first succeeds right after the service is ready).
#           Readiness is timed from the container's State.StartedAt to the moment the tool says
#           ready (the stamped `svc: ready` line for testrig, its exit for compose), which leaves
#           out JVM start and container creation; testrig's own "ready after N ms" and both
#           commands' wall times are printed too.
#   down    teardown of the same stack: `testrig down -p` against `docker compose down -v`.
#   run     `testrig run -f examples/postgres-ssl/testrig.yml --only <config>` against
#           bench/handwritten-postgres-ssl.sh (openssl secrets and certs, envsubst templates,
#           compose up --wait, compose run of the suite, compose down -v, wipe); plus testrig's
#           phase testcases from its JUnit XML against the script's steps.
#   matrix  all 4 configs of examples/postgres-ssl with --parallel 2 and --parallel 4 against one.
#
# Usage: bench/stack.sh            REPS=3 (per figure), PARTS="ready run" (ready+down, run+matrix),
#                                  INTERVALS="5s 30s", LOGS=DIR (keep outputs and reports there)
# Needs: bash, docker with the compose v2 plugin, java 17+, the example images
# (examples/build-images.sh) and debian:trixie-slim. Takes 8-9 minutes on 2 cores.
# Timestamps come from bash's EPOCHREALTIME (microseconds, no fork); the engine's StartedAt is read
# with docker inspect and converted with `date +%s%N`. Everything it creates is named
# bench-<id>-... and removed on exit, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JAR=$ROOT/target/testrig.jar
REPS=${REPS:-3}
PARTS=${PARTS:-"ready run"}
INTERVALS=${INTERVALS:-"5s 30s"}
[[ -z ${LOGS:-} ]] || LOGS=$(realpath -m "$LOGS")
READY_DIR=$ROOT/bench/stacks/ready1s
PG_RIG=$ROOT/examples/postgres-ssl/testrig.yml
# The config whose values are the rig's defaults, so `testrig render` without a matrix overlay
# renders exactly what `--only` runs.
ONE='ssl.min_protocol=TLSv1.2,features.client_cert=true'

[[ -f $JAR ]] || mvn -B -q -o -DskipTests package
for img in debian:trixie-slim testrig-example/postgres:17 testrig-example/python:trixie; do
  docker image inspect "$img" >/dev/null 2>&1 ||
    { echo "bench: image $img missing; run examples/build-images.sh" >&2; exit 3; }
done

ID=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
PREFIX=bench-$ID
if [[ -d /dev/shm && -w /dev/shm ]]; then
  WORK=$(mktemp -d /dev/shm/testrig-bench.XXXXXX)
else
  WORK=$(mktemp -d)
fi
PIDS=()

# JAVA_OPTS: e.g. an AppCDS archive, to bench a tuned launcher; default: plain `java -jar`.
# shellcheck disable=SC2086
testrig() { java ${JAVA_OPTS:-} -jar "$JAR" "$@"; }
stamp() { # prefixes every line with the time it arrived, in microseconds (testrig flushes each line)
  local line
  while IFS= read -r line; do printf '%s %s\n' "$(now_us)" "$line"; done
}
# phase_ms LOG FROM TO: ms between the first stamped line starting with FROM and the next one
# starting with TO
phase_ms() {
  awk -v a="$2" -v b="$3" '
    { t = $1; sub(/^[0-9]+ /, "") }
    s == "" && index($0, a) == 1 { s = t; next }
    s != "" && index($0, b) == 1 { printf "%d", (t - s) / 1000; exit }' "$1"
}
now_us() { echo "${EPOCHREALTIME/./}"; }
log() { printf '%s\n' "$*" >&2; }

cleanup() {
  local rc=$? p
  trap - EXIT INT TERM
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  # Every container, network and volume of a project named bench-<id>-*, whoever created it.
  local projects
  projects=$( {
    docker ps -a --format '{{.Label "com.docker.compose.project"}}'
    docker network ls --format '{{.Label "com.docker.compose.project"}}'
    docker volume ls --format '{{.Label "com.docker.compose.project"}}'
  } 2>/dev/null | grep "^$PREFIX-" | sort -u || true)
  for p in $projects; do
    log "bench: removing leftover project $p"
    docker ps -aq --filter "label=com.docker.compose.project=$p" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
    docker network ls -q --filter "label=com.docker.compose.project=$p" | xargs -r docker network rm >/dev/null 2>&1 || true
    docker volume ls -q --filter "label=com.docker.compose.project=$p" | xargs -r docker volume rm -f >/dev/null 2>&1 || true
  done
  if [[ -n ${LOGS:-} ]]; then # keep the commands' output and testrig's reports (no secrets)
    mkdir -p "$LOGS"
    # (the hand-written suite's XML is not redacted: left out)
    (cd "$WORK" && find . \( -name '*.log' -o -name '*.xml' \) ! -path '*-hand-*/*.xml' -print |
      xargs -r cp --parents -t "$LOGS") 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- samples: S[key] is a space-separated list of milliseconds ----
declare -A S
add() { S[$1]="${S[$1]:-} $2"; }
# min median max (times FACTOR, default 1), in seconds with two decimals
stats() {
  tr ' ' '\n' <<<"${S[$1]:-}" | awk NF | sort -n | awk -v k="${2:-1}" '
    { v[NR] = $1 * k }
    END {
      if (NR == 0) { print "-"; exit }
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.2f / %.2f / %.2f", v[1] / 1000, m / 1000, v[NR] / 1000
    }'
}
median() {
  tr ' ' '\n' <<<"${S[$1]:-}" | awk NF | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() {
  awk -v a="$(median "$1")" -v b="$(median "$2")" -v k="${3:-1}" \
    'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / (b * k) }'
}
started_us() { # the engine's State.StartedAt of a container, in microseconds
  date -d "$(docker inspect -f '{{.State.StartedAt}}' "$1")" +%s%N | sed 's/...$//'
}
# junit_time FILE NAME-PREFIX: the time (ms) of the first testcase whose name starts with it
junit_time() {
  grep -F "name=\"$2" "$1" | head -1 | sed -E 's/.*time="([0-9.]+)".*/\1/' |
    awk '{ printf "%d", $1 * 1000 }'
}

# A tight external probe: the healthcheck's test through docker exec every 50 ms, started before
# the container exists; writes the time of its first success to $2.
probe() {
  local c=$1 f=$2 deadline=$(($(now_us) + 120000000))
  while (($(now_us) < deadline)); do
    if docker exec "$c" test -f /tmp/ready >/dev/null 2>&1; then
      now_us >"$f"
      return
    fi
    sleep 0.05
  done
}

# ---- part 1 and 2: readiness and teardown of bench/stacks/ready1s ----
ready_testrig() { # interval rep
  local i=$1 r=$2 p=$PREFIX-tr$1-$2 t0 t1 t2 t3 line ms
  t0=$(now_us)
  BENCH_INTERVAL=$i testrig up -f "$READY_DIR/testrig.yml" -p "$p" --artifacts "$WORK/art-$p" 2>&1 |
    stamp >"$WORK/$p.log"
  t1=$(now_us)
  line=$(grep -m1 ' svc: ready' "$WORK/$p.log") ||
    { log "bench: testrig up printed no ready line:"; cat "$WORK/$p.log" >&2; exit 1; }
  ms=$(sed -E 's/.*ready after ([0-9]+) ms.*/\1/' <<<"$line")
  add "ready$i.tr.reported" "$ms"
  add "ready$i.tr.start" $(((${line%% *} - $(started_us "$p-svc-1")) / 1000))
  add "ready$i.tr.wall" $(((t1 - t0) / 1000))
  t2=$(now_us)
  testrig down -p "$p" --artifacts "$WORK/art-$p" >>"$WORK/$p.log" 2>&1
  t3=$(now_us)
  add "down$i.tr.wall" $(((t3 - t2) / 1000))
  log "  testrig  interval $i rep $r: up $(((t1 - t0) / 1000)) ms (ready after ${ms} ms), down $(((t3 - t2) / 1000)) ms"
}

ready_compose() { # interval rep
  local i=$1 r=$2 p=$PREFIX-dc$1-$2 t0 t1 t2 t3 st pr
  local dc=(docker compose -p "$p" -f "$READY_DIR/compose.yml")
  probe "$p-svc-1" "$WORK/$p.probe" &
  PIDS+=($!)
  t0=$(now_us)
  BENCH_INTERVAL=$i "${dc[@]}" up --wait >"$WORK/$p.log" 2>&1
  t1=$(now_us)
  wait "${PIDS[-1]}" || true
  st=$(started_us "$p-svc-1")
  [[ -s $WORK/$p.probe ]] || { log "bench: the probe never succeeded on $p"; exit 1; }
  pr=$(($(cat "$WORK/$p.probe") - st))
  add "ready$i.dc.start" $(((t1 - st) / 1000))
  add "ready$i.dc.wall" $(((t1 - t0) / 1000))
  add "ready$i.probe.start" $((pr / 1000))
  t2=$(now_us)
  BENCH_INTERVAL=$i "${dc[@]}" down -v >>"$WORK/$p.log" 2>&1
  t3=$(now_us)
  add "down$i.dc.wall" $(((t3 - t2) / 1000))
  log "  compose  interval $i rep $r: up --wait $(((t1 - t0) / 1000)) ms ($(((t1 - st) / 1000)) ms after start; probe $((pr / 1000)) ms), down -v $(((t3 - t2) / 1000)) ms"
}

# ---- part 3 and 4: examples/postgres-ssl ----
run_hand() { # rep
  local p=$PREFIX-hand-$1 t0 t1 out
  t0=$(now_us)
  out=$(bench/handwritten-postgres-ssl.sh "$p" "$WORK/$p") ||
    { log "bench: the hand-written script failed (log: $WORK/$p/compose.log)"; cat "$WORK/$p/compose.log" >&2; exit 1; }
  t1=$(now_us)
  grep -q 'failures="0"' "$WORK/$p/postgres-ssl.xml" || { log "bench: hand-written suite failed"; exit 1; }
  add run.hand.wall $(((t1 - t0) / 1000))
  add run.hand.prepare "$(awk '$1 == "prepare-ms" { print $2 }' <<<"$out")"
  add run.hand.up "$(awk '$1 == "up-ms" { print $2 }' <<<"$out")"
  add run.hand.suite "$(awk '$1 == "suite-ms" { print $2 }' <<<"$out")"
  add run.hand.down "$(awk '$1 == "down-ms" { print $2 }' <<<"$out")"
  log "  hand-written     rep $1: $(((t1 - t0) / 1000)) ms ($(tr '\n' ' ' <<<"$out"))"
}

run_testrig() { # rep, key, then testrig run options
  local r=$1 k=$2 p=$PREFIX-$2-$1 t0 t1 x l up suite down
  shift 2
  t0=$(now_us)
  testrig run -f "$PG_RIG" -p "$p" --artifacts "$WORK/$p" "$@" 2>&1 | stamp >"$WORK/$p.log" ||
    { log "bench: testrig run $* failed:"; cat "$WORK/$p.log" >&2; exit 1; }
  t1=$(now_us)
  add "run.$k.wall" $(((t1 - t0) / 1000))
  x=$WORK/$p/junit.xml
  l=$WORK/$p.log
  if [[ $k == one ]]; then
    # Whole phases from testrig's own (flushed) ==> / <== lines, stamped on arrival: stack up
    # includes compose config and create, like `compose up --wait` does.
    up=$(phase_ms "$l" "==> Bringing the stack up" "<== up")
    suite=$(phase_ms "$l" "==> Running suite" "<== suite-")
    down=$(phase_ms "$l" "==> Tearing down" "<== teardown")
    add run.one.prepare "$(phase_ms "$l" "==> Issuing certs" "<== prepare")"
    add run.one.up "$up"
    add run.one.suite "$suite"
    add run.one.down "$down"
    add run.one.phases $((up + suite + down))
    add run.one.svc "$(junit_time "$x" "stack up: postgres")"
    add run.one.junitdown "$(junit_time "$x" "teardown")"
  fi
  log "  testrig run $k rep $r: $(((t1 - t0) / 1000)) ms"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
OTHERS=$(docker ps -q | wc -l)
START=$(now_us)
log "bench $PREFIX: REPS=$REPS PARTS='$PARTS' INTERVALS='$INTERVALS'; load $LOAD0 on $(nproc) cores, $OTHERS other containers running"

if [[ " $PARTS " == *" ready "* ]]; then
  for i in $INTERVALS; do
    log "readiness and teardown, healthcheck interval $i"
    for r in $(seq 1 "$REPS"); do
      if ((r % 2)); then ready_testrig "$i" "$r"; ready_compose "$i" "$r"
      else ready_compose "$i" "$r"; ready_testrig "$i" "$r"; fi
    done
  done
fi

if [[ " $PARTS " == *" run "* ]]; then
  for r in $(seq 1 "$REPS"); do
    steps=(hand one m2 m4)
    ((r % 2)) || steps=(m4 m2 one hand)
    for s in "${steps[@]}"; do
      case $s in
        hand) run_hand "$r" ;;
        one) run_testrig "$r" one --only "$ONE" ;;
        m2) run_testrig "$r" m2 --parallel 2 ;;
        m4) run_testrig "$r" m4 --parallel 4 ;;
      esac
    done
  done
fi

LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
TOTAL=$((($(now_us) - START) / 1000000))

# ---- the table ----
row() { # figure, testrig key, baseline name, baseline key [, baseline factor]
  local b="-" rt="-"
  if [[ -n ${4:-} ]]; then b=$(stats "$4" "${5:-1}"); rt=$(ratio "$2" "$4" "${5:-1}"); fi
  [[ -n ${S[$2]:-} ]] || return 0
  printf '| %s | %s | %s | %s | %s |\n' "$1" "$(stats "$2")" "${3:--}" "$b" "$rt"
}
echo
echo "bench $PREFIX: $REPS reps, Docker $(docker version -f "{{.Server.Version}}"), $(docker compose version --short), $(java -version 2>&1 | head -1), $(nproc) cores, load average $LOAD0 at start, $LOAD1 at end, $OTHERS other containers running, ${TOTAL} s"
echo
echo "| figure | testrig s (min / median / max) | baseline | baseline s (min / median / max) | ratio of medians |"
echo "| --- | --- | --- | --- | --- |"
for i in $INTERVALS; do
  row "ready, interval $i: container start -> ready" "ready$i.tr.start" "compose up --wait" "ready$i.dc.start"
  row "ready, interval $i: container start -> ready" "ready$i.tr.start" "external probe, 50 ms" "ready$i.probe.start"
  row "ready, interval $i: testrig's \"ready after N ms\" (from its start request)" "ready$i.tr.reported" "external probe, 50 ms" "ready$i.probe.start"
  row "ready, interval $i: whole command (wall, JVM incl.)" "ready$i.tr.wall" "compose up --wait" "ready$i.dc.wall"
  row "teardown, interval $i: testrig down (wall, JVM incl.)" "down$i.tr.wall" "compose down -v" "down$i.dc.wall"
done
row "postgres-ssl, 1 config: testrig run --only (wall, JVM incl.)" run.one.wall "hand-written script" run.hand.wall
row "postgres-ssl: phases stack up + suite + teardown" run.one.phases "hand-written script" run.hand.wall
row "postgres-ssl: phase stack up (config, create, start, ready)" run.one.up "compose up --wait" run.hand.up
row "postgres-ssl: postgres start -> ready (JUnit stack up: postgres)" run.one.svc "" ""
row "postgres-ssl: phase suite" run.one.suite "compose run --rm" run.hand.suite
row "postgres-ssl: phase teardown (+ secrets wipe)" run.one.down "compose down -v" run.hand.down
row "postgres-ssl: teardown testcase (JUnit)" run.one.junitdown "compose down -v" run.hand.down
row "postgres-ssl: phase certs and templates" run.one.prepare "openssl + envsubst" run.hand.prepare
row "postgres-ssl, 4 configs --parallel 2 (wall)" run.m2.wall "1 config" run.one.wall
row "postgres-ssl, 4 configs --parallel 4 (wall)" run.m4.wall "1 config" run.one.wall
row "postgres-ssl, 4 configs --parallel 2 (wall)" run.m2.wall "4 x 1 config (sequential)" run.one.wall 4
row "postgres-ssl, 4 configs --parallel 4 (wall)" run.m4.wall "4 x 1 config (sequential)" run.one.wall 4
