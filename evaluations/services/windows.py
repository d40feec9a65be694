"""The questionnaire window: until when an SKPD may change its answers, and DKISP's extensions per SKPD.

The window closes at the end of the cycle's `closes_on` (Asia/Jakarta). After that every SKPD-side write is
refused unless DKISP extended the window for that SKPD. DKISP's own verification and returns stay allowed.
We do not refuse writes before `opens_on`: SKPDs are assigned (and carried) their questions before the
ministry opens the questionnaire, and drafting or submitting to DKISP early has always been allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.audit import audit_record
from agencies.models import Agency
from agencies.notifications import notify
from common.forms import clean_reason
from evaluations.actions import EvaluationAction
from evaluations.models import Assignment, EvaluationCycle, WindowExtension
from evaluations.services.cycles import ensure_open, skpd_addresses

Actor = AbstractBaseUser | None

# Set only while a past cycle is replayed (the demo loader) or by tests; requests never pin the date.
_pinned_day: list[dt.date] = []


def today() -> dt.date:
    """The date windows are judged by: today in Asia/Jakarta, unless a replay pinned another day."""
    return _pinned_day[-1] if _pinned_day else timezone.localdate()


@contextmanager
def pinned_today(day: dt.date) -> Iterator[None]:
    """Judge windows as on `day`, process-wide (threads included), to replay a past cycle on its own dates."""
    _pinned_day.append(day)
    try:
        yield
    finally:
        _pinned_day.pop()


@dataclass(frozen=True)
class Window:
    """One SKPD's questionnaire window in one cycle, as seen on `today`."""

    agency: Agency
    cycle_closes_on: dt.date
    extended_until: dt.date | None
    today: dt.date

    @property
    def is_extended(self) -> bool:
        return self.extended_until is not None and self.extended_until > self.cycle_closes_on

    @property
    def closes_on(self) -> dt.date:
        # A cycle moved later than an old extension is not shortened by it.
        if self.extended_until is not None and self.extended_until > self.cycle_closes_on:
            return self.extended_until
        return self.cycle_closes_on

    @property
    def is_open(self) -> bool:
        return self.today <= self.closes_on

    @property
    def closed_message(self) -> str:
        when = date_format(self.closes_on)
        if self.is_extended:
            message = _(
                "The extension DKISP gave your SKPD ended on %(date)s: answers can no longer be changed or submitted."
            )
        else:
            message = _(
                "The questionnaire closed on %(date)s: answers can no longer be changed or submitted. Ask DKISP "
                "for an extension if your SKPD needs more time."
            )
        return message % {"date": when}


def windows_for(*, cycle: EvaluationCycle, agencies: Iterable[Agency], today: dt.date) -> dict[int, Window]:
    """{agency id: window} for the pages (one query); the write path uses `ensure_window_open`."""
    agencies = list(agencies)
    extended = dict(
        WindowExtension.objects.filter(cycle=cycle, agency__in=agencies).values_list("agency_id", "closes_on")
    )
    return {a.pk: Window(a, cycle.closes_on, extended.get(a.pk), today) for a in agencies}


def window_for(*, cycle: EvaluationCycle, agency: Agency, today: dt.date) -> Window:
    return windows_for(cycle=cycle, agencies=[agency], today=today)[agency.pk]


def ensure_window_open(*, cycle: EvaluationCycle, agency: Agency, today: dt.date) -> None:
    """Refuse an SKPD-side write after the window closed; call inside the write's transaction.

    The cycle's date and the extension are read in that transaction, the extension row locked, so a revoke
    or a shortened extension committing at the same moment cannot let a write slip through.
    """
    closes_on = EvaluationCycle.objects.values_list("closes_on", flat=True).get(pk=cycle.pk)
    extended = (
        WindowExtension.objects.select_for_update()
        .filter(cycle_id=cycle.pk, agency_id=agency.pk)
        .values_list("closes_on", flat=True)
        .first()
    )
    window = Window(agency, closes_on, extended, today)
    if not window.is_open:
        raise ValidationError(window.closed_message, code="window_closed")


# --- Extensions -------------------------------------------------------------------------------------------


@transaction.atomic
def extension_grant(
    *, cycle: EvaluationCycle, agency: Agency, closes_on: dt.date, reason: str, by: Actor
) -> WindowExtension:
    """Extend (or change the extension of) the window for one SKPD; audited and mailed to the SKPD."""
    ensure_open(cycle)
    cycle = EvaluationCycle.objects.select_related("region").get(pk=cycle.pk)
    errors: dict[str, list[str]] = {}
    if agency.region_id != cycle.region_id or not Assignment.objects.filter(cycle=cycle, agency=agency).exists():
        errors["agency"] = [_("Only an SKPD with questions in this cycle can be given an extension.")]
    if closes_on <= cycle.closes_on:
        message = _("The extension must end after the questionnaire closes (%(date)s).")
        errors["closes_on"] = [message % {"date": date_format(cycle.closes_on)}]
    elif closes_on < today():
        errors["closes_on"] = [_("The extension cannot end in the past.")]
    try:
        reason = clean_reason(reason)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    current = WindowExtension.objects.select_for_update().filter(cycle=cycle, agency=agency).first()
    before = current.closes_on if current else None
    if current is not None and (current.closes_on, current.reason) == (closes_on, reason):
        return current
    extension, _created = WindowExtension.objects.update_or_create(
        cycle=cycle, agency=agency, defaults={"closes_on": closes_on, "reason": reason, "granted_by": by}
    )
    changes = {"agency": agency.acronym, "closes_on": [before.isoformat() if before else None, closes_on.isoformat()]}
    audit_record(
        actor=by,
        action=EvaluationAction.EXTENSION_GRANTED,
        target=cycle,
        region=cycle.region,
        reason=reason,
        changes=changes,
    )
    context = {"cycle": cycle, "agency": agency, "closes_on": closes_on, "previous": before, "reason": reason}
    notify(template="window_extension", recipients=skpd_addresses(agency), context=context)
    return extension


@transaction.atomic
def extension_revoke(*, extension: WindowExtension, by: Actor) -> None:
    """Withdraw an extension: the SKPD's window is the cycle's again. Audited and mailed to the SKPD."""
    extension = (
        WindowExtension.objects.select_for_update(of=("self",))
        .select_related("cycle__region", "agency")
        .get(pk=extension.pk)
    )
    cycle, agency = extension.cycle, extension.agency
    ensure_open(cycle)
    extension.delete()
    changes = {"agency": agency.acronym, "closes_on": [extension.closes_on.isoformat(), None]}
    audit_record(
        actor=by, action=EvaluationAction.EXTENSION_REVOKED, target=cycle, region=cycle.region, changes=changes
    )
    context = {
        "cycle": cycle,
        "agency": agency,
        "closes_on": cycle.closes_on,
        "previous": extension.closes_on,
        "revoked": True,
    }
    notify(template="window_extension", recipients=skpd_addresses(agency), context=context)
