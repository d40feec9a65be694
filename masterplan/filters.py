"""The programme list's filter form (django-filter), limited to the current region's vocabulary."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from agencies.selectors import agency_choices
from masterplan.models import Dimension, Element, Programme


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    dimension = django_filters.ModelChoiceFilter(
        field_name="element__dimension",
        queryset=Dimension.objects.all(),
        to_field_name="code",
        label=_("Dimension"),
        empty_label=_("All dimensions"),
    )
    element = django_filters.ModelChoiceFilter(
        queryset=Element.objects.select_related("dimension"),
        to_field_name="code",
        label=_("Element"),
        empty_label=_("All elements"),
    )
    term = django_filters.ChoiceFilter(choices=Programme.Term.choices, label=_("Term"), empty_label=_("All terms"))
    quick_win = django_filters.BooleanFilter(
        field_name="is_quick_win",
        label=_("Quick win"),
        widget=django_filters.widgets.BooleanWidget(),
    )
    lead_agency = django_filters.ModelChoiceFilter(queryset=None, label=_("Lead SKPD"), empty_label=_("All SKPDs"))
    status = django_filters.ChoiceFilter(
        choices=Programme.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )

    class Meta:
        model = Programme
        fields: list[str] = []

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["lead_agency"].queryset = agency_choices(region=region, include_inactive=True)
        self.form.fields["quick_win"].widget.choices = (("", _("All")), ("true", _("Yes")), ("false", _("No")))

    def search(self, queryset: QuerySet[Programme], name: str, value: str) -> QuerySet[Programme]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value) | Q(description__icontains=value))
