"""Every form and every list filter, fed a corpus of hostile values as every persona, never answers 500.

The walk is driven by the permission matrix: each URL a persona may open is fetched, the forms on the page are
read as a browser would read them, and each form is sent back with hostile values in every field, then with
one field at a time set to the values that used to break things (huge ids, NUL, non-ASCII digits).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for
from tests.test_permission_matrix import EVALUATION_MATRIX, MATRIX, NONE

# Values that broke, or could break, parsing, the database driver or a template.
CORPUS = (
    "²",  # superscript two: isdigit() is true, int() refuses it
    "①",
    "١٢٣",  # Arabic-Indic digits: int() accepts them
    "1_000",  # int() accepts underscores
    "-5",
    "9" * 40,
    str(2**63),
    str(2**64 + 1),
    "-" + str(2**63 + 1),
    "a\x00b",  # NUL: PostgreSQL refuses it in text
    "\x00",
    "x" * 5000,
    "1e309",
    "NaN",
    "2026-02-30",
    "\u202e<script>alert(1)</script>",
    "  ",
)
# The few values tried one field at a time (the rest of the form left as the page gave it).
PER_FIELD = (str(2**64 + 1), "a\x00b", "²", "١٢٣")
SKIP_PERSONA_URLS = {"logout", "set_language", "switch_region"}  # log the client out or switch its language


class _Forms(HTMLParser):
    """Collect each <form>: its method, action, and the fields with the values a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._first_data = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"method": a.get("method", "get").lower(), "action": a.get("action", ""), "fields": {}}
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        if tag == "option" and self._select:
            if "selected" in a or not fields.get(self._select):
                fields[self._select] = a.get("value", "")
            return
        name = a.get("name")
        if not name:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.setdefault(name, a.get("value", "on"))
                else:
                    fields.setdefault(name, "")
                return
            fields[name] = a.get("value", "")
        elif tag == "select":
            self._select = name
            fields.setdefault(name, "")
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""
            self._first_data = True

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            if self._first_data and data.startswith("\n"):
                data = data[1:]  # as browsers do: the newline right after <textarea> is not content
            self._first_data = False
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _session_urls() -> set[str]:
    """Forms on every page that end the session or switch its language: sending them would stop the walk."""
    return {reverse(name) for name in SKIP_PERSONA_URLS}


def _send(client: Client, method: str, url: str, data: dict[str, str]) -> int:
    if method == "post":
        return client.post(url, data).status_code
    return client.get(url, data).status_code


def _walk(client: Client, url: str) -> list[str]:
    """Fetch `url`, then send every form on it back with hostile values; list what answered 500."""
    failures: list[str] = []
    client.raise_request_exception = False  # collect every 500 of the walk, not just the first
    page = client.get(url)
    if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
        return failures
    for form in _forms(page.content.decode()):
        action = form["action"] or url
        if not action.startswith("/") or action.startswith("/admin/") or action in _session_urls():
            continue
        fields = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
        trials = [dict.fromkeys(fields, value) for value in CORPUS]
        trials += [{**fields, name: value} for name in fields for value in PER_FIELD]
        for data in trials:
            status = _send(client, form["method"], action, data)
            if status >= 500:
                failures.append(f"{form['method'].upper()} {action} {data!r:.200} → {status}")
    # List pages also read their query string directly (page, sort, filters not rendered as a form).
    for name in ("page", "year", "period", "status", "agency", "dimension", "q", "sort", "cycle", "kind"):
        for value in PER_FIELD:
            status = client.get(url, {name: value}).status_code
            if status >= 500:
                failures.append(f"GET {url}?{name}={value!r:.60} → {status}")
    return failures


def _cases(matrix: dict[str, Any]) -> list[tuple[str, str]]:
    personas = ("operator_a", "operator_b", "coordinator", "assessor", "outsider")
    return [
        (name, persona)
        for name, (_, methods) in matrix.items()
        if "GET" in methods and name not in SKIP_PERSONA_URLS
        for persona in personas
        if methods["GET"].get(persona) == 200
    ]


@pytest.mark.parametrize(("name", "persona"), _cases(MATRIX))
def test_region_pages_survive_hostile_input(world, name: str, persona: str) -> None:
    kwargs_for, _ = MATRIX[name]
    client = client_for(getattr(world, persona))
    assert _walk(client, reverse(name, kwargs=kwargs_for(world))) == []


@pytest.mark.parametrize(("name", "persona"), _cases(EVALUATION_MATRIX))
def test_evaluation_pages_survive_hostile_input(evaluation, name: str, persona: str) -> None:
    kwargs_for, _ = EVALUATION_MATRIX[name]
    world = evaluation.world
    kwargs = kwargs_for(world) if kwargs_for is NONE else kwargs_for(evaluation)
    client = client_for(getattr(world, persona))
    assert _walk(client, reverse(name, kwargs=kwargs)) == []


@pytest.mark.parametrize("value", ["99999999999999999999", str(2**63), str(2**63 - 1), "0"])
@pytest.mark.parametrize(
    "name", ["masterplan:programme", "masterplan:report", "evidence:detail", "evaluations:cycle", "evaluations:answer"]
)
def test_huge_ids_in_urls_are_not_found(world, name: str, value: str) -> None:
    url = reverse(name, kwargs={"pk": 1}).replace("/1/", f"/{value}/")
    assert client_for(world.coordinator).get(url).status_code == 404


@pytest.mark.parametrize("name", ["evidence:library", "masterplan:review_queue", "masterplan:programmes"])
def test_nul_in_a_filter_is_a_400_with_a_message(world, name: str) -> None:
    response = client_for(world.coordinator).get(reverse(name), {"q": "sk\x00tim"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
