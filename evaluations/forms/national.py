"""The national view's filters (province, year) and the national assignment of assessors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.selectors.national import national_assessors


class NationalFilterForm(forms.Form):
    """Province and year, each chosen from the values the view already fetched: a hostile value never reaches a
    query, it is refused next to its field and the page falls back to that field's default."""

    province = forms.ChoiceField(
        label=_("Province"),
        required=False,
        error_messages={"invalid_choice": _("Choose a province from the list.")},
    )
    year = forms.TypedChoiceField(
        label=_("Year"),
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a year from the list.")},
    )

    def __init__(self, *args: Any, provinces: Sequence[str] | None, years: Sequence[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if provinces is None:
            del self.fields["province"]  # a region's page compares with the whole country
        else:
            self.fields["province"].choices = [("", _("All provinces")), *((p, p) for p in provinces)]  # type: ignore[attr-defined]
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def chosen(self, name: str, default: Any) -> Any:
        """The field's valid value, else `default` (a refused value keeps its message on the page)."""
        if not self.is_bound:
            return default
        self.is_valid()
        value = self.cleaned_data.get(name)
        return default if value in (None, "") else value


def _assessor_label(user: Any) -> str:
    regions = ", ".join(m.region.name for m in getattr(user, "assessor_regions", []))
    name = user.get_full_name() or user.get_username()
    return f"{name} ({regions})" if regions else name


class NationalAssessorsForm(forms.Form):
    assessors = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Assessors of this cycle"),
        help_text=_("The programme's assessors, with the regions where they assess now."),
        error_messages={
            key: _("Choose assessors from the list.") for key in ("invalid_list", "invalid_choice", "invalid_pk_value")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assessors"]
        field.queryset = national_assessors()  # type: ignore[attr-defined]
        field.label_from_instance = _assessor_label  # type: ignore[attr-defined]
        field.widget.attrs["class"] = "form-check-input"
