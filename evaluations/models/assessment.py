"""What the assessors give back: scores, notes, and the official result letter."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.models.cycles import EvaluationCycle
from evaluations.models.questionnaires import Question
from masterplan.models import Dimension

SCORE = [
    MinValueValidator(Decimal(0), _("A score is between 0 and 5.")),
    MaxValueValidator(Decimal(5), _("A score is between 0 and 5.")),
]


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
