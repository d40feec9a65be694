"""Preparation meetings: DKISP plans them, invites SKPDs, records attendance, keeps the minutes and turns decisions
into follow-up items; an invited SKPD sees the meeting and says who attends."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.audit import events_for
from agencies.gates import requires
from agencies.permissions import CHANGE, CREATE, VIEW, NotNow, User, can, can_in_region, get_for_user
from common.forms import ReasonForm, add_service_errors
from common.views import act_and_redirect
from common.workflow import VersionConflict
from evaluations.forms.meetings import (
    AttendanceForm,
    DecisionForm,
    InvitationResponseForm,
    MeetingForm,
    MeetingUpdateForm,
    MinutesForm,
)
from evaluations.models import EvaluationCycle, FollowUpItem, Meeting, MeetingInvitation
from evaluations.rules import RESPOND
from evaluations.selectors.meetings import cycle_meetings, meeting_page, meeting_queryset, own_invitations
from evaluations.services import meetings as services
from evaluations.views.common import get_cycle_for_user


def get_cycle_meetings_for_user(user: User, pk: int, action: str = VIEW) -> EvaluationCycle:
    """The cycle whose meetings the user may see (VIEW) or plan (CREATE): those who take no part in meetings
    (assessors) do not learn the page exists."""
    cycle = get_cycle_for_user(user, pk, VIEW)
    if not can_in_region(user, VIEW, Meeting, cycle.region):
        raise Http404
    if action != VIEW and not can_in_region(user, action, Meeting, cycle.region):
        raise PermissionDenied
    return cycle


def get_meeting_for_user(user: User, pk: int, action: str = VIEW) -> Meeting:
    return get_for_user(user, meeting_queryset(), action, pk=pk)


def get_invitation_to_answer(user: User, pk: int, action: str = RESPOND) -> MeetingInvitation:
    """An invitation of the user's SKPD: 404 for anyone else's, 403 for DKISP (it does not answer for an SKPD).
    Once the meeting has started the page still opens, to say the answer is closed."""
    queryset = MeetingInvitation.objects.select_related("meeting__cycle", "meeting__region", "agency", "responded_by")
    try:
        return get_for_user(user, queryset, action, pk=pk)
    except NotNow as closed:
        return closed.obj  # type: ignore[return-value]


@login_required
@requires(VIEW, fetch=get_cycle_meetings_for_user)
def meeting_list(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    meetings = list(cycle_meetings(user=request.user, cycle=cycle))
    can_create = can_in_region(request.user, CREATE, Meeting, cycle.region)
    if not can_create:
        # An SKPD sees its own answer beside each meeting; DKISP sees the counts.
        mine = own_invitations(user=request.user, meetings=meetings)
        for meeting in meetings:
            meeting.mine = mine.get(meeting.pk)  # type: ignore[attr-defined]
    context = {"cycle": cycle, "meetings": meetings, "can_create": can_create}
    return render(request, "evaluations/meeting_list.html", context)


@login_required
@requires(CREATE, fetch=get_cycle_meetings_for_user)
def meeting_create(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    form = MeetingForm(
        request.POST if request.method == "POST" else None, region=cycle.region, initial={"place": cycle.meeting_place}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.MEETING_FIELDS}
        try:
            meeting = services.meeting_create(cycle=cycle, by=request.user, data=data, invitations=form.invitations())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was planned. Send the invitations when the details are final."))
            return redirect(meeting)
    return render(request, "evaluations/meeting_form.html", {"form": form, "cycle": cycle})


def _detail(request: HttpRequest, meeting: Meeting, **forms: Form | None) -> HttpResponse:
    """The meeting's page; a refused form posted to one of its actions comes back bound, errors beside fields."""
    manage = can(request.user, CHANGE, meeting)
    page = meeting_page(user=request.user, meeting=meeting, coordinator=manage)
    planned = meeting.status == Meeting.Status.PLANNED
    day_reached = services.day_reached(meeting)
    context: dict[str, Any] = {
        "cycle": meeting.cycle,
        "meeting": meeting,
        "page": page,
        "can_manage": manage,
        "can_edit": manage and planned,
        "can_send": manage and planned and not services.has_started(meeting),
        "can_record": manage and meeting.status != Meeting.Status.CANCELLED and day_reached,
        "can_decide": manage and meeting.status != Meeting.Status.CANCELLED,
        "changed_since_sent": manage and services.changed_since_sent(meeting),
        "started": services.has_started(meeting),
    }
    if manage:
        context["attendance_form"] = forms.get("attendance_form") or AttendanceForm(
            meeting=meeting, initial={"present": [i for i in page.invitations if i.attended]}
        )
        context["minutes_form"] = forms.get("minutes_form") or MinutesForm()
        context["decision_form"] = forms.get("decision_form") or DecisionForm(meeting=meeting)
        context["history"] = events_for(meeting).select_related("actor")[:10]
    return render(request, "evaluations/meeting_detail.html", context)


