"""What the audit log records of accounts, regions, agencies and roles: codes (stored) and labels (shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agencies.audit import AuditAction, register_actions


class AgencyAction(AuditAction):
    LOGIN = "auth.login", _("Logged in")
    LOGOUT = "auth.logout", _("Logged out")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    PASSWORD_RESET_REQUESTED = "auth.password_reset_requested", _("Password reset requested")
    PASSWORD_RESET_THROTTLED = "auth.password_reset_throttled", _("Password reset refused: too many requests")
    PASSWORD_RESET_SENT = "auth.password_reset_sent", _("Password link sent")
    PASSWORD_RESET_COMPLETED = "auth.password_reset_completed", _("Password reset completed")
    # Accounts written outside the admin (the demo loader; there is no user service yet).
    USER_CREATED = "user.created", _("Account created")
    USER_UPDATED = "user.updated", _("Account changed")
    # The admin's own events are "admin.<model>.<verb>" (`audit.admin_action`), labelled from the model; these
    # name the user model as the pages do ("account"), not by Django's verbose name ("user").
    ADMIN_USER_ADDED = "admin.user.added", _("Account added in the admin")
    ADMIN_USER_CHANGED = "admin.user.changed", _("Account changed in the admin")
    ADMIN_USER_DELETED = "admin.user.deleted", _("Account deleted in the admin")
    ADMIN_IMPORT = "admin.import", _("Spreadsheet imported")
    REGION_CREATED = "region.created", _("Region created")
    AGENCY_CREATED = "agency.created", _("Agency created")
    AGENCY_UPDATED = "agency.updated", _("Agency changed")
    MEMBERSHIP_GRANTED = "membership.granted", _("Role granted")
    MEMBERSHIP_REACTIVATED = "membership.reactivated", _("Role reactivated")
    MEMBERSHIP_REVOKED = "membership.revoked", _("Role revoked")
    NATIONAL_GRANTED = "national.granted", _("National programme role granted")
    NATIONAL_REVOKED = "national.revoked", _("National programme role revoked")


register_actions(AgencyAction)
