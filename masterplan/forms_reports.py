"""Forms for progress reports: parsing only; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from agencies.selectors import agency_choices
from common.forms import LocalDecimalField
from evidence.forms import EvidenceFields
from masterplan.models import Dimension, ProgressReport
from masterplan.selectors.reports import ProgressRow


class ReportForm(EvidenceFields, forms.ModelForm):
    """The report's text and budget, a realisation per indicator, and its evidence (existing or new)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ProgressReport
        fields = ("narrative", "obstacles", "follow_up", "budget_plan", "budget_realisation")
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 4}),
            "obstacles": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"budget_plan": LocalDecimalField, "budget_realisation": LocalDecimalField}

    def __init__(self, *args: Any, rows: list[ProgressRow], library: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for name in ("budget_plan", "budget_realisation"):
            self.fields[name].validators.append(MinValueValidator(Decimal(0), _("A budget cannot be negative.")))
        self.set_library(library, cited=self.instance.evidence.all())
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        for row in rows:
            pk = row.indicator.pk
            self.fields[f"value_{pk}"] = LocalDecimalField(
                label=row.indicator.name, max_digits=16, decimal_places=2, required=False, initial=row.value
            )
            self.fields[f"value_{pk}"].widget.attrs["class"] = "form-control"
            self.fields[f"note_{pk}"] = forms.CharField(
                label=_("Note"),
                max_length=255,
                required=False,
                initial=row.note,
                widget=forms.TextInput(attrs={"class": "form-control", "aria-label": _("Note")}),
            )

    def indicator_fields(self) -> list[tuple[ProgressRow, forms.BoundField, forms.BoundField]]:
        """Each indicator's row with its bound value and note fields, for the realisation table."""
        return [(row, self[f"value_{row.indicator.pk}"], self[f"note_{row.indicator.pk}"]) for row in self.rows]

    def realisations(self) -> dict[int, tuple[Decimal | None, str]]:
        return {
            row.indicator.pk: (
                self.cleaned_data.get(f"value_{row.indicator.pk}"),
                self.cleaned_data.get(f"note_{row.indicator.pk}", ""),
            )
            for row in self.rows
        }

    def service_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}


class ReportFilter(django_filters.FilterSet):
    agency = django_filters.ModelChoiceFilter(queryset=None, label=_("SKPD"), empty_label=_("All SKPDs"))
    dimension = django_filters.ModelChoiceFilter(
        field_name="programme__element__dimension",
        queryset=Dimension.objects.all(),
        to_field_name="code",
        label=_("Dimension"),
        empty_label=_("All dimensions"),
    )
    year = django_filters.NumberFilter(label=_("Year"))
    period = django_filters.NumberFilter(label=_("Period"))
    status = django_filters.ChoiceFilter(
        choices=ProgressReport.Status.choices, label=_("Status"), empty_label=_("All statuses")
    )

    class Meta:
        model = ProgressReport
        fields: list[str] = []

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["agency"].queryset = agency_choices(region=region, include_inactive=True)
        self.form.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})
        self.form.fields["period"].widget.attrs.update({"min": 1, "max": 4})
