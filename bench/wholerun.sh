#!/usr/bin/env bash
# Benchmark (not a test): issue 11's whole-run goals on examples/postgres-ssl, side by side in one
# run, alternating the order (A B C, C B A, ...), medians of REPS (>= 3):
#
#   one      `testrig run -f examples/postgres-ssl/testrig.yml --only tlsv1_2-true` (bin/testrig:
#            certs, templates, stack up, pytest suite, JUnit XML, teardown, wipe) against
#            bench/handwritten-postgres-ssl.sh doing the same work by hand (openssl secrets and
#            certs, envsubst templates, compose up -d --wait, compose run of the suite, compose
#            down -v, wipe): ratio testrig / script, goal <= 0.6
#   matrix   all 4 configs (`testrig run` without --only, testrig's default --parallel) against
#            one config: ratio matrix / one, goal <= 1.5
#
# and the phases that explain the gap: certs and templates, bring-up, suite and teardown of each
# side (testrig's from its own `==>` / `<==` lines, stamped as they arrive; the script's from its
# step times), plus testrig's time before its first phase (JVM start, rig, engine connection) and
# after its last (report); for the matrix, the median of each phase over its configs (contention
# shows there) and how many configs' worth of phase time overlapped (sum of phases / wall).
#
# Every measured block (one command) holds the engine lock (/tmp/testrig-engine.lock), released in
# between. It builds the images it uses first (examples/build-images.sh postgres python, a cache
# check when they exist) and runs each side once, untimed, so bin/testrig's class-data archive
# for `run` exists, as on any machine after the first run.
#
# Usage: bench/wholerun.sh      REPS=3, TESTRIG=bin/testrig, LOGS=DIR (keep outputs and reports),
#                               PARALLEL=N (matrix --parallel; default: testrig's own default),
#                               BASE_JAR=FILE (another build of testrig.jar, e.g. main's: its one
#                               config and matrix are measured in the same rounds, for a before /
#                               after side by side; bin/testrig runs it through TESTRIG_JAR),
#                               BASE_PARALLEL=N (BASE_JAR's matrix --parallel; default: PARALLEL;
#                               BASE_JAR=target/testrig.jar with PARALLEL and BASE_PARALLEL
#                               compares two --parallel values of one build)
# Needs: bash, docker with the compose v2 plugin, openssl, envsubst, java 17+; builds
# target/testrig.jar when missing. About 2 minutes per rep on 2 cores. Everything it creates is
# named bench-<id>-... and removed on exit, also on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REPS=${REPS:-3}
TESTRIG=${TESTRIG:-$ROOT/bin/testrig}
RIG=examples/postgres-ssl/testrig.yml
ONLY=tlsv1_2-true # the rig's default values: what the script renders without arguments
LOCK=/tmp/testrig-engine.lock
BASE_PARALLEL=${BASE_PARALLEL:-${PARALLEL:-}}
[[ -z ${LOGS:-} ]] || LOGS=$(realpath -m "$LOGS")
((REPS >= 3)) || { echo "bench: REPS must be at least 3 (medians of >= 3)" >&2; exit 2; }

[[ -f target/testrig.jar ]] || mvn -B -q -o -DskipTests package
for tool in docker openssl envsubst java; do
  command -v "$tool" >/dev/null || { echo "bench: $tool missing" >&2; exit 3; }
done

ID=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
PREFIX=bench-$ID
WORK=$(mktemp -d)
exec 9>>"$LOCK"

now_us() { echo "${EPOCHREALTIME/./}"; }
log() { printf '%s\n' "$*" >&2; }
# Prefixes each line with the time it arrived (µs; testrig flushes every line). No fork per line.
stamp() {
  local line
  while IFS= read -r line; do printf '%s %s\n' "${EPOCHREALTIME/./}" "$line"; done
}

