"""The package's Excel workbook, written by openpyxl in write-only mode: rows stream to disk as they come, so
memory stays flat whatever the size of the cycle.

Every sheet has a frozen, bold header row with filters and set column widths; dates and numbers are real Excel
types; every text cell is typed as text (never a live formula, whatever the user typed: see
common.spreadsheets). The sheets are the summary, the answers (one row per question), the evidence index, the
missing evidence and unverified items, and programme progress per dimension.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from copy import copy
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from common.spreadsheets import xlsx_text
from evaluations.selectors.package import PackageData, validity_label
from masterplan.selectors.monev import Monev

_BOLD = Font(bold=True)
_DATE_FORMAT = "DD/MM/YYYY"


class SheetWriter:
    """One write-only sheet: a header, then rows whose cells get Excel types and safe text."""

    def __init__(self, workbook: Workbook, title: str, columns: Sequence[tuple[str, int]]) -> None:
        self.sheet: Worksheet = workbook.create_sheet(title=title[:31])
        self.width = len(columns)
        for index, (_header, width) in enumerate(columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = "A2"
        self.rows = 0
        # Each style is registered with the workbook once; a styled cell then copies its (small) style array
        # instead of looking the style up again, which made typed cells twice as slow as plain values.
        self._styles = {
            name: self._styled(**style)._style
            for name, style in {
                "date": {"number_format": _DATE_FORMAT},
                "datetime": {"number_format": "DD/MM/YYYY HH:MM"},
                "header": {"font": _BOLD},
            }.items()
        }
        self.sheet.append([self._cell(xlsx_text(name), "header", text=True) for name, _width in columns])

    def _styled(self, **style: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet)
        for attribute, value in style.items():
            setattr(cell, attribute, value)
        return cell

    def _cell(self, value: Any, style: str | None, *, text: bool = False) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        if text:
            cell.data_type = "s"  # openpyxl would otherwise store "=…" as a live formula
        if style is not None:
            cell._style = copy(self._styles[style])
        return cell

    def _value(self, value: Any) -> Any:
        """What one value becomes: a plain value where openpyxl's own typing is right, else a typed cell."""
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if isinstance(value, str):
            text = xlsx_text(value)
            # Any other text is stored as text by openpyxl itself. Long text is not given wrapped alignment: a
            # styled cell per long answer made the workbook half as fast as openpyxl's plain rows.
            return self._cell(text, None, text=True) if text.startswith("=") else text
        if isinstance(value, dt.datetime):
            return self._cell(value.replace(tzinfo=None), "datetime")
        if isinstance(value, dt.date):
            return self._cell(value, "date")
        return value  # numbers (Decimal, int) are Excel numbers as they are

    def append(self, values: Iterable[Any]) -> None:
        self.sheet.append([self._value(v) for v in values])
        self.rows += 1

    def close(self) -> None:
        # The filter covers the header and every row written (write-only sheets know their size only now).
        last = get_column_letter(self.width)
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"


def write_package_workbook(data: PackageData, path: Path) -> int:
    """Write the evaluation package's workbook to `path`; returns the number of data rows written."""
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
                    validity_label(e.validity),
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
