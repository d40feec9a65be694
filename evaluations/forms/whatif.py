"""The what-if form on a cycle's results: a score per question and the five lens weights, each blank for "as now".

Numbers are read the Indonesian way ("3,75", also "3.75" pasted from a spreadsheet) by `LocalDecimalField`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import LocalDecimalField, format_local_number
from evaluations.models import Lens
from evaluations.selectors.whatif import MAX_SCORE, WhatIfQuestion

WEIGHT_PREFIX = "w_"
SCORE_PREFIX = "q_"
WEIGHTS_TOTAL = Decimal(100)
# The field the "must add up to 100" message stands next to: the last of the row, where a sum is read.
WEIGHTS_SUM_FIELD = f"{WEIGHT_PREFIX}{Lens.values[-1]}"


class WhatIfForm(forms.Form):
    """Changed scores (0–5, two decimals) and lens weights (%, adding up to 100); nothing here is ever saved."""

    def __init__(
        self, *args: Any, questions: Sequence[WhatIfQuestion], weights: Mapping[str, Decimal], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.weights = dict(weights)
        for lens, label in Lens.choices:
            field = LocalDecimalField(
                label=_("%(lens)s weight (%%)") % {"lens": label},
                required=False,
                max_digits=5,
                decimal_places=2,
                min_value=Decimal(0),
                max_value=WEIGHTS_TOTAL,
            )
            field.widget.attrs.update(
                {
                    "class": "form-control form-control-sm w-auto weight-input",
                    "aria-label": field.label,
                    "size": "6",
                }
            )
            self.fields[f"{WEIGHT_PREFIX}{lens}"] = field
        for question in questions:
            field = LocalDecimalField(
                label=question.code,
                required=False,
                max_digits=3,
                decimal_places=2,
                min_value=Decimal(0),
                max_value=MAX_SCORE,
            )
            field.widget.attrs.update(
                {
                    "class": "form-control form-control-sm w-auto score-input",
                    "aria-label": _("Simulated score of %(code)s") % {"code": question.code},
                    "size": "5",
                }
            )
            self.fields[f"{SCORE_PREFIX}{question.pk}"] = field

    def full_clean(self) -> None:
        super().full_clean()
        # The inputs sit in table cells, not crispy's layout: mark the refused ones for Bootstrap's red frame.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    @property
    def ignored_keys(self) -> list[str]:
        """Score keys in the request for no question of this questionnaire (a stale link, a typed URL)."""
        if not self.is_bound:
            return []
        return sorted(k for k in self.data if k.startswith(SCORE_PREFIX) and k not in self.fields)[:20]

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"{WEIGHT_PREFIX}{lens}"] for lens in Lens.values]

    def score_field(self, question: WhatIfQuestion) -> forms.BoundField:
        return self[f"{SCORE_PREFIX}{question.pk}"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        typed = self.new_weights()
        if typed and not any(f"{WEIGHT_PREFIX}{lens}" in self.errors for lens in Lens.values):
            total = sum(typed.get(lens, weight) for lens, weight in self.weights.items())
            if total != WEIGHTS_TOTAL:
                self.add_error(
                    WEIGHTS_SUM_FIELD,
                    _("The five lens weights must add up to 100 %% (now %(sum)s %%).")
                    % {"sum": format_local_number(total, grouping=False)},
                )
        return data

    def new_weights(self) -> dict[str, Decimal]:
        """The weights typed (a blank one stays as now)."""
        data = getattr(self, "cleaned_data", {})
        return {
            lens: data[f"{WEIGHT_PREFIX}{lens}"]
            for lens in Lens.values
            if data.get(f"{WEIGHT_PREFIX}{lens}") is not None
        }

    def new_scores(self) -> dict[int, Decimal]:
        """The scores typed, by question pk (a blank one stays as now)."""
        data = getattr(self, "cleaned_data", {})
        return {
            q.pk: data[f"{SCORE_PREFIX}{q.pk}"] for q in self.questions if data.get(f"{SCORE_PREFIX}{q.pk}") is not None
        }
