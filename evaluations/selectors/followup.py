"""Reads of the recommendation register: the register list, an SKPD's open tasks, the items still open on a cycle's
questions (readiness), and last year's items beside each question of an assessor's sheet."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from agencies.models import Agency, Region
from agencies.permissions import User, visible
from evaluations.models import EvaluationCycle, FollowUpItem, FollowUpTask, Question

Status = FollowUpItem.Status
OPEN_TASK = (FollowUpTask.Status.OPEN, FollowUpTask.Status.IN_PROGRESS)


def _with_tasks() -> Prefetch:
    return Prefetch(
        "tasks", queryset=FollowUpTask.objects.select_related("agency").order_by("agency__acronym"), to_attr="task_list"
    )


def register_items(*, user: User, region: Region, filters: Mapping[str, Any] | None = None) -> QuerySet[FollowUpItem]:
    """The register as `user` may see it in `region` (DKISP everything, an SKPD the items it has a task in),
    narrowed by the cleaned filters: cycle, year, status, source, dimension, agency (SKPD), recurring."""
    items = visible(user, FollowUpItem.objects.filter(region=region))
    wanted = dict(filters or {})
    if wanted.get("cycle"):
        items = items.filter(cycle=wanted["cycle"])
    if wanted.get("year"):
        items = items.filter(cycle__year=wanted["year"])
    for name in ("status", "source", "dimension"):
        if wanted.get(name):
            items = items.filter(**{name: wanted[name]})
    if wanted.get("agency"):
        items = items.filter(pk__in=FollowUpTask.objects.filter(agency=wanted["agency"]).values("item_id"))
    if wanted.get("recurring") == "yes":
        items = items.filter(recurs__isnull=False)
    elif wanted.get("recurring") == "no":
        items = items.filter(recurs__isnull=True)
    return items


def register_page(items: QuerySet[FollowUpItem]) -> QuerySet[FollowUpItem]:
    """What one page of the register shows of each item: its cycle, dimension, earlier item, SKPD tasks and the
    codes of its questions (three queries for the page, whatever its length)."""
    return items.select_related("cycle", "dimension", "recurs__cycle").prefetch_related(
        _with_tasks(), Prefetch("questions", queryset=Question.objects.only("pk", "code").order_by("code"))
    )


def status_counts(items: QuerySet[FollowUpItem]) -> dict[str, int]:
    """{status: how many} of the (filtered) register, every status present (one query)."""
    counts = dict.fromkeys(Status.values, 0)
    for row in items.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def open_tasks(*, agencies: Iterable[Agency]) -> QuerySet[FollowUpTask]:
    """The SKPDs' tasks still to report on (open or in progress, their item neither done nor dropped), soonest due
    first."""
    return (
        FollowUpTask.objects.filter(agency__in=list(agencies), status__in=OPEN_TASK)
        .exclude(item__status__in=FollowUpItem.CLOSED)
        .select_related("item__cycle", "item__dimension", "agency")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class OpenFollowUp:
    """An item of an earlier cycle, still open, on a question of this cycle (the readiness page lists them)."""

    item_id: int
    text: str
    status: str
    year: int
    codes: tuple[str, ...]
    recurring: bool


def open_items_for_cycle(cycle: EvaluationCycle) -> list[OpenFollowUp]:
    """The still open items of the region's earlier cycles linked to questions of `cycle`'s questionnaire, with the
    codes of those questions (one query)."""
    if cycle.questionnaire_id is None:
        return []
    rows = (
        FollowUpItem.questions.through.objects.filter(
            question__questionnaire_id=cycle.questionnaire_id,
            followupitem__region_id=cycle.region_id,
            followupitem__cycle__year__lt=cycle.year,
        )
        .exclude(followupitem__status__in=FollowUpItem.CLOSED)
        .order_by("followupitem__cycle__year", "followupitem_id", "question__code")
        .values_list(
            "followupitem_id",
            "followupitem__text",
            "followupitem__status",
            "followupitem__cycle__year",
            "followupitem__recurs_id",
            "question__code",
        )
    )
    found: dict[int, dict[str, Any]] = {}
    for pk, text, status, year, recurs_id, code in rows:
        entry = found.setdefault(pk, {"text": text, "status": status, "year": year, "recurs": recurs_id, "codes": []})
        entry["codes"].append(code)
    return [
        OpenFollowUp(pk, e["text"], e["status"], e["year"], tuple(e["codes"]), e["recurs"] is not None)
        for pk, e in found.items()
    ]


def earlier_items_by_question(cycle: EvaluationCycle, questions: Iterable[Question]) -> dict[int, list[FollowUpItem]]:
    """{question id: [items of the region's earlier cycles linked to it]}, latest year first, each with its tasks
    (agency, status, report) in `task_list`: what the assessor sees beside the question (two queries)."""
    ids = [q.pk for q in questions]
    if not ids:
        return {}
    through = FollowUpItem.questions.through
    links = list(
        through.objects.filter(
            question_id__in=ids, followupitem__region_id=cycle.region_id, followupitem__cycle__year__lt=cycle.year
        ).values_list("question_id", "followupitem_id")
    )
    items = (
        {
            item.pk: item
            for item in FollowUpItem.objects.filter(pk__in={item_id for _q, item_id in links})
            .select_related("cycle", "recurs__cycle")
            .prefetch_related(_with_tasks())
        }
        if links
        else {}
    )
    beside: dict[int, list[FollowUpItem]] = defaultdict(list)
    for question_id, item_id in links:
        beside[question_id].append(items[item_id])
    for found in beside.values():
        found.sort(key=lambda item: (-item.cycle.year, item.pk))
    return dict(beside)


def item_tasks(*, user: User, item: FollowUpItem, sees_all: bool) -> list[FollowUpTask]:
    """The item's tasks with their evidence: every one for DKISP and the assessors (`sees_all`), an SKPD only its own
    (two queries)."""
    tasks = FollowUpTask.objects.filter(item=item)
    if not sees_all:
        tasks = visible(user, tasks)
    return list(tasks.select_related("agency", "reported_by").prefetch_related("evidence").order_by("agency__acronym"))


def earlier_item_choices(item_or_cycle: FollowUpItem | EvaluationCycle) -> QuerySet[FollowUpItem]:
    """Items of earlier years of the same region: what an item may be marked as recurring from."""
    cycle = item_or_cycle.cycle if isinstance(item_or_cycle, FollowUpItem) else item_or_cycle
    return (
        FollowUpItem.objects.filter(region_id=cycle.region_id, cycle__year__lt=cycle.year)
        .select_related("cycle")
        .order_by("-cycle__year", "pk")
    )
