"""Reads for the evaluation: questionnaires by dimension, the readiness check, results with last year's."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from agencies.models import Region
from agencies.permissions import User, visible
from evaluations.models import Answer, AnswerEvidence, Assignment, EvaluationCycle, Lens, Question, Score
from evaluations.scoring import Indices, ScoredItem, compute_indices
from masterplan.models import Dimension, Evidence
from smartcity.lib.queries import related_count


def cycles_for(*, user: User, region: Region) -> QuerySet[EvaluationCycle]:
    return visible(user, EvaluationCycle.objects.filter(region=region)).select_related("questionnaire")


def _with_evidence_count(answers: QuerySet[Answer]) -> QuerySet[Answer]:
    return answers.annotate(evidence_count=related_count(AnswerEvidence, "answer"))


def answer_rows(*, user: User, cycle: EvaluationCycle) -> QuerySet[Answer]:
    """The cycle's answers the user may see, with what a list row shows (constant queries)."""
    deadlines = Assignment.objects.filter(cycle=cycle, question=OuterRef("question")).values("deadline")[:1]
    return _with_evidence_count(
        visible(user, Answer.objects.filter(cycle=cycle))
        .select_related("question__dimension", "question__element", "agency", "carried_from__cycle")
        .annotate(deadline=Subquery(deadlines))
        .order_by("question__dimension__order", "question__order", "question__code")
    )


def group_by_dimension(answers: list[Answer]) -> list[tuple[Dimension, list[Answer]]]:
    groups: dict[int, tuple[Dimension, list[Answer]]] = {}
    for answer in answers:
        dimension = answer.question.dimension
        groups.setdefault(dimension.pk, (dimension, []))[1].append(answer)
    return sorted(groups.values(), key=lambda pair: pair[0].order)


def answer_detail_queryset() -> QuerySet[Answer]:
    return Answer.objects.select_related(
        "cycle__region", "question__dimension", "question__element", "agency", "carried_from__cycle", "verified_by"
    ).prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("stored_file").order_by("title")))


# --- Readiness --------------------------------------------------------------------------------------------

PROBLEMS = ("unanswered", "missing_evidence", "expired_evidence", "not_verified", "overdue")
RED = {"unanswered", "missing_evidence", "overdue"}


@dataclass
class ReadinessLine:
    label: str
    key: str  # agency acronym or dimension code
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PROBLEMS, 0))
    items: list[tuple[str, Answer]] = field(default_factory=list)
    total: int = 0

    @property
    def light(self) -> str:
        if any(self.counts[p] for p in RED):
            return "red"
        if any(self.counts.values()):
            return "yellow"
        return "green"


@dataclass
class Readiness:
    by_agency: list[ReadinessLine]
    by_dimension: list[ReadinessLine]
    unassigned: int

    @property
    def light(self) -> str:
        lights = {line.light for line in self.by_agency}
        if self.unassigned or "red" in lights:
            return "red"
        return "yellow" if "yellow" in lights else "green"


def readiness(*, cycle: EvaluationCycle, today: dt.date) -> Readiness:
    """Per SKPD and per dimension: what still stops the cycle from being ready to lock (five queries)."""
    answers = list(
        Answer.objects.filter(cycle=cycle).select_related("question__dimension", "agency")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.only("id", "valid_until")))
        .order_by("agency__acronym", "question__dimension__order", "question__order", "question__code")
    )  # fmt: skip
    deadlines = dict(Assignment.objects.filter(cycle=cycle).values_list("question_id", "deadline"))
    reference = cycle.meeting_date or today
    agencies: dict[str, ReadinessLine] = {}
    dimensions: dict[str, ReadinessLine] = {}
    for answer in answers:
        found = []
        if not answer.has_value:
            found.append("unanswered")
        evidence = list(answer.evidence.all())
        if answer.question.evidence_required and not evidence:
            found.append("missing_evidence")
        if any(e.valid_until is not None and e.valid_until < reference for e in evidence):
            found.append("expired_evidence")
        if answer.status != Answer.Status.VERIFIED:
            found.append("not_verified")
        deadline = deadlines.get(answer.question_id)
        if deadline is not None and deadline < today and answer.status in Answer.EDITABLE:
            found.append("overdue")
        dimension = answer.question.dimension
        lines = (
            agencies.setdefault(answer.agency.acronym, ReadinessLine(answer.agency.name, answer.agency.acronym)),
            dimensions.setdefault(dimension.code, ReadinessLine(dimension.name, dimension.code)),
        )
        for line in lines:
            line.total += 1
            for problem in found:
                line.counts[problem] += 1
                line.items.append((problem, answer))
    unassigned = 0
    if cycle.questionnaire_id:
        unassigned = cycle.questionnaire.questions.exclude(pk__in=[a.question_id for a in answers]).count()
    order = {d.code: d.order for d in Dimension.objects.all()}
    return Readiness(
        by_agency=sorted(agencies.values(), key=lambda line: line.key),
        by_dimension=sorted(dimensions.values(), key=lambda line: order.get(line.key, 0)),
        unassigned=unassigned,
    )


