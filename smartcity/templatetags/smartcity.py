"""Display helpers for templates: presentation only, no business rules."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from agencies.audit import action_label

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
}


@register.filter
def report_state_class(state: str) -> str:
    return _REPORT_STATES.get(state, ("text-bg-light", ""))[0]


@register.filter
def report_state_label(state: str) -> str:
    return str(_REPORT_STATES.get(state, ("", state))[1])


def _show(value: object) -> str:
    if value in (None, "", []):
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@register.filter
def audit_change(change: object) -> str:
    """An audit event's change as text: "old → new" for a [old, new] pair, the value itself otherwise."""
    if isinstance(change, list) and len(change) == 2:
        return f"{_show(change[0])} → {_show(change[1])}"
    return _show(change)
