"""An outside review of the follow-up loop (register, tasks, meetings, chasing, dashboards, what-if): round trips
through the real forms, hostile input on every new form and filter as every persona, rules checked inside the
committing transaction under real concurrency, and another region's coordinator kept out."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agencies.models import AuditEvent, Role
from agencies.services import membership_grant
from evaluations.models import FollowUpEvidence, FollowUpItem, FollowUpTask, Meeting, MeetingInvitation, Question
from evaluations.services import followup as followup_services
from evaluations.services import meetings as meeting_services
from evaluations.services.cycles import cycle_carry_forward
from evidence.models import Evidence
from masterplan.models import Dimension, ReportReminder
from tests.conftest import PDF_BYTES, Evaluation, client_for, make_evidence, make_user
from tests.test_followup import DUE, NEXT_YEAR, TEXT, make_item, task_of
from tests.test_meetings import AGENDA, plan, soon

PERSONAS = ("anonymous", "operator_a", "operator_b", "coordinator", "assessor", "outsider")
OVERLONG = "a" * 100_000
HOSTILE = ("abc", "", "٣", "²", "1e9", "-1", "99999999999999999999", "a\x00b", OVERLONG)
ERROR_MARKERS = ("invalid-feedback", "data-error", "is-invalid")


# --- Reading a form as a browser submits it ----------------------------------------------------------------------


@dataclass
class ParsedForm:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    text_like: set[str] = field(default_factory=set)  # names of inputs that keep what was typed (text, textarea)

    def data(self, button: tuple[str, str] | None = None) -> dict[str, list[str]]:
        """The body a browser posts: every successful control, plus the button pressed (if named)."""
        out: dict[str, list[str]] = {}
        for name, value in [*self.fields, *([button] if button else [])]:
            out.setdefault(name, []).append(value)
        return out

    def values(self, name: str) -> list[str]:
        return [v for n, v in self.fields if n == name]


_SKIPPED_INPUTS = {"submit", "button", "image", "reset", "file"}
_TEXT_INPUTS = {"text", "search", "number", "date", "datetime-local", "email", "tel", "url", "hidden", ""}


class _FormParser(HTMLParser):
    """The successful controls of every form (HTML's rules: checked boxes, selected options or a single select's
    first option, a textarea without its first newline; disabled controls left out)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[ParsedForm] = []
        self._form: ParsedForm | None = None
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = ParsedForm(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form.fields.append((name, a.get("value", "on")))
            elif kind not in _SKIPPED_INPUTS:
                self._form.fields.append((name, a.get("value", "")))
                if kind in _TEXT_INPUTS and kind != "hidden":
                    self._form.text_like.add(name)
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            self._form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in a, "options": [], "selected": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and name:
            self._textarea = {"name": name, "text": ""}

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def _close_option(self) -> None:
        if self._option is not None and self._select is not None:
            value = self._option["value"] if self._option["value"] is not None else self._option["text"].strip()
            self._select["options"].append(value)
            if self._option["selected"]:
                self._select["selected"].append(value)
        self._option = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._close_option()
        elif tag == "select" and self._select is not None:
            self._close_option()
            chosen = self._select["selected"]
            if not self._select["multiple"]:
                chosen = chosen[-1:] or self._select["options"][:1]
            if self._form is not None:
                self._form.fields.extend((self._select["name"], value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            text = text[1:] if text.startswith("\n") else text  # HTML drops the newline right after <textarea>
            if self._form is not None:
                self._form.fields.append((self._textarea["name"], text))
                self._form.text_like.add(self._textarea["name"])
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[ParsedForm]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_with(html: str, name: str) -> ParsedForm:
    """The first form of the page with a control called `name`."""
    found = [f for f in forms_of(html) if any(n == name for n, _v in f.fields)]
    assert found, f"no form with {name!r} on the page"
    return found[0]


def submit_as_browser(client: Client, url: str, control: str, *, button: str | None = None) -> Any:
    """GET the page, take the form with `control` exactly as rendered, and post it back unchanged."""
    page = client.get(url)
    assert page.status_code == 200
    form = form_with(page.content.decode(), control)
    pressed = next((b for b in form.buttons if b[1] == button), None) if button else None
    return client.post(form.action or url, form.data(pressed))


def test_the_form_reader_follows_the_browsers_rules() -> None:
    html = """<form action="/x/" method="post"><input name="a" value="1"><input type="checkbox" name="c" value="2">
    <input type="checkbox" name="c" value="3" checked><select name="s"><option value="p">P</option>
    <option value="q">Q</option></select><select name="m" multiple><option value="7" selected>7</option>
    <option value="8" selected>8</option></select><textarea name="t">
&lt;b&gt; x</textarea><input name="d" value="z" disabled><input type="file" name="f">
    <button name="action" value="go">Go</button></form>"""
    form = forms_of(html)[0]
    assert form.data() == {"a": ["1"], "c": ["3"], "s": ["p"], "m": ["7", "8"], "t": ["<b> x"]}
    assert form.buttons == [("action", "go")] and form.text_like == {"a", "t"}


# --- Changes the audit log records ---------------------------------------------------------------------------------


def recorded_changes(since: int) -> list[tuple[str, str, Any]]:
    """Every [before, after] pair the audit log recorded after event `since` (a no-change save records none)."""
    found = []
    for event in AuditEvent.objects.filter(pk__gt=since).order_by("pk"):
        for key, value in (event.changes or {}).items():
            if isinstance(value, list) and len(value) == 2:
                found.append((event.action, key, value))
    return found


def last_event() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# --- 1. Round trips: opened and saved unchanged, everything comes back equal ------------------------------------


def test_an_item_with_questions_a_dimension_and_a_recurrence_survives_its_edit_form(evaluation: Evaluation) -> None:
    w = evaluation.world
    first = make_item(evaluation)
    next_cycle = cycle_carry_forward(previous=evaluation.cycle, by=w.coordinator, data=NEXT_YEAR)
    questions = list(
        Question.objects.filter(questionnaire_id=next_cycle.questionnaire_id, code__in=["SG-B-01", "SG-O-01"])
    )
    item = followup_services.item_create(
        cycle=next_cycle,
        by=w.coordinator,
        source=FollowUpItem.Source.WEAKNESS,
        text=f"  {TEXT}\n",
        dimension=Dimension.objects.get(code="society"),
        questions=questions,
    )
    assert item.recurs_id == first.pk and len(questions) == 2
    before = model_to_dict(FollowUpItem.objects.get(pk=item.pk))
    before_questions = set(item.questions.values_list("pk", flat=True))
    since = last_event()

    response = submit_as_browser(
        client_for(w.coordinator), reverse("evaluations:followup_item_edit", args=[item.pk]), "text"
    )

    assert response.status_code == 302, getattr(response, "context", None) and response.context["form"].errors
    after = model_to_dict(FollowUpItem.objects.get(pk=item.pk))
    assert {k: v for k, v in after.items() if k not in ("version", "questions")} == {
        k: v for k, v in before.items() if k not in ("version", "questions")
    }
    assert set(FollowUpItem.objects.get(pk=item.pk).questions.values_list("pk", flat=True)) == before_questions
    assert recorded_changes(since) == []
    assert not AuditEvent.objects.filter(
        pk__gt=since, target_id=str(item.pk)
    ).exists()  # no "updated" line in the item's history
    assert after["version"] == before["version"]  # nor a conflict for whoever opened it meanwhile


def test_a_task_with_a_report_and_evidence_survives_its_form_saved_as_progress(evaluation: Evaluation) -> None:
    w = evaluation.world
    item = make_item(evaluation)
    first = make_evidence(w.agency_a, w.operator_a, "Draf Perbup.pdf", PDF_BYTES.replace(b"1.4", b"1.5"))
    second = make_evidence(w.agency_a, w.operator_a, "Undangan & <rapat>.pdf", PDF_BYTES.replace(b"1.4", b"1.6"))
    followup_services.task_report(
        task=task_of(item, w.agency_a),
        by=w.operator_a,
        report='Draf Perbup "Masterplan" & lampiran <A>\n\n  sedang dibahas.  ',
        evidence=[first, second],
        done=False,
    )
    task = task_of(item, w.agency_a)
    before = (task.report, task.status, set(task.evidence.values_list("pk", flat=True)))
    assert before[2] == {first.pk, second.pk}
    since = last_event()

    response = submit_as_browser(client_for(w.operator_a), task.get_absolute_url(), "report", button="progress")

    assert response.status_code == 302, response.context["form"].errors
    task = task_of(item, w.agency_a)
    assert (task.report, task.status, set(task.evidence.values_list("pk", flat=True))) == before
    assert recorded_changes(since) == []


def test_a_meeting_planned_in_jakarta_time_survives_its_edit_form(evaluation: Evaluation) -> None:
    w = evaluation.world
    jakarta = ZoneInfo("Asia/Jakarta")
    starts_at = (
        (timezone.now() + dt.timedelta(days=9)).astimezone(jakarta).replace(hour=23, minute=30, second=0, microsecond=0)
    )  # late evening in Jakarta: another day in UTC+8 or UTC
    meeting = plan(evaluation, starts_at=starts_at, invite=[(w.agency_a, True), (w.agency_b, False)])
    invitations = set(meeting.invitations.values_list("agency_id", "head_required", "response"))
    before = model_to_dict(Meeting.objects.get(pk=meeting.pk))
    since = last_event()

    response = submit_as_browser(
        client_for(w.coordinator), reverse("evaluations:meeting_update", args=[meeting.pk]), "title"
    )

    assert response.status_code == 302, response.context["form"].errors
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.starts_at == starts_at
    assert recorded_changes(since) == []
    assert model_to_dict(meeting) == before
    assert set(meeting.invitations.values_list("agency_id", "head_required", "response")) == invitations


def test_an_invitation_of_an_skpd_deactivated_since_survives_the_edit_form(evaluation: Evaluation) -> None:
    """An SKPD merged or closed after it was invited: saving the meeting unchanged keeps its invitation (and its
    answer) rather than silently uninviting it because it is no longer offered to new meetings."""
    w = evaluation.world
    meeting = plan(evaluation, invite=[(w.agency_a, True), (w.agency_b, True)])
    meeting_services.invitation_respond(
        invitation=MeetingInvitation.objects.get(meeting=meeting, agency=w.agency_b), by=w.operator_b, response="head"
    )
    type(w.agency_b).objects.filter(pk=w.agency_b.pk).update(is_active=False)
    invitations = set(meeting.invitations.values_list("agency_id", "head_required", "response"))
    since = last_event()

    response = submit_as_browser(
        client_for(w.coordinator), reverse("evaluations:meeting_update", args=[meeting.pk]), "title"
    )

    assert response.status_code == 302, response.context["form"].errors
    assert set(meeting.invitations.values_list("agency_id", "head_required", "response")) == invitations
    assert recorded_changes(since) == []


def test_an_answer_with_a_delegate_survives_the_respond_form(evaluation: Evaluation) -> None:
    w = evaluation.world
    meeting = plan(evaluation)
    invitation = MeetingInvitation.objects.get(meeting=meeting, agency=w.agency_a)
    meeting_services.invitation_respond(
        invitation=invitation,
        by=w.operator_a,
        response=MeetingInvitation.Response.DELEGATE,
        attendee_name="dr. Rahmat Hidayat, M.Kes",
        attendee_position='Sekretaris Dinas & "Plt" Kabid',
    )
    fields = ("response", "attendee_name", "attendee_position", "responded_by")
    before = MeetingInvitation.objects.filter(pk=invitation.pk).values(*fields).get()
    since = last_event()

    response = submit_as_browser(
        client_for(w.operator_a), reverse("evaluations:invitation_respond", args=[invitation.pk]), "attendee_name"
    )

    assert response.status_code == 302, response.context["form"].errors
    assert MeetingInvitation.objects.filter(pk=invitation.pk).values(*fields).get() == before
    assert recorded_changes(since) == []


# --- 2. Hostile input on every new form and filter, as every persona -------------------------------------------


@dataclass
class Scene:
    ev: Evaluation
    item: FollowUpItem
    dropped: FollowUpItem
    task: FollowUpTask
    meeting: Meeting
    past: Meeting
    invitation: MeetingInvitation

    def client(self, persona: str) -> Client:
        return Client() if persona == "anonymous" else client_for(getattr(self.ev.world, persona))


@pytest.fixture
def scene(evaluation: Evaluation) -> Scene:
    w = evaluation.world
    item = make_item(evaluation)
    dropped = make_item(evaluation, "Susun roadmap SPBE.", tasks=False)
    followup_services.item_drop(item=dropped, by=w.coordinator, reason="Sudah masuk rencana kerja DKISP.")
    meeting = plan(evaluation, invite=[(w.agency_a, True), (w.agency_b, False)])
    past = plan(evaluation, starts_at=soon(1))
    Meeting.objects.filter(pk=past.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    return Scene(
        evaluation,
        item,
        dropped,
        task_of(item, w.agency_a),
        meeting,
        Meeting.objects.get(pk=past.pk),
        MeetingInvitation.objects.get(meeting=meeting, agency=w.agency_a),
    )


def state() -> tuple[Any, ...]:
    """Everything the new features write, to compare before and after a refused request."""
    return (
        list(
            FollowUpItem.objects.order_by("pk").values_list(
                "pk", "status", "version", "text", "source", "dimension_id", "recurs_id", "drop_reason"
            )
        ),
        list(FollowUpTask.objects.order_by("pk").values_list("pk", "status", "version", "report", "due_on")),
        sorted(FollowUpEvidence.objects.values_list("task_id", "evidence_id")),
        sorted(FollowUpItem.questions.through.objects.values_list("followupitem_id", "question_id")),
        list(
            Meeting.objects.order_by("pk").values_list(
                "pk", "status", "version", "title", "starts_at", "place", "agenda", "minutes_id", "attendance_list_id"
            )
        ),
        list(
            MeetingInvitation.objects.order_by("pk").values_list(
                "pk", "response", "attendee_name", "attendee_position", "attended", "head_required"
            )
        ),
        AuditEvent.objects.count(),
        ReportReminder.objects.count(),
        Evidence.objects.count(),
    )


@contextmanager
def undone() -> Iterator[None]:
    """Run one request and take back whatever it wrote, so the next request meets the same scene."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@dataclass
class Endpoint:
    method: str
    url: str
    writer: str  # the persona for whom the form is meant
    form_key: str  # the form in the page's context
    fields: tuple[str, ...]
    base: dict[str, Any]


def endpoint(scene: Scene, name: str) -> Endpoint:
    w, ev = scene.ev.world, scene.ev
    cycle = str(ev.cycle.pk)
    due_a = f"due_{w.agency_a.pk}"
    return {
        "dashboard": Endpoint(
            "get",
            reverse("evaluations:dashboard"),
            "coordinator",
            "form",
            ("year", "period", "cycle", "dimension", "agency"),
            {"year": "2023", "period": "1", "cycle": cycle},
        ),
        "dashboard_export": Endpoint(
            "get",
            reverse("evaluations:dashboard_export", args=["laporan-skpd"]),
            "coordinator",
            "",
            ("year", "period", "cycle", "dimension", "agency"),
            {"year": "2023", "period": "1"},
        ),
        "register": Endpoint(
            "get",
            reverse("evaluations:followup_register"),
            "coordinator",
            "form",
            ("year", "cycle", "status", "source", "dimension", "agency", "recurring", "page"),
            {"cycle": cycle},
        ),
        "item_create_get": Endpoint(
            "get", reverse("evaluations:followup_item_create"), "coordinator", "form", ("cycle",), {}
        ),
        "item_create": Endpoint(
            "post",
            reverse("evaluations:followup_item_create"),
            "coordinator",
            "form",
            ("cycle", "source", "dimension", "text", "question_codes"),
            {"cycle": cycle, "source": "weakness", "dimension": "", "text": "Forum belum rutin.", "question_codes": ""},
        ),
        "item_edit": Endpoint(
            "post",
            reverse("evaluations:followup_item_edit", args=[scene.item.pk]),
            "coordinator",
            "form",
            ("source", "dimension", "text", "question_codes", "recurs", "version"),
            {"source": "recommendation", "text": TEXT, "question_codes": "SG-B-01", "version": str(scene.item.version)},
        ),
        "item_assign": Endpoint(
            "post",
            reverse("evaluations:followup_item_assign", args=[scene.item.pk]),
            "coordinator",
            "form",
            ("agencies", "due_on"),
            {"agencies": [str(w.agency_b.pk)], "due_on": "2023-10-31"},
        ),
        "item_drop": Endpoint(
            "post",
            reverse("evaluations:followup_item_drop", args=[scene.item.pk]),
            "coordinator",
            "form",
            ("reason",),
            {"reason": "Sudah tidak relevan dengan RPJMD baru."},
        ),
        "item_reopen": Endpoint(
            "post",
            reverse("evaluations:followup_item_reopen", args=[scene.dropped.pk]),
            "coordinator",
            "form",
            ("reason",),
            {"reason": "Masih diminta oleh asesor tahun ini."},
        ),
        "task_report": Endpoint(
            "post",
            scene.task.get_absolute_url(),
            "operator_a",
            "form",
            ("report", "version", "evidence", "action", "new_files_kind"),
            {"report": "Draf Perbup disusun.", "version": str(scene.task.version), "action": "progress"},
        ),
        "meeting_create": Endpoint(
            "post",
            reverse("evaluations:meeting_create", args=[ev.cycle.pk]),
            "coordinator",
            "form",
            ("kind", "title", "starts_at", "place", "agenda", "invited", "head_required"),
            {
                "kind": "preparation",
                "title": "Rakor Tim Pelaksana",
                "starts_at": timezone.localtime(soon()).strftime("%Y-%m-%dT%H:%M"),
                "place": "Aula Barakat",
                "agenda": AGENDA,
                "invited": [str(w.agency_a.pk)],
            },
        ),
        "meeting_update": Endpoint(
            "post",
            reverse("evaluations:meeting_update", args=[scene.meeting.pk]),
            "coordinator",
            "form",
            ("kind", "title", "starts_at", "place", "agenda", "invited", "head_required", "version"),
            {
                "kind": "preparation",
                "title": scene.meeting.title,
                "starts_at": timezone.localtime(scene.meeting.starts_at).strftime("%Y-%m-%dT%H:%M"),
                "place": scene.meeting.place,
                "agenda": scene.meeting.agenda,
                "invited": [str(w.agency_a.pk), str(w.agency_b.pk)],
                "head_required": [str(w.agency_a.pk)],
                "version": str(scene.meeting.version),
            },
        ),
        "meeting_cancel": Endpoint(
            "post",
            reverse("evaluations:meeting_cancel", args=[scene.meeting.pk]),
            "coordinator",
            "form",
            ("reason",),
            {"reason": "Bertepatan dengan kunjungan Bupati."},
        ),
        "meeting_attendance": Endpoint(
            "post",
            reverse("evaluations:meeting_attendance", args=[scene.past.pk]),
            "coordinator",
            "attendance_form",
            ("present",),
            {"present": [str(scene.past.invitations.get().pk)]},
        ),
        "meeting_minutes": Endpoint(
            "post",
            reverse("evaluations:meeting_minutes", args=[scene.past.pk]),
            "coordinator",
            "minutes_form",
            ("minutes_upload", "attendance_upload"),
            {},
        ),
        "meeting_decision": Endpoint(
            "post",
            reverse("evaluations:meeting_decision", args=[scene.meeting.pk]),
            "coordinator",
            "decision_form",
            ("text", "dimension", due_a),
            {"text": "DINKES menyiapkan data layanan.", due_a: "2023-10-31"},
        ),
        "invitation_respond": Endpoint(
            "post",
            reverse("evaluations:invitation_respond", args=[scene.invitation.pk]),
            "operator_a",
            "form",
            ("response", "attendee_name", "attendee_position"),
            {"response": "delegate", "attendee_name": "dr. Rahmat", "attendee_position": "Sekretaris Dinas"},
        ),
        "chase_get": Endpoint("get", reverse("masterplan:chase"), "coordinator", "", ("agency", "late", "next"), {}),
        "chase_post": Endpoint(
            "post",
            reverse("masterplan:chase"),
            "coordinator",
            "",
            ("agency", "late", "next"),
            {"agency": [str(w.agency_a.pk)]},
        ),
        "whatif": Endpoint(
            "get",
            reverse("evaluations:whatif", args=[ev.cycle.pk]),
            "coordinator",
            "form",
            ("w_baseline", "w_impact", f"q_{ev.yes_no.question_id}"),
            {},
        ),
    }[name]


ENDPOINTS = [
    "dashboard",
    "dashboard_export",
    "register",
    "item_create_get",
    "item_create",
    "item_edit",
    "item_assign",
    "item_drop",
    "item_reopen",
    "task_report",
    "meeting_create",
    "meeting_update",
    "meeting_cancel",
    "meeting_attendance",
    "meeting_minutes",
    "meeting_decision",
    "invitation_respond",
    "chase_get",
    "chase_post",
    "whatif",
]


def _send(client: Client, point: Endpoint, data: dict[str, Any]) -> Any:
    if point.method == "get":
        return client.get(point.url, data)
    return client.post(point.url, data)


def _check_refusal(point: Endpoint, response: Any, name: str, value: Any, before: tuple[Any, ...]) -> None:
    """A refused field: its error beside it, what was typed kept, nothing written."""
    form = response.context.get(point.form_key) if point.form_key and response.context else None
    if form is None or name not in form.errors:
        return
    html = response.content.decode()
    assert any(marker in html for marker in ERROR_MARKERS), (name, value)
    missing = [m for m in form.errors[name] if escape(m) not in html]
    assert not missing, ("message not shown", name, missing)
    assert state() == before, (name, value)
    typed = value[-1] if isinstance(value, list) else value
    if "\x00" in typed or not typed:
        return
    shown = [f for f in forms_of(html) if name in f.text_like]
    if shown:
        assert typed in shown[0].values(name), (name, value[:40] if isinstance(value, str) else value)


@pytest.mark.parametrize("name", ENDPOINTS)
def test_hostile_values_never_break_a_form_or_a_filter(scene: Scene, name: str) -> None:
    point = endpoint(scene, name)
    problems: list[str] = []
    for persona in PERSONAS:
        client = scene.client(persona)
        writer = persona == point.writer
        for value in HOSTILE:
            cases: list[tuple[str, Any]] = (
                [(f, value) for f in point.fields] + [(f, [str(point.base.get(f, "")), value]) for f in point.fields]
                if writer
                else [("*", value)]
            )
            for field_name, typed in cases:
                data = dict(point.base)
                if field_name == "*":
                    data.update({f: value for f in point.fields})
                else:
                    data[field_name] = typed
                before = state()
                label = (persona, field_name, value[:20], len(value))
                try:
                    with undone():
                        _check_one(client, point, data, writer=writer, field_name=field_name, typed=typed)
                except Exception as problem:  # every broken case of the endpoint at once, not just the first
                    problems.append(f"{label}: {type(problem).__name__}: {str(problem)[:300]}")
                assert state() == before
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all)"


def _check_one(client: Client, point: Endpoint, data: dict[str, Any], **case: Any) -> None:
    writer, field_name, typed = case["writer"], case["field_name"], case["typed"]
    before = state()
    response = _send(client, point, data)
    status = response.status_code
    assert status != 500
    nul = any("\x00" in (v if isinstance(v, str) else "".join(map(str, v))) for v in data.values())
    if point.method == "get" and writer:  # the site's request checks answer a NUL in a query string with 400
        assert status in ((200, 400) if nul else (200,)), status
    if point.method == "get" or not writer:
        assert state() == before, "written"
        if not writer:
            assert status in (200, 302, 400, 403, 404), status
    if writer and status == 200 and field_name != "*":
        _check_refusal(point, response, field_name, typed, before)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_agency_ids_in_the_skpd_dashboard_url(scene: Scene, value: str) -> None:
    base = reverse("evaluations:skpd_dashboard")
    for persona in PERSONAS:
        response = scene.client(persona).get(f"{base}{quote(value)}/")
        assert response.status_code in (302, 400, 404), (persona, value[:20], response.status_code)


# --- 3. Rules checked inside the committing transaction, under real concurrency -------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_answer_never_lands_on_a_meeting_cancelled_meanwhile(evaluation: Evaluation, monkeypatch) -> None:
    from evaluations.services.meetings import invitations as invitation_module
    from tests.test_races_and_duties import _concurrently, _slow

    w = evaluation.world
    _slow(monkeypatch, invitation_module, "has_started")  # after the answer's checks, before its write
    for round_ in range(3):
        meeting = plan(evaluation, invite=[(w.agency_a, False)])
        invitation = MeetingInvitation.objects.get(meeting=meeting)

        def respond(invitation: MeetingInvitation = invitation) -> Any:
            return meeting_services.invitation_respond(invitation=invitation, by=w.operator_a, response="head")

        def cancel(meeting: Meeting = meeting, round_: int = round_) -> Any:
            return meeting_services.meeting_cancel(meeting=meeting, by=w.coordinator, reason=f"Ditunda ({round_}).")

        outcomes = _concurrently(respond, cancel)
        meeting.refresh_from_db()
        invitation.refresh_from_db()
        if meeting.status == Meeting.Status.CANCELLED:
            cancelled_at = AuditEvent.objects.get(action="meeting.cancelled", target_id=str(meeting.pk)).created_at
            assert invitation.responded_at is None or invitation.responded_at <= cancelled_at, outcomes
        else:
            assert outcomes[1][0] == "refused"


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_assigning_the_same_skpd_make_one_task(evaluation: Evaluation, monkeypatch) -> None:
    from tests.test_races_and_duties import _concurrently

    w = evaluation.world
    second = make_user("coordinator_2")
    membership_grant(by=None, user=second, region=w.region, role=Role.COORDINATOR, agency=w.dkisp)
    for round_ in range(3):
        item = make_item(evaluation, f"Rekomendasi bersamaan {round_}.", tasks=False)

        def assign(by: Any, due: dt.date, item: FollowUpItem = item) -> Any:
            return followup_services.tasks_assign(item=item, by=by, agencies_with_due_dates=[(w.agency_b, due)])

        outcomes = _concurrently(lambda: assign(w.coordinator, DUE), lambda: assign(second, DUE))
        assert all(outcome == "ok" for outcome, _result in outcomes)
        assert FollowUpTask.objects.filter(item=item, agency=w.agency_b).count() == 1
        assert AuditEvent.objects.filter(action="followup.assigned", target_id=str(item.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_assigning_through_the_pages_never_get_a_500(evaluation: Evaluation) -> None:
    from tests.test_races_and_duties import _concurrently

    w = evaluation.world
    second = make_user("coordinator_3")
    membership_grant(by=None, user=second, region=w.region, role=Role.COORDINATOR, agency=w.dkisp)
    item = make_item(evaluation, "Rekomendasi lewat halaman.", tasks=False)
    url = reverse("evaluations:followup_item_assign", args=[item.pk])
    data = {"agencies": [str(w.agency_b.pk)], "due_on": "2023-10-31"}
    outcomes = _concurrently(
        lambda: client_for(w.coordinator).post(url, data).status_code,
        lambda: client_for(second).post(url, data).status_code,
    )
    assert [status for _outcome, status in outcomes] == [302, 302]
    assert FollowUpTask.objects.filter(item=item, agency=w.agency_b).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_task_done_while_the_item_is_dropped_ends_dropped_and_not_done_after(
    evaluation: Evaluation, monkeypatch
) -> None:
    from evaluations.services.followup import tasks as task_module
    from tests.test_races_and_duties import _concurrently, _slow

    w = evaluation.world
    evidence = make_evidence(w.agency_a, w.operator_a, "Perbup.pdf", PDF_BYTES.replace(b"1.4", b"1.5"))
    _slow(monkeypatch, task_module, "_link_task_evidence")
    for round_ in range(3):
        item = make_item(evaluation, f"Rekomendasi balapan {round_}.")
        task = task_of(item, w.agency_a)

        def done(task: FollowUpTask = task) -> Any:
            return followup_services.task_report(
                task=task, by=w.operator_a, report="Selesai.", evidence=[evidence], done=True
            )

        def drop(item: FollowUpItem = item) -> Any:
            return followup_services.item_drop(item=item, by=w.coordinator, reason="Digabung dengan item lain.")

        (reported, _r), (dropped, _d) = _concurrently(done, drop)
        item, task = FollowUpItem.objects.get(pk=item.pk), task_of(item, w.agency_a)
        assert dropped == "ok" and item.status == FollowUpItem.Status.DROPPED
        dropped_at = AuditEvent.objects.get(action="followup.dropped", target_id=str(item.pk)).created_at
        if reported == "refused":
            assert task.status != FollowUpTask.Status.DONE and task.reported_at is None
        else:  # the report committed first: it is older than the drop, never newer
            assert task.reported_at is not None and task.reported_at <= dropped_at


# --- 4. Another region's coordinator ------------------------------------------------------------------------------


def test_another_regions_coordinator_gets_404_on_every_object_of_ours(scene: Scene) -> None:
    w, ev = scene.ev.world, scene.ev
    outsider = client_for(w.outsider)
    invitation = scene.invitation.pk
    gets = [
        reverse("evaluations:followup_item", args=[scene.item.pk]),
        reverse("evaluations:followup_item_edit", args=[scene.item.pk]),
        reverse("evaluations:followup_item_assign", args=[scene.item.pk]),
        reverse("evaluations:followup_item_drop", args=[scene.item.pk]),
        reverse("evaluations:followup_item_reopen", args=[scene.dropped.pk]),
        scene.task.get_absolute_url(),
        reverse("evaluations:meetings", args=[ev.cycle.pk]),
        reverse("evaluations:meeting_create", args=[ev.cycle.pk]),
        reverse("evaluations:meeting", args=[scene.meeting.pk]),
        reverse("evaluations:meeting_update", args=[scene.meeting.pk]),
        reverse("evaluations:meeting_cancel", args=[scene.meeting.pk]),
        reverse("evaluations:invitation_respond", args=[invitation]),
        reverse("evaluations:whatif", args=[ev.cycle.pk]),
        reverse("evaluations:skpd_dashboard_agency", args=[w.agency_a.pk]),
    ]
    posts = [
        *gets,
        reverse("evaluations:meeting_invitations_send", args=[scene.meeting.pk]),
        reverse("evaluations:meeting_attendance", args=[scene.past.pk]),
        reverse("evaluations:meeting_minutes", args=[scene.past.pk]),
        reverse("evaluations:meeting_decision", args=[scene.meeting.pk]),
        reverse("evaluations:followup_from_notes", args=[ev.cycle.pk]),
    ]
    before = state()
    for url in gets:
        assert outsider.get(url).status_code == 404, url
    for url in posts:
        assert outsider.post(url, {"reason": "Alasan yang cukup panjang.", "text": "x"}).status_code in (404, 405), url
    chase = reverse("masterplan:chase")
    assert outsider.get(chase, {"agency": w.agency_a.pk}).status_code == 404
    assert outsider.post(chase, {"agency": w.agency_a.pk}).status_code == 404
    # Our cycle is no choice for a new item of theirs: refused beside the field, nothing written.
    created = outsider.post(
        reverse("evaluations:followup_item_create"), {"cycle": ev.cycle.pk, "source": "weakness", "text": "Bocor?"}
    )
    assert created.status_code == 200 and "cycle" in created.context["form"].errors
    assert state() == before


def test_another_regions_dashboard_exports_show_nothing_of_ours_with_our_cycle_as_filter(scene: Scene) -> None:
    import openpyxl

    w, ev = scene.ev.world, scene.ev
    outsider = client_for(w.outsider)
    page = outsider.get(reverse("evaluations:dashboard"), {"cycle": ev.cycle.pk})
    slugs = sorted(
        {
            href.split("/unduh/")[1].split("/")[0]
            for href in page.content.decode().split('href="')
            if "/dasbor/unduh/" in href.split('"')[0]
        }
    )
    assert slugs
    ours = ("DINKES", "DISDIK", "DKISP", "Kabupaten Banjar", TEXT)
    for slug in slugs:
        query = {"cycle": ev.cycle.pk, "agency": w.agency_a.pk, "year": 2023}
        response = outsider.get(reverse("evaluations:dashboard_export", args=[slug]), query)
        assert response.status_code == 200, slug
        book = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
        cells = " ".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row)
        assert not any(word in cells for word in ours), slug


def test_a_chase_with_a_bare_word_as_next_goes_back_to_the_dashboard(scene: Scene) -> None:
    """`next=abc` passed the same-site check but `redirect()` read it as a view's name: a 500 (NoReverseMatch)."""
    response = scene.client("coordinator").post(
        reverse("masterplan:chase"), {"agency": scene.ev.world.agency_a.pk, "next": "abc"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("evaluations:dashboard")
