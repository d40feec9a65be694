"""Reads for the evaluation, by capability: `answers` (lists and one answer), `cycle_readiness` (what stops a
lock), `results` (indices beside last year's, and the assessor's rows). The names below are the ones the views,
services and tests use."""

from __future__ import annotations

from evaluations.selectors.answers import (
    answer_detail_queryset,
    answer_rows,
    cycles_for,
    group_by_dimension,
)
from evaluations.selectors.cycle_readiness import (
    PROBLEMS,
    RED,
    Cause,
    Problem,
    Readiness,
    ReadinessEntry,
    ReadinessItem,
    ReadinessLine,
    readiness,
    readiness_item_rows,
    readiness_items,
)
from evaluations.selectors.results import (
    AssessmentRow,
    assessment_progress,
    assessment_rows,
    changed_since_scored,
    cycle_indices,
    headline,
    previous_cycle,
)

__all__ = [
    "PROBLEMS",
    "RED",
    "AssessmentRow",
    "Cause",
    "Problem",
    "Readiness",
    "ReadinessEntry",
    "ReadinessItem",
    "ReadinessLine",
    "answer_detail_queryset",
    "answer_rows",
    "assessment_progress",
    "assessment_rows",
    "changed_since_scored",
    "cycle_indices",
    "cycles_for",
    "group_by_dimension",
    "headline",
    "previous_cycle",
    "readiness",
    "readiness_item_rows",
    "readiness_items",
]
