"""Progress-report reminders: the daily command's steps, the coordinator's chases, and escalations."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region


class ReportReminder(models.Model):
    """One reminder about progress reports that reached (or was meant for) an SKPD.

    STEP rows are written by the daily command, one per (SKPD, period, step), so a missed day is caught up and
    a second run sends nothing. CHASE rows are the coordinator's own reminders from the dashboard: at most one a
    day per SKPD. ESCALATION rows record that an SKPD still late after the last step was reported upwards (the
    coordinator's digest and, when configured, the region's escalation official), once per period.
    """

    class Kind(models.TextChoices):
        STEP = "step", _("Scheduled reminder")
        CHASE = "chase", _("Reminder from DKISP")
        ESCALATION = "escalation", _("Escalation")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="report_reminders", verbose_name=_("SKPD")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The period the reminder is about (a chase names the oldest late period it lists).
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.PositiveSmallIntegerField(_("period"))
    # STEP: days before the period's due date (negative once overdue); None for the other kinds.
    days_before = models.SmallIntegerField(_("days before the due date"), null=True, blank=True)
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    late_count = models.PositiveIntegerField(_("reports late or due"), default=0)

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        ordering: ClassVar = ["-sent_at", "-id"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["agency", "year", "period", "days_before"],
                condition=Q(kind="step"),
                name="report_reminder_step_once",
            ),
            models.UniqueConstraint(
                fields=["agency", "sent_on"], condition=Q(kind="chase"), name="report_chase_once_a_day"
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "period"], condition=Q(kind="escalation"), name="report_escalation_once"
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["region", "sent_on"], name="report_reminder_region_idx")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}/{self.period} {self.kind} {self.sent_on:%Y-%m-%d}"
