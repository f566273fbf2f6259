#!/usr/bin/env bash
# Benchmark (not a test): the developer's inner loop on examples/postgres-ssl (issue 12, item 3).
# `testrig run --only tlsv1_2-true` (certs, templates, stack up, suite, teardown) against
# `testrig test` on a stack `testrig up` left running (the suite only), side by side:
#
#   run        wall time of the whole job, and its report's phases (certs and templates, stack up,
#              suite, teardown) from the JUnit XML's testcase times
#   test       wall time of each of REPS reruns against the running stack, and its suite phase
#
# It prints the medians and the ratio test/run; the difference is what a rerun saves: preparing,
# bringing up and tearing down. Holds the engine lock (/tmp/testrig-engine.lock) throughout.
#
# Usage: bench/inner-loop.sh        REPS=3
# Needs: bash, docker with the compose v2 plugin, java 17+, the example images
# (examples/build-images.sh), target/testrig.jar.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
REPS=${REPS:-3}
TESTRIG=${TESTRIG:-$ROOT/bin/testrig}
RIG=examples/postgres-ssl/testrig.yml
[[ -f target/testrig.jar ]] || mvn -B -q -o -DskipTests package
WORK=$(mktemp -d)
exec 9>>/tmp/testrig-engine.lock
flock 9
cleanup() {
  trap - EXIT
  "$TESTRIG" down -f "$RIG" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# testcase times of a report, as "name seconds" lines, for the phases testrig writes itself.
phases() {
  { grep -o '<testcase [^>]*classname="[^"]*testrig"[^>]*' "$1" || true; } |
    sed -E 's/.*name="([^"]*)".*time="([^"]*)".*/  \1: \2 s/'
}

t0=$(now)
"$TESTRIG" run -f "$RIG" --only tlsv1_2-true --artifacts "$WORK/run" >/dev/null
run=$(echo "$(now) - $t0" | bc)
echo "run --only tlsv1_2-true: ${run} s wall; phases from its report:"
phases "$WORK/run/junit.xml"

"$TESTRIG" up -f "$RIG" >/dev/null
for i in $(seq "$REPS"); do
  t0=$(now)
  "$TESTRIG" test -f "$RIG" --artifacts "$WORK/test-$i" >/dev/null
  echo "$(now) - $t0" | bc >>"$WORK/test.times"
done
test=$(median <"$WORK/test.times")
echo "test (median of $REPS): ${test} s wall; phases from its last report:"
phases "$WORK/test-$REPS/junit.xml"
echo "ratio test/run: $(echo "scale=2; $test / $run" | bc)"
