"""Reads for agencies, already scoped to the asking user by the permission policy."""

from __future__ import annotations

from django.db.models import QuerySet

from agencies.models import Agency, Region
from agencies.permissions import User, visible


def agency_list(*, user: User, region: Region) -> QuerySet[Agency]:
    """Agencies of `region` the user may see, active ones first."""
    return visible(user, Agency.objects.filter(region=region)).order_by("-is_active", "name")


def agency_choices(*, region: Region, include_inactive: bool = False) -> QuerySet[Agency]:
    """Agencies to offer in a form (inactive ones only where history needs them)."""
    qs = Agency.objects.filter(region=region)
    return qs.order_by("name") if include_inactive else qs.filter(is_active=True).order_by("name")
