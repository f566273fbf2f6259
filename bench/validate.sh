#!/usr/bin/env bash
# Benchmark (not a test): how long `testrig validate` takes, against the 2 s goal of issue 9
# (every problem found without starting a container fails in under 2 s). Side by side, interleaved,
# RUNS times each (default 5), with bin/testrig (the builder image's JVM flags):
#   version     `testrig --version`: JVM start and picocli, the floor of any command
#   compose     `docker compose config` of the example's files alone (what validate asks compose)
#   valid       `testrig validate -f examples/postgres-ssl/testrig.yml` (exit 0)
#   bad         the same rig with five problems (model, file and compose rules; exit 2)
# Prints the median wall time of each and the ratio to the goal (<= 1 is met). Needs java 17+ and
# docker with the compose v2 plugin; no engine is used. The load average is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/testrig.jar
[[ -f $JAR ]] || mvn -B -q -o -DskipTests package
RUNS=${RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r examples/postgres-ssl "$work/rig"
sed -e 's/service: tests-pytest/service: tests-pytset/' \
    -e 's/usage: \[client\]/usage: [client, email]/' \
    -e 's/  timeout: 60s/  timeout: 60s\n  profiles: ["{{ x }}"]\n  build: [api]/' \
    "$work/rig/testrig.yml" >"$work/rig/bad.yml"
ms() { # command... -> wall milliseconds, appended as "<label> <ms>"
  local label=$1
  shift
  local t0=$EPOCHREALTIME
  "$@" >/dev/null 2>&1 || true
  local t1=$EPOCHREALTIME
  printf '%s %d\n' "$label" "$(( (${t1/./} - ${t0/./}) / 1000 ))" >>"$work/results"
}
# The bad rig must really be refused with every problem, and the valid one accepted.
bin/testrig validate -f "$work/rig/testrig.yml" >/dev/null
set +e
bin/testrig validate -f "$work/rig/bad.yml" 2>"$work/bad.err"
rc=$?
set -e
[[ $rc -eq 2 && $(wc -l <"$work/bad.err") -eq 5 ]] || { echo "bad rig: exit $rc" >&2; cat "$work/bad.err" >&2; exit 1; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for _ in $(seq 1 "$RUNS"); do
  ms version bin/testrig --version
  ms compose env TESTRIG_RUN_DIR=/nonexistent docker compose -p bench -f "$work/rig/compose.yml" \
    --profile '*' config --format json
  ms valid bin/testrig validate -f "$work/rig/testrig.yml"
  ms bad bin/testrig validate -f "$work/rig/bad.yml"
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %10s %14s\n' what median-ms "ratio to 2 s"
for v in version compose valid bad; do
  awk -v v="$v" '$1 == v {print $2}' "$work/results" | sort -n | awk -v v="$v" '
    {a[NR] = $1} END {m = a[int((NR + 1) / 2)]; printf "%-8s %10d %14.2f\n", v, m, m / 2000}'
done
