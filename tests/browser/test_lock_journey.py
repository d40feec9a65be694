"""Locking in real Chromium: DKISP opens the lock page of a cycle that is not ready, sees why, is asked for a
reason, gives one and locks; the assessor then sees a provisional index and plainly marked drafts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, Page, expect

from agencies.models import AuditEvent
from evaluations.models import EvaluationCycle
from evaluations.services.answers import answer_submit, answer_update, answer_verify
from evaluations.services.assessment import scores_save
from tests.browser.conftest import log_in, screenshot
from tests.conftest import Evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Rapat evaluasi di Surabaya tidak dapat ditunda; DISDIK menyusul."


def test_the_coordinator_locks_a_cycle_that_is_not_ready_with_a_reason(
    live_server, evaluation: Evaluation, page: Page, browser: Browser
) -> None:
    w = evaluation.world
    # DINKES has answered and DKISP verified; DISDIK's percentage is still an unsubmitted draft.
    yes_no = answer_update(
        answer=evaluation.yes_no,
        by=w.operator_a,
        expected_version=1,
        data={"value_bool": True, "narrative": "Perbup Nomor 47 Tahun 2021."},
        evidence=[w.evidence_a],
    )
    level = answer_update(answer=evaluation.level, by=w.operator_a, expected_version=1, data={"value_level": 3})
    for answer in (yes_no, level):
        answer_verify(answer=answer_submit(answer=answer, by=w.operator_a), by=w.coordinator)
    draft = {"value_number": Decimal("40"), "narrative": "Angka sementara, survei belum selesai."}
    answer_update(answer=evaluation.percentage, by=w.operator_b, expected_version=1, data=draft)

    log_in(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/evaluasi/{evaluation.cycle.pk}/kesiapan/")
    expect(page.get_by_test_id("readiness-causes")).to_contain_text("Terlambat: 1")
    screenshot(page, "readiness-causes")
    page.get_by_role("link", name="Ringkasan").click()
    page.get_by_role("link", name="Kunci siklus").click()

    # The lock page names what is wrong, with counts, and asks for a reason.
    expect(page.get_by_test_id("readiness-light")).to_have_attribute("data-light", "red")
    causes = page.get_by_test_id("readiness-causes")
    expect(causes).to_contain_text("Terlambat: 1")
    expect(causes).not_to_contain_text("Belum dijawab")
    expect(page.get_by_test_id("lock-needs-reason")).to_be_visible()
    screenshot(page, "lock-confirmation")

    page.get_by_role("button", name="Tetap kunci").click()
    expect(page.get_by_text(re.compile(r"Siklus belum siap \(Terlambat: 1\)"))).to_be_visible()
    screenshot(page, "lock-reason-required")
    assert not EvaluationCycle.objects.get(pk=evaluation.cycle.pk).is_locked

    page.get_by_label(re.compile(r"^\s*Alasan mengunci sekarang")).fill(REASON)
    page.get_by_role("button", name="Tetap kunci").click()
    expect(page.get_by_text("Siklus dikunci: tidak ada jawaban yang dapat berubah lagi.")).to_be_visible()
    expect(page.get_by_text(REASON)).to_be_visible()  # in the cycle's history
    assert EvaluationCycle.objects.get(pk=evaluation.cycle.pk).is_locked
    event = AuditEvent.objects.get(action="cycle.locked")
    assert event.reason == REASON and event.changes["overdue"] == 1

    # The assessor scores one question: the index is provisional, and DISDIK's draft is marked as one.
    cycle = EvaluationCycle.objects.get(pk=evaluation.cycle.pk)
    scores_save(cycle=cycle, by=w.assessor, scores={evaluation.level.question: (Decimal(3), "")})
    assessor = browser.new_context(locale="id-ID", viewport={"width": 1366, "height": 900}).new_page()
    log_in(assessor, live_server.url, "assessor")
    assessor.goto(f"{live_server.url}/penilaian/{cycle.pk}/")
    expect(assessor.get_by_test_id("index-state")).to_have_attribute("data-state", "provisional")
    expect(assessor.get_by_test_id("coverage")).to_have_text("1 dari 3 dinilai")
    screenshot(assessor, "assessment-provisional")
    assessor.get_by_role("link", name="Smart Society").click()
    expect(assessor.get_by_test_id("answer-warning")).to_have_text("Belum diajukan: ini masih draf SKPD.")
    screenshot(assessor, "assessment-draft-marked")
