"""The follow-up loop: preparation meetings of a cycle, and the register of what the assessors (or a meeting)
asked the region to do, assigned to SKPDs as tasks that come back with evidence."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.models import Agency, Region
from evaluations.models.cycles import EvaluationCycle
from evaluations.models.questionnaires import Question
from evidence.models import Evidence
from masterplan.models import Dimension


class Meeting(models.Model):
    """A preparation meeting (rapat persiapan) or coordination meeting (rakor) of the Tim Pelaksana on a cycle."""

    class Kind(models.TextChoices):
        PREPARATION = "preparation", _("Preparation meeting (rapat persiapan)")
        COORDINATION = "coordination", _("Coordination meeting (rakor)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    cycle = models.ForeignKey(
        EvaluationCycle, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("evaluation cycle")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PREPARATION)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    # Kept as evidence in DKISP's library, so they can back answers and travel in the package like any other.
    minutes = models.ForeignKey(
        Evidence, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("minutes")
    )
    attendance_list = models.ForeignKey(
        Evidence,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed attendance list"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering: ClassVar = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluations:meeting", args=[self.pk])


class MeetingInvitation(models.Model):
    """One SKPD invited to a meeting: whether its head must come, who it says will come, and who came."""

    class Response(models.TextChoices):
        PENDING = "pending", _("Not confirmed yet")
        HEAD = "head", _("The head attends")
        DELEGATE = "delegate", _("A delegate attends")
        DECLINED = "declined", _("Cannot attend")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("SKPD"))
    head_required = models.BooleanField(_("head must attend"), default=False)
    response = models.CharField(_("response"), max_length=12, choices=Response.choices, default=Response.PENDING)
    attendee_name = models.CharField(_("attendee's name"), max_length=150, blank=True)
    attendee_position = models.CharField(_("attendee's position"), max_length=150, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    # Recorded on the day by DKISP: None until then.
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting invitation")
        verbose_name_plural = _("meeting invitations")
        ordering: ClassVar = ["meeting", "agency__name"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="invitation_once_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.agency}"


class FollowUpItem(models.Model):
    """One entry of the recommendation register: an assessors' weakness or recommendation, or a meeting's
    decision, that the region must act on. Assigned to SKPDs as tasks; its status follows theirs."""

    class Source(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Assessors' recommendation")
        WEAKNESS = "weakness", _("Assessors' weakness")
        DECISION = "decision", _("Meeting decision")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("follow-up status", "In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    CLOSED = (Status.DONE, Status.DROPPED)

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    # The cycle whose assessment (or whose preparation meeting) gave rise to the item.
    cycle = models.ForeignKey(
        EvaluationCycle, on_delete=models.PROTECT, related_name="followup_items", verbose_name=_("evaluation cycle")
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    dimension = models.ForeignKey(
        Dimension, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("dimension")
    )
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    drop_reason = models.TextField(_("reason for dropping"), blank=True)
    # The same recommendation made in an earlier year: the register shows such an item as recurring.
    recurs = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recurrences",
        verbose_name=_("same as the earlier item"),
    )
    # The questions it concerns: in its own cycle's questionnaire, and (linked when the next cycle gets its
    # questionnaire) the questions with the same code there, so readiness and the assessors see it.
    questions = models.ManyToManyField(
        Question, blank=True, related_name="followup_items", verbose_name=_("questions concerned")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("follow-up item")
        verbose_name_plural = _("follow-up items")
        ordering: ClassVar = ["-cycle__year", "dimension__order", "pk"]
        indexes: ClassVar = [models.Index(fields=["region", "status"], name="followup_item_region_idx")]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("evaluations:followup_item", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED


class FollowUpTask(models.Model):
    """One SKPD's share of a follow-up item, due by a date, reported back with a narrative and evidence."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("follow-up status", "In progress")
        DONE = "done", _("Done")

    item = models.ForeignKey(FollowUpItem, on_delete=models.CASCADE, related_name="tasks")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="followup_tasks", verbose_name=_("SKPD"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    report = models.TextField(_("what was done"), blank=True)
    evidence = models.ManyToManyField(
        Evidence, through="FollowUpEvidence", related_name="followup_tasks", blank=True, verbose_name=_("evidence")
    )
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering: ClassVar = ["due_on", "pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["item", "agency"], name="followup_task_once_per_agency"),
        ]
        indexes: ClassVar = [models.Index(fields=["agency", "status", "due_on"], name="followup_task_agency_idx")]

    def __str__(self) -> str:
        return f"{self.agency} · {self.item}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:followup_task", args=[self.pk])


class FollowUpEvidence(models.Model):
    task = models.ForeignKey(FollowUpTask, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="followup_links")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["task", "evidence"], name="followup_evidence_once"),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} ← {self.evidence_id}"
