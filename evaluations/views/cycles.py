"""DKISP's side of the evaluation: cycles, questionnaire, assignment, verification, readiness, lock, results."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.audit import events_for
from agencies.models import AGENCY_ROLES, Role
from agencies.permissions import CHANGE, CREATE, can, can_in_region, get_many_for_user, roles_of
from common.forms import add_service_errors
from common.ids import parse_id, parse_ids
from common.pagination import paginate
from common.views import report_bulk_outcome
from evaluations import questionnaire_io, selectors
from evaluations.forms import (
    AssessorsForm,
    AssignForm,
    CycleForm,
    LockForm,
    OfficialResultForm,
    QuestionnaireUploadForm,
)
from evaluations.models import Answer, EvaluationCycle, Lens, Question
from evaluations.rules import REVIEW
from evaluations.scoring import rounded
from evaluations.services import answers as answer_services
from evaluations.services import assessment, cycles
from evaluations.views.common import get_cycle
from masterplan.forms_reports import ReasonForm
from masterplan.models import Dimension

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_IMPORT = "questionnaire_import"
PAGE_SIZE = 50


def _require_coordinator(request: HttpRequest) -> None:
    if not can_in_region(request.user, CREATE, EvaluationCycle, request.region):
        raise PermissionDenied


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user, request.region)
    if not request.user.is_superuser and roles and roles <= AGENCY_ROLES:
        return redirect("evaluations:my_questions")
    if not request.user.is_superuser and roles == {Role.ASSESSOR}:
        return redirect("evaluations:assessment_list")
    _require_coordinator(request)
    return render(request, "evaluations/cycle_list.html", {
        "cycles": selectors.cycles_for(user=request.user, region=request.region),
    })  # fmt: skip


@login_required
def cycle_create(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
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
    counts = dict(Answer.objects.filter(cycle=cycle).order_by().values_list("status").annotate(n=Count("pk")))
    return render(request, "evaluations/cycle_detail.html", {
        "cycle": cycle,
        "counts": counts,
        "question_count": cycle.questionnaire.questions.count() if cycle.questionnaire_id else 0,
        "assessors_form": AssessorsForm(region=cycle.region, initial={"assessors": cycle.assessors.all()}),
        "history": events_for(cycle).select_related("actor")[:10],
    })  # fmt: skip


def _coordinator_cycle(request: HttpRequest, pk: int) -> EvaluationCycle:
    return get_cycle(request, pk, CHANGE)


@login_required
def cycle_update(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _coordinator_cycle(request, pk)
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
    cycle = _coordinator_cycle(request, pk)
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
def questionnaire(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _coordinator_cycle(request, pk)
    questions = []
    if cycle.questionnaire_id:
        questions = list(
            cycle.questionnaire.questions.select_related("dimension", "element")
            .prefetch_related("assignments__agency")
            .order_by("dimension__order", "order", "code")
        )
    assigned = {a.question_id: a for a in cycle.assignments.select_related("agency")}
    groups: dict[int, tuple[Dimension, list[tuple[Question, object]]]] = {}
    for question in questions:
        groups.setdefault(question.dimension_id, (question.dimension, []))[1].append(
            (question, assigned.get(question.pk))
        )
    return render(request, "evaluations/questionnaire.html", {
        "cycle": cycle, "groups": sorted(groups.values(), key=lambda g: g[0].order), "lenses": dict(Lens.choices),
    })  # fmt: skip


@login_required
def questionnaire_template(request: HttpRequest) -> HttpResponse:
    _require_coordinator(request)
    response = HttpResponse(questionnaire_io.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="templat-kuesioner-smart-city.xlsx"'
    return response


@login_required
def questionnaire_export(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _coordinator_cycle(request, pk)
    if not cycle.questionnaire_id:
        raise Http404
    questions = cycle.questionnaire.questions.select_related("dimension", "element").order_by(
        "dimension__order", "order", "code"
    )
    response = HttpResponse(questionnaire_io.export_xlsx(questions), content_type=XLSX)
    name = slugify(f"kuesioner-{cycle.year}-{cycle.stage}-v{cycle.questionnaire.version}")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _rows_to_session(rows: list[questionnaire_io.QuestionRow]) -> list[dict]:
    return [{**dataclasses.asdict(r), "weight": str(r.weight)} for r in rows]


def _rows_from_session(data: list[dict]) -> list[questionnaire_io.QuestionRow]:
    return [questionnaire_io.QuestionRow(**{**r, "weight": Decimal(r["weight"])}) for r in data]


@login_required
def questionnaire_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload, then a preview of every row and every error; nothing is saved until the coordinator confirms."""
    cycle = _coordinator_cycle(request, pk)
    form = QuestionnaireUploadForm(request.POST or None, request.FILES or None)
    result = None
    refused = getattr(request, "upload_errors", [])
    if refused:
        # The upload handler skipped an oversized file: say so, not "this field is required".
        form.is_valid()
        form.errors.pop("file", None)
        for problem in refused:
            form.add_error("file", problem)
    elif request.method == "POST" and form.is_valid():
        result = questionnaire_io.parse_xlsx(form.cleaned_data["file"])
        if result.ok:
            request.session[SESSION_IMPORT] = {
                "cycle": cycle.pk, "name": form.cleaned_data["name"], "rows": _rows_to_session(result.rows),
            }  # fmt: skip
        else:
            request.session.pop(SESSION_IMPORT, None)
    return render(request, "evaluations/questionnaire_import.html", {
        "cycle": cycle, "form": form, "result": result, "lenses": dict(Lens.choices),
        "dimensions": {d.code: d for d in Dimension.objects.all()},
    })  # fmt: skip


