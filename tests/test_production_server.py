"""Production as the README deploys it: gunicorn with gunicorn.conf.py and the production settings (debug off, a
secret key, hashed static files served by WhiteNoise, behind a TLS proxy) answers the health check, the log-in
page and its stylesheet with the security headers, and stops cleanly on SIGTERM."""

from __future__ import annotations

import http.client
import os
import re
import runpy
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
# The gunicorn of the interpreter running the tests (the project's venv).
GUNICORN = Path(sys.executable).parent / "gunicorn"
HOST = "127.0.0.1"
# What the TLS proxy adds to every request it forwards (BEHIND_TLS_PROXY trusts it).
VIA_PROXY = {"X-Forwarded-Proto": "https"}
# Variables of the deployment that the test's own environment must not leak into the server.
DEPLOYMENT_VARIABLES = {
    "DATABASE_URL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "BEHIND_TLS_PROXY",
    "TRUSTED_PROXY_COUNT",
    "FORWARDED_ALLOW_IPS",
    "WEB_CONCURRENCY",
    "TASK_BACKEND",
    "S3_BUCKET",
    "EMAIL_HOST",
    "PYTEST_XDIST_WORKER",
}


@dataclass
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def get(self, path: str, headers: Mapping[str, str] = VIA_PROXY, timeout: float = 20) -> Response:
        # A fresh connection per request, no redirects followed: the test sees exactly what gunicorn sends.
        conn = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            conn.request("GET", path, headers={"Host": HOST, **headers})
            response = conn.getresponse()
            return Response(response.status, dict(response.getheaders()), response.read())
        finally:
            conn.close()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def database_url(settings_dict: Mapping[str, Any]) -> str:
    """The test database pytest-django created, as a DATABASE_URL the server's settings parse."""
    # Never the database the settings name outside tests (db.sqlite3 or production's).
    assert "test" in str(settings_dict["NAME"]), f"not a test database: {settings_dict['NAME']}"
    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        # settings.py gives tests a file database on SQLite (never the in-memory one), so another process opens it.
        name = Path(settings_dict["NAME"])
        assert name.is_file(), f"the SQLite test database is not a file: {name}"
        return f"sqlite:///{name}"
    user = quote(settings_dict["USER"] or "", safe="")
    password = quote(settings_dict["PASSWORD"] or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{credentials}{settings_dict['HOST'] or ''}{port}/{quote(settings_dict['NAME'], safe='')}"


def production_environment(tmp_path: Path, static_root: Path) -> dict[str, str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in DEPLOYMENT_VARIABLES
        and not key.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_"))
        and not key.startswith("GUNICORN_")
    }
    return {
        **clean,
        # DJANGO_DEBUG unset: the production defaults (SSL redirect, HSTS, secure cookies, manifest static files).
        "DJANGO_SECRET_KEY": "production-test-secret-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url(connection.settings_dict),
        "STATIC_ROOT": str(static_root),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BEHIND_TLS_PROXY": "1",
        "WEB_CONCURRENCY": "2",
        # Port 0: the system picks a free port, read back from the log, so parallel test runs never clash.
        "GUNICORN_BIND": f"{HOST}:0",
    }


@pytest.fixture
def static_root(tmp_path: Path, settings: Any) -> Path:
    """collectstatic's hashed files and manifest, as `collectstatic` at build time writes them."""
    root = tmp_path / "static"
    settings.STATIC_ROOT = root
    # Production's storage minus WhiteNoise's gzip/brotli pass, which takes a minute of CPU on Bootstrap's source
    # maps: the manifest and the hashed names the server reads are the same.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    assert (root / "staticfiles.json").is_file()
    return root


@pytest.fixture
def server(tmp_path: Path, static_root: Path, db: None) -> Iterator[Server]:
    """gunicorn started as the systemd unit in deploy/ starts it, on the test database, until the test ends."""
    # `db` makes pytest-django create the test database (migrated) and point the connection's settings at it;
    # the server only reads, so the test's open transaction holds nothing it waits for.
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
            [str(GUNICORN), "--config", str(ROOT / "gunicorn.conf.py"), "smartcity.wsgi"],
            cwd=ROOT,
            env=production_environment(tmp_path, static_root),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Server(process, listening_port(process, log), log)
    finally:
        # The test stops it itself; this only cleans up after a failure.
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def listening_port(process: subprocess.Popen[bytes], log: Path, timeout: float = 15) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(rf"Listening at: http://{re.escape(HOST)}:(\d+)", log.read_text(errors="replace"))
        if found:
            return int(found.group(1))
        assert process.poll() is None, f"gunicorn exited with {process.returncode}:\n{log.read_text()}"
        time.sleep(0.1)
    pytest.fail(f"gunicorn did not listen within {timeout} s:\n{log.read_text()}")


def worker_pids(log: str) -> set[int]:
    return {int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)", log)}


def test_gunicorn_serves_the_app_with_production_settings_and_stops_cleanly(server: Server) -> None:
    # A load balancer's probe comes straight to gunicorn over plain HTTP and must not be redirected.
    # The first answer waits for the workers to import the app: slow on a machine busy with parallel tests.
    health = server.get("/healthz", headers={}, timeout=90)
    assert health.status == 200, server.log_text()
    assert health.body == b'{"status": "ok"}'

    # Anything else over plain HTTP is sent to HTTPS: the production settings are in force.
    plain = server.get("/masuk/", headers={})
    assert plain.status == 301
    assert plain.headers["Location"] == f"https://{HOST}/masuk/"

    login = server.get("/masuk/")
    assert login.status == 200, server.log_text()
    page = login.body.decode()
    assert '<html lang="id">' in page
    assert "Masuk" in page
    assert "Lupa sandi?" in page
    headers = login.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "Secure" in headers["Set-Cookie"]  # the CSRF cookie travels over HTTPS only

    # The stylesheet under its content-hashed name, served by WhiteNoise with a far-future cache lifetime.
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
    assert stylesheet, page
    css = server.get(stylesheet.group(1))
    assert css.status == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert "immutable" in css.headers["Cache-Control"]
    assert css.body == (ROOT / "static" / "css" / "app.css").read_bytes()

    # Debug is off: an unknown address gets the plain 404 page, not Django's URL listing.
    missing = server.get("/tidak-ada/")
    assert missing.status == 404
    assert b"URLconf" not in missing.body

    workers = worker_pids(server.log_text())
    assert len(workers) == 2, server.log_text()

    # SIGTERM, as `systemctl stop` sends it: the master stops its workers and exits 0, leaving no process behind.
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=40) == 0, server.log_text()
    assert "Shutting down: Master" in server.log_text()
    deadline = time.monotonic() + 5
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


