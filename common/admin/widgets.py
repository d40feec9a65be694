"""Strict import/export widgets and the natural-key instance loader the resources share.

The widgets are strict on purpose: a value they cannot read becomes a row error in the import preview
(a ValueError, which django-import-export reports per field) instead of a silent default or a 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export.instance_loaders import ModelInstanceLoader
from import_export.widgets import ForeignKeyWidget, Widget

_WHOLE_NUMBER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def cell_text(value: Any) -> str:
    """A key cell as text: spreadsheets turn typed codes like 6303 into numbers, and 6303.0 must match too."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def is_native(kwargs: dict[str, Any]) -> bool:
    """Whether the export writes a typed format (xlsx), where numbers and booleans stay numbers and booleans."""
    return bool(kwargs.get("force_native_type"))


class TextWidget(Widget):
    """Free text, kept exactly as written (no stripping), so an export imports back unchanged."""

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class CodeWidget(TextWidget):
    """An identifier (code, acronym, choice value): surrounding spaces are never meant."""

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> str:
        return cell_text(value)


class BooleanWidget(Widget):
    """1/0, true/false, yes/no (ya/tidak); anything else is an error rather than a silent False."""

    TRUE = frozenset({"1", "true", "yes", "y", "ya"})
    FALSE = frozenset({"0", "false", "no", "n", "tidak"})

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text == "":
            return None
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("Enter 1 or 0 (or TRUE or FALSE)."))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if value is None:
            return ""
        if is_native(kwargs):
            return bool(value)
        return "1" if value else "0"


class WholeNumberWidget(Widget):
    """Integers (years): numbers in xlsx, plain digits in CSV (never locale-grouped like "2.025")."""

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> int | None:
        if isinstance(value, bool):
            raise ValueError(_("Enter a whole number, e.g. 2025."))
        if isinstance(value, int):
            return value
        text = cell_text(value)
        if text == "":
            return None
        if not _WHOLE_NUMBER.match(text):
            raise ValueError(_("Enter a whole number, e.g. 2025."))
        return int(text)

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> Any:
        if value is None:
            return ""
        return value if is_native(kwargs) else str(value)


class ExactDecimalWidget(Widget):
    """Decimals written as text ("1250.50") in every format.

    A numeric xlsx cell is read back as a float, which loses digits beyond the 15th, and a locale-formatted
    number ("1250,50") does not import under another language; text comes back digit for digit. A number
    typed into the sheet by hand is still accepted.
    """

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> Decimal | None:
        if isinstance(value, bool):
            raise ValueError(_("Enter a number with a point as the decimal separator, e.g. 12.5."))
        if isinstance(value, Decimal):
            return value
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(repr(value))  # the shortest text that reads back as this float, e.g. 0.1
        text = cell_text(value)
        if text == "":
            return None
        if not _DECIMAL.match(text):
            raise ValueError(_("Enter a number with a point as the decimal separator, e.g. 12.5."))
        try:
            return Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the pattern above admits only valid numbers
            raise ValueError(_("Enter a number with a point as the decimal separator, e.g. 12.5.")) from exc

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else format(value, "f")


class ChoiceListWidget(Widget):
    """A list of choice codes in one cell ("apbd, dak"), each checked against `choices`."""

    def __init__(self, choices: Iterable[str], error: str, separator: str = ",", **kwargs: Any) -> None:
        self.choices = list(choices)
        self.error = error  # a lazy message with %(codes)s and %(allowed)s
        self.separator = separator
        super().__init__(**kwargs)

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> list[str]:
        codes = [part.strip() for part in cell_text(value).split(self.separator)]
        codes = [code for code in codes if code]
        unknown = [code for code in codes if code not in self.choices]
        if unknown:
            raise ValueError(self.error % {"codes": ", ".join(unknown), "allowed": ", ".join(self.choices)})
        return codes

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return f"{self.separator} ".join(str(code) for code in value or [])


class LookupWidget(ForeignKeyWidget):
    """A foreign key by a natural key; a missing or ambiguous match is a row error.

    `error` (no match) and `ambiguous` (several) are lazy messages that may use %(value)s and any key of
    `error_params(row)`.
    """

    def __init__(
        self, model: type[models.Model], field: str, error: str, ambiguous: str | None = None, **kwargs: Any
    ) -> None:
        self.error = error
        self.ambiguous = ambiguous or error
        super().__init__(model, field=field, **kwargs)

    def error_params(self, row: dict[str, Any] | None) -> dict[str, Any]:
        return {}

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> models.Model | None:
        text = cell_text(value)
        if text == "":
            return None
        try:
            return self.get_queryset(text, row, **kwargs).get(**self.get_lookup_kwargs(text, row, **kwargs))
        except ObjectDoesNotExist as exc:
            raise ValueError(self.error % {"value": text, **self.error_params(row)}) from exc
        except self.model.MultipleObjectsReturned as exc:
            raise ValueError(self.ambiguous % {"value": text, **self.error_params(row)}) from exc

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return str(getattr(value, self.field))


class NaturalKeyInstanceLoader(ModelInstanceLoader):
    """Find the existing row by its natural key; a key that cannot be resolved means "no existing row".

    The import then reports the unresolvable column as a validation error of the row, instead of the
    loader's exception aborting the row with a traceback.
    """

    def get_instance(self, row: dict[str, Any]) -> models.Model | None:
        try:
            return super().get_instance(row)
        except (ValueError, ObjectDoesNotExist):
            return None
