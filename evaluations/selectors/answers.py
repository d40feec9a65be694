"""Reads of a cycle's answers: the cycles a user sees, an answer list's rows, one answer with its evidence."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from agencies.models import Region
from agencies.permissions import User, visible
from common.queries import related_count
from evaluations.models import Answer, AnswerEvidence, Assignment, EvaluationCycle
from evidence.models import Evidence
from masterplan.models import Dimension


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
