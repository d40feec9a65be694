"""The SKPD's answer to one question: the right field for the question's kind, an explanation, evidence."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.forms import LocalDecimalField, format_local_number
from evaluations.models import Answer, Question
from evidence.forms import EvidenceFields


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