@login_required
@require_POST
def questionnaire_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _coordinator_cycle(request, pk)
    pending = request.session.get(SESSION_IMPORT)
    if not pending or pending.get("cycle") != cycle.pk:
        messages.error(request, _("Upload the questionnaire file again: the preview has expired."))
        return redirect("evaluations:questionnaire_import", pk=cycle.pk)
    try:
        version = cycles.questionnaire_import(cycle=cycle, by=request.user, rows=_rows_from_session(pending["rows"]),
                                              name=pending.get("name", ""))  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("evaluations:questionnaire_import", pk=cycle.pk)
    request.session.pop(SESSION_IMPORT, None)
    messages.success(request, _("%(n)s questions imported as %(version)s.") % {
        "n": version.questions.count(), "version": version})  # fmt: skip
    return redirect("evaluations:questionnaire", pk=cycle.pk)


@login_required
def assignment(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _coordinator_cycle(request, pk)
    if not cycle.questionnaire_id:
        messages.warning(request, _("Import the questionnaire first."))
        return redirect("evaluations:questionnaire_import", pk=cycle.pk)
    form = AssignForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        try:
            n = cycles.assign_questions(
                cycle=cycle, by=request.user, questions=form.selected_questions(), agency=form.cleaned_data["agency"],
                supporting=form.cleaned_data["supporting"], deadline=form.cleaned_data["deadline"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(n)s questions assigned to %(agency)s.") % {
                "n": n, "agency": form.cleaned_data["agency"].acronym})  # fmt: skip
            return redirect("evaluations:assignment", pk=cycle.pk)
    assignments = (
        cycle.assignments.select_related("question__dimension", "agency")
        .prefetch_related("supporting_agencies")
        .order_by("question__dimension__order", "question__code")
    )
    unassigned = cycle.questionnaire.questions.exclude(assignments__cycle=cycle).count()
    return render(request, "evaluations/assignment.html", {
        "cycle": cycle, "form": form, "assignments": assignments, "unassigned": unassigned,
    })  # fmt: skip


@login_required
def answers_review(request: HttpRequest, pk: int) -> HttpResponse:
    """DKISP's verification list: filter by SKPD, dimension and status; verify several at once."""
    cycle = _coordinator_cycle(request, pk)
    rows = selectors.answer_rows(user=request.user, cycle=cycle)
    status = request.GET.get("status", Answer.Status.SUBMITTED)
    agency, dimension = request.GET.get("agency", ""), request.GET.get("dimension", "")
    if status in Answer.Status.values:
        rows = rows.filter(status=status)
    if parse_id(agency):
        rows = rows.filter(agency_id=parse_id(agency))
    if dimension:
        rows = rows.filter(question__dimension__code=dimension)
    page, query = paginate(request, rows, PAGE_SIZE)
    return render(request, "evaluations/answers_review.html", {
        "cycle": cycle, "page": page, "query": query, "status": status, "agency": agency, "dimension": dimension,
        "statuses": Answer.Status.choices, "agencies": cycle.region.agencies.filter(answers__cycle=cycle).distinct()
        .order_by("acronym"), "dimensions": Dimension.objects.all(),
    })  # fmt: skip


@login_required
@require_POST
def answers_bulk_verify(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _coordinator_cycle(request, pk)
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
    cycle = _coordinator_cycle(request, pk)
    report = selectors.readiness(cycle=cycle, today=timezone.localdate())
    return render(request, "evaluations/readiness.html", {"cycle": cycle, "readiness": report})


@login_required
def lock(request: HttpRequest, pk: int) -> HttpResponse:
    """The readiness summary and a confirmation; locking early (not ready, window open) needs a reason."""
    cycle = _coordinator_cycle(request, pk)
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
    return render(request, "evaluations/lock.html", {
        "cycle": cycle, "form": form, "readiness": report, "refusal": cycles.lock_refusal(report),
    })  # fmt: skip


@login_required
def unlock(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _coordinator_cycle(request, pk)
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


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    """The indices per lens, per dimension and final, beside last year's (coordinators and the assessors)."""
    cycle = get_cycle(request, pk)
    if not (can(request.user, CHANGE, cycle) or can(request.user, "assess", cycle)):
        raise PermissionDenied
    current = selectors.headline(cycle)
    previous = selectors.previous_cycle(cycle)
    before = selectors.headline(previous) if previous else None
    dimensions = list(Dimension.objects.all())
    lens_rows = [(lens, label, current["by_lens"].get(lens), before["by_lens"].get(lens) if before else None,
                  cycle.weights[lens]) for lens, label in Lens.choices]  # fmt: skip
    dimension_rows = [(d, current["by_dimension"].get(d.code), before["by_dimension"].get(d.code) if before else None)
                      for d in dimensions]  # fmt: skip
    notes = {n.dimension_id: n for n in cycle.notes.select_related("dimension")}
    return render(request, "evaluations/results.html", {
        "cycle": cycle, "current": current, "previous": previous, "before": before, "lens_rows": lens_rows,
        "dimension_rows": dimension_rows, "notes": [(d, notes.get(d.pk)) for d in dimensions],
        "overall_note": notes.get(None), "can_change": can(request.user, CHANGE, cycle),
    })  # fmt: skip


@login_required
def official_result(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _coordinator_cycle(request, pk)
    existing = getattr(cycle, "official_result", None)
    initial = {}
    if existing is not None:
        initial = {"letter_number": existing.letter_number, "letter_date": existing.letter_date,
                   "final_index": existing.final_index, "difference_note": existing.difference_note,
                   "difference_confirmed": bool(existing.difference_note),
                   **{f"lens_{k}": Decimal(v) for k, v in existing.lens_indices.items()},
                   **{f"dim_{k}": Decimal(v) for k, v in existing.dimension_indices.items()}}  # fmt: skip
    form = OfficialResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            assessment.official_result_save(cycle=cycle, by=request.user, data=form.service_data())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The official result was saved."))
            return redirect("evaluations:results", pk=cycle.pk)
    # The final index the typed lens figures give, shown beside the letter's; the service decides what passes.
    computed = assessment.official_final_from_lenses(cycle, form.lens_figures())
    return render(request, "evaluations/official_result.html", {
        "cycle": cycle, "form": form, "computed": computed and rounded(computed),
        "computed_exact": computed and computed.quantize(Decimal("0.001"), ROUND_HALF_UP),
        "show_confirmation": bool(form["difference_note"].value())
        or any(name in form.errors for name in ("difference_confirmed", "difference_note")),
    })  # fmt: skip


@login_required
def carry_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Start next year's cycle from this one: its questions, assignments and answers come along as drafts."""
    previous = _coordinator_cycle(request, pk)
    initial = {"year": previous.year + 1, "stage": previous.stage, "meeting_place": "",
               **{f"weight_{lens}": getattr(previous, f"weight_{lens}") for lens in Lens.values}}  # fmt: skip
    form = CycleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = cycles.cycle_carry_forward(previous=previous, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The %(cycle)s cycle was started from %(previous)s.") % {
                "cycle": cycle, "previous": previous})  # fmt: skip
            return redirect(cycle)
    return render(request, "evaluations/cycle_form.html", {"form": form, "carry_from": previous})
