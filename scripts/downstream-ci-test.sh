#!/usr/bin/env bash
# Runs ci-templates/example (a downstream project including the testrig component) under
# gitlab-ci-local (npm) with the locally built image, and checks that the job produced its JUnit XML.
#
#   scripts/downstream-ci-test.sh [IMAGE] [EXAMPLE_DIR]   # defaults: testrig-image:dev examples/postgres-ssl
#
# The job cannot be privileged here (see DEVELOPERS.md), so the host's socket is bound into it, a
# runner mode GitLab documents ("Use the Docker executor with Docker socket binding"); the image's
# entrypoint then finds a working engine and starts no daemon. The example's files are mounted at
# the same path in the job, so compose bind mounts resolve on the host engine.
# gitlab-ci-local resolves a component locally when the project's remote and ref match it, so the
# temporary project is laid out as testrig/testrig at its own commit. gitlab-ci-local 4.65.1: later
# releases need Node 22 (Set.prototype.union); its helper image is replaced by the local
# debian:trixie-slim (no registry). Needs rsync on the host.
set -euo pipefail
cd "$(dirname "$0")/.."
image=${1:-testrig-image:dev}
example=${2:-examples/postgres-ssl}
[ -f "$example/testrig.yml" ] || { echo "downstream: $example/testrig.yml not found" >&2; exit 2; }
docker image inspect "$image" >/dev/null || { echo "downstream: image $image not built" >&2; exit 2; }
gcl=${GITLAB_CI_LOCAL:-$(command -v gitlab-ci-local || true)}
if [ -z "$gcl" ]; then
  npm install --prefix target/gcl --no-audit --no-fund gitlab-ci-local@4.65.1 >/dev/null
  gcl=$PWD/target/gcl/node_modules/.bin/gitlab-ci-local
fi
work=$(mktemp -d /tmp/testrig-downstream.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$example"/. "$work"/
mkdir -p "$work/templates" && cp ci-templates/templates/testrig.yml "$work/templates/"
git -C "$work" init -q && git -C "$work" remote add origin https://gitlab.com/testrig/testrig.git
git -C "$work" add -A && git -C "$work" -c user.name=ci -c user.email=ci@localhost commit -qm downstream
# gitlab-ci-local reads .gitlab-ci.yml from the work tree: it may name the commit it is not part of.
sha=$(git -C "$work" rev-parse HEAD)
repo=${image%:*}; tag=${image##*:}
sed -e "s|testrig@0.1.0|testrig@$sha|" \
    -e "s|      matrix: \[all\]|      matrix: [all]\n      image: $repo\n      image-version: \"$tag\"|" \
    ci-templates/example/.gitlab-ci.yml >"$work/.gitlab-ci.yml"
(cd "$work" && "$gcl" --pull-policy if-not-present --helper-image debian:trixie-slim \
   --volume /var/run/docker.sock:/var/run/docker.sock --volume "$work:$work" \
   "testrig: [all]") || status=$?
report=$(find "$work/.gitlab-ci-local/artifacts" -name junit.xml 2>/dev/null | head -1)
[ -n "$report" ] || { echo "downstream: the job wrote no testrig-artifacts/junit.xml" >&2; exit 1; }
cp "$report" target/downstream-junit.xml
echo "downstream: job exit ${status:-0}, JUnit XML: target/downstream-junit.xml"
exit "${status:-0}"
