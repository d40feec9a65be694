"""Issue 7: readiness and locking tell the coordinator the truth; the assessor sees what changed and what is
provisional — through the services and through HTTP."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies.models import AuditEvent
from agencies.services import agency_create
from evaluations.models import Answer, EvaluationCycle, Score
from evaluations.selectors import readiness
from evaluations.services.answers import answer_return, answer_submit, answer_update, answer_verify
from evaluations.services.assessment import scores_save
from evaluations.services.cycles import (
    assign_questions,
    cycle_carry_forward,
    cycle_create,
    cycle_lock,
    cycle_set_assessors,
    cycle_unlock,
    cycle_update,
    questionnaire_import,
)
from evaluations.services.windows import extension_grant
from smartcity.demo import files
from tests.conftest import CYCLE_2023, Evaluation, client_for, make_evidence, question_row

Status = Answer.Status
REASON = "SKPD terlambat; rapat evaluasi tidak dapat ditunda."
NEXT_YEAR = {
    **CYCLE_2023,
    "year": 2024,
    "opens_on": dt.date(2024, 5, 1),
    "closes_on": dt.date(2024, 5, 31),
    "internal_deadline": dt.date(2024, 5, 20),
    "meeting_date": dt.date(2024, 6, 19),
    "meeting_place": "Denpasar",
}
BEFORE_DEADLINE_2024 = dt.date(2024, 5, 10)


def pdf(title: str) -> bytes:
    return files.pdf_document(title=title, agency="Dinas Kesehatan", lines=["Isi dokumen."])


def fresh(answer: Answer) -> Answer:
    return Answer.objects.select_related("question", "cycle", "agency").get(pk=answer.pk)


def answer_everything(ev: Evaluation, *, verify: bool = True) -> None:
    """Answer (with the required evidence), submit and verify every answer of the evaluation fixture."""
    w = ev.world
    answer_update(
        answer=ev.yes_no,
        by=w.operator_a,
        expected_version=fresh(ev.yes_no).version,
        data={"value_bool": True, "narrative": "Perbup Nomor 47 Tahun 2021."},
        evidence=[w.evidence_a],
    )
    answer_update(
        answer=ev.level,
        by=w.operator_a,
        expected_version=fresh(ev.level).version,
        data={"value_level": 3, "narrative": "Rapat dua kali setahun."},
    )
    answer_update(
        answer=ev.percentage,
        by=w.operator_b,
        expected_version=fresh(ev.percentage).version,
        data={"value_number": Decimal("62.5")},
    )
    for answer, user in ((ev.yes_no, w.operator_a), (ev.level, w.operator_a), (ev.percentage, w.operator_b)):
        answer_submit(answer=answer, by=user)
        if verify:
            answer_verify(answer=answer, by=w.coordinator)


def carried_cycle(ev: Evaluation) -> EvaluationCycle:
    """2024 started from a finished, locked 2023: every answer is last year's untouched draft."""
    answer_everything(ev)
    cycle_lock(cycle=ev.cycle, by=ev.world.coordinator)
    return cycle_carry_forward(previous=ev.cycle, by=ev.world.coordinator, data=NEXT_YEAR)


def answers_of(cycle: EvaluationCycle) -> dict[str, Answer]:
    return {a.question.code: a for a in Answer.objects.filter(cycle=cycle).select_related("question")}


def banner(html: str) -> str:
    match = re.search(r'data-testid="readiness-light".*?</div>\s*$', html, re.S | re.M)
    assert match, "no readiness banner"
    return match.group(0)


def causes(html: str) -> dict[str, str]:
    """{cause key: its text} as the banner names them."""
    return {
        key: " ".join(re.sub(r"<[^>]+>", "", text).split())
        for key, text in re.findall(r'data-cause="([a-z_]+)">(.*?)</li>', banner(html), re.S)
    }


def card(html: str, code: str) -> str:
    """The assessor's sheet card of one question."""
    start = html.index(f'data-testid="question-{code}"')
    end = html.find('data-testid="question-', start + 1)
    return html[start : end if end > 0 else len(html)]


