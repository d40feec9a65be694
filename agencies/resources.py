"""Spreadsheet import/export of regions and agencies, keyed by natural keys so a file moves between deployments.

Regions are identified by their BPS code and agencies by (region, acronym); database ids never appear.
The export is the import template: exporting and importing the same file reports every row as skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import tablib
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.resources import ModelResource
from import_export.results import Result, RowResult
from import_export.widgets import ManyToManyWidget

from agencies.actions import AgencyAction
from agencies.audit import audit_record
from agencies.models import Agency, Region
from common.admin.export import CHUNK_SIZE as EXPORT_CHUNK_SIZE
from common.admin.widgets import (
    BooleanWidget,
    CodeWidget,
    LookupWidget,
    NaturalKeyInstanceLoader,
    TextWidget,
    cell_text,
)

REGION_COLUMN = "region"


class AuditedResource(ModelResource):
    """Base for our resources: natural keys, model validation, unchanged rows skipped, imports audited.

    A resource whose rows belong to a region names the column with the region's BPS code in
    `region_column`; an unknown region then fails the row with one clear message before anything else.
    """

    region_column: str | None = None
    # The admin's export reads plain values, not objects (common.admin.export), when every column allows it.
    stream_values = True

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        instance_loader_class = NaturalKeyInstanceLoader

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._regions: dict[str, Region | None] = {}
        self._touched_regions: set[Region] = set()

    def iter_queryset(self, queryset: Any) -> Iterator[Any]:
        """The export's objects, read once through an iterator in chunks (prefetches done per chunk).

        import-export pages a prefetching queryset with OFFSET instead, so the database sorts the whole table
        again for every page and the time grows with the square of the rows.
        """
        if not isinstance(queryset, QuerySet):
            yield from queryset
            return
        yield from queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE)

    def region_by_code(self, code: str) -> Region | None:
        if code not in self._regions:
            self._regions[code] = Region.objects.filter(bps_code=code).first() if code else None
        return self._regions[code]

    def before_import(self, dataset: tablib.Dataset, **kwargs: Any) -> None:
        super().before_import(dataset, **kwargs)
        self._regions.clear()
        self._touched_regions.clear()

    def before_import_row(self, row: dict[str, Any], **kwargs: Any) -> None:
        super().before_import_row(row, **kwargs)
        if self.region_column is None:
            return
        code = cell_text(row.get(self.region_column))
        region = self.region_by_code(code)
        if region is None:
            message = (
                _("No region with BPS code “%(code)s”.") % {"code": code} if code else _("Enter the region's BPS code.")
            )
            raise ValidationError({self.region_column: [message]})
        self._touched_regions.add(region)

    def import_instance(self, instance: Any, row: dict[str, Any], **kwargs: Any) -> None:
        errors: dict[str, list[Any]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, messages in self.check_row(instance, row, errors).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance: Any, row: dict[str, Any], errors: dict[str, list[Any]]) -> dict[str, list[str]]:
        """Rules across columns that the model's clean() does not see (e.g. many-to-many); override."""
        return {}

    def after_import(self, dataset: tablib.Dataset, result: Result, **kwargs: Any) -> None:
        super().after_import(dataset, result, **kwargs)
        # `dry_run` is only missing when no row was read, and an import of nothing is no event.
        if kwargs.get("dry_run", True):
            return
        totals = result.totals
        region = next(iter(self._touched_regions)) if len(self._touched_regions) == 1 else None
        # Inside the import's transaction: if the import is rolled back, so is its event.
        audit_record(
            actor=kwargs.get("user"),
            action=AgencyAction.ADMIN_IMPORT,
            region=region,
            changes={
                "model": self._meta.model._meta.label_lower,
                "file": kwargs.get("file_name") or "",
                "new": totals[RowResult.IMPORT_TYPE_NEW],
                "update": totals[RowResult.IMPORT_TYPE_UPDATE],
                "delete": totals[RowResult.IMPORT_TYPE_DELETE],
                "skip": totals[RowResult.IMPORT_TYPE_SKIP],
                "error": totals[RowResult.IMPORT_TYPE_ERROR] + totals[RowResult.IMPORT_TYPE_INVALID],
            },
        )


class RegionWidget(LookupWidget):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Region, "bps_code", error=_("No region with BPS code “%(value)s”."), **kwargs)


class AgencyInRegionWidget(LookupWidget):
    """An agency by acronym, looked up inside the row's own region (acronyms repeat across regions)."""

    def __init__(self, region_column: str = REGION_COLUMN, **kwargs: Any) -> None:
        self.region_column = region_column
        super().__init__(Agency, "acronym", error=_("No agency “%(value)s” in region %(region)s."), **kwargs)

    def _region_code(self, row: dict[str, Any] | None) -> str:
        return cell_text((row or {}).get(self.region_column))

    def get_queryset(self, value: Any, row: dict[str, Any] | None, *args: Any, **kwargs: Any) -> QuerySet[Agency]:
        return Agency.objects.filter(region__bps_code=self._region_code(row))

    def error_params(self, row: dict[str, Any] | None) -> dict[str, Any]:
        return {"region": self._region_code(row)}


