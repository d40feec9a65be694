"""One line of the questionnaire sheet read into a `QuestionRow`, or into the errors that keep it out."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# The escapes are the ones SafeXLSX uses, so every xlsx of the project reads and writes text the same way.
from common.spreadsheets import _xlsx_untext
from evaluations.models import Lens, Question
from evaluations.questionnaire_io.columns import (
    CHOICE_MAX_LENGTH,
    CODE_MAX_LENGTH,
    EVIDENCE_VALUES,
    KIND_ALIASES,
    KIND_ALTERNATIVES,
    LEVEL_COLUMNS,
    ORDER_MAX,
    WEIGHT_MAX,
    WEIGHT_PLACES,
    WEIGHT_STEP,
    QuestionRow,
    RowError,
)
from masterplan.models import Dimension, Element

_BROKEN: Any = object()  # a cell already reported (formula or error value): its field is not checked again
_CHOICE_SEPARATORS = re.compile(r"[|\r\n]+")
_WHOLE_NUMBER = re.compile(r"\d+")


def _token(value: str) -> str:
    """The comparable form of a code: "Quick Win", "quick-win" and "quick_win" are one; "ya/tidak" is "ya_tidak"."""
    return re.sub(r"[\s/\-]+", "_", value.strip().casefold())


def _name(value: str) -> str:
    return " ".join(value.casefold().split())


class Vocabulary:
    """The dimensions and elements by every accepted spelling, read once per file."""

    def __init__(self) -> None:
        self.dimensions: dict[str, Dimension] = {}
        self.elements: dict[str, list[Element]] = {}
        self.dimension_codes: list[str] = []
        self.element_codes: dict[int, list[str]] = {}
        for dimension in Dimension.objects.order_by("order"):
            self.dimension_codes.append(dimension.code)
            for spelling in (dimension.code, dimension.abbreviation, dimension.name_id, dimension.name_en):
                self.dimensions.setdefault(_name(spelling), dimension)
        for element in Element.objects.select_related("dimension").order_by("dimension__order", "order"):
            self.element_codes.setdefault(element.dimension_id, []).append(element.code)
            for spelling in {_name(element.code), _name(element.name_id), _name(element.name_en)}:
                self.elements.setdefault(spelling, []).append(element)


class RowReader:
    """One data row: each field is read once, and a cell already reported (a formula) is not reported again."""

    def __init__(self, line: int, position: int, cells: dict[str, Any], vocabulary: Vocabulary) -> None:
        self.line = line
        self.position = position
        self.vocabulary = vocabulary
        self.errors: list[RowError] = []
        self.code_seen = ""
        self.values: dict[str, Any] = {}
        for column, cell in cells.items():
            self.values[column] = self._cell_value(column, cell)

    def _cell_value(self, column: str, cell: Any) -> Any:
        data_type = getattr(cell, "data_type", None)
        value = getattr(cell, "value", None)
        if data_type == "f":
            self.error(column, _("The cell contains a formula; type the value itself."))
            return _BROKEN
        if data_type == "e":
            self.error(
                column, _("The cell contains an Excel error (%(value)s); type the value itself.") % {"value": value}
            )
            return _BROKEN
        return _xlsx_untext(value)

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))

    def text(self, column: str) -> str:
        """The cell as text, stripped; numbers as typed (12, not 12.0)."""
        value = self.values[column]
        if value is None or value is _BROKEN:
            return ""
        if isinstance(value, bool):
            return "ya" if value else "tidak"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, dt.datetime | dt.date | dt.time):
            return value.isoformat()
        return str(value).strip()

    def parse(self) -> tuple[QuestionRow | None, list[RowError]]:
        code = self.code()
        dimension = self.dimension()
        element = self.element(dimension)
        lenses = {_token(value): value for value in Lens.values}
        unknown_lens = _("Unknown lens “%(value)s”; write one of: %(values)s.")
        lens = self.choose("lensa", lenses, ", ".join(Lens.values), unknown_lens)
        kinds = ", ".join(
            f"{k} ({KIND_ALTERNATIVES[k]})" if k in KIND_ALTERNATIVES else k for k in Question.Kind.values
        )
        kind = self.choose("jenis", KIND_ALIASES, kinds, _("Unknown kind “%(value)s”; write one of: %(values)s."))
        order = self.order()
        text = self.text("pertanyaan")
        if not text and self.values["pertanyaan"] is not _BROKEN:
            self.error("pertanyaan", _("The question is empty; write the question's text."))
        choices = self.choices() if kind == Question.Kind.CHOICE else []
        levels = self.levels() if kind == Question.Kind.LEVEL else []
        evidence = self.evidence()
        weight = self.weight()
        # Each None below has been reported as an error; the checks only narrow the types.
        if self.errors or dimension is None or lens is None or kind is None:
            return None, self.errors
        if order is None or evidence is None or weight is None:
            return None, self.errors
        return (
            QuestionRow(
                line=self.line,
                code=code,
                dimension=dimension.code,
                element=element.code if element else None,
                lens=lens,
                order=order,
                text=text,
                help_text=self.text("bantuan"),
                kind=kind,
                choices=choices,
                level_criteria=levels,
                evidence_required=evidence,
                weight=weight,
            ),
            self.errors,
        )

    def code(self) -> str:
        code = self.code_seen = self.text("kode")
        if self.values["kode"] is _BROKEN:
            return code
        if not code:
            self.error("kode", _("The code is empty; write a short code unique in the file, e.g. SG-B-01."))
        elif len(code) > CODE_MAX_LENGTH:
            self.error(
                "kode",
                _("The code “%(code)s” has %(length)s characters; shorten it to at most %(max)s.")
                % {"code": code, "length": len(code), "max": CODE_MAX_LENGTH},
            )
        return code

    def dimension(self) -> Dimension | None:
        value = self.text("dimensi")
        codes = ", ".join(self.vocabulary.dimension_codes)
        if self.values["dimensi"] is _BROKEN:
            return None
        if not value:
            self.error("dimensi", _("The cell is empty; write one of: %(values)s.") % {"values": codes})
            return None
        dimension = self.vocabulary.dimensions.get(_name(value))
        if dimension is None:
            message = _(
                "Unknown dimension “%(value)s”; write one of: %(values)s (or its abbreviation or name, see the "
                "Petunjuk sheet)."
            )
            self.error("dimensi", message % {"value": value, "values": codes})
        return dimension

    def element(self, dimension: Dimension | None) -> Element | None:
        value = self.text("elemen")
        if not value or self.values["elemen"] is _BROKEN:
            return None
        candidates = self.vocabulary.elements.get(_name(value), [])
        if dimension is not None:
            element = next((e for e in candidates if e.dimension_id == dimension.pk), None)
            if element is not None:
                return element
        codes = ", ".join(self.vocabulary.element_codes.get(dimension.pk, [])) if dimension else ""
        if candidates and dimension is not None:
            message = _(
                "The element “%(value)s” belongs to %(other)s, not to %(dimension)s; write an element of "
                "%(dimension)s (%(values)s) or correct the dimension."
            )
            other = candidates[0].dimension.code
            details = {"value": value, "other": other, "dimension": dimension.code, "values": codes}
            self.error("elemen", message % details)
        elif not candidates:
            if dimension is not None:
                message = _("Unknown element “%(value)s”; write one of: %(values)s, or leave the cell empty.") % {
                    "value": value,
                    "values": codes,
                }
            else:
                message = _("Unknown element “%(value)s”; see the Petunjuk sheet for the element codes.") % {
                    "value": value
                }
            self.error("elemen", message)
        return None

    def choose(self, column: str, aliases: dict[str, str], listing: str, unknown: str) -> str | None:
        value = self.text(column)
        if self.values[column] is _BROKEN:
            return None
        if not value:
            self.error(column, _("The cell is empty; write one of: %(values)s.") % {"values": listing})
            return None
        chosen = aliases.get(_token(value))
        if chosen is None:
            self.error(column, unknown % {"value": value, "values": listing})
        return chosen

    def order(self) -> int | None:
        value = self.values["urutan"]
        if value is _BROKEN:
            return None
        text = self.text("urutan")
        if not text:
            return self.position
        if _WHOLE_NUMBER.fullmatch(text) and int(text) <= ORDER_MAX:  # True reads "ya", so it fails here
            return int(text)
        message = _(
            "The order “%(value)s” is not a whole number of 0 or more; write e.g. 3, or leave the cell empty to "
            "use the row's position."
        )
        self.error("urutan", message % {"value": text})
        return None

    def choices(self) -> list[str]:
        if self.values["pilihan"] is _BROKEN:
            return []
        choices = [c.strip() for c in _CHOICE_SEPARATORS.split(self.text("pilihan")) if c.strip()]
        if len(choices) < 2:
            self.error(
                "pilihan",
                _("A choice question needs at least two choices; write them separated by | or on separate lines."),
            )
        seen: set[str] = set()
        for choice in choices:
            if len(choice) > CHOICE_MAX_LENGTH:
                self.error(
                    "pilihan",
                    _("The choice “%(choice)s…” is longer than %(max)s characters; shorten it.")
                    % {"choice": choice[:40], "max": CHOICE_MAX_LENGTH},
                )
            if choice.casefold() in seen:
                self.error("pilihan", _("The choice “%(choice)s” is listed twice; list it once.") % {"choice": choice})
            seen.add(choice.casefold())
        return choices

    def levels(self) -> list[str]:
        levels = [self.text(column) for column in LEVEL_COLUMNS]
        missing = [
            c for c, text in zip(LEVEL_COLUMNS, levels, strict=True) if not text and self.values[c] is not _BROKEN
        ]
        if missing:
            self.error(
                missing[0],
                _("A level question needs a criterion for each of the 5 levels; fill in %(columns)s.")
                % {"columns": ", ".join(missing)},
            )
        return levels

    def evidence(self) -> bool | None:
        value = self.values["wajib_bukti"]
        if value is _BROKEN:
            return None
        if isinstance(value, bool):
            return value
        text = self.text("wajib_bukti")
        if not text:
            return False
        evidence = EVIDENCE_VALUES.get(text.casefold())
        if evidence is None:
            self.error(
                "wajib_bukti",
                _("“%(value)s” is neither ya nor tidak; write ya or tidak (an empty cell means tidak).")
                % {"value": text},
            )
        return evidence

    def weight(self) -> Decimal | None:
        value = self.values["bobot"]
        if value is _BROKEN:
            return None
        text = self.text("bobot")
        if not text:
            return Decimal(1)
        weight: Decimal | None = None
        if not ("," in text and "." in text):  # "1.000,5" is ambiguous: refused rather than guessed
            try:
                weight = Decimal(text.replace(",", "."))
            except InvalidOperation:
                weight = None
        valid = weight is not None and weight.is_finite() and 0 <= weight <= WEIGHT_MAX
        if weight is None or not valid or weight != weight.quantize(WEIGHT_STEP):
            message = _(
                "The weight “%(value)s” is not a number from 0 to %(max)s with at most %(places)s decimals; write "
                "e.g. 1 or 1,5 (an empty cell means 1)."
            )
            details = {"value": text, "max": number_format(WEIGHT_MAX), "places": WEIGHT_PLACES}
            self.error("bobot", message % details)
            return None
        return weight.quantize(WEIGHT_STEP)