def lock_url(cycle: EvaluationCycle) -> str:
    return reverse("evaluations:lock", args=[cycle.pk])


# --- Readiness ----------------------------------------------------------------------------------------------


def test_carried_untouched_answers_are_not_ready_per_skpd_and_per_dimension(evaluation) -> None:
    cycle = carried_cycle(evaluation)

    report = readiness(cycle=cycle, today=BEFORE_DEADLINE_2024)

    assert report.light == "red" and not report.ready
    assert report.totals["unanswered"] == 0  # last year's values are there...
    assert report.totals["carried_untouched"] == 3  # ...but nobody has looked at them this year
    agencies = {line.key: line for line in report.by_agency}
    dimensions = {line.key: line for line in report.by_dimension}
    assert agencies["DINKES"].counts["carried_untouched"] == 2 and agencies["DINKES"].light == "red"
    assert agencies["DISDIK"].counts["carried_untouched"] == 1
    assert dimensions["governance"].counts["carried_untouched"] == 2
    assert dimensions["society"].counts["carried_untouched"] == 1
    assert report.label("carried_untouched") == "Dari 2023, belum diperiksa"


def test_readiness_turns_ready_once_the_skpds_save_and_submit_through_the_pages(evaluation) -> None:
    w = evaluation.world
    cycle = carried_cycle(evaluation)
    answers = answers_of(cycle)
    coordinator = client_for(w.coordinator)
    url = reverse("evaluations:readiness", args=[cycle.pk])

    page = coordinator.get(url).content.decode()
    assert 'data-light="red"' in page
    found = causes(page)
    assert found["carried_untouched"] == "Dari 2023, belum diperiksa: 3"
    assert "unanswered" not in found  # "Belum dijawab 0" is not named at all

    operator_a, operator_b = client_for(w.operator_a), client_for(w.operator_b)
    # DINKES edits one carried answer (a save makes it this year's draft) and submits another as it is.
    edit = {
        "version": 1,
        "value": "4",
        "narrative": "Rapat setiap triwulan sejak 2024.",
        "new_files_kind": "sk",
        "action": "submit",
    }
    edited = operator_a.post(reverse("evaluations:answer_edit", args=[answers["SG-O-01"].pk]), edit)
    assert edited.status_code == 302
    assert operator_a.post(reverse("evaluations:answer_submit", args=[answers["SG-B-01"].pk])).status_code == 302
    assert causes(coordinator.get(url).content.decode())["carried_untouched"] == "Dari 2023, belum diperiksa: 1"

    assert operator_b.post(reverse("evaluations:answer_submit", args=[answers["SS-I-01"].pk])).status_code == 302
    page = coordinator.get(url).content.decode()
    assert "carried_untouched" not in causes(page)
    assert causes(page) == {"not_verified": "Belum diverifikasi: 3"}  # only what is actually wrong is named
    for answer in answers.values():
        answer_verify(answer=answer, by=w.coordinator)
    assert 'data-light="green"' in coordinator.get(url).content.decode()


def test_the_banner_names_only_the_causes_that_are_wrong_with_their_counts(evaluation) -> None:
    coordinator = client_for(evaluation.world.coordinator)
    url = reverse("evaluations:readiness", args=[evaluation.cycle.pk])

    found = causes(coordinator.get(url).content.decode())

    # Nothing answered, one question needs evidence, the 20 May 2023 deadline has passed, nothing verified.
    assert found == {
        "unanswered": "Belum dijawab: 3",
        "missing_evidence": "Tanpa bukti dukung wajib: 1",
        "overdue": "Terlambat: 3",
        "not_verified": "Belum diverifikasi: 3",
    }
    answer_everything(evaluation, verify=False)
    page = coordinator.get(url).content.decode()
    assert 'data-light="yellow"' in page and causes(page) == {"not_verified": "Belum diverifikasi: 3"}


