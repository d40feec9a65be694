"""The national view: every region's cycle of a year side by side (status, readiness, indices), a region's indices
against the national distribution, and the assessors the programme can send anywhere.

Read for national programme staff only (the views' gate, agencies.gates.national_required), so nothing here goes
through `visible()`: these are aggregates of every region, never a regional object's detail. Every figure is
counted by the database for a whole page of regions at once (GROUP BY cycle), so a page costs the same number of
queries for 3 regions or 500.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import DateField, Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from agencies.models import Membership, Region, Role
from evaluations.models import Answer, AnswerEvidence, EvaluationCycle, Lens
from evaluations.selectors.cycle_readiness import trimmed_text
from evaluations.selectors.dashboard import CycleIndices, indices_by_cycle, readiness_count_expressions
from masterplan.models import Dimension

QUARTILES = (Decimal("0.25"), Decimal("0.5"), Decimal("0.75"))


# --- Filters' choices -------------------------------------------------------------------------------------------


def national_regions(*, province: str | None = None) -> QuerySet[Region]:
    """The programme's active regions, by province and name (one province when given)."""
    regions = Region.objects.filter(is_active=True)
    if province:
        regions = regions.filter(province=province)
    return regions.order_by("province", "name", "pk")


def provinces() -> list[str]:
    return list(
        Region.objects.filter(is_active=True).order_by("province").values_list("province", flat=True).distinct()
    )


def cycle_years(today: dt.date) -> list[int]:
    """Years with a cycle anywhere, and this year, newest first."""
    years = set(EvaluationCycle.objects.order_by().values_list("year", flat=True).distinct())
    years.add(today.year)
    return sorted(years, reverse=True)


def default_year(years: Sequence[int], today: dt.date) -> int:
    """The latest year that has begun (the list offers next year's cycles too, once one is planned)."""
    return next((y for y in years if y <= today.year), today.year)


# --- Status, readiness and indices per region -------------------------------------------------------------------


WINDOW_LABELS = {
    "upcoming": _("Not open yet"),
    "open": _("Open"),
    "closed": _("Closed"),
}


@dataclass
class RegionRow:
    """One region's cycle of the year: the latest stage, as the programme follows it."""

    region: Region
    cycle: EvaluationCycle | None = None
    stages: int = 0  # the region's cycles that year (Tahap I, Tahap II…)
    questions: int = 0  # questions assigned (answers), as the dashboard's readiness counts them
    answered: int = 0  # answered this year (carried answers never reviewed are not counted)
    with_valid_evidence: int = 0
    verified: int = 0
    indices: CycleIndices | None = None
    window: str = ""
    by_dimension: list[Decimal | None] = field(default_factory=list)  # in the dimensions' order
    by_lens: list[Decimal | None] = field(default_factory=list)  # in Lens order

    @property
    def answered_percent(self) -> int | None:
        return _percent(self.answered, self.questions)

    @property
    def evidence_percent(self) -> int | None:
        return _percent(self.with_valid_evidence, self.questions)

    @property
    def window_label(self) -> str:
        return str(WINDOW_LABELS[self.window]) if self.window else ""


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _window(cycle: EvaluationCycle, today: dt.date) -> str:
    """The questionnaire window as the cycle sets it (an SKPD's extension is a regional detail, left out here)."""
    if today < cycle.opens_on:
        return "upcoming"
    return "open" if today <= cycle.closes_on else "closed"


def latest_cycles(
    *, regions: Iterable[Region] | QuerySet[Region], year: int
) -> tuple[dict[int, EvaluationCycle], dict[int, int]]:
    """{region pk: its latest cycle of `year`} and {region pk: how many it has that year}, in one query."""
    cycles = (
        EvaluationCycle.objects.filter(region__in=regions, year=year)
        .select_related("official_result")
        .order_by("region_id", "opens_on", "pk")
    )
    latest: dict[int, EvaluationCycle] = {}
    stages: dict[int, int] = {}
    for cycle in cycles:
        latest[cycle.region_id] = cycle  # ordered, so the last one wins
        stages[cycle.region_id] = stages.get(cycle.region_id, 0) + 1
    return latest, stages


def readiness_counts(cycles: Sequence[EvaluationCycle], today: dt.date) -> dict[int, dict[str, int]]:
    """Per cycle, in one GROUP BY query: questions assigned, answered this year, with valid evidence, verified.

    The same counts as the dashboard's readiness (evaluations.selectors.dashboard.cycle_readiness), for many cycles
    at once: evidence is judged on each cycle's own meeting day (today without one) and must date from its year.
    """
    if not cycles:
        return {}
    reference = Coalesce(OuterRef("cycle__meeting_date"), Value(today), output_field=DateField())
    valid = AnswerEvidence.objects.filter(answer=OuterRef("pk")).filter(
        Q(evidence__valid_until__isnull=True) | Q(evidence__valid_until__gte=reference),
        Q(evidence__document_date__isnull=True) | Q(evidence__document_date__year__gte=OuterRef("cycle__year")),
    )
    counts = readiness_count_expressions()
    del counts["carried_untouched"]  # not shown nationally
    rows = (
        Answer.objects.filter(cycle__in=cycles)
        .annotate(trimmed_text=trimmed_text(), has_valid_evidence=Exists(valid))
        .order_by()
        .values("cycle_id")
        .annotate(**counts)
    )
    return {row.pop("cycle_id"): row for row in rows}


