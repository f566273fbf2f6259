"""PostgreSQL as configured by testrig: TLS with a cert from the run's CA, the generated app
password, the pg_hba rules and the matrix settings (ssl.min_protocol, features.client_cert)."""

import socket

import psycopg2
import pytest


def connect(connect_args, **overrides):
    args = dict(connect_args)
    for key, value in overrides.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return psycopg2.connect(**args)


def ssl_status(conn):
    with conn.cursor() as cur:
        cur.execute(
            "SELECT ssl, version, cipher, client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()"
        )
        return cur.fetchone()


def test_connection_is_tls_with_verified_server_certificate(connect_args, settings):
    with connect(connect_args) as conn:
        ssl, version, cipher, _ = ssl_status(conn)
        assert ssl is True
        allowed = {"TLSv1.2": {"TLSv1.2", "TLSv1.3"}, "TLSv1.3": {"TLSv1.3"}}
        assert version in allowed[settings["ssl_min_protocol"]]
        assert cipher
    conn.close()


def test_generated_app_password_from_config_json_works(connect_args, settings):
    with connect(connect_args) as conn, conn.cursor() as cur:
        cur.execute("SELECT current_user, current_database()")
        assert cur.fetchone() == (settings["user"], settings["dbname"])
        # The role owns the database: it can create and use a table.
        cur.execute("CREATE TABLE IF NOT EXISTS smoke (id int PRIMARY KEY, note text)")
        cur.execute("INSERT INTO smoke VALUES (1, 'hello') ON CONFLICT (id) DO NOTHING")
        cur.execute("SELECT note FROM smoke WHERE id = 1")
        assert cur.fetchone() == ("hello",)
    conn.close()


def test_wrong_password_is_rejected(connect_args, settings):
    with pytest.raises(psycopg2.OperationalError, match="password authentication failed"):
        connect(connect_args, password=settings["password"] + "x")


def test_plaintext_connection_is_rejected(connect_args):
    # pg_hba: hostnossl ... reject
    with pytest.raises(psycopg2.OperationalError, match="no encryption"):
        connect(connect_args, sslmode="disable", sslrootcert=None, sslcert=None, sslkey=None)


def test_server_certificate_from_another_ca_is_rejected(connect_args, other_ca):
    with pytest.raises(psycopg2.OperationalError, match="certificate verify failed"):
        connect(connect_args, sslrootcert=other_ca)


def test_host_name_must_match_server_certificate(connect_args, settings):
    # The server cert names postgres and localhost, not the container's IP address.
    ip = socket.gethostbyname(settings["host"])
    with pytest.raises(psycopg2.OperationalError, match="does not match host name"):
        connect(connect_args, host=ip)


def test_minimum_tls_version_is_enforced(connect_args, settings):
    # ssl_max_protocol_version caps the client: TLS 1.2 only works when the server allows it.
    if settings["ssl_min_protocol"] == "TLSv1.2":
        with connect(connect_args, ssl_max_protocol_version="TLSv1.2") as conn:
            assert ssl_status(conn)[1] == "TLSv1.2"
        conn.close()
    else:
        with pytest.raises(psycopg2.OperationalError):
            connect(connect_args, ssl_max_protocol_version="TLSv1.2")


def test_client_certificate_policy(connect_args, settings):
    without_cert = {"sslcert": None, "sslkey": None}
    if settings["client_cert"]:
        # pg_hba clientcert=verify-full: the cert is required and its CN is the user name.
        with connect(connect_args) as conn:
            assert ssl_status(conn)[3] == f"/CN={settings['user']}"
        conn.close()
        with pytest.raises(psycopg2.OperationalError, match="certificate"):
            # libpq would otherwise pick up ~/.postgresql/postgresql.crt; point it nowhere.
            connect(connect_args, sslcert="/nonexistent.crt", sslkey="/nonexistent.key")
    else:
        with connect(connect_args, **without_cert) as conn:
            assert ssl_status(conn)[3] is None
        conn.close()
