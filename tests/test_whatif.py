"""The what-if simulation on a cycle's results: its figures are compute_indices' own, and it never writes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import EvaluationCycle, Score
from evaluations.scoring import ScoredItem, compute_indices
from evaluations.selectors.whatif import WhatIfQuestion, best_gains, simulate, whatif_questions
from evaluations.services.assessment import scores_save
from evaluations.services.cycles import cycle_create, cycle_lock, cycle_set_assessors, questionnaire_import
from tests.conftest import CYCLE_2023, client_for, question_row

EARLY_LOCK = "Dikunci lebih awal untuk simulasi."
WEIGHTS = {
    "baseline": Decimal(10),
    "output": Decimal(20),
    "outcome": Decimal(30),
    "impact": Decimal(20),
    "quick_win": Decimal(20),
}
LENSES = list(WEIGHTS)
DIMENSIONS = ["governance", "branding", "economy", "living", "society", "environment"]


def q(pk: int, dimension: str, lens: str, score: str | None, weight: str = "1") -> WhatIfQuestion:
    return WhatIfQuestion(
        pk, f"Q-{pk:02d}", f"Question {pk}", dimension, dimension, lens, Decimal(weight), score and Decimal(score)
    )


def items(questions: list[WhatIfQuestion], scores: dict[int, Decimal] | None = None) -> list[ScoredItem]:
    """The independent reading: the same questions written out for compute_indices by hand."""
    scores = scores or {}
    return [ScoredItem(x.dimension, x.lens, x.weight, scores.get(x.pk, x.score)) for x in questions]


QUESTIONS = [
    q(1, "governance", "baseline", "3.60"),
    q(2, "governance", "output", "3", weight="2"),
    q(3, "governance", "outcome", None),
    q(4, "society", "impact", "2.50"),
    q(5, "society", "quick_win", "5"),
    q(6, "economy", "outcome", "4.50"),
    q(7, "economy", "baseline", "1"),
    q(8, "economy", "output", None, weight="3"),
]


# --- The computation ---------------------------------------------------------------------------------------


def test_simulated_indices_are_compute_indices_of_the_changed_data() -> None:
    changed_scores = {2: Decimal("4.25"), 3: Decimal(2), 99: Decimal(5)}  # 99: no such question, ignored
    new_weights = {"baseline": Decimal(20), "impact": Decimal(10)}
    sim = simulate(questions=QUESTIONS, weights=WEIGHTS, scores=changed_scores, new_weights=new_weights)
    expected_weights = {**WEIGHTS, "baseline": Decimal(20), "impact": Decimal(10)}
    expected = compute_indices(weights=expected_weights, items=items(QUESTIONS, {2: Decimal("4.25"), 3: Decimal(2)}))
    now = compute_indices(weights=WEIGHTS, items=items(QUESTIONS))
    assert sim.simulated.by_lens == expected.by_lens
    assert sim.simulated.by_dimension == expected.by_dimension
    assert sim.simulated.final == expected.final
    assert sim.current.final == now.final and sim.current.by_dimension == now.by_dimension
    assert sim.simulated.final != sim.current.final
    assert sim.changed_questions == {2, 3} and sim.changed


def test_an_unchanged_simulation_is_the_current_figures() -> None:
    sim = simulate(questions=QUESTIONS, weights=WEIGHTS, scores={1: Decimal("3.6")}, new_weights={})
    assert sim.simulated.final == sim.current.final
    assert not sim.changed


def test_each_gain_is_one_more_point_capped_at_five_and_unscored_counts_from_zero() -> None:
    gains = best_gains(questions=QUESTIONS, weights=WEIGHTS)
    base = compute_indices(weights=WEIGHTS, items=items(QUESTIONS)).final
    by_pk = {g.question.pk: g for g in gains}
    assert 5 not in by_pk  # already at 5: nothing to gain
    for question in QUESTIONS:
        if question.pk not in by_pk:
            continue
        gain = by_pk[question.pk]
        start = question.score if question.score is not None else Decimal(0)
        end = min(start + 1, Decimal(5))
        before = (
            base
            if question.score is not None
            else compute_indices(weights=WEIGHTS, items=items(QUESTIONS, {question.pk: start})).final
        )
        after = compute_indices(weights=WEIGHTS, items=items(QUESTIONS, {question.pk: end})).final
        assert (gain.score_from, gain.score_to) == (start, end)
        assert gain.final_after == after and gain.gain == after - before
    assert by_pk[6].score_to == Decimal(5)  # 4.50 + 1 capped
    assert by_pk[3].score_from == Decimal(0)  # unscored counts from 0
    assert [g.gain for g in gains] == sorted((g.gain for g in gains), reverse=True)
    assert all(g.gain > 0 for g in gains)


def test_only_the_ten_best_gains_are_listed() -> None:
    many = [q(i, DIMENSIONS[i % 6], LENSES[i % 5], str(i % 5), weight=str(1 + i % 3)) for i in range(1, 41)]
    gains = best_gains(questions=many, weights=WEIGHTS)
    assert len(gains) == 10
    everyone = best_gains(questions=many, weights=WEIGHTS, limit=100)
    assert gains == everyone[:10] and len(everyone) == 40


# --- The page ----------------------------------------------------------------------------------------------


@pytest.fixture
def scored(evaluation):
    """The fixture's cycle, locked early and scored: SG-B-01 3.60, SG-O-01 3; SS-I-01 left unscored."""
    w = evaluation.world
    cycle = cycle_lock(cycle=evaluation.cycle, by=w.coordinator, reason=EARLY_LOCK)
    scores_save(
        cycle=cycle,
        by=w.assessor,
        scores={evaluation.yes_no.question: (Decimal("3.6"), ""), evaluation.level.question: (Decimal(3), "")},
    )
    return evaluation