def gunicorn_config() -> dict[str, Any]:
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_takes_workers_address_and_timeout_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WEB_CONCURRENCY", "GUNICORN_BIND", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    defaults = gunicorn_config()
    assert (defaults["workers"], defaults["bind"], defaults["timeout"]) == (2, ["127.0.0.1:8000"], 60)
    assert defaults["accesslog"] == "-"

    monkeypatch.setenv("WEB_CONCURRENCY", "8")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9000,[::1]:9000")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "120")
    configured = gunicorn_config()
    assert (configured["workers"], configured["bind"], configured["timeout"]) == (
        8,
        ["127.0.0.1:9000", "[::1]:9000"],
        120,
    )


@pytest.mark.parametrize(
    ("behind_proxy", "proxy_address", "trusted"),
    [
        (None, None, ""),
        ("0", "10.0.0.5", ""),
        ("1", None, "127.0.0.1,::1"),
        ("true", "10.0.0.5", "10.0.0.5"),
    ],
)
def test_gunicorn_trusts_forwarded_https_only_behind_the_tls_proxy(
    monkeypatch: pytest.MonkeyPatch, behind_proxy: str | None, proxy_address: str | None, trusted: str
) -> None:
    # gunicorn's own default trusts X-Forwarded-Proto from loopback whatever Django's BEHIND_TLS_PROXY says: a
    # local client could then claim https and skip the HTTPS redirect.
    for name, value in (("BEHIND_TLS_PROXY", behind_proxy), ("FORWARDED_ALLOW_IPS", proxy_address)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert gunicorn_config()["forwarded_allow_ips"] == trusted
