"""Display helpers for templates: presentation only, no business rules."""

from __future__ import annotations

from decimal import Decimal

from django import template

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
