"""Helpers every evaluation view uses to fetch objects through the one policy."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from agencies.permissions import CHANGE, CREATE, VIEW, can_in_region, get_for_user
from evaluations.models import Answer, EvaluationCycle
from evaluations.selectors import answer_detail_queryset


def get_cycle(request: HttpRequest, pk: int, action: str = VIEW) -> EvaluationCycle:
    return get_for_user(request.user, EvaluationCycle.objects.select_related("region", "questionnaire"), action, pk=pk)


def get_answer(request: HttpRequest, pk: int, action: str = VIEW) -> Answer:
    return get_for_user(request.user, answer_detail_queryset(), action, pk=pk)


def coordinator_cycle(request: HttpRequest, pk: int) -> EvaluationCycle:
    """A cycle DKISP's coordinator manages: 404 for another region's, 403 for anyone else."""
    return get_cycle(request, pk, CHANGE)


def require_coordinator(request: HttpRequest) -> None:
    """For the pages about no one cycle (the list, a new cycle, the empty template)."""
    if not can_in_region(request.user, CREATE, EvaluationCycle, request.region):
        raise PermissionDenied
