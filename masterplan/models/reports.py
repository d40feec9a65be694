"""Periodic progress reports of a programme by an SKPD, against the indicators' yearly targets."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from common.links import reverse_pk
from evidence.models import Evidence
from masterplan.models.plan import YEAR_VALIDATORS, Indicator, PeriodType, Programme

PERIODS_PER_YEAR = {PeriodType.QUARTERLY: 4, PeriodType.SEMESTER: 2, PeriodType.ANNUAL: 1}


def period_end(period_type: str, year: int, period: int) -> dt.date:
    """The last day of period `period` (1-based) of `year` under `period_type`."""
    months = 12 // PERIODS_PER_YEAR[PeriodType(period_type)]
    month = months * period
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_label(period_type: str, year: int, period: int) -> str:
    if period_type == PeriodType.QUARTERLY:
        return _("Q%(n)s %(year)s") % {"n": period, "year": year}
    if period_type == PeriodType.SEMESTER:
        return _("H%(n)s %(year)s") % {"n": period, "year": year}
    return str(year)


class ProgressReport(models.Model):
    """One SKPD's report on one programme for one period: draft → submitted → approved (or returned)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        APPROVED = "approved", _("Approved")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="reports", verbose_name=_("programme")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="reports", verbose_name=_("reporting SKPD")
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    period = models.PositiveSmallIntegerField(_("period"))
    period_type = models.CharField(_("period type"), max_length=20, choices=PeriodType.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    narrative = models.TextField(_("progress narrative"), blank=True)
    obstacles = models.TextField(_("obstacles (kendala)"), blank=True)
    follow_up = models.TextField(_("follow-up (tindak lanjut)"), blank=True)
    budget_plan = models.DecimalField(_("budget plan (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True)
    budget_realisation = models.DecimalField(
        _("budget realisation (Rp)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    evidence = models.ManyToManyField(
        Evidence, through="ReportEvidence", related_name="reports", blank=True, verbose_name=_("evidence")
    )
    # Optimistic concurrency: every save bumps it, and a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Who submitted it: that person may not approve it too (separation of duties), whatever roles they hold.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    decided_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering: ClassVar = ["-year", "-period", "programme__code"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["programme", "agency", "year", "period"], name="report_once_per_agency_and_period"
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["status", "year", "period"], name="report_status_period_idx"),
            models.Index(fields=["agency", "year", "period"], name="report_agency_period_idx"),
            # DKISP's review queue: one status, oldest submission first, read 50 at a time from the index instead
            # of sorting every report of that status (bench/README.md, "Query plans").
            models.Index(fields=["status", "submitted_at", "id"], name="report_status_submitted_idx"),
            models.Index(fields=["submitted_at", "id"], name="report_submitted_idx"),  # the same, all statuses
        ]

    def __str__(self) -> str:
        return f"{self.programme.code} · {self.agency.acronym} · {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse_pk("masterplan:report", self.pk)

    @property
    def period_label(self) -> str:
        return period_label(self.period_type, self.year, self.period)

    @property
    def period_end(self) -> dt.date:
        return period_end(self.period_type, self.year, self.period)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def why_not_editable(self) -> str:
        """What the policy's "not now" means for this report, told to the person who tried."""
        return _("This report is %(status)s and can no longer be changed.") % {
            "status": self.get_status_display().lower()
        }


class ReportEvidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="report_links")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["report", "evidence"], name="report_evidence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id} ← {self.evidence_id}"


class IndicatorRealisation(models.Model):
    """What an indicator reached in a report's period (its progress is computed against the year's target)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="realisations")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="realisations")
    value = models.DecimalField(_("realisation"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("indicator realisation")
        verbose_name_plural = _("indicator realisations")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["report", "indicator"], name="realisation_once_per_indicator"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.name}: {self.value}"
