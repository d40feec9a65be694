"""The official result letter of a cycle: its final index, lens and dimension figures."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import LocalDecimalField
from evaluations.forms.widgets import DATE
from evaluations.models import Lens
from masterplan.models import Dimension


class OfficialResultForm(forms.Form):
    letter_number = forms.CharField(label=_("Result letter number"), max_length=120, required=False)
    letter_date = forms.DateField(label=_("Result letter date"), required=False, widget=DATE)
    final_index = LocalDecimalField(
        label=_("Final index"),
        required=False,
        max_digits=4,
        decimal_places=2,
        min_value=Decimal(0),
        max_value=Decimal(5),
        help_text=_("Left empty, it is computed from the five lens figures."),
    )
    difference_confirmed = forms.BooleanField(
        label=_("The letter's final index differs from the one computed from its lens figures, and I confirm it"),
        required=False,
    )
    difference_note = forms.CharField(
        label=_("Note on the difference"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for lens, label in Lens.choices:
            self.fields[f"lens_{lens}"] = LocalDecimalField(
                label=label, required=False, max_digits=4, decimal_places=2, min_value=Decimal(0), max_value=Decimal(5)
            )
        for dimension in Dimension.objects.all():
            self.fields[f"dim_{dimension.code}"] = LocalDecimalField(
                label=dimension.name,
                required=False,
                max_digits=4,
                decimal_places=2,
                min_value=Decimal(0),
                max_value=Decimal(5),
            )

    def lens_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("lens_")]

    def dimension_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("dim_")]

    def lens_figures(self) -> dict[str, Decimal]:
        """The lens figures typed (or, unbound, shown), for the computed final index beside the field."""
        if self.is_bound:
            source = getattr(self, "cleaned_data", {})
            return {k[5:]: v for k, v in source.items() if k.startswith("lens_") and v is not None}
        return {k[5:]: v for k, v in self.initial.items() if k.startswith("lens_") and v is not None}

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "letter_number": data.get("letter_number", ""),
            "letter_date": data.get("letter_date"),
            "final_index": data.get("final_index"),
            "lens_indices": self.lens_figures(),
            "dimension_indices": {k[4:]: v for k, v in data.items() if k.startswith("dim_") and v is not None},
            "difference_confirmed": data.get("difference_confirmed", False),
            "difference_note": data.get("difference_note", ""),
        }
