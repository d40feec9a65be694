"""The evidence library (bukti dukung): one stored blob per distinct file, described per agency.

The tables keep the names they had when the library lived in `masterplan` (migrated in place, no copy).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region
from common.links import reverse_pk


def stored_file_path(instance: StoredFile, filename: str) -> str:
    # Named by content hash: never by the uploaded name, and the same bytes land in the same place.
    return f"evidence/{instance.sha256[:2]}/{instance.sha256[2:4]}/{instance.sha256}{instance.extension}"


class StoredFile(models.Model):
    """The bytes of an uploaded file, stored once however many libraries and reports use them."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    file = models.FileField(_("file"), upload_to=stored_file_path, max_length=200)
    size = models.BigIntegerField(_("size (bytes)"))
    # CRC-32 of the bytes, as a ZIP member header needs it: known in advance, the evaluation package copies the
    # file into its ZIP inside the kernel instead of reading it through Python to compute it. Empty for files
    # stored before it was recorded (the package then computes it while copying).
    crc32 = models.BigIntegerField(_("CRC-32"), null=True, blank=True, editable=False)
    content_type = models.CharField(_("content type"), max_length=120)
    extension = models.CharField(_("extension"), max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "masterplan_storedfile"
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")

    def __str__(self) -> str:
        return f"{self.sha256[:12]}{self.extension}"

    @property
    def previewable(self) -> bool:
        """Whether a browser can show it inline (PDF viewer or image)."""
        return self.content_type in {"application/pdf", "image/jpeg", "image/png"}

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Evidence(models.Model):
    """A document in an agency's library, with the metadata assessors look for."""

    class Kind(models.TextChoices):
        PERBUP = "perbup", _("Regent regulation (Perbup/Perda)")
        SK = "sk", _("Decree (SK)")
        REPORT = "report", _("Report (laporan)")
        MINUTES = "minutes", _("Minutes (notulen)")
        ATTENDANCE = "attendance", _("Attendance list (daftar hadir)")
        PHOTO = "photo", _("Photo documentation")
        DPA = "dpa", _("Budget document (DPA)")
        PRESENTATION = "presentation", _("Presentation")
        APP_INVENTORY = "app_inventory", _("Application inventory")
        OTHER = "other", _("Other")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("agency"))
    # The agency's region, copied when the entry is made (an agency never changes region): DKISP's library of the
    # whole region is then read a page at a time from one index, newest first. Through the agency, PostgreSQL
    # had to gather and sort every entry of the region's 60 SKPDs, which grew with the country
    # (bench/README.md, "National scale").
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("region")
    )
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    document_number = models.CharField(_("document number"), max_length=120, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="evidence")
    original_name = models.CharField(_("original file name"), max_length=160)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "masterplan_evidence"
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering: ClassVar = ["-created_at", "-id"]
        constraints: ClassVar = [
            # The same bytes appear once per library; a second upload points the user at the first.
            models.UniqueConstraint(fields=["agency", "stored_file"], name="evidence_file_once_per_agency"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["agency", "kind"], name="evidence_agency_kind_idx"),
            # The library's order, newest first: an SKPD's own library and the region's are read a page at a time
            # from these instead of sorting every entry (bench/README.md, "Query plans").
            models.Index(fields=["agency", "-created_at", "-id"], name="evidence_agency_newest_idx"),
            models.Index(fields=["region", "-created_at", "-id"], name="evidence_region_newest_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.region_id is None and self.agency_id is not None:
            self.region_id = Agency.objects.values_list("region_id", flat=True).get(pk=self.agency_id)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse_pk("evidence:detail", self.pk)

    @property
    def is_expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()
