"""Admin for system administrators: regions, agencies, memberships and the (read-only) audit log.

Every save and delete made here leaves an AuditEvent (`AuditedAdminMixin`), as every service write does;
spreadsheet imports leave one summary event each (see `agencies.resources.AuditedResource`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportModelAdmin

from agencies.actions import AgencyAction
from agencies.audit import AdminVerb, admin_action, audit_record, snapshot
from agencies.models import Agency, AuditEvent, Membership, NationalStaff, Region
from agencies.resources import AgencyResource, RegionResource
from agencies.services import password_reset_send
from common.admin.spreadsheet import SpreadsheetAdminMixin


def _labels(objects: Any) -> list[str]:
    return sorted(str(obj) for obj in objects or [])


def form_changes(form: ModelForm, original: models.Model | None, obj: models.Model) -> dict[str, Any]:
    """The form's changed model fields: {field: value} for a new object, {field: [old, new]} for a change."""
    changes: dict[str, Any] = {}
    for name in form.changed_data:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # form-only fields (an inline's DELETE box) are not data
        if field.many_to_many:
            # Saved after the object itself, so the new value comes from the form, the old one from the database.
            new = _labels(form.cleaned_data.get(name))
            changes[name] = new if original is None else [_labels(getattr(original, name).all()), new]
        else:
            new = snapshot(obj, [name])[name]
            changes[name] = new if original is None else [snapshot(original, [name])[name], new]
    return changes


class AuditedAdminMixin:
    """Audit every admin save and delete (inline rows included) with the project's audit log.

    `audit_region_path` leads from the object to its region ("masterplan__region"), "" when the object is
    a region, None for national data. The admin runs each change view in one transaction, so the events
    commit with the change.
    """

    audit_region_path: str | None = None
    model: type[models.Model]

    def audit_region(self, obj: models.Model) -> Region | None:
        if self.audit_region_path is None:
            return None
        target: Any = obj
        for name in filter(None, self.audit_region_path.split("__")):
            target = getattr(target, name, None)
            if target is None:
                return None
        return target if isinstance(target, Region) else None

    def _audit(
        self, request: HttpRequest, obj: models.Model, verb: AdminVerb, changes: dict[str, Any], region: Region | None
    ) -> None:
        audit_record(
            actor=request.user,
            action=admin_action(obj, verb),
            target=obj,
            region=region,
            changes=changes,
        )

    def _originals(self, model: type[models.Model], pks: list[Any]) -> dict[Any, models.Model]:
        # The form has already written its values onto the instance; the database still has the old ones.
        return model._default_manager.in_bulk([pk for pk in pks if pk is not None]) if pks else {}

    def save_model(self, request: HttpRequest, obj: models.Model, form: ModelForm, change: bool) -> None:
        original = self._originals(type(obj), [obj.pk]).get(obj.pk) if change else None
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        changes = form_changes(form, original, obj)
        self._audit(request, obj, "changed" if change else "added", changes, self.audit_region(obj))

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        # Recorded first, while the object still has its id for the event to point at.
        self._audit(request, obj, "deleted", snapshot(obj, self._audit_fields(obj)), self.audit_region(obj))
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit(request, obj, "deleted", snapshot(obj, self._audit_fields(obj)), self.audit_region(obj))
        super().delete_queryset(request, queryset)  # type: ignore[misc]

    def save_formset(self, request: HttpRequest, form: ModelForm, formset: BaseFormSet, change: bool) -> None:
        # Inline rows belong to the parent object, and so does their region.
        region = self.audit_region(form.instance)
        for inline_form in formset.deleted_forms:
            obj = inline_form.instance
            if obj.pk is not None:
                self._audit(request, obj, "deleted", snapshot(obj, self._audit_fields(obj)), region)
        changed_forms = [f for f in formset.initial_forms if f not in formset.deleted_forms and f.has_changed()]
        originals = self._originals(formset.model, [f.instance.pk for f in changed_forms])
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        for inline_form in formset.extra_forms:
            obj = inline_form.instance
            if obj.pk is not None and inline_form.has_changed():
                self._audit(request, obj, "added", form_changes(inline_form, None, obj), region)
        for inline_form in changed_forms:
            obj = inline_form.instance
            self._audit(request, obj, "changed", form_changes(inline_form, originals.get(obj.pk), obj), region)

    @staticmethod
    def _audit_fields(obj: models.Model) -> list[str]:
        return [f.name for f in obj._meta.concrete_fields if not f.primary_key]


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


class AuditedImportExportAdmin(AuditedAdminMixin, SpreadsheetAdminMixin, ImportExportModelAdmin):
    pass


@admin.register(Region)
class RegionAdmin(AuditedImportExportAdmin):
    resource_classes = [RegionResource]
    audit_region_path = ""
    list_display = ("name", "bps_code", "kind", "province", "seat", "is_active")
    list_filter = ("kind", "is_active", "province")
    search_fields = ("name", "bps_code", "province")
    ordering = ("name",)


@admin.register(Agency)
class AgencyAdmin(AuditedImportExportAdmin):
    resource_classes = [AgencyResource]
    audit_region_path = "region"
    list_display = ("acronym", "name", "region", "kind", "is_active", "predecessor")
    list_display_links = ("acronym", "name")
    list_filter = ("region", "kind", "is_active")
    list_select_related = ("region", "predecessor")
    search_fields = ("acronym", "name", "region__name", "region__bps_code")
    autocomplete_fields = ("region", "predecessor")

    def get_readonly_fields(self, request: HttpRequest, obj: Agency | None = None) -> tuple[str, ...]:
        # An agency never moves to another region (Agency.clean says why).
        return (*super().get_readonly_fields(request, obj), *(("region",) if obj else ()))


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    audit_region_path = "region"
    list_display = ("user", "role", "region", "agency", "is_active", "created_at")
    list_filter = ("role", "is_active", "region")
    list_select_related = ("user", "region", "agency")
    search_fields = ("user__username", "user__email", "agency__acronym", "agency__name", "region__name")
    autocomplete_fields = ("user", "region", "agency")
    readonly_fields = ("created_at",)


@admin.register(NationalStaff)
class NationalStaffAdmin(AuditedModelAdmin):
    """Who reads the national view and assigns assessors across regions: national data, audited without a region."""

    audit_region_path = None
    list_display = ("user", "unit", "is_active", "created_at")
    list_filter = ("is_active",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__email", "user__first_name", "user__last_name", "unit")
    autocomplete_fields = ("user",)
    readonly_fields = ("created_at",)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The log itself: readable and searchable, never writable (not even by superusers)."""

    list_display = ("created_at", "actor_label", "action", "target_label", "region", "ip_address")
    list_filter = ("action", "region")
    list_select_related = ("region",)
    search_fields = ("action", "actor_label", "target_label", "reason")
    date_hierarchy = "created_at"
    readonly_fields = (
        "created_at",
        "actor",
        "actor_label",
        "region",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "changes",
        "reason",
        "ip_address",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    """Django's user admin, audited, with a password link to send instead of a password to hand over."""

    actions = ("send_password_reset",)

    @admin.action(description=gettext_lazy("Send a link to set a new password"), permissions=("change",))
    def send_password_reset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        sent = 0
        for user in queryset.order_by("username"):
            try:
                password_reset_send(user=user, by=request.user)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                sent += 1
        if sent:
            self.message_user(request, _("Password links sent: %(n)s.") % {"n": sent}, messages.SUCCESS)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        # Django's form sets the password itself; the event commits with it or not at all.
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                audit_record(actor=request.user, action=AgencyAction.PASSWORD_CHANGED, target=user)
        return response
