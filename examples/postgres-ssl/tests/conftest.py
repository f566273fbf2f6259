"""Fixtures for the postgres-ssl suite.

Everything the suite needs comes from testrig: settings.json is rendered from
templates/tests/settings.json.j2 (so the password is the one in config.json), and the CA and the
client certificate are the run's. Paths are inside the suite container (see compose.yml).
"""

import json
import os
import shutil
import socket
import subprocess
import time

import pytest

SETTINGS_FILE = "/etc/testrig/tests/settings.json"
TLS = "/etc/testrig/tls"
CA = f"{TLS}/ca.crt"


def load_settings():
    with open(SETTINGS_FILE, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def settings():
    return load_settings()


@pytest.fixture(scope="session", autouse=True)
def server_reachable(settings):
    """Waits (bounded) until the server accepts TCP connections.

    Under `testrig run` the stack is already ready and the first try succeeds; this only matters
    when the suite is started by hand together with the stack (`docker compose --profile tests up`).
    """
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection((settings["host"], settings["port"]), timeout=2).close()
            return
        except OSError as e:
            if time.monotonic() > deadline:
                pytest.fail(f"{settings['host']}:{settings['port']} not reachable within 60 s: {e}")
            time.sleep(0.2)


@pytest.fixture(scope="session")
def client_key(tmp_path_factory):
    """The client key as a file libpq accepts.

    libpq refuses a key that is not owned by the current user or root, or that is readable by
    group or others. The mounted key keeps the owner of whoever ran testrig, so use a private copy.
    """
    path = tmp_path_factory.mktemp("tls") / "app.key"
    shutil.copyfile(f"{TLS}/app.key", path)
    os.chmod(path, 0o600)
    return str(path)


@pytest.fixture(scope="session")
def connect_args(settings, client_key):
    """Keyword arguments for psycopg2.connect: TLS with full verification against the run's CA."""
    args = {
        "host": settings["host"],
        "port": settings["port"],
        "dbname": settings["dbname"],
        "user": settings["user"],
        "password": settings["password"],
        "sslmode": "verify-full",
        "sslrootcert": CA,
        "connect_timeout": 5,
    }
    if settings["client_cert"]:
        args.update(sslcert=f"{TLS}/app.crt", sslkey=client_key)
    return args


@pytest.fixture(scope="session")
def other_ca(tmp_path_factory):
    """A CA certificate that did not sign anything in this run."""
    d = tmp_path_factory.mktemp("other-ca")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-days", "1", "-subj", "/CN=not the run's CA",
         "-keyout", str(d / "ca.key"), "-out", str(d / "ca.crt")],
        check=True, capture_output=True,
    )
    return str(d / "ca.crt")
