"""Display helpers for templates: presentation only, no business rules."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.html import format_html

from agencies.audit import ChangeLine, action_label, describe_changes
from agencies.models import AuditEvent
from common.links import reverse_fixed, static_url
from evaluations.models import Answer
from evaluations.selectors.cycle_readiness import Light
from evidence.models import Evidence
from evidence.picker import item_html
from masterplan.models import ProgressReport
from masterplan.selectors.reports import SlotState

register = template.Library()

_STATUS_CLASSES = {
    "planned": "text-bg-secondary",
    "running": "text-bg-primary",
    "done": "text-bg-success",
    "postponed": "text-bg-warning",
}


@register.filter
def status_class(status: str) -> str:
    return _STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def svg_number(value: Decimal | float | int | None) -> str:
    """A number for an SVG attribute: always a dot decimal, whatever the page's language."""
    if value is None:
        return "0"
    return f"{float(value):.2f}"


@register.filter
def audit_action(action: str) -> str:
    return action_label(action)


# The badge of a report's or an answer's status, or of a reporting period still without a report. The labels are
# the models' own choices (a report and an answer share draft, submitted and returned); only the colours live here.
_STATE_LABELS = {**dict(SlotState.choices), **dict(ProgressReport.Status.choices), **dict(Answer.Status.choices)}
_STATE_CLASSES = {
    SlotState.NOT_DUE: "text-bg-light border",
    SlotState.DUE: "text-bg-info",
    SlotState.OVERDUE: "text-bg-danger",
    SlotState.OPTIONAL: "text-bg-light border",
    ProgressReport.Status.DRAFT: "text-bg-secondary",
    ProgressReport.Status.SUBMITTED: "text-bg-primary",
    ProgressReport.Status.RETURNED: "text-bg-warning",
    ProgressReport.Status.APPROVED: "text-bg-success",
    Answer.Status.VERIFIED: "text-bg-success",
}


@register.filter
def report_state_class(state: str) -> str:
    return _STATE_CLASSES.get(state, "text-bg-light")


@register.filter
def report_state_label(state: str) -> str:
    return str(_STATE_LABELS.get(state, state))


@register.simple_tag
def report_status(state: str) -> str:
    """The badge of a report's or an answer's status (or a period's state): `{% report_status report.status %}`.

    A tag, not an included template: it sits in the rows of the review queue and the answer lists, where an
    `{% include %}` per row cost a twentieth of a millisecond each."""
    return format_html('<span class="badge {}">{}</span>', report_state_class(state), report_state_label(state))


@register.simple_tag
def fixed_url(viewname: str) -> str:
    """`{% url viewname %}` for a view without arguments, reversed once (common.links.reverse_fixed): the navigation
    of every page links some fifteen."""
    return reverse_fixed(viewname)


@register.simple_tag
def fixed_static(path: str) -> str:
    """`{% static path %}`, looked up once per path (common.links.static_url): every page links the same seven."""
    return static_url(path)


@register.simple_tag
def evidence_picker_item(entry: Evidence, checked: bool) -> str:
    """One entry of the evidence picker (evidence.picker.item_html, the markup of evidence/_picker_item.html)."""
    return item_html(entry, checked=checked)


@register.filter
def audit_changes(event: AuditEvent) -> list[ChangeLine]:
    """The event's changes as labelled lines in the page's language (see agencies.audit.describe_changes)."""
    return describe_changes(event)


@register.filter
def audit_change_labels(event: AuditEvent) -> str:
    """Just the labels of the changed fields, for compact lists of recent changes."""
    return ", ".join(line.label for line in describe_changes(event))


@register.filter
def readiness_label(light: str) -> str:
    return str(Light(light).label)


@register.filter
def index2(value: Decimal | None) -> str:
    """An index on the 0–5 scale as published: two decimals, half up, in the page's number format."""
    from django.utils.formats import number_format

    if value is None:
        return "–"
    return number_format(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP), 2)


@register.filter
def plain_number(value: Decimal | int | None) -> str:
    """A stored number as it was typed ("81,5", "1.250"), not padded to its column's decimals ("81,5000")."""
    from common.forms import format_local_number

    return "–" if value is None else format_local_number(value)


@register.filter
def delta(value: Decimal | None, before: Decimal | None) -> str:
    """The change from last year's index, signed ("+0,25"), or "" when either is missing."""
    from django.utils.formats import number_format

    if value is None or before is None:
        return ""
    change = (Decimal(value) - Decimal(before)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return ("+" if change >= 0 else "−") + number_format(abs(change), 2)


@register.filter
def progress_step(value: int | None) -> int:
    """A percentage rounded down to the step of 5 that a progress bar's width class exists for (pw-0 … pw-100)."""
    return max(0, min(100, int(value or 0) // 5 * 5))
