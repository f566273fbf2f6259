"""The web stack seen from outside: TLS at the proxy, the API's auth with the generated admin
token, and the API's own TLS connection to PostgreSQL with the generated password."""

import socket
import ssl
import urllib.error
import uuid

import pytest

from conftest import Client, load_settings


def test_plain_http_redirects_to_https(client, settings):
    r = client.request("GET", "/api/items", base_url=settings["http_url"])
    assert r.status == 301
    assert r.headers["Location"] == "https://proxy/api/items"


def test_proxy_serves_tls_verified_against_the_run_ca(client):
    r = client.request("GET", "/health")
    assert r.status == 200
    assert r.json() == {"status": "ok"}
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")
    # server_tokens off: no version disclosed.
    assert r.headers["Server"] == "nginx"


def test_certificate_from_another_ca_is_rejected(settings, other_ca):
    stranger = Client(settings["base_url"], ssl.create_default_context(cafile=other_ca))
    with pytest.raises(urllib.error.URLError) as e:
        stranger.request("GET", "/health")
    assert isinstance(e.value.reason, ssl.SSLCertVerificationError)


def test_host_name_must_match_the_certificate(tls_context, settings):
    # The proxy's cert names proxy and localhost, not the container's IP address.
    ip = socket.gethostbyname(settings["proxy_host"])
    with pytest.raises(ssl.SSLCertVerificationError, match="IP address mismatch"):
        with socket.create_connection((ip, 443), timeout=5) as sock:
            tls_context.wrap_socket(sock, server_hostname=ip)


def test_items_are_public_to_read(client):
    r = client.request("GET", "/api/items")
    assert r.status == 200
    assert isinstance(r.json()["items"], list)


@pytest.mark.parametrize("token", [None, "wrong-token"], ids=["no-token", "wrong-token"])
def test_writes_need_the_admin_token(client, token):
    r = client.request("POST", "/api/items", {"name": "intruder"}, token=token)
    assert r.status == 401
    assert r.headers["WWW-Authenticate"] == "Bearer"


def test_admin_token_from_config_json_creates_an_item(client, settings):
    name = f"item-{uuid.uuid4()}"
    r = client.request("POST", "/api/items", {"name": name}, token=settings["admin_token"])
    assert r.status == 201
    created = r.json()
    assert created["name"] == name
    listed = client.request("GET", "/api/items").json()["items"]
    assert created in listed


def test_invalid_item_is_rejected(client, settings):
    r = client.request("POST", "/api/items", {"name": ""}, token=settings["admin_token"])
    assert r.status == 400


def test_api_reaches_the_database_over_tls_with_the_generated_password(client, settings):
    r = client.request("GET", "/api/admin/db", token=settings["admin_token"])
    assert r.status == 200
    info = r.json()
    assert info["user"] == settings["db_user"]
    assert info["ssl"] is True
    assert info["tls_version"] in ("TLSv1.2", "TLSv1.3")


# features.demo_failure (testrig-failing.yml) adds this one test, which fails on purpose so the
# report shows a failed testcase. Defined only then: a normal run has no skipped test.
if load_settings()["demo_failure"]:

    def test_deliberate_failure_for_the_report_demo(client):
        r = client.request("GET", "/api/items")
        assert r.status == 418, (
            "deliberate failure: features.demo_failure=true (testrig-failing.yml) shows how a"
            " failed test appears in the JUnit report"
        )
