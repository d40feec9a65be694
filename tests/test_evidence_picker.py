"""The evidence picker of the report, answer and task forms: the attached files shown, the rest of the SKPD's library
found by search a page at a time (submitting the form without JavaScript, fetching the picker's body with htmx),
what is posted checked against what the user may attach, and a form whose size no longer grows with the library."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import Agency, AuditEvent
from evaluations.models import Answer
from evidence.forms import EvidenceChoiceField
from evidence.models import Evidence, StoredFile
from evidence.picker import PAGE_SIZE
from masterplan.models import ProgressReport
from tests.conftest import PDF_BYTES, World, client_for, make_evidence
from tests.test_answer_roundtrip import THIS_YEAR, carried_answer, one_question_cycle
from tests.test_followup_review import form_with, forms_of, last_event, recorded_changes

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
NOT_ATTACHABLE = EvidenceChoiceField.default_error_messages["not_attachable"]
HOSTILE_IDS = ("abc", "", "٣", "²", "-1", "0", "1e9", "99999999999999999999", str(2**63), "a\x00b", "x" * 5000)


def fill_library(agency: Agency, count: int, *, start: int = 0) -> list[Evidence]:
    """`count` entries in `agency`'s library, written in bulk (the picker reads their rows, never their bytes)."""
    files = StoredFile.objects.bulk_create(
        StoredFile(
            sha256=f"{agency.pk:08d}{i:056d}",
            file=f"evidence/fake/{agency.pk}-{i}.pdf",
            size=1000,
            content_type="application/pdf",
            extension=".pdf",
        )
        for i in range(start, start + count)
    )
    kinds = Evidence.Kind.values
    return Evidence.objects.bulk_create(
        Evidence(
            agency=agency,
            region_id=agency.region_id,
            title=f"Dokumen kegiatan {i:03d}",
            kind=kinds[i % len(kinds)],
            document_number=f"{i:03d}/DISKOMINFO/2024",
            document_date=dt.date(2024, 1, 1) + dt.timedelta(days=i % 300),
            original_name=f"dokumen-{i:03d}.pdf",
            stored_file=stored,
        )
        for i, stored in zip(range(start, start + count), files, strict=True)
    )


def report_url(world: World) -> str:
    return reverse("masterplan:report_edit", args=[world.report_a.pk])


def report_form(world: World) -> dict[str, Any]:
    """The report form as the page gives it, with the save button pressed."""
    html = client_for(world.operator_a).get(report_url(world)).content.decode()
    return {**form_with(html, "narrative").data(), "action": ["save"]}


def picker_ids(html: str, testid: str) -> list[int]:
    """The evidence ids offered in one part of the picker ("evidence-chosen" or "evidence-results")."""
    match = re.search(rf'data-testid="{testid}">(.*?)</div>', html, re.S)
    assert match, f"no {testid} on the page"
    return [int(pk) for pk in re.findall(r'name="evidence" value="(\d+)"', match.group(1))]


def checked_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="evidence" value="(\d+)"[^>]*checked', html)]


def fragment(client: Client, url: str, **params: Any) -> Any:
    return client.get(url, {"evidence_picker": "1", **params})


def report_state(world: World) -> tuple[Any, ...]:
    report = ProgressReport.objects.get(pk=world.report_a.pk)
    ids = sorted(report.evidence.values_list("pk", flat=True))
    return report.version, report.narrative, ids, AuditEvent.objects.count()


# --- What the form shows --------------------------------------------------------------------------------------------


