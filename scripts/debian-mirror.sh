#!/usr/bin/env bash
# Prints the Debian archive URI that the setup scripts fetch trixie packages from (the compose
# plugin, the mmdebstrap'd base image, hence every image built on it).
#   TESTRIG_DEBIAN_MIRROR=URI  wins (a local mirror, a caching proxy, a snapshot);
#   otherwise the host's own apt sources: the URI that serves the host's release itself (not
#   -security/-updates/-backports), as `apt-get indextargets` reports it, so a host behind a proxy
#   or with a local mirror keeps using it. No mirror host is named here.
set -euo pipefail
if [ -n "${TESTRIG_DEBIAN_MIRROR:-}" ]; then
  printf '%s\n' "${TESTRIG_DEBIAN_MIRROR%/}"
  exit 0
fi
codename=$(. /etc/os-release 2>/dev/null && printf '%s' "${VERSION_CODENAME:-}")
targets=$(apt-get indextargets --no-release-info --format '$(REPO_URI) $(RELEASE)' \
  'Identifier: Packages' 2>/dev/null | sort -u)
# The host's own release first, then any plain release name (no suffix such as -security).
uri=$(awk -v c="$codename" '$2 == c { print $1; exit }' <<<"$targets")
[ -n "$uri" ] || uri=$(awk '$2 !~ /[-\/]/ && $1 !~ /security/ { print $1; exit }' <<<"$targets")
if [ -z "$uri" ]; then
  echo "debian-mirror: no Debian archive in this host's apt sources; set TESTRIG_DEBIAN_MIRROR" >&2
  exit 2
fi
printf '%s\n' "${uri%/}"
