#!/usr/bin/env bash
# Benchmark (not a test): the cost of masking secrets in a 100 MB suite log (issue 7, item 4).
# A generated log (timestamped lines, 1 in 200 holding one of 20 secrets in some form: plain,
# base64 of "user:" + secret, URL-encoded, hex) is copied REPS times each, interleaved:
#   cat        `cat log > out` (the floor: reading and writing 100 MB)
#   redact     the same copy through testrig's RedactingWriter with the 20 secrets registered,
#              in a fresh JVM (wall time, JVM start included) and in-process (after start)
#   nosecret   the same Java copy with no secret registered (UTF-8 decoding, line splitting and
#              encoding only), to tell the masking from the Java I/O around it
# and the ratios of the medians are printed.
# Usage: bench/redact.sh [MB] [REPS]   (builds target/testrig.jar and test classes when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-100}
reps=${2:-3}
if [ ! -f target/testrig.jar ] || [ ! -f target/test-classes/io/testrig/core/RedactBench.class ]; then
  mvn -B -q -o -DskipTests package test-compile >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$mb" <<'PY'
import base64, os, random, sys, urllib.parse
work, mb = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
secrets = ["".join(rnd.choice(alnum) for _ in range(32)) for _ in range(20)]
open(os.path.join(work, "secrets"), "w").write("\n".join(secrets) + "\n")
forms = [
    lambda s: s,
    lambda s: base64.b64encode(("app:" + s).encode()).decode(),
    lambda s: urllib.parse.quote(s),
    lambda s: s.encode().hex(),
]
with open(os.path.join(work, "log"), "w") as f:
    size, i = 0, 0
    while size < mb * 1_000_000:
        line = (f"2026-11-29T15:{i // 60000 % 60:02d}:{i // 1000 % 60:02d}.{i % 1000:03d}Z INFO "
                f"[worker-{i % 8}] GET /api/items/{i} status=200 bytes={rnd.randrange(99999)} "
                f"user=app trace={rnd.getrandbits(64):016x}")
        if i % 200 == 0:
            line += " auth=" + rnd.choice(forms)(rnd.choice(secrets))
        f.write(line + "\n")
        size += len(line) + 1
        i += 1
PY
CP=target/testrig.jar:target/test-classes
echo "log: $(du -m "$work/log" | cut -f1) MB; load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for ((i = 0; i < reps; i++)); do
  t0=$EPOCHREALTIME
  cat "$work/log" >"$work/out.cat"
  t1=$EPOCHREALTIME
  line=$(java -cp "$CP" io.testrig.core.RedactBench "$work/log" "$work/out.redact" "$work/secrets")
  t2=$EPOCHREALTIME
  : >"$work/none"
  plain=$(java -cp "$CP" io.testrig.core.RedactBench "$work/log" "$work/out.plain" "$work/none")
  echo "cat=$(bc <<<"$t1 - $t0") redact_wall=$(bc <<<"$t2 - $t1") redact_inproc=$(bc <<<"scale=3; ${line#RESULT ms=} / 1000") nosecret_inproc=$(bc <<<"scale=3; ${plain#RESULT ms=} / 1000")" | tee -a "$work/results"
done
leaks=$(grep -c -F -f "$work/secrets" "$work/out.redact" || true)
masked=$(grep -o -F '[MASKED' "$work/out.redact" | wc -l)
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg); masked $masked occurrences, $leaks lines still holding a secret in clear"
python3 - "$work/results" <<'PY'
import statistics, sys
rows = [dict(kv.split("=") for kv in l.split()) for l in open(sys.argv[1])]
med = {k: statistics.median(float(r[k]) for r in rows) for k in rows[0]}
print(f"median of {len(rows)}: cat {med['cat']:.2f} s, redact {med['redact_wall']:.2f} s wall "
      f"({med['redact_inproc']:.2f} s in-process)")
print(f"ratio redact / cat: {med['redact_wall'] / med['cat']:.1f} x wall, "
      f"{med['redact_inproc'] / med['cat']:.1f} x in-process; "
      f"redact / Java copy without secrets (in-process): "
      f"{med['redact_inproc'] / med['nosecret_inproc']:.2f} x ({med['nosecret_inproc']:.2f} s)")
PY