def test_the_form_shows_the_attached_files_with_their_details_and_a_page_of_the_rest(world: World) -> None:
    fill_library(world.agency_a, 30)
    perbup = make_evidence(
        world.agency_a,
        world.operator_a,
        "perbup-47.pdf",
        PDF_BYTES.replace(b"1.4", b"1.5"),
        title="Perbup Masterplan Smart City",
        kind="perbup",
        document_number="47/2021",
        document_date=dt.date(2021, 3, 1),
        valid_until=TODAY - dt.timedelta(days=1),
    )
    client = client_for(world.operator_a)
    saved = client.post(report_url(world), {**report_form(world), "evidence": [world.evidence_a.pk, perbup.pk]})
    assert saved.status_code == 302
    response = client.get(report_url(world))
    html = response.content.decode()

    assert sorted(picker_ids(html, "evidence-chosen")) == sorted(checked_ids(html)) == [world.evidence_a.pk, perbup.pk]
    chosen = re.search(r'data-testid="evidence-chosen">(.*?)data-testid="evidence-results"', html, re.S).group(1)
    assert "Perbup Masterplan Smart City (Peraturan (Perbup/Perda))</label>" in chosen
    assert "47/2021" in chosen and "1 Maret 2021" in chosen and "perbup-47.pdf" in chosen
    assert "kedaluwarsa" in chosen  # the Perbup's validity has ended
    results = picker_ids(html, "evidence-results")
    assert len(results) == PAGE_SIZE and not set(results) & {world.evidence_a.pk, perbup.pk}
    assert response.context["form"].evidence_picker.found.paginator.count == 30  # said above the list


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ({"evidence_q": "kegiatan 007"}, ["Dokumen kegiatan 007"]),  # title
        ({"evidence_q": "012/DISKOMINFO"}, ["Dokumen kegiatan 012"]),  # document number
        ({"evidence_q": "dokumen-021.pdf"}, ["Dokumen kegiatan 021"]),  # file name
        ({"evidence_q": "KEGIATAN 00", "evidence_kind": "minutes"}, ["Dokumen kegiatan 003"]),  # with a kind
    ],
)
def test_the_search_finds_by_title_number_or_file_name_and_kind(
    world: World, search: dict[str, str], expected: list[str]
) -> None:
    fill_library(world.agency_a, 30)
    response = fragment(client_for(world.operator_a), report_url(world), **search)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'name="narrative"' not in html  # the picker's body alone
    titles = re.findall(r'<label class="form-check-label"[^>]*>([^(<]+) \(', html)
    found = [t for t in titles if t.strip() != world.evidence_a.title]
    assert found == expected


def test_htmx_pages_through_the_library_keeping_the_files_ticked_meanwhile(world: World) -> None:
    entries = fill_library(world.agency_a, 45)
    client = client_for(world.operator_a)
    first = fragment(client, report_url(world), evidence=[world.evidence_a.pk]).content.decode()
    on_first = picker_ids(first, "evidence-results")
    assert len(on_first) == PAGE_SIZE and 'name="evidence_page" value="2"' in first
    ticked = on_first[3]
    second = fragment(
        client, report_url(world), evidence=[world.evidence_a.pk, ticked], evidence_page="2"
    ).content.decode()
    assert sorted(picker_ids(second, "evidence-chosen")) == sorted([world.evidence_a.pk, ticked])
    on_second = picker_ids(second, "evidence-results")
    assert len(on_second) == PAGE_SIZE and not set(on_second) & set(on_first)
    last = fragment(client, report_url(world), evidence=[world.evidence_a.pk, ticked], evidence_page="3")
    # 45 others, one of them ticked: 44 left, 20 + 20 + 4.
    assert len(picker_ids(last.content.decode(), "evidence-results")) == 4
    assert {e.pk for e in entries} >= set(on_first) | set(on_second)


# --- Without JavaScript: the search and the page buttons submit the form ----------------------------------------


def test_a_search_without_javascript_shows_the_form_again_as_typed_and_saves_nothing(world: World) -> None:
    fill_library(world.agency_a, 30)
    client = client_for(world.operator_a)
    data = {**report_form(world), "narrative": ["Diketik sebelum mencari."], "evidence_q": ["kegiatan 02"]}
    before = report_state(world)
    data.pop("action")
    response = client.post(report_url(world), {**data, "evidence_search": "search"})

    assert response.status_code == 200 and report_state(world) == before
    html = response.content.decode()
    assert "Diketik sebelum mencari." in html and 'value="kegiatan 02"' in html
    assert "is-invalid" not in html and "invalid-feedback" not in html  # a search judges nothing
    results = Evidence.objects.filter(pk__in=picker_ids(html, "evidence-results"))
    assert sorted(e.title for e in results) == [f"Dokumen kegiatan {i:03d}" for i in range(20, 30)]
    assert picker_ids(html, "evidence-chosen") == [world.evidence_a.pk]


def test_a_file_ticked_then_paged_without_javascript_is_attached_when_saved(world: World) -> None:
    fill_library(world.agency_a, 30)
    client = client_for(world.operator_a)
    page_one = client.get(report_url(world)).content.decode()
    ticked = picker_ids(page_one, "evidence-results")[0]
    form = form_with(page_one, "narrative")
    data = form.data()
    data["evidence"] = [*data["evidence"], str(ticked)]
    page_two = client.post(report_url(world), {**data, "evidence_page": "2"})
    html = page_two.content.decode()
    assert sorted(picker_ids(html, "evidence-chosen")) == sorted([world.evidence_a.pk, ticked])
    assert ticked not in picker_ids(html, "evidence-results")

    response = client.post(report_url(world), {**form_with(html, "narrative").data(), "action": "save"})
    assert response.status_code == 302
    saved = ProgressReport.objects.get(pk=world.report_a.pk)
    assert sorted(saved.evidence.values_list("pk", flat=True)) == sorted([world.evidence_a.pk, ticked])


