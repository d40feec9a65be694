"""The cycle's results: the indices beside last year's, and the official result from the ministry's letter."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies.gates import requires
from agencies.permissions import CHANGE, VIEW, can
from common.forms import add_service_errors
from evaluations import selectors
from evaluations.forms.results import OfficialResultForm
from evaluations.models import EvaluationCycle, Lens, OfficialResult
from evaluations.rules import ASSESS
from evaluations.scoring import rounded
from evaluations.services import assessment
from evaluations.views.common import get_cycle_for_user
from masterplan.models import Dimension


@login_required
@requires(VIEW, fetch=get_cycle_for_user)
def results(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    """The indices per lens, per dimension and final, beside last year's (coordinators and the assessors)."""
    # Either of two actions lets a user in, which one gate cannot say: SKPD staff see the cycle but not this.
    can_change = can(request.user, CHANGE, cycle)
    if not (can_change or can(request.user, ASSESS, cycle)):
        raise PermissionDenied
    current = selectors.headline(cycle)
    previous = selectors.previous_cycle(cycle)
    before = selectors.headline(previous) if previous else None
    before_by_lens = before["by_lens"] if before else {}
    before_by_dimension = before["by_dimension"] if before else {}
    dimensions = list(Dimension.objects.all())
    lens_rows = [
        (lens, label, current["by_lens"].get(lens), before_by_lens.get(lens), cycle.weights[lens])
        for lens, label in Lens.choices
    ]
    dimension_rows = [
        (dimension, current["by_dimension"].get(dimension.code), before_by_dimension.get(dimension.code))
        for dimension in dimensions
    ]
    notes = {note.dimension_id: note for note in cycle.notes.select_related("dimension")}
    context = {
        "cycle": cycle,
        "current": current,
        "previous": previous,
        "before": before,
        "lens_rows": lens_rows,
        "dimension_rows": dimension_rows,
        "notes": [(dimension, notes.get(dimension.pk)) for dimension in dimensions],
        "overall_note": notes.get(None),
        "can_change": can_change,
    }
    return render(request, "evaluations/results.html", context)


def _official_initial(existing: OfficialResult | None) -> dict[str, Any]:
    """The form's values from the saved result: the letter, the figures, and the confirmed difference note."""
    if existing is None:
        return {}
    lens_figures = {f"lens_{lens}": Decimal(value) for lens, value in existing.lens_indices.items()}
    dimension_figures = {f"dim_{code}": Decimal(value) for code, value in existing.dimension_indices.items()}
    return {
        "letter_number": existing.letter_number,
        "letter_date": existing.letter_date,
        "final_index": existing.final_index,
        "difference_note": existing.difference_note,
        "difference_confirmed": bool(existing.difference_note),
        **lens_figures,
        **dimension_figures,
    }


@login_required
@requires(CHANGE, fetch=get_cycle_for_user)
def official_result(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    initial = _official_initial(getattr(cycle, "official_result", None))
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
    difference_asked = any(name in form.errors for name in ("difference_confirmed", "difference_note"))
    context = {
        "cycle": cycle,
        "form": form,
        "computed": computed and rounded(computed),
        "computed_exact": computed and computed.quantize(Decimal("0.001"), ROUND_HALF_UP),
        "show_confirmation": bool(form["difference_note"].value()) or difference_asked,
    }
    return render(request, "evaluations/official_result.html", context)
