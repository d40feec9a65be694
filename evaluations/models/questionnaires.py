"""The questionnaire: versions of questions, each in a dimension and a lens."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Region
from masterplan.models import Dimension, Element


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