# --- Round trips: opened and saved unchanged, the same evidence ------------------------------------------------


def test_a_report_with_evidence_saved_unchanged_keeps_exactly_its_evidence(world: World) -> None:
    entries = fill_library(world.agency_a, 40)
    client = client_for(world.operator_a)
    chosen = [world.evidence_a.pk, entries[0].pk, entries[39].pk]  # the oldest is on no first page of results
    assert client.post(report_url(world), {**report_form(world), "evidence": chosen}).status_code == 302
    before = report_state(world)
    since = last_event()

    page = client.get(report_url(world)).content.decode()
    response = client.post(report_url(world), form_with(page, "narrative").data())

    assert response.status_code == 302
    _version, narrative, ids, _events = report_state(world)
    assert ids == sorted(chosen) and (narrative, ids) == before[1:3]
    assert [key for _action, key, _change in recorded_changes(since) if key == "evidence"] == []


def test_last_years_evidence_of_a_carried_answer_stays_attached_when_saved_unchanged(world: World) -> None:
    fill_library(world.agency_a, 40)  # newer than last year's file: it is on no first page of results
    carried = carried_answer(world, "yes_no", "value_bool", True)
    client = client_for(world.operator_a)
    url = reverse("evaluations:answer_edit", args=[carried.pk])
    html = client.get(url).content.decode()
    assert picker_ids(html, "evidence-chosen") == [world.evidence_a.pk]
    assert world.evidence_a.pk not in picker_ids(html, "evidence-results")

    form = next(f for f in forms_of(html) if f.values("version"))
    response = client.post(url, {**form.data(), "action": "save"})

    assert response.status_code == 302
    assert list(Answer.objects.get(pk=carried.pk).evidence.all()) == [world.evidence_a]


def test_an_answer_adds_a_file_found_by_search(world: World) -> None:
    fill_library(world.agency_a, 30)
    answer = one_question_cycle(world, "yes_no", THIS_YEAR)
    client = client_for(world.operator_a)
    url = reverse("evaluations:answer_edit", args=[answer.pk])
    found = fragment(client, url, evidence_q="kegiatan 017").content.decode()
    [pk] = picker_ids(found, "evidence-results")
    form = next(f for f in forms_of(client.get(url).content.decode()) if f.values("version"))
    response = client.post(url, {**form.data(), "evidence": [str(pk)], "value": "true", "action": "save"})
    assert response.status_code == 302
    assert [e.title for e in Answer.objects.get(pk=answer.pk).evidence.all()] == ["Dokumen kegiatan 017"]


# --- What may be attached ---------------------------------------------------------------------------------------


def test_another_agencys_file_is_a_field_error_and_never_listed(world: World) -> None:
    foreign = make_evidence(
        world.agency_b, world.operator_b, "rahasia-b.pdf", PDF_BYTES.replace(b"1.4", b"1.6"), title="Rahasia B"
    )
    client = client_for(world.operator_a)
    data = report_form(world)
    before = report_state(world)
    response = client.post(report_url(world), {**data, "evidence": [world.evidence_a.pk, foreign.pk]})
    assert response.status_code == 200 and report_state(world) == before
    with translation.override("id"):
        assert response.context["form"].errors["evidence"] == [str(NOT_ATTACHABLE)]
    html = response.content.decode()
    assert 'data-error="evidence"' in html and "Rahasia B" not in html

    for params in ({"evidence_q": "Rahasia"}, {"evidence": [foreign.pk]}, {"evidence_q": "rahasia-b.pdf"}):
        body = fragment(client, report_url(world), **params).content.decode()
        assert "Rahasia B" not in body and str(foreign.pk) not in re.findall(r'value="(\d+)"', body)


def test_another_agencys_operator_gets_404_for_the_picker_of_our_report(world: World) -> None:
    response = fragment(client_for(world.operator_b), report_url(world), evidence_q="SK")
    assert response.status_code == 404


@pytest.mark.parametrize("value", HOSTILE_IDS)
@pytest.mark.parametrize("form", ["report", "answer"])
def test_an_odd_evidence_id_is_a_field_error_never_a_500(world: World, form: str, value: str) -> None:
    client = client_for(world.operator_a)
    if form == "report":
        url, data = report_url(world), report_form(world)
    else:
        answer = one_question_cycle(world, "yes_no", THIS_YEAR)
        url = reverse("evaluations:answer_edit", args=[answer.pk])
        data = {**next(f for f in forms_of(client.get(url).content.decode()) if f.values("version")).data()}
    response = client.post(url, {**data, "evidence": [str(world.evidence_a.pk), value], "action": "save"})
    assert response.status_code == 200
    assert "evidence" in response.context["form"].errors
    assert 'data-error="evidence"' in response.content.decode()


