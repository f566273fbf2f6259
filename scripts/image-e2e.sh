#!/usr/bin/env bash
# Runs an example rig end to end inside the builder image as a GitLab job would run it, with the
# image's own dockerd (Docker-in-Docker, the capability set DEVELOPERS.md describes, since
# --privileged is refused here), and copies the JUnit XML back to the host.
#
#   scripts/image-e2e.sh [EXAMPLE_DIR] [IMAGE]   # defaults: examples/postgres-ssl testrig-image:dev
#
# There is no registry: the images the example's stack uses are saved from the host engine and
# loaded into the inner daemon before `testrig run`. Output: target/image-e2e/junit.xml (+ logs).
# Needs `testrig run` with --report (issue 4 plans the job around it).
set -euo pipefail
cd "$(dirname "$0")/.."
example=$(realpath "${1:-examples/postgres-ssl}")
image=${2:-testrig-image:dev}
[ -f "$example/testrig.yml" ] || { echo "image-e2e: $example/testrig.yml not found" >&2; exit 2; }
out=$PWD/target/image-e2e
rm -rf "$out" && mkdir -p "$out"
work=$(mktemp -d /tmp/testrig-image-e2e.XXXXXX)
name=testrig-image-e2e-$$
cleanup() { docker rm -f -v "$name" >/dev/null 2>&1 || :; rm -rf "$work"; }
trap cleanup EXIT
# Images the stack and suites need: $E2E_IMAGES, or every testrig-example/* image the host has
# (examples/build-images.sh makes them).
if [ -n "${E2E_IMAGES:-}" ]; then read -ra images <<<"$E2E_IMAGES"; else
  mapfile -t images < <(docker images --format '{{.Repository}}:{{.Tag}}' 'testrig-example/*')
fi
if ((${#images[@]})); then docker save -o "$work/images.tar" "${images[@]}"; fi
caps=()
for c in CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE \
  NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT \
  SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE \
  AUDIT_CONTROL SETFCAP MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ; do
  caps+=(--cap-add "$c")
done
status=0
docker run --rm --name "$name" "${caps[@]}" \
  --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
  --security-opt systempaths=unconfined -v /sys/fs/cgroup:/sys/fs/cgroup --cgroupns=host \
  -v "$example:/builds/example:ro" -v "$work:/images:ro" -v "$out:/out" \
  "$image" bash -c '
    set -euo pipefail
    if [ -f /images/images.tar ]; then docker load -q -i /images/images.tar; fi
    cp -r /builds/example /builds/job && cd /builds/job
    rc=0; testrig run -f testrig.yml --report testrig-artifacts/junit.xml || rc=$?
    testrig gc || :
    cp -r testrig-artifacts/. /out/ 2>/dev/null || :
    exit $rc' || status=$?
[ -f "$out/junit.xml" ] || { echo "image-e2e: no JUnit XML (exit $status)" >&2; exit 1; }
echo "image-e2e: exit $status, JUnit XML: $out/junit.xml"
exit "$status"
