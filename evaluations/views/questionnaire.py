"""DKISP's questionnaire pages: the questions of a cycle, the template, the export, the import, the assignment.

An import is checked and shown row by row first; the checked rows wait in the session (`questionnaire_io.preview`)
and nothing is saved until the coordinator confirms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.gates import requires
from agencies.permissions import CHANGE, CREATE, can
from common.exports import XLSX_CONTENT_TYPE, serve_spooled, spooled_file
from common.forms import add_service_errors
from evaluations import questionnaire_io
from evaluations.forms.questionnaire import AssignForm, QuestionnaireUploadForm
from evaluations.models import Assignment, EvaluationCycle, Lens, Question
from evaluations.questionnaire_io import preview
from evaluations.rules import EDIT
from evaluations.services import cycles as cycle_services
from evaluations.views.common import get_cycle_for_user
from masterplan.models import Dimension

QUESTION_ORDER = ("dimension__order", "order", "code")


@login_required
@requires(CHANGE, fetch=get_cycle_for_user)
def questionnaire(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    """The cycle's questions by dimension, each with the SKPD it is assigned to (if any)."""
    questions: list[Question] = []
    if cycle.questionnaire_id:
        questions = list(
            cycle.questionnaire.questions.select_related("dimension", "element")
            .prefetch_related("assignments__agency")
            .order_by(*QUESTION_ORDER)
        )
    assigned = {a.question_id: a for a in cycle.assignments.select_related("agency")}
    groups: dict[int, tuple[Dimension, list[tuple[Question, Assignment | None]]]] = {}
    for question in questions:
        _dimension, rows = groups.setdefault(question.dimension_id, (question.dimension, []))
        rows.append((question, assigned.get(question.pk)))
    context = {
        "cycle": cycle,
        "groups": sorted(groups.values(), key=lambda group: group[0].order),
        "lenses": dict(Lens.choices),
        "can_edit": can(request.user, EDIT, cycle),
    }
    return render(request, "evaluations/questionnaire.html", context)


@login_required
@requires(CREATE, on=EvaluationCycle)
def questionnaire_template(request: HttpRequest) -> HttpResponseBase:
    name = "templat-kuesioner-smart-city.xlsx"
    return _xlsx_download(name, lambda out: questionnaire_io.write_workbook(out, []))


@login_required
@requires(CHANGE, fetch=get_cycle_for_user)
def questionnaire_export(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponseBase:
    if not cycle.questionnaire_id:
        raise Http404
    questions = cycle.questionnaire.questions.select_related("dimension", "element").order_by(*QUESTION_ORDER)
    name = slugify(f"kuesioner-{cycle.year}-{cycle.stage}-v{cycle.questionnaire.version}")
    return _xlsx_download(f"{name}.xlsx", lambda out: questionnaire_io.write_export(out, questions))


def _xlsx_download(name: str, write: Callable[[IO[bytes]], None]) -> HttpResponseBase:
    # Written write-only into a spooled file and served with its length, like every export (common.exports).
    handle = spooled_file()
    try:
        write(handle)
    except BaseException:
        handle.close()
        raise
    return serve_spooled(
        handle, filename=name, content_type=XLSX_CONTENT_TYPE, disposition=f'attachment; filename="{name}"'
    )


@login_required
@requires(CHANGE, fetch=get_cycle_for_user)
def questionnaire_import(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    """Upload, then a preview of every row and every error; nothing is saved until the coordinator confirms."""
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
            preview.keep_preview(request.session, cycle_pk=cycle.pk, name=form.cleaned_data["name"], rows=result.rows)
        else:
            preview.forget_preview(request.session)
    context = {
        "cycle": cycle,
        "form": form,
        "result": result,
        "lenses": dict(Lens.choices),
        "dimensions": {d.code: d for d in Dimension.objects.all()},
    }
    return render(request, "evaluations/questionnaire_import.html", context)


@login_required
@require_POST
@requires(CHANGE, fetch=get_cycle_for_user)
def questionnaire_import_confirm(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    pending = preview.pending_preview(request.session, cycle_pk=cycle.pk)
    if pending is None:
        messages.error(request, _("Upload the questionnaire file again: the preview has expired."))
        return redirect("evaluations:questionnaire_import", pk=cycle.pk)
    try:
        version = cycle_services.questionnaire_import(
            cycle=cycle, by=request.user, rows=pending.rows, name=pending.name
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("evaluations:questionnaire_import", pk=cycle.pk)
    preview.forget_preview(request.session)
    message = _("%(n)s questions imported as %(version)s.")
    messages.success(request, message % {"n": version.questions.count(), "version": version})
    return redirect("evaluations:questionnaire", pk=cycle.pk)


@login_required
@requires(CHANGE, fetch=get_cycle_for_user)
def assignment(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    """Hand the questionnaire's questions to the responsible SKPD (and the supporting ones), with a deadline."""
    if not cycle.questionnaire_id:
        messages.warning(request, _("Import the questionnaire first."))
        return redirect("evaluations:questionnaire_import", pk=cycle.pk)
    form = AssignForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        try:
            n = cycle_services.assign_questions(
                cycle=cycle,
                by=request.user,
                questions=form.selected_questions(),
                agency=agency,
                supporting=form.cleaned_data["supporting"],
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("%(n)s questions assigned to %(agency)s.")
            messages.success(request, message % {"n": n, "agency": agency.acronym})
            return redirect("evaluations:assignment", pk=cycle.pk)
    assignments = (
        cycle.assignments.select_related("question__dimension", "agency")
        .prefetch_related("supporting_agencies")
        .order_by("question__dimension__order", "question__code")
    )
    unassigned = cycle.questionnaire.questions.exclude(assignments__cycle=cycle).count()
    context = {"cycle": cycle, "form": form, "assignments": assignments, "unassigned": unassigned}
    return render(request, "evaluations/assignment.html", context)
