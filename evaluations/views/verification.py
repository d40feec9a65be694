"""DKISP's verification of the SKPDs' answers: the review list, verifying several at once, and readiness."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.permissions import get_many_for_user
from common.ids import parse_id, parse_ids
from common.pagination import paginate
from common.views import report_bulk_outcome
from evaluations import selectors
from evaluations.models import Answer
from evaluations.rules import REVIEW
from evaluations.services import answers as answer_services
from evaluations.views.common import coordinator_cycle
from masterplan.models import Dimension

PAGE_SIZE = 50


@login_required
def answers_review(request: HttpRequest, pk: int) -> HttpResponse:
    """DKISP's verification list: filter by SKPD, dimension and status; verify several at once."""
    cycle = coordinator_cycle(request, pk)
    rows = selectors.answer_rows(user=request.user, cycle=cycle)
    status = request.GET.get("status", Answer.Status.SUBMITTED)
    agency = request.GET.get("agency", "")
    dimension = request.GET.get("dimension", "")
    if status in Answer.Status.values:
        rows = rows.filter(status=status)
    if parse_id(agency):
        rows = rows.filter(agency_id=parse_id(agency))
    if dimension:
        rows = rows.filter(question__dimension__code=dimension)
    page, query = paginate(request, rows, PAGE_SIZE)
    answering_agencies = cycle.region.agencies.filter(answers__cycle=cycle).distinct().order_by("acronym")
    context = {
        "cycle": cycle,
        "page": page,
        "query": query,
        "status": status,
        "agency": agency,
        "dimension": dimension,
        "statuses": Answer.Status.choices,
        "agencies": answering_agencies,
        "dimensions": Dimension.objects.all(),
    }
    return render(request, "evaluations/answers_review.html", context)


@login_required
@require_POST
def answers_bulk_verify(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = coordinator_cycle(request, pk)
    ids = parse_ids(request.POST.getlist("answer"))
    if ids:
        answers = get_many_for_user(
            request.user,
            Answer.objects.filter(cycle=cycle).select_related("cycle__region", "question", "agency"),
            ids,
            REVIEW,
        )
        done, skipped = answer_services.answer_bulk_verify(answers=answers, by=request.user)
        report_bulk_outcome(request, done, skipped, _("%(n)s answer(s) verified."))
    else:
        messages.warning(request, _("Tick the answers to verify first."))
    url = reverse("evaluations:answers_review", args=[cycle.pk])
    return redirect(url + "?" + QueryDict(request.POST.get("query", "")).urlencode())


@login_required
def readiness(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = coordinator_cycle(request, pk)
    report = selectors.readiness(cycle=cycle, today=timezone.localdate())
    return render(request, "evaluations/readiness.html", {"cycle": cycle, "readiness": report})
