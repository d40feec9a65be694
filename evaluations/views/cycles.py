"""DKISP's cycle pages: the list, a cycle's overview, creating, editing, assessors, carrying forward, lock, unlock."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.audit import events_for
from agencies.gates import requires
from agencies.models import AGENCY_ROLES, Role
from agencies.permissions import CHANGE, CREATE, VIEW, can, can_in_region, roles_of
from common.forms import ReasonForm, add_service_errors
from evaluations import selectors
from evaluations.forms.cycles import AssessorsForm, CycleForm, LockForm
from evaluations.models import Answer, EvaluationCycle, Lens
from evaluations.rules import EDIT, UNLOCK
from evaluations.services import cycles as cycle_services
from evaluations.views.common import get_cycle_for_user


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user, request.region)
    if not request.user.is_superuser and roles and roles <= AGENCY_ROLES:
        return redirect("evaluations:my_questions")
    if not request.user.is_superuser and roles == {Role.ASSESSOR}:
        return redirect("evaluations:assessment_list")
    # Asked here, not on the decorator: SKPD staff and assessors are sent to their own pages first.
    if not can_in_region(request.user, CREATE, EvaluationCycle, request.region):
        raise PermissionDenied
    cycle_rows = selectors.cycles_for(user=request.user, region=request.region)
    return render(request, "evaluations/cycle_list.html", {"cycles": cycle_rows})


@login_required
@requires(CREATE, on=EvaluationCycle)
def cycle_create(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycle_services.cycle_create(region=request.region, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cycle %(cycle)s was created.") % {"cycle": cycle})
            return redirect(cycle)
    return render(request, "evaluations/cycle_form.html", {"form": form})


@login_required
@requires(VIEW, fetch=get_cycle_for_user)
def cycle_detail(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
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
        "can_edit": can(request.user, EDIT, cycle),
        "can_unlock": can(request.user, UNLOCK, cycle),
        "history": events_for(cycle).select_related("actor")[:10],
    }
    return render(request, "evaluations/cycle_detail.html", context)


@login_required
@requires(CHANGE, fetch=get_cycle_for_user)
def cycle_update(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    form = CycleForm(request.POST or None, instance=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            # A fresh copy: the form has already set its values on `cycle`, and the service audits the difference.
            cycle_services.cycle_update(
                cycle=EvaluationCycle.objects.get(pk=cycle.pk), by=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cycle was saved."))
            return redirect(cycle)
    return render(request, "evaluations/cycle_form.html", {"form": form, "cycle": cycle})


@login_required
@require_POST
@requires(CHANGE, fetch=get_cycle_for_user)
def cycle_assessors(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    form = AssessorsForm(request.POST, region=cycle.region)
    if form.is_valid():
        try:
            cycle_services.cycle_set_assessors(cycle=cycle, by=request.user, assessors=form.cleaned_data["assessors"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The assessors were saved."))
    else:
        messages.error(request, _("Choose assessors from the list."))
    return redirect(cycle)


@login_required
@requires(CHANGE, fetch=get_cycle_for_user)
def carry_forward(request: HttpRequest, previous: EvaluationCycle) -> HttpResponse:
    """Start next year's cycle from this one: its questions, assignments and answers come along as drafts."""
    weights = {f"weight_{lens}": getattr(previous, f"weight_{lens}") for lens in Lens.values}
    initial = {"year": previous.year + 1, "stage": previous.stage, "meeting_place": "", **weights}
    form = CycleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycle_services.cycle_carry_forward(previous=previous, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("The %(cycle)s cycle was started from %(previous)s.")
            messages.success(request, message % {"cycle": cycle, "previous": previous})
            return redirect(cycle)
    return render(request, "evaluations/cycle_form.html", {"form": form, "carry_from": previous})


@login_required
@requires(CHANGE, fetch=get_cycle_for_user)
def lock(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    """The readiness summary and a confirmation; locking early (not ready, window open) needs a reason."""
    if cycle.is_locked:
        messages.info(request, _("The cycle is already locked."))
        return redirect(cycle)
    today = timezone.localdate()
    form = LockForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            cycle_services.cycle_lock(cycle=cycle, by=request.user, reason=form.cleaned_data["reason"], today=today)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cycle is locked: no answer can change any more."))
            return redirect(cycle)
    report = selectors.readiness(cycle=cycle, today=today, with_items=False)  # the lock page shows counts only
    context = {"cycle": cycle, "form": form, "readiness": report, "refusal": cycle_services.lock_refusal(report)}
    return render(request, "evaluations/lock.html", context)


@login_required
@requires(CHANGE, fetch=get_cycle_for_user)
def unlock(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle_services.cycle_unlock(cycle=cycle, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The cycle was unlocked."))
            return redirect(cycle)
    return render(request, "evaluations/unlock.html", {"cycle": cycle, "form": form, "scores": cycle.scores.count()})
