"""A yes/no answer carried from last year, in real Chromium: the SKPD operator opens it, sees last year's "Tidak"
checked, changes only the explanation, saves, and the answer is still "Tidak"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from evaluations.models import Answer
from evaluations.services.answers import answer_submit, answer_update, answer_verify
from evaluations.services.cycles import cycle_carry_forward
from tests.browser.conftest import log_in, screenshot
from tests.conftest import World
from tests.test_answer_roundtrip import LAST_YEAR, THIS_YEAR, one_question_cycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_carried_no_survives_an_explanation_only_save(live_server, world: World, page: Page) -> None:
    last_year = one_question_cycle(world, "yes_no", LAST_YEAR)
    last_year = answer_update(
        answer=last_year,
        by=world.operator_a,
        expected_version=last_year.version,
        data={"value_bool": False, "narrative": "Belum ada Perbup."},
    )
    answer_verify(answer=answer_submit(answer=last_year, by=world.operator_a), by=world.coordinator)
    cycle = cycle_carry_forward(previous=last_year.cycle, by=world.coordinator, data=THIS_YEAR)
    carried = Answer.objects.get(cycle=cycle)

    log_in(page, live_server.url, "operator_a")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Kuesioner saya").click()
    row = page.get_by_role("row", name=re.compile("SG-X-01"))
    expect(row).to_contain_text("dari 2023")
    screenshot(page, "carried-answer-list")
    row.get_by_role("link", name="Jawab", exact=True).click()

    expect(page.get_by_label("Tidak", exact=True)).to_be_checked()
    expect(page.get_by_label("Ya", exact=True)).not_to_be_checked()
    explanation = page.get_by_label(re.compile(r"^\s*Penjelasan"))
    expect(explanation).to_have_value("Belum ada Perbup.")
    explanation.fill("Belum ada Perbup; rancangan sedang dibahas bersama Bagian Hukum.")
    screenshot(page, "carried-answer-form")
    page.get_by_role("button", name="Simpan draf").click()

    expect(page.get_by_text("Jawaban disimpan sebagai draf.")).to_be_visible()
    expect(page.get_by_test_id("answer-value")).to_have_text("Tidak")
    screenshot(page, "carried-answer-saved")
    saved = Answer.objects.get(pk=carried.pk)
    assert saved.value_bool is False and saved.version == 2
    assert saved.narrative == "Belum ada Perbup; rancangan sedang dibahas bersama Bagian Hukum."

    # Opened again, the form still holds last year's "Tidak".
    page.goto(f"{live_server.url}/jawaban/{carried.pk}/ubah/")
    expect(page.get_by_label("Tidak", exact=True)).to_be_checked()
