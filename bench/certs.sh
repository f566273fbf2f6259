#!/usr/bin/env bash
# Benchmark (not a test): issue a CA plus 10 leaf certificates (ecdsa-p256) with every output file
# (PEM cert and chain, PKCS#8 key, PKCS12 keystore and truststore), timed inside the JVM after it
# started, and print the ratio to issue 2's goal of 0.5 s. Each of JVMS fresh JVMs measures its
# first issuance (what one `testrig certs` pays, class loading included) and then ROUNDS warm ones.
# Usage: bench/certs.sh [JVMS] [ROUNDS]   (builds target/testrig.jar and test classes when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
jvms=${1:-5}
rounds=${2:-5}
if [ ! -f target/testrig.jar ] || [ ! -f target/test-classes/io/testrig/pki/PkiBench.class ]; then
  mvn -B -q -o -DskipTests package >&2
fi
echo "machine load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (other work inflates wall times)"
results=()
for ((i = 0; i < jvms; i++)); do
  line=$(java -cp target/testrig.jar:target/test-classes io.testrig.pki.PkiBench "$rounds" | tee /dev/stderr | grep '^RESULT')
  results+=("$line")
done
# median of one field over the JVMs
median() {
  printf '%s\n' "${results[@]}" | tr ' ' '\n' | sed -n "s/^$1=//p" | sort -n |
    awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
fw=$(median first_wall)
fc=$(median first_cpu)
ww=$(median warm_wall)
awk -v n="$jvms" -v fw="$fw" -v fc="$fc" -v ww="$ww" -v goal=0.5 'BEGIN {
  printf "certs bench (median of %d JVMs): first issuance %.3f s wall = %.2f x the %.1f s goal" \
    " (process CPU %.3f s); warm %.3f s = %.2f x goal\n", n, fw, fw / goal, goal, fc, ww, ww / goal
}'
