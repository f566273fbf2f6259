#!/usr/bin/env bash
# Benchmark (not a test): issue a CA plus 10 leaf certificates (ecdsa-p256) with every output file
# (PEM cert and chain, PKCS#8 key, PKCS12 keystore and truststore), timed inside the JVM after it
# started, and print the ratio to issue 2's goal of 0.5 s. Each fresh JVM measures its first
# issuance (what one `testrig certs` pays, class loading included) and then ROUNDS warm ones.
# Two variants run side by side, interleaved, JVMS fresh JVMs each:
#   plain     plain `java` (what `java -jar target/testrig.jar certs` gets)
#   launcher  -XX:TieredStopAtLevel=1 -XX:+UseSerialGC and an AppCDS archive from a training run,
#             as the builder image's launcher may start testrig
# Usage: bench/certs.sh [JVMS] [ROUNDS]   (builds target/testrig.jar and test classes when missing)
# NICE=-10 (root only) lowers the share of other work on a busy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
jvms=${1:-7}
rounds=${2:-5}
if [ ! -f target/testrig.jar ] || [ ! -f target/test-classes/io/testrig/pki/PkiBench.class ]; then
  mvn -B -q -o -DskipTests package test-compile >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# CDS archives only take jar files on the class path.
jar cf "$work/bench.jar" -C target/test-classes io/testrig/pki/PkiBench.class
CP=target/testrig.jar:$work/bench.jar
java -XX:ArchiveClassesAtExit="$work/app.jsa" -cp "$CP" io.testrig.pki.PkiBench 1 >/dev/null 2>&1
LAUNCHER=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:SharedArchiveFile="$work/app.jsa")
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work inflates wall times)"
for ((i = 0; i < jvms; i++)); do
  for v in plain launcher; do
    opts=()
    [[ $v == launcher ]] && opts=("${LAUNCHER[@]}")
    line=$(nice -n "${NICE:-0}" java "${opts[@]}" -cp "$CP" io.testrig.pki.PkiBench "$rounds" | grep '^RESULT')
    echo "$v $line" | tee -a "$work/results" >&2
  done
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
python3 - "$work/results" <<'PY'
import statistics, sys
goal = 0.5
rows = {}
for l in open(sys.argv[1]):
    v, _, *kv = l.split()
    d = {k: float(x) for k, x in (p.split("=") for p in kv)}
    rows.setdefault(v, []).append(d)
med = {}
for v, rs in rows.items():
    m = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
    med[v] = m
    best = min(r["first_wall"] for r in rs)
    print(f"certs {v:8s} (median of {len(rs)} JVMs): first issuance {m['first_wall']:.3f} s wall = "
          f"{m['first_wall'] / goal:.2f} x the {goal} s goal ({'met' if m['first_wall'] <= goal else 'NOT met'}), "
          f"process CPU {m['first_cpu']:.3f} s, best wall {best:.3f} s; warm {m['warm_wall']:.3f} s = "
          f"{m['warm_wall'] / goal:.2f} x goal")
print(f"ratio launcher / plain, first issuance: wall {med['launcher']['first_wall'] / med['plain']['first_wall']:.2f}, "
      f"CPU {med['launcher']['first_cpu'] / med['plain']['first_cpu']:.2f}; "
      f"plain first / warm: {med['plain']['first_wall'] / med['plain']['warm_wall']:.1f}")
PY