class AgenciesInRegionWidget(ManyToManyWidget):
    """Several agencies as comma-separated acronyms of the row's region, e.g. "DISDIK, DKISP"."""

    def __init__(self, region_column: str = REGION_COLUMN, **kwargs: Any) -> None:
        self.region_column = region_column
        super().__init__(Agency, separator=",", field="acronym", **kwargs)

    def clean(self, value: Any, row: dict[str, Any] | None = None, **kwargs: Any) -> list[Agency]:
        acronyms = list(dict.fromkeys(part.strip() for part in cell_text(value).split(self.separator)))
        acronyms = [acronym for acronym in acronyms if acronym]
        if not acronyms:
            return []
        code = cell_text((row or {}).get(self.region_column))
        found = {a.acronym: a for a in Agency.objects.filter(region__bps_code=code, acronym__in=acronyms)}
        missing = [acronym for acronym in acronyms if acronym not in found]
        if missing:
            raise ValueError(
                _("No agency %(acronyms)s in region %(region)s.") % {"acronyms": ", ".join(missing), "region": code}
            )
        return [found[acronym] for acronym in acronyms]

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        # Sorted in Python so a prefetched list is used as is, and the cell is stable from export to export.
        return f"{self.separator} ".join(sorted(agency.acronym for agency in value.all()))


class RegionResource(AuditedResource):
    bps_code = Field(attribute="bps_code", column_name="bps_code", widget=CodeWidget())
    name = Field(attribute="name", column_name="name", widget=TextWidget())
    kind = Field(attribute="kind", column_name="kind", widget=CodeWidget())
    province = Field(attribute="province", column_name="province", widget=TextWidget())
    seat = Field(attribute="seat", column_name="seat", widget=TextWidget())
    is_active = Field(attribute="is_active", column_name="is_active", widget=BooleanWidget(), default=True)

    class Meta:
        model = Region
        name = _("Regions (by BPS code)")
        fields = ("bps_code", "name", "kind", "province", "seat", "is_active")
        export_order = fields
        import_id_fields = ("bps_code",)


class AgencyResource(AuditedResource):
    region_column = REGION_COLUMN

    region = Field(attribute="region", column_name="region", widget=RegionWidget())
    acronym = Field(attribute="acronym", column_name="acronym", widget=CodeWidget())
    name = Field(attribute="name", column_name="name", widget=TextWidget())
    kind = Field(attribute="kind", column_name="kind", widget=CodeWidget())
    email = Field(attribute="email", column_name="email", widget=CodeWidget())
    is_active = Field(attribute="is_active", column_name="is_active", widget=BooleanWidget(), default=True)
    predecessor = Field(attribute="predecessor", column_name="predecessor", widget=AgencyInRegionWidget())

    class Meta:
        model = Agency
        name = _("Agencies (by region BPS code and acronym)")
        fields = ("region", "acronym", "name", "kind", "email", "is_active", "predecessor")
        export_order = fields
        import_id_fields = ("region", "acronym")

    def filter_export(self, queryset: QuerySet[Agency], **kwargs: Any) -> QuerySet[Agency]:
        return super().filter_export(queryset, **kwargs).select_related("region", "predecessor")

    stream_values = False  # the order below needs the objects

    def iter_queryset(self, queryset: Any) -> Iterator[Agency]:
        # Predecessors first: a file imported into an empty deployment resolves each row's predecessor from a row
        # that came before it. A predecessor is in its successor's region (Agency.clean), so the agencies are read
        # region by region and only one region's are held at a time.
        if not isinstance(queryset, QuerySet):
            yield from _predecessors_first(list(queryset))
            return
        ordering = list(queryset.query.order_by or queryset.model._meta.ordering)
        batch: list[Agency] = []
        for agency in super().iter_queryset(queryset.order_by("region_id", *ordering)):
            if batch and agency.region_id != batch[-1].region_id:
                yield from _predecessors_first(batch)
                batch = []
            batch.append(agency)
        yield from _predecessors_first(batch)


def _predecessors_first(agencies: list[Agency]) -> Iterator[Agency]:
    by_pk = {agency.pk: agency for agency in agencies}
    emitted: set[int] = set()

    def visit(agency: Agency) -> Iterator[Agency]:
        if agency.pk in emitted:  # also ends a (faulty) predecessor cycle
            return
        emitted.add(agency.pk)
        parent = by_pk.get(agency.predecessor_id)
        if parent is not None:
            yield from visit(parent)
        yield agency

    for agency in agencies:
        yield from visit(agency)
