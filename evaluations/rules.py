"""Permission rules for the evaluation, registered with the one policy in agencies.permissions."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from agencies.models import Role
from agencies.permissions import CHANGE, COORDINATORS, CREATE, DELETE, VIEW, Rule, register
from evaluations.models import (
    Answer,
    EvaluationCycle,
    FollowUpItem,
    FollowUpTask,
    Meeting,
    MeetingInvitation,
    WindowExtension,
)
from evaluations.models.packages import Package
from evaluations.services import windows

SKPD_STAFF = frozenset({Role.OPERATOR, Role.HEAD})
SUBMIT = "submit"
REVIEW = "review"
ASSESS = "assess"
# What DKISP may do *now*, for the pages to offer it: change what a cycle holds (its details, questionnaire,
# extensions) and lock it only while it is open, unlock it once locked; verify a submitted answer, return a
# submitted or verified one, only in an open cycle. CHANGE and REVIEW stay the pages' gates, whatever the state
# (a locked cycle's results and unlock page are still DKISP's); the services refuse what the state forbids.
EDIT = "edit"
UNLOCK = "unlock"
VERIFY = "verify"
RETURN = "return"


def _assessed_cycles(prefix: str) -> Any:
    """Assessors read only locked cycles they are assigned to: never a draft."""
    return lambda user: Q(**{f"{prefix}locked_at__isnull": False, f"{prefix}assessors": user})


def _answer_writable() -> Q:
    """An SKPD changes an answer only while it is a draft (or returned), its cycle is unlocked, and its window
    is open: the cycle's own closing date or DKISP's extension for that SKPD (services.windows)."""
    today = windows.today()
    extended = WindowExtension.objects.filter(cycle=OuterRef("cycle"), agency=OuterRef("agency"), closes_on__gte=today)
    return Q(status__in=Answer.EDITABLE, cycle__locked_at__isnull=True) & (
        Q(cycle__closes_on__gte=today) | Q(Exists(extended))
    )


register(
    EvaluationCycle,
    Rule(
        region="region",
        actions={
            VIEW: frozenset({Role.COORDINATOR, Role.ASSESSOR, Role.OPERATOR, Role.HEAD}),
            CHANGE: COORDINATORS,
            CREATE: COORDINATORS,
            REVIEW: COORDINATORS,
            ASSESS: frozenset({Role.ASSESSOR}),
            EDIT: COORDINATORS,
            UNLOCK: COORDINATORS,
        },
        agency_roles_see_all=True,
        role_filters={Role.ASSESSOR: _assessed_cycles("")},
        states={EDIT: lambda: Q(locked_at__isnull=True), UNLOCK: lambda: Q(locked_at__isnull=False)},
    ),
)
register(
    Answer,
    Rule(
        region="cycle__region",
        agencies=("agency",),
        actions={
            VIEW: frozenset({Role.COORDINATOR, Role.ASSESSOR, Role.OPERATOR, Role.HEAD}),
            CHANGE: SKPD_STAFF,
            SUBMIT: SKPD_STAFF,
            REVIEW: COORDINATORS,
            VERIFY: COORDINATORS,
            RETURN: COORDINATORS,
        },
        role_filters={Role.ASSESSOR: _assessed_cycles("cycle__")},
        states={
            CHANGE: _answer_writable,
            SUBMIT: _answer_writable,
            VERIFY: lambda: Q(status=Answer.Status.SUBMITTED, cycle__locked_at__isnull=True),
            RETURN: lambda: Q(
                status__in=(Answer.Status.SUBMITTED, Answer.Status.VERIFIED), cycle__locked_at__isnull=True
            ),
        },
    ),
)
# An SKPD sees its own extension (its pages show the extended date); only DKISP grants or withdraws one.
register(
    WindowExtension,
    Rule(
        region="cycle__region",
        agencies=("agency",),
        actions={
            VIEW: frozenset({Role.COORDINATOR, Role.OPERATOR, Role.HEAD}),
            CHANGE: COORDINATORS,
            CREATE: COORDINATORS,
            DELETE: COORDINATORS,
        },
    ),
)
# Packages: DKISP builds and downloads them; an assessor downloads the final package of a locked cycle they are
# assigned to (never a draft, never a monev report); SKPD staff never see packages (they hold every SKPD's work).
register(
    Package,
    Rule(
        region="region",
        actions={
            VIEW: frozenset({Role.COORDINATOR, Role.ASSESSOR}),
            CREATE: COORDINATORS,
        },
        role_filters={
            Role.ASSESSOR: lambda user: Q(
                kind=Package.Kind.SUBMISSION, is_final=True, cycle__locked_at__isnull=False, cycle__assessors=user
            )
        },
    ),
)

# --- The follow-up loop (meetings and the recommendation register) ---------------------------------------------

RESPOND = "respond"  # an invited SKPD says who attends
REPORT = "report"  # an SKPD reports on its follow-up task
SKPD_AND_DKISP = frozenset({Role.COORDINATOR, Role.OPERATOR, Role.HEAD})


# A meeting: DKISP plans and records it; an invited SKPD sees it. Assessors are not part of the preparation.
register(
    Meeting,
    Rule(
        region="region",
        agencies=("invitations__agency",),
        actions={VIEW: SKPD_AND_DKISP, CHANGE: COORDINATORS, CREATE: COORDINATORS},
    ),
)
# An invitation is answered by its SKPD until the meeting starts; DKISP records attendance.
register(
    MeetingInvitation,
    Rule(
        region="meeting__region",
        agencies=("agency",),
        actions={VIEW: SKPD_AND_DKISP, RESPOND: SKPD_STAFF, CHANGE: COORDINATORS},
        states={RESPOND: lambda: Q(meeting__status=Meeting.Status.PLANNED, meeting__starts_at__gt=timezone.now())},
    ),
)
# The register: DKISP keeps it; an SKPD sees the items it has a task in; assessors see the items of the region of a
# locked cycle they assess (last year's recommendations beside the questions).
register(
    FollowUpItem,
    Rule(
        region="region",
        agencies=("tasks__agency",),
        actions={
            VIEW: frozenset({Role.COORDINATOR, Role.ASSESSOR, Role.OPERATOR, Role.HEAD}),
            CHANGE: COORDINATORS,
            CREATE: COORDINATORS,
        },
        role_filters={
            Role.ASSESSOR: lambda user: Q(region__cycles__assessors=user, region__cycles__locked_at__isnull=False)
        },
    ),
)
# A task: its SKPD reports on it while it and its item are open; DKISP assigns, changes and closes.
register(
    FollowUpTask,
    Rule(
        region="item__region",
        agencies=("agency",),
        actions={VIEW: SKPD_AND_DKISP, REPORT: SKPD_STAFF, CHANGE: COORDINATORS},
        states={
            REPORT: lambda: (
                Q(status__in=(FollowUpTask.Status.OPEN, FollowUpTask.Status.IN_PROGRESS))
                & ~Q(item__status__in=FollowUpItem.CLOSED)
            )
        },
    ),
)
