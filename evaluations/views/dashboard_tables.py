"""The dashboard's figures as tables of cells (each figure with the link to the list behind it) and charts, built
from the selectors' results for the filters chosen (`evaluations.views.dashboard_filters`); the page and the Excel
export both render these tables, so the two never disagree.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote_plus, urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.charts import PALETTE, Series, bar_chart, figures_table, heat_table, line_chart
from common.numbers import local_number
from evaluations.models import EvaluationCycle, Lens
from evaluations.selectors.dashboard import CycleIndices, CycleReadiness
from evaluations.views.dashboard_filters import Selection
from masterplan.models import Dimension, Programme
from masterplan.selectors.dashboard import ReportDashboard

# What quote_plus() leaves as it is.
_URL_SAFE = re.compile(r"[A-Za-z0-9_.~-]*")

# What html.escape() replaces.
_HTML_SPECIAL = re.compile(r"[&<>\"']")

# The Okabe–Ito colours (common.charts.PALETTE) given a meaning on the report charts.
GOOD, WAITING, LATE = PALETTE[2], PALETTE[0], PALETTE[1]


@dataclass
class Cell:
    value: object  # what the export writes
    text: str  # what the page shows
    url: str = ""
    num: bool = True


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    chase: list[str] | None = None  # per row, the chase link of a late SKPD ("" for none)
    totals: list[Cell] | None = None

    @property
    def key(self) -> str:
        return self.slug.replace("-", "_")  # templates cannot look up a hyphenated key

    @property
    def lines(self) -> list[tuple[list[Cell], str]]:
        """Each row with its chase link ("" for none)."""
        links = self.chase or []
        return [(row, links[n] if n < len(links) else "") for n, row in enumerate(self.rows)]

    @property
    def body(self) -> SafeString:
        """The rows as HTML, for _dashboard_table.html. Written here rather than in template loops: the template
        engine's per-cell lookups were the page's largest rendering cost (about 10 ms for 60 SKPDs' rows)."""
        if not self.rows:
            colspan = len(self.headers) + 1
            return format_html(
                '<tr><td colspan="{}" class="text-muted">{}</td></tr>', colspan, _("Nothing to show for these filters.")
            )
        chase = _("Chase")
        out: list[str] = []
        for row, link in self.lines:
            out.append("<tr>\n        ")
            for n, cell in enumerate(row):
                text = _escaped(cell.text)
                if cell.url:
                    text = f'<a href="{_escaped(cell.url)}">{text}</a>'
                if n == 0:
                    out.append(f'<th scope="row" class="fw-normal">{text}</th>')
                else:
                    out.append(f'<td class="{"text-end" if cell.num else ""}">{text}</td>')
            out.append("\n        ")
            if self.chase is not None:
                button = ""
                if link:
                    button = format_html(
                        '<a class="btn btn-sm btn-outline-danger text-nowrap" href="{}" data-chase="{}">'
                        '<i class="bi bi-bell" aria-hidden="true"></i> {}</a>',
                        link,
                        row[0].text,
                        chase,
                    )
                out.append(f'<td class="no-print text-end text-nowrap">{button}</td>')
            out.append("\n      </tr>")
        return mark_safe("".join(out))  # noqa: S308 -- every value above is escaped


def _text(value: object, places: int = 0) -> str:
    if value is None:
        return "–"
    if type(value) is int and -1000 < value < 1000:
        return str(value)  # what number_format gives without a thousands separator, at a fraction of its cost
    # number_format(value, ..., use_l10n=True, force_grouping=True)'s output, at a fraction of its cost
    if isinstance(value, Decimal):
        return local_number(value, places)
    if isinstance(value, int):
        return local_number(value)
    return str(value)


def _cell(value: object, url: str = "", places: int = 0) -> Cell:
    return Cell(value, _text(value, places), url)


def _label(value: str, url: str = "") -> Cell:
    return Cell(value, value, url, num=False)


def _url(name: str, *args: object, **query: object) -> str:
    base = reverse(name, args=args)
    query = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


class _Links:
    """_url() for one build of the tables, each view reversed once: the dashboard links a few views hundreds of
    times (60 SKPDs × 8 figures), and reverse() was half of the tables' cost. A view taking one whole number (an
    SKPD's or a programme's page) is reversed once with a marker for it, which each link replaces, once the
    first link shows that this gives what reverse() gives."""

    _MARK = 918_273_645_546_372_819

    def __init__(self) -> None:
        self._reversed: dict[tuple[str, tuple[object, ...]], str] = {}
        self._pattern: dict[str, str | None] = {}  # view name: its path with the marker, None if not usable
        self._quoted: dict[tuple[type, object], str] = {}  # the same years, periods and SKPDs come back

    def _reverse(self, name: str, args: tuple[object, ...]) -> str:
        if len(args) == 1 and type(args[0]) is int:
            pattern = self._pattern.get(name, "")
            if pattern:
                return pattern.replace(str(self._MARK), str(args[0]))
            if pattern == "":  # not tried yet
                path = reverse(name, args=args)
                marked = reverse(name, args=(self._MARK,))
                usable = marked.count(str(self._MARK)) == 1 and marked.replace(str(self._MARK), str(args[0])) == path
                self._pattern[name] = marked if usable else None
                return path
        key = (name, args)
        path = self._reversed.get(key)
        if path is None:
            path = self._reversed[key] = reverse(name, args=args)
        return path

    def __call__(self, name: str, *args: object, **query: object) -> str:
        base = self._reverse(name, args)
        pairs = [f"{k}={self._quote(v)}" for k, v in query.items() if v not in (None, "")]
        return f"{base}?{'&'.join(pairs)}" if pairs else base

    def _quote(self, value: object) -> str:
        key = (type(value), value)
        text = self._quoted.get(key)
        if text is None:
            text = self._quoted[key] = _quoted(value)
        return text


def _quoted(value: object) -> str:
    """quote_plus(str(value)) as urlencode() writes it, skipping the work for the usual figures and codes."""
    text = str(value)
    return text if _URL_SAFE.fullmatch(text) else quote_plus(text)


def _escaped(value: object) -> str:
    """conditional_escape() without its lazy-string machinery (per cell, it was most of the rows' cost)."""
    if type(value) is str:  # most are figures and links with nothing to escape but the &s between parameters
        return html.escape(value) if _HTML_SPECIAL.search(value) else value
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _chase_url(links: Callable[..., str] = _url, **query: object) -> str:
    # The chase page comes with another change; until its URL exists the dashboard shows no chase links.
    try:
        return links("masterplan:chase", **query)
    except NoReverseMatch:
        return ""


# --- the tables -------------------------------------------------------------------------------------------

STATE_LABELS = {
    "not_started": gettext_lazy("Not started"),
    "draft": gettext_lazy("Draft"),
    "submitted": gettext_lazy("Submitted"),
    "returned": gettext_lazy("Returned"),
    "approved": gettext_lazy("Approved"),
    "overdue": gettext_lazy("Overdue"),
}


def _report_tables(s: Selection, data: ReportDashboard) -> list[Table]:
    links = _Links()
    states = ["not_started", "draft", "submitted", "returned", "approved", "overdue"]
    headers = [_("Lead programmes"), *[str(STATE_LABELS[k]) for k in states]]
    period_query = {"year": s.year, "period": data.period}
    dimension_code = s.dimension.code if s.dimension else ""

    def queue(state: str, **extra: object) -> str:
        return links("masterplan:review_queue", status=state, **period_query, **extra)

    by_agency = Table("laporan-skpd", _("Progress reports per SKPD"), [_("SKPD"), *headers], chase=[])
    for row in data.by_agency:
        agency_page = links("masterplan:agency", int(row.key))
        cells = [_label(row.label, agency_page), _cell(row.expected, agency_page)]
        for state, n in row.cells:
            url = (
                agency_page
                if state in ("not_started", "overdue")
                else queue(state, agency=row.key, dimension=dimension_code)
            )
            cells.append(_cell(n, url))
        by_agency.rows.append(cells)
        by_agency.chase.append(_chase_url(links, agency=row.key) if row.overdue else "")  # type: ignore[union-attr]
    by_dimension = Table("laporan-dimensi", _("Progress reports per dimension"), [_("Dimension"), *headers])
    agency_pk = s.agency.pk if s.agency else ""
    for row in data.by_dimension:
        programmes = links("masterplan:programmes", dimension=row.key, lead_agency=agency_pk)
        cells = [_label(row.label, links("masterplan:dimension", row.key)), _cell(row.expected, programmes)]
        for state, n in row.cells:
            url = (
                programmes if state in ("not_started", "overdue") else queue(state, dimension=row.key, agency=agency_pk)
            )
            cells.append(_cell(n, url))
        by_dimension.rows.append(cells)
    totals = data.report_totals
    by_dimension.totals = [_label(_("Total")), _cell(totals.expected)] + [_cell(n) for _s, n in totals.cells]

    behind = Table("skpd-tertinggal", _("SKPDs most behind"), [_("SKPD"), _("Overdue"), _("Not started")], chase=[])
    for row in data.most_behind:
        agency_page = links("masterplan:agency", int(row.key))
        behind.rows.append(
            [_label(row.label, agency_page), _cell(row.overdue, agency_page), _cell(row.not_started, agency_page)]
        )
        behind.chase.append(_chase_url(links, agency=row.key))  # type: ignore[union-attr]

    realisation_headers = [
        _("Planned"),
        _("Running or done"),
        _("Running or done (%)"),
        _("Mean indicator progress (%)"),
    ]
    by_dim = Table(
        "realisasi-dimensi", _("Programme realisation per dimension"), [_("Dimension"), *realisation_headers]
    )
    for row in data.realisation_by_dimension:
        url = links("masterplan:programmes", dimension=row.key, lead_agency=agency_pk)
        running = links(
            "masterplan:programmes", dimension=row.key, lead_agency=agency_pk, status=Programme.Status.RUNNING
        )
        by_dim.rows.append(
            [
                _label(row.label),
                _cell(row.planned, url),
                _cell(row.underway, running),
                _cell(row.share, places=2),
                _cell(row.mean_progress, places=2),
            ]
        )
    by_term = Table("realisasi-jangka", _("Programme realisation per term"), [_("Term"), *realisation_headers])
    for row in data.realisation_by_term:
        url = links("masterplan:programmes", term=row.key, dimension=dimension_code, lead_agency=agency_pk)
        by_term.rows.append(
            [
                _label(row.label),
                _cell(row.planned, url),
                _cell(row.underway, url),
                _cell(row.share, places=2),
                _cell(row.mean_progress, places=2),
            ]
        )
    budget = Table(
        "anggaran",
        _("Budget per dimension"),
        [_("Dimension"), _("Budget plan (Rp)"), _("Budget realisation (Rp)"), _("Realisation (%)")],
    )
    for row in data.budget_by_dimension:
        url = queue("", dimension=row.key, agency=agency_pk)
        budget.rows.append(
            [_label(row.label), _cell(row.plan, url), _cell(row.realisation, url), _cell(row.share, places=2)]
        )
    quick = Table(
        "quick-win",
        _("Quick wins"),
        [_("Code"), _("Programme"), _("Dimension"), _("Lead SKPD"), _("Status"), _("Report for the period")],
    )
    report_labels = dict(STATE_LABELS)
    for win in data.quick_wins:
        quick.rows.append(
            [
                _label(win.code, links("masterplan:programme", win.pk)),
                _label(win.name, links("masterplan:programme", win.pk)),
                _label(win.dimension),
                _label(win.lead_agency, links("masterplan:agency", win.lead_agency_id)),
                _label(win.status_label),
                _label(str(report_labels.get(win.report_status or "not_started", win.report_status))),
            ]
        )
    return [by_agency, by_dimension, behind, by_dim, by_term, budget, quick]


READINESS_LABELS = {
    "questions": gettext_lazy("Questions"),
    "answered": gettext_lazy("Answered this year"),
    "carried_untouched": gettext_lazy("Carried, not reviewed"),
    "with_valid_evidence": gettext_lazy("With valid evidence"),
    "verified": gettext_lazy("Verified"),
}


def _readiness_tables(s: Selection, data: CycleReadiness) -> list[Table]:
    links = _Links()
    headers = [str(READINESS_LABELS[k]) for k in READINESS_LABELS]
    by_dimension = Table("kesiapan-dimensi", _("Evaluation readiness per dimension"), [_("Dimension"), *headers])
    by_agency = Table("kesiapan-skpd", _("Evaluation readiness per SKPD"), [_("SKPD"), *headers])
    if data.cycle is None:
        return [by_dimension, by_agency]
    pk = data.cycle.pk
    readiness = links("evaluations:readiness", pk)
    status_of = {"verified": "verified"}
    agency_pk = s.agency.pk if s.agency else ""
    dimension_code = s.dimension.code if s.dimension else ""
    for row in data.by_dimension:
        cells = [_label(row.label, readiness)]
        for name, n in row.cells:
            url = links(
                "evaluations:answers_review", pk, status=status_of.get(name, "all"), dimension=row.key, agency=agency_pk
            )
            cells.append(_cell(n, readiness if name == "carried_untouched" else url))
        by_dimension.rows.append(cells)
    for row in data.by_agency:
        cells = [_label(row.label, links("masterplan:agency", int(row.key)))]
        for name, n in row.cells:
            url = links(
                "evaluations:answers_review",
                pk,
                status=status_of.get(name, "all"),
                agency=row.key,
                dimension=dimension_code,
            )
            cells.append(_cell(n, readiness if name == "carried_untouched" else url))
        by_agency.rows.append(cells)
    return [by_dimension, by_agency]


def _indices_table(history: list[CycleIndices], dimensions: list[Dimension]) -> Table:
    headers = [_("Final index"), *[str(label) for _v, label in Lens.choices], *[d.name for d in dimensions]]
    table = Table("indeks", _("Indices per year"), [_("Cycle"), *headers])
    for entry in history:
        url = _url("evaluations:results", entry.cycle.pk)
        label = entry.label + (f" ({_('official')})" if entry.source == "official" else "")
        cells = [_label(label, url), _cell(entry.final, url, places=2)]
        cells += [_cell(entry.by_lens.get(lens), places=2) for lens in Lens.values]
        cells += [_cell(entry.by_dimension.get(d.code), places=2) for d in dimensions]
        table.rows.append(cells)
    return table


# --- the charts -------------------------------------------------------------------------------------------


def _chart(kind: str, title: str, categories: list[str], series: list[Series], **options: object) -> dict[str, object]:
    places = int(options.get("places", 0))  # type: ignore[call-overload]
    draw = line_chart if kind == "line" else bar_chart
    return {
        "title": title,
        "svg": draw(title=title, categories=categories, series=series, **options),  # type: ignore[arg-type]
        "table": figures_table(caption=title, categories=categories, series=series, places=places),
    }


def _charts(
    reports: ReportDashboard,
    readiness: CycleReadiness,
    history: list[CycleIndices],
    cycle: EvaluationCycle | None,
    dimensions: list[Dimension],
) -> dict[str, object]:
    charts: dict[str, object] = {}
    names = [row.label for row in reports.by_dimension]
    if reports.masterplan is not None:
        charts["reports"] = _chart(
            "bar",
            _("Progress reports per dimension"),
            names,
            [
                # Colours that say what they count: approved green, waiting for DKISP blue, overdue vermilion.
                Series(_("Approved"), [r.approved for r in reports.by_dimension], colour=GOOD),
                Series(_("Submitted"), [r.submitted for r in reports.by_dimension], colour=WAITING),
                Series(_("Overdue"), [r.overdue for r in reports.by_dimension], colour=LATE),
            ],
        )
        charts["realisation"] = _chart(
            "bar",
            _("Programme realisation per dimension"),
            [r.label for r in reports.realisation_by_dimension],
            [
                Series(_("Running or done (%)"), [r.share for r in reports.realisation_by_dimension]),
                Series(_("Mean indicator progress (%)"), [r.mean_progress for r in reports.realisation_by_dimension]),
            ],
            maximum=100,
            unit=" %",
            places=2,
        )
    if readiness.cycle is not None:
        charts["readiness"] = _chart(
            "bar",
            _("Evaluation readiness per dimension"),
            [r.label for r in readiness.by_dimension],
            [
                Series(_("Questions"), [r.questions for r in readiness.by_dimension]),
                Series(_("Answered this year"), [r.answered for r in readiness.by_dimension]),
                Series(_("With valid evidence"), [r.with_valid_evidence for r in readiness.by_dimension]),
                Series(_("Verified"), [r.verified for r in readiness.by_dimension]),
            ],
        )
    shown = [entry for entry in history if entry.has_figures]
    if shown:
        years = [entry.label for entry in shown]
        charts["dimension_trend"] = _chart(
            "line",
            _("Dimension indices across years"),
            years,
            [Series(d.name, [entry.by_dimension.get(d.code) for entry in shown]) for d in dimensions],
            maximum=5,
            places=2,
        )
        charts["final_trend"] = _chart(
            "line",
            _("Final index across years"),
            years,
            [Series(_("Final index"), [e.final for e in shown])],
            maximum=5,
            places=2,
        )
    current = next((entry for entry in history if cycle is not None and entry.cycle.pk == cycle.pk), None)
    if current is not None and current.computed.scored:
        charts["heat"] = dimension_lens_heat(current, dimensions)
    return charts


def dimension_lens_heat(entry: CycleIndices, dimensions: list[Dimension]) -> object:
    """The cycle's index per dimension and lens (from the assessors' scores) as a shaded table."""
    return heat_table(
        caption=_("Index per dimension and lens, %(cycle)s") % {"cycle": entry.label},
        rows=[d.name for d in dimensions],
        columns=[str(label) for _v, label in Lens.choices],
        values=[[entry.computed.by_dimension_lens.get((d.code, lens)) for lens in Lens.values] for d in dimensions],
    )
