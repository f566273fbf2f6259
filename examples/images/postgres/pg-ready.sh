#!/bin/sh
# The healthcheck of testrig-example/postgres: pg_isready over the Unix socket, as user postgres.
# Why not `pg_isready -h 127.0.0.1`: the examples' pg_hba.conf rejects plaintext TCP and has no
# entry for the superuser over TCP, so every probe would log a FATAL line (pg_isready still says
# "accepting connections"). Over the socket, peer auth lets the probe in quietly. The entrypoint's
# temporary init server uses another socket directory, so this passes only for the real server.
exec setpriv --reuid=postgres --regid=postgres --init-groups -- \
  pg_isready -q -h /run/postgresql -p 5432 -U postgres -d postgres "$@"