def url(ev) -> str:
    return reverse("evaluations:whatif", args=[ev.cycle.pk])


def test_the_results_page_links_to_the_simulation(scored) -> None:
    content = client_for(scored.world.coordinator).get(reverse("evaluations:results", args=[scored.cycle.pk]))
    assert url(scored) in content.content.decode()


def test_the_page_shows_the_simulated_figures_with_indonesian_commas(scored) -> None:
    ev = scored
    level, percentage = ev.level.question, ev.percentage.question
    data = {f"q_{level.pk}": "4,5", f"q_{percentage.pk}": "2,25", "w_baseline": "15", "w_impact": "15"}
    response = client_for(ev.world.coordinator).get(url(ev), data)
    assert response.status_code == 200 and not response.context["form"].errors
    sim = response.context["simulation"]
    cycle = EvaluationCycle.objects.get(pk=ev.cycle.pk)
    weights = {**cycle.weights, "baseline": Decimal(15), "impact": Decimal(15)}
    modified = [
        ScoredItem("governance", "baseline", Decimal(1), Decimal("3.6")),
        ScoredItem("governance", "output", Decimal(2), Decimal("4.5")),
        ScoredItem("society", "impact", Decimal(1), Decimal("2.25")),
    ]
    expected = compute_indices(weights=weights, items=modified)
    assert sim.simulated.final == expected.final
    assert sim.simulated.by_lens == expected.by_lens
    assert sim.simulated.by_dimension == expected.by_dimension
    # Now: governance (10·3.6 + 20·3)/30 = 3.2, final (10·3.6 + 20·3)/30 = 3.2 (impact unscored, left out).
    assert sim.current.final == Decimal("3.2")
    content = response.content.decode()
    final = expected.final.quantize(Decimal("0.01"))
    assert str(final).replace(".", ",") in content
    assert 'value="4,5"' in content  # what was typed is kept
    assert 'data-testid="gain-definition"' in content


def test_the_gains_on_the_page_come_from_the_current_scores(scored) -> None:
    response = client_for(scored.world.coordinator).get(url(scored), {f"q_{scored.level.question.pk}": "5"})
    gains = [gain for gain, _label in response.context["gains"]]
    codes = [g.question.code for g in gains]
    assert set(codes) == {"SG-B-01", "SG-O-01", "SS-I-01"}
    level = next(g for g in gains if g.question.code == "SG-O-01")
    assert (level.score_from, level.score_to) == (Decimal(3), Decimal(4))  # not the simulated 5


def test_the_simulation_never_writes(scored) -> None:
    ev = scored
    client = client_for(ev.world.coordinator)
    client.get(url(ev))  # the session is settled before we watch
    before = list(Score.objects.order_by("pk").values_list("pk", "question_id", "value", "scored_at"))
    cycle_before = EvaluationCycle.objects.filter(pk=ev.cycle.pk).values().get()
    data = {
        f"q_{ev.level.question.pk}": "1",
        f"q_{ev.percentage.question.pk}": "5",
        f"q_{ev.yes_no.question.pk}": "0",
        "w_baseline": "40",
        "w_output": "10",
        "w_outcome": "10",
        "w_impact": "20",
        "w_quick_win": "20",
    }
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url(ev), data)
    assert response.status_code == 200 and response.context["simulation"].changed
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert list(Score.objects.order_by("pk").values_list("pk", "question_id", "value", "scored_at")) == before
    assert EvaluationCycle.objects.filter(pk=ev.cycle.pk).values().get() == cycle_before
    assert client.post(url(ev), data).status_code == 405


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "0–9"),
        ("3,5,5", "0–9"),
        ("5.001", "5"),
        ("5,001", "5"),
        ("-1", "0"),
        ("1e9", "0–9"),
        ("9" * 40, "5"),
        ("²", "0–9"),
    ],
)
def test_a_bad_score_is_refused_next_to_its_field_and_kept(scored, typed: str, message: str) -> None:
    field = f"q_{scored.level.question.pk}"
    response = client_for(scored.world.coordinator).get(url(scored), {field: typed})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message in " ".join(form.errors[field])
    content = response.content.decode()
    assert f'data-testid="error-{field}"' in content
    assert f'value="{typed}"' in content
    # The simulation falls back to the figures as they are.
    assert response.context["simulation"].simulated.final == response.context["simulation"].current.final


