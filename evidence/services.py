"""Writes for the evidence library: safe uploads stored once by content hash, metadata per agency."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _

from agencies.audit import apply_changes, audit_record, snapshot
from agencies.models import Agency
from common.uploads import Inspected, crc32_of, inspect_upload
from evidence import registry
from evidence.actions import EvidenceAction
from evidence.models import Evidence, StoredFile

Actor = AbstractBaseUser | None
EVIDENCE_FIELDS = ("title", "kind", "document_number", "document_date", "issuer", "valid_until")


@dataclass(frozen=True)
class UploadResult:
    evidence: Evidence
    created: bool  # False: this agency's library already had these exact bytes (`evidence` is that entry)


def already_stored(name: str, evidence: Evidence) -> str:
    return _("“%(name)s” is already in your library as “%(title)s”; it was not stored again.") % {
        "name": name,
        "title": evidence.title,
    }


def _stored_file_for(upload: UploadedFile, inspected: Inspected) -> StoredFile:
    """The blob for these bytes: the existing one, or a new one written under its hash."""
    existing = StoredFile.objects.filter(sha256=inspected.sha256).first()
    if existing is not None:
        if existing.crc32 is None:  # stored before CRCs were recorded: the same bytes give it now
            existing.crc32 = crc32_of(upload)
            StoredFile.objects.filter(pk=existing.pk, crc32__isnull=True).update(crc32=existing.crc32)
        return existing
    stored = StoredFile(
        sha256=inspected.sha256,
        size=inspected.size,
        crc32=crc32_of(upload),
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
        agency=agency,
        region_id=agency.region_id,
        stored_file=stored,
        original_name=inspected.original_name,
        uploaded_by=by,
        **fields,
    )
    evidence.full_clean()
    evidence.save()
    changes = snapshot(evidence, fields.keys())
    changes.update({"file": inspected.original_name, "sha256": inspected.sha256, "size": inspected.size})
    audit_record(actor=by, action=EvidenceAction.UPLOADED, target=evidence, region=agency.region, changes=changes)
    return UploadResult(evidence, created=True)


@dataclass(frozen=True)
class NewFiles:
    """What a form's evidence fields came to once its new files went into the library."""

    evidence: list[Evidence]  # the chosen library entries, then each newly stored (or already stored) file
    notices: list[str] = field(default_factory=list)  # "already in your library" notes for the page
    errors: ValidationError | None = None  # the refused files, keyed by the form's file field


def evidence_with_new_files(
    *,
    agency: Agency,
    by: Actor,
    uploads: Iterable[UploadedFile],
    kind: str,
    chosen: Iterable[Evidence],
    refused: Sequence[str] = (),
    field: str = "new_files",
) -> NewFiles:
    """Put a form's new uploads into `agency`'s library and return them with the entries it chose.

    Every form that takes evidence (progress reports, evaluation answers) goes through here. Each file is its own
    upload (its own transaction): a refused one does not stop the others, and its reason comes back in `errors`
    under `field`, with the files the upload handler already refused (`refused`), for the form to show beside
    its file input while the rest of the form is saved.
    """
    evidence = list(chosen)
    notices: list[str] = []
    problems = list(refused)
    for upload in uploads:
        try:
            result = evidence_upload(agency=agency, by=by, upload=upload, data={"kind": kind})
        except ValidationError as error:
            problems.extend(error.messages)
            continue
        if not result.created:
            notices.append(already_stored(upload.name or "", result.evidence))
        if result.evidence not in evidence:
            evidence.append(result.evidence)
    return NewFiles(evidence, notices, ValidationError({field: problems}) if problems else None)


@transaction.atomic
def evidence_update(*, evidence: Evidence, by: Actor, data: Mapping[str, Any]) -> Evidence:
    changes = apply_changes(evidence, {k: v for k, v in data.items() if k in EVIDENCE_FIELDS})
    if changes:
        evidence.full_clean()
        evidence.save()
        audit_record(
            actor=by, action=EvidenceAction.UPDATED, target=evidence, region=evidence.agency.region, changes=changes
        )
    return evidence


def uses_of(evidence: Evidence) -> list[str]:
    """The kinds of object (registered link labels) that use this entry: one query per registered link model."""
    return [str(link.label) for link in registry.registered() if link.links_to(evidence).exists()]


def _refuse_used(uses: Sequence[str]) -> ValidationError:
    return ValidationError(
        _("This evidence is still used: %(uses)s. Remove it there first; then it can be deleted.")
        % {"uses": ", ".join(uses)}
    )


@transaction.atomic
def evidence_delete(*, evidence: Evidence, by: Actor) -> None:
    """Remove an unused entry; the stored bytes go too when no library uses them any more."""
    # The row lock makes a link being added at this moment either commit first (and be seen below) or wait for
    # the delete and then fail on the foreign key, so a used file is never deleted.
    evidence = Evidence.objects.select_for_update().select_related("stored_file", "agency__region").get(pk=evidence.pk)
    uses = uses_of(evidence)
    if uses:
        raise _refuse_used(uses)
    stored = evidence.stored_file
    audit_record(
        actor=by,
        action=EvidenceAction.DELETED,
        target=evidence,
        region=evidence.agency.region,
        changes={"title": evidence.title, "file": evidence.original_name},
    )
    try:
        with transaction.atomic():
            evidence.delete()
    except (ProtectedError, RestrictedError) as error:
        # A link model that nobody registered still protects the row: refuse rather than fail.
        raise _refuse_used(sorted({str(o._meta.verbose_name) for o in error.args[1]})) from error
    if not stored.evidence.exists():
        name, storage = stored.file.name, stored.file.storage
        stored.delete()
        transaction.on_commit(lambda: storage.delete(name))
