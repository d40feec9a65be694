"""An answer of every kind, carried from last year or not, shows its saved value in the answer form and a save
that does not touch it keeps it — read and posted back exactly as a browser would."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from agencies.models import AuditEvent
from evaluations.forms import AnswerForm
from evaluations.models import Answer
from evaluations.services.answers import answer_submit, answer_update, answer_verify
from evaluations.services.cycles import assign_questions, cycle_carry_forward, cycle_create, questionnaire_import
from evidence.models import Evidence
from tests.conftest import CYCLE_2023, World, client_for, question_row

pytestmark = pytest.mark.django_db

# Both questionnaires are open today, so the answer window (which is not what these tests are about) never refuses.
_TODAY = timezone.localdate()
_OPEN = {
    "opens_on": _TODAY - dt.timedelta(days=10),
    "closes_on": _TODAY + dt.timedelta(days=30),
    "internal_deadline": _TODAY + dt.timedelta(days=20),
    "meeting_date": _TODAY + dt.timedelta(days=40),
}
LAST_YEAR = {**CYCLE_2023, **_OPEN}
THIS_YEAR = {**CYCLE_2023, **_OPEN, "year": 2024, "meeting_place": "Denpasar"}
NARRATIVE = "Perbup Nomor 47 Tahun 2021.\nDievaluasi setiap tahun."
TEXT = "Aplikasi SIMPUS di 24 puskesmas.\nTerhubung ke SATUSEHAT."

# kind, stored field, stored value, what the form control holds (as a browser submits it), what the answer page shows
CASES = [
    pytest.param("yes_no", "value_bool", True, "true", "Ya", id="yes"),
    pytest.param("yes_no", "value_bool", False, "false", "Tidak", id="no"),
    pytest.param("choice", "value_choice", "Sebagian", "Sebagian", "Sebagian", id="choice"),
    pytest.param("level", "value_level", 3, "3", "Level 3", id="level"),
    pytest.param("number", "value_number", Decimal("1250"), "1.250", "1.250", id="number"),
    pytest.param("number", "value_number", Decimal("1250000.75"), "1.250.000,75", "1.250.000,75", id="number-decimals"),
    pytest.param("number", "value_number", Decimal("0"), "0", "0", id="number-zero"),
    pytest.param("percentage", "value_number", Decimal("81.5"), "81,5", "81,5%", id="percentage"),
    pytest.param("percentage", "value_number", Decimal("0"), "0", "0%", id="percentage-zero"),
    pytest.param("percentage", "value_number", Decimal("100"), "100", "100%", id="percentage-full"),
    pytest.param("text", "value_text", TEXT, TEXT.replace("\n", "\r\n"), TEXT.replace("\n", "<br>"), id="text"),
]


class BrowserForm(HTMLParser):
    """The data set a browser submits for one form: checked radios and boxes, selected options, text fields and
    textareas (one leading newline dropped, line breaks sent as CRLF); files, buttons and disabled fields left out."""

    def __init__(self, testid: str) -> None:
        super().__init__(convert_charrefs=True)
        self.testid = testid
        self.found = self.inside = False
        self.pairs: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("data-testid") == self.testid:
            self.found = self.inside = True
        if not self.inside or "disabled" in a or (not a.get("name") and tag != "option"):
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            self.pairs.append((a["name"] or "", a.get("value") or ("on" if kind in ("radio", "checkbox") else "")))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value") or "", "selected" in a))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            text = text.removeprefix("\n").replace("\r\n", "\n").replace("\n", "\r\n")
            self.pairs.append((self._textarea, text))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [v for v, _s in self._options[:1]]
            self.pairs.extend((self._select, v) for v in chosen)
            self._select = None

    def data(self) -> dict[str, list[str]]:
        assert self.found, "no answer form on the page"
        out: dict[str, list[str]] = {}
        for name, value in self.pairs:
            out.setdefault(name, []).append(value)
        return out


def form_data(html: str) -> dict[str, list[str]]:
    reader = BrowserForm("answer-form")
    reader.feed(html)
    return reader.data()


def shown_value(client: Client, answer: Answer) -> str:
    """The answer as its page shows it (the `_answer_value.html` fragment)."""
    html = client.get(answer.get_absolute_url()).content.decode()
    match = re.search(r'data-testid="answer-value">(.*?)</div>', html, re.S)
    assert match, "no answer value on the page"
    return unescape(match.group(1)).strip()


def refreshed(answer: Answer) -> Answer:
    return Answer.objects.select_related("question", "cycle", "agency").get(pk=answer.pk)


def one_question_cycle(world: World, kind: str, data: dict[str, object]) -> Answer:
    """A cycle with one question of `kind` given to agency A; its answer is the one returned."""
    cycle = cycle_create(region=world.region, by=world.coordinator, data=data)
    questionnaire = questionnaire_import(
        cycle=cycle, by=world.coordinator, rows=[question_row("SG-X-01", "governance", "output", kind)]
    )
    assign_questions(cycle=cycle, by=world.coordinator, questions=questionnaire.questions.all(), agency=world.agency_a)
    return Answer.objects.select_related("question").get(cycle=cycle)


def carried_answer(world: World, kind: str, field: str, value: object) -> Answer:
    """Last year's answer of `kind`, submitted and verified, carried into this year's cycle."""
    answer = one_question_cycle(world, kind, LAST_YEAR)
    answer = answer_update(
        answer=answer,
        by=world.operator_a,
        expected_version=answer.version,
        data={field: value, "narrative": NARRATIVE},
        evidence=[world.evidence_a],
    )
    answer_verify(answer=answer_submit(answer=answer, by=world.operator_a), by=world.coordinator)
    this_year = cycle_carry_forward(previous=answer.cycle, by=world.coordinator, data=THIS_YEAR)
    carried = refreshed(Answer.objects.get(cycle=this_year))
    assert carried.is_carried_untouched and getattr(carried, field) == value
    return carried


def assert_same(stored: object, expected: object) -> None:
    # False must stay False (not None) and 0 must stay 0 (not None): compare type as well as value.
    assert stored == expected and type(stored) is type(expected), (stored, expected)


# --- Carried forward → open the form → save unchanged → the same value ------------------------------------


@pytest.mark.parametrize("new_narrative", [None, "Diperbarui untuk 2024."], ids=["unchanged", "explanation-only"])
@pytest.mark.parametrize(("kind", "field", "value", "control", "display"), CASES)
def test_a_carried_answer_survives_a_save_that_does_not_touch_it(
    world: World, kind: str, field: str, value: object, control: str, display: str, new_narrative: str | None
) -> None:
    carried = carried_answer(world, kind, field, value)
    client = client_for(world.operator_a)
    url = reverse("evaluations:answer_edit", args=[carried.pk])
    data = form_data(client.get(url).content.decode())
    assert data["value"] == [control]  # the saved value is what the form holds
    assert data["narrative"] == [NARRATIVE.replace("\n", "\r\n")]
    if new_narrative:
        data["narrative"] = [new_narrative]
    response = client.post(url, {**data, "action": "save"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    saved = refreshed(carried)
    assert saved.version == 2 and saved.status == Answer.Status.DRAFT
    assert_same(getattr(saved, field), value)
    assert saved.narrative == (new_narrative or NARRATIVE)
    assert list(saved.evidence.all()) == [world.evidence_a]  # last year's evidence link is kept too
    assert shown_value(client, saved) == display
    # Nothing the user left alone is recorded as a change.
    event = AuditEvent.objects.filter(action="answer.updated").latest("pk")
    assert field not in event.changes
    assert ("narrative" in event.changes) == bool(new_narrative)


@pytest.mark.parametrize(("kind", "field", "value", "control", "display"), CASES)
def test_an_answer_typed_this_year_is_shown_again_and_kept(
    world: World, kind: str, field: str, value: object, control: str, display: str
) -> None:
    answer = one_question_cycle(world, kind, THIS_YEAR)
    client = client_for(world.operator_a)
    url = reverse("evaluations:answer_edit", args=[answer.pk])
    data = form_data(client.get(url).content.decode())
    assert "value" not in data or data["value"] == [""]  # nothing saved yet, nothing shown
    data["value"] = [control]
    assert client.post(url, {**data, "action": "save"}).status_code == 302
    assert_same(getattr(refreshed(answer), field), value)
    reopened = form_data(client.get(url).content.decode())
    assert reopened["value"] == [control]
    assert client.post(url, {**reopened, "action": "save"}).status_code == 302
    saved = refreshed(answer)
    assert saved.version == 3
    assert_same(getattr(saved, field), value)
    assert shown_value(client, saved) == display


# --- Numbers as people type them ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("81,5", "81.5", "81,5"),
        ("81.5", "81.5", "81,5"),
        ("12,3456", "12.3456", "12,3456"),
        ("0,0", "0", "0"),
        ("100", "100", "100"),
    ],
)
def test_a_percentage_is_shown_as_typed_not_with_four_decimals(world: World, typed: str, stored: str, shown: str):
    answer = one_question_cycle(world, "percentage", THIS_YEAR)
    client = client_for(world.operator_a)
    url = reverse("evaluations:answer_edit", args=[answer.pk])
    response = client.post(url, {"version": 1, "value": typed, "narrative": "", "new_files_kind": "report"})
    assert response.status_code == 302
    assert refreshed(answer).value_number == Decimal(stored)
    html = client.get(url).content.decode()
    assert f'value="{shown}"' in html and "0000" not in re.search(r'name="value"[^>]*>', html).group(0)


def test_an_english_page_shows_numbers_it_can_read_back(world: World) -> None:
    answer = one_question_cycle(world, "number", THIS_YEAR)
    answer_update(answer=answer, by=world.operator_a, expected_version=1, data={"value_number": Decimal("1250.5")})
    with translation.override("en"):
        form = AnswerForm(instance=refreshed(answer), library=Evidence.objects.none())
        assert form["value"].value() == "1250.5"
        bound = AnswerForm(
            {"version": 2, "value": "1250.5", "narrative": "", "new_files_kind": "report"},
            instance=refreshed(answer),
            library=Evidence.objects.none(),
        )
        assert bound.is_valid(), bound.errors
        assert bound.service_data()["value_number"] == Decimal("1250.5")


# --- A save never blanks what the user did not touch ------------------------------------------------------


def test_a_form_without_the_value_keeps_the_saved_value(world: World) -> None:
    """A radio group with nothing checked is not sent at all: that is no answer from the user, not a blank one."""
    carried = carried_answer(world, "yes_no", "value_bool", False)
    client = client_for(world.operator_a)
    url = reverse("evaluations:answer_edit", args=[carried.pk])
    response = client.post(url, {"version": 1, "narrative": "Hanya penjelasan.", "new_files_kind": "report"})
    assert response.status_code == 302
    saved = refreshed(carried)
    assert saved.value_bool is False and saved.narrative == "Hanya penjelasan."
    form = AnswerForm({"version": 1, "new_files_kind": "report"}, instance=carried, library=Evidence.objects.none())
    assert form.is_valid(), form.errors
    assert form.service_data() == {}  # neither the value nor the explanation was sent


def test_clearing_a_number_on_purpose_still_clears_it(world: World) -> None:
    carried = carried_answer(world, "number", "value_number", Decimal("1250"))
    client = client_for(world.operator_a)
    url = reverse("evaluations:answer_edit", args=[carried.pk])
    data = {**form_data(client.get(url).content.decode()), "value": [""], "action": "save"}
    assert client.post(url, data).status_code == 302
    saved = refreshed(carried)
    assert saved.value_number is None
    assert shown_value(client, saved) == "–"


def test_a_choice_no_longer_listed_is_kept_until_another_is_chosen(world: World) -> None:
    carried = carried_answer(world, "choice", "value_choice", "Sebagian")
    questionnaire_import(
        cycle=carried.cycle,
        by=world.coordinator,
        rows=[question_row("SG-X-01", "governance", "output", "choice", choices=["Belum", "Sudah"])],
    )
    client = client_for(world.operator_a)
    url = reverse("evaluations:answer_edit", args=[carried.pk])
    html = client.get(url).content.decode()
    data = form_data(html)
    assert "value" not in data  # last year's choice cannot be ticked, but it is named
    assert "Jawaban tersimpan “Sebagian” tidak lagi termasuk pilihan" in html
    assert client.post(url, {**data, "action": "save"}).status_code == 302
    assert refreshed(carried).value_choice == "Sebagian"


# --- Labels -----------------------------------------------------------------------------------------------


def test_the_list_button_says_answer_as_a_verb_and_the_headings_keep_the_noun(world: World) -> None:
    carried = carried_answer(world, "yes_no", "value_bool", True)
    client = client_for(world.operator_a)
    listing = client.get(reverse("evaluations:my_questions"), {"siklus": carried.cycle_id}).content.decode()
    assert re.search(r'href="{}">Jawab</a>'.format(reverse("evaluations:answer_edit", args=[carried.pk])), listing)
    assert ">Jawaban<" not in listing
    form_page = client.get(reverse("evaluations:answer_edit", args=[carried.pk])).content.decode()
    assert "Jawaban SG-X-01" in form_page
