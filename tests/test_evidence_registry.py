"""The evidence library as its own app: uses known through the registry, one new-files path, one reason form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import Answer, AnswerEvidence
from evaluations.services.answers import answer_return, answer_submit, answer_update
from evidence import registry
from evidence.models import Evidence
from evidence.selectors import evidence_library, evidence_uses, with_use_counts
from evidence.services import evidence_delete, evidence_with_new_files
from masterplan.models import ProgressReport, ReportEvidence
from masterplan.services.reports import report_return, report_submit
from tests.conftest import PDF_BYTES, Evaluation, World, client_for, make_evidence, make_programme, make_report

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120
NOTICE_PDF = PDF_BYTES.replace(b"1.4", b"1.5")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def cite_in_answer(answer: Answer, evidence: Evidence, by: object) -> Answer:
    return answer_update(answer=answer, by=by, expected_version=answer.version, data={}, evidence=[evidence])


# --- Uses, through the registry ----------------------------------------------------------------------------


def test_both_link_models_are_registered_with_the_library() -> None:
    assert {link.model for link in registry.registered()} >= {ReportEvidence, AnswerEvidence}


def test_a_file_used_only_by_an_answer_cannot_be_deleted_and_says_where(evaluation: Evaluation) -> None:
    w = evaluation.world
    sk = make_evidence(w.agency_a, w.operator_a, name="SK Dewan.pdf", content=NOTICE_PDF)
    cite_in_answer(evaluation.yes_no, sk, w.operator_a)
    client = client_for(w.operator_a)
    response = client.post(reverse("evidence:delete", args=[sk.pk]))
    assert response.status_code == 302 and response["Location"] == sk.get_absolute_url()
    assert Evidence.objects.filter(pk=sk.pk).exists()
    page = client.get(sk.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "masih dipakai: Jawaban evaluasi" in html
    assert reverse("evaluations:answer", args=[evaluation.yes_no.pk]) in html
    with pytest.raises(ValidationError, match="Jawaban evaluasi"):
        evidence_delete(evidence=sk, by=w.operator_a)


def test_the_detail_page_lists_every_use_the_user_may_see(evaluation: Evaluation) -> None:
    w = evaluation.world
    cite_in_answer(evaluation.yes_no, w.evidence_a, w.operator_a)  # evidence A is in report A already
    response = client_for(w.coordinator).get(w.evidence_a.get_absolute_url())
    uses = response.context["uses"]
    assert [(u.label, u.url) for u in uses] == [
        ("Laporan kemajuan", w.report_a.get_absolute_url()),
        ("Jawaban evaluasi", evaluation.yes_no.get_absolute_url()),
    ]
    assert uses[1].text == f"SG-B-01 · {evaluation.cycle} · DINKES"
    html = response.content.decode()
    assert 'data-testid="evidence-uses"' in html and "SG-B-01" in html and "LIV-01" in html
    # Nobody else learns where it is used: the selector filters each use by the permission policy.
    assert evidence_uses(user=w.operator_b, evidence=w.evidence_a) == []


def test_an_owner_given_as_a_callable_is_filtered_by_the_policy_too(world: World, monkeypatch) -> None:
    monkeypatch.setattr(registry, "_links", {})
    registry.register(
        ReportEvidence,
        evidence_field="evidence",
        label="Laporan",
        owner_of=lambda link: link.report,
        select_related=("report__programme", "report__agency"),
    )
    [use] = evidence_uses(user=world.operator_a, evidence=world.evidence_a)
    assert use.url == world.report_a.get_absolute_url()
    assert evidence_uses(user=world.operator_b, evidence=world.evidence_a) == []


def test_registering_a_field_that_is_no_link_to_evidence_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured):
        registry.register(ReportEvidence, evidence_field="report", label="x", owner_of="report")


def test_the_detail_page_costs_the_same_queries_however_many_uses(evaluation: Evaluation) -> None:
    w = evaluation.world
    few = make_evidence(w.agency_a, w.operator_a, name="few.pdf", content=PDF_BYTES.replace(b"1.4", b"1.1"))
    many = make_evidence(w.agency_a, w.operator_a, name="many.pdf", content=PDF_BYTES.replace(b"1.4", b"1.2"))
    make_report(w.programme_a, w.agency_a, w.operator_a, year=2024, period=1, evidence=few)
    for period in (2, 3, 4):
        make_report(w.programme_a, w.agency_a, w.operator_a, year=2024, period=period, evidence=many)
    programme = make_programme(w.masterplan, w.agency_a, "LIV-02", element="health")
    make_report(programme, w.agency_a, w.operator_a, year=2024, period=1, evidence=many)
    cite_in_answer(evaluation.yes_no, many, w.operator_a)
    cite_in_answer(evaluation.level, many, w.operator_a)
    client = client_for(w.operator_a)
    client.get(few.get_absolute_url())  # warm the session and caches
    with CaptureQueriesContext(connection) as one_use:
        assert len(client.get(few.get_absolute_url()).context["uses"]) == 1
    with CaptureQueriesContext(connection) as six_uses:
        assert len(client.get(many.get_absolute_url()).context["uses"]) == 6
    assert len(six_uses) == len(one_use)


def test_the_detail_page_stays_within_its_query_budget(evaluation: Evaluation, django_assert_max_num_queries) -> None:
    w = evaluation.world
    cite_in_answer(evaluation.yes_no, w.evidence_a, w.operator_a)
    client = client_for(w.operator_a)
    # One query per registered link model (reports, answers, follow-up tasks) among them.
    with django_assert_max_num_queries(9):
        assert client.get(w.evidence_a.get_absolute_url()).status_code == 200


def test_the_library_counts_answers_among_the_uses(evaluation: Evaluation) -> None:
    w = evaluation.world
    sk = make_evidence(w.agency_a, w.operator_a, name="SK Dewan.pdf", content=NOTICE_PDF)
    cite_in_answer(evaluation.yes_no, sk, w.operator_a)
    cite_in_answer(evaluation.level, w.evidence_a, w.operator_a)
    counts = {e.pk: e.use_count for e in with_use_counts(evidence_library(user=w.operator_a, region=w.region))}
    assert counts == {sk.pk: 1, w.evidence_a.pk: 2}


def test_a_link_nobody_registered_still_stops_the_delete_with_a_message(world: World, monkeypatch) -> None:
    monkeypatch.setattr(registry, "_links", {})
    with pytest.raises(ValidationError, match="masih dipakai"):
        evidence_delete(evidence=world.evidence_a, by=world.operator_a)
    assert Evidence.objects.filter(pk=world.evidence_a.pk).exists()


def test_an_unused_file_is_deleted_with_its_bytes(world: World, django_capture_on_commit_callbacks) -> None:
    spare = make_evidence(world.agency_a, world.operator_a, name="spare.pdf", content=NOTICE_PDF)
    name, storage = spare.stored_file.file.name, spare.stored_file.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        evidence_delete(evidence=spare, by=world.operator_a)
    assert not Evidence.objects.filter(pk=spare.pk).exists() and not storage.exists(name)


# --- One path for a form's new files -----------------------------------------------------------------------


def test_the_service_stores_good_files_and_returns_refusals_keyed_by_the_file_field(world: World) -> None:
    files = evidence_with_new_files(
        agency=world.agency_a,
        by=world.operator_a,
        uploads=[upload("evil.pdf", EXE), upload("baru.pdf", NOTICE_PDF), upload("lagi.pdf", PDF_BYTES)],
        kind="minutes",
        chosen=[world.evidence_a],
        refused=["“besar.pdf” is too large."],
    )
    assert [e.original_name for e in files.evidence] == ["SK Tim Smart City.pdf", "baru.pdf"]
    assert files.evidence[1].kind == "minutes"
    assert files.errors is not None and set(files.errors.message_dict) == {"new_files"}
    problems = files.errors.message_dict["new_files"]
    assert problems[0] == "“besar.pdf” is too large." and "evil.pdf" in problems[1]
    assert len(files.notices) == 1 and "lagi.pdf" in files.notices[0]  # the same bytes as evidence A


def report_post(report: ProgressReport, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": report.version,
        "narrative": report.narrative,
        "evidence": [e.pk for e in report.evidence.all()],
        "new_files_kind": "report",
        "action": "save",
    }
    for realisation in report.realisations.all():
        data[f"value_{realisation.indicator_id}"] = str(realisation.value).replace(".", ",")
    data.update(overrides)
    return data


def test_a_refused_file_on_a_report_stays_on_the_form_with_what_was_typed(world: World) -> None:
    client = client_for(world.operator_a)
    url = reverse("masterplan:report_edit", args=[world.report_a.pk])
    typed = "Narasi yang baru saja diketik."
    new_files = [upload("evil.pdf", EXE), upload("baru.pdf", NOTICE_PDF)]
    response = client.post(
        url, report_post(world.report_a, narrative=typed, obstacles="Sinyal lemah", new_files=new_files)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "evil.pdf" in " ".join(form.errors["new_files"]) and set(form.errors) == {"new_files"}
    html = response.content.decode()
    assert typed in html and "Sinyal lemah" in html
    report = ProgressReport.objects.get(pk=world.report_a.pk)
    assert report.narrative == typed
    stored = Evidence.objects.get(original_name="baru.pdf")
    assert {e.pk for e in report.evidence.all()} == {world.evidence_a.pk, stored.pk}
    assert set(form["evidence"].value()) == {str(world.evidence_a.pk), str(stored.pk)}  # the new file is ticked
    # The form carries the saved version, so saving it again is no conflict.
    again = client.post(url, report_post(report, narrative=typed))
    assert again.status_code == 302


def test_a_refused_file_on_an_answer_stays_on_the_form_with_what_was_typed(evaluation: Evaluation) -> None:
    client = client_for(evaluation.world.operator_a)
    url = reverse("evaluations:answer_edit", args=[evaluation.level.pk])
    typed = "Penjelasan yang baru saja diketik."
    response = client.post(
        url,
        {
            "version": 1,
            "value": "4",
            "narrative": typed,
            "new_files_kind": "sk",
            "new_files": [upload("evil.pdf", EXE), upload("SK.pdf", NOTICE_PDF)],
            "action": "save",
        },
    )
    assert response.status_code == 200  # it used to redirect, and the reason and the text were gone
    form = response.context["form"]
    assert "evil.pdf" in " ".join(form.errors["new_files"]) and set(form.errors) == {"new_files"}
    html = response.content.decode()
    assert typed in html and "evil.pdf" in html
    answer = Answer.objects.get(pk=evaluation.level.pk)
    assert answer.narrative == typed and answer.value_level == 4
    assert [e.original_name for e in answer.evidence.all()] == ["SK.pdf"]
    again = client.post(url, {**form.data.dict(), "evidence": form.data.getlist("evidence"), "action": "save"})
    assert again.status_code == 302


def test_reports_and_answers_show_one_evidence_fieldset(evaluation: Evaluation) -> None:
    w = evaluation.world
    client = client_for(w.operator_a)
    for url in (
        reverse("masterplan:report_edit", args=[w.report_a.pk]),
        reverse("evaluations:answer_edit", args=[evaluation.level.pk]),
    ):
        html = client.get(url).content.decode()
        assert html.count('data-testid="evidence-fieldset"') == 1, url
        assert 'name="new_files"' in html and 'name="new_files_kind"' in html


# --- One reason form, one rule ------------------------------------------------------------------------------


def test_a_short_reason_gets_the_same_message_for_reports_and_answers(evaluation: Evaluation) -> None:
    w = evaluation.world
    report_submit(report=w.report_a, by=w.operator_a)
    cite_in_answer(evaluation.yes_no, w.evidence_a, w.operator_a)
    answer_update(answer=evaluation.yes_no, by=w.operator_a, expected_version=2, data={"value_bool": True})
    answer_submit(answer=evaluation.yes_no, by=w.operator_a)
    client = client_for(w.coordinator)
    messages = []
    for url in (
        reverse("masterplan:report_return", args=[w.report_a.pk]),
        reverse("evaluations:answer_return", args=[evaluation.yes_no.pk]),
    ):
        response = client.post(url, {"reason": "  kurang  "})
        assert response.status_code == 200
        messages.append(response.context["form"].errors["reason"])
    assert messages[0] == messages[1] == ["Tuliskan alasan paling sedikit 10 karakter."]
    with pytest.raises(ValidationError) as on_report:
        report_return(report=w.report_a, by=w.coordinator, reason="kurang")
    with pytest.raises(ValidationError) as on_answer:
        answer_return(answer=evaluation.yes_no, by=w.coordinator, reason="kurang")
    assert on_report.value.message_dict == on_answer.value.message_dict == {"reason": messages[0]}
