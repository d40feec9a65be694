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

from agencies.gates import requires
from agencies.permissions import CHANGE, can, get_many_for_user, scoped
from common.ids import parse_id, parse_ids
from common.pagination import paginate
from common.views import report_bulk_outcome
from evaluations import selectors
from evaluations.models import Answer, EvaluationCycle
from evaluations.rules import EDIT, REVIEW, VERIFY
from evaluations.selectors.followup import open_items_for_cycle
from evaluations.services import answers as answer_services
from evaluations.views.common import get_cycle_for_user
from masterplan.models import Dimension

PAGE_SIZE = 50
READINESS_ITEMS_PER_PAGE = 50


@login_required
@requires(CHANGE, fetch=get_cycle_for_user)
def answers_review(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    """DKISP's verification list: filter by SKPD, dimension and status; verify several at once."""
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
    # One query asks the policy which answers of the page may be verified now (status and lock included).
    shown = Answer.objects.filter(pk__in=[answer.pk for answer in page.object_list])
    verifiable = set(scoped(request.user, VERIFY, shown).values_list("pk", flat=True))
    for answer in page.object_list:
        answer.can_verify = answer.pk in verifiable
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
        "can_verify": bool(verifiable),
    }
    return render(request, "evaluations/answers_review.html", context)


@login_required
@require_POST
@requires(CHANGE, fetch=get_cycle_for_user)
def answers_bulk_verify(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
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
@requires(CHANGE, fetch=get_cycle_for_user)
def readiness(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    """The cycle's readiness counted over every answer, and the answers with problems a page at a time."""
    today = timezone.localdate()
    report = selectors.readiness(cycle=cycle, today=today, with_items=False)
    # Only a line of the tables above narrows the items: anything else is ignored, never sent to the database.
    skpd = request.GET.get("skpd", "")
    skpd = skpd if skpd in {line.key for line in report.by_agency} else ""
    dimension = request.GET.get("dimension", "")
    dimension = dimension if dimension in {line.key for line in report.by_dimension} else ""
    rows = selectors.readiness_items(cycle=cycle, today=today, agency=skpd, dimension=dimension)
    # The lines counted the answers with a problem already: the item list is not counted (compiled) again, but
    # for an SKPD and a dimension at once (no line counts those).
    count: int | None = None
    if not (skpd and dimension):
        lines = report.by_dimension if dimension else report.by_agency
        key = dimension or skpd  # "" for every line
        count = sum(line.problems for line in lines if not key or line.key == key)
    page, query = paginate(request, rows, READINESS_ITEMS_PER_PAGE, count=count)
    page.object_list = selectors.readiness_item_rows(page.object_list, carried_year=report.carried_year)
    context = {
        "cycle": cycle,
        "readiness": report,
        "page": page,
        "query": query,
        "narrowed": _line_label(report, skpd=skpd, dimension=dimension),
        "can_lock": can(request.user, EDIT, cycle),
        # Earlier years' follow-up items still open on this cycle's questions: shown, never blocking the lock.
        "open_followups": open_items_for_cycle(cycle),
    }
    return render(request, "evaluations/readiness.html", context)


def _line_label(report: selectors.Readiness, *, skpd: str, dimension: str) -> str:
    """The line of the tables the item list is narrowed to, as the table names it ("" for every item)."""
    lines = report.by_agency if skpd else report.by_dimension if dimension else []
    return next((line.label for line in lines if line.key in (skpd, dimension)), "")
