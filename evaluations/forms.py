"""Forms for the evaluation pages: parsing and field-level checks; the services hold the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from agencies.models import Region, Role
from agencies.selectors import agency_choices
from evaluations.models import Answer, EvaluationCycle, Lens, Question
from masterplan.models import Dimension, Element, Evidence
from smartcity.lib.forms import LocalDecimalField, MultipleFileField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WEIGHT_FIELDS = [f"weight_{lens}" for lens in Lens.values]


class CycleForm(forms.ModelForm):
    class Meta:
        model = EvaluationCycle
        fields = ("year", "stage", "letter_number", "opens_on", "closes_on", "internal_deadline", "meeting_date",
                  "meeting_place", *WEIGHT_FIELDS)  # fmt: skip
        widgets = {name: DATE for name in ("opens_on", "closes_on", "internal_deadline", "meeting_date")}
        field_classes = dict.fromkeys(WEIGHT_FIELDS, LocalDecimalField)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Cycle"), Row(Column("year", css_class="col-md-3"), Column("stage", css_class="col-md-3"),
                                     Column("letter_number", css_class="col-md-6"))),
            Fieldset(_("Dates"), Row(*(Column(n, css_class="col-md-3") for n in
                                       ("opens_on", "closes_on", "internal_deadline", "meeting_date"))),
                     "meeting_place"),
            Fieldset(_("Lens weights (total 100 %)"), Row(*(Column(n, css_class="col") for n in WEIGHT_FIELDS))),
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        weights = [cleaned.get(name) for name in WEIGHT_FIELDS]
        if all(w is not None for w in weights) and sum(weights) != 100:
            self.add_error(None, _("The five lens weights must add up to 100 %% (now %(sum)s %%).")
                           % {"sum": sum(weights)})  # fmt: skip
        return cleaned


class AssessorsForm(forms.Form):
    assessors = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Assessors of this cycle"),
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = (
            get_user_model()
            .objects.filter(memberships__region=region, memberships__role=Role.ASSESSOR, memberships__is_active=True)
            .order_by("first_name", "username")
            .distinct()
        )
        self.fields["assessors"].label_from_instance = lambda u: u.get_full_name() or u.get_username()


class QuestionnaireUploadForm(forms.Form):
    file = forms.FileField(label=_("Questionnaire file (.xlsx)"))
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        required=False,
        help_text=_("E.g. Kuesioner Evaluasi Smart City 2024; empty keeps the current name."),
    )


class AssignForm(forms.Form):
    dimension = forms.ModelChoiceField(queryset=Dimension.objects.all(), required=False, label=_("Whole dimension"),
                                       to_field_name="code")  # fmt: skip
    element = forms.ModelChoiceField(queryset=Element.objects.select_related("dimension"), required=False,
                                     label=_("Or a whole element"), to_field_name="code")  # fmt: skip
    questions = forms.ModelMultipleChoiceField(queryset=Question.objects.none(), required=False,
                                               label=_("Or these questions"))  # fmt: skip
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


class AnswerForm(forms.ModelForm):
    """The right widget for the question's kind, an explanation, and evidence (library or new upload)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    evidence = forms.ModelMultipleChoiceField(queryset=Evidence.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              label=_("Evidence from your library"))  # fmt: skip
    new_files = MultipleFileField(required=False, label=_("Upload new evidence"),
                                  help_text=_("PDF, JPEG, PNG, XLSX, DOCX, PPTX, ODT, ODS or CSV."))  # fmt: skip
    new_files_kind = forms.ChoiceField(choices=Evidence.Kind.choices, initial=Evidence.Kind.REPORT,
                                       label=_("Kind of the new files"))  # fmt: skip

    class Meta:
        model = Answer
        fields = ("narrative",)
        widgets = {"narrative": forms.Textarea(attrs={"rows": 4})}

    VALUE_FIELD = {
        Question.Kind.YES_NO: "value_bool",
        Question.Kind.CHOICE: "value_choice",
        Question.Kind.LEVEL: "value_level",
        Question.Kind.NUMBER: "value_number",
        Question.Kind.PERCENTAGE: "value_number",
        Question.Kind.TEXT: "value_text",
    }

    def __init__(self, *args: Any, library: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        question = self.instance.question
        self.value_name = self.VALUE_FIELD[question.kind]
        self.fields["value"] = self._value_field(question)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["value"] = getattr(self.instance, self.value_name)
            self.initial["evidence"] = [e.pk for e in self.instance.evidence.all()]
        self.fields["evidence"].queryset = library
        self.fields["evidence"].label_from_instance = lambda e: (
            f"{e.title} ({e.get_kind_display()})" + (f" — {_('expired')}" if e.is_expired else "")
        )
        self.order_fields(["value", "narrative", "evidence", "new_files", "new_files_kind", "version"])

    @staticmethod
    def _value_field(question: Question) -> forms.Field:
        label = _("Answer")
        kind = question.kind
        if kind == Question.Kind.YES_NO:
            return forms.TypedChoiceField(label=label, required=False, widget=forms.RadioSelect,
                                          choices=[("true", _("Yes")), ("false", _("No"))],
                                          coerce=lambda v: v == "true", empty_value=None)  # fmt: skip
        if kind == Question.Kind.CHOICE:
            return forms.ChoiceField(label=label, required=False, widget=forms.RadioSelect,
                                     choices=[(c, c) for c in question.choices])  # fmt: skip
        if kind == Question.Kind.LEVEL:
            choices = [(n, f"{n} — {text}") for n, text in enumerate(question.level_criteria, start=1)]
            return forms.TypedChoiceField(label=label, required=False, widget=forms.RadioSelect, choices=choices,
                                          coerce=int, empty_value=None)  # fmt: skip
        if kind == Question.Kind.NUMBER:
            return LocalDecimalField(label=label, required=False, max_digits=18, decimal_places=4)
        if kind == Question.Kind.PERCENTAGE:
            return LocalDecimalField(label=_("Answer (%)"), required=False, max_digits=7, decimal_places=4,
                                     min_value=Decimal(0), max_value=Decimal(100))  # fmt: skip
        return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def service_data(self) -> dict[str, Any]:
        value = self.cleaned_data.get("value")
        if self.value_name in ("value_choice", "value_text"):
            value = value or ""
        return {self.value_name: value, "narrative": self.cleaned_data.get("narrative", "")}


class ScoreSheetForm(forms.Form):
    """Scores for the questions of one dimension, plus the dimension's notes."""

    strengths = forms.CharField(label=_("Strengths (kekuatan)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    weaknesses = forms.CharField(label=_("Weaknesses (kelemahan)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    recommendations = forms.CharField(label=_("Recommendations (rekomendasi)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            if question.kind == Question.Kind.LEVEL:
                field: forms.Field = forms.TypedChoiceField(
                    required=False, coerce=Decimal, empty_value=None,
                    choices=[("", "–"), *((str(n), str(n)) for n in range(1, 6))],
                )  # fmt: skip
            else:
                field = LocalDecimalField(required=False, max_digits=3, decimal_places=2, min_value=Decimal(0),
                                          max_value=Decimal(5))  # fmt: skip
            field.label = question.code
            field.widget.attrs.update(
                {"class": "form-control form-control-sm score-input", "aria-label": question.code}
            )
            self.fields[f"score_{question.pk}"] = field
            self.fields[f"note_{question.pk}"] = forms.CharField(
                required=False, max_length=500,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "aria-label": _("Note")}),
            )  # fmt: skip

    def scores(self) -> dict[Question, tuple[Decimal | None, str]]:
        return {
            q: (self.cleaned_data.get(f"score_{q.pk}"), self.cleaned_data.get(f"note_{q.pk}", ""))
            for q in self.questions
        }

    def notes(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k, "") for k in ("strengths", "weaknesses", "recommendations")}


class OfficialResultForm(forms.Form):
    letter_number = forms.CharField(label=_("Result letter number"), max_length=120, required=False)
    letter_date = forms.DateField(label=_("Result letter date"), required=False, widget=DATE)
    final_index = LocalDecimalField(label=_("Final index"), max_digits=4, decimal_places=2, min_value=Decimal(0),
                                    max_value=Decimal(5))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for lens, label in Lens.choices:
            self.fields[f"lens_{lens}"] = LocalDecimalField(label=label, required=False, max_digits=4, decimal_places=2,
                                                            min_value=Decimal(0), max_value=Decimal(5))  # fmt: skip
        for dimension in Dimension.objects.all():
            self.fields[f"dim_{dimension.code}"] = LocalDecimalField(
                label=dimension.name, required=False, max_digits=4, decimal_places=2, min_value=Decimal(0),
                max_value=Decimal(5),
            )  # fmt: skip

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "letter_number": data.get("letter_number", ""), "letter_date": data.get("letter_date"),
            "final_index": data["final_index"],
            "lens_indices": {k[5:]: v for k, v in data.items() if k.startswith("lens_") and v is not None},
            "dimension_indices": {k[4:]: v for k, v in data.items() if k.startswith("dim_") and v is not None},
        }  # fmt: skip
