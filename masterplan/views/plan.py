"""Masterplan pages: parse with a form, check with the policy, call a service, render or redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.audit import events_for
from agencies.gates import requires
from agencies.models import AGENCY_ROLES, Agency
from agencies.permissions import (
    CHANGE,
    CREATE,
    DELETE,
    VIEW,
    User,
    can,
    can_in_region,
    get_for_user,
    roles_of,
    who_may_for_agency,
)
from agencies.selectors import agency_list
from common.downloads import file_response
from common.forms import add_service_errors
from common.pagination import paginate
from masterplan import selectors, services
from masterplan.filters import ProgrammeFilter
from masterplan.forms import IndicatorForm, MasterplanForm, ProgrammeForm
from masterplan.models import Dimension, Indicator, Masterplan, Programme, ReportReminder
from masterplan.selectors import chasing as chasing_selectors

PAGE_SIZE = 25


def get_programme_for_user(user: User, pk: int, action: str = VIEW) -> Programme:
    return get_for_user(user, selectors.programme_detail_queryset(), action, pk=pk)


def get_indicator_for_user(user: User, pk: int, action: str = VIEW) -> Indicator:
    return get_for_user(user, Indicator.objects.select_related("programme__masterplan__region"), action, pk=pk)


def get_agency_for_user(user: User, pk: int, action: str = VIEW) -> Agency:
    return get_for_user(user, Agency.objects.select_related("region", "predecessor"), action, pk=pk)


def _masterplan_or_404(request: HttpRequest) -> Masterplan:
    masterplan = selectors.current_masterplan(user=request.user, region=request.region)
    if masterplan is None:
        raise Http404(_("This region has no masterplan yet."))
    return masterplan


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    masterplan = _masterplan_or_404(request)
    summaries = selectors.dimension_overview(user=request.user, masterplan=masterplan)
    total = sum(s.total for s in summaries)
    implemented = sum(s.implemented for s in summaries)
    return render(
        request,
        "masterplan/overview.html",
        {
            "masterplan": masterplan,
            "summaries": summaries,
            "total": total,
            "implemented": implemented,
            "can_change_masterplan": can(request.user, CHANGE, masterplan),
        },
    )


@login_required
def dimension_detail(request: HttpRequest, code: str) -> HttpResponse:
    masterplan = _masterplan_or_404(request)
    dimension = get_object_or_404(Dimension, code=code)
    summary = next(
        s
        for s in selectors.dimension_overview(user=request.user, masterplan=masterplan)
        if s.dimension.pk == dimension.pk
    )
    programmes = list(
        selectors.programme_list(user=request.user, masterplan=masterplan).filter(element__dimension=dimension)
    )
    by_element = {e.element.pk: [] for e in summary.elements}
    for programme in programmes:
        by_element[programme.element_id].append(programme)
    sections = [(e, by_element[e.element.pk]) for e in summary.elements]
    return render(
        request,
        "masterplan/dimension.html",
        {
            "masterplan": masterplan,
            "dimension": dimension,
            "summary": summary,
            "sections": sections,
            "dimensions": Dimension.objects.all(),
        },
    )


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    masterplan = _masterplan_or_404(request)
    base = selectors.programme_list(user=request.user, masterplan=masterplan)
    filterset = ProgrammeFilter(request.GET, queryset=base, region=masterplan.region)
    programmes = filterset.qs if filterset.is_valid() else base.none()
    page, query = paginate(request, programmes, PAGE_SIZE)
    return render(
        request,
        "masterplan/programme_list.html",
        {
            "masterplan": masterplan,
            "filter": filterset,
            "page": page,
            "query": query,
            "can_create": can_in_region(request.user, CREATE, Programme, masterplan.region),
        },
    )


@login_required
@requires(VIEW, fetch=get_programme_for_user)
def programme_detail(request: HttpRequest, programme: Programme) -> HttpResponse:
    can_change = can(request.user, CHANGE, programme)
    return render(
        request,
        "masterplan/programme_detail.html",
        {
            "programme": programme,
            "indicator_rows": selectors.indicator_rows(programme),
            "years": list(programme.years),
            "can_change": can_change,
            "history": events_for(programme).select_related("actor")[:10] if can_change else [],
        },
    )


@login_required
@requires(CREATE, on=Programme)
def programme_create(request: HttpRequest) -> HttpResponse:
    masterplan = _masterplan_or_404(request)
    form = ProgrammeForm(
        request.POST or None,
        region=masterplan.region,
        initial={"start_year": masterplan.start_year, "end_year": masterplan.end_year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                by=request.user,
                masterplan=masterplan,
                data=form.service_data(),
                supporting=form.cleaned_data["supporting_agencies"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Programme %(code)s was created.") % {"code": programme.code})
            return redirect(programme)
    return render(request, "masterplan/programme_form.html", {"form": form, "masterplan": masterplan})


@login_required
@requires(CHANGE, fetch=get_programme_for_user)
def programme_update(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, instance=programme, region=programme.masterplan.region)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already set its values on `programme`, and the service audits the difference.
            services.programme_update(
                programme=Programme.objects.get(pk=programme.pk),
                by=request.user,
                data=form.service_data(),
                supporting=form.cleaned_data["supporting_agencies"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Programme %(code)s was saved.") % {"code": form.cleaned_data["code"]})
            return redirect(programme)
    return render(
        request,
        "masterplan/programme_form.html",
        {
            "form": form,
            "programme": programme,
            "masterplan": programme.masterplan,
        },
    )


@login_required
@requires(CHANGE, fetch=get_programme_for_user)
def indicator_create(request: HttpRequest, programme: Programme) -> HttpResponse:
    form = IndicatorForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_create(
                by=request.user, programme=programme, data=form.service_data(), targets=form.targets()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The indicator was added."))
            return redirect(programme)
    return render(request, "masterplan/indicator_form.html", {"form": form, "programme": programme})


@login_required
@requires(CHANGE, fetch=get_indicator_for_user)
def indicator_update(request: HttpRequest, indicator: Indicator) -> HttpResponse:
    programme = indicator.programme
    form = IndicatorForm(request.POST or None, instance=indicator, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already set its values on `indicator`, and the service audits the difference.
            services.indicator_update(
                indicator=Indicator.objects.get(pk=indicator.pk),
                by=request.user,
                data=form.service_data(),
                targets=form.targets(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect(programme)
    return render(
        request,
        "masterplan/indicator_form.html",
        {
            "form": form,
            "programme": programme,
            "indicator": indicator,
        },
    )


@login_required
@require_POST
@requires(DELETE, fetch=get_indicator_for_user)
def indicator_delete(request: HttpRequest, indicator: Indicator) -> HttpResponse:
    programme = indicator.programme
    try:
        services.indicator_delete(indicator=indicator, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(programme)
    messages.success(request, _("The indicator was deleted."))
    return redirect(programme)


@login_required
@requires(CHANGE, on=Masterplan)
def masterplan_update(request: HttpRequest) -> HttpResponse:
    masterplan = _masterplan_or_404(request)
    form = MasterplanForm(request.POST or None, instance=masterplan)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already set its values on `masterplan`, and the service audits the difference.
            services.masterplan_update(
                masterplan=Masterplan.objects.get(pk=masterplan.pk), by=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The masterplan was saved."))
            return redirect("masterplan:overview")
    return render(request, "masterplan/masterplan_form.html", {"form": form, "masterplan": masterplan})


@login_required
def masterplan_document(request: HttpRequest) -> HttpResponseBase:
    """The adopted masterplan PDF, through the policy (media files are never served publicly)."""
    masterplan = _masterplan_or_404(request)
    if not masterplan.document:
        raise Http404
    # validate_pdf admitted only a PDF; the name comes from the title, never from the uploaded file.
    name, reference = slugify(masterplan.title) + ".pdf", f"masterplan {masterplan.pk} document"
    return file_response(request, masterplan.document, content_type="application/pdf", name=name, reference=reference)


@login_required
def agency_index(request: HttpRequest) -> HttpResponse:
    if request.region is None:
        raise Http404
    agencies = list(agency_list(user=request.user, region=request.region))
    roles = roles_of(request.user, request.region)
    if len(agencies) == 1 and roles and roles <= AGENCY_ROLES:
        # SKPD staff of one agency have nothing to choose: their agency page is their home.
        return redirect("masterplan:agency", pk=agencies[0].pk)
    masterplan = selectors.current_masterplan(user=request.user, region=request.region)
    counts = selectors.agency_programme_counts(masterplan=masterplan) if masterplan else {}
    rows = [(agency, counts.get(agency.pk, (0, 0))) for agency in agencies]
    can_chase = can_in_region(request.user, CREATE, ReportReminder, request.region)
    return render(
        request, "masterplan/agency_list.html", {"rows": rows, "masterplan": masterplan, "can_chase": can_chase}
    )


@login_required
@requires(VIEW, fetch=get_agency_for_user)
def agency_detail(request: HttpRequest, agency: Agency) -> HttpResponse:
    masterplan = selectors.current_masterplan(user=request.user, region=agency.region)
    led, supported = (
        selectors.agency_programmes(user=request.user, agency=agency, masterplan=masterplan) if masterplan else ([], [])
    )
    # Contacts and reminders: for DKISP and the SKPD's own staff (the reminders' readers), not the whole region.
    can_see_contacts = request.user.is_superuser or (
        who_may_for_agency(VIEW, ReportReminder, agency).filter(pk=request.user.pk).exists()
    )
    return render(
        request,
        "masterplan/agency_detail.html",
        {
            "agency": agency,
            "masterplan": masterplan,
            "led": led,
            "supported": supported,
            "contacts": chasing_selectors.agency_contacts(agency) if can_see_contacts else None,
            "reminders": chasing_selectors.agency_reminders(agency) if can_see_contacts else None,
            "can_chase": can_in_region(request.user, CREATE, ReportReminder, agency.region),
        },
    )
