"""Permission rules for masterplan models, registered with the one policy in agencies.permissions."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.audit import register_change_labels, register_change_values
from agencies.models import Role
from agencies.permissions import CHANGE, COORDINATORS, CREATE, DELETE, EVERYONE, VIEW, Rule, register
from masterplan.models import Indicator, Masterplan, Programme, ProgressReport, ReportReminder

# The masterplan document is the region's shared plan: everyone in the region reads it, DKISP keeps it.
register(
    Masterplan,
    Rule(region="region", actions={VIEW: EVERYONE, CHANGE: COORDINATORS}, agency_roles_see_all=True),
)
# A programme belongs to its lead and supporting SKPDs; other SKPDs' programmes are not theirs to see.
register(
    Programme,
    Rule(
        region="masterplan__region",
        agencies=("lead_agency", "supporting_agencies"),
        actions={VIEW: EVERYONE, CHANGE: COORDINATORS, CREATE: COORDINATORS, DELETE: COORDINATORS},
    ),
)
SKPD_STAFF = frozenset({Role.OPERATOR, Role.HEAD})
REPORT_READERS = frozenset({Role.OPERATOR, Role.HEAD, Role.COORDINATOR})
SUBMIT = "submit"
REVIEW = "review"
# What DKISP may decide on a report *now*, for its page to offer it: approve or return a submitted one, reopen an
# approved one. REVIEW stays the gate of those pages, whatever the state; the services refuse what it forbids.
DECIDE = "decide"
REOPEN = "reopen"

# Reports: the reporting SKPD writes and submits; DKISP reviews (approve, return, reopen).
register(
    ProgressReport,
    Rule(
        region="programme__masterplan__region",
        agencies=("agency",),
        actions={
            VIEW: REPORT_READERS,
            CREATE: SKPD_STAFF,
            CHANGE: SKPD_STAFF,
            SUBMIT: SKPD_STAFF,
            REVIEW: COORDINATORS,
            DECIDE: COORDINATORS,
            REOPEN: COORDINATORS,
        },
        # Only a draft or returned report changes; submitted waits for DKISP, approved is locked for good.
        states={
            CHANGE: lambda: Q(status__in=ProgressReport.EDITABLE),
            SUBMIT: lambda: Q(status__in=ProgressReport.EDITABLE),
            DECIDE: lambda: Q(status=ProgressReport.Status.SUBMITTED),
            REOPEN: lambda: Q(status=ProgressReport.Status.APPROVED),
        },
    ),
)
register(
    Indicator,
    Rule(
        region="programme__masterplan__region",
        agencies=("programme__lead_agency", "programme__supporting_agencies"),
        actions={VIEW: EVERYONE, CHANGE: COORDINATORS, CREATE: COORDINATORS, DELETE: COORDINATORS},
    ),
)
# Report reminders: DKISP chases late SKPDs (CREATE) and reads the log; an SKPD sees the reminders it was sent.
register(
    ReportReminder,
    Rule(
        region="region",
        agencies=("agency",),
        actions={VIEW: REPORT_READERS, CREATE: COORDINATORS},
    ),
)

# Change keys that are no field of the event's target (reports' "realisation:<indicator>", indicators'
# "target_<year>", evaluation answers' evidence count) or whose model's field has no translated name.
register_change_labels(
    {
        "evidence": _("Evidence"),
        "realisation": _("Realisation"),
        "target": _("Target"),
    }
)
register_change_values({"funding_sources": Programme.Funding.choices})