@login_required
@requires(VIEW, fetch=get_meeting_for_user)
def meeting_detail(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    return _detail(request, meeting)


@login_required
@requires(CHANGE, fetch=get_meeting_for_user)
def meeting_update(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    if meeting.status != Meeting.Status.PLANNED:
        messages.warning(request, _("Only a planned meeting can be changed."))
        return redirect(meeting)
    form = MeetingUpdateForm(
        request.POST if request.method == "POST" else None,
        instance=meeting,
        region=meeting.region,
        initial={"version": meeting.version},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.MEETING_FIELDS}
        try:
            services.meeting_update(
                meeting=Meeting.objects.get(pk=meeting.pk),
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=data,
                invitations=form.invitations(),
            )
        except VersionConflict as clash:
            data = request.POST.copy()
            data["version"] = str(clash.current.version)  # saving again now is a deliberate overwrite
            form = MeetingUpdateForm(data, instance=clash.current, region=meeting.region)
            form.is_valid()
            form.add_error(
                None,
                _("Someone changed this meeting after you opened it. Check the details and save again to overwrite."),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if meeting.invitations_sent_at:
                messages.success(request, _("The meeting was saved. Send the invitations again so the SKPDs know."))
            else:
                messages.success(request, _("The meeting was saved."))
            return redirect(meeting)
    return render(request, "evaluations/meeting_form.html", {"form": form, "cycle": meeting.cycle, "meeting": meeting})


@login_required
@require_POST
@requires(CHANGE, fetch=get_meeting_for_user)
def invitations_send(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    def send() -> None:
        services.invitations_send(meeting=meeting, by=request.user)

    return act_and_redirect(
        request, send, success=_("The invitations were sent by mail to the invited SKPDs."), to=meeting
    )


@login_required
@require_POST
@requires(CHANGE, fetch=get_meeting_for_user)
def attendance_record(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        present = {i.pk for i in form.cleaned_data["present"]}
        attended = {i.pk: i.pk in present for i in meeting.invitations.all()}
        try:
            services.attendance_record(meeting=meeting, by=request.user, attended=attended)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The attendance was recorded; the meeting is marked as held."))
            return redirect(meeting)
    return _detail(request, meeting, attendance_form=form)


@login_required
@require_POST
@requires(CHANGE, fetch=get_meeting_for_user)
def minutes_attach(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    form = MinutesForm(request.POST, request.FILES)
    for problem in getattr(request, "upload_errors", []):
        form.add_error("minutes_upload", problem)
    if form.is_valid():
        try:
            services.minutes_attach(
                meeting=meeting,
                by=request.user,
                minutes_upload=form.cleaned_data.get("minutes_upload"),
                attendance_upload=form.cleaned_data.get("attendance_upload"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The files were kept as evidence in DKISP's library."))
            return redirect(meeting)
    return _detail(request, meeting, minutes_form=form)


@login_required
@require_POST
@requires(CHANGE, fetch=get_meeting_for_user)
def decision_create(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    form = DecisionForm(request.POST, meeting=meeting)
    if form.is_valid():
        from evaluations.services import followup  # the register's own module, loaded when a decision is taken

        try:
            followup.item_create(
                cycle=meeting.cycle,
                by=request.user,
                source=FollowUpItem.Source.DECISION,
                text=form.cleaned_data["text"],
                dimension=form.cleaned_data["dimension"],
                meeting=meeting,
                questions=(),
                tasks=form.tasks(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was added to the follow-up register."))
            return redirect(reverse("evaluations:meeting", args=[meeting.pk]) + "#decisions")
    return _detail(request, meeting, decision_form=form)


@login_required
@requires(CHANGE, fetch=get_meeting_for_user)
def meeting_cancel(request: HttpRequest, meeting: Meeting) -> HttpResponse:
    if meeting.status != Meeting.Status.PLANNED:
        messages.warning(request, _("Only a planned meeting can be cancelled."))
        return redirect(meeting)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was cancelled."))
            return redirect(meeting)
    return render(
        request, "evaluations/meeting_cancel.html", {"form": form, "meeting": meeting, "cycle": meeting.cycle}
    )


@login_required
@requires(RESPOND, fetch=get_invitation_to_answer)
def invitation_respond(request: HttpRequest, invitation: MeetingInvitation) -> HttpResponse:
    meeting = invitation.meeting
    open_now = can(request.user, RESPOND, invitation)
    initial = {
        "response": invitation.response if invitation.response != MeetingInvitation.Response.PENDING else None,
        "attendee_name": invitation.attendee_name,
        "attendee_position": invitation.attendee_position,
    }
    form = InvitationResponseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        if not open_now:
            form.is_valid()
            form.add_error(None, _("The meeting has started or was cancelled; the answer can no longer be changed."))
        elif form.is_valid():
            try:
                services.invitation_respond(invitation=invitation, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Thank you: DKISP can see who attends."))
                return redirect(meeting)
    context = {"invitation": invitation, "meeting": meeting, "form": form, "can_respond": open_now}
    return render(request, "evaluations/meeting_respond.html", context)
