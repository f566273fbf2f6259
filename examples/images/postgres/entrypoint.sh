#!/bin/bash
# Starts PostgreSQL from files that testrig rendered and issued. Mount them read-only at:
#   /etc/testrig/postgres/postgresql.conf   required; should set hba_file = '/etc/postgresql/pg_hba.conf'
#   /etc/testrig/postgres/pg_hba.conf       optional (copied next to postgresql.conf)
#   /etc/testrig/postgres/pg_ident.conf     optional
#   /etc/testrig/postgres/initdb.d/*.sql    optional; run once, in name order, after initdb, as postgres
#   /etc/testrig/tls/server.crt, server.key, ca.crt   optional; copied to /etc/postgresql/tls/
# Extra arguments are passed to the postgres server (e.g. -c log_statement=all).
#
# Why the copies: testrig writes private keys (and rendered files that contain secrets) 0600 and
# owned by the user that ran it, usually root, and a bind mount keeps that owner and mode. The
# server runs as user postgres, which cannot read such a file, and PostgreSQL refuses a key that
# it does not own unless it is root-owned and at most 0640 ("private key file must be owned by the
# database user or root" / "has group or world access"; see
# https://www.postgresql.org/docs/current/ssl-tcp.html#SSL-SERVER-FILES). Changing the mounted
# file would change the host's copy, so this script, still root, copies each file to a
# postgres-owned 0600 file inside the container and only then drops to postgres.
set -euo pipefail

src=/etc/testrig
conf=/etc/postgresql
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
log() { printf 'testrig-postgres: %s\n' "$*" >&2; }

[ -f "$src/postgres/postgresql.conf" ] || { log "missing $src/postgres/postgresql.conf (mount the rendered config)"; exit 2; }

install -d -o postgres -g postgres -m 0755 "$conf"
install -d -o postgres -g postgres -m 0700 "$conf/tls"
for f in postgresql.conf pg_hba.conf pg_ident.conf; do
  if [ -f "$src/postgres/$f" ]; then install -o postgres -g postgres -m 0600 "$src/postgres/$f" "$conf/$f"; fi
done
for f in server.crt server.key ca.crt; do
  if [ -f "$src/tls/$f" ]; then install -o postgres -g postgres -m 0600 "$src/tls/$f" "$conf/tls/$f"; fi
done

# PGDATA is usually a tmpfs (fast, and gone with the container), which starts out root-owned 1777;
# initdb wants it owned by postgres and 0700.
install -d -o postgres -g postgres -m 0700 "$PGDATA"
install -d -o postgres -g postgres -m 2775 /run/postgresql

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  as_postgres initdb -D "$PGDATA" -U postgres --auth-local=peer --auth-host=reject \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  shopt -s nullglob
  scripts=("$src"/postgres/initdb.d/*.sql)
  if [ ${#scripts[@]} -gt 0 ]; then
    # A temporary server on a private socket only: clients and the healthcheck (testrig-pg-ready,
    # which uses /run/postgresql) see nothing until the real server below is up with the init
    # scripts applied.
    install -d -o postgres -g postgres -m 0700 /run/postgresql-init
    as_postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/run/postgresql-init" \
      -w -t 60 -s start
    for f in "${scripts[@]}"; do
      log "running ${f##*/}"
      # The shell (root) opens the file: it may be a 0600 secret-bearing render the postgres
      # user cannot read. psql gets it on stdin.
      as_postgres psql -X -q -v ON_ERROR_STOP=1 -h /run/postgresql-init -U postgres -d postgres <"$f"
    done
    as_postgres pg_ctl -D "$PGDATA" -m fast -w -t 60 -s stop
  fi
fi

exec setpriv --reuid=postgres --regid=postgres --init-groups -- \
  postgres -D "$PGDATA" -c config_file="$conf/postgresql.conf" "$@"
