"""The package's charts: the same SVG code (common.charts) the dashboards draw, fed with the package's figures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.charts import Series, bar_chart, figures_table, heat_table, line_chart
from evaluations.models import Lens
from evaluations.selectors.dashboard import indices_history
from evaluations.selectors.package import PackageData, Tally
from masterplan.models import Dimension
from masterplan.selectors.monev import Monev


def _readiness(title: str, tallies: list[Tally]) -> dict[str, str]:
    categories = [t.name for t in tallies]
    series = [
        Series(str(_("Answered")), [t.answered for t in tallies]),
        Series(str(_("Verified")), [t.verified for t in tallies]),
        Series(str(_("With valid evidence")), [t.with_valid_evidence for t in tallies]),
        Series(str(_("Questions")), [t.questions for t in tallies]),
    ]
    return {
        "title": title,
        "svg": bar_chart(title=title, categories=categories, series=series),
        "table": figures_table(caption=title, categories=categories, series=series),
    }


def progress_chart(monev: Monev) -> dict[str, str]:
    title = str(_("Programme realisation per dimension"))
    dimensions = [d for d in monev.dimensions if d.programmes]
    categories = [d.name for d in dimensions]
    series = [
        Series(
            str(_("Running or done (%)")), [d.underway * 100 / d.planned if d.planned else None for d in dimensions]
        ),
        Series(str(_("Mean indicator progress (%)")), [d.mean_progress for d in dimensions]),
    ]
    return {
        "title": title,
        "svg": bar_chart(title=title, categories=categories, series=series, maximum=100, unit=" %"),
        "table": figures_table(caption=title, categories=categories, series=series),
    }


def monev_charts(monev: Monev) -> dict[str, dict[str, str]]:
    """The monev report's charts: programme realisation (as the dashboard and the package draw it) and the share
    of the planned budget realised, per dimension."""
    title = str(_("Budget realisation per dimension"))
    dimensions = [d for d in monev.dimensions if d.programmes]
    categories = [d.name for d in dimensions]
    series = [Series(str(_("Realisation (%)")), [d.budget_share for d in dimensions])]
    budget = {
        "title": title,
        "svg": bar_chart(title=title, categories=categories, series=series, maximum=100, unit=" %", places=2),
        "table": figures_table(caption=title, categories=categories, series=series, places=2),
    }
    return {"progress": progress_chart(monev), "budget": budget}


def _indices(title: str, tallies: list[Tally]) -> dict[str, str]:
    categories = [t.name for t in tallies]
    series = [Series(str(_("Index")), [t.index for t in tallies])]
    return {
        "title": title,
        "svg": bar_chart(title=title, categories=categories, series=series, maximum=5, places=2),
        "table": figures_table(caption=title, categories=categories, series=series, places=2),
    }


def summary_charts(data: PackageData) -> dict[str, dict[str, str]]:
    charts = {
        "dimensions": _readiness(str(_("Answers per dimension")), data.dimensions),
        "lenses": _readiness(str(_("Answers per lens")), data.lenses),
        "progress": progress_chart(data.progress),
    }
    if data.indices is not None:
        charts["dimension_indices"] = _indices(str(_("Index per dimension")), data.dimensions)
        charts["lens_indices"] = _indices(str(_("Index per lens")), data.lenses)
        charts.update(assessed_charts(data))
    return charts


def assessed_charts(data: PackageData) -> dict[str, dict[str, str]]:
    """For an assessed cycle: the dimension × lens heat table and the region's indices of this and earlier
    years (the dashboard's charts, drawn by the same code)."""
    dimensions = list(Dimension.objects.order_by("order"))
    history = [e for e in indices_history(region=data.cycle.region, up_to=data.cycle) if e.has_figures]
    charts: dict[str, dict[str, str]] = {}
    current = next((e for e in history if e.cycle.pk == data.cycle.pk), None)
    if current is not None and current.computed.scored:
        title = str(_("Index per dimension and lens"))
        charts["heat"] = {
            "title": title,
            "table": heat_table(
                caption=title,
                rows=[d.name for d in dimensions],
                columns=[str(label) for _v, label in Lens.choices],
                values=[
                    [current.computed.by_dimension_lens.get((d.code, lens)) for lens in Lens.values] for d in dimensions
                ],
            ),
        }
    if history:
        title = str(_("Indices across years"))
        years = [e.label for e in history]
        series = [Series(str(_("Final index")), [e.final for e in history])]
        series += [Series(d.name, [e.by_dimension.get(d.code) for e in history]) for d in dimensions]
        charts["history"] = {
            "title": title,
            "svg": line_chart(title=title, categories=years, series=series, maximum=5, places=2),
            "table": figures_table(caption=title, categories=years, series=series, places=2),
        }
    return charts
