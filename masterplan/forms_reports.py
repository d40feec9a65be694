"""Forms for progress reports and the evidence library: parsing only; the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from agencies.selectors import agency_choices
from common.forms import LocalDecimalField, MultipleFileField
from masterplan.models import Dimension, Evidence, ProgressReport
from masterplan.selectors.reports import ProgressRow

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.ModelForm):
    """The report's text and budget, a realisation per indicator, and its evidence (existing or new)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    evidence = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Evidence from your library"),
    )
    new_files = MultipleFileField(
        required=False,
        label=_("Upload new evidence"),
        help_text=_("PDF, JPEG, PNG, XLSX, DOCX, PPTX, ODT, ODS or CSV; several files at once are fine."),
    )
    new_files_kind = forms.ChoiceField(
        choices=Evidence.Kind.choices, initial=Evidence.Kind.REPORT, label=_("Kind of the new files")
    )

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
        self.fields["evidence"].queryset = library
        self.fields["evidence"].label_from_instance = lambda e: f"{e.title} ({e.get_kind_display()})"
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["evidence"] = [e.pk for e in self.instance.evidence.all()]
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


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class EvidenceMetadataForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ("title", "kind", "document_number", "document_date", "issuer", "valid_until")
        widgets = {"document_date": DATE_WIDGET, "valid_until": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("title", css_class="col-md-8"), Column("kind", css_class="col-md-4")),
            Row(
                Column("document_number", css_class="col-md-4"),
                Column("document_date", css_class="col-md-4"),
                Column("valid_until", css_class="col-md-4"),
            ),
            "issuer",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        issued, until = cleaned.get("document_date"), cleaned.get("valid_until")
        if issued and until and until < issued:
            self.add_error("valid_until", _("The validity cannot end before the document's date."))
        return cleaned


class EvidenceUploadForm(EvidenceMetadataForm):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "PDF, JPEG, PNG, XLSX, DOCX, PPTX, ODT, ODS or CSV. With several files, each takes its "
            "file name as title unless you give one."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.helper.layout = Layout(Fieldset(_("Files"), "files"), Fieldset(_("Description"), *self.helper.layout))


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
