"""Permission rule and change labels of the evidence library, registered with the one policy in agencies."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agencies.audit import register_change_labels
from agencies.models import Role
from agencies.permissions import CHANGE, CREATE, DELETE, VIEW, Rule, register
from evidence.models import Evidence

SKPD_STAFF = frozenset({Role.OPERATOR, Role.HEAD})
READERS = frozenset({Role.OPERATOR, Role.HEAD, Role.COORDINATOR})

# An agency's library: its own staff keep it, DKISP reads every library of the region. Assessors get an
# answer's files only through the assessment pages of a locked cycle.
register(
    Evidence,
    Rule(
        region="region",
        agencies=("agency",),
        actions={VIEW: READERS, CREATE: SKPD_STAFF, CHANGE: SKPD_STAFF, DELETE: SKPD_STAFF},
    ),
)

# Keys of the upload event that name no field of Evidence.
register_change_labels({"file": _("File")})
