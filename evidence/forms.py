"""Forms for the evidence library, and the evidence fields every form that cites evidence shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.forms import MultipleFileField
from common.uploads.kinds import ALLOWED_LABEL
from evidence.models import Evidence

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The kinds listed are the ones the upload check accepts (common.uploads.kinds), so help and refusal agree.
ALLOWED_TYPES = format_lazy(_("{types}; several files at once are fine."), types=ALLOWED_LABEL)


class EvidenceFields(forms.Form):
    """Evidence for a report or an answer: entries from the agency's library, and new files to add to it.

    Mixed into those forms (`class ReportForm(EvidenceFields, forms.ModelForm)`) and shown by one template
    partial, `evidence/_fieldset.html`; `evidence.services.evidence_with_new_files` stores the new files.
    """

    evidence = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Evidence from your library"),
    )
    new_files = MultipleFileField(required=False, label=_("Upload new evidence"), help_text=ALLOWED_TYPES)
    new_files_kind = forms.ChoiceField(
        choices=Evidence.Kind.choices, initial=Evidence.Kind.REPORT, label=_("Kind of the new files")
    )

    def set_library(self, library: Any, *, cited: Iterable[Evidence]) -> None:
        """Offer `library`'s entries, ticking those the object cites now (unless the form is bound)."""
        self.fields["evidence"].queryset = library
        self.fields["evidence"].label_from_instance = lambda e: (
            f"{e.title} ({e.get_kind_display()})" + (f" — {_('expired')}" if e.is_expired else "")
        )
        if not self.is_bound:
            self.initial["evidence"] = [e.pk for e in cited]

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
