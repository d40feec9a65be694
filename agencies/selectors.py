"""Reads for agencies, already scoped to the asking user by the permission policy."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower

from agencies.models import Agency, Membership, Region
from agencies.permissions import User, visible


def agency_list(*, user: User, region: Region) -> QuerySet[Agency]:
    """Agencies of `region` the user may see, active ones first."""
    return visible(user, Agency.objects.filter(region=region)).order_by("-is_active", "name")


def agency_choices(*, region: Region, include_inactive: bool = False) -> QuerySet[Agency]:
    """Agencies to offer in a form (inactive ones only where history needs them).

    Every choice list shows an agency by its acronym first ("DINKES" or "DINKES — Dinas Kesehatan"), so they
    are ordered by it, whatever the case it was typed in, for a reader scanning the list alphabetically.
    """
    qs = Agency.objects.filter(region=region)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by(Lower("acronym"), "acronym", "name")


def region_accounts(*, region: Region) -> QuerySet[Any]:
    """The active accounts with an active role in `region` that a coordinator looks after (administrators'
    accounts are the Django admin's business)."""
    members = Membership.objects.filter(region=region, is_active=True).values("user")
    return get_user_model().objects.filter(pk__in=members, is_active=True, is_staff=False, is_superuser=False)


def region_people(*, user: User, region: Region) -> QuerySet[Any]:
    """`region_accounts` the user may see, by name, each with its roles in the region as `region_roles`."""
    roles = Membership.objects.filter(region=region, is_active=True).select_related("agency").order_by("role")
    return (
        visible(user, region_accounts(region=region))
        .prefetch_related(Prefetch("memberships", queryset=roles, to_attr="region_roles"))
        .order_by("first_name", "last_name", "username")
    )
