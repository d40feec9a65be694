"""What the audit log records of the evaluation: its codes (stored) and labels (shown), one enum."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from agencies.audit import AuditAction, register_actions


class EvaluationAction(AuditAction):
    CYCLE_CREATED = "cycle.created", _("Evaluation cycle created")
    CYCLE_UPDATED = "cycle.updated", _("Evaluation cycle changed")
    CYCLE_CARRIED_FORWARD = "cycle.carried_forward", _("Cycle started from the previous one")
    CYCLE_LOCKED = "cycle.locked", _("Cycle locked")
    CYCLE_UNLOCKED = "cycle.unlocked", _("Cycle unlocked")
    CYCLE_ASSESSORS = "cycle.assessors", _("Assessors assigned")
    QUESTIONNAIRE_IMPORTED = "questionnaire.imported", _("Questionnaire imported")
    ASSIGNMENT_SET = "assignment.set", _("Questions assigned")
    ANSWER_UPDATED = "answer.updated", _("Answer saved")
    ANSWER_SUBMITTED = "answer.submitted", _("Answer submitted")
    ANSWER_VERIFIED = "answer.verified", _("Answer verified")
    ANSWER_VERIFY_REFUSED = "answer.verify_refused", _("Verification refused: own submission")
    ANSWER_RETURNED = "answer.returned", _("Answer returned")
    SCORE_SAVED = "score.saved", _("Score saved")
    NOTE_SAVED = "note.saved", _("Assessment notes saved")
    RESULT_OFFICIAL = "result.official", _("Official result entered")
    EXTENSION_GRANTED = "extension.granted", _("Questionnaire extended for an SKPD")
    EXTENSION_REVOKED = "extension.revoked", _("Questionnaire extension withdrawn")
    PACKAGE_REQUESTED = "package.requested", _("Package build requested")
    PACKAGE_BUILT = "package.built", _("Package built")
    PACKAGE_FAILED = "package.failed", _("Package build failed")
    PACKAGE_DOWNLOADED = "package.downloaded", _("Package downloaded")
    PACKAGE_VERIFIED = "package.verified", _("Package checked against its manifest")
    FOLLOWUP_CREATED = "followup.created", _("Follow-up item created")
    FOLLOWUP_UPDATED = "followup.updated", _("Follow-up item changed")
    FOLLOWUP_ASSIGNED = "followup.assigned", _("Follow-up item assigned to SKPDs")
    FOLLOWUP_DROPPED = "followup.dropped", _("Follow-up item dropped")
    FOLLOWUP_REOPENED = "followup.reopened", _("Follow-up item reopened")
    FOLLOWUP_STATUS = "followup.status", _("Follow-up item status followed its tasks")
    FOLLOWUP_LINKED = "followup.linked", _("Follow-up items linked to the new questionnaire")
    FOLLOWUP_TASK_REPORTED = "followup_task.reported", _("Follow-up task reported")
    MEETING_CREATED = "meeting.created", _("Meeting planned")
    MEETING_UPDATED = "meeting.updated", _("Meeting changed")
    MEETING_INVITATIONS_SENT = "meeting.invitations_sent", _("Meeting invitations sent")
    MEETING_RESPONDED = "meeting.responded", _("Meeting invitation answered")
    MEETING_ATTENDANCE = "meeting.attendance", _("Meeting attendance recorded")
    MEETING_MINUTES = "meeting.minutes", _("Meeting minutes attached")
    MEETING_CANCELLED = "meeting.cancelled", _("Meeting cancelled")


register_actions(EvaluationAction)