cleanup() {
  local rc=$? p projects
  trap - EXIT INT TERM
  [[ -z ${CPU_POLL:-} ]] || kill "$CPU_POLL" 2>/dev/null || true
  flock 9
  # Every container, network and volume of a project named bench-<id>-*, whoever created it.
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
  flock -u 9
  if [[ -n ${LOGS:-} ]]; then # testrig's console and reports (secrets masked); not the script's XML
    mkdir -p "$LOGS"
    (cd "$WORK" && find . \( -name '*.log' -o -name 'junit.xml' \) ! -path './hand-*' -print |
      xargs -r cp --parents -t "$LOGS") 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- samples: S[key] is a space-separated list of milliseconds ----
declare -A S
add() { [[ -z ${2:-} ]] || S[$1]="${S[$1]:-} $2"; }
median() {
  tr ' ' '\n' <<<"${S[$1]:-}" | awk NF | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
stats() { # min / median / max in seconds
  tr ' ' '\n' <<<"${S[$1]:-}" | awk NF | sort -n | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "-"; exit }
      m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.2f / %.2f / %.2f", v[1] / 1000, m / 1000, v[NR] / 1000
    }'
}
secs() { awk -v a="$(median "$1")" 'BEGIN { if (a == "") print "-"; else printf "%.2f s", a / 1000 }'; }
ratio() {
  awk -v a="$(median "$1")" -v b="$(median "$2")" \
    'BEGIN { if (a == "" || b == "" || b == 0) print "-"; else printf "%.2f", a / b }'
}

# phases LOG T0: "slug phase ms" for every phase in a stamped testrig console log, from the
# `==> ... [name]` line that starts it to the `<== <phase>.<slug>` line that ends it (the name's
# values joined by '-', lowercased, dots as '_', is the slug); plus "- before ms" (T0 to the first
# phase: JVM start, rig, engine connection) and "- after ms" (last phase to the exit line: report).
phases() {
  awk -v t0="$2" '
    function slug(name,   n, parts, i, v, s) {
      n = split(name, parts, ",")
      for (i = 1; i <= n; i++) {
        v = tolower(substr(parts[i], index(parts[i], "=") + 1)); gsub(/\./, "_", v)
        s = s (i > 1 ? "-" : "") v
      }
      return s
    }
    { t = $1; sub(/^[0-9]+ /, "") }
    /^==> / {
      if (first == "") first = t
      name = $0; sub(/.*\[/, "", name); sub(/\].*/, "", name)
      p = /^==> Issuing/ ? "prepare" : /^==> Bringing/ ? "up" : /^==> Running suite/ ? "suite" : /^==> Tearing/ ? "teardown" : ""
      if (p != "") start[slug(name) SUBSEP p] = t
    }
    /^<== / {
      id = $2; s = substr(id, index(id, ".") + 1); p = substr(id, 1, index(id, ".") - 1)
      sub(/^suite-.*/, "suite", p)
      if ((s SUBSEP p) in start) printf "%s %s %d\n", s, p, (t - start[s SUBSEP p]) / 1000
      last = t
    }
    /^END$/ { end = t }
    END {
      if (first != "") printf "- before %d\n", (first - t0) / 1000
      if (last != "" && end != "") printf "- after %d\n", (end - last) / 1000
    }' "$1"
}

