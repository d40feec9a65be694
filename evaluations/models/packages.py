"""Packages built in the background: the evaluation bundle for the assessors and the monev report.

A package row is the build's whole story: who asked, the step and percentage a progress bar shows, the
worker's heartbeat (a build whose heartbeat stops is a dead worker's, see services.packages), the error, the
timings, and at the end its files with their sizes and SHA-256. Files are written to a temporary place and only
named here once complete and hashed, so a half-written file is never offered for download.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from evaluations.models.cycles import EvaluationCycle


def package_path(package: Package, filename: str) -> str:
    return f"packages/{package.region_id}/{package.pk}/{filename}"


class Package(models.Model):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Evaluation package")
        MONEV = "monev", _("Monev report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Building")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Step(models.TextChoices):
        WAITING = "waiting", _("Waiting for a worker")
        COLLECTING = "collecting", _("Collecting the data")
        PDF = "pdf", _("Writing the PDF")
        EXCEL = "excel", _("Writing the Excel workbook")
        ZIP = "zip", _("Packing the ZIP")
        DONE = "done", _("Done")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.SUBMISSION)
    cycle = models.ForeignKey(
        EvaluationCycle,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="packages",
        verbose_name=_("evaluation cycle"),
    )
    # The monev report's year and period (the period numbers of the region's masterplan; 0 = the whole year).
    year = models.PositiveSmallIntegerField(_("year"))
    period = models.PositiveSmallIntegerField(_("period"), default=0)
    # Final: built from a locked cycle. A draft package says DRAF on every PDF page.
    is_final = models.BooleanField(_("final"), default=False)
    language = models.CharField(_("language"), max_length=10, default="id")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    step = models.CharField(_("step"), max_length=12, choices=Step.choices, default=Step.WAITING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    timings = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("built by"),
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # What the data looked like when it was collected (see selectors.package.data_stamp): a different stamp
    # now means the cycle changed since and the package is out of date.
    data_stamp = models.CharField(max_length=64, blank=True)

    archive = models.FileField(upload_to=package_path, max_length=255, blank=True)
    archive_size = models.BigIntegerField(null=True, blank=True)
    archive_sha256 = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(upload_to=package_path, max_length=255, blank=True)
    pdf_size = models.BigIntegerField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pdf_pages = models.PositiveIntegerField(null=True, blank=True)
    workbook = models.FileField(upload_to=package_path, max_length=255, blank=True)
    workbook_size = models.BigIntegerField(null=True, blank=True)
    workbook_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("package")
        verbose_name_plural = _("packages")
        ordering: ClassVar = ["-requested_at", "-pk"]
        constraints: ClassVar = [
            # The double-click guard, held by the database: one build at a time per cycle (or monev period).
            models.UniqueConstraint(
                fields=["cycle"],
                condition=models.Q(status__in=["queued", "running"], cycle__isnull=False),
                name="package_one_active_build_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "period"],
                condition=models.Q(status__in=["queued", "running"], kind="monev"),
                name="package_one_active_monev_build",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["cycle", "-requested_at"], name="package_cycle_idx")]

    def __str__(self) -> str:
        if self.kind == self.Kind.MONEV:
            return f"{self.get_kind_display()} {self.year}" + (f" P{self.period}" if self.period else "")
        return f"{self.get_kind_display()} {self.cycle}"

    def get_absolute_url(self) -> str:
        return reverse("evaluations:package", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def file_name(self, part: str) -> str:
        """The name a download of `part` (archive, pdf, workbook) gets: readable and unique per package."""
        extension = {"archive": "zip", "pdf": "pdf", "workbook": "xlsx"}[part]
        region = self.region.name.replace(" ", "-")
        if self.kind == self.Kind.MONEV:
            stem = f"Monev-{region}-{self.year}" + (f"-P{self.period}" if self.period else "")
        else:
            draft = "" if self.is_final else "-DRAF"
            stem = f"Paket-Evaluasi-{region}-{self.cycle.year}-{self.cycle.stage.replace(' ', '-')}{draft}"
        return f"{stem}-{self.pk}.{extension}"
