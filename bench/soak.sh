#!/usr/bin/env bash
# bench/soak.sh N: kills `testrig run` N times at random moments and checks that nothing is left.
#
# Each run is examples/postgres-ssl, either the 4-config matrix (--parallel 2) or one config
# (--only), and is killed after a random delay with SIGKILL or SIGTERM (issue 7, "Proof"). While it
# runs, the script copies every config.json and private key of the rig's run directories (so the
# secrets are known after the wipe) and records testrig's child processes. After the process ended
# it counts, before and after `testrig gc`:
#   containers, networks and volumes labelled with the rig, run directories of the rig,
#   testrig-compose-* temp directories naming the rig, and testrig's child processes still alive;
# and searches the console and the artifacts for every captured secret, raw and as base64 (at all
# three byte alignments, standard and URL alphabet), URL-encoded, JSON-escaped and hex.
# It prints one line per run and a summary with the worst cleanup times (SIGTERM: signal to exit;
# SIGKILL: the gc that follows).
#
# The engine is shared: every run (with its gc) holds the engine lock ($SOAK_LOCK, default
# /tmp/testrig-engine.lock) and releases it afterwards, so other users interleave.
# Needs: target/testrig.jar (mvn -DskipTests package), the example images
# (examples/build-images.sh), docker, python3. Env: SOAK_SEED (RANDOM seed), TESTRIG_JAR.
set -euo pipefail

N=${1:?usage: bench/soak.sh N}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
JAR=${TESTRIG_JAR:-$ROOT/target/testrig.jar}
RIG=$ROOT/examples/postgres-ssl/testrig.yml
LOCK=${SOAK_LOCK-/tmp/testrig-engine.lock}
RANDOM=${SOAK_SEED:-$$}
JAVA=${JAVA:-java}
uid=$(id -u)
# Ephemeral run directories: /dev/shm/testrig-<uid>/<rig name>-<12 hex of sha256(rig path)>[-config]
RUN_BASE=/dev/shm/testrig-$uid
RUN_PREFIX=postgres-ssl-$(printf %s "$RIG" | sha256sum | cut -c1-12)
ONLY=ssl.min_protocol=TLSv1.2,features.client_cert=true

[ -f "$JAR" ] || { echo "soak: $JAR missing: run mvn -DskipTests package" >&2; exit 2; }

now() { date +%s.%N; }

# "pid starttime" of a process, so a recycled pid is never mistaken for a leftover child.
ident() { awk '{print $1, $22}' "/proc/$1/stat" 2>/dev/null || true; }

# Prints: containers networks volumes run-dirs temp-dirs child-processes
leftovers() {
  local children=$1 c n v r t p=0 pid start
  c=$(docker ps -aq --filter "label=io.testrig.rig=$RIG" | wc -l)
  n=$(docker network ls -q --filter "label=io.testrig.rig=$RIG" | wc -l)
  v=$(docker volume ls -q --filter "label=io.testrig.rig=$RIG" | wc -l)
  r=$(find "$RUN_BASE" -maxdepth 1 -name "$RUN_PREFIX*" 2>/dev/null | wc -l)
  t=$( (grep -rlsF -- "$RIG" /tmp/testrig-compose-* 2>/dev/null || true) | wc -l)
  while read -r pid start; do
    [ -n "$pid" ] && [ "$(ident "$pid")" = "$pid $start" ] && p=$((p + 1))
  done < <(sort -u "$children")
  echo "$c $n $v $r $t $p"
}

# While testrig runs: copies config.json and private keys of the rig's run directories, and
# records its child processes (docker, and the compose plugin under it).
capture() {
  local pid=$1 dir=$2 d key c g
  while kill -0 "$pid" 2>/dev/null; do
    for d in "$RUN_BASE/$RUN_PREFIX"*; do
      [ -d "$d" ] || continue
      cp "$d/config.json" "$dir/config-${d##*/}.json" 2>/dev/null || true
      for key in "$d"/certs/*.key; do
        cp "$key" "$dir/key-${d##*/}-${key##*/}" 2>/dev/null || true
      done
    done
    for c in $(pgrep -P "$pid" 2>/dev/null); do
      ident "$c" >>"$dir/children"
      for g in $(pgrep -P "$c" 2>/dev/null); do ident "$g" >>"$dir/children"; done
    done
    sleep 0.05
  done
}

