"""Writes for regions, agencies and memberships: validated, in one transaction, audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from agencies.audit import apply_changes, audit_record, snapshot
from agencies.models import Agency, Membership, Region

AGENCY_FIELDS = ("name", "acronym", "kind", "email", "is_active", "predecessor")


@transaction.atomic
def region_create(*, by: AbstractBaseUser | None, **fields: Any) -> Region:
    region = Region(**fields)
    region.full_clean()
    region.save()
    audit_record(
        actor=by, action="region.created", target=region, region=region, changes=snapshot(region, fields.keys())
    )
    return region


@transaction.atomic
def agency_create(*, by: AbstractBaseUser | None, region: Region, **fields: Any) -> Agency:
    agency = Agency(region=region, **fields)
    agency.full_clean()
    agency.save()
    audit_record(
        actor=by, action="agency.created", target=agency, region=region, changes=snapshot(agency, fields.keys())
    )
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, by: AbstractBaseUser | None, data: dict[str, Any]) -> Agency:
    changes = apply_changes(agency, {k: v for k, v in data.items() if k in AGENCY_FIELDS})
    if changes:
        agency.full_clean()
        agency.save()
        audit_record(actor=by, action="agency.updated", target=agency, region=agency.region, changes=changes)
    return agency


@transaction.atomic
def membership_grant(
    *, by: AbstractBaseUser | None, user: AbstractBaseUser, region: Region, role: str, agency: Agency | None = None
) -> Membership:
    """Give `user` a role (idempotent: an existing membership is reactivated, not duplicated)."""
    membership = Membership.objects.filter(user=user, region=region, agency=agency, role=role).first()
    if membership is None:
        membership = Membership(user=user, region=region, agency=agency, role=role)
        membership.full_clean()
        membership.save()
        audit_record(actor=by, action="membership.granted", target=membership, region=region)
    elif not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        audit_record(actor=by, action="membership.reactivated", target=membership, region=region)
    return membership


@transaction.atomic
def membership_revoke(*, by: AbstractBaseUser | None, membership: Membership) -> None:
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(actor=by, action="membership.revoked", target=membership, region=membership.region)