def test_evidence_from_an_earlier_year_or_expired_by_the_meeting_is_flagged(evaluation) -> None:
    w = evaluation.world
    old = make_evidence(
        w.agency_a,
        w.operator_a,
        name="notulen-2022.pdf",
        content=pdf("Notulen 2022"),
        title="Notulen 2022",
        document_date=dt.date(2022, 11, 22),
    )
    # Valid on the day the readiness is checked, expired by the meeting on 12 June 2023.
    expiring = make_evidence(
        w.agency_a,
        w.operator_a,
        name="sertifikat.pdf",
        content=pdf("Sertifikat"),
        title="Sertifikat",
        valid_until=dt.date(2023, 6, 1),
    )
    answer_everything(evaluation)
    for answer, evidence in ((evaluation.yes_no, [w.evidence_a, old]), (evaluation.level, [expiring])):
        # DKISP returns each answer so DINKES can attach the extra document, then verifies it again.
        answer_return(answer=answer, by=w.coordinator, reason="Lampirkan dokumen pendukung.")
        saved = answer_update(
            answer=answer, by=w.operator_a, expected_version=fresh(answer).version, data={}, evidence=evidence
        )
        answer_submit(answer=saved, by=w.operator_a)
        answer_verify(answer=saved, by=w.coordinator)

    report = readiness(cycle=evaluation.cycle, today=dt.date(2023, 5, 25))

    assert report.totals["old_evidence"] == 1 and report.totals["expired_evidence"] == 1
    assert report.light == "yellow" and report.ready  # warnings, not blockers
    dinkes = next(line for line in report.by_agency if line.key == "DINKES")
    assert {(item.problem, item.code) for item in dinkes.items} == {
        ("old_evidence", "SG-B-01"),
        ("expired_evidence", "SG-O-01"),
    }


@pytest.mark.parametrize("count", [3, 90])
def test_readiness_costs_the_same_queries_whatever_the_size(world, count: int, django_assert_max_num_queries) -> None:
    cycle = cycle_create(region=world.region, by=world.coordinator, data=CYCLE_2023)
    dims = ["governance", "branding", "economy", "living", "society", "environment"]
    kinds = ["text", "level", "yes_no"]
    rows = [
        question_row(f"Q-{i:03d}", dims[i % 6], "output", kinds[i % 3], evidence_required=bool(i % 2))
        for i in range(count)
    ]
    questionnaire = questionnaire_import(cycle=cycle, by=world.coordinator, rows=rows)
    agencies = [world.agency_a, world.agency_b] + [
        agency_create(by=None, region=world.region, name=f"Dinas {i}", acronym=f"D{i}") for i in range(min(count, 12))
    ]
    for i, question in enumerate(questionnaire.questions.all()):
        assign_questions(cycle=cycle, by=world.coordinator, questions=[question], agency=agencies[i % len(agencies)])
    next_cycle = cycle_carry_forward(previous=cycle, by=world.coordinator, data=NEXT_YEAR)

    with django_assert_max_num_queries(6):
        report = readiness(cycle=next_cycle, today=BEFORE_DEADLINE_2024)
        assert report.totals["carried_untouched"] == count
    coordinator = client_for(world.coordinator)
    # 11, one for the earlier follow-up items still open (the item list's pages are counted by the lines' query)
    with django_assert_max_num_queries(12):
        page = coordinator.get(reverse("evaluations:readiness", args=[next_cycle.pk]))
        assert page.status_code == 200
    with django_assert_max_num_queries(11):
        assert coordinator.get(lock_url(next_cycle)).status_code == 200


# --- Locking ------------------------------------------------------------------------------------------------


def test_the_lock_page_shows_the_readiness_summary_and_asks_for_a_reason(evaluation) -> None:
    response = client_for(evaluation.world.coordinator).get(lock_url(evaluation.cycle))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-light="red"' in page and causes(page)["unanswered"] == "Belum dijawab: 3"
    assert 'data-testid="lock-needs-reason"' in page and 'name="reason"' in page
    assert not EvaluationCycle.objects.get(pk=evaluation.cycle.pk).is_locked  # a GET changes nothing


