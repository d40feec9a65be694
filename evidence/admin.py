"""Admin for the evidence library: read-only (files come in through the checked upload only)."""

from __future__ import annotations

from django.contrib import admin

from common.admin.read_only import ReadOnlyAdmin
from evidence.models import Evidence, StoredFile


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "agency", "document_number", "valid_until", "created_at")
    list_filter = ("kind", "agency__region")
    list_select_related = ("agency",)
    search_fields = ("title", "document_number", "original_name", "agency__acronym")


@admin.register(StoredFile)
class StoredFileAdmin(ReadOnlyAdmin):
    list_display = ("sha256", "content_type", "size", "created_at")
    search_fields = ("sha256",)
