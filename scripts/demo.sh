#!/usr/bin/env bash
# Runs examples/postgres-ssl end to end: installs what is missing (engine, compose plugin, base
# image), builds the jar and the example images, then `testrig run` renders configs with fresh
# secrets, issues certs, brings PostgreSQL up with TLS and client-cert auth, runs the suite in its
# own container, writes JUnit XML, tears down and wipes. Extra arguments go to `testrig run`
# (e.g. --only, --parallel).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-engine.sh
[ -f target/testrig.jar ] || mvn -B -q -ntp -DskipTests package
bash examples/build-images.sh
artifacts=${TESTRIG_ARTIFACTS:-target/demo-artifacts}
status=0
bin/testrig run -f examples/postgres-ssl/testrig.yml --artifacts "$artifacts" "$@" || status=$?
echo
echo "Artifacts: $artifacts/ (junit.xml, logs/, suites/)"
exit $status
