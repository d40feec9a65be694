"""Issue 7's unenforced rules: the questionnaire window (closing date, DKISP's extensions per SKPD) and the
official result's final index checked against its lens figures — through the services and through HTTP."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import AuditEvent, Role
from agencies.services import agency_create, membership_grant
from evaluations.models import Answer, EvaluationCycle, OfficialResult, WindowExtension
from evaluations.services.answers import answer_return, answer_submit, answer_update, answer_verify
from evaluations.services.assessment import official_result_save
from evaluations.services.cycles import cycle_create
from evaluations.services.windows import (
    ensure_window_open,
    extension_grant,
    extension_revoke,
    pinned_today,
    window_for,
)
from evidence.models import Evidence
from tests.conftest import CYCLE_2023, Evaluation, client_for, make_user

Status = Answer.Status
CLOSES = CYCLE_2023["closes_on"]  # 31 May 2023
REASON = "Data survei kepuasan baru selesai direkap."


@pytest.fixture
def on_day() -> Iterator[Callable[[dt.date], None]]:
    """Move the questionnaire calendar to another day for the rest of the test."""
    with ExitStack() as stack:
        yield lambda day: stack.enter_context(pinned_today(day))


def refreshed(answer: Answer) -> Answer:
    return Answer.objects.select_related("question", "cycle", "agency").get(pk=answer.pk)


def grant(ev: Evaluation, closes_on: dt.date, agency: object = None, reason: str = REASON) -> WindowExtension:
    return extension_grant(
        cycle=ev.cycle, agency=agency or ev.world.agency_a, closes_on=closes_on, reason=reason, by=ev.world.coordinator
    )


# --- The window, at the service level ---------------------------------------------------------------------


def test_the_window_is_open_through_its_last_day(evaluation, on_day) -> None:
    on_day(CLOSES)
    saved = answer_update(
        answer=evaluation.level, by=evaluation.world.operator_a, expected_version=1, data={"value_level": 3}
    )
    assert answer_submit(answer=saved, by=evaluation.world.operator_a).status == Status.SUBMITTED


def test_after_the_close_skpd_writes_are_refused_and_nothing_is_saved(evaluation, on_day) -> None:
    w = evaluation.world
    draft = answer_update(answer=evaluation.level, by=w.operator_a, expected_version=1, data={"value_level": 2})
    events = AuditEvent.objects.count()
    on_day(CLOSES + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as caught:
        answer_update(answer=draft, by=w.operator_a, expected_version=draft.version, data={"value_level": 5})
    assert "ditutup pada 31 Mei 2023" in caught.value.messages[0] and "perpanjangan" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        answer_submit(answer=draft, by=w.operator_a)
    # The evidence path of the same service is closed too.
    with pytest.raises(ValidationError):
        answer_update(answer=evaluation.yes_no, by=w.operator_a, expected_version=1, data={}, evidence=[w.evidence_a])
    level, yes_no = refreshed(evaluation.level), refreshed(evaluation.yes_no)
    assert (level.value_level, level.status, level.version) == (2, Status.DRAFT, draft.version)
    assert not yes_no.evidence_links.exists()
    assert AuditEvent.objects.count() == events


def test_drafting_before_the_questionnaire_opens_is_allowed(evaluation, on_day) -> None:
    # Our choice: SKPDs get (and carry) their questions before the ministry opens the window, and always could
    # prepare them early; only the close is enforced.
    on_day(CYCLE_2023["opens_on"] - dt.timedelta(days=10))
    answer = answer_update(
        answer=evaluation.level, by=evaluation.world.operator_a, expected_version=1, data={"value_level": 1}
    )
    assert answer.value_level == 1


def test_dkisp_still_verifies_and_returns_after_the_close(evaluation, on_day) -> None:
    w = evaluation.world
    answer = answer_update(answer=evaluation.level, by=w.operator_a, expected_version=1, data={"value_level": 4})
    answer = answer_submit(answer=answer, by=w.operator_a)
    on_day(CLOSES + dt.timedelta(days=20))
    assert answer_verify(answer=answer, by=w.coordinator).status == Status.VERIFIED
    returned = answer_return(answer=answer, by=w.coordinator, reason="Lampirkan SK yang sudah ditandatangani.")
    assert returned.status == Status.RETURNED
    with pytest.raises(ValidationError):  # ...but the SKPD cannot fix it without an extension
        answer_update(answer=returned, by=w.operator_a, expected_version=returned.version, data={"value_level": 5})


def test_an_extension_opens_the_window_for_that_skpd_until_its_date_only(evaluation, on_day) -> None:
    w = evaluation.world
    on_day(dt.date(2023, 6, 2))
    grant(evaluation, dt.date(2023, 6, 9))
    on_day(dt.date(2023, 6, 9))
    answer = answer_update(answer=evaluation.level, by=w.operator_a, expected_version=1, data={"value_level": 4})
    assert answer_submit(answer=answer, by=w.operator_a).status == Status.SUBMITTED
    with pytest.raises(ValidationError):  # agency B has no extension
        answer_update(
            answer=evaluation.percentage, by=w.operator_b, expected_version=1, data={"value_number": Decimal(50)}
        )
    on_day(dt.date(2023, 6, 10))
    with pytest.raises(ValidationError) as caught:
        answer_update(answer=evaluation.yes_no, by=w.operator_a, expected_version=1, data={"value_bool": True})
    assert "Perpanjangan" in caught.value.messages[0] and "9 Juni 2023" in caught.value.messages[0]
    assert refreshed(evaluation.yes_no).value_bool is None


def test_a_cycle_moved_past_an_old_extension_keeps_its_own_date(evaluation) -> None:
    grant(evaluation, dt.date(2023, 6, 9))
    EvaluationCycle.objects.filter(pk=evaluation.cycle.pk).update(closes_on=dt.date(2023, 6, 30))
    cycle = EvaluationCycle.objects.get(pk=evaluation.cycle.pk)
    window = window_for(cycle=cycle, agency=evaluation.world.agency_a, today=dt.date(2023, 6, 20))
    assert window.is_open and not window.is_extended and window.closes_on == dt.date(2023, 6, 30)
    ensure_window_open(cycle=cycle, agency=evaluation.world.agency_a, today=dt.date(2023, 6, 20))


# --- Extensions, at the service level --------------------------------------------------------------------


def test_an_extension_is_audited_and_mailed_once_to_the_skpds_operators_and_head(
    evaluation, on_day, django_capture_on_commit_callbacks
) -> None:
    w = evaluation.world
    head = make_user("kepala_a")
    membership_grant(by=None, user=head, region=w.region, role=Role.HEAD, agency=w.agency_a)
    on_day(dt.date(2023, 6, 1))
    with django_capture_on_commit_callbacks(execute=True):
        extension = grant(evaluation, dt.date(2023, 6, 14))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kepala_a@example.org", "operator_a@example.org"]
    assert "diperpanjang sampai 14 Juni 2023" in message.subject and REASON in message.body
    event = AuditEvent.objects.get(action="extension.granted")
    assert event.changes == {"agency": "DINKES", "closes_on": [None, "2023-06-14"]} and event.reason == REASON
    assert (event.actor, event.target_id) == (w.coordinator, str(evaluation.cycle.pk))

    # Granting again changes the same extension: one row, the old and new dates audited, one more mail.
    with django_capture_on_commit_callbacks(execute=True):
        again = grant(evaluation, dt.date(2023, 6, 21), reason="Survei diperpanjang satu minggu lagi.")
    assert again.pk == extension.pk and WindowExtension.objects.count() == 1
    moved = AuditEvent.objects.filter(action="extension.granted").latest("id").changes["closes_on"]
    assert moved == ["2023-06-14", "2023-06-21"]
    assert len(mail.outbox) == 2 and "14 Juni 2023" in mail.outbox[1].body


def test_granting_the_same_extension_twice_records_and_mails_nothing_new(
    evaluation, django_capture_on_commit_callbacks
) -> None:
    grant(evaluation, dt.date(2023, 6, 14))
    with django_capture_on_commit_callbacks(execute=True):
        grant(evaluation, dt.date(2023, 6, 14))
    assert mail.outbox == [] and AuditEvent.objects.filter(action="extension.granted").count() == 1


@pytest.mark.parametrize(
    ("closes_on", "reason", "fields"),
    [
        (CLOSES, REASON, {"closes_on"}),  # not after the close
        (dt.date(2023, 5, 20), REASON, {"closes_on"}),
        (dt.date(2023, 6, 14), "singkat", {"reason"}),
        (CLOSES, "  ", {"closes_on", "reason"}),
    ],
)
def test_an_extension_needs_a_later_date_and_a_reason(evaluation, closes_on, reason, fields) -> None:
    with pytest.raises(ValidationError) as caught:
        grant(evaluation, closes_on, reason=reason)
    assert set(caught.value.message_dict) == fields
    assert not WindowExtension.objects.exists()


def test_an_extension_cannot_end_in_the_past(evaluation, on_day) -> None:
    on_day(dt.date(2023, 6, 20))
    with pytest.raises(ValidationError) as caught:
        grant(evaluation, dt.date(2023, 6, 14))
    assert "sudah lewat" in caught.value.message_dict["closes_on"][0]


def test_only_an_skpd_answering_in_the_cycle_gets_an_extension(evaluation) -> None:
    w = evaluation.world
    for agency in (w.dkisp, w.other_agency):  # supporting only; another region's
        with pytest.raises(ValidationError) as caught:
            grant(evaluation, dt.date(2023, 6, 14), agency=agency)
        assert set(caught.value.message_dict) == {"agency"}


def test_a_withdrawn_extension_closes_the_window_again(evaluation, on_day, django_capture_on_commit_callbacks) -> None:
    w = evaluation.world
    extension = grant(evaluation, dt.date(2023, 6, 14))
    on_day(dt.date(2023, 6, 5))
    with django_capture_on_commit_callbacks(execute=True):
        extension_revoke(extension=extension, by=w.coordinator)
    assert not WindowExtension.objects.exists()
    assert AuditEvent.objects.get(action="extension.revoked").changes["closes_on"] == ["2023-06-14", None]
    assert mail.outbox[-1].to == ["operator_a@example.org"] and "dicabut" in mail.outbox[-1].subject
    with pytest.raises(ValidationError):
        answer_update(answer=evaluation.level, by=w.operator_a, expected_version=1, data={"value_level": 3})


def test_no_extension_in_a_locked_cycle(evaluation) -> None:
    EvaluationCycle.objects.filter(pk=evaluation.cycle.pk).update(locked_at=dt.datetime(2023, 6, 1, tzinfo=dt.UTC))
    with pytest.raises(ValidationError, match="dikunci"):
        grant(evaluation, dt.date(2023, 6, 14))


# --- The window, through HTTP -----------------------------------------------------------------------------


def test_before_the_close_the_skpd_pages_show_the_closing_date(evaluation) -> None:
    client = client_for(evaluation.world.operator_a)
    page = client.get(reverse("evaluations:my_questions")).content.decode()
    assert "Kuesioner untuk DINKES ditutup pada 31 Mei 2023." in page
    assert reverse("evaluations:answer_edit", args=[evaluation.level.pk]) in page
    form = client.get(reverse("evaluations:answer_edit", args=[evaluation.level.pk])).content.decode()
    assert "ditutup pada 31 Mei 2023" in form


def test_after_the_close_the_pages_say_so_and_edits_save_nothing(evaluation, on_day) -> None:
    w = evaluation.world
    on_day(CLOSES + dt.timedelta(days=1))
    client = client_for(w.operator_a)
    page = client.get(reverse("evaluations:my_questions")).content.decode()
    assert 'data-testid="window-closed"' in page and "Kuesioner ditutup pada 31 Mei 2023" in page
    edit_url = reverse("evaluations:answer_edit", args=[evaluation.level.pk])
    assert edit_url not in page
    detail = client.get(reverse("evaluations:answer", args=[evaluation.level.pk])).content.decode()
    assert edit_url not in detail and "Kuesioner ditutup pada 31 Mei 2023" in detail

    library = Evidence.objects.count()
    late = {
        "version": 1,
        "value": "4",
        "narrative": "Terlambat.",
        "new_files_kind": "sk",
        "action": "submit",
        "new_files": SimpleUploadedFile("SK.pdf", b"%PDF-1.4\n% sk terlambat\n%%EOF\n"),
    }
    response = client.post(edit_url, late, follow=True)
    assert "Kuesioner ditutup pada 31 Mei 2023" in response.content.decode()
    submit = client.post(reverse("evaluations:answer_submit", args=[evaluation.level.pk]), follow=True)
    assert "Kuesioner ditutup pada 31 Mei 2023" in submit.content.decode()
    answer = refreshed(evaluation.level)
    assert (answer.value_level, answer.narrative, answer.status, answer.version) == (None, "", Status.DRAFT, 1)
    assert Evidence.objects.count() == library  # no upload slipped into the library either


def test_with_an_extension_the_skpd_sees_its_date_and_can_submit(evaluation, on_day) -> None:
    grant(evaluation, dt.date(2023, 6, 14))
    on_day(dt.date(2023, 6, 10))
    client = client_for(evaluation.world.operator_a)
    page = client.get(reverse("evaluations:my_questions")).content.decode()
    assert "DKISP memperpanjang kuesioner untuk DINKES sampai 14 Juni 2023" in page
    edit_url = reverse("evaluations:answer_edit", args=[evaluation.level.pk])
    assert edit_url in page and "sampai 14 Juni 2023" in client.get(edit_url).content.decode()
    response = client.post(
        edit_url, {"version": 1, "value": "4", "narrative": "SK 2023.", "new_files_kind": "sk", "action": "submit"}
    )
    assert response.status_code == 302 and refreshed(evaluation.level).status == Status.SUBMITTED
    # Agency B's operator is still after the close.
    other = client_for(evaluation.world.operator_b).get(reverse("evaluations:my_questions")).content.decode()
    assert 'data-testid="window-closed"' in other


# --- Extensions, through HTTP -----------------------------------------------------------------------------


def test_the_extension_form_shows_field_errors_and_keeps_the_input(evaluation, on_day) -> None:
    on_day(dt.date(2023, 6, 5))
    client = client_for(evaluation.world.coordinator)
    url = reverse("evaluations:extensions", args=[evaluation.cycle.pk])
    response = client.post(url, {"agency": evaluation.world.agency_a.pk, "closes_on": "2023-06-01", "reason": "pendek"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"closes_on", "reason"}
    assert "sudah lewat" in errors["closes_on"][0] and "10 karakter" in errors["reason"][0]
    assert "pendek</textarea>" in response.content.decode()
    too_early = client.post(url, {"agency": evaluation.world.agency_a.pk, "closes_on": "2023-05-31", "reason": REASON})
    assert "setelah kuesioner ditutup (31 Mei 2023)" in too_early.context["form"].errors["closes_on"][0]
    garbage = client.post(url, {"agency": evaluation.world.agency_a.pk, "closes_on": "besok", "reason": REASON})
    assert "closes_on" in garbage.context["form"].errors
    assert not WindowExtension.objects.exists()


def test_the_skpd_choice_is_limited_to_agencies_with_questions_in_the_cycle(evaluation) -> None:
    w = evaluation.world
    client = client_for(w.coordinator)
    url = reverse("evaluations:extensions", args=[evaluation.cycle.pk])
    choices = {c for c, _label in client.get(url).context["form"].fields["agency"].choices if c}
    assert {int(str(c)) for c in choices} == {w.agency_a.pk, w.agency_b.pk}
    for agency in (w.dkisp, w.other_agency):
        response = client.post(url, {"agency": agency.pk, "closes_on": "2023-06-14", "reason": REASON})
        assert response.status_code == 200 and "agency" in response.context["form"].errors
    assert not WindowExtension.objects.exists()


def test_coordinator_grants_an_extension_from_the_cycle_page(evaluation, django_capture_on_commit_callbacks) -> None:
    w = evaluation.world
    client = client_for(w.coordinator)
    url = reverse("evaluations:extensions", args=[evaluation.cycle.pk])
    assert url in client.get(evaluation.cycle.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"agency": w.agency_b.pk, "closes_on": "2023-06-14", "reason": REASON}, follow=True)
    html = response.content.decode()
    assert "Kuesioner diperpanjang untuk DISDIK sampai 14 Juni 2023" in html and REASON in html
    assert WindowExtension.objects.get().agency == w.agency_b
    assert [m.to for m in mail.outbox] == [["operator_b@example.org"]]


def test_withdrawing_another_cycles_or_regions_extension_is_404(evaluation) -> None:
    w = evaluation.world
    extension = grant(evaluation, dt.date(2023, 6, 14))
    other_cycle = cycle_create(region=w.region, by=w.coordinator, data={**CYCLE_2023, "stage": "Tahap II"})
    coordinator = client_for(w.coordinator)
    wrong = reverse("evaluations:extension_revoke", args=[other_cycle.pk, extension.pk])
    assert coordinator.post(wrong).status_code == 404
    outsider = client_for(w.outsider)
    right = reverse("evaluations:extension_revoke", args=[evaluation.cycle.pk, extension.pk])
    assert outsider.post(right).status_code == 404
    assert outsider.get(reverse("evaluations:extensions", args=[evaluation.cycle.pk])).status_code == 404
    assert client_for(w.operator_a).post(right).status_code == 403
    assert WindowExtension.objects.filter(pk=extension.pk).exists()
    assert coordinator.post(right).status_code == 302
    assert not WindowExtension.objects.exists()


@pytest.mark.parametrize("count", [2, 25])
def test_the_extensions_page_keeps_constant_queries(evaluation, count: int, django_assert_max_num_queries) -> None:
    from evaluations.services.cycles import assign_questions, questionnaire_import
    from tests.conftest import question_row

    w = evaluation.world
    cycle = cycle_create(region=w.region, by=w.coordinator, data={**CYCLE_2023, "stage": "Tahap II"})
    questionnaire = questionnaire_import(
        cycle=cycle,
        by=w.coordinator,
        rows=[question_row(f"Q-{i:02d}", "living", "output", "text") for i in range(count)],
    )
    for i, question in enumerate(questionnaire.questions.all()):
        agency = agency_create(by=None, region=w.region, name=f"Dinas {i}", acronym=f"D{i:02d}")
        assign_questions(cycle=cycle, by=w.coordinator, questions=[question], agency=agency)
        extension_grant(cycle=cycle, agency=agency, closes_on=dt.date(2023, 6, 14), reason=REASON, by=w.coordinator)
    client = client_for(w.coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("evaluations:extensions", args=[cycle.pk]))
    assert response.status_code == 200 and len(response.context["extensions"]) == count


# --- The official result's final index --------------------------------------------------------------------

# Kota Kediri 2022 with the 2023 fixture's weights 10/20/30/20/20: 3.315, published as 3.31.
KEDIRI = {
    "baseline": Decimal("3.60"),
    "output": Decimal("3.21"),
    "outcome": Decimal("3.23"),
    "impact": Decimal("3.07"),
    "quick_win": Decimal("3.65"),
}
# (10·3.50 + 20·3.40 + 30·3.50 + 20·3.50 + 20·3.50) / 100 = 3.48
GIVES_348 = {
    "baseline": Decimal("3.50"),
    "output": Decimal("3.40"),
    "outcome": Decimal("3.50"),
    "impact": Decimal("3.50"),
    "quick_win": Decimal("3.50"),
}


def save_result(ev: Evaluation, **data: object) -> OfficialResult:
    return official_result_save(cycle=ev.cycle, by=ev.world.coordinator, data=data)


def test_a_final_index_that_does_not_follow_from_the_lenses_needs_a_confirmation_and_note(evaluation) -> None:
    with pytest.raises(ValidationError) as caught:
        save_result(evaluation, final_index=Decimal("3.47"), lens_indices=GIVES_348)
    errors = caught.value.message_dict
    assert set(errors) == {"final_index", "difference_confirmed", "difference_note"}
    assert "3,48" in errors["final_index"][0] and "3,47" in errors["final_index"][0]
    with pytest.raises(ValidationError) as caught:  # a tick alone is not enough
        save_result(evaluation, final_index=Decimal("3.47"), lens_indices=GIVES_348, difference_confirmed=True)
    assert set(caught.value.message_dict) == {"final_index", "difference_note"}
    assert not OfficialResult.objects.exists()
    note = "Surat Kominfo menghitung dari subindeks tiga desimal."
    result = save_result(
        evaluation, final_index=Decimal("3.47"), lens_indices=GIVES_348, difference_confirmed=True, difference_note=note
    )
    assert result.final_index == Decimal("3.47") and result.difference_note == note
    event = AuditEvent.objects.get(action="result.official")
    assert event.reason == note and event.changes["computed_final_index"].startswith("3.48")


@pytest.mark.parametrize("final", [Decimal("3.31"), Decimal("3.32")])
def test_a_final_index_within_the_rounding_is_accepted_as_it_is(evaluation, final) -> None:
    result = save_result(evaluation, final_index=final, lens_indices=KEDIRI, difference_note="tidak perlu")
    assert result.final_index == final and result.difference_note == ""


def test_an_empty_final_index_is_computed_from_the_five_lenses_half_up(evaluation) -> None:
    assert save_result(evaluation, final_index=None, lens_indices=KEDIRI).final_index == Decimal("3.32")
    with pytest.raises(ValidationError) as caught:  # four lenses do not make a final index
        save_result(evaluation, final_index=None, lens_indices={**KEDIRI, "impact": None})
    assert set(caught.value.message_dict) == {"final_index"}


def test_without_all_five_lenses_the_final_index_is_taken_from_the_letter(evaluation) -> None:
    result = save_result(evaluation, final_index=Decimal("3.31"), lens_indices={"baseline": Decimal("3.60")})
    assert result.final_index == Decimal("3.31")


def lens_post(figures: dict[str, Decimal]) -> dict[str, str]:
    return {f"lens_{lens}": str(value).replace(".", ",") for lens, value in figures.items()}


def test_the_form_shows_the_computed_index_and_asks_for_a_confirmation(evaluation) -> None:
    client = client_for(evaluation.world.coordinator)
    url = reverse("evaluations:official_result", args=[evaluation.cycle.pk])
    data = {"letter_number": "B-77/DJAI/2023", "final_index": "3,47", **lens_post(GIVES_348)}
    response = client.post(url, data)
    assert response.status_code == 200 and not OfficialResult.objects.exists()
    html = response.content.decode()
    assert 'data-testid="computed-final"' in html and "<strong>3,48</strong>" in html
    assert 'data-testid="difference-confirmation"' in html and 'value="3,47"' in html
    assert "menghasilkan 3,48, bukan 3,47" in html
    ok = client.post(url, {**data, "difference_confirmed": "on", "difference_note": "Sesuai surat hasil resmi."})
    assert ok.status_code == 302
    result = OfficialResult.objects.get()
    assert result.final_index == Decimal("3.47") and result.difference_note == "Sesuai surat hasil resmi."
    again = client.get(url).content.decode()  # the note is shown again with the stored figures
    assert "Sesuai surat hasil resmi." in again and "<strong>3,48</strong>" in again


def test_the_form_accepts_a_matching_figure_and_fills_an_empty_one(evaluation) -> None:
    client = client_for(evaluation.world.coordinator)
    url = reverse("evaluations:official_result", args=[evaluation.cycle.pk])
    assert client.post(url, {"final_index": "3,48", **lens_post(GIVES_348)}).status_code == 302
    assert OfficialResult.objects.get().final_index == Decimal("3.48")
    assert client.post(url, {"final_index": "", **lens_post(KEDIRI)}).status_code == 302
    assert OfficialResult.objects.get().final_index == Decimal("3.32")
    page = client.get(url).content.decode()
    assert "<strong>3,32</strong>" in page and "3,315 sebelum pembulatan" in page
    empty = client.post(url, {"final_index": "", "lens_baseline": "3,60"})
    assert empty.status_code == 200 and "final_index" in empty.context["form"].errors
