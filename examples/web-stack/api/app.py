#!/usr/bin/env python3
"""web-stack's API: a tiny JSON service between nginx and PostgreSQL (Python stdlib + psycopg2).

    GET  /health            200 when the database answers, else 503 (the compose healthcheck)
    GET  /api/items         the items, newest first
    POST /api/items         {"name": "..."} -> 201 {"id": n, "name": "..."}; needs the admin token
    GET  /api/admin/db      how the API reaches the database (role, TLS); needs the admin token

Usage: app.py CONFIG.json, the file testrig renders from templates/api/api.json.j2. It holds the
database password and the admin token, so testrig writes it 0600 and it is owned by whoever ran
testrig: the server reads it while still root and then drops to nobody before serving.
"""

import hmac
import json
import os
import pwd
import shutil
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2


def first_line(error):
    """A log-safe summary of a database error (libpq's messages never contain the password)."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def load_config(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def drop_privileges(config):
    """Switch to nobody, keeping a copy of the CA readable for libpq (it opens it per connect)."""
    if os.getuid() != 0:
        return
    nobody = pwd.getpwnam("nobody")
    ca = config["db"].get("sslrootcert")
    if ca:
        private = "/tmp/api-ca.crt"
        shutil.copyfile(ca, private)
        os.chown(private, nobody.pw_uid, nobody.pw_gid)
        config["db"]["sslrootcert"] = private
    os.setgroups([])
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
    # libpq looks for ~/.postgresql/postgresql.crt and fails on EACCES (only "no such file" means
    # "no client cert"): root's HOME would break every connection.
    os.environ["HOME"] = nobody.pw_dir


class Api(BaseHTTPRequestHandler):
    server_version = "web-stack-api"
    sys_version = ""
    protocol_version = "HTTP/1.1"  # keep-alive with nginx's upstream pool

    # -- plumbing ---------------------------------------------------------------------------
    def db(self):
        # One short connection per request: simple, and the API starts before the database.
        return psycopg2.connect(connect_timeout=3, **self.server.config["db"])

    def send_json(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def authorized(self):
        header = self.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        expected = self.server.config["admin_token"]
        # Constant-time comparison: no timing oracle on the token.
        if scheme == "Bearer" and hmac.compare_digest(token.encode(), expected.encode()):
            return True
        self.send_json(401, {"error": "unauthorized"}, [("WWW-Authenticate", "Bearer")])
        return False

    def read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > 65536:
            self.close_connection = True  # the body stays unread
            return None
        try:
            return json.loads(self.rfile.read(length) or b"null")
        except ValueError:
            return None

    def log_message(self, fmt, *args):
        # The request line and status only; never headers (they carry the token).
        sys.stderr.write("api: %s %s\n" % (self.address_string(), fmt % args))

    def do_GET(self):
        self.guarded(self.get)

    def do_POST(self):
        self.guarded(self.post)

    def guarded(self, route):
        try:
            route()
        except psycopg2.Error as e:
            # A clean 503 instead of a dropped connection (nginx would answer 502).
            sys.stderr.write("api: database error: %s\n" % first_line(e))
            self.send_json(503, {"error": "database unavailable"})

    # -- routes -----------------------------------------------------------------------------
    def get(self):
        if self.path == "/health":
            try:
                with self.db() as conn, conn.cursor() as cur:
                    cur.execute("SELECT 1")
                conn.close()
                self.send_json(200, {"status": "ok"})
            except psycopg2.Error as e:
                sys.stderr.write("api: health: %s\n" % first_line(e))
                self.send_json(503, {"status": "database unavailable"})
        elif self.path == "/api/items":
            with self.db() as conn, conn.cursor() as cur:
                cur.execute("SELECT id, name FROM items ORDER BY id DESC LIMIT 100")
                items = [{"id": i, "name": n} for i, n in cur.fetchall()]
            conn.close()
            self.send_json(200, {"items": items})
        elif self.path == "/api/admin/db":
            if not self.authorized():
                return
            with self.db() as conn, conn.cursor() as cur:
                cur.execute(
                    "SELECT current_user, current_database(), s.ssl, s.version"
                    " FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()"
                )
                user, database, ssl, version = cur.fetchone()
            conn.close()
            self.send_json(200, {"user": user, "database": database, "ssl": ssl, "tls_version": version})
        else:
            self.send_json(404, {"error": "not found"})

    def post(self):
        if self.path != "/api/items":
            self.send_json(404, {"error": "not found"})
            return
        # Read the body first, even for a request about to be refused: on a kept-alive
        # connection an unread body would be parsed as the next request.
        body = self.read_json()
        if not self.authorized():
            return
        name = body.get("name") if isinstance(body, dict) else None
        if not isinstance(name, str) or not 1 <= len(name) <= 200:
            self.send_json(400, {"error": "expected {\"name\": \"1 to 200 characters\"}"})
            return
        with self.db() as conn, conn.cursor() as cur:
            cur.execute("INSERT INTO items (name) VALUES (%s) RETURNING id", (name,))
            (item_id,) = cur.fetchone()
        conn.close()
        self.send_json(201, {"id": item_id, "name": name})


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: app.py CONFIG.json")
    # PID 1 ignores SIGTERM unless it installs a handler: stop promptly on `docker stop`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    config = load_config(sys.argv[1])
    drop_privileges(config)
    server = ThreadingHTTPServer(("0.0.0.0", int(config.get("listen_port", 8080))), Api)
    server.config = config
    server.daemon_threads = True
    sys.stderr.write("api: listening on %d\n" % server.server_port)
    server.serve_forever()


if __name__ == "__main__":
    main()
