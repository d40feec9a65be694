"""Writes for the masterplan: validated, in one transaction, each leaving an audit event."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.audit import apply_changes, audit_record, snapshot
from agencies.models import Agency, Region
from masterplan.actions import MasterplanAction
from masterplan.models import Indicator, IndicatorTarget, Masterplan, Programme

Actor = AbstractBaseUser | None

MASTERPLAN_FIELDS = ("title", "start_year", "end_year", "perbup_number", "perbup_date", "period_type", "is_active")
PROGRAMME_FIELDS = (
    "element",
    "code",
    "name",
    "description",
    "term",
    "is_quick_win",
    "lead_agency",
    "start_year",
    "end_year",
    "funding_sources",
    "status",
)
INDICATOR_FIELDS = ("name", "unit", "baseline", "baseline_year", "order")


def _only(data: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in allowed}


@transaction.atomic
def masterplan_create(*, by: Actor, region: Region, data: Mapping[str, Any]) -> Masterplan:
    masterplan = Masterplan(region=region, **_only(data, MASTERPLAN_FIELDS))
    masterplan.full_clean()
    masterplan.save()
    audit_record(
        actor=by,
        action=MasterplanAction.MASTERPLAN_CREATED,
        target=masterplan,
        region=region,
        changes=snapshot(masterplan, _only(data, MASTERPLAN_FIELDS).keys()),
    )
    return masterplan


@transaction.atomic
def masterplan_update(*, masterplan: Masterplan, by: Actor, data: Mapping[str, Any]) -> Masterplan:
    changes = apply_changes(masterplan, _only(data, MASTERPLAN_FIELDS))
    if changes:
        masterplan.full_clean()
        masterplan.save()
        audit_record(
            actor=by,
            action=MasterplanAction.MASTERPLAN_UPDATED,
            target=masterplan,
            region=masterplan.region,
            changes=changes,
        )
    return masterplan


def check_supporting_agencies(masterplan: Masterplan, lead: Agency | None, supporters: list[Agency]) -> None:
    if lead is not None and any(a.pk == lead.pk for a in supporters):
        raise ValidationError({"supporting_agencies": _("The lead SKPD cannot also be a supporting SKPD.")})
    if any(a.region_id != masterplan.region_id for a in supporters):
        raise ValidationError({"supporting_agencies": _("Supporting SKPDs must belong to the masterplan's region.")})


def _supporter_labels(agencies: Iterable[Agency]) -> list[str]:
    return sorted(a.acronym for a in agencies)


@transaction.atomic
def programme_create(
    *, by: Actor, masterplan: Masterplan, data: Mapping[str, Any], supporting: Iterable[Agency] = ()
) -> Programme:
    supporters = list(supporting)
    programme = Programme(masterplan=masterplan, **_only(data, PROGRAMME_FIELDS))
    programme.full_clean()
    check_supporting_agencies(masterplan, programme.lead_agency, supporters)
    programme.save()
    programme.supporting_agencies.set(supporters)
    changes = snapshot(programme, _only(data, PROGRAMME_FIELDS).keys())
    changes["supporting_agencies"] = _supporter_labels(supporters)
    audit_record(
        actor=by, action=MasterplanAction.PROGRAMME_CREATED, target=programme, region=masterplan.region, changes=changes
    )
    return programme


@transaction.atomic
def programme_update(
    *, programme: Programme, by: Actor, data: Mapping[str, Any], supporting: Iterable[Agency] | None = None
) -> Programme:
    """Change a programme's fields (and, when given, its supporting SKPDs); audit the differences."""
    changes = apply_changes(programme, _only(data, PROGRAMME_FIELDS))
    programme.full_clean()
    if supporting is not None:
        supporters = list(supporting)
        check_supporting_agencies(programme.masterplan, programme.lead_agency, supporters)
        before = _supporter_labels(programme.supporting_agencies.all())
        after = _supporter_labels(supporters)
        if before != after:
            programme.supporting_agencies.set(supporters)
            changes["supporting_agencies"] = [before, after]
    if changes:
        programme.save()
        audit_record(
            actor=by,
            action=MasterplanAction.PROGRAMME_UPDATED,
            target=programme,
            region=programme.masterplan.region,
            changes=changes,
        )
    return programme


def _set_targets(indicator: Indicator, targets: Mapping[int, Decimal | None]) -> dict[str, list[Any]]:
    """Make the indicator's yearly targets equal `targets` (None removes a year); return the changes."""
    existing = {t.year: t for t in indicator.targets.all()}
    changes: dict[str, list[Any]] = {}
    for year, value in sorted(targets.items()):
        current = existing.get(year)
        if value is None:
            if current is not None:
                current.delete()
                changes[f"target_{year}"] = [str(current.value), None]
            continue
        if current is None:
            IndicatorTarget.objects.create(indicator=indicator, year=year, value=value)
            changes[f"target_{year}"] = [None, str(value)]
        elif current.value != value:
            changes[f"target_{year}"] = [str(current.value), str(value)]
            current.value = value
            current.save(update_fields=["value"])
    return changes


def check_target_years(programme: Programme, targets: Mapping[int, Decimal | None]) -> None:
    outside = sorted(y for y, v in targets.items() if v is not None and y not in programme.years)
    if outside:
        raise ValidationError(
            _("Targets must fall within the programme's years %(start)s–%(end)s.")
            % {"start": programme.start_year, "end": programme.end_year}
        )


@transaction.atomic
def indicator_create(
    *, by: Actor, programme: Programme, data: Mapping[str, Any], targets: Mapping[int, Decimal | None] | None = None
) -> Indicator:
    fields = _only(data, INDICATOR_FIELDS)
    indicator = Indicator(programme=programme, **fields)
    indicator.full_clean()
    check_target_years(programme, targets or {})
    indicator.save()
    changes = snapshot(indicator, fields.keys())
    changes.update(_set_targets(indicator, targets or {}))
    audit_record(
        actor=by,
        action=MasterplanAction.INDICATOR_CREATED,
        target=indicator,
        region=programme.masterplan.region,
        changes=changes,
    )
    return indicator


@transaction.atomic
def indicator_update(
    *, indicator: Indicator, by: Actor, data: Mapping[str, Any], targets: Mapping[int, Decimal | None] | None = None
) -> Indicator:
    changes = apply_changes(indicator, _only(data, INDICATOR_FIELDS))
    indicator.full_clean()
    if changes:
        indicator.save()
    if targets is not None:
        check_target_years(indicator.programme, targets)
        changes.update(_set_targets(indicator, targets))
    if changes:
        audit_record(
            actor=by,
            action=MasterplanAction.INDICATOR_UPDATED,
            target=indicator,
            region=indicator.programme.masterplan.region,
            changes=changes,
        )
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, by: Actor) -> None:
    if indicator.realisations.exists():
        raise ValidationError(_("Progress has been reported against this indicator, so it cannot be deleted."))
    programme = indicator.programme
    targets = {str(t.year): str(t.value) for t in indicator.targets.all()}
    audit_record(
        actor=by,
        action=MasterplanAction.INDICATOR_DELETED,
        target=indicator,
        region=programme.masterplan.region,
        changes={"name": indicator.name, "targets": targets},
    )
    indicator.delete()
