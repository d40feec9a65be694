"""DKISP's dashboard: the region at a glance for a year, a reporting period and an evaluation cycle.

Each table is built once as rows of cells (figure and the link to the list behind it) by
`evaluations.views.dashboard_tables`; the page renders them with their charts and the Excel export writes the same
rows, so the two never disagree.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agencies.gates import requires
from agencies.permissions import CHANGE
from common.exports import xlsx_response
from evaluations.models import EvaluationCycle
from evaluations.selectors.dashboard import cycle_readiness, indices_history
from evaluations.services.windows import today as windows_today
from evaluations.views.dashboard_filters import Selection, _select
from evaluations.views.dashboard_tables import (
    Cell,
    Table,
    _charts,
    _chase_url,
    _indices_table,
    _readiness_tables,
    _report_tables,
    dimension_lens_heat,
)
from masterplan.selectors.dashboard import report_dashboard

# The tables and charts live in evaluations.views.dashboard_tables, the filters in evaluations.views.dashboard_filters;
# these names stay importable from here.
__all__ = ["Cell", "Selection", "Table", "dashboard", "dashboard_export", "dimension_lens_heat"]


def _build(request: HttpRequest) -> tuple[Selection, list[Table], dict[str, object]]:
    region = request.region  # type: ignore[attr-defined]
    today = timezone.localdate()
    s = _select(request, region, today)
    reports = report_dashboard(
        region=region,
        year=s.year,
        period=s.period,
        today=today,
        dimension=s.dimension,
        agency=s.agency,
        masterplan=s.masterplan,
        dimensions=s.dimensions,
        agencies=s.agencies or None,  # the filter's SKPDs, not fetched twice
    )
    readiness = cycle_readiness(
        cycle=s.cycle,
        today=windows_today(),
        dimension=s.dimension,
        agency_id=s.agency.pk if s.agency else None,
        dimensions=s.dimensions,
    )
    history = indices_history(region=region, up_to=s.cycle, cycles=s.cycles)
    tables = _report_tables(s, reports) if reports.masterplan else []
    tables += _readiness_tables(s, readiness)
    tables.append(_indices_table(history, s.dimensions))
    context: dict[str, object] = {
        "reports": reports,
        "readiness": readiness,
        "history": history,
        "charts": _charts(reports, readiness, history, s.cycle, s.dimensions),
    }
    return s, tables, context


@login_required
@require_GET
@requires(CHANGE, on=EvaluationCycle)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordinator's home: reports, programme realisation, readiness and indices, each number a link."""
    s, tables, context = _build(request)
    query = request.GET.urlencode()
    context.update(
        {
            "form": s.form,
            "selection": s,
            "tables": {t.key: t for t in tables},
            "query": query,
            "chase_all": _chase_url(late=1, year=s.year, period=context["reports"].period),  # type: ignore[attr-defined]
        }
    )
    return render(request, "evaluations/dashboard.html", context)


@login_required
@require_GET
@requires(CHANGE, on=EvaluationCycle)
def dashboard_export(request: HttpRequest, table: str) -> HttpResponseBase:
    """One dashboard table as an Excel workbook, with the page's filters (text cells never become formulas)."""
    _s, tables, _context = _build(request)
    found = next((t for t in tables if t.slug == table), None)
    if found is None:
        raise Http404
    # Written as the rows come (write-only) into a spooled file, like every export (common.exports).
    return xlsx_response(
        filename=f"dasbor-{found.slug}.xlsx",
        headers=[str(h) for h in found.headers],
        rows=_export_rows(found),
        title=str(found.title)[:31],
    )


def _export_rows(table: Table) -> Iterator[list[object]]:
    for row in table.rows:
        yield [cell.value if cell.value is not None else "" for cell in row]
    if table.totals:
        yield [cell.value for cell in table.totals]
