"""Writes for regions, agencies and memberships: validated, in one transaction, audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from agencies.actions import AgencyAction
from agencies.audit import apply_changes, audit_record, snapshot
from agencies.models import Agency, AuditEvent, Membership, NationalStaff, Region
from agencies.tasks import deliver_password_reset

AGENCY_FIELDS = ("name", "acronym", "kind", "email", "phone", "is_active", "predecessor")


@transaction.atomic
def region_create(*, by: AbstractBaseUser | None, **fields: Any) -> Region:
    region = Region(**fields)
    region.full_clean()
    region.save()
    audit_record(
        actor=by,
        action=AgencyAction.REGION_CREATED,
        target=region,
        region=region,
        changes=snapshot(region, fields.keys()),
    )
    return region


@transaction.atomic
def agency_create(*, by: AbstractBaseUser | None, region: Region, **fields: Any) -> Agency:
    agency = Agency(region=region, **fields)
    agency.full_clean()
    agency.save()
    audit_record(
        actor=by,
        action=AgencyAction.AGENCY_CREATED,
        target=agency,
        region=region,
        changes=snapshot(agency, fields.keys()),
    )
    return agency


@transaction.atomic
def agency_update(*, agency: Agency, by: AbstractBaseUser | None, data: dict[str, Any]) -> Agency:
    changes = apply_changes(agency, {k: v for k, v in data.items() if k in AGENCY_FIELDS})
    if changes:
        agency.full_clean()
        agency.save()
        audit_record(actor=by, action=AgencyAction.AGENCY_UPDATED, target=agency, region=agency.region, changes=changes)
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
        audit_record(actor=by, action=AgencyAction.MEMBERSHIP_GRANTED, target=membership, region=region)
    elif not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
        audit_record(actor=by, action=AgencyAction.MEMBERSHIP_REACTIVATED, target=membership, region=region)
    return membership


@transaction.atomic
def membership_revoke(*, by: AbstractBaseUser | None, membership: Membership) -> None:
    if membership.is_active:
        membership.is_active = False
        membership.save(update_fields=["is_active"])
        audit_record(actor=by, action=AgencyAction.MEMBERSHIP_REVOKED, target=membership, region=membership.region)


@transaction.atomic
def national_staff_grant(*, by: AbstractBaseUser | None, user: AbstractBaseUser, unit: str = "") -> NationalStaff:
    """Make `user` national programme staff (idempotent: an inactive row is reactivated, not duplicated)."""
    staff = NationalStaff.objects.select_for_update().filter(user=user).first()
    if staff is None:
        staff = NationalStaff(user=user, unit=unit)
        staff.full_clean()
        staff.save()
        audit_record(actor=by, action=AgencyAction.NATIONAL_GRANTED, target=staff, changes=snapshot(staff, ["unit"]))
    elif not staff.is_active:
        staff.is_active = True
        staff.save(update_fields=["is_active"])
        audit_record(actor=by, action=AgencyAction.NATIONAL_GRANTED, target=staff, changes={"is_active": [False, True]})
    return staff


@transaction.atomic
def national_staff_revoke(*, by: AbstractBaseUser | None, staff: NationalStaff) -> None:
    staff = NationalStaff.objects.select_for_update().get(pk=staff.pk)  # two revokes at once log one event
    if staff.is_active:
        staff.is_active = False
        staff.save(update_fields=["is_active"])
        audit_record(actor=by, action=AgencyAction.NATIONAL_REVOKED, target=staff, changes={"is_active": [True, False]})


# --- Accounts: password reset and change. -------------------------------------------------------------------
# The audit log doubles as the reset throttle: every request leaves an event anyway, it is shared by every
# app server (a per-process cache would not be), and it shows administrators who asked how often.

RESET_WINDOW = dt.timedelta(hours=1)


def reset_address_key(email: str) -> str:
    """A keyed digest of an address: requests are counted per address without keeping an address somebody
    merely typed (an unknown one may be anyone's)."""
    return salted_hmac("smartcity.password-reset-address", email.strip().lower()).hexdigest()[:32]


@transaction.atomic
def password_reset_request(*, email: str, ip: str | None) -> bool:
    """Mail a link to set a new password to the active accounts with `email`, unless that address or `ip` asked
    too often in the last hour. Returns whether it went through; the page answers the same either way."""
    key = reset_address_key(email)
    recent = AuditEvent.objects.filter(created_at__gte=timezone.now() - RESET_WINDOW)
    too_many = recent.filter(action=AgencyAction.PASSWORD_RESET_REQUESTED, changes__address=key).count() >= (
        settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    )
    if not too_many and ip:
        from_ip = recent.filter(
            action__in=(AgencyAction.PASSWORD_RESET_REQUESTED, AgencyAction.PASSWORD_RESET_THROTTLED), ip_address=ip
        ).count()
        too_many = from_ip >= settings.PASSWORD_RESET_LIMIT_PER_IP
    if too_many:
        audit_record(actor=None, action=AgencyAction.PASSWORD_RESET_THROTTLED, changes={"address": key})
        return False
    # Django's PasswordResetForm rule: active accounts that have a password (none is set for a disabled login).
    accounts = [
        user
        for user in get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).order_by("pk")
        if user.has_usable_password()
    ]
    changes: dict[str, Any] = {"address": key}
    if len(accounts) > 1:
        changes["accounts"] = [user.get_username() for user in accounts]
    audit_record(
        actor=None,
        action=AgencyAction.PASSWORD_RESET_REQUESTED,
        target=accounts[0] if accounts else None,
        changes=changes,
    )
    user_ids = [user.pk for user in accounts]
    # Queued whether or not an account matched, so both answers cost the request the same work; the worker
    # builds and sends the mail.
    transaction.on_commit(lambda: deliver_password_reset.enqueue(user_ids=user_ids))
    return True


@transaction.atomic
def password_reset_send(*, user: AbstractBaseUser, by: AbstractBaseUser, region: Region | None = None) -> None:
    """A coordinator or administrator sends `user` a link to set a new password (never the password itself)."""
    if not user.is_active:
        raise ValidationError(_("%(name)s's account is deactivated.") % {"name": user.get_username()})
    if not getattr(user, "email", ""):
        raise ValidationError(_("%(name)s has no e-mail address to send the link to.") % {"name": user.get_username()})
    audit_record(actor=by, action=AgencyAction.PASSWORD_RESET_SENT, target=user, region=region)
    sent_by = by.get_full_name() or by.get_username()  # type: ignore[attr-defined]
    transaction.on_commit(lambda: deliver_password_reset.enqueue(user_ids=[user.pk], sent_by=sent_by))


@transaction.atomic
def password_reset_complete(*, user: AbstractBaseUser, password: str, ip: str | None) -> None:
    """Set the password chosen through a reset link (already validated by the form)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action=AgencyAction.PASSWORD_RESET_COMPLETED, target=user)
    # The lock-out page tells a locked-out person to reset their password: the new one lifts the pause of
    # this (username, address) pair, and only that one, so someone guessing from elsewhere stays paused.
    if ip:
        axes_reset(ip=ip, username=user.get_username())


@transaction.atomic
def password_change(*, user: AbstractBaseUser, password: str) -> None:
    """Set the user's own new password (already validated by the form)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action=AgencyAction.PASSWORD_CHANGED, target=user)
