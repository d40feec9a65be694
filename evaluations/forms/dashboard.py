"""The dashboard's filters: year, reporting period, cycle, dimension and SKPD, all chosen from lists.

Every field is a choice among values the view already fetched, so a hostile value (letters, a NUL byte, a
number too large for the database) never reaches a query: it is refused with a message next to its field and
the dashboard falls back to that field's default.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from evaluations.models import EvaluationCycle
from masterplan.models import Dimension


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    period = forms.TypedChoiceField(label=_("Period"), coerce=int, required=False, empty_value=None)
    cycle = forms.TypedChoiceField(label=_("Evaluation cycle"), coerce=int, required=False, empty_value=None)
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)
    agency = forms.TypedChoiceField(label=_("SKPD"), coerce=int, required=False, empty_value=None)

    def __init__(
        self,
        *args: Any,
        years: Sequence[int],
        periods: int,
        cycles: Sequence[EvaluationCycle],
        dimensions: Sequence[Dimension],
        agencies: Sequence[Agency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        fields["period"].choices = [(n, str(n)) for n in range(1, periods + 1)]  # type: ignore[attr-defined]
        fields["cycle"].choices = [("", _("Latest"))] + [(c.pk, str(c)) for c in cycles]  # type: ignore[attr-defined]
        fields["dimension"].choices = [("", _("All dimensions"))] + [  # type: ignore[attr-defined]
            (d.code, d.name) for d in dimensions
        ]
        fields["agency"].choices = [("", _("All SKPDs"))] + [(a.pk, a.acronym) for a in agencies]  # type: ignore[attr-defined]
        for field in fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
