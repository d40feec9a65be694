"""Form helpers shared by every app."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


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


def format_local_number(value: Decimal | int, *, grouping: bool = True) -> str:
    """A number as people write it in the page's language, without trailing zeros: "81,5", "1.250", "0".

    Indonesian with grouping is what parse_indonesian_number reads back to the same Decimal. English inputs go
    without grouping: with USE_THOUSAND_SEPARATOR off, Django's English parser refuses "1,250.5".
    """
    return number_format(Decimal(value).normalize(), use_l10n=True, force_grouping=grouping)


# What a number may look like once grouping is removed. Python's Decimal() also takes "1_000", "١٢٣" (Arabic-Indic
# digits), "NaN" and "Infinity": none of them is what a person means in a budget or a realisation, so they are refused.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class LocalDecimalField(forms.DecimalField):
    """A decimal field that understands Indonesian digit grouping whatever the page language."""

    default_error_messages = {"invalid": _("Enter a number written with the digits 0–9, e.g. 1.250.000 or 12,5.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DecimalInput())
        super().__init__(*args, **kwargs)
        self.localize = True
        self.widget.is_localized = True

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            plain = parse_indonesian_number(value) if get_language() != "en" else value.strip().replace(",", "")
            if not plain:
                return None
            if not _PLAIN_NUMBER.fullmatch(plain):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            try:
                return Decimal(plain)
            except InvalidOperation:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


class DecimalInput(forms.TextInput):
    """A text box for decimals typed the Indonesian way ("12,5"): number inputs reject the comma."""

    input_type = "text"

    def __init__(self, attrs: dict[str, str] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


# Every reason people give for a step (a return, a reopening, an unlock, an extension) follows one rule.
MIN_REASON_LENGTH = 10
REASON_TOO_SHORT = _("Give a reason of at least %(n)s characters.")


def validate_reason(value: str) -> None:
    if len((value or "").strip()) < MIN_REASON_LENGTH:
        raise ValidationError(REASON_TOO_SHORT, code="too_short", params={"n": MIN_REASON_LENGTH})


def clean_reason(reason: str) -> str:
    """A reason as services keep it (trimmed), or a refusal keyed by the form's `reason` field."""
    try:
        validate_reason(reason)
    except ValidationError as error:
        raise ValidationError({"reason": error.error_list}) from None
    return reason.strip()


class ReasonForm(forms.Form):
    """The reason for a step taken on someone else's work: returning or reopening a report or an answer, unlocking."""

    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, validators=[validate_reason]
    )


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
