"""The recommendation register: DKISP keeps it (create, edit, assign SKPDs, drop, reopen), an SKPD reports on its
tasks with evidence, and the assessors read it (read-only: the policy lets them see the region's items, never change
or report; their sheet shows last year's items beside each question)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.audit import events_for
from agencies.gates import requires
from agencies.models import AGENCY_ROLES, Role
from agencies.permissions import CHANGE, CREATE, VIEW, User, agencies_of, can, can_in_region, get_for_user, roles_of
from agencies.permissions import visible as policy_visible
from common.forms import ReasonForm, add_service_errors
from common.ids import parse_id
from common.pagination import paginate
from common.workflow import VersionConflict
from evaluations.forms.followup import AssignForm, ItemForm, RegisterFilterForm, TaskReportForm
from evaluations.models import EvaluationCycle, FollowUpItem, FollowUpTask
from evaluations.rules import REPORT
from evaluations.selectors import followup as selectors
from evaluations.services import followup as services
from evaluations.views.common import get_cycle_for_user
from evidence.forms import keep_typed
from evidence.models import Evidence
from evidence.picker import picker_fragment
from evidence.selectors import attachable_evidence
from evidence.services import evidence_with_new_files

PAGE_SIZE = 50


def get_item_for_user(user: User, pk: int, action: str = VIEW) -> FollowUpItem:
    items = FollowUpItem.objects.select_related("region", "cycle", "dimension", "meeting", "recurs__cycle")
    return get_for_user(user, items, action, pk=pk)


def get_task_for_user(user: User, pk: int, action: str = VIEW) -> FollowUpTask:
    tasks = FollowUpTask.objects.select_related("item__region", "item__cycle", "item__dimension", "agency")
    return get_for_user(user, tasks, action, pk=pk)


def _sees_all_tasks(user: User, item: FollowUpItem) -> bool:
    """DKISP and the assessors read every SKPD's follow-up of an item; an SKPD reads only its own task."""
    return bool(user.is_superuser or roles_of(user, item.region) & {Role.COORDINATOR, Role.ASSESSOR})


@login_required
@requires(VIEW, on=FollowUpItem)
def register(request: HttpRequest) -> HttpResponse:
    """The register, filtered, with the counts per status; an SKPD's own open tasks on top."""
    form = RegisterFilterForm(request.GET or None, region=request.region)
    items = selectors.register_items(user=request.user, region=request.region, filters=form.filters())
    counts = selectors.status_counts(items)
    page, query = paginate(request, selectors.register_page(items).order_by("-cycle__year", "pk"), PAGE_SIZE)
    agencies = agencies_of(request.user, AGENCY_ROLES, region=request.region)
    context = {
        "form": form,
        "page": page,
        "query": query,
        "counts": [(status, label, counts[status]) for status, label in FollowUpItem.Status.choices],
        "total": sum(counts.values()),
        "my_tasks": list(selectors.open_tasks(agencies=agencies)) if agencies else None,
        "can_create": can_in_region(request.user, CREATE, FollowUpItem, request.region),
    }
    return render(request, "evaluations/followup_register.html", context)


@login_required
@requires(VIEW, fetch=get_item_for_user)
def item_detail(request: HttpRequest, item: FollowUpItem) -> HttpResponse:
    sees_all = _sees_all_tasks(request.user, item)
    tasks = selectors.item_tasks(user=request.user, item=item, sees_all=sees_all)
    earlier = item.recurs
    earlier_tasks = selectors.item_tasks(user=request.user, item=earlier, sees_all=sees_all) if earlier else []
    cited = {e.pk for task in [*tasks, *earlier_tasks] for e in task.evidence.all()}
    # Evidence opens in the library only for those who may read it there (DKISP, the owning SKPD).
    readable = set(policy_visible(request.user, Evidence.objects.filter(pk__in=cited)).values_list("pk", flat=True))
    context = {
        "item": item,
        "tasks": tasks,
        "earlier": earlier,
        "earlier_tasks": earlier_tasks,
        "later": list(item.recurrences.select_related("cycle").order_by("cycle__year")),
        "questions": list(item.questions.select_related("questionnaire").order_by("code")),
        "readable": readable,
        "can_change": can(request.user, CHANGE, item),
        "my_task_ids": {t.pk for t in tasks if any(a.pk == t.agency_id for a in agencies_of(request.user))},
        "history": events_for(item).select_related("actor")[:10],
    }
    return render(request, "evaluations/followup_item.html", context)


