"""Forms for preparation meetings: planning one (with its invited SKPDs and whether each head must come), an
SKPD's answer, attendance, the minutes, and a decision that becomes a follow-up item."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Region
from agencies.selectors import agency_choices
from evaluations.forms.widgets import version_field
from evaluations.models import Meeting, MeetingInvitation
from masterplan.models import Dimension

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The widest date a person means here; "20230-01-01" typed into a date box is a slip, not a meeting in 20230.
LATEST_YEAR = 2100


def _agency_label(agency: Agency) -> str:
    return f"{agency.acronym} — {agency.name}"


def _region_agencies(region: Region) -> QuerySet[Agency]:
    return agency_choices(region=region)


class MeetingForm(forms.ModelForm):
    """The meeting's details and its invitations: `invited` SKPDs, and among them those whose head must attend."""

    invited = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Invited SKPDs")
    )
    head_required = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Head must attend"),
    )

    class Meta:
        model = Meeting
        fields = ("kind", "title", "starts_at", "place", "agenda")
        widgets = {"starts_at": DATETIME, "agenda": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"starts_at": _("Local time (WITA/WIB as the region keeps it).")}

    def __init__(self, *args: Any, region: Region, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = _region_agencies(region)
        if self.instance.pk:
            # An SKPD deactivated after it was invited stays a choice here, so saving does not silently uninvite it.
            invited_ids = self.instance.invitations.values("agency_id")
            agencies = agency_choices(region=region, include_inactive=True).filter(
                Q(is_active=True) | Q(pk__in=invited_ids)
            )
        for name in ("invited", "head_required"):
            field = self.fields[name]
            field.queryset = agencies  # type: ignore[attr-defined]
            field.label_from_instance = _agency_label  # type: ignore[attr-defined]
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        self.fields["place"].widget.attrs.setdefault("placeholder", "Aula Barakat, Martapura")
        if self.instance.pk:
            invitations = list(self.instance.invitations.all())
            self.initial.setdefault("invited", [i.agency_id for i in invitations])
            self.initial.setdefault("head_required", [i.agency_id for i in invitations if i.head_required])

    @property
    def agency_rows(self) -> list[tuple[Any, Any]]:
        """Each SKPD's two boxes side by side (both fields list the same agencies in the same order)."""
        return list(zip(self["invited"], self["head_required"], strict=True))

    def clean_starts_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["starts_at"]
        if not 2000 <= value.year <= LATEST_YEAR:
            raise forms.ValidationError(_("Enter a date between the years 2000 and 2100."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        invited = set(cleaned.get("invited") or [])
        heads = set(cleaned.get("head_required") or [])
        if "invited" in cleaned and heads - invited:
            self.add_error(
                "head_required",
                _("Tick “head must attend” only for SKPDs that are invited: %(list)s.")
                % {"list": ", ".join(sorted(a.acronym for a in heads - invited))},
            )
        return cleaned

    def invitations(self) -> list[tuple[Agency, bool]]:
        heads = set(self.cleaned_data.get("head_required") or [])
        return [(agency, agency in heads) for agency in self.cleaned_data["invited"]]


class MeetingUpdateForm(MeetingForm):
    version = version_field()


class InvitationResponseForm(forms.Form):
    response = forms.ChoiceField(
        choices=[
            (MeetingInvitation.Response.HEAD, MeetingInvitation.Response.HEAD.label),
            (MeetingInvitation.Response.DELEGATE, MeetingInvitation.Response.DELEGATE.label),
            (MeetingInvitation.Response.DECLINED, MeetingInvitation.Response.DECLINED.label),
        ],
        widget=forms.RadioSelect,
        label=_("Who attends"),
    )
    attendee_name = forms.CharField(
        max_length=150, required=False, label=_("Attendee's name"), help_text=_("Needed for a delegate.")
    )
    attendee_position = forms.CharField(
        max_length=150,
        required=False,
        label=_("Attendee's position"),
        help_text=_("Needed for a delegate, e.g. Sekretaris Dinas or Kepala Bidang."),
    )


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        queryset=MeetingInvitation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("SKPDs present"),
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["present"]
        field.queryset = meeting.invitations.select_related("agency").order_by("agency__acronym")  # type: ignore[attr-defined]
        field.label_from_instance = lambda i: _agency_label(i.agency)  # type: ignore[attr-defined]


class MinutesForm(forms.Form):
    """The files only; the service checks them by content as every evidence upload is."""

    minutes_upload = forms.FileField(required=False, label=_("Minutes (notulen)"))
    attendance_upload = forms.FileField(required=False, label=_("Signed attendance list"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self.errors and not cleaned.get("minutes_upload") and not cleaned.get("attendance_upload"):
            self.add_error("minutes_upload", _("Choose a file to upload."))
        return cleaned


class DecisionForm(forms.Form):
    """A decision of the meeting, to become a follow-up item with one task per SKPD that has a due date."""

    text = forms.CharField(label=_("Decision"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    dimension = forms.ModelChoiceField(
        queryset=Dimension.objects.order_by("order"), required=False, label=_("Dimension")
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        invited = set(meeting.invitations.values_list("agency_id", flat=True))
        agencies = sorted(_region_agencies(meeting.region), key=lambda a: (a.pk not in invited, a.acronym))
        self.agencies = agencies
        for agency in agencies:
            self.fields[f"due_{agency.pk}"] = forms.DateField(required=False, widget=DATE, label=_agency_label(agency))

    @property
    def due_fields(self) -> list[forms.BoundField]:
        return [self[f"due_{agency.pk}"] for agency in self.agencies]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for agency in self.agencies:
            due = cleaned.get(f"due_{agency.pk}")
            if due is not None and not 2000 <= due.year <= LATEST_YEAR:
                self.add_error(f"due_{agency.pk}", _("Enter a date between the years 2000 and 2100."))
        if not self.errors and not self.tasks():
            self.add_error(None, _("Give a due date for at least one SKPD that must act on the decision."))
        return cleaned

    def tasks(self) -> list[tuple[Agency, dt.date]]:
        return [
            (agency, self.cleaned_data[f"due_{agency.pk}"])
            for agency in self.agencies
            if self.cleaned_data.get(f"due_{agency.pk}")
        ]
