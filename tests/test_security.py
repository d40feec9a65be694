"""Security basics: deploy checks, headers, CSP, cookies, and login throttling per (username, IP)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from agencies.models import AuditEvent
from tests.conftest import PASSWORD, World, client_for

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_"))}
    clean.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_reports_nothing_with_production_variables() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="k" * 20 + "production-secret-with-enough-entropy-1234567890",
        DJANGO_ALLOWED_HOSTS="smartcity.banjarkab.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_manage("check", DJANGO_ALLOWED_HOSTS="smartcity.banjarkab.go.id")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_a_bad_boolean_in_the_environment_fails_loudly() -> None:
    result = run_manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_pages_send_security_headers_and_a_csp_without_inline_script(world: World) -> None:
    response = client_for(world.coordinator).get(reverse("masterplan:overview"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    html = response.content.decode()
    assert "<script>" not in html and " onclick=" not in html and ' style="' not in html


def test_failed_logins_lock_the_username_and_ip_pair_only(world: World) -> None:
    attacker = Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(5):
        attacker.post(reverse("login"), {"username": "operator_a", "password": "wrong"})
    locked = attacker.post(reverse("login"), {"username": "operator_a", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Terlalu banyak" in locked.content.decode() or "Too many" in locked.content.decode()
    # A colleague behind the same office IP still logs in...
    colleague = Client(REMOTE_ADDR="10.0.0.5")
    assert colleague.post(reverse("login"), {"username": "operator_b", "password": PASSWORD}).status_code == 302
    # ...and so does the real owner from another address.
    owner = Client(REMOTE_ADDR="10.0.0.9")
    assert owner.post(reverse("login"), {"username": "operator_a", "password": PASSWORD}).status_code == 302


def test_wrong_password_shows_an_indonesian_message_and_keeps_the_username(world: World) -> None:
    response = Client().post(reverse("login"), {"username": "operator_a", "password": "salah"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "dan sandi yang benar" in content
    assert 'value="operator_a"' in content


def test_login_and_logout_are_audited(world: World) -> None:
    client = Client()
    assert client.post(reverse("login"), {"username": "coordinator", "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.filter(actor=world.coordinator).values_list("action", flat=True))
    assert "auth.login" in actions and "auth.logout" in actions


def test_login_redirect_refuses_other_hosts(world: World) -> None:
    response = Client().post(
        reverse("login") + "?next=https://evil.example/", {"username": "coordinator", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_region_switch_accepts_only_the_users_regions(world: World) -> None:
    client = client_for(world.coordinator)
    assert client.post(reverse("switch_region"), {"region": world.other_region.pk}).status_code == 400
    assert client.post(reverse("switch_region"), {"region": "x"}).status_code == 400
    ok = client.post(reverse("switch_region"), {"region": world.region.pk, "next": "https://evil.example/"})
    assert ok.status_code == 302 and ok["Location"] == reverse("home")


@pytest.mark.parametrize("path", ["/masterplan/program/999999/", "/masterplan/program/abc/", "/skpd/0/", "/x/../"])
def test_bad_urls_are_404_not_500(world: World, path: str) -> None:
    assert client_for(world.coordinator).get(path).status_code == 404


def test_only_the_admin_may_use_inline_styles_and_nowhere_inline_scripts(world: World) -> None:
    from tests.conftest import make_user

    admin = client_for(make_user("root", is_superuser=True, is_staff=True))
    admin_csp = admin.get("/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in admin_csp
    assert "script-src 'self';" in admin_csp + ";"
    site_csp = admin.get(reverse("masterplan:overview"))["Content-Security-Policy"]
    assert "unsafe-inline" not in site_csp


def test_media_moves_to_s3_compatible_storage_when_a_bucket_is_named() -> None:
    code = (
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, getattr(s, 'bucket_name', '-'), getattr(s, 'default_acl', '-'))"
    )
    local = run_manage("shell", "--no-imports", "-c", code, DJANGO_DEBUG="1")
    assert local.stdout.split() == ["FileSystemStorage", "-", "-"], local.stderr
    s3 = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DJANGO_DEBUG="1",
        S3_BUCKET="bukti-dukung",
        S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert s3.stdout.split() == ["S3Storage", "bukti-dukung", "private"], s3.stderr
