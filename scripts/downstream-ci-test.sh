#!/usr/bin/env bash
# Runs ci-templates/example (a downstream project including the testrig component) under
# gitlab-ci-local (npm) with the locally built image, and checks that the job produced its JUnit XML.
#
#   scripts/downstream-ci-test.sh [IMAGE] [CONFIG] [EXAMPLE_DIR] [FAN_OUT]
#     defaults: testrig-image:dev, all, examples/postgres-ssl, parallel
#   output: target/downstream/junit.xml, target/downstream/job.log
#   FAN_OUT=child-pipeline (CONFIG is then the component's `matrix` list, e.g. all):
#     gitlab-ci-local runs the whole pipeline: the .pre job `testrig-configs` generates the child
#     pipeline in the image, the trigger job `testrig` runs it (gitlab-ci-local's experimental
#     downstream pipelines, `trigger: include: artifact:`);
#     output: target/downstream/child-pipeline.yml, job.log and
#     target/downstream/child/<job>/junit-<config>.xml, one per generated job.
#
# The job cannot be privileged here (see DEVELOPERS.md), so the host's socket is bound into it, a
# runner mode GitLab documents ("Use the Docker executor with Docker socket binding"); the image's
# entrypoint then finds a working engine and starts no daemon.
# Socket binding: the host's engine resolves compose bind mounts (`./tests`, the rendered files and
# certs in the run directory) on the HOST, so both must be at the same path in the job and on the
# host. gitlab-ci-local copies the project into a volume at /builds/<group>/<project>, so the rig
# file is taken from the host copy bound at its own path, and XDG_RUNTIME_DIR (where testrig puts
# the run directory) is a host tmpfs directory bound at its own path. The job still runs in
# $CI_PROJECT_DIR, so testrig-artifacts/ is collected as the job's artifacts.
# gitlab-ci-local resolves a component locally when the project's remote and ref match it, so the
# temporary project is laid out as testrig/testrig at its own commit. gitlab-ci-local is pinned to
# 4.65.1: later releases need Node 22 (Set.prototype.union); it is installed into target/gcl when
# not on PATH. Its helper image (which copies artifacts out of the job's volume with rsync) is
# replaced by testrig-gcl-helper:trixie, built here from the local debian:trixie-slim plus Debian's
# rsync (no registry; cached by tag). gitlab-ci-local also needs rsync and git on the host.
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-testrig-image:dev}
config=${2:-all}
example=${3:-examples/postgres-ssl}
fan_out=${4:-parallel}
case "$fan_out" in
  parallel|child-pipeline) ;;
  *) echo "downstream: FAN_OUT must be parallel or child-pipeline, got '$fan_out'" >&2; exit 2 ;;
esac
[ -f "$example/testrig.yml" ] || { echo "downstream: $example/testrig.yml not found" >&2; exit 2; }
docker image inspect "$image" >/dev/null || { echo "downstream: image $image not built" >&2; exit 2; }
gcl=${GITLAB_CI_LOCAL:-$(command -v gitlab-ci-local || true)}
if [ -z "$gcl" ]; then
  gcl=$PWD/target/gcl/node_modules/.bin/gitlab-ci-local
  if [ ! -x "$gcl" ]; then
    npm install --prefix target/gcl --no-audit --no-fund --loglevel=error gitlab-ci-local@4.65.1 >&2
  fi
fi
helper=testrig-gcl-helper:trixie
if ! docker image inspect "$helper" >/dev/null 2>&1; then
  printf 'FROM debian:trixie-slim\nRUN apt-get update && apt-get install -y --no-install-recommends rsync && rm -rf /var/lib/apt/lists/*\n' \
    | docker build -q -t "$helper" - >&2