# ---- CPU of a measured block: the command and its children (/usr/bin/time), the engine's
# daemons (dockerd, containerd: /proc/PID/stat), the containers it ran (their cgroup v1
# cpuacct.usage) and their shims with the runc calls they waited for (/proc/PID/stat), the last
# two sampled every 100 ms until removed, so the last few ms may be missed; the kernel's own work
# for them (mounts, network namespaces) is in none of these, only in how busy the machine was ----
CG=/sys/fs/cgroup/cpuacct/docker
CPU=true
[[ -x /usr/bin/time && -d $CG ]] && pgrep -x dockerd >/dev/null && pgrep -x containerd >/dev/null || CPU=false
TIME=()
! $CPU || TIME=(/usr/bin/time -o "$WORK/time" -f '%U %S')
daemon_ticks() { cat "/proc/$(pgrep -x dockerd)/stat" "/proc/$(pgrep -x containerd)/stat" | awk '{ t += $14 + $15 } END { print t }'; }
cpu_begin() {
  $CPU || return 0
  rm -rf "$WORK/cg" && mkdir -p "$WORK/cg"
  find "$CG" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' >"$WORK/cg.before"
  pgrep -x containerd-shim >"$WORK/shim.before" || true
  CPU_D0=$(daemon_ticks)
  CPU_M0=$(machine_ticks)
  # Builtins only in the loop (one `sleep` and, every 5th round, one `pgrep` forked): the
  # sampling must not cost the CPU it measures.
  (
    i=0 shims=()
    while [[ ! -e $WORK/cg/.stop ]]; do
      for f in "$CG"/*/cpuacct.usage; do
        [[ -e $f ]] || continue
        id=${f%/cpuacct.usage} && read -r v <"$f" && echo "$v" >"$WORK/cg/${id##*/}"
      done
      # A container's shim, with the runc calls it waited for (starts, execs, kills).
      ((i++ % 5)) || mapfile -t shims < <(pgrep -x containerd-shim)
      for p in "${shims[@]}"; do
        read -r -a a <"/proc/$p/stat" && echo $((a[13] + a[14] + a[15] + a[16])) >"$WORK/cg/shim.$p"
      done
      sleep 0.1
    done
  ) 2>/dev/null &
  CPU_POLL=$!
}
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
cpu_end() { # key
  $CPU || return 0
  touch "$WORK/cg/.stop"
  wait "$CPU_POLL" || true
  local hz own daemons containers
  hz=$(getconf CLK_TCK)
  daemons=$((($(daemon_ticks) - CPU_D0) * 1000 / hz))
  add "$1.cpu.daemons" "$daemons"
  containers=$(cd "$WORK/cg" && for id in *; do
    if [[ $id != shim.* ]] && ! grep -qx "$id" "$WORK/cg.before"; then cat "$id"; fi
  done |
    awk '{ t += $1 } END { printf "%d", t / 1e6 }')
  add "$1.cpu.containers" "$containers"
  local shims
  shims=$(cd "$WORK/cg" && for f in shim.*; do
    if [[ -e $f ]] && ! grep -qx "${f#shim.}" "$WORK/shim.before"; then cat "$f"; fi
  done |
    awk -v hz="$hz" '{ t += $1 } END { printf "%d", t * 1000 / hz }')
  # A shim reaps the container's processes too, so its children's CPU holds the containers' own:
  # what is left over is the shims' and runc's (create, start, exec, kill, delete).
  shims=$((shims > containers ? shims - containers : 0))
  add "$1.cpu.shims" "$shims"
  # Of the whole machine (every process, other jobs' too): how busy the cores were.
  add "$1.busy" "$(awk -v a="$CPU_M0" -v b="$(machine_ticks)" 'BEGIN {
    split(a, x, " "); split(b, y, " "); if (y[2] > x[2]) printf "%d", (y[1] - x[1]) * 1000 / (y[2] - x[2]) }')"
  own=$(awk 'NF == 2 { printf "%d", ($1 + $2) * 1000 }' "$WORK/time")
  add "$1.cpu.own" "$own"
  add "$1.cpu.total" $((own + daemons + containers + shims))
}

# ---- the three measured blocks, each under the engine lock ----
run_hand() { # rep
  local p=$PREFIX-hand-$1 t0 t1 out
  flock 9
  cpu_begin
  t0=$(now_us)
  out=$(${TIME[@]+"${TIME[@]}"} bench/handwritten-postgres-ssl.sh "$p" "$WORK/hand-$1") ||
    { flock -u 9; log "bench: the hand-written script failed:"; cat "$WORK/hand-$1/compose.log" >&2; exit 1; }
  t1=$(now_us)
  cpu_end hand
  flock -u 9
  grep -q 'failures="0"' "$WORK/hand-$1/postgres-ssl.xml" || { log "bench: hand-written suite failed"; exit 1; }
  add hand.wall $(((t1 - t0) / 1000))
  local k
  for k in prepare up suite down; do add "hand.$k" "$(awk -v k="$k-ms" '$1 == k { print $2 }' <<<"$out")"; done
  log "  hand-written script  rep $1: $(((t1 - t0) / 1000)) ms ($(tr '\n' ' ' <<<"$out"))"
}

