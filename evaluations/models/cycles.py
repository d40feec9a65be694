"""An evaluation cycle (one stage of one year), who answers which question, and its window."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region
from evaluations.models.questionnaires import Lens, Question, Questionnaire
from masterplan.models import YEAR_VALIDATORS

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class EvaluationCycle(models.Model):
    """One stage of one year's evaluation of a region (e.g. 2023 Tahap I, Surabaya, 12 June 2023)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    stage = models.CharField(_("stage"), max_length=60, help_text=_("E.g. Tahap I."))
    letter_number = models.CharField(_("Ditjen Aptika letter number"), max_length=120, blank=True)
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cycles",
        verbose_name=_("questionnaire version"),
    )
    opens_on = models.DateField(_("questionnaire opens"))
    closes_on = models.DateField(_("questionnaire closes"))
    internal_deadline = models.DateField(_("internal SKPD deadline"))
    meeting_date = models.DateField(_("assessment meeting date"), null=True, blank=True)
    meeting_place = models.CharField(_("assessment meeting place"), max_length=200, blank=True)
    weight_baseline = models.DecimalField(_("Baseline weight (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    weight_output = models.DecimalField(_("Output weight (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    weight_outcome = models.DecimalField(_("Outcome weight (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    weight_impact = models.DecimalField(_("Impact weight (%)"), max_digits=5, decimal_places=2, validators=PERCENT)
    weight_quick_win = models.DecimalField(
        _("Quick Win weight (%)"), max_digits=5, decimal_places=2, validators=PERCENT
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assessed_cycles", verbose_name=_("assessors")
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_cycles",
        verbose_name=_("carried forward from"),
    )
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation cycle")
        verbose_name_plural = _("evaluation cycles")
        ordering: ClassVar = ["-year", "-opens_on", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["region", "year", "stage"], name="cycle_unique_stage_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.stage}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:cycle", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def weights(self) -> dict[str, Decimal]:
        return {lens: getattr(self, f"weight_{lens}") for lens in Lens.values}

    def clean(self) -> None:
        errors = {}
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            errors["closes_on"] = _("The questionnaire cannot close before it opens.")
        if self.opens_on and self.internal_deadline and self.internal_deadline < self.opens_on:
            errors["internal_deadline"] = _("The internal deadline cannot be before the questionnaire opens.")
        weights = [getattr(self, f"weight_{lens}") for lens in Lens.values]
        if all(w is not None for w in weights) and sum(weights) != 100:
            errors["weight_quick_win"] = _("The five lens weights must add up to 100 %% (now %(sum)s %%).") % {
                "sum": sum(weights)
            }
        if errors:
            raise ValidationError(errors)


class Assignment(models.Model):
    """Which SKPD answers a question in a cycle, helped by others, by when."""

    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.CASCADE, related_name="assignments")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("responsible SKPD")
    )
    supporting_agencies = models.ManyToManyField(
        Agency, blank=True, related_name="supported_assignments", verbose_name=_("supporting SKPDs")
    )
    deadline = models.DateField(_("deadline"))

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cycle", "question"], name="assignment_once_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code} → {self.agency.acronym}"


class WindowExtension(models.Model):
    """The coordinator's extension of the questionnaire window for one SKPD, past the cycle's `closes_on`."""

    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.CASCADE, related_name="extensions")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("SKPD"))
    closes_on = models.DateField(_("extended until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("window extension")
        verbose_name_plural = _("window extensions")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cycle", "agency"], name="extension_once_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.agency.acronym} → {self.closes_on}"


class ReminderLog(models.Model):
    """One deadline reminder sent, so a second run of the daily command the same day sends nothing."""

    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    days_before = models.SmallIntegerField()

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cycle", "agency", "days_before"], name="reminder_once_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} {self.agency} −{self.days_before}"
