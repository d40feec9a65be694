"""The recommendation register: items, SKPD tasks reported with evidence, recurrence, the link to the next cycle,
readiness and the assessor's sheet, through the services and through HTTP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import AuditEvent
from evaluations.actions import EvaluationAction
from evaluations.models import AssessmentNote, FollowUpItem, FollowUpTask, Question
from evaluations.selectors import followup as selectors
from evaluations.services import followup as services
from evaluations.services.cycles import cycle_carry_forward, cycle_lock, cycle_set_assessors, questionnaire_import
from evidence.services import evidence_delete, uses_of
from masterplan.models import Dimension
from tests.conftest import CYCLE_2023, PDF_BYTES, Evaluation, client_for, make_evidence, question_row

DUE = dt.date(2023, 9, 30)
TEXT = "Tetapkan Masterplan Smart City dengan Peraturan Bupati."
NEXT_YEAR = {
    **CYCLE_2023,
    "year": 2024,
    "opens_on": dt.date(2024, 5, 1),
    "closes_on": dt.date(2024, 5, 31),
    "internal_deadline": dt.date(2024, 5, 20),
    "meeting_date": dt.date(2024, 6, 19),
}
EARLY = "Dikunci untuk pengujian tindak lanjut."


def question(ev: Evaluation, code: str) -> Question:
    return Question.objects.get(questionnaire_id=ev.cycle.questionnaire_id, code=code)


def make_item(ev: Evaluation, text: str = TEXT, *, tasks: bool = True, **extra: object) -> FollowUpItem:
    w = ev.world
    return services.item_create(
        cycle=ev.cycle,
        by=w.coordinator,
        source=FollowUpItem.Source.RECOMMENDATION,
        text=text,
        dimension=Dimension.objects.get(code="governance"),
        questions=[question(ev, "SG-B-01")],
        tasks=[(w.agency_a, DUE)] if tasks else (),
        **extra,
    )


def task_of(item: FollowUpItem, agency: object) -> FollowUpTask:
    return FollowUpTask.objects.select_related("item", "agency").get(item=item, agency=agency)


def fresh(item: FollowUpItem) -> FollowUpItem:
    return FollowUpItem.objects.get(pk=item.pk)


# --- The workflow through the services -------------------------------------------------------------------------


def test_it_creates_an_item_assigns_it_and_mails_the_skpd(evaluation, django_capture_on_commit_callbacks) -> None:
    w = evaluation.world
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(evaluation)
    task = task_of(item, w.agency_a)
    assert (item.status, task.status, task.due_on) == ("open", "open", DUE)
    assert list(item.questions.values_list("code", flat=True)) == ["SG-B-01"]
    assert [m.to for m in mail.outbox] == [["operator_a@example.org"]]
    assert task.get_absolute_url() in mail.outbox[0].body
    actions = set(AuditEvent.objects.filter(target_id=str(item.pk)).values_list("action", flat=True))
    assert {EvaluationAction.FOLLOWUP_CREATED, EvaluationAction.FOLLOWUP_ASSIGNED} <= actions


def test_the_item_follows_its_tasks_until_every_one_is_done(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    services.tasks_assign(item=item, by=w.coordinator, agencies_with_due_dates=[(w.agency_b, DUE)])
    evidence_a = make_evidence(w.agency_a, w.operator_a, "Perbup.pdf", PDF_BYTES.replace(b"1.4", b"1.5"))
    services.task_report(
        task=task_of(item, w.agency_a), by=w.operator_a, report="Draf Perbup.", evidence=[], done=False
    )
    assert fresh(item).status == "in_progress"
    services.task_report(
        task=task_of(item, w.agency_a), by=w.operator_a, report="Perbup ditetapkan.", evidence=[evidence_a], done=True
    )
    assert fresh(item).status == "in_progress"  # agency B has not finished
    evidence_b = make_evidence(w.agency_b, w.operator_b, "SK.pdf", PDF_BYTES.replace(b"1.4", b"1.6"))
    services.task_report(
        task=task_of(item, w.agency_b), by=w.operator_b, report="Sosialisasi.", evidence=[evidence_b], done=True
    )
    assert fresh(item).status == "done"
    assert task_of(item, w.agency_a).reported_by == w.operator_a


def test_done_needs_a_report_and_evidence(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    with pytest.raises(ValidationError) as refused:
        services.task_report(task=task_of(item, w.agency_a), by=w.operator_a, report="  ", evidence=[], done=True)
    assert set(refused.value.message_dict) == {"report", "evidence"}
    assert task_of(item, w.agency_a).status == "open"


def test_an_skpd_cannot_attach_another_agencys_evidence(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    foreign = make_evidence(w.agency_b, w.operator_b, "Lain.pdf", PDF_BYTES.replace(b"1.4", b"1.6"))
    with pytest.raises(ValidationError):
        services.task_report(task=task_of(item, w.agency_a), by=w.operator_a, report="x", evidence=[foreign], done=True)


def test_drop_needs_a_reason_and_refuses_reports_then_reopen_allows_them(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    with pytest.raises(ValidationError) as refused:
        services.item_drop(item=item, by=w.coordinator, reason=" ")
    assert "reason" in refused.value.message_dict
    services.item_drop(item=item, by=w.coordinator, reason="Sudah tidak relevan dengan RPJMD baru.")
    item = fresh(item)
    assert (item.status, item.drop_reason) == ("dropped", "Sudah tidak relevan dengan RPJMD baru.")
    with pytest.raises(ValidationError):
        services.task_report(task=task_of(item, w.agency_a), by=w.operator_a, report="x", evidence=[], done=False)
    services.item_reopen(item=item, by=w.coordinator, reason="Masih diminta oleh asesor.")
    assert (fresh(item).status, fresh(item).drop_reason) == ("open", "")
    services.task_report(task=task_of(item, w.agency_a), by=w.operator_a, report="Mulai.", evidence=[], done=False)
    assert fresh(item).status == "in_progress"


def test_a_report_on_a_task_whose_item_was_dropped_meanwhile_is_refused(evaluation) -> None:
    """The SKPD opened its task (a stale object) and DKISP dropped the item before the SKPD saved: the service
    reads the item under its row lock and refuses, whatever the caller's copy says."""
    w = evaluation.world
    item = make_item(evaluation)
    stale = task_of(item, w.agency_a)
    evidence = make_evidence(w.agency_a, w.operator_a, "Perbup.pdf", PDF_BYTES.replace(b"1.4", b"1.5"))
    services.item_drop(item=item, by=w.coordinator, reason="Digabung dengan item lain tahun ini.")
    with pytest.raises(ValidationError, match=r"dropped|dihentikan|takes no more"):
        services.task_report(task=stale, by=w.operator_a, report="Selesai.", evidence=[evidence], done=True)
    task = task_of(item, w.agency_a)
    assert (task.status, task.report, task.evidence.count()) == ("open", "", 0)
    assert fresh(item).status == "dropped"


