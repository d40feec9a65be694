"""Forms for the evaluation pages: parsing and field-level checks; the services hold the rules."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from agencies.models import Region, Role
from agencies.selectors import agency_choices
from common.forms import LocalDecimalField, format_local_number
from evaluations.models import Answer, EvaluationCycle, Lens, Question
from evidence.forms import EvidenceFields
from masterplan.models import Dimension, Element

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
WEIGHT_FIELDS = [f"weight_{lens}" for lens in Lens.values]


class CycleForm(forms.ModelForm):
    class Meta:
        model = EvaluationCycle
        fields = (
            "year",
            "stage",
            "letter_number",
            "opens_on",
            "closes_on",
            "internal_deadline",
            "meeting_date",
            "meeting_place",
            *WEIGHT_FIELDS,
        )
        widgets = {name: DATE for name in ("opens_on", "closes_on", "internal_deadline", "meeting_date")}
        field_classes = dict.fromkeys(WEIGHT_FIELDS, LocalDecimalField)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        cycle_row = Row(
            Column("year", css_class="col-md-3"),
            Column("stage", css_class="col-md-3"),
            Column("letter_number", css_class="col-md-6"),
        )
        dates = ("opens_on", "closes_on", "internal_deadline", "meeting_date")
        dates_row = Row(*(Column(name, css_class="col-md-3") for name in dates))
        weights_row = Row(*(Column(name, css_class="col") for name in WEIGHT_FIELDS))
        self.helper.layout = Layout(
            Fieldset(_("Cycle"), cycle_row),
            Fieldset(_("Dates"), dates_row, "meeting_place"),
            Fieldset(_("Lens weights (total 100 %)"), weights_row),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        weights = [cleaned.get(name) for name in WEIGHT_FIELDS]
        if all(w is not None for w in weights) and sum(weights) != 100:
            message = _("The five lens weights must add up to 100 %% (now %(sum)s %%).")
            self.add_error(None, message % {"sum": sum(weights)})
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


class YesNoField(forms.TypedChoiceField):
    """Yes/no radios. Their values are "true"/"false", so the stored True/False has to be spelt that way
    for the saved radio to show as checked (str(True) is "True", which matches neither)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=[("true", _("Yes")), ("false", _("No"))],
            coerce=lambda v: v == "true",
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, bool):
            return "true" if value else "false"
        return value


class AnswerNumberField(LocalDecimalField):
    """Shows a stored number as it was typed ("81,5", "1.250") instead of with the column's four decimals
    ("81,5000"), in a form this field reads back to the same Decimal."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_local_number(value, grouping=get_language() != "en")
        return value  # the user's own text when the form is shown again with an error


class MultilineField(forms.CharField):
    """Browsers send a textarea's line breaks as CRLF; keep the "\n" stored, so saving unchanged text is no change."""

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if isinstance(value, str) else value


class AnswerForm(EvidenceFields, forms.ModelForm):
    """The right widget for the question's kind, an explanation, and evidence (library or new upload)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Answer
        fields = ("narrative",)
        widgets = {"narrative": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"narrative": MultilineField}

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
        stored = getattr(self.instance, self.value_name)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial["value"] = stored
        if question.kind == Question.Kind.CHOICE and stored and stored not in question.choices:
            # Carried from a questionnaire whose choices have since changed: no radio can show it, so say it.
            self.fields["value"].help_text = _(
                "The saved answer “%(value)s” is no longer one of the choices; it is kept until you choose one."
            ) % {"value": stored}
        self.set_library(library, cited=self.instance.evidence.all())
        self.order_fields(["value", "narrative", "evidence", "new_files", "new_files_kind", "version"])

    @staticmethod
    def _value_field(question: Question) -> forms.Field:
        label = _("Answer")
        kind = question.kind
        if kind == Question.Kind.YES_NO:
            return YesNoField(label=label, required=False)
        if kind == Question.Kind.CHOICE:
            return forms.ChoiceField(
                label=label, required=False, widget=forms.RadioSelect, choices=[(c, c) for c in question.choices]
            )
        if kind == Question.Kind.LEVEL:
            choices = [(n, f"{n} — {text}") for n, text in enumerate(question.level_criteria, start=1)]
            return forms.TypedChoiceField(
                label=label, required=False, widget=forms.RadioSelect, choices=choices, coerce=int, empty_value=None
            )
        if kind == Question.Kind.NUMBER:
            return AnswerNumberField(label=label, required=False, max_digits=18, decimal_places=4)
        if kind == Question.Kind.PERCENTAGE:
            return AnswerNumberField(
                label=_("Answer (%)"),
                required=False,
                max_digits=7,
                decimal_places=4,
                min_value=Decimal(0),
                max_value=Decimal(100),
            )
        return MultilineField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def _sent(self, name: str) -> bool:
        # A radio group with nothing checked is left out of the request entirely: that is "not touched",
        # never "blank it" (as Django's construct_instance skips omitted fields).
        return not self.fields[name].widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))

    def service_data(self) -> dict[str, Any]:
        """The value and explanation to save, leaving out whichever the request did not carry at all."""
        data: dict[str, Any] = {}
        if self._sent("value"):
            value = self.cleaned_data.get("value")
            if self.value_name in ("value_choice", "value_text"):
                value = value or ""
            data[self.value_name] = value
        if self._sent("narrative"):
            data["narrative"] = self.cleaned_data.get("narrative", "")
        return data


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


class WindowExtensionForm(forms.Form):
    """DKISP extends the questionnaire window for one SKPD of the cycle; the service checks dates and reason."""

    agency = forms.ModelChoiceField(queryset=None, label=_("SKPD"))
    closes_on = forms.DateField(widget=DATE, label=_("Extended until"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("At least 10 characters; the SKPD reads it in the mail."),
    )

    def __init__(self, *args: Any, cycle: EvaluationCycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only SKPDs that answer questions in this cycle have a window to extend.
        self.fields["agency"].queryset = (
            agency_choices(region=cycle.region).filter(assignments__cycle=cycle).distinct().order_by("acronym")
        )
        self.fields["agency"].label_from_instance = lambda a: f"{a.acronym} — {a.name}"


class LockForm(forms.Form):
    """The coordinator's confirmation of a lock; the service decides whether the reason is needed."""

    reason = forms.CharField(
        label=_("Reason for locking now"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the cycle is not ready or the questionnaire is still open; kept in the history."),
    )