run_testrig() { # rep key [run options]; keys ending in 0 run BASE_JAR
  local r=$1 k=$2 p=$PREFIX-$2-$1 t0 t1 l jar=${TESTRIG_JAR:-}
  shift 2
  [[ $k != *0 ]] || jar=$BASE_JAR
  l=$WORK/$k-$r.log
  flock 9
  cpu_begin
  t0=$(now_us)
  { TESTRIG_JAR=$jar ${TIME[@]+"${TIME[@]}"} "$TESTRIG" run -f "$RIG" -p "$p" --artifacts "$WORK/$k-$r" "$@" 2>&1; echo "rc $?"; } |
    stamp >"$l"
  t1=$(now_us)
  cpu_end "$k"
  flock -u 9
  echo "$t1 END" >>"$l"
  grep -q ' rc 0$' "$l" || { log "bench: testrig run $* failed:"; cat "$l" >&2; exit 1; }
  add "$k.wall" $(((t1 - t0) / 1000))
  local slug ph ms sum=0 n=0
  while read -r slug ph ms; do
    if [[ $slug == - ]]; then add "$k.$ph" "$ms"; continue; fi
    add "$k.$ph" "$ms"
    sum=$((sum + ms))
    [[ $ph != prepare ]] || n=$((n + 1))
  done < <(phases "$l" "$t0")
  ((n == 0)) || add "$k.overlap" $((sum * 1000 / ((t1 - t0) / 1000)))
  log "  testrig run $k        rep $r: $(((t1 - t0) / 1000)) ms"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(now_us)
log "bench $PREFIX: REPS=$REPS, $TESTRIG; load average $LOAD0 on $(nproc) cores"
log "building the example images (examples/build-images.sh postgres python)"
flock 9
examples/build-images.sh postgres python >&2
flock -u 9
log "warm-up (untimed): one run of each side"
run_testrig 0 one --only "$ONLY"
[[ -z ${BASE_JAR:-} ]] || run_testrig 0 one0 --only "$ONLY"
run_hand 0
S=()

for r in $(seq 1 "$REPS"); do
  steps=(hand one matrix ${BASE_JAR:+one0 matrix0})
  ((r % 2)) || steps=(${BASE_JAR:+matrix0 one0} matrix one hand)
  for s in "${steps[@]}"; do
    case $s in
      hand) run_hand "$r" ;;
      one) run_testrig "$r" one --only "$ONLY" ;;
      matrix) run_testrig "$r" matrix ${PARALLEL:+--parallel "$PARALLEL"} ;;
      one0) run_testrig "$r" one0 --only "$ONLY" ;;
      matrix0) run_testrig "$r" matrix0 ${BASE_PARALLEL:+--parallel "$BASE_PARALLEL"} ;;
    esac
  done
done

LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
TOTAL=$((($(now_us) - START) / 1000000))

echo
echo "bench $PREFIX: $REPS reps, $(date -u +%Y-%m-%d), Docker $(docker version -f '{{.Server.Version}}'), compose $(docker compose version --short), $(java -version 2>&1 | head -1), $(nproc) cores, load average $LOAD0 at start, $LOAD1 at end, ${TOTAL} s"
echo
echo "| figure | testrig s (min / median / max) | baseline | baseline s (min / median / max) | ratio | goal |"
echo "| --- | --- | --- | --- | --- | --- |"
printf '| 1 config: `run --only %s` | %s | hand-written script | %s | %s | <= 0.6 |\n' \
  "$ONLY" "$(stats one.wall)" "$(stats hand.wall)" "$(ratio one.wall hand.wall)"
printf '| 4-config matrix%s | %s | 1 config | %s | %s | <= 1.5 |\n' \
  "${PARALLEL:+ --parallel $PARALLEL}" "$(stats matrix.wall)" "$(stats one.wall)" "$(ratio matrix.wall one.wall)"
if [[ -n ${BASE_JAR:-} ]]; then
  printf '| BASE_JAR: 1 config | %s | hand-written script | %s | %s | <= 0.6 |\n' \
    "$(stats one0.wall)" "$(stats hand.wall)" "$(ratio one0.wall hand.wall)"
  printf '| BASE_JAR: 4-config matrix%s | %s | BASE_JAR: 1 config | %s | %s | <= 1.5 |\n' \
    "${BASE_PARALLEL:+ --parallel $BASE_PARALLEL}" \
    "$(stats matrix0.wall)" "$(stats one0.wall)" "$(ratio matrix0.wall one0.wall)"
  printf '| this build against BASE_JAR: 1 config | %s | BASE_JAR | %s | %s | |\n' \
    "$(stats one.wall)" "$(stats one0.wall)" "$(ratio one.wall one0.wall)"
  printf '| this build against BASE_JAR: matrix | %s | BASE_JAR | %s | %s | |\n' \
    "$(stats matrix.wall)" "$(stats matrix0.wall)" "$(ratio matrix.wall matrix0.wall)"