HOSTILE_PARAMS: list[dict[str, Any]] = [
    {"evidence_q": "a\x00b"},
    {"evidence_q": "x" * 5000},
    {"evidence_q": "%_\\'\""},
    {"evidence_kind": "nope"},
    {"evidence_kind": "²"},
    {"evidence_page": "99999999999999999999"},
    {"evidence_page": "-1"},
    {"evidence_page": "١٢٣"},
    {"evidence_page": "1e309"},
    {"evidence": ["99999999999999999999", "abc", str(2**63)]},
]


@pytest.mark.parametrize("params", HOSTILE_PARAMS)
def test_hostile_picker_input_never_breaks_the_picker(world: World, params: dict[str, Any]) -> None:
    fill_library(world.agency_a, 25)
    client = client_for(world.operator_a)
    data = report_form(world)
    before = report_state(world)
    nul = any("\x00" in str(value) for value in params.values())
    got = fragment(client, report_url(world), **params)
    assert got.status_code == (400 if nul else 200)  # the site refuses a NUL in a query string before any view
    posted = client.post(report_url(world), {**data, "evidence_page": "2", **params})
    assert posted.status_code == 200 and report_state(world) == before


def test_the_task_form_uses_the_same_picker_and_only_its_skpd_asks_for_it(evaluation: Any) -> None:
    from tests.test_followup import make_item, task_of

    w = evaluation.world
    fill_library(w.agency_a, 25)
    task = task_of(make_item(evaluation), w.agency_a)
    body = fragment(client_for(w.operator_a), task.get_absolute_url(), evidence_q="kegiatan 02")
    assert body.status_code == 200 and "<html" not in body.content.decode()
    assert len(picker_ids(body.content.decode(), "evidence-results")) == 5
    # DKISP reads the task but does not report on it: it gets the page, never the picker.
    page = fragment(client_for(w.coordinator), task.get_absolute_url()).content.decode()
    assert "<html" in page and 'data-testid="evidence-picker"' not in page


# --- The form no longer grows with the library ------------------------------------------------------------------


def answer_url(world: World) -> str:
    answer = one_question_cycle(world, "yes_no", THIS_YEAR)
    return reverse("evaluations:answer_edit", args=[answer.pk])


@pytest.mark.parametrize("url_of", [report_url, answer_url], ids=["report", "answer"])
def test_the_form_stays_small_and_its_queries_stay_the_same_with_350_files(
    world: World, url_of: Callable[[World], str], django_assert_max_num_queries: Any
) -> None:
    url = url_of(world)
    client = client_for(world.operator_a)
    fill_library(world.agency_a, 10)
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.status_code == 200

    fill_library(world.agency_a, 340, start=10)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    html = response.content.decode()
    assert len(response.content) < 60_000, len(response.content)
    assert len(picker_ids(html, "evidence-results")) == PAGE_SIZE
    with django_assert_max_num_queries(len(small)):
        fragment(client, url, evidence_q="kegiatan", evidence_page="9")


@pytest.mark.parametrize("language", ["id", "en"])
def test_picker_items_written_in_python_match_the_template(language: str) -> None:
    """evidence.picker.item_html writes byte for byte what evidence/_picker_item.html writes, for every branch:
    with and without a number and a date, expired, valid until a day, escaped text, checked or not."""
    from django.template.loader import render_to_string

    from evidence.picker import item_html

    entries = [
        Evidence(
            pk=7,
            title="Perbup <Masterplan> & SOP",
            kind=Evidence.Kind.PERBUP,
            document_number="12/A&B",
            document_date=dt.date(2024, 3, 5),
            original_name='perbup "final".pdf',
        ),
        Evidence(
            pk=1234567,
            title="Foto kegiatan",
            kind=Evidence.Kind.PHOTO,
            original_name="foto.jpg",
            valid_until=TODAY - dt.timedelta(days=1),
        ),
        Evidence(
            pk=42,
            title="Laporan",
            kind=Evidence.Kind.OTHER,
            original_name="laporan.pdf",
            document_date=dt.date(2023, 12, 31),
            valid_until=TODAY + dt.timedelta(days=30),
        ),
    ]
    with translation.override(language):
        for entry in entries:
            for checked in (True, False):
                expected = render_to_string("evidence/_picker_item.html", {"e": entry, "checked": checked})
                assert item_html(entry, checked=checked) == expected
