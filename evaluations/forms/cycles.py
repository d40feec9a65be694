"""Forms for a cycle: its dates and lens weights, its assessors, a window extension for one SKPD, the lock."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from agencies.models import Region, Role
from agencies.selectors import agency_choices
from common.forms import LocalDecimalField
from evaluations.forms.widgets import DATE
from evaluations.models import EvaluationCycle, Lens

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
