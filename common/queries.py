"""Query helpers shared by the selectors."""

from __future__ import annotations

from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce


def related_count(model: type[models.Model], fk: str) -> Coalesce:
    """How many `model` rows point at the outer row through `fk`, as a correlated subquery.

    Unlike annotate(Count(...)) over a JOIN, the database counts only for the rows of the page it returns,
    instead of grouping every matching row first (bench/review_queue.py: 69 → 23 ms at 6,000 reports).
    """
    counts = model.objects.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts), 0)
