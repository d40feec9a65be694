"""DKISP chases late SKPDs: a preview of each reminder (GET), then the sending (POST)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.gates import requires
from agencies.models import Agency
from agencies.permissions import CREATE, VIEW, get_many_for_user
from common.ids import parse_id, parse_ids
from masterplan.models import ReportReminder
from masterplan.selectors.chasing import late_agencies
from masterplan.services.chasing import chase_previews, chase_send


def _chosen(request: HttpRequest, params: QueryDict) -> tuple[list[Agency], bool]:
    """The agencies the request names (`agency=<pk>`, repeatable) or, with `late=1`, every late SKPD of the region;
    and whether some of what was typed is no id at all. Another region's SKPD is a 404."""
    raw = params.getlist("agency")
    ids = parse_ids(raw)
    malformed = any(parse_id(value) is None for value in raw)
    region = request.region
    agencies: list[Agency] = []
    if ids:
        found = get_many_for_user(
            request.user, Agency.objects.filter(region=region).select_related("region"), ids, VIEW
        )
        by_pk = {agency.pk: agency for agency in found}
        agencies = [by_pk[pk] for pk in ids]
    if params.get("late") == "1":
        today = timezone.localdate()
        known = {agency.pk for agency in agencies}
        agencies += [a.agency for a in late_agencies(region=region, today=today) if a.agency.pk not in known]
    return agencies, malformed


def _back(request: HttpRequest) -> str:
    """Where to go after sending: a safe `next`, else DKISP's dashboard when it exists, else the SKPD list."""
    wanted = request.POST.get("next", "")
    # A path of this site only: `redirect()` would take a bare word ("abc") for a view's name and fail.
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    try:
        return reverse("evaluations:dashboard")
    except NoReverseMatch:
        return reverse("masterplan:agencies")


@login_required
@requires(CREATE, on=ReportReminder)
def chase(request: HttpRequest) -> HttpResponse:
    """Remind one SKPD, several, or all late ones of their overdue progress reports; GET previews, POST sends."""
    if request.region is None:
        raise Http404
    params = request.POST if request.method == "POST" else request.GET
    agencies, malformed = _chosen(request, params)
    if malformed:
        messages.error(request, _("Some of the SKPDs asked for are not valid SKPD numbers and were left out."))
    today = timezone.localdate()
    if request.method == "POST":
        if not agencies:
            messages.error(request, _("Choose at least one SKPD to remind."))
            return redirect(_back(request))
        outcome = chase_send(agencies=agencies, by=request.user, today=today)
        if outcome.sent:
            n = len(outcome.sent)
            messages.success(
                request, ngettext("Reminder sent to %(n)d SKPD.", "Reminders sent to %(n)d SKPDs.", n) % {"n": n}
            )
        for agency, why in outcome.refused:
            messages.warning(request, f"{agency.acronym}: {why}")
        return redirect(_back(request))
    previews = chase_previews(region=request.region, agencies=agencies, today=today)
    wanted_next = request.GET.get("next", "")
    safe_next = (
        wanted_next
        if url_has_allowed_host_and_scheme(
            wanted_next, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    return render(
        request,
        "masterplan/chase.html",
        {
            "previews": [p for p in previews if p.will_send],
            "skipped": [p for p in previews if not p.will_send],
            "asked_late": params.get("late") == "1",
            "nothing_chosen": not agencies,
            "next": safe_next,
            "today": today,
        },
    )
