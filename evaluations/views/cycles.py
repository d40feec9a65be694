"""DKISP's cycle pages: the list, a cycle's overview, creating, editing, assessors, carrying forward, lock, unlock."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.audit import events_for
from agencies.models import AGENCY_ROLES, Role
from agencies.permissions import CHANGE, can, roles_of
from common.forms import ReasonForm, add_service_errors
from evaluations import selectors
from evaluations.forms import AssessorsForm, CycleForm, LockForm
from evaluations.models import Answer, EvaluationCycle, Lens
from evaluations.services import cycles
from evaluations.views.common import coordinator_cycle, get_cycle, require_coordinator


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user, request.region)
    if not request.user.is_superuser and roles and roles <= AGENCY_ROLES:
        return redirect("evaluations:my_questions")
    if not request.user.is_superuser and roles == {Role.ASSESSOR}:
        return redirect("evaluations:assessment_list")
    require_coordinator(request)
    cycle_rows = selectors.cycles_for(user=request.user, region=request.region)
    return render(request, "evaluations/cycle_list.html", {"cycles": cycle_rows})


@login_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    require_coordinator(request)
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycles.cycle_create(region=request.region, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cycle %(cycle)s was created.") % {"cycle": cycle})
            return redirect(cycle)
    return render(request, "evaluations/cycle_form.html", {"form": form})


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_cycle(request, pk)
    if not can(request.user, CHANGE, cycle):
        # SKPD staff and assessors have their own pages of a cycle.
        if Role.ASSESSOR in roles_of(request.user, cycle.region):
            return redirect("evaluations:assessment", pk=cycle.pk)
        return redirect("evaluations:my_questions")
    answers_by_status = Answer.objects.filter(cycle=cycle).order_by().values_list("status")
    counts = dict(answers_by_status.annotate(n=Count("pk")))
    question_count = cycle.questionnaire.questions.count() if cycle.questionnaire_id else 0
    assessors_form = AssessorsForm(region=cycle.region, initial={"assessors": cycle.assessors.all()})
    context = {
        "cycle": cycle,
        "counts": counts,
        "question_count": question_count,
        "assessors_form": assessors_form,
        "history": events_for(cycle).select_related("actor")[:10],
    }
    return render(request, "evaluations/cycle_detail.html", context)


@login_required
def cycle_update(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = coordinator_cycle(request, pk)
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            cycles.cycle_update(cycle=EvaluationCycle.objects.get(pk=pk), by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cycle was saved."))
            return redirect(cycle)
    return render(request, "evaluations/cycle_form.html", {"form": form, "cycle": cycle})


@login_required
@require_POST
def cycle_assessors(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = coordinator_cycle(request, pk)
    form = AssessorsForm(request.POST, region=cycle.region)
    if form.is_valid():
        try:
            cycles.cycle_set_assessors(cycle=cycle, by=request.user, assessors=form.cleaned_data["assessors"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The assessors were saved."))
    else:
        messages.error(request, _("Choose assessors from the list."))
    return redirect(cycle)


@login_required
def carry_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Start next year's cycle from this one: its questions, assignments and answers come along as drafts."""
    previous = coordinator_cycle(request, pk)
    weights = {f"weight_{lens}": getattr(previous, f"weight_{lens}") for lens in Lens.values}
    initial = {"year": previous.year + 1, "stage": previous.stage, "meeting_place": "", **weights}
    form = CycleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycles.cycle_carry_forward(previous=previous, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("The %(cycle)s cycle was started from %(previous)s.")
            messages.success(request, message % {"cycle": cycle, "previous": previous})
            return redirect(cycle)
    return render(request, "evaluations/cycle_form.html", {"form": form, "carry_from": previous})


@login_required
def lock(request: HttpRequest, pk: int) -> HttpResponse:
    """The readiness summary and a confirmation; locking early (not ready, window open) needs a reason."""
    cycle = coordinator_cycle(request, pk)
    if cycle.is_locked:
        messages.info(request, _("The cycle is already locked."))
        return redirect(cycle)
    today = timezone.localdate()
    form = LockForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            cycles.cycle_lock(cycle=cycle, by=request.user, reason=form.cleaned_data["reason"], today=today)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cycle is locked: no answer can change any more."))
            return redirect(cycle)
    report = selectors.readiness(cycle=cycle, today=today)
    context = {"cycle": cycle, "form": form, "readiness": report, "refusal": cycles.lock_refusal(report)}
    return render(request, "evaluations/lock.html", context)


@login_required
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = coordinator_cycle(request, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycles.cycle_unlock(cycle=cycle, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cycle was unlocked."))
            return redirect(cycle)
    return render(request, "evaluations/unlock.html", {"cycle": cycle, "form": form, "scores": cycle.scores.count()})
