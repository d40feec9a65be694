"""Site-wide pages: the role-aware home, region switching and a health check for load balancers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from agencies.models import AGENCY_ROLES, Role
from agencies.permissions import is_national, roles_of
from smartcity.middleware import SESSION_REGION_KEY


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to where their work starts: SKPD staff to their SKPD's dashboard, assessors to the
    submissions they assess, DKISP to its dashboard, national programme staff to every region side by side."""
    if is_national(request.user):
        return redirect("evaluations:national")
    roles = roles_of(request.user, request.region)
    if roles and roles <= AGENCY_ROLES:
        return redirect("evaluations:skpd_dashboard")  # what their SKPD owes, with the deadlines
    if roles == {Role.ASSESSOR}:
        return redirect("evaluations:assessment_list")
    if Role.COORDINATOR in roles:
        return redirect("evaluations:dashboard")  # DKISP's work starts from the region at a glance
    return redirect("masterplan:overview")


@login_required
@require_POST
def switch_region(request: HttpRequest) -> HttpResponse:
    try:
        region_id = int(request.POST.get("region", ""))
    except ValueError:
        return HttpResponseBadRequest("region")
    if region_id not in {m.region_id for m in request.memberships}:
        return HttpResponseBadRequest("region")
    request.session[SESSION_REGION_KEY] = region_id
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not safe:
        target = "home"
    return redirect(target)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed name exists only once collectstatic has run.
    return redirect(static("favicon.svg"), permanent=True)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
