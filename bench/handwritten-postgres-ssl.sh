#!/usr/bin/env bash
# The hand-written equivalent of `testrig run -f examples/postgres-ssl/testrig.yml --only <config>`
# that bench/wholerun.sh and bench/stack.sh time against testrig: the same work a team scripts by
# hand without testrig, every step inside the timing (issue 11, "whole runs"):
#
#   secrets     the app password with `openssl rand` (32 alphanumerics, as testrig's generator)
#   certs       a throw-away CA, the server cert (postgres, localhost) and the client cert (CN app,
#               plus its PKCS#8 DER for JDBC clients) with openssl, ECDSA P-256 as testrig issues
#   templates   postgresql.conf, pg_hba.conf, the init SQL and the suite's settings.json rendered
#               with envsubst from bench/handwritten/postgres-ssl/*.in into a run directory (0600
#               for files holding the password or a key), laid out as testrig's, so the example's
#               own compose.yml mounts them through TESTRIG_RUN_DIR
#   up          docker compose up -d --wait postgres   (the engine's healthcheck, interval 5 s as
#                                                       in the example)
#   suite       docker compose run --rm tests-pytest   (the pytest suite, JUnit XML to REPORT_DIR)
#   down        docker compose down -v, then the run directory with the secrets and keys is wiped
#
# Usage: bench/handwritten-postgres-ssl.sh PROJECT REPORT_DIR [MIN_PROTOCOL [CLIENT_CERT]]
#   MIN_PROTOCOL TLSv1.2 (default) or TLSv1.3; CLIENT_CERT true (default) or false: the matrix
#   config `ssl.min_protocol=MIN_PROTOCOL,features.client_cert=CLIENT_CERT`.
# Prints `prepare-ms N`, `up-ms N`, `suite-ms N`, `down-ms N` (wall time of each step, in ms) on
# stdout; compose's own output goes to REPORT_DIR/compose.log. Exit code: the suite's (0 all
# passed), or the first failing step's. The run directory lives in /dev/shm when it exists, and is
# removed on every exit path, as is the stack.
set -euo pipefail

[[ $# -ge 2 && $# -le 4 ]] || { echo "usage: $0 PROJECT REPORT_DIR [MIN_PROTOCOL [CLIENT_CERT]]" >&2; exit 2; }
project=$1
reports=$2
here=$(cd "$(dirname "$0")" && pwd)
templates=$here/handwritten/postgres-ssl
compose_file=$here/../examples/postgres-ssl/compose.yml
mkdir -p "$reports"
log=$reports/compose.log

export DB_NAME=app DB_USER=app SSL_MIN_PROTOCOL=${3:-TLSv1.2} CLIENT_CERT=${4:-true}
case $CLIENT_CERT in
  true) export HBA_CLIENT_CERT=' clientcert=verify-full' ;;
  false) export HBA_CLIENT_CERT='' ;;
  *) echo "$0: CLIENT_CERT must be true or false" >&2; exit 2 ;;
esac

dc() { docker compose -p "$project" -f "$compose_file" "$@"; }
now_us() { echo "${EPOCHREALTIME/./}"; } # bash builtin: no fork, microseconds

run=""
down_done=false
# A failed step must not leave the stack or the secrets behind.
finish() {
  $down_done || dc down -v -t 0 >>"$log" 2>&1 || true
  [[ -z $run ]] || rm -rf "$run"
}
trap finish EXIT

t0=$(now_us)
umask 077
run=$(mktemp -d "$([[ -d /dev/shm && -w /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")/handwritten.XXXXXX")
chmod 0755 "$run" # the containers' users read the public files; keys and secrets stay 0600
export TESTRIG_RUN_DIR=$run # compose.yml mounts the rendered files and certs from there
mkdir -p "$run/certs" "$run/postgres/initdb.d" "$run/tests"

# Secrets: 32 alphanumerics (base64 of 48 random bytes, other characters dropped).
DB_PASSWORD=$(openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | cut -c1-32)
export DB_PASSWORD

# Certs: CA, server, client; ECDSA P-256, one day.
c=$run/certs
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key "$c/ca.key"
openssl req -x509 -new -key "$c/ca.key" -subj "/CN=hand-written throw-away CA" -days 1 \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$c/ca.crt"
leaf() { # name subject extensions
  key "$c/$1.key"
  openssl req -new -key "$c/$1.key" -subj "$2" |
    openssl x509 -req -CA "$c/ca.crt" -CAkey "$c/ca.key" -days 1 -out "$c/$1.crt" \
      -extfile <(printf '%s\n' "basicConstraints=critical,CA:FALSE" "$3") 2>/dev/null
}
leaf postgres /CN=postgres "$(printf '%s\n' 'subjectAltName=DNS:postgres,DNS:localhost' \
  'keyUsage=critical,digitalSignature' 'extendedKeyUsage=serverAuth')"
leaf app /CN=app "$(printf '%s\n' 'keyUsage=critical,digitalSignature' 'extendedKeyUsage=clientAuth')"
openssl pkcs8 -topk8 -nocrypt -in "$c/app.key" -outform DER -out "$c/app.pk8"
chmod 0644 "$c/ca.crt" "$c/postgres.crt" "$c/app.crt"

# Templates.
render() { envsubst <"$templates/$1" >"$run/$2"; }
render postgresql.conf.in postgres/postgresql.conf
render pg_hba.conf.in postgres/pg_hba.conf
render 01-app.sql.in postgres/initdb.d/01-app.sql
render settings.json.in tests/settings.json
chmod 0644 "$run/postgres/postgresql.conf" "$run/postgres/pg_hba.conf"
chmod 0755 "$run/certs" "$run/postgres" "$run/postgres/initdb.d" "$run/tests"
umask 022

t1=$(now_us)
dc up -d --wait postgres >>"$log" 2>&1
t2=$(now_us)
rc=0
dc --profile tests run --rm -T -v "$reports:/reports" tests-pytest >>"$log" 2>&1 || rc=$?
t3=$(now_us)
dc down -v >>"$log" 2>&1
down_done=true
rm -rf "$run"
run=""
t4=$(now_us)

echo "prepare-ms $(((t1 - t0) / 1000))"
echo "up-ms $(((t2 - t1) / 1000))"
echo "suite-ms $(((t3 - t2) / 1000))"
echo "down-ms $(((t4 - t3) / 1000))"
exit "$rc"