def test_locking_a_cycle_that_is_not_ready_needs_a_reason_which_is_audited(evaluation) -> None:
    client = client_for(evaluation.world.coordinator)

    refused = client.post(lock_url(evaluation.cycle), {"reason": "terlambat"})

    assert refused.status_code == 200
    error = " ".join(refused.context["form"].errors["reason"])
    assert "Siklus belum siap (Belum dijawab: 3, Tanpa bukti dukung wajib: 1, Terlambat: 3)" in error
    assert "minimal 10 karakter" in error
    assert "terlambat</textarea>" in refused.content.decode()  # what was typed is kept
    assert not EvaluationCycle.objects.get(pk=evaluation.cycle.pk).is_locked
    assert not AuditEvent.objects.filter(action="cycle.locked").exists()

    done = client.post(lock_url(evaluation.cycle), {"reason": REASON})

    assert done.status_code == 302
    assert EvaluationCycle.objects.get(pk=evaluation.cycle.pk).is_locked
    event = AuditEvent.objects.get(action="cycle.locked")
    assert event.reason == REASON and event.actor == evaluation.world.coordinator
    assert event.changes["readiness"] == "red" and event.changes["unanswered"] == 3
    assert event.changes["missing_evidence"] == 1 and event.changes["answers"] == 3


def test_a_ready_closed_cycle_locks_without_a_reason(evaluation) -> None:
    answer_everything(evaluation)
    client = client_for(evaluation.world.coordinator)
    page = client.get(lock_url(evaluation.cycle)).content.decode()
    assert 'data-light="green"' in page and 'data-testid="lock-needs-reason"' not in page

    assert client.post(lock_url(evaluation.cycle), {"reason": ""}).status_code == 302

    event = AuditEvent.objects.get(action="cycle.locked")
    assert event.reason == "" and event.changes == {"readiness": "green", "answers": 3}
    assert client.get(lock_url(evaluation.cycle)).status_code == 302  # already locked: back to the cycle


def test_locking_before_the_window_closes_asks_for_a_reason_too(evaluation) -> None:
    answer_everything(evaluation)
    w = evaluation.world
    with pytest.raises(ValidationError) as refused:
        cycle_lock(cycle=evaluation.cycle, by=w.coordinator, today=dt.date(2023, 5, 25))
    assert "Kuesioner masih terbuka sampai 31 Mei 2023" in refused.value.message_dict["reason"][0]
    # The last day of the window still belongs to the SKPDs (as their writes see it).
    with pytest.raises(ValidationError):
        cycle_lock(cycle=evaluation.cycle, by=w.coordinator, today=dt.date(2023, 5, 31))

    cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason=REASON, today=dt.date(2023, 5, 25))

    event = AuditEvent.objects.get(action="cycle.locked")
    assert event.reason == REASON and event.changes["window_closes_on"] == "2023-05-31"


def test_an_skpd_extension_keeps_the_window_open_for_the_lock(evaluation) -> None:
    answer_everything(evaluation)
    w = evaluation.world
    extension_grant(
        cycle=evaluation.cycle,
        agency=w.agency_b,
        closes_on=dt.date(2023, 6, 14),
        reason="Data survei belum lengkap.",
        by=w.coordinator,
    )

    with pytest.raises(ValidationError) as refused:
        cycle_lock(cycle=evaluation.cycle, by=w.coordinator, today=dt.date(2023, 6, 5))

    assert "14 Juni 2023" in refused.value.message_dict["reason"][0]
    assert cycle_lock(cycle=evaluation.cycle, by=w.coordinator, today=dt.date(2023, 6, 15)).is_locked


def test_the_lock_page_says_the_questionnaire_is_still_open(evaluation) -> None:
    answer_everything(evaluation)
    w = evaluation.world
    today = timezone.localdate()
    cycle_update(cycle=evaluation.cycle, by=w.coordinator, data={"closes_on": today + dt.timedelta(days=7)})
    client = client_for(w.coordinator)

    page = client.get(lock_url(evaluation.cycle)).content.decode()

    assert 'data-light="green"' in page and 'data-testid="window-open"' in page
    assert 'data-testid="lock-needs-reason"' in page
    refused = client.post(lock_url(evaluation.cycle), {"reason": ""})
    assert refused.status_code == 200 and "Kuesioner masih terbuka" in refused.context["form"].errors["reason"][0]