fi
out=$PWD/target/downstream
rm -rf "$out" && mkdir -p "$out"
work=$(mktemp -d /tmp/testrig-downstream.XXXXXX)
run=$(mktemp -d /dev/shm/testrig-downstream-run.XXXXXX 2>/dev/null || mktemp -d /tmp/testrig-downstream-run.XXXXXX)
cleanup() {
  # The job runs as root: its files in $work may be root's; volumes gitlab-ci-local made are its own.
  rm -rf "$work" "$run"
}
trap cleanup EXIT
cp -r "$example"/. "$work"/
mkdir -p "$work/templates" && cp ci-templates/templates/testrig.yml "$work/templates/"
git -C "$work" init -q && git -C "$work" remote add origin https://gitlab.com/testrig/testrig.git
git -C "$work" add -A && git -C "$work" -c user.name=ci -c user.email=ci@localhost commit -qm downstream
# gitlab-ci-local reads .gitlab-ci.yml from the work tree: it may name the commit it is not part of.
sha=$(git -C "$work" rev-parse HEAD)
repo=${image%:*}; tag=${image##*:}
sed -e "s|testrig@0.1.0|testrig@$sha|" \
    -e "s|      rig-file: testrig.yml|      rig-file: $work/testrig.yml|" \
    -e "s|      matrix: \[all\]|      matrix: [$config]\n      fan-out: $fan_out\n      image: $repo\n      image-version: \"$tag\"|" \
    ci-templates/example/.gitlab-ci.yml >"$work/.gitlab-ci.yml"
grep -q "testrig@$sha" "$work/.gitlab-ci.yml" && grep -q "rig-file: $work/" "$work/.gitlab-ci.yml" \
  || { echo "downstream: ci-templates/example/.gitlab-ci.yml changed shape; update this script" >&2; exit 2; }
gcl_run() { # gitlab-ci-local in the project, socket bound, run directory shared; args: its own
  (cd "$work" && "$gcl" --pull-policy if-not-present --helper-image "$helper" --no-color \
     --volume /var/run/docker.sock:/var/run/docker.sock --volume "$work:$work" --volume "$run:$run" \
     --variable "XDG_RUNTIME_DIR=$run" --cleanup "$@")
}
if [ "$fan_out" = child-pipeline ]; then
  # gitlab-ci-local runs what the trigger job includes (experimental in 4.65.1) with the trigger
  # job's and the global variables only, not --variable: the run directory goes in as a global.
  printf 'variables:\n  XDG_RUNTIME_DIR: %s\n' "$run" >>"$work/.gitlab-ci.yml"
  status=0
  # Two stacks at a time: the machine is shared (each child job brings up its own postgres).
  gcl_run --concurrency 2 >"$out/job.log" 2>&1 || status=$?
  cat "$out/job.log"
  # gitlab-ci-local's trigger job passes whatever its child jobs did (no strategy: depend).
  if grep -qE '^ FAIL ' "$out/job.log"; then status=1; fi
  gen="$work/.gitlab-ci-local/artifacts/testrig-configs/testrig-pipeline.yml"
  [ -f "$gen" ] || { echo "downstream: the .pre job generated no child pipeline (exit $status)" >&2; exit 1; }
  cp "$gen" "$out/child-pipeline.yml"
  (cd "$work/.gitlab-ci-local/artifacts" && find . -path '*testrig-artifacts/junit*.xml' -print0 \
     | while IFS= read -r -d '' f; do
         job=${f#./}; job=${job%%/*}; mkdir -p "$out/child/$job"; cp "$f" "$out/child/$job/"
       done)
  echo "downstream: pipeline exit $status, JUnit XML: $(find "$out/child" -name '*.xml' 2>/dev/null | wc -l) file(s) in $out/child"
  exit "$status"
fi
status=0
gcl_run "testrig: [$config]" >"$out/job.log" 2>&1 || status=$?
cat "$out/job.log"
report=$(find "$work/.gitlab-ci-local/artifacts" -name junit.xml -path '*testrig-artifacts*' 2>/dev/null | head -1)
[ -n "$report" ] || { echo "downstream: the job wrote no testrig-artifacts/junit.xml (exit $status)" >&2; exit 1; }
cp "$report" "$out/junit.xml"
echo "downstream: job exit $status, JUnit XML: $out/junit.xml"
exit "$status"
