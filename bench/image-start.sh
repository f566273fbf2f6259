#!/usr/bin/env bash
# How fast `testrig --version` starts in the builder image, with and without its AppCDS archive,
# side by side in one container (the goal: <= 0.3 s with the archive). Prints the best and the
# median wall time of N runs per variant and the ratio; CPU time too, since a busy machine
# stretches wall time.
#   bench/image-start.sh [IMAGE] [N]      # defaults: testrig-image:dev 15
set -euo pipefail
image=${1:-testrig-image:dev}
n=${2:-15}
docker run --rm -e TESTRIG_DOCKERD=never -e N="$n" "$image" bash -c '
measure() { # label, command...
  local label=$1; shift
  for _ in $(seq "$N"); do
    local t0=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - t0) / 1000000 ))
  done | sort -n | awk -v l="$label" "{a[NR]=\$1} END {printf \"%-28s best %4d ms  median %4d ms\n\", l, a[1], a[int((NR+1)/2)]}"
}
plain="java -XX:+UseSerialGC -Xshare:auto -jar /opt/testrig/testrig.jar --version"
measure "java -version (JVM floor)" java -version
measure "testrig --version (AppCDS)" testrig --version
measure "same jar, no CDS archive" $plain
TIMEFORMAT="%U %S"
cpu() { { time "$@" >/dev/null 2>&1; } 2>&1 | awk "{printf \"%.0f\", (\$1+\$2)*1000}"; }
echo "cpu ms (user+sys): AppCDS $(cpu testrig --version), no CDS archive $(cpu $plain)"
'
echo "load: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores"
