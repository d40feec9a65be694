"""The Python form renderer writes what Django's widget templates write, byte for byte."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe

from common.form_renderer import FormRenderer

CHOICES: list[Any] = [
    ("", "Semua SKPD"),
    (1, 'DINKES — Dinas <Kesehatan> & "Gizi"'),
    (2, mark_safe("<b>safe</b>")),  # a label marked safe stays unescaped in both
    ("Wilayah", [(3, "Kecamatan A"), (4, "Kecamatan B")]),
    (Decimal("2.5"), Decimal("2.5")),
    (2024, 2024),
]

WIDGETS: list[tuple[forms.Widget, Any]] = [
    (forms.TextInput(attrs={"class": "form-control", "placeholder": 'say "hi" <now>'}), "a & b"),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(attrs={"disabled": True, "readonly": False, "maxlength": 10}), mark_safe("<i>x</i>")),
    (forms.NumberInput(attrs={"min": 0, "step": "any"}), Decimal("12.50")),
    (forms.NumberInput(), 1250),
    (forms.HiddenInput(), 42),
    (forms.EmailInput(), "a@b.id"),
    (forms.URLInput(), "https://x.id/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), dt.date(2026, 12, 2)),
    (forms.DateInput(), dt.date(2026, 12, 2)),
    (forms.DateTimeInput(), dt.datetime(2026, 12, 2, 8, 30, tzinfo=dt.UTC)),
    (forms.TimeInput(), dt.time(8, 30)),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(attrs={"class": "form-check-input"}), False),
    (forms.CheckboxInput(), "on"),
    (forms.Select(choices=CHOICES, attrs={"class": "form-select"}), 3),
    (forms.Select(choices=CHOICES), ""),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES), Decimal("2.5")),
    (forms.Select(choices=[]), None),
    (forms.SelectMultiple(choices=CHOICES, attrs={"size": 4}), [1, 4, 2024]),
    (forms.NullBooleanSelect(), True),
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=[type(widget).__name__ for widget, _ in WIDGETS])
def test_it_writes_what_the_templates_write(widget: forms.Widget, value: Any, language: str) -> None:
    attrs = {"id": "id_field", "aria-describedby": "id_field_help"}
    with translation.override(language):
        expected = widget.render("field", value, attrs=attrs, renderer=DjangoTemplates())
        written = widget.render("field", value, attrs=attrs, renderer=FormRenderer())
    assert written == expected


def test_it_leaves_a_select_with_its_own_option_template_to_the_templates() -> None:
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    widget = Custom(choices=[(1, "A"), (2, "B")])
    written = widget.render("field", 1, renderer=FormRenderer())
    assert written == widget.render("field", 1, renderer=DjangoTemplates())
    assert "<label><input" in written  # the option template was used, not the <option> writer


def test_it_leaves_other_widgets_to_the_templates() -> None:
    widget = forms.Textarea(attrs={"rows": 3})
    assert widget.render("note", "a <b>", renderer=FormRenderer()) == widget.render(
        "note", "a <b>", renderer=DjangoTemplates()
    )


def test_forms_use_it(settings: Any) -> None:
    assert settings.FORM_RENDERER == "common.form_renderer.FormRenderer"
    assert isinstance(forms.Form().renderer, FormRenderer)
