"""The progress-report workflow: draft → submitted → approved, or returned with a reason → draft again.

Every transition is one guarded step of `common.workflow`, so two people acting at once produce one transition
and a clear message for the other. Edits carry the version the user started from; a save based on an older
version raises `VersionConflict` instead of overwriting.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import audit_record, audit_refusals, diff, snapshot
from agencies.models import Agency
from agencies.notifications import addresses, notify
from agencies.permissions import CHANGE, ensure_not_own_submission, who_may
from common.bulk import apply_each
from common.forms import clean_reason
from common.workflow import transition, versioned_update
from evidence.models import Evidence
from masterplan.actions import MasterplanAction
from masterplan.models import (
    PERIODS_PER_YEAR,
    IndicatorRealisation,
    Programme,
    ProgressReport,
    ReportEvidence,
)
from masterplan.rules import REVIEW

Actor = AbstractBaseUser | None
Status = ProgressReport.Status
REPORT_FIELDS = ("narrative", "obstacles", "follow_up", "budget_plan", "budget_realisation")


def _region(report: ProgressReport) -> Any:
    return report.programme.masterplan.region


def _reports() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.select_related("programme__masterplan__region", "agency")


def _refresh(report: ProgressReport) -> ProgressReport:
    return _reports().get(pk=report.pk)


def _skpd_addresses(report: ProgressReport) -> list[str]:
    """Who hears of DKISP's decision: the reporting SKPD's people who may change the report, and its address."""
    return addresses(who_may(CHANGE, report), agency=report.agency)


@transaction.atomic
def report_start(*, programme: Programme, agency: Agency, year: int, period: int, by: Actor) -> ProgressReport:
    """Open the report of `agency` on `programme` for a period (or return the one already open)."""
    existing = ProgressReport.objects.filter(programme=programme, agency=agency, year=year, period=period).first()
    if existing is not None:
        return existing
    masterplan = programme.masterplan
    if agency.pk != programme.lead_agency_id and not programme.supporting_agencies.filter(pk=agency.pk).exists():
        raise ValidationError(
            _("%(agency)s is neither the lead nor a supporting SKPD of this programme.") % {"agency": agency.acronym}
        )
    if year not in programme.years:
        raise ValidationError(
            _("The programme runs %(start)s–%(end)s; %(year)s is outside it.")
            % {"start": programme.start_year, "end": programme.end_year, "year": year}
        )
    if not 1 <= period <= PERIODS_PER_YEAR[masterplan.period_type]:
        raise ValidationError(_("There is no such reporting period."))
    report = ProgressReport.objects.create(
        programme=programme,
        agency=agency,
        year=year,
        period=period,
        period_type=masterplan.period_type,
        created_by=by,
    )
    audit_record(actor=by, action=MasterplanAction.REPORT_CREATED, target=report, region=masterplan.region)
    return report


def _evidence_labels(ids: Iterable[int]) -> list[str]:
    return sorted(Evidence.objects.filter(pk__in=list(ids)).values_list("title", flat=True))


@transaction.atomic
def report_update(
    *,
    report: ProgressReport,
    by: Actor,
    expected_version: int,
    data: Mapping[str, Any],
    realisations: Mapping[int, tuple[Decimal | None, str]] | None = None,
    evidence: Iterable[Evidence] | None = None,
) -> ProgressReport:
    """Save an editable report; raises VersionConflict when it changed since `expected_version`."""
    fields = {k: v for k, v in data.items() if k in REPORT_FIELDS}
    negative = [k for k in ("budget_plan", "budget_realisation") if fields.get(k) is not None and fields[k] < 0]
    if negative:
        raise ValidationError(dict.fromkeys(negative, _("A budget cannot be negative.")))
    before = _refresh(report)
    report = versioned_update(
        _reports(),
        pk=report.pk,
        expected_version=expected_version,
        editable=ProgressReport.EDITABLE,
        to=Status.DRAFT,
        fields=fields,
        refused=_("This report is %(status)s and can no longer be changed."),
    )
    changes = diff(snapshot(before, fields.keys()), snapshot(report, fields.keys()))
    if before.status != report.status:
        changes["status"] = [before.status, report.status]
    if realisations is not None:
        changes.update(_save_realisations(report, realisations))
    if evidence is not None:
        changes.update(_link_evidence(report, list(evidence), by))
    audit_record(
        actor=by, action=MasterplanAction.REPORT_UPDATED, target=report, region=_region(report), changes=changes
    )
    return report


def _save_realisations(
    report: ProgressReport, values: Mapping[int, tuple[Decimal | None, str]]
) -> dict[str, list[Any]]:
    indicators = {i.pk: i for i in report.programme.indicators.all()}
    existing = {r.indicator_id: r for r in report.realisations.all()}
    changes: dict[str, list[Any]] = {}
    for indicator_id, (value, note) in values.items():
        if indicator_id not in indicators:
            raise ValidationError(_("That indicator does not belong to this programme."))
        current = existing.get(indicator_id)
        label = f"realisation:{indicators[indicator_id].name}"
        if value is None:
            if current is not None:
                changes[label] = [str(current.value), None]
                current.delete()
            continue
        if current is None:
            IndicatorRealisation.objects.create(report=report, indicator_id=indicator_id, value=value, note=note)
            changes[label] = [None, str(value)]
        elif current.value != value or current.note != note:
            changes[label] = [str(current.value), str(value)]
            current.value, current.note = value, note
            current.save(update_fields=["value", "note"])
    return changes


def _link_evidence(report: ProgressReport, evidence: list[Evidence], by: Actor) -> dict[str, list[Any]]:
    foreign = [e for e in evidence if e.agency_id != report.agency_id]
    if foreign:
        raise ValidationError(_("Only evidence from your own agency's library can be attached."))
    wanted = {e.pk for e in evidence}
    current = set(report.evidence_links.values_list("evidence_id", flat=True))
    if wanted == current:
        return {}
    report.evidence_links.filter(evidence_id__in=current - wanted).delete()
    ReportEvidence.objects.bulk_create([ReportEvidence(report=report, evidence_id=pk) for pk in wanted - current])
    return {"evidence": [_evidence_labels(current), _evidence_labels(wanted)]}


def submission_problems(report: ProgressReport) -> list[str]:
    """What stops a report from being submitted, in words the operator can act on."""
    problems = []
    if not report.narrative.strip():
        problems.append(_("Describe the progress in the narrative."))
    reported = set(report.realisations.values_list("indicator_id", flat=True))
    missing = [i.name for i in report.programme.indicators.all() if i.pk not in reported]
    if missing:
        problems.append(_("Fill the realisation of: %(names)s.") % {"names": ", ".join(missing)})
    if not report.evidence_links.exists():
        problems.append(_("Attach at least one piece of evidence (bukti dukung)."))
    return problems


def _transition(
    report: ProgressReport,
    *,
    from_states: Iterable[str],
    to: str,
    by: Actor,
    action: MasterplanAction,
    changes: dict[str, Any],
    reason: str = "",
    **extra: Any,
) -> ProgressReport:
    """One guarded step of the report and its audit event, together."""
    return transition(
        _reports(),
        pk=report.pk,
        from_states=from_states,
        to=to,
        refused=_("This report is already %(status)s; nothing was changed."),
        audit=lambda moved: audit_record(
            actor=by, action=action, target=moved, region=_region(moved), changes=changes, reason=reason
        ),
        **extra,
    )


@transaction.atomic
def report_submit(*, report: ProgressReport, by: Actor) -> ProgressReport:
    problems = submission_problems(report)
    if problems:
        raise ValidationError(problems)
    report = _transition(
        report,
        from_states=ProgressReport.EDITABLE,
        to=Status.SUBMITTED,
        by=by,
        action=MasterplanAction.REPORT_SUBMITTED,
        changes={"status": [Status.DRAFT, Status.SUBMITTED]},
        submitted_at=timezone.now(),
        submitted_by=by if by is not None and by.is_authenticated else None,
    )
    # Told: whoever may review the report (DKISP's coordinators of its region).
    notify(
        template="report_submitted",
        recipients=addresses(who_may(REVIEW, report)),
        context={"report": report, "actor": by},
    )
    return report


@audit_refusals
@transaction.atomic
def report_approve(*, report: ProgressReport, by: Actor) -> ProgressReport:
    ensure_not_own_submission(report, by, action=MasterplanAction.REPORT_APPROVE_REFUSED, region=_region(report))
    report = _transition(
        report,
        from_states=[Status.SUBMITTED],
        to=Status.APPROVED,
        by=by,
        action=MasterplanAction.REPORT_APPROVED,
        changes={"status": [Status.SUBMITTED, Status.APPROVED]},
        decided_at=timezone.now(),
        decided_by=by,
        return_reason="",
    )
    notify(template="report_approved", recipients=_skpd_addresses(report), context={"report": report, "actor": by})
    return report


def _send_back(
    report: ProgressReport, *, by: Actor, reason: str, from_state: str, action: MasterplanAction, template: str
) -> ProgressReport:
    """Hand a report back to its SKPD with a reason (a return of a submitted one, a reopening of an approved one)."""
    reason = clean_reason(reason)
    report = _transition(
        report,
        from_states=[from_state],
        to=Status.RETURNED,
        by=by,
        action=action,
        changes={"status": [from_state, Status.RETURNED]},
        reason=reason,
        decided_at=timezone.now(),
        decided_by=by,
        return_reason=reason,
    )
    notify(
        template=template,
        recipients=_skpd_addresses(report),
        context={"report": report, "actor": by, "reason": reason},
    )
    return report


@transaction.atomic
def report_return(*, report: ProgressReport, by: Actor, reason: str) -> ProgressReport:
    return _send_back(
        report,
        by=by,
        reason=reason,
        from_state=Status.SUBMITTED,
        action=MasterplanAction.REPORT_RETURNED,
        template="report_returned",
    )


@transaction.atomic
def report_reopen(*, report: ProgressReport, by: Actor, reason: str) -> ProgressReport:
    """Unlock an approved report for correction; it goes back to the SKPD as returned."""
    return _send_back(
        report,
        by=by,
        reason=reason,
        from_state=Status.APPROVED,
        action=MasterplanAction.REPORT_REOPENED,
        template="report_reopened",
    )


def report_bulk_approve(
    *, reports: Iterable[ProgressReport], by: Actor
) -> tuple[list[ProgressReport], list[tuple[ProgressReport, str]]]:
    """Approve each submitted report in its own transaction; return (approved, [(skipped, why)])."""
    return apply_each(reports, lambda report: report_approve(report=report, by=by))
