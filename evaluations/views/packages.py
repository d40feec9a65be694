"""Packages: a cycle's packages and the build button, a package's live progress, downloads, the monev report."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.gates import requires
from agencies.permissions import CREATE, VIEW, User, can_in_region, get_for_user, visible
from common.downloads import archive_response
from evaluations.models import EvaluationCycle
from evaluations.models.packages import Package
from evaluations.rules import REVIEW
from evaluations.selectors.package import mark_out_of_date
from evaluations.services import packages as package_services
from evaluations.views.common import get_cycle_for_user
from masterplan.selectors.monev import monev_choices

PARTS = ("archive", "pdf", "workbook")
_TYPES = {
    "archive": "application/zip",
    "pdf": "application/pdf",
    "workbook": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def get_package_for_user(user: User, pk: int, action: str = VIEW) -> Package:
    queryset = Package.objects.select_related("region", "cycle__region", "requested_by")
    return get_for_user(user, queryset, action, pk=pk)


@login_required
@requires(REVIEW, fetch=get_cycle_for_user)
def cycle_packages(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    can_build = can_in_region(request.user, CREATE, Package, cycle.region)
    if request.method == "POST":
        if not can_build:
            raise Http404
        package, started = package_services.package_request(cycle=cycle, by=request.user)
        if not started:
            messages.info(request, _("A build of this package is already under way; here is its progress."))
        return redirect(package)
    package_services.expire_stale(now=timezone.now(), cycle=cycle)
    packages = mark_out_of_date(list(Package.objects.filter(cycle=cycle).select_related("requested_by")[:50]))
    return render(
        request,
        "evaluations/packages.html",
        {"cycle": cycle, "packages": packages, "can_build": can_build},
    )


@login_required
@requires(VIEW, fetch=get_package_for_user)
def package_detail(request: HttpRequest, package: Package) -> HttpResponse:
    mark_out_of_date([package])
    return render(request, "evaluations/package_detail.html", {"package": package})


@login_required
@requires(VIEW, fetch=get_package_for_user)
def package_progress(request: HttpRequest, package: Package) -> HttpResponse:
    """The progress box alone, which the page's htmx polls while the build runs (and a reload shows as well)."""
    if package.is_active:
        package_services.expire_stale(now=timezone.now(), cycle=package.cycle, region=package.region)
        package.refresh_from_db()
    mark_out_of_date([package])
    return render(request, "evaluations/_package_progress.html", {"package": package})


@login_required
@requires(VIEW, fetch=get_package_for_user)
def package_download(request: HttpRequest, package: Package, part: str) -> HttpResponseBase:
    if part not in PARTS or not package.is_done or not getattr(package, part):
        raise Http404
    ranged = "Range" in request.headers
    package_services.package_downloaded(package=package, part=part, by=request.user, ranged=ranged)
    return archive_response(
        request,
        getattr(package, part),
        filename=package.file_name(part),
        content_type=_TYPES[part],
        size=getattr(package, f"{part}_size"),
        reference=f"package {package.pk} {part}",
    )


class MonevForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    period = forms.TypedChoiceField(label=gettext_lazy("Up to period"), coerce=int)

    def __init__(self, *args: object, years: list[int], periods: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["period"].choices = [(0, _("Whole year (latest report)"))] + [
            (n, _("Period %(n)s") % {"n": n}) for n in range(1, periods + 1)
        ]


@login_required
@requires(CREATE, on=Package)
def monev_reports(request: HttpRequest) -> HttpResponse:
    years, periods = monev_choices(region=request.region)
    form = MonevForm(request.POST or None, years=years, periods=periods)
    if request.method == "POST" and form.is_valid():
        package, started = package_services.monev_request(
            region=request.region, year=form.cleaned_data["year"], period=form.cleaned_data["period"], by=request.user
        )
        if not started:
            messages.info(request, _("A build of this report is already under way; here is its progress."))
        return redirect(package)
    package_services.expire_stale(now=timezone.now(), region=request.region)
    reports = visible(request.user, Package.objects.filter(region=request.region, kind=Package.Kind.MONEV))
    return render(
        request,
        "evaluations/monev.html",
        {"form": form, "packages": list(reports.select_related("requested_by")[:50])},
    )


@login_required
@require_POST
@requires(VIEW, fetch=get_package_for_user)
def package_rebuild(request: HttpRequest, package: Package) -> HttpResponse:
    """Build a failed or out-of-date package again (same cycle, or same monev year and period)."""
    if not can_in_region(request.user, CREATE, Package, package.region):
        raise Http404
    if package.cycle_id is not None:
        fresh, _started = package_services.package_request(cycle=package.cycle, by=request.user)
    else:
        fresh, _started = package_services.monev_request(
            region=package.region, year=package.year, period=package.period, by=request.user
        )
    return redirect(fresh)
