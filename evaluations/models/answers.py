"""SKPDs' answers and the evidence that backs them."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from common.links import reverse_pk
from evaluations.models.cycles import EvaluationCycle
from evaluations.models.questionnaires import Question
from evidence.models import Evidence


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
        return reverse_pk("evaluations:answer", self.pk)

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
