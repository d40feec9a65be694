"""Forms for the evidence library, and the evidence fields every form that cites evidence shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db.models import QuerySet
from django.forms.utils import ErrorDict
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import MultipleFileField
from common.ids import parse_id, parse_ids
from common.uploads.kinds import ALLOWED_LABEL
from evidence.models import Evidence
from evidence.picker import EvidencePicker, evidence_picker, is_navigation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The kinds listed are the ones the upload check accepts (common.uploads.kinds), so help and refusal agree.
ALLOWED_TYPES = format_lazy(_("{types}; several files at once are fine."), types=ALLOWED_LABEL)


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    """The ids of library entries, as the picker's checkboxes post them. Anything else (another agency's entry, a
    word, an id beyond any column) is refused with one message beside the picker, never a server error."""

    # Never rendered by Django: the picker shows the chosen entries and a page of the rest itself
    # (evidence/_picker_body.html). Were the field rendered anyway, this widget lists only the chosen ids.
    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "not_attachable": _("Only files of your SKPD's library can be attached: choose them again from the list."),
    }

    def clean(self, value: Any) -> list[Evidence]:
        values = [value] if isinstance(value, str) else list(value or [])
        if not values:
            return []
        if any(parse_id(v) is None for v in values):
            raise forms.ValidationError(self.error_messages["not_attachable"], code="not_attachable")
        ids = parse_ids(values)
        found = list(self.queryset.filter(pk__in=ids))
        if len(found) != len(ids):
            raise forms.ValidationError(self.error_messages["not_attachable"], code="not_attachable")
        return found


class EvidenceFields(forms.Form):
    """Evidence for a report, an answer or a task: entries from the agency's library, and new files to add to it.

    Mixed into those forms (`class ReportForm(EvidenceFields, forms.ModelForm)`) and shown by one template
    partial, `evidence/_fieldset.html`, with the picker of evidence.picker; `evidence.services.evidence_with_new_files`
    stores the new files.
    """

    evidence = EvidenceChoiceField(queryset=Evidence.objects.none(), required=False, label=_("Evidence"))
    new_files = MultipleFileField(required=False, label=_("Upload new evidence"), help_text=ALLOWED_TYPES)
    new_files_kind = forms.ChoiceField(
        choices=Evidence.Kind.choices, initial=Evidence.Kind.REPORT, label=_("Kind of the new files")
    )

    def set_library(self, library: QuerySet[Evidence], *, cited: Iterable[Evidence]) -> None:
        """Accept `library`'s entries (see evidence.selectors.attachable_evidence), starting from those the object
        cites now (unless the form is bound)."""
        self.fields["evidence"].queryset = library
        if not self.is_bound:
            self.initial["evidence"] = [e.pk for e in cited]

    @property
    def browsing_evidence(self) -> bool:
        """Whether the form was submitted for the picker's search or a page of it (no JavaScript), not to be saved."""
        return self.is_bound and is_navigation(self.data)

    def is_valid(self) -> bool:
        return not self.browsing_evidence and super().is_valid()

    def full_clean(self) -> None:
        if self.browsing_evidence:
            # Shown again as typed with the picker's new page: nothing is judged, so no field is marked wrong.
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    @cached_property
    def evidence_picker(self) -> EvidencePicker:
        """The chosen entries (as posted, or as cited) and a page of the rest of the library under the search."""
        chosen = self["evidence"].value() or []
        if isinstance(chosen, str):
            chosen = [chosen]
        return evidence_picker(
            self.fields["evidence"].queryset, chosen=chosen, params=self.data if self.is_bound else {}
        )

    def new_files_input(self) -> dict[str, Any]:
        """The cleaned evidence fields as `evidence_with_new_files` takes them."""
        return {
            "uploads": self.cleaned_data.get("new_files") or [],
            "kind": self.cleaned_data["new_files_kind"],
            "chosen": list(self.cleaned_data["evidence"]),
        }


def keep_typed(data: QueryDict, *, version: int, evidence: Iterable[Evidence]) -> QueryDict:
    """The posted data again, now based on the saved `version` and citing the saved `evidence`.

    After a save that refused some files, the form is shown again with everything the user typed, the files
    that were stored ticked, and the refused files' reasons beside the file input; saving again is no conflict.
    """
    data = data.copy()
    data["version"] = str(version)
    data.setlist("evidence", [str(e.pk) for e in evidence])
    return data


class EvidenceMetadataForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ("title", "kind", "document_number", "document_date", "issuer", "valid_until")
        widgets = {"document_date": DATE_WIDGET, "valid_until": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("title", css_class="col-md-8"), Column("kind", css_class="col-md-4")),
            Row(
                Column("document_number", css_class="col-md-4"),
                Column("document_date", css_class="col-md-4"),
                Column("valid_until", css_class="col-md-4"),
            ),
            "issuer",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        issued, until = cleaned.get("document_date"), cleaned.get("valid_until")
        if issued and until and until < issued:
            self.add_error("valid_until", _("The validity cannot end before the document's date."))
        return cleaned


class EvidenceUploadForm(EvidenceMetadataForm):
    files = MultipleFileField(
        label=_("Files"),
        help_text=format_lazy(
            _("{types}. With several files, each takes its file name as title unless you give one."),
            types=ALLOWED_LABEL,
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.helper.layout = Layout(Fieldset(_("Files"), "files"), Fieldset(_("Description"), *self.helper.layout))
