"""The package's Excel workbook, written by openpyxl in write-only mode: rows stream to disk as they come, so
memory stays flat whatever the size of the cycle.

Every sheet has a frozen, bold header row with filters and set column widths; dates and numbers are real Excel
types; every text cell is typed as text (never a live formula, whatever the user typed: see
common.spreadsheets). The sheets are the summary, the answers (one row per question), the evidence index, the
missing evidence and unverified items, and programme progress per dimension.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import TIME_FORMATS
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from common.spreadsheets import xlsx_text, xlsx_value
from evaluations.selectors.package import PackageData, validity_label
from masterplan.selectors.monev import Monev

_BOLD = Font(bold=True)
# Types openpyxl writes as the right Excel value by itself (text is checked apart, see SheetWriter.append).
_PLAIN = frozenset({str, int, float, Decimal, type(None)})
# The characters XML 1.0 forbids (openpyxl's ILLEGAL_CHARACTERS_RE), as one class: sre scans for a lone class several
# times faster than for an alternation, and every row's text is searched.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_DATE_FORMAT = "DD/MM/YYYY"


class _Date(dt.date):
    """A date openpyxl writes with the Indonesian format by itself. It looks up a date's number format by type in
    TIME_FORMATS (where it records subclasses of its own accord), so a type of ours listed there is written as a
    plain value: a cell object per date, with its style, cost a quarter of the workbook's time over plain values."""

    __slots__ = ()


class _DateTime(dt.datetime):
    __slots__ = ()


TIME_FORMATS[_Date] = _DATE_FORMAT
TIME_FORMATS[_DateTime] = "DD/MM/YYYY HH:MM"