def region_rows(
    *, regions: Sequence[Region], year: int, today: dt.date, dimensions: Sequence[Dimension]
) -> list[RegionRow]:
    """A page of regions with their cycle of `year`: five queries whatever the number of regions (the cycles, the
    readiness counts, and three for the indices)."""
    latest, stages = latest_cycles(regions=[r.pk for r in regions], year=year)
    cycles = list(latest.values())
    counts = readiness_counts(cycles, today)
    indices = indices_by_cycle(cycles)
    rows = []
    for region in regions:
        row = RegionRow(region)
        cycle = latest.get(region.pk)
        if cycle is not None:
            row.cycle, row.stages, row.indices = cycle, stages[region.pk], indices[cycle.pk]
            row.window = _window(cycle, today)
            row.by_dimension = [row.indices.by_dimension.get(d.code) for d in dimensions]
            row.by_lens = [row.indices.by_lens.get(lens) for lens in Lens.values]
            for name, value in counts.get(cycle.pk, {}).items():
                setattr(row, name, value)
        rows.append(row)
    return rows


# --- A region against the national distribution ----------------------------------------------------------------


@dataclass
class Spread:
    """One index (final, a lens or a dimension): the region's figure beside every assessed region's."""

    key: str
    label: str
    value: Decimal | None
    values: list[Decimal] = field(default_factory=list)  # every region's figure, sorted

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def minimum(self) -> Decimal | None:
        return self.values[0] if self.values else None

    @property
    def maximum(self) -> Decimal | None:
        return self.values[-1] if self.values else None

    @property
    def q1(self) -> Decimal | None:
        return percentile(self.values, QUARTILES[0])

    @property
    def median(self) -> Decimal | None:
        return percentile(self.values, QUARTILES[1])

    @property
    def q3(self) -> Decimal | None:
        return percentile(self.values, QUARTILES[2])

    @property
    def position(self) -> str:
        """Where the region stands: below the first quartile, above the third, or in between ("" without figures)."""
        if self.value is None or not self.values:
            return ""
        q1, q3 = self.q1, self.q3
        if q1 is not None and self.value < q1:
            return "low"
        if q3 is not None and self.value > q3:
            return "high"
        return "middle"


def percentile(values: Sequence[Decimal], p: Decimal) -> Decimal | None:
    """The `p` percentile of sorted `values` by linear interpolation between the closest ranks, as PostgreSQL's
    percentile_cont computes it (and Python's statistics.quantiles(method="inclusive")); None for no values.

    Computed here over the one aggregate query's figures rather than with percentile_cont, so SQLite answers the
    same; a dimension's index combines lens means with each cycle's own weights, which SQL could not order anyway.
    """
    if not values:
        return None
    position = (len(values) - 1) * p
    lower = int(position)
    fraction = position - lower
    if fraction == 0 or lower + 1 >= len(values):
        return values[lower]
    return values[lower] + (values[lower + 1] - values[lower]) * fraction


@dataclass
class RegionComparison:
    region: Region
    year: int
    cycle: EvaluationCycle | None
    indices: CycleIndices | None
    regions_assessed: int  # regions of the year with a final index
    final: Spread
    lenses: list[Spread]
    dimensions: list[Spread]


def region_comparison(*, region: Region, year: int) -> RegionComparison:
    """`region`'s indices of `year` against every active region's that year (their latest cycle each): four queries
    (the cycles, then three GROUP BY for all their indices) and the dimensions."""
    latest, _stages = latest_cycles(regions=national_regions(), year=year)
    by_cycle = indices_by_cycle(list(latest.values()))
    everyone = list(by_cycle.values())
    own_cycle = latest.get(region.pk)
    own = by_cycle.get(own_cycle.pk) if own_cycle is not None else None

    def spread(key: str, label: str, pick: Any) -> Spread:
        values = sorted(v for v in (pick(ix) for ix in everyone) if v is not None)
        return Spread(key, label, pick(own) if own is not None else None, values)

    dimensions = list(Dimension.objects.order_by("order"))
    return RegionComparison(
        region=region,
        year=year,
        cycle=own_cycle,
        indices=own,
        regions_assessed=sum(1 for ix in everyone if ix.final is not None),
        final=spread("final", str(_("Final index")), lambda ix: ix.final),
        lenses=[spread(lens, str(label), lambda ix, lens=lens: ix.by_lens.get(lens)) for lens, label in Lens.choices],
        dimensions=[spread(d.code, d.name, lambda ix, code=d.code: ix.by_dimension.get(code)) for d in dimensions],
    )


# --- Assessors nationally ---------------------------------------------------------------------------------------


def national_assessors() -> QuerySet[Any]:
    """The programme's assessors: active people with an active assessor role in any active region (the ministry's
    evaluation team, about fifty), each with those regions as `assessor_regions`, by name."""
    roles = Membership.objects.filter(role=Role.ASSESSOR, is_active=True, region__is_active=True)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=roles.values("user_id"))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=roles.select_related("region").order_by("region__name"),
                to_attr="assessor_regions",
            )
        )
        .order_by("first_name", "last_name", "username")
    )
