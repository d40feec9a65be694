"""The package's charts: the same SVG code (common.charts) the dashboards draw, fed with the package's figures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from common.charts import Series, bar_chart, figures_table
from evaluations.selectors.package import PackageData, Tally
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
    return charts
