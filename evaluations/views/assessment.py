"""The assessors' pages: a locked cycle, read question by question, scored dimension by dimension."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from agencies.gates import requires
from agencies.permissions import CHANGE, VIEW, can, visible
from agencies.tenancy import follow_region
from common.forms import add_service_errors
from common.pagination import paginate
from evaluations import selectors
from evaluations.forms.assessment import ScoreSheetForm
from evaluations.models import AnswerEvidence, EvaluationCycle, Package
from evaluations.rules import ASSESS
from evaluations.selectors import followup as followup_selectors
from evaluations.services import assessment
from evaluations.views.common import get_cycle_for_user
from evidence.downloads import evidence_file_response
from masterplan.models import Dimension

ASSESSMENT_PAGE_SIZE = 50


@login_required
@requires(ASSESS, on=EvaluationCycle, anywhere=True)
def assessment_list(request: HttpRequest) -> HttpResponse:
    """The locked cycles assigned to the assessor in every region they assess, whichever region is current: one
    assessor works for many regions, and the queue is theirs, not a region's."""
    locked = EvaluationCycle.objects.filter(locked_at__isnull=False, assessors=request.user).select_related("region")
    cycles = visible(request.user, locked).order_by("-year", "region__name", "-opens_on", "-pk")
    # Paged: a national assessor's queue grows by region and year.
    page, query = paginate(request, cycles, ASSESSMENT_PAGE_SIZE)
    return render(request, "evaluations/assessment_list.html", {"cycles": page, "page": page, "query": query})


@login_required
@requires(ASSESS, fetch=get_cycle_for_user)
def assessment_overview(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    follow_region(request, cycle.region)  # the header speaks of the cycle's region, whichever was chosen before
    overall = cycle.notes.filter(dimension=None).first()
    initial = {k: getattr(overall, k) for k in assessment.NOTE_FIELDS} if overall else {}
    form = ScoreSheetForm(request.POST or None, questions=[], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment.note_save(cycle=cycle, by=request.user, dimension=None, data=form.notes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The overall notes were saved."))
            return redirect("evaluations:assessment", pk=cycle.pk)
    progress = selectors.assessment_progress(cycle)
    changed = selectors.changed_since_scored(cycle)
    dimensions = [(d, progress.get(d.code, (0, 0)), changed.get(d.code, [])) for d in Dimension.objects.all()]
    context = {
        "cycle": cycle,
        "dimensions": dimensions,
        "form": form,
        "indices": selectors.cycle_indices(cycle),
        "changed_count": sum(len(codes) for codes in changed.values()),
        # The latest final package the assessor may download (the policy lets them see final ones only).
        "package": visible(request.user, Package.objects.filter(cycle=cycle, status=Package.Status.DONE)).first(),
    }
    return render(request, "evaluations/assessment_overview.html", context)


@login_required
@requires(ASSESS, fetch=get_cycle_for_user)
def assessment_dimension(request: HttpRequest, cycle: EvaluationCycle, code: str) -> HttpResponse:
    follow_region(request, cycle.region)
    dimension = get_object_or_404(Dimension, code=code)
    rows = selectors.assessment_rows(cycle, dimension)
    note = cycle.notes.filter(dimension=dimension).first()
    initial = {k: getattr(note, k) for k in assessment.NOTE_FIELDS} if note else {}
    for row in rows:
        if row.score is not None:
            initial[f"score_{row.question.pk}"] = row.score.value
            initial[f"note_{row.question.pk}"] = row.score.note
    form = ScoreSheetForm(request.POST or None, questions=[row.question for row in rows], initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment.scores_save(cycle=cycle, by=request.user, scores=form.scores())
            assessment.note_save(cycle=cycle, by=request.user, dimension=dimension, data=form.notes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The scores of %(dimension)s were saved.") % {"dimension": dimension.name})
            return redirect("evaluations:assessment", pk=cycle.pk)
    # Last year's follow-up items beside each question: what was asked of the region and what it reported.
    earlier = followup_selectors.earlier_items_by_question(cycle, [row.question for row in rows])
    sheet = [
        (row, form[f"score_{row.question.pk}"], form[f"note_{row.question.pk}"], earlier.get(row.question.pk, []))
        for row in rows
    ]
    context = {
        "cycle": cycle,
        "dimension": dimension,
        "sheet": sheet,
        "form": form,
        "dimensions": Dimension.objects.all(),
        "changed": [row.question.code for row in rows if row.changed_since_scored],
    }
    return render(request, "evaluations/assessment_dimension.html", context)


@login_required
@requires(VIEW, fetch=get_cycle_for_user)
def assessment_evidence(request: HttpRequest, cycle: EvaluationCycle, evidence_pk: int) -> HttpResponseBase:
    """Evidence attached to an answer of a cycle the user may assess or manage (never another file)."""
    if not cycle.is_locked:
        raise Http404
    if not (can(request.user, ASSESS, cycle) or can(request.user, CHANGE, cycle)):
        raise PermissionDenied
    link = get_object_or_404(
        AnswerEvidence.objects.select_related("evidence__stored_file"), answer__cycle=cycle, evidence_id=evidence_pk
    )
    return evidence_file_response(request, link.evidence)
