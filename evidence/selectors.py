"""Reads for the evidence library."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from agencies.models import Agency, Region
from agencies.permissions import User, visible
from evidence import registry
from evidence.models import Evidence


def evidence_library(*, user: User, region: Region) -> QuerySet[Evidence]:
    """Library entries the user may see, newest first, with their file; paginate, then `with_use_counts`.

    No use count is annotated here, so the database reads the page from an index and stops at LIMIT instead of
    joining and sorting every entry of the region (bench/README.md, "Query plans": 6.9 → 0.2 ms at 4,590).
    """
    return (
        visible(user, Evidence.objects.filter(region=region))
        .select_related("stored_file", "agency")
        .order_by("-created_at", "-pk")
    )


def with_use_counts(entries: Iterable[Evidence]) -> list[Evidence]:
    """The entries with `use_count` set: how many registered links (report, answer, …) cite each.

    One grouped query per registered link model over the given entries' ids only, so a page of 25 costs the
    same whatever the size of the library.
    """
    rows = list(entries)
    ids = [row.pk for row in rows]
    counts: Counter[int] = Counter()
    if ids:
        for link in registry.registered():
            field = link.evidence_field
            per_entry = (
                link.model._default_manager.filter(**{f"{field}__in": ids})
                .order_by()
                .values_list(field)
                .annotate(n=Count("pk"))
            )
            counts.update(dict(per_entry))
    for row in rows:
        row.use_count = counts[row.pk]  # type: ignore[attr-defined]
    return rows


def attachable_evidence(*, user: User, agency: Agency) -> QuerySet[Evidence]:
    """What the user may attach to a report, answer or task of `agency`: that agency's library as the one policy
    lets the user see it. The evidence picker offers it and the evidence field accepts nothing else."""
    return visible(user, Evidence.objects.filter(agency=agency)).select_related("stored_file").order_by("title", "pk")


def evidence_picker_results(
    library: QuerySet[Evidence], *, q: str = "", kind: str = "", exclude: Iterable[int] = ()
) -> QuerySet[Evidence]:
    """The entries of `library` the picker lists under its search: matching `q` (title, number, issuer, file
    name) and `kind`, without those already chosen, newest first (what was just uploaded is what is looked for)."""
    return filter_library(library.exclude(pk__in=list(exclude)), q=q, kind=kind).order_by("-created_at", "-pk")


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