@login_required
@requires(CREATE, on=FollowUpItem)
def item_create(request: HttpRequest) -> HttpResponse:
    initial: dict[str, Any] = {"source": FollowUpItem.Source.RECOMMENDATION}
    cycle_id = parse_id(request.GET.get("cycle"))
    if cycle_id is not None:
        initial["cycle"] = cycle_id
    form = ItemForm(request.POST or None, region=request.region, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            item = services.item_create(
                cycle=form.cleaned_data["cycle"],
                by=request.user,
                source=data["source"],
                text=data["text"],
                dimension=data["dimension"],
                questions=data["questions"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The item was added to the register."))
            if item.recurs_id:
                messages.info(
                    request,
                    _("The same recommendation was made in %(year)s: it is marked as recurring.")
                    % {"year": item.recurs.cycle.year},
                )
            return redirect(item)
    return render(request, "evaluations/followup_form.html", {"form": form, "item": None})


@login_required
@requires(CHANGE, fetch=get_item_for_user)
def item_edit(request: HttpRequest, item: FollowUpItem) -> HttpResponse:
    form = ItemForm(request.POST or None, region=item.region, item=item)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                item=item,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                data=form.service_data(),
            )
        except VersionConflict as clash:
            conflict = True
            data = request.POST.copy()
            data["version"] = str(clash.current.version)  # saving again now is a deliberate overwrite
            form = ItemForm(data, region=item.region, item=clash.current)
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The item was saved."))
            return redirect(item)
    return render(request, "evaluations/followup_form.html", {"form": form, "item": item, "conflict": conflict})


@login_required
@requires(CHANGE, fetch=get_item_for_user)
def item_assign(request: HttpRequest, item: FollowUpItem) -> HttpResponse:
    form = AssignForm(request.POST or None, region=item.region)
    if request.method == "POST" and form.is_valid():
        due_on = form.cleaned_data["due_on"]
        try:
            tasks = services.tasks_assign(
                item=item,
                by=request.user,
                agencies_with_due_dates=[(agency, due_on) for agency in form.cleaned_data["agencies"]],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Assigned to %(agencies)s; the SKPDs are told by mail.")
                % {"agencies": ", ".join(t.agency.acronym for t in tasks)},
            )
            return redirect(item)
    tasks = selectors.item_tasks(user=request.user, item=item, sees_all=True)
    return render(request, "evaluations/followup_assign.html", {"form": form, "item": item, "tasks": tasks})


def _with_reason(request: HttpRequest, item: FollowUpItem, *, drop: bool) -> HttpResponse:
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = services.item_drop if drop else services.item_reopen
        try:
            service(item=item, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The item was dropped.") if drop else _("The item was reopened."))
            return redirect(item)
    return render(request, "evaluations/followup_reason.html", {"form": form, "item": item, "drop": drop})


@login_required
@requires(CHANGE, fetch=get_item_for_user)
def item_drop(request: HttpRequest, item: FollowUpItem) -> HttpResponse:
    return _with_reason(request, item, drop=True)


@login_required
@requires(CHANGE, fetch=get_item_for_user)
def item_reopen(request: HttpRequest, item: FollowUpItem) -> HttpResponse:
    return _with_reason(request, item, drop=False)


@login_required
@require_POST
@requires(CHANGE, fetch=get_cycle_for_user)
def items_from_notes(request: HttpRequest, cycle: EvaluationCycle) -> HttpResponse:
    """The results page's button: the assessors' weaknesses and recommendations become items (each once)."""
    if not can_in_region(request.user, CREATE, FollowUpItem, cycle.region):
        return redirect("evaluations:results", pk=cycle.pk)
    created = services.items_from_notes(cycle=cycle, by=request.user)
    if created:
        messages.success(request, _("%(n)s item(s) were added to the register.") % {"n": len(created)})
    else:
        messages.info(request, _("Every weakness and recommendation of the notes is already in the register."))
    return redirect(reverse("evaluations:followup_register") + f"?cycle={cycle.pk}")


@login_required
@requires(VIEW, fetch=get_task_for_user)
def task_detail(request: HttpRequest, task: FollowUpTask) -> HttpResponse:
    """The SKPD's task: what DKISP asks, and the form where it reports what was done, with evidence."""
    if request.method == "POST":
        # 403 for DKISP (it does not report), the item's refusal (NotNow) once it is closed or the task done.
        task = get_task_for_user(request.user, task.pk, REPORT)
    can_report = can(request.user, REPORT, task)
    library = attachable_evidence(user=request.user, agency=task.agency)
    if can_report and (fragment := picker_fragment(request, library)) is not None:
        return fragment
    form = TaskReportForm(request.POST or None, request.FILES or None, task=task, library=library)
    conflict = False
    if request.method == "POST" and form.is_valid():
        files = evidence_with_new_files(
            agency=task.agency, by=request.user, **form.new_files_input(), refused=getattr(request, "upload_errors", [])
        )
        for notice in files.notices:
            messages.info(request, notice)
        done = request.POST.get("action") == "done"
        try:
            saved = services.task_report(
                task=task,
                by=request.user,
                report=form.cleaned_data["report"],
                evidence=files.evidence,
                done=done and not files.errors,
                expected_version=form.cleaned_data["version"],
            )
        except VersionConflict as clash:
            conflict = True
            data = request.POST.copy()
            data["version"] = str(clash.current.version)
            form = TaskReportForm(data, task=clash.current, library=library)
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if files.errors:  # saved as progress; the refused files' reasons stay beside the file input
                messages.warning(request, _("The report was saved, but some files were refused."))
                data = keep_typed(request.POST, version=saved.version, evidence=saved.evidence.all())
                task = saved
                form = TaskReportForm(data, task=saved, library=library)
                form.is_valid()
            else:
                messages.success(
                    request, _("The task is done; DKISP is told.") if done else _("Your progress was saved.")
                )
                return redirect(saved)
        if files.errors:
            add_service_errors(form, files.errors)
    item = task.item
    others = selectors.item_tasks(user=request.user, item=item, sees_all=_sees_all_tasks(request.user, item))
    context = {
        "task": task,
        "item": item,
        "form": form,
        "can_report": can_report,
        "conflict": conflict,
        "others": [t for t in others if t.pk != task.pk],
        "evidence": list(task.evidence.all()),
        "readable": set(policy_visible(request.user, task.evidence.all()).values_list("pk", flat=True)),
        "history": events_for(task).select_related("actor")[:10],
    }
    return render(request, "evaluations/followup_task.html", context)
