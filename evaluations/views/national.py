"""The national view for programme staff (Kominfo / Ditjen Aptika): every region's cycle side by side, a region
against the national distribution, and assessors sent to a region's cycle."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from agencies.gates import national_required
from agencies.models import Region
from common.charts import Series, bar_chart, figures_table
from common.forms import add_service_errors
from common.pagination import paginate
from evaluations.forms.national import NationalAssessorsForm, NationalFilterForm
from evaluations.models import EvaluationCycle, Lens
from evaluations.selectors import national as selectors
from evaluations.services import windows
from evaluations.services.national import cycle_assign_assessors_nationally
from masterplan.models import Dimension

REGIONS_PER_PAGE = 50


@login_required
@require_GET
@national_required
def national_overview(request: HttpRequest) -> HttpResponse:
    today = windows.today()  # as every window check judges it
    years = selectors.cycle_years(today)
    form = NationalFilterForm(request.GET or None, provinces=selectors.provinces(), years=years)
    province = form.chosen("province", "")
    year = form.chosen("year", selectors.default_year(years, today))
    page, query = paginate(request, selectors.national_regions(province=province), REGIONS_PER_PAGE)
    dimensions = list(Dimension.objects.order_by("order"))
    rows = selectors.region_rows(regions=list(page.object_list), year=year, today=today, dimensions=dimensions)
    context = {
        "form": form,
        "year": year,
        "province": province,
        "page": page,
        "query": query,
        "rows": rows,
        "dimensions": dimensions,
        "lenses": Lens.choices,
        # A region without a cycle that year: one cell across the cycle's columns.
        "empty_colspan": 7 + len(dimensions) + len(Lens.choices),
    }
    return render(request, "evaluations/national.html", context)


@login_required
@require_GET
@national_required
def national_region(request: HttpRequest, pk: int) -> HttpResponse:
    region = get_object_or_404(Region, pk=pk, is_active=True)
    today = windows.today()  # as every window check judges it
    years = selectors.cycle_years(today)
    form = NationalFilterForm(request.GET or None, provinces=None, years=years)
    year = form.chosen("year", selectors.default_year(years, today))
    comparison = selectors.region_comparison(region=region, year=year)
    cycles = list(EvaluationCycle.objects.filter(region=region, year=year).prefetch_related("assessors"))
    context = {
        "form": form,
        "region": region,
        "year": year,
        "comparison": comparison,
        "cycles": cycles,
        "chart": _comparison_chart(comparison),
    }
    return render(request, "evaluations/national_region.html", context)


def _comparison_chart(comparison: selectors.RegionComparison) -> dict[str, object] | None:
    """The region's dimension indices beside the national median, with the figures as a table (0–5 scale)."""
    spreads = comparison.dimensions
    if not any(s.values for s in spreads):
        return None
    categories = [s.label for s in spreads]
    series = [
        Series(comparison.region.name, [s.value for s in spreads]),
        Series(_("National median"), [s.median for s in spreads], colour="#6c757d"),
    ]
    title = _("Indices per dimension, %(region)s and the national median (%(year)s)") % {
        "region": comparison.region.name,
        "year": comparison.year,
    }
    return {
        "title": title,
        "svg": bar_chart(title=title, categories=categories, series=series, maximum=Decimal(5), places=2),
        "table": figures_table(caption=title, categories=categories, series=series, places=2),
    }


@login_required
@national_required
def national_assessors(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the programme's assessors to one region's cycle (any region, any of the assessors)."""
    cycle = get_object_or_404(EvaluationCycle.objects.select_related("region"), pk=pk, region__is_active=True)
    # An empty POST is a choice too (no assessor left), so the form is bound on every POST.
    data = request.POST if request.method == "POST" else None
    form = NationalAssessorsForm(data, initial={"assessors": list(cycle.assessors.all())})
    if request.method == "POST" and form.is_valid():
        try:
            cycle_assign_assessors_nationally(cycle=cycle, by=request.user, assessors=form.cleaned_data["assessors"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The assessors of %(region)s %(cycle)s were saved.")
                % {
                    "region": cycle.region.name,
                    "cycle": cycle,
                },
            )
            return redirect(f"{reverse('evaluations:national_region', args=[cycle.region_id])}?year={cycle.year}")
    return render(request, "evaluations/national_assessors.html", {"cycle": cycle, "form": form})
