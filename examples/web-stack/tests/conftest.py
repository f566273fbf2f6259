"""Fixtures for the web-stack suite: an HTTPS client that trusts only the run's CA.

settings.json is rendered from templates/tests/settings.json.j2, so the admin token is the one in
config.json that the API was configured with.
"""

import json
import ssl
import subprocess
import time
import urllib.error
import urllib.request

import pytest

SETTINGS_FILE = "/etc/testrig/tests/settings.json"
CA = "/etc/testrig/tls/ca.crt"


def load_settings():
    with open(SETTINGS_FILE, encoding="utf-8") as f:
        return json.load(f)


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)


class Client:
    """Minimal HTTP client: returns every status (no exceptions on 4xx/5xx), follows no redirect."""

    def __init__(self, base_url, context):
        self.base_url, self.context = base_url, context
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=context), NoRedirect()
        )

    def request(self, method, path, body=None, token=None, base_url=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request((base_url or self.base_url) + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token is not None:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with self.opener.open(req, timeout=10) as r:
                return Response(r.status, r.headers, r.read())
        except urllib.error.HTTPError as e:
            return Response(e.code, e.headers, e.read())


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="session")
def settings():
    return load_settings()


@pytest.fixture(scope="session")
def tls_context():
    """Verifies the proxy's certificate chain against the run's CA and its host name."""
    return ssl.create_default_context(cafile=CA)


@pytest.fixture(scope="session")
def client(settings, tls_context):
    return Client(settings["base_url"], tls_context)


@pytest.fixture(scope="session", autouse=True)
def stack_ready(client):
    """Waits (bounded) until the whole chain proxy -> api -> db answers /health.

    Under `testrig run` the stack is already ready and the first try succeeds; this only matters
    when the suite is started by hand together with the stack (`docker compose --profile tests up`).
    """
    deadline = time.monotonic() + 90
    last = None
    while time.monotonic() < deadline:
        try:
            r = client.request("GET", "/health")
            if r.status == 200:
                return
            last = f"HTTP {r.status}"
        except OSError as e:
            last = repr(e)
        time.sleep(0.2)
    pytest.fail(f"https://proxy/health not ready within 90 s: {last}")


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
