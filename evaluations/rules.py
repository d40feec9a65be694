"""Permission rules for the evaluation, registered with the one policy in agencies.permissions."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from agencies.audit import register_action_labels
from agencies.models import Role
from agencies.permissions import CHANGE, COORDINATORS, CREATE, DELETE, VIEW, Rule, register
from evaluations.models import Answer, EvaluationCycle, WindowExtension
from evaluations.services import windows

SKPD_STAFF = frozenset({Role.OPERATOR, Role.HEAD})
SUBMIT = "submit"
REVIEW = "review"
ASSESS = "assess"


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
        },
        agency_roles_see_all=True,
        role_filters={Role.ASSESSOR: _assessed_cycles("")},
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
        },
        role_filters={Role.ASSESSOR: _assessed_cycles("cycle__")},
        states={CHANGE: _answer_writable, SUBMIT: _answer_writable},
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

register_action_labels(
    {
        "cycle.created": _("Evaluation cycle created"),
        "cycle.updated": _("Evaluation cycle changed"),
        "cycle.carried_forward": _("Cycle started from the previous one"),
        "cycle.locked": _("Cycle locked"),
        "cycle.unlocked": _("Cycle unlocked"),
        "cycle.assessors": _("Assessors assigned"),
        "questionnaire.imported": _("Questionnaire imported"),
        "assignment.set": _("Questions assigned"),
        "answer.updated": _("Answer saved"),
        "answer.submitted": _("Answer submitted"),
        "answer.verified": _("Answer verified"),
        "answer.verify_refused": _("Verification refused: own submission"),
        "answer.returned": _("Answer returned"),
        "score.saved": _("Score saved"),
        "note.saved": _("Assessment notes saved"),
        "result.official": _("Official result entered"),
        "extension.granted": _("Questionnaire extended for an SKPD"),
        "extension.revoked": _("Questionnaire extension withdrawn"),
    }
)
