"""The dashboard's filters: which year, reporting period, cycle, dimension and SKPD the figures are for, with the
defaults a coordinator expects when a filter is left out or refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.http import HttpRequest

from agencies.models import Agency, Region
from agencies.selectors import agency_choices
from evaluations.forms.dashboard import DashboardFilterForm
from evaluations.models import EvaluationCycle
from masterplan.models import PERIODS_PER_YEAR, Dimension, Masterplan, period_end
from masterplan.selectors.dashboard import current_masterplan


@dataclass
class Selection:
    form: DashboardFilterForm
    masterplan: Masterplan | None
    year: int
    period: int
    cycle: EvaluationCycle | None
    dimension: Dimension | None
    agency: Agency | None
    cycles: list[EvaluationCycle]
    dimensions: list[Dimension]
    # The region's SKPDs, inactive ones included (the SKPD filter's choices), which label the report rows too.
    agencies: list[Agency] = field(default_factory=list)


def _default_period(masterplan: Masterplan | None, year: int, today: dt.date) -> int:
    """The last period that has ended (the one DKISP chases), else the first."""
    if masterplan is None:
        return 1
    periods = PERIODS_PER_YEAR[masterplan.period_type]
    ended = [n for n in range(1, periods + 1) if period_end(masterplan.period_type, year, n) < today]
    return ended[-1] if ended else 1


def _select(request: HttpRequest, region: Region, today: dt.date) -> Selection:
    masterplan = current_masterplan(region)
    cycles = list(
        EvaluationCycle.objects.filter(region=region)
        .select_related("official_result")
        .order_by("-year", "-opens_on", "-pk")
    )
    dimensions = list(Dimension.objects.order_by("order"))
    agencies = list(agency_choices(region=region, include_inactive=True))
    years = set(masterplan.years) if masterplan else set()
    years |= {c.year for c in cycles}
    years.add(today.year)
    periods = PERIODS_PER_YEAR[masterplan.period_type] if masterplan else 4
    form = DashboardFilterForm(
        request.GET or None,
        years=sorted(years, reverse=True),
        periods=periods,
        cycles=cycles,
        dimensions=dimensions,
        agencies=agencies,
    )
    chosen: dict[str, object] = {}
    if form.is_bound:
        form.is_valid()  # the valid fields are kept in cleaned_data; a refused one falls back to its default
        chosen = form.cleaned_data
    default_year = today.year
    if masterplan is not None and today.year not in masterplan.years:
        default_year = min(max(today.year, masterplan.start_year), masterplan.end_year)
    year = chosen.get("year") or default_year
    period = chosen.get("period") or _default_period(masterplan, year, today)  # type: ignore[arg-type]
    by_pk = {c.pk: c for c in cycles}
    cycle = by_pk.get(chosen.get("cycle")) or (cycles[0] if cycles else None)  # type: ignore[arg-type]
    dimension = next((d for d in dimensions if d.code == chosen.get("dimension")), None)
    agency = next((a for a in agencies if a.pk == chosen.get("agency")), None)
    # The filters show what the figures are for: a year or period left out (or refused) shows its default, not
    # the list's first entry.
    if form.is_bound:
        shown = form.data.copy()
        for name, value in (("year", year), ("period", period)):
            if (name not in form.cleaned_data or not form.cleaned_data[name]) and not form.errors.get(name):
                shown[name] = str(value)
        form.data = shown
    else:
        form.initial = {"year": year, "period": period}
    return Selection(form, masterplan, year, period, cycle, dimension, agency, cycles, dimensions, agencies)  # type: ignore[arg-type]
