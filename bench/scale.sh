#!/usr/bin/env bash
# Benchmark (not a test): bring-up and teardown of stacks of N services, testrig against the engine's
# own limit and against plain Docker Compose, side by side in one run (issue 11).
#
# Every service runs a local image this script builds (testrig-bench/ready:1, FROM
# debian:trixie-slim) that becomes ready 1.5 s after its start (it creates /tmp/ready); the
# healthcheck `test -f /tmp/ready` has an interval of 5 s. For each N, REPS times, alternating the
# order (A B C, C B A, ...):
#   floor     `docker compose up -d` (no wait) + the services' own 1.5 s readiness delay: what no
#             tool can beat; then `docker compose down -v -t 0` (timed: the teardown baseline)
#   wait      `docker compose up -d --wait` (then an untimed down)
#   testrig   `testrig up` then `testrig down` (bin/testrig, or $TESTRIG), with
#             TESTRIG_TRACE_CALLS=1: the number of `docker compose` processes and `docker exec`
#             calls each command made
# After every teardown it checks whether the stack's network is still there (dockerd 20.10
# sometimes keeps counting an endpoint after tens of containers went at once; see
# docs/troubleshooting.md) and prints the count per tool and N. A `testrig down` that fails for
# that reason is counted, left out of the times (it waited 30 s for the count to drop), and the
# run goes on; any other failure stops it.
# All runs of one N hold the engine lock (/tmp/testrig-engine.lock) together, so other work on the
# shared engine does not run inside a measured block (other CPU load still does: see the load).
# Also: peak RSS of one `testrig run` of the N=30 stack with a one-testcase suite (/usr/bin/time).
#
# Usage: bench/scale.sh [--quick]     N="1 10 30 60" REPS=3 (--quick: N="1 10"), RSS=0 to skip,
#        LOCK_ALL=1 to hold the engine lock for the whole run instead of per N
# Rows are printed as each N is done.
# Prints a markdown table of medians (seconds) and ratios, and the load average before and after.
# Needs: bash, docker with the compose v2 plugin, java 17+, debian:trixie-slim, target/testrig.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NS=${N:-"1 10 30 60"}
[[ ${1:-} != --quick ]] || NS=${N:-"1 10"}
REPS=${REPS:-3}
RSS=${RSS:-1}
TESTRIG=${TESTRIG:-$ROOT/bin/testrig}
IMAGE=testrig-bench/ready:1
DELAY=1.5
LOCK=/tmp/testrig-engine.lock

[[ -f target/testrig.jar ]] || mvn -B -q -o -DskipTests package
ID=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
PREFIX=bench-$ID
WORK=$(mktemp -d)
log() { printf '%s\n' "$*" >&2; }
now_us() { echo "${EPOCHREALTIME/./}"; }
ms_since() { echo $((($(now_us) - $1) / 1000)); }