# Prints "<secrets captured> <forms found>" for one run directory of this script.
secrets_found() {
  python3 - "$1" <<'PY'
import base64, binascii, glob, json, os, sys, urllib.parse
d = sys.argv[1]
values = set()
def leaves(n):
    if isinstance(n, dict):
        for v in n.values(): leaves(v)
    elif isinstance(n, list):
        for v in n: leaves(v)
    elif isinstance(n, str) and len(n) >= 8:
        values.add(n)
for f in glob.glob(os.path.join(d, "cap", "config-*.json")):
    try: leaves(json.load(open(f)))
    except Exception: pass
keys = set()
for f in glob.glob(os.path.join(d, "cap", "key-*")):
    body = [l.strip() for l in open(f) if l.strip() and not l.startswith("-----")]
    keys.update(l for l in body[:2] if len(l) >= 40)
def b64_cores(b):
    # The part of the base64 text that is the same whatever precedes the secret: for each byte
    # alignment, encode with k filler bytes and drop the characters that depend on neighbours.
    out = set()
    for k in range(3):
        for enc in (base64.b64encode, base64.urlsafe_b64encode):
            e = enc(b"\0" * k + b).decode().rstrip("=")
            start = (k * 4 + 2) // 3
            end = (len(b) + k) // 3 * 4
            core = e[start:end] if end > start else ""
            if len(core) >= 8: out.add(core)
    return out
forms = set()
for s in values:
    b = s.encode()
    forms |= {s, urllib.parse.quote(s, safe=""), json.dumps(s)[1:-1], b.hex(), b.hex().upper()}
    forms |= {base64.b64encode(b).decode(), base64.urlsafe_b64encode(b).decode()}
    forms |= b64_cores(b)
forms |= keys
texts = []
for name in ("out", "err"):
    p = os.path.join(d, name)
    if os.path.exists(p): texts.append((p, open(p, "rb").read().decode("latin-1")))
for root, _, files in os.walk(os.path.join(d, "art")):
    for fn in files:
        p = os.path.join(root, fn)
        try: texts.append((p, open(p, "rb").read().decode("latin-1")))
        except OSError: pass
found = [(p, f) for p, t in texts for f in forms if f and f in t]
for p, f in found[:5]:
    print("soak: SECRET FORM in %s: %s..." % (p, f[:6]), file=sys.stderr)
print(len(values) + len(keys), len(found))
PY

}

