"""What the audit log records of the evidence library: its codes (stored) and labels (shown), one enum."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agencies.audit import AuditAction, register_actions


class EvidenceAction(AuditAction):
    UPLOADED = "evidence.uploaded", _("Evidence uploaded")
    UPDATED = "evidence.updated", _("Evidence changed")
    DELETED = "evidence.deleted", _("Evidence deleted")


register_actions(EvidenceAction)
