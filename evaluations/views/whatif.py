"""What-if on a cycle's results: change scores or lens weights and watch the indices move, saving nothing."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from agencies.gates import requires
from agencies.permissions import CHANGE, VIEW, can
from evaluations.forms.whatif import WhatIfForm
from evaluations.models import EvaluationCycle, Lens
from evaluations.rules import ASSESS
from evaluations.selectors.whatif import best_gains, simulate, whatif_questions
from evaluations.views.common import get_cycle_for_user
from masterplan.models import Dimension


@login_required
@require_GET
@requires(VIEW, fetch=get_cycle_for_user)
def whatif(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    """The results page's simulation: a GET form, so a simulation is a link to share and nothing is ever written."""
    # The results page's gate: DKISP, and the assessors of a locked cycle they assess (nothing here writes, so
    # reading and simulating is all either of them can do).
    can_change = can(request.user, CHANGE, cycle)
    if not (can_change or can(request.user, ASSESS, cycle)):
        raise PermissionDenied
    questions = whatif_questions(cycle)
    weights = cycle.weights
    form = WhatIfForm(request.GET or None, questions=questions, weights=weights)
    valid = form.is_valid() if form.is_bound else True
    simulation = simulate(
        questions=questions,
        weights=weights,
        scores=form.new_scores() if valid else {},
        new_weights=form.new_weights() if valid else {},
    )
    current, simulated = simulation.current, simulation.simulated
    lens_rows = [
        (
            lens,
            label,
            form[f"w_{lens}"],
            weights[lens],
            simulation.simulated_weights[lens],
            current.by_lens.get(lens),
            simulated.by_lens.get(lens),
        )
        for lens, label in Lens.choices
    ]
    dimension_rows = [
        (dimension, current.by_dimension.get(dimension.code), simulated.by_dimension.get(dimension.code))
        for dimension in Dimension.objects.all()
        if dimension.code in current.by_dimension
    ]
    lens_labels = dict(Lens.choices)
    question_rows = [(q, lens_labels[q.lens], form.score_field(q)) for q in questions]
    gains = [(gain, lens_labels[gain.question.lens]) for gain in best_gains(questions=questions, weights=weights)]
    context = {
        "cycle": cycle,
        "form": form,
        "valid": valid,
        "simulation": simulation,
        "lens_rows": lens_rows,
        "dimension_rows": dimension_rows,
        "question_rows": question_rows,
        "gains": gains,
        "weights_total": sum(weights.values(), Decimal(0)),
        "can_change": can_change,
    }
    return render(request, "evaluations/whatif.html", context)
