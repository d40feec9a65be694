"""The yearly evaluation: cycle, questionnaire versions, assignment, answers, readiness, lock, assessment,
results and carry-forward — through the services and through HTTP."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import AuditEvent
from common.workflow import VersionConflict
from evaluations.models import Answer, Assignment, EvaluationCycle, Question, Questionnaire, Score
from evaluations.questionnaire_io import COLUMNS, export_xlsx
from evaluations.selectors import cycle_indices, readiness
from evaluations.services.answers import answer_submit, answer_update, answer_verify
from evaluations.services.assessment import note_save, official_result_save, scores_save
from evaluations.services.cycles import (
    cycle_carry_forward,
    cycle_create,
    cycle_lock,
    cycle_unlock,
    questionnaire_import,
)
from tests.conftest import CYCLE_2023, PDF_BYTES, Evaluation, client_for, make_evidence, question_row

Status = Answer.Status


def fill(ev: Evaluation, *, verify: bool = True) -> None:
    """Answer, evidence, submit (and verify) every answer of the evaluation fixture."""
    w = ev.world
    answer_update(
        answer=ev.yes_no,
        by=w.operator_a,
        expected_version=ev.yes_no.version,
        data={"value_bool": True, "narrative": "Perbup Nomor 47 Tahun 2021."},
        evidence=[w.evidence_a],
    )
    answer_update(answer=ev.level, by=w.operator_a, expected_version=ev.level.version, data={"value_level": 3})
    evidence_b = make_evidence(w.agency_b, w.operator_b, name="survei.pdf", content=PDF_BYTES.replace(b"1.4", b"1.7"))
    answer_update(
        answer=ev.percentage,
        by=w.operator_b,
        expected_version=ev.percentage.version,
        data={"value_number": Decimal("62.5")},
        evidence=[evidence_b],
    )
    for answer, user in ((ev.yes_no, w.operator_a), (ev.level, w.operator_a), (ev.percentage, w.operator_b)):
        answer_submit(answer=answer, by=user)
        if verify:
            answer_verify(answer=answer, by=w.coordinator)


# Locking a cycle that is not ready needs a reason.
EARLY_LOCK = "Dikunci lebih awal untuk pengujian."


def refreshed(answer: Answer) -> Answer:
    return Answer.objects.select_related("question", "cycle", "agency").get(pk=answer.pk)


# --- Cycles -----------------------------------------------------------------------------------------------


def test_weights_must_add_up_to_100(world) -> None:
    with pytest.raises(ValidationError, match="100"):
        cycle_create(region=world.region, by=world.coordinator, data={**CYCLE_2023, "weight_impact": Decimal(25)})


def test_coordinator_creates_a_cycle_through_the_page_with_clear_errors(world) -> None:
    client = client_for(world.coordinator)
    data = {**CYCLE_2023, "weight_impact": "25", "closes_on": "2023-04-01"}
    response = client.post(reverse("evaluations:cycle_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "berjumlah 100" in html and 'value="Surabaya"' in html
    assert "closes_on" in response.context["form"].errors
    ok = client.post(
        reverse("evaluations:cycle_create"), {**CYCLE_2023, "weight_baseline": "10,5", "weight_output": "19,5"}
    )
    cycle = EvaluationCycle.objects.get(year=2023)
    assert ok["Location"] == cycle.get_absolute_url()
    assert cycle.weight_baseline == Decimal("10.5") and cycle.meeting_place == "Surabaya"


# --- Questionnaire versions ------------------------------------------------------------------------------


def test_an_unused_version_is_replaced_in_place(world) -> None:
    cycle = cycle_create(region=world.region, by=world.coordinator, data=CYCLE_2023)
    first = questionnaire_import(
        cycle=cycle, by=world.coordinator, rows=[question_row("A-1", "living", "output", "text")]
    )
    second = questionnaire_import(
        cycle=cycle, by=world.coordinator, rows=[question_row("A-2", "living", "output", "text")]
    )
    assert first.pk == second.pk and second.version == 1
    assert list(second.questions.values_list("code", flat=True)) == ["A-2"]


def test_editing_a_used_version_makes_a_new_one_and_answers_follow_by_code(evaluation) -> None:
    w = evaluation.world
    answer_update(answer=evaluation.level, by=w.operator_a, expected_version=1, data={"value_level": 4})
    old = evaluation.cycle.questionnaire
    rows = [
        question_row("SG-O-01", "governance", "output", "level", text="Tingkat kematangan Dewan Smart City?"),
        question_row("SS-I-01", "society", "impact", "percentage"),
        question_row("SE-Q-01", "economy", "quick_win", "text"),
    ]
    new = questionnaire_import(cycle=evaluation.cycle, by=w.coordinator, rows=rows)
    assert (new.version, new.parent_id) == (2, old.pk)
    assert Question.objects.filter(questionnaire=old).count() == 3  # the old version is untouched
    level = refreshed(evaluation.level)
    assert level.question.questionnaire_id == new.pk and level.value_level == 4
    assert level.question.text == "Tingkat kematangan Dewan Smart City?"
    assert not Answer.objects.filter(pk=evaluation.yes_no.pk).exists()  # SG-B-01 left the questionnaire
    assigned = Assignment.objects.filter(cycle=evaluation.cycle).values_list("question__code", flat=True)
    assert set(assigned) == {"SG-O-01", "SS-I-01"}
    assert AuditEvent.objects.get(action="questionnaire.imported", changes__removed_assignments=1)


def xlsx_upload(rows: list[list[object]], name: str = "kuesioner.xlsx") -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def test_import_previews_errors_and_a_bad_file_changes_nothing(evaluation) -> None:
    client = client_for(evaluation.world.coordinator)
    url = reverse("evaluations:questionnaire_import", args=[evaluation.cycle.pk])
    bad = xlsx_upload(
        [
            ["X-1", "atlantis", "", "baseline", 1, "Apa?", "", "text", "", "", "", "", "", "", "", 1],
            ["X-1", "governance", "", "baseline", 2, "Apa lagi?", "", "text", "", "", "", "", "", "", "", 1],
        ]
    )
    response = client.post(url, {"file": bad})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-errors"' in html
    assert "atlantis" in html and "Konfirmasi" not in html
    confirm = client.post(reverse("evaluations:questionnaire_import_confirm", args=[evaluation.cycle.pk]))
    assert confirm.status_code == 302
    assert EvaluationCycle.objects.get(pk=evaluation.cycle.pk).questionnaire.version == 1


def test_import_preview_then_confirm_makes_the_new_version(evaluation) -> None:
    client = client_for(evaluation.world.coordinator)
    export = export_xlsx(evaluation.cycle.questionnaire.questions.all())
    response = client.post(
        reverse("evaluations:questionnaire_import", args=[evaluation.cycle.pk]),
        {"file": SimpleUploadedFile("ekspor.xlsx", export), "name": "Kuesioner 2023 revisi"},
    )
    assert 'data-testid="import-ok"' in response.content.decode()
    assert Questionnaire.objects.count() == 1  # nothing saved by the preview
    done = client.post(reverse("evaluations:questionnaire_import_confirm", args=[evaluation.cycle.pk]))
    assert done.status_code == 302
    cycle = EvaluationCycle.objects.get(pk=evaluation.cycle.pk)
    assert cycle.questionnaire.name == "Kuesioner 2023 revisi" and cycle.questionnaire.version == 2


def test_the_template_and_export_download_as_xlsx(evaluation) -> None:
    client = client_for(evaluation.world.coordinator)
    template = client.get(reverse("evaluations:questionnaire_template"))
    export = client.get(reverse("evaluations:questionnaire_export", args=[evaluation.cycle.pk]))
    for response in (template, export):
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(export.getvalue())).worksheets[0]
    assert [c.value for c in sheet[1]] == COLUMNS and sheet.max_row == 4


# --- Assignment -------------------------------------------------------------------------------------------


def test_assigning_a_whole_dimension_creates_answers_and_mails_the_agency(world, django_capture_on_commit_callbacks):
    cycle = cycle_create(region=world.region, by=world.coordinator, data=CYCLE_2023)
    questionnaire_import(
        cycle=cycle,
        by=world.coordinator,
        rows=[
            question_row("L-1", "living", "output", "text"),
            question_row("L-2", "living", "impact", "number"),
            question_row("E-1", "economy", "output", "text"),
        ],
    )
    url = reverse("evaluations:assignment", args=[cycle.pk])
    whole_dimension = {
        "dimension": "living",
        "agency": world.agency_a.pk,
        "supporting": [world.dkisp.pk],
        "deadline": "2023-05-15",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.coordinator).post(url, whole_dimension)
    assert response.status_code == 302
    answered_by = Answer.objects.filter(cycle=cycle).values_list("question__code", "agency__acronym")
    assert sorted(answered_by) == [("L-1", "DINKES"), ("L-2", "DINKES")]
    assert Assignment.objects.get(cycle=cycle, question__code="L-1").deadline == dt.date(2023, 5, 15)
    assert mail.outbox[-1].to == ["operator_a@example.org"] and "2 pertanyaan" in mail.outbox[-1].body


def test_an_empty_assignment_is_refused_with_a_message(evaluation) -> None:
    response = client_for(evaluation.world.coordinator).post(
        reverse("evaluations:assignment", args=[evaluation.cycle.pk]),
        {"agency": evaluation.world.agency_a.pk, "deadline": "2023-05-15"},
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()


# --- Answers ----------------------------------------------------------------------------------------------


def test_operators_see_only_their_agencys_questions(evaluation) -> None:
    page = client_for(evaluation.world.operator_a).get(reverse("evaluations:my_questions"))
    codes = [a.question.code for _d, answers in page.context["groups"] for a in answers]
    assert codes == ["SG-B-01", "SG-O-01"]


def test_an_answer_needing_evidence_cannot_be_submitted_without_it(evaluation) -> None:
    w = evaluation.world
    answer = answer_update(answer=evaluation.yes_no, by=w.operator_a, expected_version=1, data={"value_bool": True})
    with pytest.raises(ValidationError) as caught:
        answer_submit(answer=answer, by=w.operator_a)
    assert "bukti dukung" in " ".join(caught.value.messages)
    level = answer_update(answer=evaluation.level, by=w.operator_a, expected_version=1, data={"value_level": 2})
    assert answer_submit(answer=level, by=w.operator_a).status == Status.SUBMITTED


def test_operator_answers_with_the_right_widget_and_an_upload(evaluation) -> None:
    w = evaluation.world
    client = client_for(w.operator_a)
    url = reverse("evaluations:answer_edit", args=[evaluation.level.pk])
    page = client.get(url).content.decode()
    assert 'type="radio"' in page and "Kriteria 5" in page
    data = {
        "version": 1,
        "value": "4",
        "narrative": "SK Dewan Smart City 2023.",
        "new_files_kind": "sk",
        "new_files": SimpleUploadedFile("SK Dewan.pdf", PDF_BYTES.replace(b"1.4", b"1.3")),
        "action": "submit",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    answer = refreshed(evaluation.level)
    assert answer.value_level == 4 and answer.status == Status.SUBMITTED
    assert [e.original_name for e in answer.evidence.all()] == ["SK Dewan.pdf"]


def test_a_percentage_over_100_is_a_field_error_that_keeps_the_text(evaluation) -> None:
    client = client_for(evaluation.world.operator_b)
    response = client.post(
        reverse("evaluations:answer_edit", args=[evaluation.percentage.pk]),
        {"version": 1, "value": "120", "narrative": "Survei kepuasan", "new_files_kind": "report"},
    )
    assert response.status_code == 200 and "value" in response.context["form"].errors
    assert "Survei kepuasan" in response.content.decode()


def test_a_stale_answer_save_is_a_conflict(evaluation) -> None:
    w = evaluation.world
    answer_update(answer=evaluation.level, by=w.operator_a, expected_version=1, data={"value_level": 2})
    with pytest.raises(VersionConflict):
        answer_update(answer=evaluation.level, by=w.operator_a, expected_version=1, data={"value_level": 5})
    assert refreshed(evaluation.level).value_level == 2


def test_verify_and_return_with_a_reason_mailed_to_the_agency(evaluation, django_capture_on_commit_callbacks):
    fill(evaluation, verify=False)
    w = evaluation.world
    client = client_for(w.coordinator)
    client.post(reverse("evaluations:answer_verify", args=[evaluation.level.pk]))
    assert refreshed(evaluation.level).status == Status.VERIFIED
    url = reverse("evaluations:answer_return", args=[evaluation.yes_no.pk])
    assert client.post(url, {"reason": "pendek"}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Lampirkan Perbup yang sudah diundangkan, bukan draf."})
    answer = refreshed(evaluation.yes_no)
    assert answer.status == Status.RETURNED and "diundangkan" in answer.return_reason
    assert mail.outbox[-1].to == ["operator_a@example.org"] and "dikembalikan" in mail.outbox[-1].subject


def test_bulk_verify_verifies_submitted_answers_only(evaluation) -> None:
    fill(evaluation, verify=False)
    client = client_for(evaluation.world.coordinator)
    ids = [evaluation.yes_no.pk, evaluation.level.pk]
    client.post(reverse("evaluations:answers_bulk_verify", args=[evaluation.cycle.pk]), {"answer": ids})
    assert set(Answer.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Status.VERIFIED}
    assert refreshed(evaluation.percentage).status == Status.SUBMITTED


# --- Readiness and locking -------------------------------------------------------------------------------


def test_readiness_goes_from_red_to_green(evaluation) -> None:
    before = readiness(cycle=evaluation.cycle, today=dt.date(2023, 5, 25))
    assert before.light == "red"
    dinkes = next(line for line in before.by_agency if line.key == "DINKES")
    assert dinkes.counts["unanswered"] == 2 and dinkes.counts["missing_evidence"] == 1 and dinkes.counts["overdue"] == 2
    fill(evaluation)
    after = readiness(cycle=evaluation.cycle, today=dt.date(2023, 5, 25))
    assert after.light == "green" and all(line.light == "green" for line in after.by_dimension)
    page = client_for(evaluation.world.coordinator).get(reverse("evaluations:readiness", args=[evaluation.cycle.pk]))
    assert 'data-light="green"' in page.content.decode()


def test_expired_evidence_turns_readiness_yellow(evaluation) -> None:
    fill(evaluation)
    evaluation.world.evidence_a.valid_until = dt.date(2023, 1, 1)
    evaluation.world.evidence_a.save()
    assert readiness(cycle=evaluation.cycle, today=dt.date(2023, 5, 25)).light == "yellow"


def test_nobody_changes_a_locked_cycle_by_any_request(evaluation) -> None:
    fill(evaluation, verify=False)
    w = evaluation.world
    cycle_lock(cycle=evaluation.cycle, by=w.coordinator)
    coordinator, operator = client_for(w.coordinator), client_for(w.operator_a)
    operator.post(reverse("evaluations:answer_edit", args=[evaluation.level.pk]), {"version": 3, "value": "1"})
    coordinator.post(reverse("evaluations:answer_verify", args=[evaluation.level.pk]))
    coordinator.post(reverse("evaluations:answer_return", args=[evaluation.level.pk]), {"reason": "x" * 20})
    coordinator.post(reverse("evaluations:cycle_update", args=[evaluation.cycle.pk]), {**CYCLE_2023, "stage": "X"})
    coordinator.post(
        reverse("evaluations:assignment", args=[evaluation.cycle.pk]),
        {"dimension": "governance", "agency": w.agency_b.pk, "deadline": "2023-05-20"},
    )
    answer = refreshed(evaluation.level)
    assert (answer.value_level, answer.status, answer.agency_id) == (3, Status.SUBMITTED, w.agency_a.pk)
    assert EvaluationCycle.objects.get(pk=evaluation.cycle.pk).stage == "Tahap I"
    with pytest.raises(ValidationError):
        answer_verify(answer=answer, by=w.coordinator)


def test_unlock_needs_a_reason_and_keeps_the_scores(evaluation) -> None:
    w = evaluation.world
    cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason=EARLY_LOCK)
    with pytest.raises(ValidationError):
        cycle_unlock(cycle=evaluation.cycle, by=w.coordinator, reason="")
    cycle_unlock(cycle=evaluation.cycle, by=w.coordinator, reason="Satu jawaban DINKES perlu dilengkapi.")
    assert AuditEvent.objects.get(action="cycle.unlocked").reason.startswith("Satu jawaban")
    cycle = cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason=EARLY_LOCK)
    scores_save(cycle=cycle, by=w.assessor, scores={evaluation.level.question: (Decimal(3), "")})
    cycle_unlock(cycle=cycle, by=w.coordinator, reason="Terkunci sebelum SKPD selesai.")
    assert Score.objects.filter(cycle=cycle).count() == 1


# --- Assessment -------------------------------------------------------------------------------------------


def test_assessors_see_only_locked_cycles_assigned_to_them(evaluation) -> None:
    w = evaluation.world
    assessor = client_for(w.assessor)
    assert assessor.get(reverse("evaluations:assessment", args=[evaluation.cycle.pk])).status_code == 404
    assert assessor.get(reverse("evaluations:answer", args=[evaluation.level.pk])).status_code == 404
    fill(evaluation)
    cycle_lock(cycle=evaluation.cycle, by=w.coordinator)
    assert assessor.get(reverse("evaluations:assessment", args=[evaluation.cycle.pk])).status_code == 200
    assert assessor.get(reverse("evaluations:answer", args=[evaluation.level.pk])).status_code == 200
    evidence = assessor.get(reverse("evaluations:assessment_evidence", args=[evaluation.cycle.pk, w.evidence_a.pk]))
    assert evidence.status_code == 200 and evidence["Content-Disposition"].startswith("attachment;")
    evaluation.cycle.assessors.clear()
    assert assessor.get(reverse("evaluations:assessment", args=[evaluation.cycle.pk])).status_code == 404


def test_assessor_scores_a_dimension_and_the_indices_follow(evaluation) -> None:
    fill(evaluation)
    w = evaluation.world
    cycle = cycle_lock(cycle=evaluation.cycle, by=w.coordinator)
    client = client_for(w.assessor)
    url = reverse("evaluations:assessment_dimension", args=[cycle.pk, "governance"])
    yes_no, level = evaluation.yes_no.question, evaluation.level.question
    bad = client.post(url, {f"score_{yes_no.pk}": "5,5", f"score_{level.pk}": "3"})
    assert bad.status_code == 200 and bad.context["form"].errors and not Score.objects.exists()
    ok = client.post(
        url,
        {
            f"score_{yes_no.pk}": "3,6",
            f"score_{level.pk}": "3",
            "strengths": "Perbup sudah ada.",
            "weaknesses": "Jawaban tidak didukung bukti dukung yang valid dan lengkap.",
            "recommendations": "Fungsikan Dewan Smart City.",
        },
    )
    assert ok.status_code == 302
    scores_save(cycle=cycle, by=w.assessor, scores={evaluation.percentage.question: (Decimal("2.5"), "")})
    indices = cycle_indices(cycle)
    assert indices.by_lens["baseline"] == Decimal("3.6") and indices.by_lens["output"] == Decimal(3)
    # Governance = (10·3.6 + 20·3) / 30 = 3.2; final = (10·3.6 + 20·3 + 20·2.5) / 50 = 2.92
    assert indices.by_dimension["governance"] == Decimal("3.2")
    assert indices.final == Decimal("2.92")
    results = client.get(reverse("evaluations:results", args=[cycle.pk])).content.decode()
    assert "2,92" in results and "Fungsikan Dewan Smart City." in results


def test_a_level_question_takes_a_whole_level(evaluation) -> None:
    fill(evaluation)
    cycle = cycle_lock(cycle=evaluation.cycle, by=evaluation.world.coordinator)
    with pytest.raises(ValidationError):
        scores_save(cycle=cycle, by=evaluation.world.assessor, scores={evaluation.level.question: (Decimal("3.5"), "")})


def test_only_the_assigned_assessor_of_a_locked_cycle_scores(evaluation) -> None:
    w = evaluation.world
    with pytest.raises(ValidationError):
        scores_save(cycle=evaluation.cycle, by=w.assessor, scores={evaluation.level.question: (Decimal(3), "")})
    cycle = cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason=EARLY_LOCK)
    with pytest.raises(ValidationError):
        note_save(cycle=cycle, by=w.operator_a, dimension=None, data={"strengths": "x"})


def test_official_result_is_shown_instead_of_the_computed_one(evaluation) -> None:
    w = evaluation.world
    client = client_for(w.coordinator)
    response = client.post(
        reverse("evaluations:official_result", args=[evaluation.cycle.pk]),
        {
            "letter_number": "B-123/DJAI/2023",
            "final_index": "3,31",
            "lens_baseline": "3,60",
            "lens_output": "3,21",
            "dim_governance": "3,45",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("evaluations:results", args=[evaluation.cycle.pk])).content.decode()
    assert "3,31" in page and "3,45" in page
    bad = client.post(reverse("evaluations:official_result", args=[evaluation.cycle.pk]), {"final_index": "7"})
    assert bad.status_code == 200 and "final_index" in bad.context["form"].errors


# --- Carry-forward ---------------------------------------------------------------------------------------


def test_next_year_starts_from_last_year_with_answers_as_drafts(evaluation) -> None:
    fill(evaluation)
    w = evaluation.world
    official_result_save(cycle=evaluation.cycle, by=w.coordinator, data={"final_index": Decimal("3.10")})
    next_year = {
        **CYCLE_2023,
        "year": 2024,
        "opens_on": dt.date(2024, 5, 1),
        "closes_on": dt.date(2024, 5, 31),
        "internal_deadline": dt.date(2024, 5, 20),
        "meeting_place": "Denpasar",
    }
    cycle = cycle_carry_forward(previous=evaluation.cycle, by=w.coordinator, data=next_year)
    answers = {a.question.code: a for a in Answer.objects.filter(cycle=cycle).select_related("question")}
    assert set(answers) == {"SG-B-01", "SG-O-01", "SS-I-01"}
    carried = answers["SG-B-01"]
    assert carried.status == Status.DRAFT and carried.value_bool is True
    assert carried.carried_from_id == evaluation.yes_no.pk and list(carried.evidence.all()) == [w.evidence_a]
    assert Assignment.objects.get(cycle=cycle, question__code="SG-B-01").deadline == dt.date(2024, 5, 20)
    # A new version for 2024: matched codes keep their carried answers, a new question starts empty.
    questionnaire_import(
        cycle=cycle,
        by=w.coordinator,
        rows=[
            question_row("SG-B-01", "governance", "baseline", "yes_no", evidence_required=True),
            question_row("SL-O-09", "living", "output", "text"),
        ],
    )
    assert refreshed(carried).value_bool is True
    page = client_for(w.operator_a).get(reverse("evaluations:my_questions"), {"siklus": cycle.pk})
    assert "dari 2023" in page.content.decode()
    results = client_for(w.coordinator).get(reverse("evaluations:results", args=[cycle.pk])).content.decode()
    assert "3,10" in results  # last year's official final index shown beside this year's


# --- Query counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 150])
def test_evaluation_pages_keep_constant_queries(world, count: int, django_assert_max_num_queries) -> None:
    from agencies.services import agency_create
    from evaluations.services.cycles import assign_questions

    cycle = cycle_create(region=world.region, by=world.coordinator, data=CYCLE_2023)
    dims = ["governance", "branding", "economy", "living", "society", "environment"]
    kinds = ["text", "level", "yes_no"]
    rows = [
        question_row(f"Q-{i:03d}", dims[i % 6], "output", kinds[i % 3], evidence_required=bool(i % 2))
        for i in range(count)
    ]
    questionnaire = questionnaire_import(cycle=cycle, by=world.coordinator, rows=rows)
    others = [
        agency_create(by=None, region=world.region, name=f"Dinas {i}", acronym=f"D{i}") for i in range(min(count, 29))
    ]
    agencies = [world.agency_a, *others]
    for i, question in enumerate(questionnaire.questions.all()):
        assign_questions(cycle=cycle, by=world.coordinator, questions=[question], agency=agencies[i % len(agencies)])
    coordinator, operator = client_for(world.coordinator), client_for(world.operator_a)
    for url in (
        reverse("evaluations:questionnaire", args=[cycle.pk]),
        reverse("evaluations:assignment", args=[cycle.pk]),
        reverse("evaluations:answers_review", args=[cycle.pk]) + "?status=all",
        reverse("evaluations:readiness", args=[cycle.pk]),
        reverse("evaluations:cycle", args=[cycle.pk]),
    ):
        with django_assert_max_num_queries(25):
            assert coordinator.get(url).status_code == 200, url
    with django_assert_max_num_queries(14):
        assert operator.get(reverse("evaluations:my_questions")).status_code == 200
    cycle_lock(cycle=cycle, by=world.coordinator, reason=EARLY_LOCK)
    cycle.assessors.add(world.assessor)
    assessor = client_for(world.assessor)
    with django_assert_max_num_queries(14):
        assert (
            assessor.get(reverse("evaluations:assessment_dimension", args=[cycle.pk, "governance"])).status_code == 200
        )
    with django_assert_max_num_queries(14):
        assert assessor.get(reverse("evaluations:assessment", args=[cycle.pk])).status_code == 200
