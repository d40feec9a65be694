"""Display helpers for templates: presentation only, no business rules."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from agencies.audit import ChangeLine, action_label, describe_changes
from agencies.models import AuditEvent

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


_REPORT_STATES = {
    # state: (css class, label)
    "not_due": ("text-bg-light border", _("In progress")),
    "due": ("text-bg-info", _("Due")),
    "overdue": ("text-bg-danger", _("Overdue")),
    "optional": ("text-bg-light border", _("Optional")),
    "draft": ("text-bg-secondary", _("Draft")),
    "submitted": ("text-bg-primary", _("Submitted")),
    "returned": ("text-bg-warning", _("Returned")),
    "approved": ("text-bg-success", _("Approved")),
    "verified": ("text-bg-success", _("Verified")),
}


@register.filter
def report_state_class(state: str) -> str:
    return _REPORT_STATES.get(state, ("text-bg-light", ""))[0]


@register.filter
def report_state_label(state: str) -> str:
    return str(_REPORT_STATES.get(state, ("", state))[1])


@register.filter
def audit_changes(event: AuditEvent) -> list[ChangeLine]:
    """The event's changes as labelled lines in the page's language (see agencies.audit.describe_changes)."""
    return describe_changes(event)


@register.filter
def audit_change_labels(event: AuditEvent) -> str:
    """Just the labels of the changed fields, for compact lists of recent changes."""
    return ", ".join(line.label for line in describe_changes(event))


_READINESS = {"green": _("Ready"), "yellow": _("Almost ready"), "red": _("Not ready")}
_PROBLEMS = {
    "unanswered": _("Unanswered"),
    "missing_evidence": _("Missing evidence"),
    "expired_evidence": _("Expired evidence"),
    "not_verified": _("Not verified"),
    "overdue": _("Overdue"),
}


@register.filter
def readiness_label(light: str) -> str:
    return str(_READINESS.get(light, light))


@register.filter
def readiness_problem(problem: str) -> str:
    return str(_PROBLEMS.get(problem, problem))


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
