"""What the audit log records of the masterplan: its codes (stored) and labels (shown), one enum."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agencies.audit import AuditAction, register_actions


class MasterplanAction(AuditAction):
    MASTERPLAN_CREATED = "masterplan.created", _("Masterplan created")
    MASTERPLAN_UPDATED = "masterplan.updated", _("Masterplan changed")
    PROGRAMME_CREATED = "programme.created", _("Programme created")
    PROGRAMME_UPDATED = "programme.updated", _("Programme changed")
    INDICATOR_CREATED = "indicator.created", _("Indicator added")
    INDICATOR_UPDATED = "indicator.updated", _("Indicator changed")
    INDICATOR_DELETED = "indicator.deleted", _("Indicator deleted")
    REPORT_CREATED = "report.created", _("Report started")
    REPORT_UPDATED = "report.updated", _("Report saved")
    REPORT_SUBMITTED = "report.submitted", _("Report submitted")
    REPORT_APPROVED = "report.approved", _("Report approved")
    REPORT_APPROVE_REFUSED = "report.approve_refused", _("Approval refused: own submission")
    REPORT_RETURNED = "report.returned", _("Report returned")
    REPORT_REOPENED = "report.reopened", _("Report reopened")
    REPORTS_CHASED = "report.chased", _("SKPD reminded of late reports")
    REPORTS_ESCALATED = "report.escalated", _("Late reports escalated")


register_actions(MasterplanAction)