exec 9>>"$LOCK"
cleanup() {
  local p
  trap - EXIT INT TERM
  flock 9
  for p in $(docker ps -a --format '{{.Label "com.docker.compose.project"}}' | grep "^$PREFIX-" | sort -u); do
    docker ps -aq --filter "label=com.docker.compose.project=$p" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
    docker network ls -q --filter "label=com.docker.compose.project=$p" | xargs -r docker network rm >/dev/null 2>&1 || true
  done
  flock -u 9
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

flock 9
docker image inspect "$IMAGE" >/dev/null 2>&1 || {
  log "bench: building $IMAGE"
  printf '%s\n' 'FROM debian:trixie-slim' \
    "CMD [\"sh\", \"-c\", \"sleep $DELAY && touch /tmp/ready && exec sleep infinity\"]" |
    docker build -q -t "$IMAGE" - >/dev/null 2>&1
}
flock -u 9

stack() { # N: writes $WORK/nN/{compose.yml,testrig.yml}
  local n=$1 d=$WORK/n$1 i
  mkdir -p "$d"
  {
    echo "services:"
    for ((i = 1; i <= n; i++)); do
      cat <<EOF
  s$i:
    image: $IMAGE
    healthcheck: {test: ["CMD", "test", "-f", "/tmp/ready"], interval: 5s, timeout: 3s, retries: 10}
EOF
    done
    cat <<EOF
  tests:
    image: $IMAGE
    profiles: [test]
EOF
  } >"$d/compose.yml"
  cat >"$d/testrig.yml" <<EOF
name: bench-scale$n
stack:
  files: [compose.yml]
  timeout: 120s
suites:
  - name: smoke
    image: $IMAGE
    command: [sh, -c, "mkdir -p /reports && echo '<testsuite name=\"s\" tests=\"1\"><testcase name=\"t\"/></testsuite>' >/reports/TEST-s.xml"]
EOF
}

declare -A S # key -> space-separated samples (ms or counts)
add() { S[$1]="${S[$1]:-} $2"; }

dc() { docker compose -p "$1" -f "$WORK/n$2/compose.yml" "${@:3}"; }

# left KEY PROJECT: 1 under KEY when the project's network outlived its teardown, else 0.
left() { if [[ -n $(docker network ls -q --filter "name=^$2_default\$") ]]; then add "$1" 1; else add "$1" 0; fi; }
run_floor() { # n rep
  local p=$PREFIX-f$1-$2 t
  t=$(now_us); dc "$p" "$1" up -d >>"$WORK/log" 2>&1; add "floor$1" $(($(ms_since "$t") + 1500))
  t=$(now_us); dc "$p" "$1" down -v -t 0 >>"$WORK/log" 2>&1; add "dcdown$1" "$(ms_since "$t")"
  left "dcleft$1" "$p"
}
run_wait() {
  local p=$PREFIX-w$1-$2 t
  t=$(now_us); dc "$p" "$1" up -d --wait >>"$WORK/log" 2>&1; add "wait$1" "$(ms_since "$t")"
  dc "$p" "$1" down -v -t 0 >>"$WORK/log" 2>&1
  left "dcleft$1" "$p"
}
count() { sed -n 's/^testrig: calls: compose=\([0-9]*\) exec=\([0-9]*\)$/\1 \2/p' "$1"; }
run_testrig() {
  local p=$PREFIX-t$1-$2 t c
  t=$(now_us)
  TESTRIG_TRACE_CALLS=1 "$TESTRIG" up -f "$WORK/n$1/testrig.yml" -p "$p" --run-dir "$WORK/run-$p" \
    >"$WORK/up.out" 2>"$WORK/up.err" || { cat "$WORK/up.out" "$WORK/up.err" >&2; exit 1; }
  add "trup$1" "$(ms_since "$t")"
  t=$(now_us)
  if TESTRIG_TRACE_CALLS=1 "$TESTRIG" down -f "$WORK/n$1/testrig.yml" -p "$p" --run-dir "$WORK/run-$p" \
    --artifacts "$WORK/art-$p" >"$WORK/down.out" 2>"$WORK/down.err"; then
    add "trdown$1" "$(ms_since "$t")"
  elif grep -q 'has active endpoints' "$WORK/down.err"; then
    log "  N=$1: dockerd kept $p's network (counted below)"
  else
    cat "$WORK/down.err" >&2; exit 1
  fi
  left "trleft$1" "$p"
  c=($(count "$WORK/up.err")); add "upcompose$1" "${c[0]}"; add "upexec$1" "${c[1]}"
  c=($(count "$WORK/down.err")); add "downcompose$1" "${c[0]}"; add "downexec$1" "${c[1]}"
}

med() { tr ' ' '\n' <<<"${S[$1]:-}" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {if (NR) print a[int((NR+1)/2)]; else print ""}'; }
sec() { awk -v m="$1" 'BEGIN {printf "%.2f s", m / 1000}'; }
rat() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f×", a / b}'; }
of() { tr ' ' '\n' <<<"${S[$1]:-}" | awk '$1 != "" {s += $1; n++} END {printf "%d of %d", s, n}'; }
row() { # N: one table row, printed as soon as that N is measured
  local n=$1 f w u cd td
  f=$(med "floor$n") w=$(med "wait$n") u=$(med "trup$n") cd=$(med "dcdown$n") td=$(med "trdown$n")
  echo "| $n | $(sec "$f") | $(sec "$w") | $(sec "$u") | $(rat "$u" "$f") | $(rat "$u" "$w") | $(sec "$cd") | $(sec "$td") | $(rat "$td" "$cd") | $(med "upcompose$n"), $(med "upexec$n") | $(med "downcompose$n"), $(med "downexec$n") |"
}
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(now_us)
log "bench $PREFIX: N='$NS' REPS=$REPS, launcher $TESTRIG; load $LOAD0 on $(nproc) cores"
# One untimed testrig up/down first: a launcher that keeps a class-data archive per command makes
# it here, as any first use on a machine would.
stack 1
"$TESTRIG" --version >/dev/null
echo "| N | floor (up -d + ${DELAY} s) | compose up -d --wait | testrig up | up / floor | up / --wait | compose down -v -t 0 | testrig down | down ratio | compose, exec calls: up | down |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
[[ -z ${LOCK_ALL:-} ]] || flock 9
for n in $NS; do
  stack "$n"
  [[ -n ${LOCK_ALL:-} ]] || flock 9 # one N at a time: 1-4 minutes
  for ((r = 1; r <= REPS; r++)); do
    order=(floor wait testrig)
    ((r % 2)) || order=(testrig wait floor)
    [[ $r -gt 1 || $n != "${NS%% *}" ]] || { run_testrig "$n" 0; S=(); }
    for o in "${order[@]}"; do "run_$o" "$n" "$r"; done
    log "  N=$n rep $r done ($((($(now_us) - START) / 1000000)) s)"
  done
  [[ -n ${LOCK_ALL:-} ]] || flock -u 9
  row "$n"
done
echo
echo "Networks left behind by a teardown (dockerd's endpoint count; they go with a dockerd restart):"
for n in $NS; do echo "- N=$n: compose $(of "dcleft$n"), testrig $(of "trleft$n")"; done

if [[ $RSS == 1 ]]; then
  stack 30
  [[ -n ${LOCK_ALL:-} ]] || flock 9
  if /usr/bin/time -f '%M' -o "$WORK/rss" "$TESTRIG" run -f "$WORK/n30/testrig.yml" -p "$PREFIX-rss" \
    --artifacts "$WORK/art-rss" >"$WORK/run.out" 2>&1; then
    echo; echo "peak RSS of \`testrig run\` on the 30-service stack: $(($(tail -1 "$WORK/rss") / 1024)) MB"
  else
    echo; echo "testrig run of the 30-service stack failed:"; tail -5 "$WORK/run.out"
  fi
  flock -u 9
fi
echo
echo "bench/scale.sh $PREFIX: medians of $REPS alternating runs; Docker $(docker version -f '{{.Server.Version}}'), $(docker compose version --short), $(java -version 2>&1 | head -1); $(nproc) cores, load average $LOAD0 at start, $(cut -d' ' -f1-3 /proc/loadavg) at end; $((($(now_us) - START) / 1000000)) s"
