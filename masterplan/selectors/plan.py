"""Reads for the masterplan, scoped to the asking user by the one permission policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from agencies.models import Agency, Region
from agencies.permissions import User, visible
from masterplan.models import Dimension, Element, Indicator, IndicatorTarget, Masterplan, Programme

IMPLEMENTED = (Programme.Status.RUNNING, Programme.Status.DONE)


def current_masterplan(*, user: User, region: Region | None) -> Masterplan | None:
    """The region's current masterplan: the active one with the latest first year."""
    if region is None:
        return None
    return visible(user, Masterplan.objects.filter(region=region)).order_by("-is_active", "-start_year", "-pk").first()


@dataclass
class ElementSummary:
    element: Element
    total: int = 0
    implemented: int = 0


@dataclass
class DimensionSummary:
    dimension: Dimension
    elements: list[ElementSummary] = field(default_factory=list)
    total: int = 0
    implemented: int = 0
    quick_wins: int = 0

    @property
    def implementation_rate(self) -> Decimal | None:
        """Share of programmes running or completed, in percent with two decimals (Kebumen 2022: 10/12 = 83.33)."""
        if not self.total:
            return None
        return (Decimal(self.implemented) * 100 / self.total).quantize(Decimal("0.01"), ROUND_HALF_UP)


def programme_queryset(*, user: User, masterplan: Masterplan) -> QuerySet[Programme]:
    return visible(user, Programme.objects.filter(masterplan=masterplan))


def dimension_overview(*, user: User, masterplan: Masterplan) -> list[DimensionSummary]:
    """Each dimension with its elements and programme counts: three queries whatever the programme count."""
    counts = (
        programme_queryset(user=user, masterplan=masterplan)
        .order_by()
        .values("element_id")
        .annotate(
            total=Count("pk"),
            implemented=Count("pk", filter=Q(status__in=IMPLEMENTED)),
            quick_wins=Count("pk", filter=Q(is_quick_win=True)),
        )
    )
    by_element = {row["element_id"]: row for row in counts}
    summaries = []
    for dimension in Dimension.objects.prefetch_related("elements"):
        summary = DimensionSummary(dimension=dimension)
        for element in dimension.elements.all():
            row = by_element.get(element.pk, {"total": 0, "implemented": 0, "quick_wins": 0})
            summary.elements.append(ElementSummary(element, row["total"], row["implemented"]))
            summary.total += row["total"]
            summary.implemented += row["implemented"]
            summary.quick_wins += row["quick_wins"]
        summaries.append(summary)
    return summaries


def programme_list(*, user: User, masterplan: Masterplan) -> QuerySet[Programme]:
    """Programmes with everything a list row shows, in a fixed number of queries."""
    return (
        programme_queryset(user=user, masterplan=masterplan)
        .select_related("element__dimension", "lead_agency")
        .prefetch_related(Prefetch("supporting_agencies", queryset=Agency.objects.order_by("acronym")))
        .order_by("element__dimension__order", "element__order", "code")
    )


def programme_detail_queryset() -> QuerySet[Programme]:
    """Everything the programme page shows; scoping happens in permissions.get_for_user."""
    return Programme.objects.select_related("element__dimension", "lead_agency", "masterplan__region").prefetch_related(
        Prefetch("supporting_agencies", queryset=Agency.objects.order_by("acronym")),
        Prefetch(
            "indicators",
            queryset=Indicator.objects.order_by("order", "pk").prefetch_related(
                Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year"))
            ),
        ),
    )


def agency_programmes(*, user: User, agency: Agency, masterplan: Masterplan) -> tuple[list[Programme], list[Programme]]:
    """The agency's programmes as lead and as supporter, each list in masterplan order."""
    base = programme_list(user=user, masterplan=masterplan)
    led = list(base.filter(lead_agency=agency))
    supported = list(base.filter(pk__in=Programme.objects.filter(supporting_agencies=agency).values("pk")))
    return led, supported


def agency_programme_counts(*, masterplan: Masterplan) -> dict[int, tuple[int, int]]:
    """{agency id: (programmes led, programmes supported)} for one masterplan, in two queries."""
    led = dict(
        Programme.objects.filter(masterplan=masterplan)
        .order_by()
        .values_list("lead_agency_id")
        .annotate(n=Count("pk"))
        .values_list("lead_agency_id", "n")
    )
    supported = dict(
        Programme.supporting_agencies.through.objects.filter(programme__masterplan=masterplan)
        .order_by()
        .values_list("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    return {pk: (led.get(pk, 0), supported.get(pk, 0)) for pk in set(led) | set(supported)}


def indicator_rows(programme: Programme) -> list[tuple[Indicator, list[Decimal | None]]]:
    """Each indicator with its target for every programme year (None where no target is set).

    Expects `programme` from programme_detail_queryset, so the targets are already prefetched.
    """
    rows = []
    for indicator in programme.indicators.all():
        by_year = {t.year: t.value for t in indicator.targets.all()}
        rows.append((indicator, [by_year.get(year) for year in programme.years]))
    return rows
