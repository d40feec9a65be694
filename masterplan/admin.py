"""Admin for the masterplan: the national framework (read-mostly), masterplans, programmes and indicators."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from agencies.admin import AuditedImportExportAdmin, AuditedModelAdmin
from agencies.models import Region
from common.admin.read_only import ReadOnlyAdmin
from masterplan.models import (
    Dimension,
    Element,
    Indicator,
    IndicatorTarget,
    Masterplan,
    Programme,
    ProgressReport,
)
from masterplan.resources import IndicatorTargetResource, ProgrammeResource

# The services' own rules, so the admin, the import and the services cannot disagree.
from masterplan.services import check_supporting_agencies, check_target_years


class NationalFrameworkAdmin(AuditedModelAdmin):
    """Dimensions and elements come from a data migration: names may be corrected, nothing added or removed."""

    readonly_fields = ("code",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Dimension)
class DimensionAdmin(NationalFrameworkAdmin):
    list_display = ("order", "abbreviation", "name_id", "name_en", "code")
    list_display_links = ("abbreviation", "name_id")
    search_fields = ("code", "abbreviation", "name_id", "name_en")
    readonly_fields = ("code", "abbreviation")


@admin.register(Element)
class ElementAdmin(NationalFrameworkAdmin):
    list_display = ("name_id", "name_en", "code", "dimension", "order")
    list_filter = ("dimension",)
    list_select_related = ("dimension",)
    search_fields = ("code", "name_id", "name_en")
    readonly_fields = ("code", "dimension")


@admin.register(Masterplan)
class MasterplanAdmin(AuditedModelAdmin):
    audit_region_path = "region"
    list_display = ("title", "region", "start_year", "end_year", "period_type", "is_active")
    list_filter = ("region", "is_active", "period_type")
    list_select_related = ("region",)
    search_fields = ("title", "region__name", "region__bps_code")
    autocomplete_fields = ("region",)


class ProgrammeAdminForm(forms.ModelForm):
    funding_sources = forms.MultipleChoiceField(
        label=_("funding sources"),
        choices=Programme.Funding.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Programme
        fields = (
            "masterplan",
            "code",
            "element",
            "name",
            "description",
            "term",
            "is_quick_win",
            "lead_agency",
            "supporting_agencies",
            "start_year",
            "end_year",
            "funding_sources",
            "status",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        masterplan = cleaned.get("masterplan")
        supporters = list(cleaned.get("supporting_agencies") or [])
        if masterplan is not None:
            try:
                check_supporting_agencies(masterplan, cleaned.get("lead_agency"), supporters)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ("name", "unit", "baseline", "baseline_year", "order")
    extra = 0
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(AuditedImportExportAdmin):
    resource_classes = [ProgrammeResource]
    audit_region_path = "masterplan__region"
    form = ProgrammeAdminForm
    inlines = (IndicatorInline,)
    list_display = ("code", "name", "element", "lead_agency", "term", "status", "is_quick_win", "region")
    list_display_links = ("code", "name")
    list_filter = ("status", "term", "is_quick_win", "masterplan__region", "element__dimension")
    list_select_related = ("masterplan__region", "element", "lead_agency")
    search_fields = ("code", "name", "lead_agency__acronym", "masterplan__title")
    autocomplete_fields = ("masterplan", "element", "lead_agency", "supporting_agencies")
    readonly_fields = ("created_at", "updated_at")

    @admin.display(description=_("region"), ordering="masterplan__region__name")
    def region(self, obj: Programme) -> Region:
        return obj.masterplan.region


class IndicatorTargetInlineFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        indicator: Indicator = self.instance
        if indicator.programme_id is None:
            return
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            year = form.cleaned_data.get("year")
            if year is None:
                continue
            try:
                check_target_years(indicator.programme, {year: form.cleaned_data.get("value")})
            except ValidationError as exc:
                form.add_error("year", exc)


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    formset = IndicatorTargetInlineFormSet
    fields = ("year", "value")
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(AuditedModelAdmin):
    audit_region_path = "programme__masterplan__region"
    inlines = (IndicatorTargetInline,)
    list_display = ("name", "programme", "unit", "baseline", "baseline_year", "order")
    list_filter = ("programme__masterplan__region",)
    list_select_related = ("programme",)
    search_fields = ("name", "programme__code", "programme__name")
    autocomplete_fields = ("programme",)


class IndicatorTargetAdminForm(forms.ModelForm):
    class Meta:
        model = IndicatorTarget
        fields = ("indicator", "year", "value")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        indicator, year = cleaned.get("indicator"), cleaned.get("year")
        if indicator is not None and year is not None:
            try:
                check_target_years(indicator.programme, {year: cleaned.get("value")})
            except ValidationError as exc:
                self.add_error("year", exc)
        return cleaned


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(AuditedImportExportAdmin):
    resource_classes = [IndicatorTargetResource]
    audit_region_path = "indicator__programme__masterplan__region"
    form = IndicatorTargetAdminForm
    list_display = ("indicator", "year", "value")
    list_filter = ("year", "indicator__programme__masterplan__region")
    list_select_related = ("indicator__programme",)
    search_fields = ("indicator__name", "indicator__programme__code")
    autocomplete_fields = ("indicator",)


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ("programme", "agency", "year", "period", "status", "submitted_at", "decided_at")
    list_filter = ("status", "year", "period", "programme__masterplan__region")
    list_select_related = ("programme", "agency")
    search_fields = ("programme__code", "programme__name", "agency__acronym")
