"""Progress reports: the SKPD's "Laporan saya", the report form, DKISP's review queue and decisions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.audit import events_for
from agencies.gates import requires
from agencies.models import AGENCY_ROLES, Agency, Role
from agencies.permissions import (
    CHANGE,
    CREATE,
    VIEW,
    User,
    agencies_of,
    can,
    get_for_user,
    get_many_for_user,
    roles_of,
    scoped,
)
from common.forms import ReasonForm, add_service_errors
from common.ids import parse_id, parse_ids
from common.pagination import paginate
from common.views import act_and_redirect, report_bulk_outcome
from common.workflow import VersionConflict
from evidence.forms import keep_typed
from evidence.picker import picker_fragment
from evidence.selectors import attachable_evidence
from evidence.services import evidence_with_new_files
from masterplan.forms_reports import ReportFilter, ReportForm
from masterplan.models import Programme, ProgressReport
from masterplan.rules import DECIDE, REOPEN, REVIEW, SUBMIT
from masterplan.selectors import current_masterplan
from masterplan.selectors.reports import (
    ReportSlot,
    SlotState,
    overall_progress,
    progress_rows,
    report_detail_queryset,
    report_slots_for_years,
    report_work,
    review_queue,
)
from masterplan.services import reports as report_services

PAGE_SIZE = 50
SLOTS_PER_PAGE = 50
Status = ProgressReport.Status


def get_report_for_user(user: User, pk: int, action: str = VIEW) -> ProgressReport:
    return get_for_user(user, report_detail_queryset(), action, pk=pk)


# The states "Laporan saya" can be filtered by, in the order the filter offers them.
SLOT_FILTERS = (
    SlotState.OVERDUE,
    SlotState.DUE,
    Status.RETURNED,
    Status.DRAFT,
    Status.SUBMITTED,
    Status.APPROVED,
)
ALL_YEARS = "all"


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """The SKPD's reports, period by period: what is due, overdue, returned or approved.

    It opens on the oldest year holding due, overdue or returned reports (an explicit ?year= wins), with the
    overdue and returned counts of all years on top; ?state= lists one state, of every year unless a year is
    chosen.
    """
    agencies = agencies_of(request.user, AGENCY_ROLES, region=request.region) if request.region else []
    if not agencies:
        if Role.COORDINATOR in roles_of(request.user, request.region) or request.user.is_superuser:
            return redirect("masterplan:review_queue")
        raise PermissionDenied
    masterplan = current_masterplan(user=request.user, region=request.region)
    if masterplan is None:
        raise Http404(_("This region has no masterplan yet."))
    today = timezone.localdate()
    years = [y for y in masterplan.years if y <= today.year] or [masterplan.start_year]
    work = report_work(agencies=agencies, masterplan=masterplan, years=years, today=today)
    state = request.GET.get("state", "")
    if state not in SLOT_FILTERS:
        state = ""
    asked = request.GET.get("year", "")
    year: int | None
    if asked == ALL_YEARS:
        year = None
    elif parse_id(asked) in years:
        year = int(asked)
    elif state:
        year = None  # a state's list shows every year unless one is chosen
    else:
        year = work.oldest_year or years[-1]
    rows: list[tuple[Agency, ReportSlot]] = []
    for agency in agencies:
        slots = report_slots_for_years(
            agency=agency, masterplan=masterplan, years=years if year is None else [year], today=today
        )
        rows += [(agency, slot) for slot in slots if not state or slot.state == state]
    # All years of an agency with many programmes run to hundreds of slots: the page shows SLOTS_PER_PAGE of them,
    # grouped under their agency; an agency with nothing to report keeps its empty table on the first page.
    page, query = paginate(request, rows, SLOTS_PER_PAGE)
    shown: dict[int, list[ReportSlot]] = {}
    for agency, slot in page.object_list:
        shown.setdefault(agency.pk, []).append(slot)
    listed = {agency.pk for agency, _slot in rows}
    sections = [
        (agency, shown.get(agency.pk, []))
        for agency in agencies
        if agency.pk in shown or (agency.pk not in listed and page.number == 1)
    ]
    return render(
        request,
        "reports/my_reports.html",
        {
            "sections": sections,
            "page": page,
            "query": query,
            "year": year,
            "years": years,
            "all_years": ALL_YEARS,
            "state": state,
            "states": SLOT_FILTERS,
            "work": work,
            "masterplan": masterplan,
            "today": today,
        },
    )


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """Open (or reopen the draft of) a report for a programme and period, then go to its form."""
    if not agencies_of(request.user, AGENCY_ROLES):
        raise PermissionDenied
    try:
        programme_id, year, period = (int(request.POST.get(k, "")) for k in ("programme", "year", "period"))
    except ValueError:
        messages.error(request, _("Choose a programme and a period."))
        return redirect("masterplan:my_reports")
    programme = get_for_user(request.user, Programme.objects.select_related("masterplan__region"), pk=programme_id)
    agencies = agencies_of(request.user, AGENCY_ROLES, region=programme.masterplan.region)
    if not agencies:
        raise PermissionDenied
    agency = next((a for a in agencies if a.pk == programme.lead_agency_id), agencies[0])
    try:
        report = report_services.report_start(
            programme=programme, agency=agency, year=year, period=period, by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("masterplan:my_reports")
    if not can(request.user, CREATE, report):
        raise PermissionDenied
    return redirect("masterplan:report_edit", pk=report.pk)


@login_required
@requires(VIEW, fetch=get_report_for_user)
def detail(request: HttpRequest, report: ProgressReport) -> HttpResponse:
    rows = progress_rows(report)
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "rows": rows,
            "overall": overall_progress(rows),
            "can_edit": can(request.user, CHANGE, report),
            "can_review": can(request.user, REVIEW, report),
            "can_decide": can(request.user, DECIDE, report),
            "can_reopen": can(request.user, REOPEN, report),
            "reason_form": ReasonForm(),
            "problems": report_services.submission_problems(report) if report.is_editable else [],
            "history": events_for(report).select_related("actor")[:5],
        },
    )


def _conflict_rows(form: ReportForm, current: ProgressReport) -> list[tuple[str, Any, Any]]:
    """The fields someone else changed, beside what this user typed."""
    rows = []
    for name in ReportForm.Meta.fields:
        theirs, mine = getattr(current, name), form.cleaned_data.get(name)
        if (theirs or "") != (mine or ""):
            rows.append((str(ProgressReport._meta.get_field(name).verbose_name), theirs, mine))
    return rows


@login_required
@requires(CHANGE, fetch=get_report_for_user)
def edit(request: HttpRequest, report: ProgressReport) -> HttpResponse:
    if not report.is_editable:
        messages.warning(
            request, _("This report is %(status)s and locked.") % {"status": report.get_status_display().lower()}
        )
        return redirect(report)
    library = attachable_evidence(user=request.user, agency=report.agency)
    if (fragment := picker_fragment(request, library)) is not None:
        return fragment
    rows = progress_rows(report)
    form = ReportForm(request.POST or None, request.FILES or None, instance=report, rows=rows, library=library)
    conflict: list[tuple[str, Any, Any]] = []
    if request.method == "POST" and form.is_valid():
        files = evidence_with_new_files(
            agency=report.agency,
            by=request.user,
            **form.new_files_input(),
            refused=getattr(request, "upload_errors", []),
        )
        for notice in files.notices:
            messages.info(request, notice)
        try:
            saved = report_services.report_update(
                report=report,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
                realisations=form.realisations(),
                evidence=files.evidence,
            )
        except VersionConflict as clash:
            conflict = _conflict_rows(form, clash.current)
            data = request.POST.copy()
            data["version"] = str(clash.current.version)  # saving again now is a deliberate overwrite
            form = ReportForm(data, instance=clash.current, rows=rows, library=library)
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if files.errors:  # the report is saved; the form stays open with the reasons beside the file input
                messages.warning(request, _("The report was saved, but some files were refused."))
                data = keep_typed(request.POST, version=saved.version, evidence=saved.evidence.all())
                report, rows = saved, progress_rows(saved)
                form = ReportForm(data, instance=saved, rows=rows, library=library)
                form.is_valid()
            elif request.POST.get("action") == "submit":
                return _submit(request, saved)
            else:
                messages.success(request, _("The draft was saved."))
                return redirect(saved)
        if files.errors:  # shown again for any reason, the form keeps the refused files' reasons by their input
            add_service_errors(form, files.errors)
    return render(
        request,
        "reports/report_form.html",
        {
            "form": form,
            "report": report,
            "rows": rows,
            "conflict": conflict,
        },
    )


def _submit(request: HttpRequest, report: ProgressReport) -> HttpResponse:
    return act_and_redirect(
        request,
        lambda: report_services.report_submit(report=report, by=request.user),
        success=_("The report was submitted to DKISP for review."),
        to=report,
    )


@login_required
@require_POST
@requires(SUBMIT, fetch=get_report_for_user)
def submit(request: HttpRequest, report: ProgressReport) -> HttpResponse:
    return _submit(request, report)


@login_required
@require_POST
@requires(REVIEW, fetch=get_report_for_user)
def approve(request: HttpRequest, report: ProgressReport) -> HttpResponse:
    return act_and_redirect(
        request,
        lambda: report_services.report_approve(report=report, by=request.user),
        success=_("The report was approved and is now locked."),
        to=report,
    )


def _decide_with_reason(request: HttpRequest, report: ProgressReport, *, reopen: bool) -> HttpResponse:
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = report_services.report_reopen if reopen else report_services.report_return
        try:
            service(report=report, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The report was reopened.") if reopen else _("The report was returned."))
            return redirect(report)
    return render(request, "reports/reason_form.html", {"form": form, "report": report, "reopen": reopen})


@login_required
@requires(REVIEW, fetch=get_report_for_user)
def return_report(request: HttpRequest, report: ProgressReport) -> HttpResponse:
    return _decide_with_reason(request, report, reopen=False)


@login_required
@requires(REVIEW, fetch=get_report_for_user)
def reopen(request: HttpRequest, report: ProgressReport) -> HttpResponse:
    return _decide_with_reason(request, report, reopen=True)


@login_required
@requires(VIEW, fetch=get_report_for_user)
def history(request: HttpRequest, report: ProgressReport) -> HttpResponse:
    return render(
        request,
        "reports/report_history.html",
        {
            "report": report,
            "events": events_for(report).select_related("actor"),
        },
    )


@login_required
@requires(REVIEW, on=ProgressReport)
def queue(request: HttpRequest) -> HttpResponse:
    """DKISP's review queue: filter, open, or approve several at once."""
    base = review_queue(user=request.user, region=request.region)
    data = request.GET.copy()
    if "status" not in data:
        data["status"] = ProgressReport.Status.SUBMITTED
    filterset = ReportFilter(data, queryset=base, region=request.region)
    reports = filterset.qs if filterset.is_valid() else base.none()
    page, query = paginate(request, reports, PAGE_SIZE)
    # One query asks the policy which reports of the page may be approved now (their status included).
    shown = ProgressReport.objects.filter(pk__in=[report.pk for report in page.object_list])
    decidable = set(scoped(request.user, DECIDE, shown).values_list("pk", flat=True))
    for report in page.object_list:
        report.can_decide = report.pk in decidable
    return render(
        request,
        "reports/review_queue.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
        },
    )


@login_required
@require_POST
@requires(REVIEW, on=ProgressReport)
def bulk_approve(request: HttpRequest) -> HttpResponse:
    ids = parse_ids(request.POST.getlist("report"))
    if not ids:
        messages.warning(request, _("Tick the reports to approve first."))
        return redirect("masterplan:review_queue")
    reports = get_many_for_user(request.user, report_detail_queryset(), ids, REVIEW)
    approved, skipped = report_services.report_bulk_approve(reports=reports, by=request.user)
    report_bulk_outcome(request, approved, skipped, _("%(n)s report(s) approved."))
    # Back to the same filtered queue; the query string cannot change where the redirect goes.
    return redirect(reverse("masterplan:review_queue") + "?" + QueryDict(request.POST.get("query", "")).urlencode())
