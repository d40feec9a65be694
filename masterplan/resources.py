"""Spreadsheet import/export of programmes and indicator targets by natural keys.

A programme is identified by (region BPS code, masterplan title, programme code), a target by that plus the
indicator's name and the year. Agencies are named by acronym within the row's region, elements by code.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from agencies.resources import (
    REGION_COLUMN,
    AgenciesInRegionWidget,
    AgencyInRegionWidget,
    AuditedResource,
)
from common.admin.widgets import (
    BooleanWidget,
    ChoiceListWidget,
    CodeWidget,
    ExactDecimalWidget,
    LookupWidget,
    TextWidget,
    WholeNumberWidget,
    cell_text,
)
from masterplan.models import Element, Indicator, IndicatorTarget, Masterplan, Programme

# The services' own rules, so the admin, the import and the services cannot disagree.
from masterplan.services import check_supporting_agencies, check_target_years

MASTERPLAN_COLUMN = "masterplan"
PROGRAMME_COLUMN = "programme"


def _row_value(row: dict[str, Any] | None, column: str) -> str:
    return cell_text((row or {}).get(column))


class MasterplanInRegionWidget(LookupWidget):
    """A masterplan by its title, inside the row's region."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            Masterplan,
            "title",
            error=_("No masterplan titled “%(value)s” in region %(region)s."),
            ambiguous=_("Several masterplans of region %(region)s are titled “%(value)s”: rename one first."),
            **kwargs,
        )

    def get_queryset(self, value: Any, row: dict[str, Any] | None, *args: Any, **kwargs: Any) -> QuerySet[Masterplan]:
        return Masterplan.objects.filter(region__bps_code=_row_value(row, REGION_COLUMN))

    def error_params(self, row: dict[str, Any] | None) -> dict[str, Any]:
        return {"region": _row_value(row, REGION_COLUMN)}


class ElementWidget(LookupWidget):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Element, "code", error=_("No element with code “%(value)s”."), **kwargs)


class IndicatorWidget(LookupWidget):
    """An indicator by name, inside the row's programme (by code) of the row's masterplan (by title)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            Indicator,
            "name",
            error=_("No indicator “%(value)s” in programme %(programme)s of masterplan “%(masterplan)s”."),
            **kwargs,
        )

    def get_queryset(self, value: Any, row: dict[str, Any] | None, *args: Any, **kwargs: Any) -> QuerySet[Indicator]:
        return Indicator.objects.filter(
            programme__masterplan__region__bps_code=_row_value(row, REGION_COLUMN),
            programme__masterplan__title=_row_value(row, MASTERPLAN_COLUMN),
            programme__code=_row_value(row, PROGRAMME_COLUMN),
        )

    def error_params(self, row: dict[str, Any] | None) -> dict[str, Any]:
        return {"programme": _row_value(row, PROGRAMME_COLUMN), "masterplan": _row_value(row, MASTERPLAN_COLUMN)}


class ProgrammeResource(AuditedResource):
    region_column = REGION_COLUMN

    # Read-only on import: the region only scopes the lookups of the other columns.
    region = Field(
        attribute="masterplan__region__bps_code", column_name=REGION_COLUMN, widget=CodeWidget(), readonly=True
    )
    masterplan = Field(attribute="masterplan", column_name=MASTERPLAN_COLUMN, widget=MasterplanInRegionWidget())
    code = Field(attribute="code", column_name="code", widget=CodeWidget())
    element = Field(attribute="element", column_name="element", widget=ElementWidget())
    name = Field(attribute="name", column_name="name", widget=TextWidget())
    description = Field(attribute="description", column_name="description", widget=TextWidget())
    term = Field(attribute="term", column_name="term", widget=CodeWidget())
    is_quick_win = Field(attribute="is_quick_win", column_name="is_quick_win", widget=BooleanWidget(), default=False)
    lead_agency = Field(attribute="lead_agency", column_name="lead_agency", widget=AgencyInRegionWidget())
    supporting_agencies = Field(
        attribute="supporting_agencies", column_name="supporting_agencies", widget=AgenciesInRegionWidget()
    )
    start_year = Field(attribute="start_year", column_name="start_year", widget=WholeNumberWidget())
    end_year = Field(attribute="end_year", column_name="end_year", widget=WholeNumberWidget())
    funding_sources = Field(
        attribute="funding_sources",
        column_name="funding_sources",
        widget=ChoiceListWidget(
            Programme.Funding.values, error=_("Unknown funding source: %(codes)s. Use one of: %(allowed)s.")
        ),
    )
    status = Field(attribute="status", column_name="status", widget=CodeWidget())

    class Meta:
        model = Programme
        name = _("Programmes (by region, masterplan title and code)")
        fields = (
            "region",
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
        export_order = fields
        import_id_fields = ("masterplan", "code")

    def filter_export(self, queryset: QuerySet[Programme], **kwargs: Any) -> QuerySet[Programme]:
        return (
            super()
            .filter_export(queryset, **kwargs)
            .select_related("masterplan__region", "element", "lead_agency")
            .prefetch_related("supporting_agencies")
        )

    def check_row(self, instance: Programme, row: dict[str, Any], errors: dict[str, list[Any]]) -> dict[str, list[str]]:
        # Many-to-many columns are only written after the save, so they are read and checked here, where a
        # bad value is still a row error of the preview.
        field = self.fields["supporting_agencies"]
        if field.column_name not in row:
            return {}
        try:
            supporters = field.clean(row)
        except ValueError as exc:
            return {"supporting_agencies": [str(exc)]}
        if instance.masterplan_id is None or "lead_agency" in errors:
            return {}
        try:
            check_supporting_agencies(
                instance.masterplan, instance.lead_agency if instance.lead_agency_id else None, supporters
            )
        except ValidationError as exc:
            return exc.message_dict
        return {}


class IndicatorTargetResource(AuditedResource):
    region_column = REGION_COLUMN

    region = Field(
        attribute="indicator__programme__masterplan__region__bps_code",
        column_name=REGION_COLUMN,
        widget=CodeWidget(),
        readonly=True,
    )
    masterplan = Field(
        attribute="indicator__programme__masterplan__title",
        column_name=MASTERPLAN_COLUMN,
        widget=TextWidget(),
        readonly=True,
    )
    programme = Field(
        attribute="indicator__programme__code", column_name=PROGRAMME_COLUMN, widget=CodeWidget(), readonly=True
    )
    indicator = Field(attribute="indicator", column_name="indicator", widget=IndicatorWidget())
    year = Field(attribute="year", column_name="year", widget=WholeNumberWidget())
    value = Field(attribute="value", column_name="value", widget=ExactDecimalWidget())

    class Meta:
        model = IndicatorTarget
        name = _("Indicator targets (by region, masterplan, programme, indicator and year)")
        fields = ("region", "masterplan", "programme", "indicator", "year", "value")
        export_order = fields
        import_id_fields = ("indicator", "year")

    def filter_export(self, queryset: QuerySet[IndicatorTarget], **kwargs: Any) -> QuerySet[IndicatorTarget]:
        return super().filter_export(queryset, **kwargs).select_related("indicator__programme__masterplan__region")

    def check_row(
        self, instance: IndicatorTarget, row: dict[str, Any], errors: dict[str, list[Any]]
    ) -> dict[str, list[str]]:
        if instance.indicator_id is None or instance.year is None or "year" in errors:
            return {}
        try:
            check_target_years(instance.indicator.programme, {instance.year: instance.value})
        except ValidationError as exc:
            return {"year": exc.messages}
        return {}
