"""Reads for the evidence library."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import reduce
from operator import add
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet, Value
from django.utils import timezone

from agencies.models import Agency, Region
from agencies.permissions import User, visible
from common.queries import related_count
from evidence import registry
from evidence.models import Evidence


def _use_count() -> Any:
    """How many registered links (report, answer, …) cite the row: one correlated count per link model."""
    counts = [related_count(link.model, link.evidence_field) for link in registry.registered()]
    return reduce(add, counts) if counts else Value(0)


def evidence_library(*, user: User, region: Region) -> QuerySet[Evidence]:
    """Library entries the user may see, with their file and how many reports and answers use them."""
    return (
        visible(user, Evidence.objects.filter(agency__region=region))
        .select_related("stored_file", "agency")
        .annotate(use_count=_use_count())
        .order_by("-created_at", "-pk")
    )


def agency_library(agency: Agency) -> QuerySet[Evidence]:
    """One agency's entries, for the evidence choices of its report and answer forms."""
    return Evidence.objects.filter(agency=agency).select_related("stored_file").order_by("title")


def filter_library(
    queryset: QuerySet[Evidence], *, q: str = "", kind: str = "", validity: str = ""
) -> QuerySet[Evidence]:
    if q:
        queryset = queryset.filter(
            Q(title__icontains=q)
            | Q(document_number__icontains=q)
            | Q(issuer__icontains=q)
            | Q(original_name__icontains=q)
        )
    if kind:
        queryset = queryset.filter(kind=kind)
    today = timezone.localdate()
    if validity == "expired":
        queryset = queryset.filter(valid_until__lt=today)
    elif validity == "valid":
        queryset = queryset.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
    return queryset


@dataclass(frozen=True)
class Use:
    """One object that cites a library entry, as the entry's "Used in" list shows it."""

    label: str  # what it is: "Progress report", "Evaluation answer"
    text: str  # which one
    url: str


def evidence_uses(*, user: User, evidence: Evidence) -> list[Use]:
    """Every registered use of the entry that the user may see.

    One query per registered link model (owners named by a path are filtered by the permission policy in the same
    query), plus one per owner model for links whose owner comes from a callable.
    """
    uses: list[Use] = []
    for link in registry.registered():
        links = link.links_to(evidence).select_related(*link.select_related).order_by("-pk")
        owner_model = link.owner_model
        if isinstance(link.owner_of, str) and owner_model is not None:
            links = links.filter(**{f"{link.owner_of}__in": visible(user, owner_model._default_manager.all())})
            owners = [link.owner(row) for row in links]
        else:
            owners = _visible_only(user, [link.owner(row) for row in links])
        uses += [Use(str(link.label), link.describe(owner), owner.get_absolute_url()) for owner in owners]
    return uses


def _visible_only(user: User, owners: list[models.Model]) -> list[models.Model]:
    by_model: dict[type[models.Model], set[Any]] = defaultdict(set)
    for owner in owners:
        by_model[type(owner)].add(owner.pk)
    allowed = {
        (model, pk)
        for model, pks in by_model.items()
        for pk in visible(user, model._default_manager.filter(pk__in=pks)).values_list("pk", flat=True)
    }
    return [owner for owner in owners if (type(owner), owner.pk) in allowed]
