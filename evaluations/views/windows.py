"""DKISP's page of questionnaire window extensions: the cycle's extensions per SKPD, granting and withdrawing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.gates import requires
from agencies.permissions import CHANGE, DELETE, can, get_for_user
from common.forms import add_service_errors
from common.views import act_and_redirect
from evaluations.forms.cycles import WindowExtensionForm
from evaluations.models import EvaluationCycle, WindowExtension
from evaluations.rules import EDIT
from evaluations.services import windows
from evaluations.views.common import get_cycle_for_user


@login_required
@requires(CHANGE, fetch=get_cycle_for_user)
def extensions(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    """The cycle's extensions, and the form that grants (or changes) one for an SKPD."""
    form = WindowExtensionForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            extension = windows.extension_grant(
                cycle=cycle,
                agency=data["agency"],
                closes_on=data["closes_on"],
                reason=data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("The questionnaire is extended for %(agency)s until %(date)s; the SKPD is told by mail.")
            details = {"agency": extension.agency.acronym, "date": date_format(extension.closes_on)}
            messages.success(request, message % details)
            return redirect("evaluations:extensions", pk=cycle.pk)
    rows = cycle.extensions.select_related("agency", "granted_by").order_by("agency__acronym")
    context = {
        "cycle": cycle,
        "form": form,
        "extensions": rows,
        "today": windows.today(),
        "can_edit": can(request.user, EDIT, cycle),
    }
    return render(request, "evaluations/extensions.html", context)


@login_required
@require_POST
@requires(CHANGE, fetch=get_cycle_for_user)
def extension_revoke(request: HttpRequest, cycle: EvaluationCycle, extension_pk: int) -> HttpResponse:
    extension = get_for_user(request.user, WindowExtension.objects.filter(cycle=cycle), DELETE, pk=extension_pk)
    return act_and_redirect(
        request,
        lambda: windows.extension_revoke(extension=extension, by=request.user),
        success=_("The extension was withdrawn."),
        to=reverse("evaluations:extensions", args=[cycle.pk]),
    )
