"""Forms of the recommendation register: parsing only; the services in evaluations.services.followup decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Region
from agencies.selectors import agency_choices
from evaluations.forms.widgets import DATE, version_field
from evaluations.models import EvaluationCycle, FollowUpItem, Question
from evaluations.selectors.followup import earlier_item_choices
from evidence.forms import EvidenceFields
from masterplan.models import Dimension

MAX_TEXT = 4000
_CODE_SPLIT = re.compile(r"[\s,;]+")


def _cycles(region: Region) -> Any:
    return EvaluationCycle.objects.filter(region=region).order_by("-year", "-pk")


class RegisterFilterForm(forms.Form):
    """The register's filters (GET): a bad value is shown next to its field and that filter is left out."""

    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    cycle = forms.ModelChoiceField(queryset=EvaluationCycle.objects.none(), required=False, label=_("Cycle"))
    status = forms.ChoiceField(label=_("Status"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    dimension = forms.ModelChoiceField(
        queryset=Dimension.objects.all(), to_field_name="code", required=False, label=_("Dimension")
    )
    agency = forms.ModelChoiceField(queryset=None, required=False, label=_("SKPD"))
    recurring = forms.ChoiceField(
        label=_("Recurring"),
        required=False,
        choices=[("", _("All")), ("yes", _("Recurring only")), ("no", _("Not recurring"))],
    )

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = _cycles(region)
        self.fields["status"].choices = [("", _("All statuses")), *FollowUpItem.Status.choices]
        self.fields["source"].choices = [("", _("All sources")), *FollowUpItem.Source.choices]
        self.fields["agency"].queryset = agency_choices(region=region, include_inactive=True)
        self.fields["dimension"].empty_label = _("All dimensions")
        self.fields["agency"].empty_label = _("All SKPDs")
        self.fields["cycle"].empty_label = _("All cycles")

    def filters(self) -> dict[str, Any]:
        """The valid filters only (the others are shown with their error and ignored)."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors and v}


class ItemForm(forms.Form):
    """An item's text and what it concerns. New items choose their cycle; edits carry the version they started from."""

    cycle = forms.ModelChoiceField(queryset=EvaluationCycle.objects.none(), label=_("Evaluation cycle"))
    source = forms.ChoiceField(label=_("Source"), choices=FollowUpItem.Source.choices)
    dimension = forms.ModelChoiceField(
        queryset=Dimension.objects.all(), required=False, label=_("Dimension"), empty_label=_("Overall")
    )
    text = forms.CharField(
        label=_("What the region must do"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )
    question_codes = forms.CharField(
        label=_("Questions concerned"),
        required=False,
        max_length=1000,
        help_text=_("Question codes of the cycle's questionnaire, separated by commas, e.g. SG-B-01, SG-O-01."),
    )
    recurs = forms.ModelChoiceField(
        queryset=FollowUpItem.objects.none(),
        required=False,
        label=_("Same as the earlier item"),
        empty_label=_("None (found automatically when the text is the same)"),
    )
    version = version_field(required=False)

    def __init__(self, *args: Any, region: Region, item: FollowUpItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        if item is None:
            self.fields["cycle"].queryset = _cycles(region)
            del self.fields["recurs"], self.fields["version"]
        else:
            del self.fields["cycle"]
            self.fields["recurs"].queryset = earlier_item_choices(item)
            self.fields["recurs"].label_from_instance = lambda i: f"{i.cycle.year} · {i.text[:90]}"
            self.fields["version"].required = True
            if not self.is_bound:
                self.initial.update(
                    {
                        "source": item.source,
                        "dimension": item.dimension_id,
                        "text": item.text,
                        "question_codes": ", ".join(
                            item.questions.filter(questionnaire_id=item.cycle.questionnaire_id)
                            .order_by("code")
                            .values_list("code", flat=True)
                        ),
                        "recurs": item.recurs_id,
                        "version": item.version,
                    }
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        cycle = self.item.cycle if self.item is not None else cleaned.get("cycle")
        codes = [c for c in _CODE_SPLIT.split(cleaned.get("question_codes") or "") if c]
        cleaned["questions"] = []
        if codes and cycle is not None:
            if cycle.questionnaire_id is None:
                self.add_error("question_codes", _("This cycle has no questionnaire yet."))
                return cleaned
            found = {
                q.code: q
                for q in Question.objects.filter(
                    questionnaire_id=cycle.questionnaire_id, code__in=codes
                ).select_related("questionnaire")
            }
            unknown = [c for c in dict.fromkeys(codes) if c not in found]
            if unknown:
                self.add_error(
                    "question_codes",
                    _("Not in the cycle's questionnaire: %(codes)s.") % {"codes": ", ".join(unknown)},
                )
            cleaned["questions"] = [found[c] for c in dict.fromkeys(codes) if c in found]
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = {k: self.cleaned_data[k] for k in ("source", "dimension", "text")}
        if "recurs" in self.fields:
            data["recurs"] = self.cleaned_data.get("recurs")
        data["questions"] = self.cleaned_data["questions"]
        return data


class AssignForm(forms.Form):
    """SKPDs to give the item to, all due on one date (assign again for another date)."""

    agencies = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple, label=_("SKPDs"))
    due_on = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = agency_choices(region=region)

    def clean_due_on(self) -> Any:
        due_on = self.cleaned_data["due_on"]
        if not 2000 <= due_on.year <= 2100:
            raise forms.ValidationError(_("Enter a date between 2000 and 2100."))
        return due_on


class TaskReportForm(EvidenceFields, forms.Form):
    """What the SKPD did for its task, with evidence from its library or new files."""

    report = forms.CharField(
        label=_("What was done"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
    version = version_field()

    def __init__(self, *args: Any, task: Any, library: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_library(library, cited=task.evidence.all())
        if not self.is_bound:
            self.initial.update({"report": task.report, "version": task.version})
