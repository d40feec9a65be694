"""The evidence picker of every form that cites evidence: the entries chosen, and the rest of the library found by
search, a page at a time, so the form's size no longer grows with the library.

Without JavaScript its search and page buttons submit the whole form, which comes back as typed, unsaved
(`EvidenceFields.browsing_evidence`); with htmx they fetch only the picker's body from the form's own URL
(`picker_fragment`), so the fragment is behind exactly the gates of the form that shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from common.ids import parse_ids
from evidence.models import Evidence
from evidence.selectors import evidence_picker_results

PAGE_SIZE = 20
MAX_SEARCH = 100
# Request names, prefixed so that they never meet a field of the forms the picker sits in.
FRAGMENT = "evidence_picker"  # htmx asks for the picker's body alone
SEARCH = "evidence_q"
KIND = "evidence_kind"
PAGE = "evidence_page"  # a page button; without JavaScript it submits the form
SEARCH_BUTTON = "evidence_search"


@dataclass(frozen=True)
class EvidencePicker:
    chosen: list[Evidence]
    found: Page
    q: str
    kind: str

    @property
    def kinds(self) -> list[tuple[str, str]]:
        return list(Evidence.Kind.choices)


def item_html(entry: Evidence, *, checked: bool) -> SafeString:
    """One entry of the picker, byte for byte what templates/evidence/_picker_item.html writes (the reference:
    tests/test_evidence_picker.py renders both ways). Written here because a form shows twenty of them and the
    included template cost ~0.17 ms each, an eighth of the report and answer forms' server time at region scale."""
    pk = conditional_escape(localize(entry.pk))
    about = []
    if entry.document_number:
        about.append(f"{conditional_escape(gettext('No.'))} {conditional_escape(entry.document_number)} · ")
    if entry.document_date:
        about.append(f"{conditional_escape(date_filter(entry.document_date))} · ")
    about.append(conditional_escape(entry.original_name))
    if entry.is_expired:
        about.append(f' · <span class="badge text-bg-warning">{conditional_escape(gettext("expired"))}</span>')
    elif entry.valid_until:
        about.append(
            f" · {conditional_escape(gettext('valid until'))} {conditional_escape(date_filter(entry.valid_until))}"
        )
    return mark_safe(  # noqa: S308 - every value in it went through conditional_escape
        f'<li class="form-check mb-1">\n'
        f'  <input class="form-check-input" type="checkbox" name="evidence" value="{pk}" id="id_evidence_{pk}" '
        f'aria-describedby="id_evidence_{pk}_about"{" checked" if checked else ""}>\n'
        f'  <label class="form-check-label" for="id_evidence_{pk}">{conditional_escape(entry.title)} '
        f"({conditional_escape(entry.get_kind_display())})</label>\n"
        f'  <span class="d-block small text-muted" id="id_evidence_{pk}_about">{"".join(about)}</span>\n'
        f"</li>\n"
    )


def _param(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name, "")
    if isinstance(value, list | tuple):  # a plain dict of lists, as tests build form data
        value = value[-1] if value else ""
    # A NUL is refused by PostgreSQL in a LIKE pattern; nothing anyone types to find a file needs one.
    return str(value).replace("\x00", "").strip()[:MAX_SEARCH]


def is_navigation(data: Mapping[str, Any]) -> bool:
    """Whether a submitted form asked the picker for a search or a page rather than to be saved."""
    return bool(data.get(SEARCH_BUTTON) or data.get(PAGE))


def evidence_picker(
    library: QuerySet[Evidence], *, chosen: Iterable[object], params: Mapping[str, Any]
) -> EvidencePicker:
    """The picker for `library` with the entries whose ids are in `chosen` (as posted: anything not an id of the
    library is left out here, the form's field says why) and the search, kind and page read from `params`."""
    ids = parse_ids(str(value) for value in chosen)
    q = _param(params, SEARCH)
    kind = _param(params, KIND)
    if kind not in Evidence.Kind.values:
        kind = ""
    results = evidence_picker_results(library, q=q, kind=kind, exclude=ids)
    return EvidencePicker(
        chosen=list(library.filter(pk__in=ids)) if ids else [],
        found=Paginator(results, PAGE_SIZE).get_page(_param(params, PAGE)),
        q=q,
        kind=kind,
    )


def picker_fragment(request: HttpRequest, library: QuerySet[Evidence]) -> HttpResponse | None:
    """The picker's body alone when htmx asks for it (`?evidence_picker=1`, with the chosen ids and the search),
    or None for any other request. Called by a form's view after its own permission checks."""
    if request.method != "GET" or FRAGMENT not in request.GET:
        return None
    picker = evidence_picker(library, chosen=request.GET.getlist("evidence"), params=request.GET)
    return render(request, "evidence/_picker_body.html", {"picker": picker})
