#!/usr/bin/env bash
# Debian packages the test suite uses as real peers: PostgreSQL server and psql (TLS handshakes),
# OpenSSL (openssl verify), xmllint (JUnit XSD validation), python3 for helper scripts, and
# Debian's python3-jsonschema + python3-yaml (scripts/validate-ci.py checks the CI templates),
# and for DownstreamCiIT (scripts/downstream-ci-test.sh): git, rsync and Node.js with npm, which
# install and run gitlab-ci-local (into target/gcl, from the npm registry); Debian's ruby,
# ruby-nokogiri and ruby-activesupport (GitLabJunitViewTest reads reports the way GitLab's
# JUnit parser does, with ActiveSupport's Hash.from_xml on Nokogiri).
set -euo pipefail
missing=()
command -v openssl >/dev/null || missing+=(openssl)
command -v xmllint >/dev/null || missing+=(libxml2-utils)
command -v psql >/dev/null || missing+=(postgresql-client)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
/usr/bin/python3 -c 'import jsonschema, yaml' 2>/dev/null || missing+=(python3-jsonschema python3-yaml)
command -v git >/dev/null || missing+=(git)
command -v rsync >/dev/null || missing+=(rsync)
command -v npm >/dev/null || missing+=(nodejs npm)
ruby -e 'require "nokogiri"; require "active_support"' 2>/dev/null ||
  missing+=(ruby ruby-nokogiri ruby-activesupport)
if ((${#missing[@]})); then
  [ "$(id -u)" = 0 ] || { echo "setup-host: install ${missing[*]} (needs root)" >&2; exit 2; }
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup-host: openssl, xmllint, psql, postgres, python3-jsonschema, git, rsync, npm and ruby (nokogiri, activesupport) present" >&2
