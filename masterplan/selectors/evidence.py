"""Reads for the evidence library."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from agencies.models import Region
from agencies.permissions import User, visible
from masterplan.models import Evidence, ProgressReport


def evidence_library(*, user: User, region: Region) -> QuerySet[Evidence]:
    """Library entries the user may see, with their file and how many reports use them."""
    return (
        visible(user, Evidence.objects.filter(agency__region=region))
        .select_related("stored_file", "agency")
        .annotate(use_count=Count("report_links", distinct=True))
        .order_by("-created_at", "-pk")
    )


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


def evidence_uses(*, user: User, evidence: Evidence) -> QuerySet[ProgressReport]:
    """The reports that cite this evidence (only those the user may see)."""
    return (
        visible(user, ProgressReport.objects.filter(evidence_links__evidence=evidence))
        .select_related("programme", "agency")
        .order_by("-year", "-period")
    )
