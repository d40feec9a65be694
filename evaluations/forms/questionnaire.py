"""Forms for a cycle's questionnaire: uploading a version, and assigning questions to SKPDs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.selectors import agency_choices
from evaluations.forms.widgets import DATE
from evaluations.models import EvaluationCycle, Question
from masterplan.models import Dimension, Element


class QuestionnaireUploadForm(forms.Form):
    file = forms.FileField(label=_("Questionnaire file (.xlsx)"))
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("E.g. Kuesioner Evaluasi Smart City 2024; empty keeps the current name."),
    )


class AssignForm(forms.Form):
    dimension = forms.ModelChoiceField(
        queryset=Dimension.objects.all(), required=False, label=_("Whole dimension"), to_field_name="code"
    )
    element = forms.ModelChoiceField(
        queryset=Element.objects.select_related("dimension"),
        required=False,
        label=_("Or a whole element"),
        to_field_name="code",
    )
    questions = forms.ModelMultipleChoiceField(
        queryset=Question.objects.none(), required=False, label=_("Or these questions")
    )
    agency = forms.ModelChoiceField(queryset=None, label=_("Responsible SKPD"))
    supporting = forms.ModelMultipleChoiceField(queryset=None, required=False, label=_("Supporting SKPDs"))
    deadline = forms.DateField(widget=DATE, label=_("Internal deadline"))

    def __init__(self, *args: Any, cycle: EvaluationCycle, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"deadline": cycle.internal_deadline})
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        agencies = agency_choices(region=cycle.region)
        self.fields["agency"].queryset = agencies
        self.fields["supporting"].queryset = agencies
        for name in ("agency", "supporting"):
            self.fields[name].label_from_instance = lambda a: f"{a.acronym} — {a.name}"
        self.fields["supporting"].widget.attrs["size"] = 6
        self.fields["questions"].queryset = Question.objects.filter(questionnaire_id=cycle.questionnaire_id)
        self.fields["questions"].widget.attrs["size"] = 6
        self.fields["element"].label_from_instance = lambda e: f"{e.dimension.abbreviation} · {e.name}"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not (cleaned.get("dimension") or cleaned.get("element") or cleaned.get("questions")):
            raise forms.ValidationError(_("Choose a dimension, an element or some questions."))
        return cleaned

    def selected_questions(self) -> list[Question]:
        qs = Question.objects.filter(questionnaire_id=self.cycle.questionnaire_id)
        picked: dict[int, Question] = {}
        if self.cleaned_data.get("dimension"):
            picked.update({q.pk: q for q in qs.filter(dimension=self.cleaned_data["dimension"])})
        if self.cleaned_data.get("element"):
            picked.update({q.pk: q for q in qs.filter(element=self.cleaned_data["element"])})
        picked.update({q.pk: q for q in self.cleaned_data.get("questions") or []})
        return list(picked.values())
