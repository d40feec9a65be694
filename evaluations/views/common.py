"""Helpers every evaluation view uses to fetch objects through the one policy."""

from __future__ import annotations

from django.http import HttpRequest

from agencies.permissions import VIEW, get_for_user
from evaluations.models import Answer, EvaluationCycle
from evaluations.selectors import answer_detail_queryset


def get_cycle(request: HttpRequest, pk: int, action: str = VIEW) -> EvaluationCycle:
    return get_for_user(request.user, EvaluationCycle.objects.select_related("region", "questionnaire"), action, pk=pk)


def get_answer(request: HttpRequest, pk: int, action: str = VIEW) -> Answer:
    return get_for_user(request.user, answer_detail_queryset(), action, pk=pk)