class SheetWriter:
    """One write-only sheet: a header, then rows whose cells get Excel types and safe text."""

    def __init__(self, workbook: Workbook, title: str, columns: Sequence[tuple[str, int]]) -> None:
        self.sheet: Worksheet = workbook.create_sheet(title=title[:31])
        self.width = len(columns)
        for index, (_header, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self.rows = 0
        self._yes, self._no = str(_("Yes")), str(_("No"))
        self.sheet.append([self._header(name) for name, _width in columns])

    def _header(self, name: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=xlsx_text(name))
        cell.data_type = "s"  # whatever the (translated) name looks like
        cell.font = _BOLD
        return cell

    def _value(self, value: Any) -> Any:
        """What one value becomes: a plain value where openpyxl's own typing is right, else a typed cell."""
        kind = type(value)
        if kind is str:
            # Text that openpyxl would store as a live formula or an error value becomes a cell typed as text.
            return xlsx_value(self.sheet, value) if value else None
        if value is None or kind is int or kind is Decimal or kind is float:
            return value  # numbers are Excel numbers as they are
        if kind is bool:
            return self._yes if value else self._no
        if isinstance(value, dt.datetime):
            return _DateTime(value.year, value.month, value.day, value.hour, value.minute)
        if isinstance(value, dt.date):
            return _Date(value.year, value.month, value.day)
        if isinstance(value, str):  # a str subclass (SafeString, a label)
            return self._value(str(value))
        return value

    def append(self, values: Iterable[Any]) -> None:
        # Per value, Python would cost more than openpyxl's own writing of it; so the row is checked as a whole. Values
        # openpyxl writes right as they are (numbers, None) are left alone; others (dates, yes/no) are converted one
        # by one, and empty text becomes an empty cell; then the row's text is searched once, joined by line breaks
        # (which none of the checks looks for), for anything xlsx_text would change or openpyxl would not store as
        # text (a text starting with = or #). Only a row where that finds something goes through _value text by text.
        row = values if type(values) is list else list(values)
        if not set(map(type, row)) <= _PLAIN:
            row = [v if type(v) in _PLAIN else self._value(v) for v in row]
        if "" in row:
            row = [None if v == "" else v for v in row]
        joined = "\n" + "\n".join([v for v in row if type(v) is str])
        if (
            "\n=" in joined
            or "\n#" in joined
            or "_x" in joined
            or "\r" in joined
            or _CONTROL.search(joined) is not None
        ):
            row = [self._value(v) if type(v) is str else v for v in row]
        self.sheet.append(row)
        self.rows += 1

    def close(self) -> None:
        # The filter covers the header and every row written (write-only sheets know their size only now).
        last = get_column_letter(self.width)
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"


def write_package_workbook(data: PackageData, path: Path) -> int:
    """Write the evaluation package's workbook to `path`; returns the number of data rows written."""
    # The worker holds the cycle's collected data (and Django) while openpyxl makes tens of thousands of small,
    # short-lived objects, each batch of which set off the cycle collector over the whole heap: measured, the
    # workbook took ~5 % longer with it on. Nothing written here forms reference cycles that need it.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _write_package_workbook(data, path)
    finally:
        if enabled:
            gc.enable()


def _write_package_workbook(data: PackageData, path: Path) -> int:
    workbook = Workbook(write_only=True)
    summary = SheetWriter(
        workbook,
        _("Summary"),
        [
            (_("Group"), 14),
            (_("Code"), 14),
            (_("Name"), 32),
            (_("Questions"), 11),
            (_("Answered"), 11),
            (_("Verified"), 11),
            (_("With valid evidence"), 14),
            (_("Index"), 9),
        ],
    )
    for group, tallies in ((_("Dimension"), data.dimensions), (_("Lens"), data.lenses)):
        for tally in tallies:
            summary.append(
                [
                    str(group),
                    tally.code,
                    tally.name,
                    tally.questions,
                    tally.answered,
                    tally.verified,
                    tally.with_valid_evidence,
                    tally.index,
                ]
            )
    summary.close()
    answers = SheetWriter(
        workbook,
        _("Answers"),
        [
            (_("Code"), 12),
            (_("Dimension"), 20),
            (_("Lens"), 12),
            (_("Question"), 60),
            (_("Answer"), 24),
            (_("Number"), 12),
            (_("Explanation"), 60),
            (_("Responsible SKPD"), 14),
            (_("Supporting SKPDs"), 20),
            (_("Deadline"), 12),
            (_("Status"), 14),
            (_("Evidence"), 10),
        ],
    )
    for q in data.questions:
        answers.append(
            [
                q.code,
                q.dimension_name,
                q.lens_label,
                q.text,
                q.value,
                q.number,
                q.narrative,
                q.responsible,
                ", ".join(q.supporting),
                q.deadline,
                q.status_label,
                len(q.evidence),
            ]
        )
    answers.close()
    evidence = SheetWriter(
        workbook,
        _("Evidence index"),
        [
            (_("Question"), 12),
            (_("Title"), 40),
            (_("Kind"), 18),
            (_("Number"), 20),
            (_("Date"), 12),
            (_("Valid until"), 12),
            (_("Validity"), 18),
            (_("File in the ZIP"), 50),
            (_("Size (bytes)"), 12),
            ("SHA-256", 66),
        ],
    )
    validity_labels = {validity: validity_label(validity) for validity in ("valid", "expired", "old")}
    for q in data.questions:
        for e in q.evidence:
            evidence.append(
                [
                    q.code,
                    e.title,
                    e.kind,
                    e.number,
                    e.date,
                    e.valid_until,
                    validity_labels[e.validity],
                    e.zip_path,
                    e.size,
                    e.sha256,
                ]
            )
    evidence.close()
    gaps = SheetWriter(
        workbook,
        _("Missing and unverified"),
        [(_("Question"), 12), (_("Responsible SKPD"), 14), (_("Problem"), 40), (_("Status"), 14)],
    )
    for q in data.questions:
        for problem in _problems(q):
            gaps.append([q.code, q.responsible, problem, q.status_label])
    gaps.close()
    total = summary.rows + answers.rows + evidence.rows + gaps.rows
    total += _write_progress(workbook, data.progress)
    workbook.save(path)
    return total


def _problems(q: Any) -> list[str]:
    problems = []
    if not q.answered:
        problems.append(str(_("Not answered")))
    if q.evidence_required and not q.evidence:
        problems.append(str(_("Missing evidence")))
    elif q.evidence and not q.has_valid_evidence:
        problems.append(str(_("No valid evidence")))
    if not q.verified:
        problems.append(str(_("Not verified")))
    return problems


def _write_progress(workbook: Workbook, monev: Monev) -> int:
    by_dimension = SheetWriter(
        workbook,
        _("Progress per dimension"),
        [
            (_("Dimension"), 24),
            (_("Programmes"), 12),
            (_("Running or done"), 14),
            (_("Mean progress (%)"), 16),
            (_("Budget plan (Rp)"), 18),
            (_("Budget realisation (Rp)"), 20),
            (_("Budget realisation (%)"), 18),
        ],
    )
    for d in monev.dimensions:
        by_dimension.append(
            [d.name, d.planned, d.underway, d.mean_progress, d.budget_plan, d.budget_realisation, d.budget_share]
        )
    by_dimension.close()
    programmes = SheetWriter(
        workbook,
        _("Programme progress"),
        [
            (_("Dimension"), 20),
            (_("Code"), 12),
            (_("Programme"), 40),
            (_("Term"), 14),
            (_("Quick win"), 10),
            (_("Status"), 12),
            (_("Lead SKPD"), 12),
            (_("Indicator"), 36),
            (_("Unit"), 10),
            (_("Target"), 12),
            (_("Realisation"), 12),
            (_("Progress (%)"), 12),
            (_("Narrative"), 50),
            (_("Obstacles"), 40),
            (_("Follow-up"), 40),
        ],
    )
    for d in monev.dimensions:
        for p in d.programmes:
            narrative = "\n".join(f"{r.agency} ({r.period_label}): {r.narrative}" for r in p.reports if r.narrative)
            obstacles = "\n".join(f"{r.agency}: {r.obstacles}" for r in p.reports if r.obstacles)
            follow_up = "\n".join(f"{r.agency}: {r.follow_up}" for r in p.reports if r.follow_up)
            indicators = p.indicators or [None]
            for i in indicators:
                programmes.append(
                    [
                        d.name,
                        p.code,
                        p.name,
                        p.term_label,
                        p.is_quick_win,
                        p.status_label,
                        p.lead_agency,
                        i.name if i else "",
                        i.unit if i else "",
                        i.target if i else None,
                        i.value if i else None,
                        i.progress if i else None,
                        narrative,
                        obstacles,
                        follow_up,
                    ]
                )
    programmes.close()
    return by_dimension.rows + programmes.rows


def write_monev_workbook(monev: Monev, path: Path) -> int:
    """The monev report's workbook: progress per dimension and per programme."""
    workbook = Workbook(write_only=True)
    rows = _write_progress(workbook, monev)
    workbook.save(path)
    return rows