def test_a_second_lock_is_refused_by_the_service(evaluation) -> None:
    cycle_lock(cycle=evaluation.cycle, by=evaluation.world.coordinator, reason=REASON)
    with pytest.raises(ValidationError, match="sudah dikunci"):
        cycle_lock(cycle=evaluation.cycle, by=evaluation.world.coordinator, reason=REASON)
    assert AuditEvent.objects.filter(action="cycle.locked").count() == 1


# --- Unlocking after scoring, and what the assessor then sees ----------------------------------------------


def lock_and_score_everything(ev: Evaluation) -> EvaluationCycle:
    w = ev.world
    answer_everything(ev)
    cycle = cycle_lock(cycle=ev.cycle, by=w.coordinator)
    scores_save(
        cycle=cycle,
        by=w.assessor,
        scores={
            ev.yes_no.question: (Decimal("3.6"), ""),
            ev.level.question: (Decimal(3), "Rapat belum rutin."),
            ev.percentage.question: (Decimal("2.5"), ""),
        },
    )
    return cycle


def test_scores_remember_the_answer_version_they_were_given_for(evaluation) -> None:
    lock_and_score_everything(evaluation)

    for answer in (evaluation.yes_no, evaluation.level, evaluation.percentage):
        score = Score.objects.get(cycle=evaluation.cycle, question=answer.question_id)
        assert score.answer_version == fresh(answer).version == 4  # created, saved, submitted, verified