def test_nul_in_the_address_is_a_clear_400_before_the_form_is_read(scored) -> None:
    # The site's middleware answers any query string holding NUL with a 400 and a message (PostgreSQL refuses NUL
    # in text); the simulation's GET form inherits that, so a NUL never reaches the field, and never a 500.
    response = client_for(scored.world.coordinator).get(url(scored), {f"q_{scored.level.question.pk}": "\x00"})
    assert response.status_code == 400 and "NUL" in response.content.decode()


def test_weights_that_do_not_add_up_to_100_are_refused_next_to_the_field(scored) -> None:
    response = client_for(scored.world.coordinator).get(url(scored), {"w_baseline": "30", "w_output": "25,5"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "w_quick_win" in form.errors and "100" in form.errors["w_quick_win"][0]
    assert "125,5" in form.errors["w_quick_win"][0]  # 30 + 25,5 + 30 + 20 + 20
    content = response.content.decode()
    assert 'data-testid="error-w_quick_win"' in content and 'value="25,5"' in content


@pytest.mark.parametrize("typed", ["abc", "1e9", "-1", "101", "1000000000", "٥"])
def test_a_bad_weight_is_refused_next_to_its_field(scored, typed: str) -> None:
    response = client_for(scored.world.coordinator).get(url(scored), {"w_output": typed})
    assert response.status_code == 200
    assert "w_output" in response.context["form"].errors


def test_scores_for_unknown_or_huge_question_ids_are_left_out_with_a_notice(scored) -> None:
    data = {f"q_{2**64 + 1}": "3", "q_99999999": "4", "q_abc": "1", f"q_{scored.level.question.pk}": "4"}
    response = client_for(scored.world.coordinator).get(url(scored), data)
    assert response.status_code == 200 and not response.context["form"].errors
    assert 'data-testid="whatif-ignored"' in response.content.decode()
    assert response.context["simulation"].changed_questions == {scored.level.question.pk}


def test_the_assessor_of_the_locked_cycle_may_simulate_and_skpd_staff_may_not(scored) -> None:
    w = scored.world
    assert client_for(w.assessor).get(url(scored)).status_code == 200
    assert client_for(w.operator_a).get(url(scored)).status_code == 403
    assert client_for(w.outsider).get(url(scored)).status_code == 404
    scored.cycle.assessors.clear()
    assert client_for(w.assessor).get(url(scored)).status_code == 404


def test_a_cycle_without_questionnaire_shows_an_empty_simulation(world) -> None:
    cycle = cycle_create(region=world.region, by=world.coordinator, data={**CYCLE_2023, "stage": "Tahap II"})
    response = client_for(world.coordinator).get(reverse("evaluations:whatif", args=[cycle.pk]))
    assert response.status_code == 200 and response.context["gains"] == []


def _scored_cycle(world, n: int) -> EvaluationCycle:
    cycle = cycle_create(region=world.region, by=world.coordinator, data={**CYCLE_2023, "stage": f"Uji {n}"})
    rows = [question_row(f"Q-{i:03d}", DIMENSIONS[i % 6], LENSES[i % 5], "number") for i in range(n)]
    questionnaire = questionnaire_import(cycle=cycle, by=world.coordinator, rows=rows, name=f"Uji {n}")
    cycle_set_assessors(cycle=cycle, by=world.coordinator, assessors=[world.assessor])
    cycle = cycle_lock(cycle=cycle, by=world.coordinator, reason=EARLY_LOCK)
    questions = list(questionnaire.questions.order_by("code"))
    scores_save(
        cycle=cycle, by=world.assessor, scores={x: (Decimal(i % 6), "") for i, x in enumerate(questions) if i % 4}
    )
    return cycle


def test_the_page_runs_a_fixed_number_of_queries(world) -> None:
    counts = []
    for n in (3, 40):
        cycle = _scored_cycle(world, n)
        pks = list(whatif_questions(cycle))[:3]
        data = {f"q_{x.pk}": "2,5" for x in pks} | {"w_baseline": "20", "w_quick_win": "10"}
        client = client_for(world.coordinator)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("evaluations:whatif", args=[cycle.pk]), data)
        assert response.status_code == 200 and not response.context["form"].errors
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 12, counts
