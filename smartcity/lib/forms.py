"""Form helpers shared by every app."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import get_language


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: next to the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for field_name, messages in error.message_dict.items():
            target = field_name if field_name in form.fields else None
            if field_name == NON_FIELD_ERRORS:
                target = None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


_ID_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_indonesian_number(text: str) -> str:
    """Normalise a number typed the Indonesian way ("Rp 150.000.000,50", "12,5") to "150000000.50"/"12.5".

    Dots are thousands separators when they group digits by three; otherwise a lone dot is taken as a
    decimal point, because people also paste "12.5" from spreadsheets.
    """
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    if value[:2].lower() == "rp":
        value = value[2:]
    if _ID_THOUSANDS.match(value):
        return value.replace(".", "").replace(",", ".")
    if "," in value:
        return value.replace(".", "").replace(",", ".")
    return value


class LocalDecimalField(forms.DecimalField):
    """A decimal field that understands Indonesian digit grouping whatever the page language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DecimalInput())
        super().__init__(*args, **kwargs)
        self.localize = True
        self.widget.is_localized = True

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and get_language() != "en":
            value = parse_indonesian_number(value)
            if not value:
                return None
            try:
                return Decimal(value)
            except InvalidOperation:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


class DecimalInput(forms.TextInput):
    """A text box for decimals typed the Indonesian way ("12,5"): number inputs reject the comma."""

    input_type = "text"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe); each is checked by the service, not here."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: object, initial: object = None) -> list[object]:
        if not data:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]
