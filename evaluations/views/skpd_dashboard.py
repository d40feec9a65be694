"""An SKPD's own dashboard (operators and heads; DKISP may open any SKPD's of its region)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from agencies.gates import requires
from agencies.models import AGENCY_ROLES, Agency, Role
from agencies.permissions import CHANGE, VIEW, User, agencies_of, can, get_for_user, roles_of
from agencies.selectors import agency_list
from evaluations.selectors.skpd_dashboard import skpd_dashboard as dashboard_for


def get_agency_for_user(user: User, pk: int, action: str = VIEW) -> Agency:
    return get_for_user(user, Agency.objects.select_related("region"), action, pk=pk)


def optional_url(name: str, *args: object) -> str | None:
    """The URL of a page that another part of the app provides, or None while it does not exist (no link then)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _staff_agencies(user: User, region: object) -> list[Agency]:
    """The agencies the user works for as operator or head in `region`, each once (someone may hold both roles)."""
    if region is None:
        return []
    unique = {a.pk: a for a in agencies_of(user, AGENCY_ROLES, region=region)}
    return sorted(unique.values(), key=lambda a: a.name)


@login_required
def skpd_dashboard(request: HttpRequest) -> HttpResponse:
    """SKPD staff see their agency's dashboard; someone working for several agencies, or DKISP, chooses one."""
    agencies = _staff_agencies(request.user, request.region)
    if len(agencies) == 1:
        return _render(request, agencies[0], agencies, can_review=False)
    if not agencies:
        coordinator = request.region is not None and Role.COORDINATOR in roles_of(request.user, request.region)
        if not (coordinator or (request.user.is_superuser and request.region is not None)):
            raise PermissionDenied
        agencies = list(agency_list(user=request.user, region=request.region))
    return render(request, "evaluations/skpd_dashboard.html", {"choices": agencies, "agencies": agencies})


@login_required
@requires(VIEW, fetch=get_agency_for_user)
def skpd_dashboard_agency(request: HttpRequest, agency: Agency) -> HttpResponse:
    """One agency's dashboard: its own staff, and DKISP of its region (who may change the agency). Another
    agency's staff never see it (404 from the policy); an assessor sees the agency but not its work (403)."""
    agencies = _staff_agencies(request.user, agency.region)
    own = agency.pk in {a.pk for a in agencies}
    can_review = not own and can(request.user, CHANGE, agency)
    if not (own or can_review):
        raise PermissionDenied
    return _render(request, agency, agencies, can_review=can_review)


def _render(request: HttpRequest, agency: Agency, agencies: list[Agency], *, can_review: bool) -> HttpResponse:
    dashboard = dashboard_for(user=request.user, agency=agency)
    for task in dashboard.tasks:
        task.url = optional_url("evaluations:followup_task", task.pk)  # type: ignore[attr-defined]
    for invitation in dashboard.invitations:
        invitation.url = optional_url("evaluations:meeting", invitation.meeting_id)  # type: ignore[attr-defined]
    context = {
        "agency": agency,
        "dashboard": dashboard,
        "agencies": agencies,
        # Their own staff write reports and answers from here; DKISP reads and is sent to its review pages.
        "is_own": agency.pk in {a.pk for a in agencies},
        "can_review": can_review,
    }
    return render(request, "evaluations/skpd_dashboard.html", context)