# --- Results ----------------------------------------------------------------------------------------------


@dataclass
class Results:
    computed: Indices
    official: dict[str, Decimal | None] | None  # final and per lens/dimension from the result letter


def cycle_indices(cycle: EvaluationCycle) -> Indices:
    """The indices from the assessors' scores (two queries)."""
    if cycle.questionnaire_id is None:
        return compute_indices(weights=cycle.weights, items=[])
    scores = dict(Score.objects.filter(cycle=cycle).values_list("question_id", "value"))
    questions = Question.objects.filter(questionnaire_id=cycle.questionnaire_id).select_related("dimension")
    items = [ScoredItem(q.dimension.code, q.lens, q.weight, scores.get(q.pk)) for q in questions]
    return compute_indices(weights=cycle.weights, items=items)


def previous_cycle(cycle: EvaluationCycle) -> EvaluationCycle | None:
    """Last year's comparable cycle: the one carried from, else the region's latest earlier one."""
    if cycle.previous_id:
        return cycle.previous
    return EvaluationCycle.objects.filter(region=cycle.region, year__lt=cycle.year).order_by("-year", "-pk").first()


def headline(cycle: EvaluationCycle) -> dict[str, object]:
    """Final, per-lens and per-dimension figures of a cycle: the official letter's where entered."""
    official = getattr(cycle, "official_result", None)
    computed = cycle_indices(cycle)
    if official is not None:
        return {
            "source": "official",
            "final": official.final_index,
            "by_lens": {lens: _dec(official.lens_indices.get(lens)) for lens in Lens.values},
            "by_dimension": {k: _dec(v) for k, v in official.dimension_indices.items()},
            "computed": computed,
        }
    return {"source": "computed", "final": computed.final, "by_lens": computed.by_lens,
            "by_dimension": computed.by_dimension, "computed": computed}  # fmt: skip


def _dec(value: object) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def assessment_rows(cycle: EvaluationCycle, dimension: Dimension) -> list[tuple[Question, Answer | None, Score | None]]:
    """The questions of one dimension with their answer (and evidence) and current score (four queries)."""
    questions = list(
        Question.objects.filter(questionnaire_id=cycle.questionnaire_id, dimension=dimension)
        .select_related("element").order_by("order", "code")
    )  # fmt: skip
    answers = {
        a.question_id: a for a in Answer.objects.filter(cycle=cycle, question__in=questions).select_related("agency")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("stored_file")))
    }  # fmt: skip
    scores = {s.question_id: s for s in Score.objects.filter(cycle=cycle, question__in=questions)}
    for question in questions:
        if question.pk in answers:
            answers[question.pk].question = question  # the templates read the kind through the answer
    return [(q, answers.get(q.pk), scores.get(q.pk)) for q in questions]


def assessment_progress(cycle: EvaluationCycle) -> dict[str, tuple[int, int]]:
    """{dimension code: (scored, total)} for the assessor's overview."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    scored = set(Score.objects.filter(cycle=cycle).values_list("question_id", flat=True))
    for pk, code in Question.objects.filter(questionnaire_id=cycle.questionnaire_id).values_list(
        "pk", "dimension__code"
    ):
        totals[code][1] += 1
        totals[code][0] += pk in scored
    return {code: (s, t) for code, (s, t) in totals.items()}
