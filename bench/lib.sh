# Shared by the bench scripts (sourced, not run): the one-service stack that fixed.sh and
# jvmflags.sh bring up and down, and the 500-template rig of render.sh and jvmflags.sh.

# bench_engine_setup NAME COMPOSE_FILE: sets P (a fresh compose project), WORK (a temp dir) and
# the engine lock on fd 9; on exit the project is taken down (under the lock, with ENGINE=1) and
# WORK removed. COMPOSE_FILE is a path inside WORK, written by the caller.
bench_engine_setup() {
  [[ -f target/testrig.jar ]] || mvn -B -q -o -DskipTests package
  P=bench-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')-$1
  WORK=$(mktemp -d)
  BENCH_COMPOSE=$WORK/$2
  exec 9>>"${LOCK:-/tmp/testrig-engine.lock}"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  trap - EXIT
  if [[ ${ENGINE:-1} == 1 ]]; then
    flock 9
    docker compose -p "$P" -f "$BENCH_COMPOSE" down -v -t 0 >/dev/null 2>&1 || true
    flock -u 9
  fi
  rm -rf "$WORK"
}

# bench_one_service DIR NAME: DIR/compose.yml (one service, ready when running) and its rig.
bench_one_service() {
  mkdir -p "$1"
  cat >"$1/compose.yml" <<'YML'
services:
  svc:
    image: debian:trixie-slim
    command: ["sleep", "infinity"]
YML
  printf '%s\n' "name: $2" 'stack:' '  files: [compose.yml]' >"$1/testrig.yml"
}

# bench_render_rig DIR N: DIR/testrig.yml and N templates in DIR/t sharing 50 services' secrets
# plus one common one (issue 2's render benchmark).
bench_render_rig() {
  local i
  mkdir -p "$1/t"
  cat >"$1/testrig.yml" <<'YML'
values:
  db: {name: shop, port: 5432, replicas: [a, b, c]}
  monitoring: {enabled: true}
templates:
  - from: t
YML
  for ((i = 1; i <= $2; i++)); do
    cat >"$1/t/svc$i.conf.j2" <<TPL
# service $i
[database]
name = {{ db.name }}
port = {{ db.port }}
user = app$i
password = {{ password.svc$((i % 50)).db }}
shared = {{ password.shared }}
token = {{ token.svc$((i % 50)) | b64encode }}
{% for r in db.replicas %}replica{{ loop.index }} = {{ r }}.{{ db.name }}
{% endfor %}{% if monitoring.enabled %}monitoring = on{% endif %}
TPL
  done
}

# med "SAMPLES": the median of space-separated numbers (the upper one of an even count).
med() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
