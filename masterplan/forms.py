"""Input parsing and validation for masterplan pages; the services hold the rules that must always hold."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region
from agencies.selectors import agency_choices
from common.forms import LocalDecimalField
from masterplan.models import YEAR_VALIDATORS, Element, Indicator, Masterplan, Programme


def _agency_label(agency: Agency) -> str:
    return f"{agency.acronym} — {agency.name}"


class ElementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Element) -> str:
        return f"{obj.dimension.name} · {obj.name}"


class ProgrammeForm(forms.ModelForm):
    element = ElementChoiceField(
        queryset=Element.objects.select_related("dimension").order_by("dimension__order", "order"),
        label=_("Dimension · element"),
    )
    funding_sources = forms.MultipleChoiceField(
        choices=Programme.Funding.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Funding sources"),
    )

    class Meta:
        model = Programme
        fields = (
            "code",
            "name",
            "element",
            "term",
            "is_quick_win",
            "status",
            "lead_agency",
            "supporting_agencies",
            "start_year",
            "end_year",
            "funding_sources",
            "description",
        )
        widgets = {
            "supporting_agencies": forms.SelectMultiple(attrs={"size": 8}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = agency_choices(region=region)
        if self.instance.pk:
            # Keep a programme's current (possibly since-deactivated) agencies selectable.
            agencies = agency_choices(region=region, include_inactive=True)
        for name in ("lead_agency", "supporting_agencies"):
            self.fields[name].queryset = agencies
            self.fields[name].label_from_instance = _agency_label
        self.fields["supporting_agencies"].help_text = _("Hold Ctrl (or Cmd) to choose several.")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Programme"),
                Row(Column("code", css_class="col-md-3"), Column("name", css_class="col-md-9")),
                Row(
                    Column("element", css_class="col-md-6"),
                    Column("term", css_class="col-md-3"),
                    Column("status", css_class="col-md-3"),
                ),
                Field("is_quick_win"),
            ),
            Fieldset(
                _("Agencies"),
                Row(Column("lead_agency", css_class="col-md-6"), Column("supporting_agencies", css_class="col-md-6")),
            ),
            Fieldset(
                _("Years and funding"),
                Row(
                    Column("start_year", css_class="col-md-3"),
                    Column("end_year", css_class="col-md-3"),
                    Column("funding_sources", css_class="col-md-6"),
                ),
            ),
            "description",
        )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        lead, supporters = cleaned.get("lead_agency"), cleaned.get("supporting_agencies")
        if lead is not None and supporters and lead in supporters:
            self.add_error("supporting_agencies", _("The lead SKPD cannot also be a supporting SKPD."))
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The end year cannot be before the start year."))
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "supporting_agencies"}
        return data


class MasterplanForm(forms.ModelForm):
    class Meta:
        model = Masterplan
        fields = ("title", "start_year", "end_year", "perbup_number", "perbup_date", "period_type")
        widgets = {"perbup_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "title",
            Row(
                Column("start_year", css_class="col-md-3"),
                Column("end_year", css_class="col-md-3"),
                Column("period_type", css_class="col-md-6"),
            ),
            Row(Column("perbup_number", css_class="col-md-8"), Column("perbup_date", css_class="col-md-4")),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", _("The last year cannot be before the first year."))
        return cleaned


class IndicatorForm(forms.ModelForm):
    """An indicator with one target field per programme year (target_2021, target_2022, …)."""

    class Meta:
        model = Indicator
        fields = ("name", "unit", "baseline", "baseline_year", "order")
        field_classes = {"baseline": LocalDecimalField}

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.instance.programme = programme
        existing = {t.year: t.value for t in self.instance.targets.all()} if self.instance.pk else {}
        for year in programme.years:
            name = f"target_{year}"
            self.fields[name] = LocalDecimalField(
                label=_("Target %(year)s") % {"year": year},
                max_digits=16,
                decimal_places=2,
                required=False,
                initial=existing.get(year),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        target_columns = [Column(f"target_{y}", css_class="col-6 col-md-2") for y in programme.years]
        self.helper.layout = Layout(
            Row(Column("name", css_class="col-md-8"), Column("unit", css_class="col-md-4")),
            Row(
                Column("baseline", css_class="col-md-4"),
                Column("baseline_year", css_class="col-md-4"),
                Column("order", css_class="col-md-4"),
            ),
            Fieldset(_("Yearly targets"), Row(*target_columns)),
        )
        self.fields["baseline_year"].validators = list(YEAR_VALIDATORS)

    def _get_validation_exclusions(self) -> set[str]:
        # The programme is not a form field, but the (programme, name) uniqueness must still be checked.
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("programme")
        return exclusions

    def targets(self) -> dict[int, Decimal | None]:
        return {year: self.cleaned_data.get(f"target_{year}") for year in self.programme.years}

    def service_data(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}
