"""Answers: the SKPD's "Kuesioner saya" and answer form; DKISP's verify and return."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.audit import events_for
from agencies.gates import requires
from agencies.models import AGENCY_ROLES
from agencies.permissions import CHANGE, VIEW, agencies_of, can, roles_allow, scoped
from common.forms import ReasonForm, add_service_errors
from common.views import act_and_redirect
from common.workflow import VersionConflict
from evaluations import selectors
from evaluations.forms.answers import AnswerForm
from evaluations.models import Answer, EvaluationCycle
from evaluations.rules import RETURN, REVIEW, SUBMIT, VERIFY
from evaluations.services import answers as answer_services
from evaluations.services import windows
from evaluations.views.common import get_answer_for_user
from evidence.forms import keep_typed
from evidence.picker import picker_fragment
from evidence.selectors import attachable_evidence
from evidence.services import evidence_with_new_files


@login_required
def my_questions(request: HttpRequest) -> HttpResponse:
    """The SKPD's assigned questions per cycle, grouped by dimension, with what is left to do."""
    agencies = agencies_of(request.user, AGENCY_ROLES, region=request.region) if request.region else []
    if not agencies:
        raise PermissionDenied
    cycles = list(
        EvaluationCycle.objects.filter(region=request.region, answers__agency__in=agencies)
        .distinct()
        .order_by("-year", "-opens_on")
    )
    wanted = request.GET.get("siklus", "")
    chosen = next((c for c in cycles if str(c.pk) == wanted), cycles[0] if cycles else None)
    groups, agency_windows = [], {}
    if chosen is not None:
        answers = list(selectors.answer_rows(user=request.user, cycle=chosen).filter(agency__in=agencies))
        groups = selectors.group_by_dimension(answers)
        answering = [a for a in agencies if any(answer.agency_id == a.pk for answer in answers)]
        agency_windows = windows.windows_for(cycle=chosen, agencies=answering, today=windows.today())
        # One query asks the policy which of these the user may change now (state, lock and window included).
        editable = set(scoped(request.user, CHANGE, Answer.objects.filter(cycle=chosen)).values_list("pk", flat=True))
        for answer in answers:
            answer.can_edit = answer.pk in editable
    return render(
        request,
        "evaluations/my_questions.html",
        {
            "cycles": cycles,
            "cycle": chosen,
            "groups": groups,
            "today": timezone.localdate(),
            "windows": list(agency_windows.values()),
        },
    )


@login_required
@requires(VIEW, fetch=get_answer_for_user)
def answer_detail(request: HttpRequest, answer: Answer) -> HttpResponse:
    # The window notice is for the SKPD's own staff while the answer is theirs to work on, also (above all) once
    # the window has closed, which is why it is not asked of `can`.
    in_their_hands = answer.is_editable and not answer.cycle.is_locked
    staff = in_their_hands and roles_allow(request.user, CHANGE, answer)
    window = windows.window_for(cycle=answer.cycle, agency=answer.agency, today=windows.today()) if staff else None
    return render(
        request,
        "evaluations/answer_detail.html",
        {
            "answer": answer,
            "window": window,
            "can_edit": can(request.user, CHANGE, answer),
            "can_verify": can(request.user, VERIFY, answer),
            "can_return": can(request.user, RETURN, answer),
            "problems": answer_services.answer_problems(answer) if answer.is_editable else [],
            "reason_form": ReasonForm(),
            "history": events_for(answer).select_related("actor")[:10],
        },
    )


@login_required
@requires(CHANGE, fetch=get_answer_for_user)
def answer_edit(request: HttpRequest, answer: Answer) -> HttpResponse:
    if answer.cycle.is_locked or not answer.is_editable:
        messages.warning(request, _("This answer can no longer be changed."))
        return redirect(answer)
    # Checked before any uploaded file goes into the library; the service checks again inside its transaction.
    window = windows.window_for(cycle=answer.cycle, agency=answer.agency, today=windows.today())
    if not window.is_open:
        messages.warning(request, window.closed_message)
        return redirect(answer)
    library = attachable_evidence(user=request.user, agency=answer.agency)
    if (fragment := picker_fragment(request, library)) is not None:
        return fragment
    form = AnswerForm(request.POST or None, request.FILES or None, instance=answer, library=library)
    conflict = False
    if request.method == "POST" and form.is_valid():
        files = evidence_with_new_files(
            agency=answer.agency,
            by=request.user,
            **form.new_files_input(),
            refused=getattr(request, "upload_errors", []),
        )
        for notice in files.notices:
            messages.info(request, notice)
        try:
            saved = answer_services.answer_update(
                answer=answer,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
                evidence=files.evidence,
            )
        except VersionConflict as clash:
            conflict = True
            data = request.POST.copy()
            data["version"] = str(clash.current.version)
            form = AnswerForm(data, instance=clash.current, library=library)
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if files.errors:  # the answer is saved; the form stays open with the reasons beside the file input
                messages.warning(request, _("The answer was saved, but some files were refused."))
                data = keep_typed(request.POST, version=saved.version, evidence=saved.evidence.all())
                answer = saved
                form = AnswerForm(data, instance=saved, library=library)
                form.is_valid()
            elif request.POST.get("action") == "submit":
                return _submit(request, saved)
            else:
                messages.success(request, _("The answer was saved as a draft."))
                return redirect(saved)
        if files.errors:  # shown again for any reason, the form keeps the refused files' reasons by their input
            add_service_errors(form, files.errors)
    return render(
        request,
        "evaluations/answer_form.html",
        {
            "form": form,
            "answer": answer,
            "conflict": conflict,
            "window": window,
        },
    )


def _submit(request: HttpRequest, answer: Answer) -> HttpResponse:
    return act_and_redirect(
        request,
        lambda: answer_services.answer_submit(answer=answer, by=request.user),
        success=_("The answer was submitted to DKISP."),
        to=answer,
    )


@login_required
@require_POST
@requires(SUBMIT, fetch=get_answer_for_user)
def answer_submit(request: HttpRequest, answer: Answer) -> HttpResponse:
    return _submit(request, answer)


@login_required
@require_POST
@requires(REVIEW, fetch=get_answer_for_user)
def answer_verify(request: HttpRequest, answer: Answer) -> HttpResponse:
    return act_and_redirect(
        request,
        lambda: answer_services.answer_verify(answer=answer, by=request.user),
        success=_("The answer was verified."),
        to=answer,
    )


@login_required
@requires(REVIEW, fetch=get_answer_for_user)
def answer_return(request: HttpRequest, answer: Answer) -> HttpResponse:
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            answer_services.answer_return(answer=answer, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The answer was returned to the SKPD."))
            return redirect(answer)
    return render(request, "evaluations/answer_return.html", {"answer": answer, "form": form})
