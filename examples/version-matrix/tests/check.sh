#!/bin/bash
# The version-matrix suite: is the server the version this config asked for, and does this
# container run under the memory limit it asked for? Writes JUnit XML to /reports.
set -u
mkdir -p /reports
cases=() failures=0
record() { # name, problem (empty: passed)
  if [ -z "$2" ]; then
    cases+=("<testcase classname=\"version-matrix\" name=\"$1\"/>")
  else
    failures=$((failures + 1))
    cases+=("<testcase classname=\"version-matrix\" name=\"$1\"><failure message=\"$2\"/></testcase>")
  fi
}

# The run directory is mounted read-only at $TESTRIG_RUN_DIR; pgpass is a rendered secret.
export PGPASSFILE="$TESTRIG_RUN_DIR/tests/pgpass"
num=$(psql -X -h db -U app -d app -tAc 'show server_version_num' 2>&1)
if [ "${num:0:2}" = "$EXPECTED_VERSION" ]; then
  record "server is PostgreSQL $EXPECTED_VERSION" ""
else
  record "server is PostgreSQL $EXPECTED_VERSION" "server_version_num is ${num//\"/}"
fi

want=$(numfmt --from=iec "${EXPECTED_MEMORY^^}")
limit=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)
if [ "$limit" = "$want" ]; then
  record "memory limit is $EXPECTED_MEMORY" ""
else
  record "memory limit is $EXPECTED_MEMORY" "limit is $limit bytes, expected $want"
fi

{
  echo "<testsuite name=\"version-matrix\" tests=\"${#cases[@]}\" failures=\"$failures\">"
  printf '%s\n' "${cases[@]}"
  echo "</testsuite>"
} >/reports/TEST-version-matrix.xml
exit $((failures > 0))