def test_unlocking_after_scoring_keeps_every_score_and_audits_how_many(evaluation) -> None:
    cycle = lock_and_score_everything(evaluation)
    client = client_for(evaluation.world.coordinator)
    url = reverse("evaluations:unlock", args=[cycle.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="scores-kept"' in page and "sudah memasukkan 3 nilai" in page

    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is still needed
    response = client.post(url, {"reason": "Dikunci sebelum DISDIK melampirkan survei."})

    assert response.status_code == 302
    assert not EvaluationCycle.objects.get(pk=cycle.pk).is_locked
    assert Score.objects.filter(cycle=cycle).count() == 3
    event = AuditEvent.objects.get(action="cycle.unlocked")
    assert event.reason == "Dikunci sebelum DISDIK melampirkan survei." and event.changes == {"scores_kept": 3}


def test_the_assessor_sees_which_answers_changed_since_they_scored(evaluation) -> None:
    w = evaluation.world
    cycle = lock_and_score_everything(evaluation)
    cycle_unlock(cycle=cycle, by=w.coordinator, reason="Dikunci sebelum DINKES selesai.")
    answer_return(answer=evaluation.level, by=w.coordinator, reason="Tambahkan rapat triwulan 2023.")
    level = answer_update(
        answer=evaluation.level,
        by=w.operator_a,
        expected_version=fresh(evaluation.level).version,
        data={"value_level": 4, "narrative": "Rapat setiap triwulan."},
    )
    answer_submit(answer=level, by=w.operator_a)
    answer_verify(answer=level, by=w.coordinator)
    cycle_lock(cycle=cycle, by=w.coordinator)
    assessor = client_for(w.assessor)

    overview = assessor.get(reverse("evaluations:assessment", args=[cycle.pk])).content.decode()
    assert 'data-testid="changed-summary"' in overview and "1 jawaban berubah sejak Anda menilainya" in overview
    assert 'data-testid="changed-governance"' in overview and 'data-testid="changed-society"' not in overview
    url = reverse("evaluations:assessment_dimension", args=[cycle.pk, "governance"])
    sheet = assessor.get(url).content.decode()
    assert "Berubah sejak Anda menilainya: SG-O-01." in sheet
    assert 'data-testid="changed-badge"' in card(sheet, "SG-O-01") and "Rapat setiap triwulan." in card(
        sheet, "SG-O-01"
    )
    assert 'data-testid="changed-badge"' not in card(sheet, "SG-B-01")

    # Saving the sheet again (the score stays 3) records that the assessor has seen the change.
    yes_no, level_q = evaluation.yes_no.question, evaluation.level.question
    sheet = {f"score_{yes_no.pk}": "3,6", f"score_{level_q.pk}": "3", f"note_{level_q.pk}": "Rapat belum rutin."}
    saved = assessor.post(url, sheet)
    assert saved.status_code == 302
    assert AuditEvent.objects.filter(action="score.saved").latest("pk").changes == {
        "reviewed_after_change": ["SG-O-01"]
    }
    assert 'data-testid="changed-badge"' not in assessor.get(url).content.decode()
    assert "changed-summary" not in assessor.get(reverse("evaluations:assessment", args=[cycle.pk])).content.decode()


def test_the_assessor_sees_each_answers_status_and_drafts_are_marked_plainly(evaluation) -> None:
    w = evaluation.world
    cycle = carried_cycle(evaluation)
    answers = answers_of(cycle)
    # DINKES re-submits SG-B-01 (verified) and starts editing SG-O-01 (a draft); DISDIK never looks at SS-I-01.
    answer_submit(answer=answers["SG-B-01"], by=w.operator_a)
    answer_verify(answer=answers["SG-B-01"], by=w.coordinator)
    answer_update(
        answer=answers["SG-O-01"],
        by=w.operator_a,
        expected_version=1,
        data={"value_level": 4, "narrative": "Draf penjelasan 2024."},
    )
    cycle_lock(cycle=cycle, by=w.coordinator, reason=REASON)
    cycle_set_assessors(cycle=cycle, by=w.coordinator, assessors=[w.assessor])
    assessor = client_for(w.assessor)

    governance = assessor.get(reverse("evaluations:assessment_dimension", args=[cycle.pk, "governance"]))
    society = assessor.get(reverse("evaluations:assessment_dimension", args=[cycle.pk, "society"]))

    verified, draft = card(governance.content.decode(), "SG-B-01"), card(governance.content.decode(), "SG-O-01")
    carried = card(society.content.decode(), "SS-I-01")
    assert "Terverifikasi" in verified and 'data-testid="answer-warning"' not in verified
    assert "Perbup Nomor 47 Tahun 2021." in verified  # the SKPD's explanation
    assert "Draf" in draft and "Belum diajukan: ini masih draf SKPD." in draft and "Draf penjelasan 2024." in draft
    assert 'data-testid="carried-untouched"' in carried and "dari 2023, belum diperiksa" in carried
    assert "Jawaban tahun lalu (2023) yang dibawa" in carried
    assert 'data-testid="carried-untouched"' not in draft


# --- Provisional indices ----------------------------------------------------------------------------------


def test_indices_are_provisional_with_their_coverage_until_every_question_is_scored(evaluation) -> None:
    w = evaluation.world
    answer_everything(evaluation)
    cycle = cycle_lock(cycle=evaluation.cycle, by=w.coordinator)
    scores_save(cycle=cycle, by=w.assessor, scores={evaluation.level.question: (Decimal(3), "")})
    assessor, coordinator = client_for(w.assessor), client_for(w.coordinator)
    overview_url = reverse("evaluations:assessment", args=[cycle.pk])
    results_url = reverse("evaluations:results", args=[cycle.pk])

    overview = assessor.get(overview_url).content.decode()
    assert 'data-state="provisional"' in overview and 'data-state="final"' not in overview
    assert "Indeks sementara" in overview and "1 dari 3 dinilai" in overview
    for client in (assessor, coordinator):
        results = client.get(results_url).content.decode()
        assert 'data-state="provisional"' in results and 'data-state="final"' not in results
        assert "1 dari 3 dinilai" in results and "Indeks sementara" in results

    rest = {evaluation.yes_no.question: (Decimal("3.6"), ""), evaluation.percentage.question: (Decimal("2.5"), "")}
    scores_save(cycle=cycle, by=w.assessor, scores=rest)

    overview = assessor.get(overview_url).content.decode()
    assert 'data-state="final"' in overview and "Indeks sementara" not in overview
    results = coordinator.get(results_url).content.decode()
    assert 'data-state="final"' in results and "Indeks sementara" not in results and "2,92" in results
