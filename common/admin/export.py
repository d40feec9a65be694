"""The rows of an admin export, read once in chunks: as plain values where the resource allows it, else as objects.

import-export builds each row from a model instance (and its select_related instances) and a Field per column.
At 150,000 indicator targets that is 600,000 model instances, as much time as openpyxl spends writing the
file. A resource that sets `stream_values = True` is read with `values_list` instead: each column's database
path (a foreign key's widget field appended), many-to-many columns fetched per chunk, and every value rendered
by the column's own widget, so the cells are the ones `Resource.export` writes. A resource with a `dehydrate_`
method, a column that is no database path, or its own `iter_queryset` order is read as objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models import QuerySet
from import_export.fields import Field
from import_export.resources import Resource
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

# Rows per database round trip; also the size of a many-to-many lookup (`pk__in` of one chunk).
CHUNK_SIZE = 2_000


@dataclass(frozen=True)
class _Column:
    field: Field
    path: str | None  # the values_list path, None for a many-to-many column
    wrap: Callable[[Any], Any]  # turns the plain value into what the widget's render() expects


class _Related:
    """A many-to-many value as a widget's render() reads it (`value.all()`), from plain rows."""

    def __init__(self, items: list[SimpleNamespace]) -> None:
        self._items = items

    def all(self) -> list[SimpleNamespace]:
        return self._items


def _plain(value: Any) -> Any:
    return value


def _plan(resource: Resource, queryset: QuerySet[Any]) -> list[_Column] | None:
    """How to read each export column as a plain value; None when one cannot be (then objects are read)."""
    if not getattr(resource, "stream_values", False):
        return None
    columns: list[_Column] = []
    for field in resource.get_export_fields():
        name = resource.get_field_name(field)
        dehydrate = field.get_dehydrate_method(name)
        if field.attribute is None or callable(dehydrate) or hasattr(resource, dehydrate):
            return None
        widget = field.widget
        relation = _relation(queryset.model, field.attribute)
        if isinstance(widget, ManyToManyWidget):
            forward = getattr(getattr(queryset.model, field.attribute, None), "reverse", True) is False
            if "__" in field.attribute or "__" in widget.field or not forward:
                return None
            columns.append(_Column(field, None, _plain))
        elif isinstance(widget, ForeignKeyWidget):
            if "__" in widget.field or relation is not True:
                return None
            columns.append(_Column(field, f"{field.attribute}__{widget.field}", partial(_object, widget.field)))
        elif relation is False:
            columns.append(_Column(field, field.attribute, _plain))
        else:  # a relation rendered by another widget (it would see the object), or no database path at all
            return None
    try:
        queryset.values_list(*[c.path for c in columns if c.path])  # checks every path against the model
    except FieldError:
        return None
    return columns


def _relation(model: Any, path: str) -> bool | None:
    """Whether `path` ends at a relation (True) or a plain column (False); None when it is no model path."""
    field: Any = None
    for name in path.split("__"):
        if field is not None:
            if not field.is_relation:
                return None
            model = field.related_model
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
    return bool(field.is_relation)


def _namespace(key: str, value: Any) -> SimpleNamespace:
    return SimpleNamespace(**{key: value})


def _object(key: str, value: Any) -> SimpleNamespace | None:
    """A foreign key's widget field as the widget reads it from the related object (None stays None)."""
    return None if value is None else _namespace(key, value)


def export_rows(resource: Resource, queryset: Any, **kwargs: Any) -> Iterator[list[Any]]:
    """The resource's export rows (headers: `resource.get_export_headers()`), read once, in chunks.

    The queryset is the resource's own filtering of `queryset` (`filter_export`). `after_export` is not
    called: it takes the whole Dataset, which is what streaming avoids, and none of our resources uses it.
    """
    resource.before_export(queryset, **kwargs)
    queryset = resource.filter_export(queryset, **kwargs)
    plan = _plan(resource, queryset) if isinstance(queryset, QuerySet) else None
    if plan is None:
        fields = resource.get_export_fields()
        export_field = resource.export_field
        # Our resources' iter_queryset reads with .iterator(chunk_size=…), prefetching per chunk.
        for instance in resource.iter_queryset(queryset):
            yield [export_field(field, instance, **kwargs) for field in fields]
        return
    yield from _value_rows(plan, queryset, **kwargs)


def _value_rows(plan: list[_Column], queryset: QuerySet[Any], **kwargs: Any) -> Iterator[list[Any]]:
    paths = [column.path for column in plan if column.path]
    many = [column for column in plan if column.path is None]
    # Plain tuples have nothing to prefetch or join: values_list reads the joined columns itself.
    rows = queryset.select_related(None).prefetch_related(None).values_list("pk", *paths)
    chunk: list[tuple[Any, ...]] = []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        chunk.append(row)
        if len(chunk) == CHUNK_SIZE:
            yield from _render_chunk(plan, many, queryset.model, chunk, **kwargs)
            chunk = []
    if chunk:
        yield from _render_chunk(plan, many, queryset.model, chunk, **kwargs)


def _render_chunk(
    plan: list[_Column], many: list[_Column], model: Any, chunk: list[tuple[Any, ...]], **kwargs: Any
) -> Iterator[list[Any]]:
    pks = [row[0] for row in chunk]
    related: dict[str, dict[Any, list[SimpleNamespace]]] = {}
    for column in many:
        key = column.field.widget.field  # type: ignore[attr-defined]
        descriptor = getattr(model, column.field.attribute)  # type: ignore[arg-type]
        through = descriptor.through
        source = descriptor.field.m2m_field_name()
        target = descriptor.field.m2m_reverse_field_name()
        found: dict[Any, list[SimpleNamespace]] = {}
        pairs = through.objects.filter(**{f"{source}__in": pks}).values_list(f"{source}_id", f"{target}__{key}")
        for owner, value in pairs.order_by("pk"):
            found.setdefault(owner, []).append(_namespace(key, value))
        related[column.field.attribute] = found  # type: ignore[index]
    for row in chunk:
        values = iter(row[1:])
        cells = []
        for column in plan:
            if column.path is None:
                value: Any = _Related(related[column.field.attribute].get(row[0], []))  # type: ignore[index]
            else:
                value = column.wrap(next(values))
            cells.append(column.field.widget.render(value, **kwargs))
        yield cells