fi
echo
echo "Phases (medians; matrix: the median over its configs, each config's own time):"
echo
B=${BASE_JAR:+ BASE_JAR, 1 config | BASE_JAR, matrix |}
BS=${BASE_JAR:+ --- | --- |}
col() { [[ -z ${BASE_JAR:-} ]] || printf ' %s | %s |' "$(secs "one0.$1")" "$(secs "matrix0.$1")"; }
echo "| phase | hand-written script | testrig, 1 config | testrig, matrix (per config) |$B"
echo "| --- | --- | --- | --- |$BS"
echo "| before the first phase (JVM start, rig, engine connection) | - | $(secs one.before) | $(secs matrix.before) |$(col before)"
echo "| secrets, certs and templates | $(secs hand.prepare) | $(secs one.prepare) | $(secs matrix.prepare) |$(col prepare)"
echo "| bring-up until postgres is ready | $(secs hand.up) | $(secs one.up) | $(secs matrix.up) |$(col up)"
echo "| suite (pytest container) | $(secs hand.suite) | $(secs one.suite) | $(secs matrix.suite) |$(col suite)"
echo "| teardown and wipe | $(secs hand.down) | $(secs one.teardown) | $(secs matrix.teardown) |$(col teardown)"
echo "| after the last phase (report, exit) | - | $(secs one.after) | $(secs matrix.after) |$(col after)"
echo "| wall | $(secs hand.wall) | $(secs one.wall) | $(secs matrix.wall) |$(col wall)"
echo
if $CPU; then
  echo "CPU seconds (medians) on $(nproc) cores, and the wall time they need at best (CPU / cores):"
  echo
  echo "| CPU | hand-written script | testrig, 1 config | testrig, matrix |$B"
  echo "| --- | --- | --- | --- |$BS"
  echo "| the command and its children (JVM, compose, openssl, docker CLI) | $(secs hand.cpu.own) | $(secs one.cpu.own) | $(secs matrix.cpu.own) |$(col cpu.own)"
  echo "| engine daemons (dockerd, containerd) | $(secs hand.cpu.daemons) | $(secs one.cpu.daemons) | $(secs matrix.cpu.daemons) |$(col cpu.daemons)"
  echo "| containers (postgres with its probes, pytest) | $(secs hand.cpu.containers) | $(secs one.cpu.containers) | $(secs matrix.cpu.containers) |$(col cpu.containers)"
  echo "| container shims and their runc calls (create, start, exec probes, kill; containers' own CPU taken out) | $(secs hand.cpu.shims) | $(secs one.cpu.shims) | $(secs matrix.cpu.shims) |$(col cpu.shims)"
  echo "| total | $(secs hand.cpu.total) | $(secs one.cpu.total) | $(secs matrix.cpu.total) |$(col cpu.total)"
  pct() { awk -v a="$(median "$1")" 'BEGIN { if (a == "") print "-"; else printf "%.0f %%", a / 10 }'; }
  pcol() { [[ -z ${BASE_JAR:-} ]] || printf ' %s | %s |' "$(pct one0.busy)" "$(pct matrix0.busy)"; }
  echo "| the machine's cores busy during the block (every process, other jobs' too) | $(pct hand.busy) | $(pct one.busy) | $(pct matrix.busy) |$(pcol)"
  awk -v c="$(median matrix.cpu.total)" -v o="$(median one.wall)" -v n="$(nproc)" 'BEGIN {
    if (c != "" && o != "") printf "\nThe matrix'"'"'s CPU alone needs %.2f s on %d cores: %.2f x one config'"'"'s wall, against the goal of 1.5.\n", c / n / 1000, n, c / n / o }'
fi
echo
awk -v o="$(median matrix.overlap)" 'BEGIN { if (o != "") printf "Matrix: %.2f configs'"'"' worth of phase time per second of wall time (sum of all phases / wall).\n", o / 1000 }'
