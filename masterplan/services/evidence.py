"""Writes for the evidence library: safe uploads stored once by content hash, metadata per agency."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies.audit import apply_changes, audit_record, snapshot
from agencies.models import Agency
from common.uploads import Inspected, inspect_upload
from masterplan.models import Evidence, StoredFile

Actor = AbstractBaseUser | None
EVIDENCE_FIELDS = ("title", "kind", "document_number", "document_date", "issuer", "valid_until")


@dataclass(frozen=True)
class UploadResult:
    evidence: Evidence
    created: bool  # False: this agency's library already had these exact bytes (`evidence` is that entry)


def _stored_file_for(upload: UploadedFile, inspected: Inspected) -> StoredFile:
    """The blob for these bytes: the existing one, or a new one written under its hash."""
    existing = StoredFile.objects.filter(sha256=inspected.sha256).first()
    if existing is not None:
        return existing
    stored = StoredFile(
        sha256=inspected.sha256,
        size=inspected.size,
        content_type=inspected.content_type,
        extension=inspected.extension,
    )
    upload.seek(0)
    try:
        with transaction.atomic():
            stored.file.save(inspected.sha256 + inspected.extension, upload, save=True)
    except IntegrityError:
        # Someone stored the same bytes a moment ago: use theirs (our copy is an orphan with a suffixed name).
        stored.file.delete(save=False)
        return StoredFile.objects.get(sha256=inspected.sha256)
    return stored


@transaction.atomic
def evidence_upload(
    *, agency: Agency, by: Actor, upload: UploadedFile, data: Mapping[str, Any] | None = None
) -> UploadResult:
    """Check the file by content, store it once, and describe it in the agency's library."""
    inspected = inspect_upload(upload)
    stored = _stored_file_for(upload, inspected)
    duplicate = Evidence.objects.filter(agency=agency, stored_file=stored).first()
    if duplicate is not None:
        return UploadResult(duplicate, created=False)
    fields = {k: v for k, v in (data or {}).items() if k in EVIDENCE_FIELDS}
    fields["title"] = (fields.get("title") or "").strip() or inspected.original_name.rsplit(".", 1)[0]
    evidence = Evidence(
        agency=agency, stored_file=stored, original_name=inspected.original_name, uploaded_by=by, **fields
    )
    evidence.full_clean()
    evidence.save()
    changes = snapshot(evidence, fields.keys())
    changes.update({"file": inspected.original_name, "sha256": inspected.sha256, "size": inspected.size})
    audit_record(actor=by, action="evidence.uploaded", target=evidence, region=agency.region, changes=changes)
    return UploadResult(evidence, created=True)


@transaction.atomic
def evidence_update(*, evidence: Evidence, by: Actor, data: Mapping[str, Any]) -> Evidence:
    changes = apply_changes(evidence, {k: v for k, v in data.items() if k in EVIDENCE_FIELDS})
    if changes:
        evidence.full_clean()
        evidence.save()
        audit_record(
            actor=by, action="evidence.updated", target=evidence, region=evidence.agency.region, changes=changes
        )
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: Actor) -> None:
    """Remove an unused entry; the stored bytes go too when no library uses them any more."""
    if evidence.report_links.exists():
        raise ValidationError(_("This evidence is used in a report and cannot be deleted."))
    stored = evidence.stored_file
    audit_record(
        actor=by,
        action="evidence.deleted",
        target=evidence,
        region=evidence.agency.region,
        changes={"title": evidence.title, "file": evidence.original_name},
    )
    evidence.delete()
    if not stored.evidence.exists():
        name, storage = stored.file.name, stored.file.storage
        stored.delete()
        transaction.on_commit(lambda: storage.delete(name))
