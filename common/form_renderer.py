"""Django's form renderer, with the commonest widgets (one-value inputs and selects) written in Python.

Django writes every widget through its templates, and a select writes each <option> through two more includes
(`select_option.html`, `attrs.html`), about 0.15 ms an option. Measured at region scale (PostgreSQL, 60 SKPDs):
the review queue's SKPD filter (73 options) took ~12 ms of a ~75 ms page, and the assessor's sheet ~8 ms for its
24 text inputs. The markup written here is byte for byte what those templates write (tests/test_form_renderer.py
renders every case both ways); any other widget, or a select whose options use another template, goes to the
templates as before.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    """`{{ value }}` in a form template: localised (the renderer's context has no l10n or time zone of its own),
    then escaped unless already safe."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: the filter keeps a safe string safe, so only others are escaped."""
    return conditional_escape(str(value))


def _attrs(attrs: Mapping[str, Any]) -> str:
    """`django/forms/widgets/attrs.html`: False leaves the attribute out, True writes its bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget: Mapping[str, Any]) -> str | None:
    """`django/forms/widgets/input.html` (text, number, hidden, checkbox and the other one-value inputs)."""
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value is not None else ""
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _select(widget: Mapping[str, Any]) -> str | None:
    """`django/forms/widgets/select.html` with its options, or None for options written by another template."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


_INPUTS = ("text", "number", "email", "url", "password", "hidden", "search", "tel", "date", "datetime", "time", "color")
_WRITERS: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
    **{f"django/forms/widgets/{name}.html": _input for name in (*_INPUTS, "checkbox")},
    "django/forms/widgets/select.html": _select,
}


class FormRenderer(DjangoTemplates):
    """The default renderer (`DjangoTemplates`), writing inputs and plain selects without a template."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        writer = _WRITERS.get(template_name)
        html = writer(context["widget"]) if writer is not None and "widget" in context else None
        if html is None:
            return super().render(template_name, context, request)
        # The templates' output is stripped by DjangoTemplates.render; ours has no outer blanks to strip.
        return mark_safe(html)  # noqa: S308 - every value in it went through conditional_escape