@pytest.mark.django_db(transaction=True)
def test_a_report_and_a_drop_at_the_same_moment_never_leave_a_report_after_the_drop(evaluation, monkeypatch) -> None:
    """Real concurrent transactions (tests.test_races_and_duties): the report pauses between its checks and its
    write; the drop must either wait for it or make it refuse, never slip in between."""
    from evaluations.services.followup import tasks as task_services
    from tests.test_races_and_duties import _concurrently, _slow

    w = evaluation.world
    evidence = make_evidence(w.agency_a, w.operator_a, "Perbup.pdf", PDF_BYTES.replace(b"1.4", b"1.5"))
    _slow(monkeypatch, task_services, "_link_task_evidence")  # where task_report looks it up
    bad = 0
    for round_ in range(5):
        item = make_item(evaluation, f"Rekomendasi putaran {round_}.")
        task = task_of(item, w.agency_a)

        def report(task: FollowUpTask = task) -> FollowUpTask:
            return services.task_report(task=task, by=w.operator_a, report="Selesai.", evidence=[evidence], done=True)

        def drop(item: FollowUpItem = item) -> FollowUpItem:
            return services.item_drop(item=item, by=w.coordinator, reason="Digabung dengan item lain tahun ini.")

        outcomes = _concurrently(report, drop)
        task, item = task_of(item, w.agency_a), fresh(item)
        dropped_at = AuditEvent.objects.filter(action="followup.dropped", target_id=str(item.pk)).values_list(
            "created_at", flat=True
        )
        if outcomes[1][0] == "ok":
            assert item.status == "dropped"
            bad += task.reported_at is not None and task.reported_at > dropped_at.get()
        else:  # the report finished the item first; a done item is still dropped (with its reason)
            bad += 1
    assert bad == 0


