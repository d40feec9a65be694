"""The yearly Kominfo evaluation: cycles, versioned questionnaires, SKPD answers with evidence, assessment."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Agency, Region
from evidence.models import Evidence
from masterplan.models import YEAR_VALIDATORS, Dimension, Element

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]
SCORE = [
    MinValueValidator(Decimal(0), _("A score is between 0 and 5.")),
    MaxValueValidator(Decimal(5), _("A score is between 0 and 5.")),
]


class Lens(models.TextChoices):
    """The five lenses of the assessment; their weights are data of each cycle."""

    BASELINE = "baseline", _("Baseline")
    OUTPUT = "output", _("Output")
    OUTCOME = "outcome", _("Outcome")
    IMPACT = "impact", _("Impact")
    QUICK_WIN = "quick_win", _("Quick Win")


class Questionnaire(models.Model):
    """One version of a region's questionnaire. A version in use is never edited: a change makes a new one."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="questionnaires")
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("previous version"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering: ClassVar = ["region", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Question(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", _("Yes/no")
        CHOICE = "choice", _("Choice")
        LEVEL = "level", _("Level 1–5")
        NUMBER = "number", pgettext_lazy("answer kind", "Number")
        PERCENTAGE = "percentage", _("Percentage")
        TEXT = "text", _("Text")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=30)
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, related_name="questions", verbose_name=_("dimension")
    )
    element = models.ForeignKey(
        Element, on_delete=models.PROTECT, null=True, blank=True, related_name="questions", verbose_name=_("element")
    )
    lens = models.CharField(_("lens"), max_length=12, choices=Lens.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("question"))
    help_text = models.TextField(_("help"), blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    level_criteria = models.JSONField(_("criteria per level"), default=list, blank=True)
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering: ClassVar = ["dimension__order", "order", "code"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_code_unique_in_version"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    def clean(self) -> None:
        if self.kind == self.Kind.CHOICE and len(self.choices or []) < 2:
            raise ValidationError({"choices": _("A choice question needs at least two choices.")})
        if self.kind == self.Kind.LEVEL and len(self.level_criteria or []) != 5:
            raise ValidationError({"level_criteria": _("A level question needs a criterion for each of the 5 levels.")})
        if self.element_id and self.dimension_id and self.element.dimension_id != self.dimension_id:
            raise ValidationError({"element": _("The element belongs to another dimension.")})


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


class Answer(models.Model):
    """An SKPD's answer to an assigned question: draft → submitted → verified by DKISP, or returned."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned")
        VERIFIED = "verified", _("Verified")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="answers", verbose_name=_("SKPD"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    value_bool = models.BooleanField(_("yes/no"), null=True, blank=True)
    value_choice = models.CharField(_("choice"), max_length=255, blank=True)
    value_level = models.PositiveSmallIntegerField(
        _("level"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    value_number = models.DecimalField(_("number"), max_digits=18, decimal_places=4, null=True, blank=True)
    value_text = models.TextField(_("answer"), blank=True)
    narrative = models.TextField(_("explanation"), blank=True)
    evidence = models.ManyToManyField(Evidence, through="AnswerEvidence", related_name="answers", blank=True)
    version = models.PositiveIntegerField(default=1)
    return_reason = models.TextField(_("reason for return"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Who submitted it: that person may not verify it too (separation of duties), whatever roles they hold.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    carried_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried forward from"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cycle", "question"], name="answer_once_per_question"),
        ]
        indexes: ClassVar = [models.Index(fields=["cycle", "agency", "status"], name="answer_cycle_agency_idx")]

    def __str__(self) -> str:
        return f"{self.question.code} · {self.agency.acronym}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:answer", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    def why_not_editable(self) -> str:
        """What the policy's "not now" means for this answer, told to the person who tried."""
        if self.cycle.is_locked:
            return _("The %(cycle)s cycle is locked; nothing in it can be changed.") % {"cycle": self.cycle}
        if not self.is_editable:
            return _("This answer is %(status)s and can no longer be changed.") % {
                "status": self.get_status_display().lower()
            }
        return _("The questionnaire is closed for your SKPD; ask DKISP for an extension if you need more time.")

    @property
    def is_carried_untouched(self) -> bool:
        """Carried from last year and not saved, submitted or reviewed in this cycle yet."""
        return self.carried_from_id is not None and self.version == 1

    @property
    def has_value(self) -> bool:
        kind = self.question.kind
        Kind = Question.Kind
        if kind == Kind.YES_NO:
            return self.value_bool is not None
        if kind == Kind.CHOICE:
            return bool(self.value_choice)
        if kind == Kind.LEVEL:
            return self.value_level is not None
        if kind in (Kind.NUMBER, Kind.PERCENTAGE):
            return self.value_number is not None
        return bool(self.value_text.strip())


class AnswerEvidence(models.Model):
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="answer_links")
    carried = models.BooleanField(default=False)

    class Meta:
        constraints: ClassVar = [models.UniqueConstraint(fields=["answer", "evidence"], name="answer_evidence_once")]

    def __str__(self) -> str:
        return f"{self.answer_id} ← {self.evidence_id}"


class Score(models.Model):
    """The assessors' score of one question (0–5, or the level chosen for a level question)."""

    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.CASCADE, related_name="scores")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=3, decimal_places=2, validators=SCORE)
    note = models.CharField(_("note"), max_length=500, blank=True)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    scored_at = models.DateTimeField(auto_now=True)
    # The answer's version when this score was last saved: a higher version now means the submission changed
    # after scoring (the cycle was unlocked and the SKPD edited it), which the assessor must be shown.
    answer_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints: ClassVar = [models.UniqueConstraint(fields=["cycle", "question"], name="score_once_per_question")]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.value}"


class AssessmentNote(models.Model):
    """Strengths, weaknesses and recommendations, per dimension or (no dimension) overall."""

    cycle = models.ForeignKey(EvaluationCycle, on_delete=models.CASCADE, related_name="notes")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    strengths = models.TextField(_("strengths (kekuatan)"), blank=True)
    weaknesses = models.TextField(_("weaknesses (kelemahan)"), blank=True)
    recommendations = models.TextField(_("recommendations (rekomendasi)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessment note")
        verbose_name_plural = _("assessment notes")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["cycle", "dimension"], name="note_once_per_dimension"),
            models.UniqueConstraint(
                fields=["cycle"], condition=models.Q(dimension__isnull=True), name="overall_note_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.dimension or _('overall')}"


class OfficialResult(models.Model):
    """The figures of Kominfo's result letter, when the assessment happened outside the app."""

    cycle = models.OneToOneField(EvaluationCycle, on_delete=models.CASCADE, related_name="official_result")
    letter_number = models.CharField(_("result letter number"), max_length=120, blank=True)
    letter_date = models.DateField(_("result letter date"), null=True, blank=True)
    final_index = models.DecimalField(_("final index"), max_digits=4, decimal_places=2, validators=SCORE)
    lens_indices = models.JSONField(_("index per lens"), default=dict, blank=True)
    dimension_indices = models.JSONField(_("index per dimension"), default=dict, blank=True)
    # Why the letter's final index differs from the one computed from its lens figures and the cycle's weights.
    difference_note = models.TextField(_("note on the difference"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("official result")
        verbose_name_plural = _("official results")

    def __str__(self) -> str:
        return f"{self.cycle}: {self.final_index}"


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
