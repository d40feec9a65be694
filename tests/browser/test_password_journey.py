"""Passwords in real Chromium: an operator who forgot theirs resets it from the mailed link and logs in, then
changes it from the user menu; a DKISP coordinator sends a colleague a link from the people page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from agencies.models import AuditEvent
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "kopi-susu-martapura-2026"
NEWER_PASSWORD = "pasar-terapung-lok-baintan"
# Crispy marks required fields with an asterisk after the label.
NEW_FIELD = re.compile(r"^\s*Sandi baru")
CONFIRM_FIELD = re.compile(r"^\s*Konfirmasi sandi baru")
LINK = re.compile(r"https?://[^/\s]+(/masuk/sandi-baru/\S+/)")


def test_an_operator_resets_a_forgotten_password_and_changes_it_later(live_server, world: World, page: Page) -> None:
    mail.outbox.clear()
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_role("link", name="Lupa sandi?").click()
    page.get_by_label(re.compile(r"^\s*Alamat e-mail")).fill("operator_a@example.org")
    screenshot(page, "password-reset-request")
    page.get_by_role("button", name="Kirim tautan").click()
    expect(page.get_by_role("heading", name="Periksa e-mail Anda")).to_be_visible()
    screenshot(page, "password-reset-sent")

    (message,) = mail.outbox
    assert message.to == ["operator_a@example.org"] and "Atur sandi baru" in message.subject
    page.goto(live_server.url + LINK.search(message.body).group(1))
    expect(page.get_by_text("Untuk akun operator_a.")).to_be_visible()
    page.get_by_label(NEW_FIELD).fill("12345678")
    page.get_by_label(CONFIRM_FIELD).fill("12345678")
    page.get_by_role("button", name="Simpan sandi baru").click()
    expect(page.get_by_text("Kata sandi ini terlalu umum.")).to_be_visible()
    screenshot(page, "password-reset-weak")
    page.get_by_label(NEW_FIELD).fill(NEW_PASSWORD)
    page.get_by_label(CONFIRM_FIELD).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan sandi baru").click()
    expect(page.get_by_text("Sandi baru Anda sudah diatur.")).to_be_visible()
    screenshot(page, "password-reset-done")

    page.get_by_label("Nama pengguna").fill("operator_a")
    page.get_by_label("Sandi").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()

    # Later, from the user menu.
    page.get_by_test_id("current-user").click()
    page.get_by_role("link", name="Ganti sandi").click()
    page.get_by_label(re.compile(r"^\s*Sandi lama")).fill(NEW_PASSWORD)
    page.get_by_label(NEW_FIELD).fill(NEWER_PASSWORD)
    page.get_by_label(CONFIRM_FIELD).fill(NEWER_PASSWORD)
    screenshot(page, "password-change")
    page.get_by_role("button", name="Ganti sandi").click()
    expect(page.get_by_text("Sandi Anda sudah diganti.")).to_be_visible()

    actions = set(AuditEvent.objects.filter(target_id=str(world.operator_a.pk)).values_list("action", flat=True))
    assert {"auth.password_reset_requested", "auth.password_reset_completed", "auth.password_changed"} <= actions


def test_a_coordinator_sends_a_colleague_a_password_link(live_server, world: World, browser: Browser) -> None:
    mail.outbox.clear()
    page = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900}).new_page()
    log_in(page, live_server.url, "coordinator")
    page.get_by_test_id("current-user").click()
    page.get_by_role("link", name="Pengguna").click()
    people = page.get_by_test_id("people")
    expect(people).to_contain_text("operator_b")
    expect(people).not_to_contain_text("outsider")
    screenshot(page, "people")

    people.get_by_role("button", name="Kirim tautan sandi ke operator_b").click()
    expect(
        page.get_by_text("Tautan untuk mengatur sandi baru sudah dikirim ke operator_b@example.org.")
    ).to_be_visible()
    screenshot(page, "people-link-sent")
    (message,) = mail.outbox
    assert message.to == ["operator_b@example.org"] and "coordinator dari DKISP" in message.body
