"""The region, its SKPDs, the demo logins and the masterplan with its programmes, indicators and targets."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models

from agencies.actions import AgencyAction
from agencies.audit import apply_changes, audit_record, snapshot
from agencies.models import Agency, Membership, NationalStaff, Region
from agencies.services import agency_create, agency_update, membership_grant, national_staff_grant, region_create
from masterplan.models import Element, Indicator, Masterplan, Programme
from masterplan.services import (
    indicator_create,
    indicator_update,
    masterplan_create,
    masterplan_update,
    programme_create,
    programme_update,
)
from smartcity.demo.loader.progress import Progress
from smartcity.demo.people import AGENCIES, DEMO_PASSWORD, NATIONAL_UNIT, REGION, USERS, UserSpec
from smartcity.demo.programmes import BASELINE_YEAR, MASTERPLAN, PROGRAMMES, ProgrammeSpec


def load_region(progress: Progress) -> Region:
    region = Region.objects.filter(bps_code=REGION["bps_code"]).first()
    if region is None:
        region = region_create(by=None, **REGION)
        progress.created("regions", region)
    return region


def load_agencies(progress: Progress, region: Region) -> dict[str, Agency]:
    agencies = {a.acronym: a for a in Agency.objects.filter(region=region).select_related("predecessor")}
    for spec in AGENCIES:
        data: dict[str, Any] = {
            "name": spec.name,
            "kind": spec.kind,
            "email": spec.email,
            "phone": spec.phone,
            "is_active": spec.is_active,
            "predecessor": agencies[spec.predecessor] if spec.predecessor else None,
        }
        agency = agencies.get(spec.acronym)
        if agency is None:
            agencies[spec.acronym] = agency_create(by=None, region=region, acronym=spec.acronym, **data)
            progress.created("agencies", spec.acronym)
        elif _differs(agency, data):
            agency_update(agency=agency, by=None, data=data)
            progress.updated(agency)
    return agencies


def load_users(
    progress: Progress, region: Region, agencies: dict[str, Agency], specs: Sequence[UserSpec] = USERS
) -> None:
    user_model = get_user_model()
    for spec in specs:
        profile = {
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": spec.email,
            "is_staff": spec.is_superuser,
            "is_superuser": spec.is_superuser,
        }
        user = user_model.objects.filter(username=spec.username).first()
        if user is None:
            user = _user_create(region, spec.username, profile)
            progress.created("users", spec.username)
        elif _differs(user, profile):
            # The password is left alone on purpose: whoever changed it on a shared demo meant to.
            _user_update(region, user, profile)
            progress.updated(user)
        if spec.national:
            if not NationalStaff.objects.filter(user=user, is_active=True).exists():
                national_staff_grant(by=None, user=user, unit=NATIONAL_UNIT)
            continue
        if spec.role is None:
            continue
        agency = agencies[spec.agency] if spec.agency else None
        active = Membership.objects.filter(user=user, region=region, agency=agency, role=spec.role, is_active=True)
        if not active.exists():
            membership = membership_grant(by=None, user=user, region=region, role=spec.role, agency=agency)
            progress.created("memberships", membership)


def load_masterplan(progress: Progress, region: Region) -> Masterplan:
    masterplan = Masterplan.objects.filter(region=region, title=MASTERPLAN["title"]).first()
    if masterplan is None:
        masterplan = masterplan_create(by=None, region=region, data=MASTERPLAN)
        progress.created("masterplans", masterplan)
    elif _differs(masterplan, MASTERPLAN):
        masterplan_update(masterplan=masterplan, by=None, data=MASTERPLAN)
        progress.updated(masterplan)
    return masterplan


def load_programmes(progress: Progress, masterplan: Masterplan, agencies: dict[str, Agency]) -> None:
    elements = {e.code: e for e in Element.objects.all()}
    missing = {spec.element for spec in PROGRAMMES} - elements.keys()
    if missing:
        raise RuntimeError(f"Elements {sorted(missing)} are missing: run `manage.py migrate` first.")
    existing = {
        p.code: p
        for p in Programme.objects.filter(masterplan=masterplan)
        .select_related("element", "lead_agency")
        .prefetch_related("supporting_agencies", "indicators__targets")
    }
    for spec in PROGRAMMES:
        data: dict[str, Any] = {
            "element": elements[spec.element],
            "code": spec.code,
            "name": spec.name,
            "description": spec.description,
            "term": spec.term,
            "is_quick_win": spec.quick_win,
            "lead_agency": agencies[spec.lead],
            "start_year": spec.start,
            "end_year": spec.end,
            "funding_sources": list(spec.funding),
            "status": spec.status,
        }
        supporting = [agencies[acronym] for acronym in spec.supporting]
        programme = existing.get(spec.code)
        if programme is None:
            programme = programme_create(by=None, masterplan=masterplan, data=data, supporting=supporting)
            progress.created("programmes", programme)
            current: dict[str, Indicator] = {}
        else:
            same_supporters = {a.pk for a in programme.supporting_agencies.all()} == {a.pk for a in supporting}
            if _differs(programme, data) or not same_supporters:
                programme_update(programme=programme, by=None, data=data, supporting=supporting)
                progress.updated(programme)
            current = {i.name: i for i in programme.indicators.all()}
        _indicators(progress, programme, spec, current)


def _indicators(progress: Progress, programme: Programme, spec: ProgrammeSpec, current: dict[str, Indicator]) -> None:
    for order, ind in enumerate(spec.indicators, start=1):
        data = {
            "name": ind.name,
            "unit": ind.unit,
            "baseline": ind.baseline_value,
            "baseline_year": BASELINE_YEAR,
            "order": order,
        }
        wanted: dict[int, Decimal | None] = dict(ind.targets(programme.years))
        indicator = current.get(ind.name)
        if indicator is None:
            indicator = indicator_create(by=None, programme=programme, data=data, targets=wanted)
            progress.created("indicators", indicator)
            continue
        have = {t.year: t.value for t in indicator.targets.all()}
        # Years the programme no longer covers are removed (None), so the targets match the spec exactly.
        wanted.update(dict.fromkeys(have.keys() - wanted.keys()))
        targets_differ = any(have.get(year) != value for year, value in wanted.items())
        if _differs(indicator, data) or targets_differ:
            indicator_update(indicator=indicator, by=None, data=data, targets=wanted if targets_differ else None)
            progress.updated(indicator)


def _differs(obj: models.Model, data: dict[str, Any]) -> bool:
    return any(getattr(obj, name) != value for name, value in data.items())


# There is no user service yet, so the loader audits its own user writes the way the services do.
def _user_create(region: Region, username: str, profile: dict[str, Any]) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username=username, password=DEMO_PASSWORD, **profile)
    audit_record(
        actor=None, action=AgencyAction.USER_CREATED, target=user, region=region, changes=snapshot(user, profile)
    )
    return user


def _user_update(region: Region, user: AbstractBaseUser, profile: dict[str, Any]) -> None:
    changes = apply_changes(user, profile)
    user.save(update_fields=list(profile))
    audit_record(actor=None, action=AgencyAction.USER_UPDATED, target=user, region=region, changes=changes)
