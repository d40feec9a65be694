"""The assessor's score sheet for the questions of one dimension."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from common.forms import LocalDecimalField
from evaluations.models import Question


class ScoreSheetForm(forms.Form):
    """Scores for the questions of one dimension, plus the dimension's notes."""

    strengths = forms.CharField(
        label=_("Strengths (kekuatan)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    weaknesses = forms.CharField(
        label=_("Weaknesses (kelemahan)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    recommendations = forms.CharField(
        label=_("Recommendations (rekomendasi)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == Question.Kind.LEVEL:
                field: forms.Field = forms.TypedChoiceField(
                    required=False,
                    coerce=Decimal,
                    empty_value=None,
                    choices=[("", "–"), *((str(n), str(n)) for n in range(1, 6))],
                )
            else:
                field = LocalDecimalField(
                    required=False, max_digits=3, decimal_places=2, min_value=Decimal(0), max_value=Decimal(5)
                )
            field.label = question.code
            field.widget.attrs.update(
                {"class": "form-control form-control-sm score-input", "aria-label": question.code}
            )
            self.fields[f"score_{question.pk}"] = field
            self.fields[f"note_{question.pk}"] = forms.CharField(
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "aria-label": _("Note")}),
            )

    def scores(self) -> dict[Question, tuple[Decimal | None, str]]:
        return {
            q: (self.cleaned_data.get(f"score_{q.pk}"), self.cleaned_data.get(f"note_{q.pk}", ""))
            for q in self.questions
        }

    def notes(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k, "") for k in ("strengths", "weaknesses", "recommendations")}