# One run: start, signal at a random moment, count leftovers, gc, count again, search secrets.
one_run() {
  local i=$1 it sig mode delay pid cap tsig code took t0 gcd before after s f
  it="$SOAK_WORK/run-$i"
  mkdir -p "$it/cap"
  touch "$it/cap/children"
  if [ $((RANDOM % 2)) -eq 0 ]; then sig=KILL; else sig=TERM; fi
  if [ $((RANDOM % 2)) -eq 0 ]; then
    mode=matrix; delay=$(awk -v r=$RANDOM 'BEGIN{printf "%.2f", 0.3 + r / 32767 * 22}')
    set -- --parallel 2
  else
    mode=single; delay=$(awk -v r=$RANDOM 'BEGIN{printf "%.2f", 0.3 + r / 32767 * 12}')
    set -- --only "$ONLY"
  fi
  # A clean environment as on a CI runner: run directories in /dev/shm, no CI variables.
  (cd "$it" && exec env -u XDG_RUNTIME_DIR -u CI -u GITLAB_CI -u CI_JOB_ID -u CI_PIPELINE_ID \
    --default-signal=INT,TERM "$JAVA" -jar "$JAR" run -f "$RIG" --artifacts "$it/art" "$@" \
    >"$it/out" 2>"$it/err") &
  pid=$!
  capture "$pid" "$it/cap" &
  cap=$!
  sleep "$delay"
  if kill -s "$sig" "$pid" 2>/dev/null; then
    tsig=$(now)
    set +e; { wait "$pid"; } 2>/dev/null; code=$?; set -e
    took=$(awk -v a="$tsig" -v b="$(now)" 'BEGIN{printf "%.2f", b - a}')
  else
    set +e; { wait "$pid"; } 2>/dev/null; code=$?; set -e
    sig=none; took=0
  fi
  case $code in
    130 | 137 | 143) ;;
    *) sig=none; took=0 ;; # it had ended on its own (a signal to its zombie does nothing)
  esac
  wait "$cap" 2>/dev/null || true
  before=$(leftovers "$it/cap/children")
  t0=$(now)
  env -u XDG_RUNTIME_DIR "$JAVA" -jar "$JAR" gc >"$it/gc.out" 2>&1 ||
    echo "soak: gc failed: $(tail -1 "$it/gc.out")" >&2
  gcd=$(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.2f", b - a}')
  after=$(leftovers "$it/cap/children")
  read -r s f <<<"$(secrets_found "$it")"
  printf 'run %3d %-6s SIG%-4s at %5.2fs exit %3s cleanup %5.2fs gc %5.2fs | before gc: %s | after gc: %s | secrets %d, found %d\n' \
    "$i" "$mode" "$sig" "$delay" "$code" "$took" "$gcd" "$before" "$after" "$s" "$f"
  echo "$mode $sig $took $gcd $before $after $s $f" >"$it/result"
  rm -rf "$it/art" "$it/cap" "$it/out" "$it/err"
}

if [ "$N" = --one ]; then
  RANDOM=$3
  one_run "$2"
  exit 0
fi

SOAK_WORK=$(mktemp -d /tmp/soak-work.XXXXXX)
export SOAK_WORK
chmod 700 "$SOAK_WORK"
trap 'rm -rf "$SOAK_WORK"' EXIT
echo "soak: $N runs of $RIG with $JAR"
echo "soak: leftovers are: containers networks volumes run-dirs temp-dirs child-processes"
for i in $(seq 1 "$N"); do
  # The engine lock is held for one run and its gc, then released so other users interleave.
  if [ -n "$LOCK" ]; then
    flock "$LOCK" "$0" --one "$i" "$RANDOM"
  else
    "$0" --one "$i" "$RANDOM"
  fi
done

cat "$SOAK_WORK"/run-*/result | awk '
  { runs++; if ($1 == "matrix") m++; if ($2 == "KILL") k++; if ($2 == "TERM") t++; if ($2 == "none") e++
    for (j = 0; j < 6; j++) { b[j] += $(5 + j); a[j] += $(11 + j); if ($2 != "KILL") bt[j] += $(5 + j) }
    s += $17; f += $18
    if ($2 == "TERM" && $3 > wt) wt = $3
    if ($4 > wg) wg = $4 }
  END {
    printf "soak: %d runs (%d matrix, %d single): %d SIGKILL, %d SIGTERM, %d ended before the signal\n", runs, m, runs - m, k, t, e
    printf "soak: left after SIGTERM (or a normal end), no gc: %d containers, %d networks, %d volumes, %d run dirs, %d temp dirs, %d child processes\n", bt[0], bt[1], bt[2], bt[3], bt[4], bt[5]
    printf "soak: left by all runs before gc:   %d containers, %d networks, %d volumes, %d run dirs, %d temp dirs, %d child processes\n", b[0], b[1], b[2], b[3], b[4], b[5]
    printf "soak: left after gc:                %d containers, %d networks, %d volumes, %d run dirs, %d temp dirs, %d child processes\n", a[0], a[1], a[2], a[3], a[4], a[5]
    printf "soak: secrets: %d captured (config.json values, key lines), %d found in console or artifacts\n", s, f
    printf "soak: worst cleanup: SIGTERM signal to exit %.2f s; gc %.2f s\n", wt, wg
  }'