def test_a_stale_version_is_a_conflict_not_an_overwrite(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    task = task_of(item, w.agency_a)
    services.task_report(task=task, by=w.operator_a, report="Versi pertama.", evidence=[], done=False)
    from common.workflow import VersionConflict

    with pytest.raises(VersionConflict):
        services.task_report(
            task=task, by=w.operator_a, report="Versi lama.", evidence=[], done=False, expected_version=task.version
        )
    assert task_of(item, w.agency_a).report == "Versi pertama."


def test_an_item_of_a_later_year_with_the_same_text_recurs(evaluation) -> None:
    w = evaluation.world
    first = make_item(evaluation)
    next_cycle = cycle_carry_forward(previous=evaluation.cycle, by=w.coordinator, data=NEXT_YEAR)
    again = services.item_create(
        cycle=next_cycle,
        by=w.coordinator,
        source="recommendation",
        text="  tetapkan masterplan SMART city\n dengan Peraturan   Bupati. ",
    )
    assert again.recurs_id == first.pk
    other = services.item_create(cycle=next_cycle, by=w.coordinator, source="weakness", text="Forum belum rutin.")
    assert other.recurs_id is None
    # ...or DKISP says so itself.
    services.item_update(item=other, by=w.coordinator, expected_version=other.version, data={"recurs": first})
    assert fresh(other).recurs_id == first.pk
    # A same-year item is no recurrence.
    same_year = services.item_create(cycle=evaluation.cycle, by=w.coordinator, source="weakness", text=TEXT)
    assert same_year.recurs_id is None
    with pytest.raises(ValidationError):
        services.item_update(item=first, by=w.coordinator, expected_version=first.version, data={"recurs": again})


def test_items_from_notes_makes_one_item_per_line_and_nothing_the_second_time(evaluation) -> None:
    w = evaluation.world
    governance = Dimension.objects.get(code="governance")
    AssessmentNote.objects.create(
        cycle=evaluation.cycle,
        dimension=governance,
        weaknesses="- Dewan Smart City belum bekerja rutin.\n\n- Pendanaan hanya APBD.",
        recommendations="1. Tetapkan Perbup Masterplan.\n",
        strengths="Layanan publik terpadu.",
    )
    AssessmentNote.objects.create(cycle=evaluation.cycle, dimension=None, recommendations="Naikkan indeks SPBE.")
    created = services.items_from_notes(cycle=evaluation.cycle, by=w.coordinator)
    got = {(i.source, i.dimension_id, i.text) for i in created}
    assert len(created) == 4
    assert got == set(
        [
            ("weakness", governance.pk, "Dewan Smart City belum bekerja rutin."),
            ("weakness", governance.pk, "Pendanaan hanya APBD."),
            ("recommendation", governance.pk, "Tetapkan Perbup Masterplan."),
            ("recommendation", None, "Naikkan indeks SPBE."),
        ]
    )
    assert services.items_from_notes(cycle=evaluation.cycle, by=w.coordinator) == []
    assert FollowUpItem.objects.filter(cycle=evaluation.cycle).count() == 4


def test_the_next_questionnaire_links_the_items_by_question_code(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    next_cycle = cycle_carry_forward(previous=evaluation.cycle, by=w.coordinator, data=NEXT_YEAR)
    rows = [
        question_row("SG-B-01", "governance", "baseline", "yes_no"),
        question_row("SG-X-09", "governance", "output", "yes_no"),
    ]
    new = questionnaire_import(cycle=next_cycle, by=w.coordinator, rows=rows, name="Kuesioner 2024")
    new_question = new.questions.get(code="SG-B-01")
    assert new_question.pk != question(evaluation, "SG-B-01").pk
    assert set(item.questions.values_list("pk", flat=True)) == {question(evaluation, "SG-B-01").pk, new_question.pk}
    assert services.link_items_to_cycle(next_cycle) == 0  # already linked: nothing twice
    # Editing the 2023 item's own questions keeps its link to 2024's question.
    services.item_update(item=item, by=w.coordinator, expected_version=fresh(item).version, data={"questions": []})
    assert list(item.questions.values_list("pk", flat=True)) == [new_question.pk]


def test_readiness_lists_the_earlier_items_still_open_without_blocking(evaluation) -> None:
    w = evaluation.world
    open_item = make_item(evaluation)
    done_item = make_item(evaluation, "Susun roadmap SPBE.", tasks=False)
    services.item_drop(item=done_item, by=w.coordinator, reason="Sudah masuk rencana kerja DKISP.")
    next_cycle = cycle_carry_forward(previous=evaluation.cycle, by=w.coordinator, data=NEXT_YEAR)
    found = selectors.open_items_for_cycle(next_cycle)
    assert [(f.item_id, f.codes) for f in found] == [(open_item.pk, ("SG-B-01",))]
    assert selectors.open_items_for_cycle(evaluation.cycle) == []  # its own items are not "earlier"
    page = client_for(w.coordinator).get(reverse("evaluations:readiness", args=[next_cycle.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="open-followups-count"' in html
    assert open_item.get_absolute_url() in html and done_item.get_absolute_url() not in html


def test_the_assessor_sees_last_years_item_and_its_follow_up_beside_the_question(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    evidence = make_evidence(w.agency_a, w.operator_a, "Perbup.pdf", PDF_BYTES.replace(b"1.4", b"1.5"))
    services.task_report(
        task=task_of(item, w.agency_a),
        by=w.operator_a,
        report="Perbup 12/2023 ditetapkan.",
        evidence=[evidence],
        done=True,
    )
    next_cycle = cycle_carry_forward(previous=evaluation.cycle, by=w.coordinator, data=NEXT_YEAR)
    cycle_set_assessors(cycle=next_cycle, by=w.coordinator, assessors=[w.assessor])
    cycle_lock(cycle=next_cycle, by=w.coordinator, reason=EARLY)
    page = client_for(w.assessor).get(reverse("evaluations:assessment_dimension", args=[next_cycle.pk, "governance"]))
    assert page.status_code == 200
    html = page.content.decode()
    block = html[html.index('data-testid="question-SG-B-01"') :]
    block = block[: block.index('data-testid="question-SG-O-01"')]
    assert 'data-testid="earlier-followup"' in block
    assert TEXT in block and "Perbup 12/2023 ditetapkan." in block
    assert "earlier-followup" not in html[html.index('data-testid="question-SG-O-01"') :]


def test_used_evidence_cannot_be_deleted(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    evidence = make_evidence(w.agency_a, w.operator_a, "Perbup.pdf", PDF_BYTES.replace(b"1.4", b"1.5"))
    services.task_report(task=task_of(item, w.agency_a), by=w.operator_a, report="x", evidence=[evidence], done=False)
    assert uses_of(evidence)
    with pytest.raises(ValidationError):
        evidence_delete(evidence=evidence, by=w.operator_a)
    page = client_for(w.operator_a).get(reverse("evidence:detail", args=[evidence.pk]))
    assert task_of(item, w.agency_a).get_absolute_url() in page.content.decode()


# --- Through HTTP ------------------------------------------------------------------------------------------------


def test_the_skpd_reports_its_task_with_an_upload_and_marks_it_done(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    task = task_of(item, w.agency_a)
    client = client_for(w.operator_a)
    register = client.get(reverse("evaluations:followup_register"))
    assert task.get_absolute_url() in register.content.decode()
    upload = SimpleUploadedFile("Perbup Masterplan.pdf", PDF_BYTES.replace(b"1.4", b"1.7"))
    response = client.post(
        task.get_absolute_url(),
        {
            "report": "Perbup Nomor 12 Tahun 2023 telah ditetapkan.",
            "version": task.version,
            "new_files": [upload],
            "new_files_kind": "perbup",
            "action": "done",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    task = task_of(item, w.agency_a)
    assert task.status == "done" and task.evidence.get().title == "Perbup Masterplan"
    assert fresh(item).status == "done"
    page = client_for(w.coordinator).get(item.get_absolute_url()).content.decode()
    assert "Perbup Nomor 12 Tahun 2023 telah ditetapkan." in page and "Perbup Masterplan" in page


def test_another_skpds_task_and_item_are_404(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    task = task_of(item, w.agency_a)
    other = client_for(w.operator_b)
    assert other.get(task.get_absolute_url()).status_code == 404
    assert other.post(task.get_absolute_url(), {"report": "x", "version": 1}).status_code == 404
    assert other.get(item.get_absolute_url()).status_code == 404
    assert TEXT not in other.get(reverse("evaluations:followup_register")).content.decode()


def test_the_coordinator_does_not_report_for_an_skpd(evaluation) -> None:
    item = make_item(evaluation)
    task = task_of(item, evaluation.world.agency_a)
    assert client_for(evaluation.world.coordinator).post(task.get_absolute_url(), {"report": "x"}).status_code == 403


def test_the_coordinator_creates_edits_assigns_drops_and_reopens_through_the_pages(evaluation) -> None:
    w = evaluation.world
    client = client_for(w.coordinator)
    create = reverse("evaluations:followup_item_create") + f"?cycle={evaluation.cycle.pk}"
    assert client.get(create).status_code == 200
    response = client.post(
        create,
        {
            "cycle": evaluation.cycle.pk,
            "source": "weakness",
            "dimension": "",
            "text": TEXT,
            "question_codes": "SG-B-01",
        },
    )
    assert response.status_code == 302
    item = FollowUpItem.objects.get(text=TEXT)
    edit = reverse("evaluations:followup_item_edit", args=[item.pk])
    response = client.post(
        edit, {"source": "recommendation", "text": TEXT + " Segera.", "question_codes": "", "version": item.version}
    )
    assert response.status_code == 302 and fresh(item).text.endswith("Segera.")
    assert not fresh(item).questions.exists()
    assign = reverse("evaluations:followup_item_assign", args=[item.pk])
    response = client.post(assign, {"agencies": [w.agency_a.pk, w.agency_b.pk], "due_on": "2023-10-31"})
    assert response.status_code == 302 and fresh(item).tasks.count() == 2
    drop = reverse("evaluations:followup_item_drop", args=[item.pk])
    assert client.post(drop, {"reason": "Tidak relevan lagi tahun ini."}).status_code == 302
    assert fresh(item).status == "dropped"
    reopen = reverse("evaluations:followup_item_reopen", args=[item.pk])
    assert client.post(reopen, {"reason": "Diminta lagi oleh asesor."}).status_code == 302
    assert fresh(item).status == "open"


def test_an_edit_on_a_stale_version_shows_the_conflict(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    services.item_update(item=item, by=w.coordinator, expected_version=item.version, data={"text": "Versi lain."})
    response = client_for(w.coordinator).post(
        reverse("evaluations:followup_item_edit", args=[item.pk]),
        {"source": "recommendation", "text": "Versi saya.", "version": item.version},
    )
    assert response.status_code == 200 and 'data-testid="conflict"' in response.content.decode()
    assert fresh(item).text == "Versi lain."


def test_the_results_button_creates_items_from_the_notes(evaluation) -> None:
    AssessmentNote.objects.create(cycle=evaluation.cycle, dimension=None, recommendations="Naikkan indeks SPBE.")
    client = client_for(evaluation.world.coordinator)
    results = client.get(reverse("evaluations:results", args=[evaluation.cycle.pk])).content.decode()
    assert reverse("evaluations:followup_from_notes", args=[evaluation.cycle.pk]) in results
    url = reverse("evaluations:followup_from_notes", args=[evaluation.cycle.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert FollowUpItem.objects.filter(cycle=evaluation.cycle).count() == 1


def test_the_register_filters_and_counts(evaluation) -> None:
    w = evaluation.world
    make_item(evaluation)
    dropped = make_item(evaluation, "Bentuk forum rutin.", tasks=False)
    services.item_drop(item=dropped, by=w.coordinator, reason="Sudah berjalan sejak 2022.")
    client = client_for(w.coordinator)
    page = client.get(reverse("evaluations:followup_register"), {"status": "dropped"})
    assert [i.pk for i in page.context["page"].object_list] == [dropped.pk]
    counts = {status: n for status, _label, n in page.context["counts"]}
    assert counts == {"open": 0, "in_progress": 0, "done": 0, "dropped": 1}
    page = client.get(reverse("evaluations:followup_register"), {"agency": w.agency_a.pk})
    assert [i.text for i in page.context["page"].object_list] == [TEXT]
    page = client.get(reverse("evaluations:followup_register"), {"recurring": "yes"})
    assert list(page.context["page"].object_list) == []


def test_the_assessor_reads_the_register_but_changes_nothing(evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason=EARLY)
    client = client_for(w.assessor)
    assert client.get(reverse("evaluations:followup_register")).status_code == 200
    assert client.get(item.get_absolute_url()).status_code == 200
    assert client.get(reverse("evaluations:followup_item_edit", args=[item.pk])).status_code == 403
    assert client.get(reverse("evaluations:followup_item_create")).status_code == 403


# --- Bad input: a message next to the field, never a 500 -----------------------------------------------------------

HUGE = "9" * 30


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"cycle": HUGE, "source": "weakness", "text": "x"}, "cycle"),
        ({"cycle": "CYCLE", "source": "nonsense", "text": "x"}, "source"),
        ({"cycle": "CYCLE", "source": "weakness", "text": "a\x00b"}, "text"),
        ({"cycle": "CYCLE", "source": "weakness", "text": "   "}, "text"),
        ({"cycle": "CYCLE", "source": "weakness", "text": "x", "question_codes": "NOPE-1"}, "question_codes"),
        ({"cycle": "CYCLE", "source": "weakness", "text": "x", "dimension": HUGE}, "dimension"),
    ],
)
def test_bad_input_on_the_item_form(evaluation, data: dict[str, str], field: str) -> None:
    data = {k: (str(evaluation.cycle.pk) if v == "CYCLE" else v) for k, v in data.items()}
    response = client_for(evaluation.world.coordinator).post(reverse("evaluations:followup_item_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not FollowUpItem.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"agencies": [HUGE], "due_on": "2023-10-31"}, "agencies"),
        ({"agencies": ["AGENCY"], "due_on": "31-31-2023"}, "due_on"),
        ({"agencies": ["AGENCY"], "due_on": "9999-12-31"}, "due_on"),
        ({"agencies": ["AGENCY"], "due_on": "2023\x00-10-31"}, "due_on"),
        ({"agencies": [], "due_on": "2023-10-31"}, "agencies"),
    ],
)
def test_bad_input_on_the_assign_form(evaluation, data: dict[str, object], field: str) -> None:
    item = make_item(evaluation, tasks=False)
    agency = str(evaluation.world.agency_a.pk)
    data = {
        k: ([agency if v == "AGENCY" else v for v in value] if isinstance(value, list) else value)
        for k, value in data.items()
    }
    response = client_for(evaluation.world.coordinator).post(
        reverse("evaluations:followup_item_assign", args=[item.pk]), data
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not item.tasks.exists()


@pytest.mark.parametrize("reason", ["", "   ", "kurang", "alasan\x00panjang sekali"])
def test_bad_reasons_to_drop(evaluation, reason: str) -> None:
    item = make_item(evaluation)
    response = client_for(evaluation.world.coordinator).post(
        reverse("evaluations:followup_item_drop", args=[item.pk]), {"reason": reason}
    )
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert fresh(item).status == "open"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"report": "a\x00b", "version": "VERSION"}, "report"),
        ({"report": "ok", "version": HUGE + "x"}, "version"),
        ({"report": "ok", "version": "VERSION", "evidence": [HUGE]}, "evidence"),
        ({"report": "", "version": "VERSION", "action": "done"}, "report"),
        ({"report": "Sudah.", "version": "VERSION", "action": "done"}, "evidence"),
    ],
)
def test_bad_input_on_the_task_form(evaluation, data: dict[str, object], field: str) -> None:
    item = make_item(evaluation)
    task = task_of(item, evaluation.world.agency_a)
    data = {"new_files_kind": "report", **{k: (str(task.version) if v == "VERSION" else v) for k, v in data.items()}}
    response = client_for(evaluation.world.operator_a).post(task.get_absolute_url(), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert task_of(item, evaluation.world.agency_a).status == "open"


@pytest.mark.parametrize("query", [{"cycle": HUGE}, {"year": "２０２３"}, {"agency": "x\x00"}, {"page": HUGE}])
def test_bad_filters_on_the_register(evaluation, query: dict[str, str]) -> None:
    make_item(evaluation)
    response = client_for(evaluation.world.coordinator).get(reverse("evaluations:followup_register"), query)
    # A NUL byte in a query string is refused by the site's request checks (400) before any view runs.
    assert response.status_code == (400 if "\x00" in "".join(query.values()) else 200)


def test_huge_ids_in_the_urls_are_404(evaluation) -> None:
    client = client_for(evaluation.world.coordinator)
    for name in ("evaluations:followup_item", "evaluations:followup_task"):
        assert client.get(f"{reverse(name, args=[1])[:-2]}{HUGE}/").status_code == 404


# --- A fixed number of queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 25])
def test_the_register_costs_the_same_queries_whatever_its_size(
    evaluation, count: int, django_assert_max_num_queries
) -> None:
    w = evaluation.world
    for i in range(count):
        item = make_item(evaluation, f"Rekomendasi nomor {i}.")
        services.tasks_assign(item=item, by=w.coordinator, agencies_with_due_dates=[(w.agency_b, DUE)])
    coordinator, operator = client_for(w.coordinator), client_for(w.operator_a)
    with django_assert_max_num_queries(12):
        assert coordinator.get(reverse("evaluations:followup_register")).status_code == 200
    with django_assert_max_num_queries(13):  # and the SKPD's own open tasks on top
        assert operator.get(reverse("evaluations:followup_register")).status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_the_assessor_sheet_selector_costs_two_queries(evaluation, count: int, django_assert_num_queries) -> None:
    for i in range(count):
        make_item(evaluation, f"Rekomendasi nomor {i}.")
    next_cycle = cycle_carry_forward(previous=evaluation.cycle, by=evaluation.world.coordinator, data=NEXT_YEAR)
    questions = list(Question.objects.filter(questionnaire_id=next_cycle.questionnaire_id))
    with django_assert_num_queries(3):  # the links, the items, their tasks
        beside = selectors.earlier_items_by_question(next_cycle, questions)
    assert len(beside[question(evaluation, "SG-B-01").pk]) == count


def test_a_recurring_recommendation_is_marked_in_the_register_and_on_its_page(evaluation) -> None:
    w = evaluation.world
    first = make_item(evaluation)
    next_cycle = cycle_carry_forward(previous=evaluation.cycle, by=w.coordinator, data=NEXT_YEAR)
    again = services.item_create(cycle=next_cycle, by=w.coordinator, source="recommendation", text=TEXT)
    client = client_for(w.coordinator)
    page = client.get(reverse("evaluations:followup_register"), {"recurring": "yes"})
    assert [i.pk for i in page.context["page"].object_list] == [again.pk]
    html = page.content.decode()
    row = html[html.index(f'data-testid="item-{again.pk}"') :]
    assert 'data-testid="recurring-badge"' in row[: row.index("</tr>")]
    detail = client.get(again.get_absolute_url()).content.decode()
    assert 'data-testid="earlier-item"' in detail and first.get_absolute_url() in detail


@pytest.mark.parametrize("skpds", [1, 2])
def test_the_item_page_costs_the_same_queries_whatever_its_tasks(
    evaluation, skpds: int, django_assert_max_num_queries
) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    if skpds > 1:
        services.tasks_assign(item=item, by=w.coordinator, agencies_with_due_dates=[(w.agency_b, DUE), (w.dkisp, DUE)])
    for agency, user in ((w.agency_a, w.operator_a),):
        proof = make_evidence(agency, user, "Bukti.pdf", PDF_BYTES.replace(b"1.4", b"1.5"))
        services.task_report(task=task_of(item, agency), by=user, report="Berjalan.", evidence=[proof], done=False)
    coordinator, operator = client_for(w.coordinator), client_for(w.operator_a)
    task_url = task_of(item, w.agency_a).get_absolute_url()
    with django_assert_max_num_queries(11):
        assert coordinator.get(item.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(14):
        assert operator.get(task_url).status_code == 200
