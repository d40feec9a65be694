"""The evaluation views' objects through the one policy, as `@requires(action, fetch=...)` hands them over."""

from __future__ import annotations

from agencies.permissions import VIEW, User, get_for_user
from evaluations.models import Answer, EvaluationCycle
from evaluations.selectors import answer_detail_queryset


def get_cycle_for_user(user: User, pk: int, action: str = VIEW) -> EvaluationCycle:
    return get_for_user(user, EvaluationCycle.objects.select_related("region", "questionnaire"), action, pk=pk)


def get_answer_for_user(user: User, pk: int, action: str = VIEW) -> Answer:
    return get_for_user(user, answer_detail_queryset(), action, pk=pk)
