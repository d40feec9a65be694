"""What still stops a cycle from being ready to lock, per SKPD and per dimension, counted by the database."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Replace, Trim
from django.utils.translation import gettext_lazy as _

from common.links import reverse_pk
from evaluations.models import Answer, AnswerEvidence, Assignment, EvaluationCycle, Question, WindowExtension
from masterplan.models import Dimension


class Problem(models.TextChoices):
    """What can still stop a cycle from being ready to lock; the first four are red, the others yellow."""

    UNANSWERED = "unanswered", _("Unanswered")
    CARRIED_UNTOUCHED = "carried_untouched", _("Carried over, not reviewed")
    MISSING_EVIDENCE = "missing_evidence", _("Missing evidence")
    OVERDUE = "overdue", _("Overdue")
    NOT_VERIFIED = "not_verified", _("Not verified")
    EXPIRED_EVIDENCE = "expired_evidence", _("Expired evidence")
    OLD_EVIDENCE = "old_evidence", _("Evidence from an earlier year")


class Light(models.TextChoices):
    """How ready a cycle, an SKPD or a dimension is, as the traffic light and its label say it."""

    GREEN = "green", _("Ready")
    YELLOW = "yellow", _("Almost ready")
    RED = "red", _("Not ready")


PROBLEMS = tuple(Problem.values)
RED = frozenset({Problem.UNANSWERED, Problem.CARRIED_UNTOUCHED, Problem.MISSING_EVIDENCE, Problem.OVERDUE})


def _problem_label(problem: str, carried_year: int | None) -> str:
    if problem == Problem.CARRIED_UNTOUCHED and carried_year:
        return str(_("From %(year)s, not reviewed") % {"year": carried_year})
    return str(Problem(problem).label)


@dataclass(frozen=True)
class ReadinessItem:
    problem: str
    label: str
    answer_id: int
    code: str
    agency: str  # acronym


@dataclass
class ReadinessLine:
    label: str
    key: str  # agency acronym or dimension code
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PROBLEMS, 0))
    items: list[ReadinessItem] = field(default_factory=list)
    total: int = 0
    problems: int = 0  # answers with at least one problem: the line's rows of `readiness_items`

    @property
    def cells(self) -> list[tuple[str, int, bool]]:
        """(problem, count, whether it is a red problem) in the columns' order."""
        return [(problem, self.counts[problem], problem in RED) for problem in PROBLEMS]

    @property
    def light(self) -> Light:
        if any(self.counts[p] for p in RED):
            return Light.RED
        if any(self.counts.values()):
            return Light.YELLOW
        return Light.GREEN


@dataclass(frozen=True)
class Cause:
    """One reason the cycle is not ready, as the banner and the lock page name it."""

    key: str
    label: str
    count: int
    red: bool


@dataclass
class Readiness:
    by_agency: list[ReadinessLine]
    by_dimension: list[ReadinessLine]
    unassigned: int
    today: dt.date
    closes_on: dt.date  # the questionnaire window's end, the latest SKPD extension included
    carried_year: int | None = None  # the year the carried answers come from, for the labels

    @property
    def totals(self) -> dict[str, int]:
        """Counts over the whole cycle (each answer belongs to exactly one SKPD)."""
        totals = dict.fromkeys(PROBLEMS, 0)
        for line in self.by_agency:
            for problem, n in line.counts.items():
                totals[problem] += n
        return totals

    @property
    def answers(self) -> int:
        return sum(line.total for line in self.by_agency)

    @property
    def empty(self) -> bool:
        """Nothing to assess: no questionnaire, or no question in it."""
        return not self.answers and not self.unassigned

    @property
    def light(self) -> Light:
        lights = {line.light for line in self.by_agency}
        if self.empty or self.unassigned or Light.RED in lights:
            return Light.RED
        return Light.YELLOW if Light.YELLOW in lights else Light.GREEN

    @property
    def ready(self) -> bool:
        """Nothing red: yellow causes (unverified answers, old or expired evidence) are shown, not blocking.

        Evidence from an earlier year is often still the right document (the 2021 Perbup of the masterplan), so
        a warning that every cycle would carry must not make every lock need a reason.
        """
        return self.light != Light.RED

    @property
    def window_open(self) -> bool:
        # As the SKPD-side write check sees it: the window closes at the end of its last day.
        return self.today <= self.closes_on

    def label(self, problem: str) -> str:
        return _problem_label(problem, self.carried_year)

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [(problem, self.label(problem)) for problem in PROBLEMS]

    @property
    def causes(self) -> list[Cause]:
        """Only what is actually wrong, with its count: red causes first."""
        causes = []
        if self.empty:
            causes.append(Cause("empty", _("No question is assigned yet"), 0, red=True))
        if self.unassigned:
            causes.append(Cause("unassigned", _("Questions not assigned"), self.unassigned, red=True))
        causes += [Cause(problem, self.label(problem), n, problem in RED) for problem, n in self.totals.items() if n]
        return sorted(causes, key=lambda cause: not cause.red)

    def summary(self) -> dict[str, object]:
        """What the lock's audit event keeps of the readiness at that moment (the non-zero counts)."""
        summary: dict[str, object] = {"readiness": self.light, "answers": self.answers}
        if self.unassigned:
            summary["unassigned"] = self.unassigned
        summary.update({problem: n for problem, n in self.totals.items() if n})
        return summary


def _answered() -> Q:
    """Answer.has_value, as a condition the database evaluates (`blank_text` is the trimmed text answer)."""
    Kind = Question.Kind
    return (
        Q(question__kind=Kind.YES_NO, value_bool__isnull=False)
        | (Q(question__kind=Kind.CHOICE) & ~Q(value_choice=""))
        | Q(question__kind=Kind.LEVEL, value_level__isnull=False)
        | Q(question__kind__in=[Kind.NUMBER, Kind.PERCENTAGE], value_number__isnull=False)
        | (Q(question__kind=Kind.TEXT) & ~Q(trimmed_text=""))
    )


def trimmed_text() -> Func:
    """The text answer without blanks, as `_answered` reads it under the name `trimmed_text`."""
    # Python's str.strip() also drops newlines and tabs; SQL's TRIM only spaces.
    text: F | Func = F("value_text")
    for blank in ("\n", "\r", "\t"):
        text = Replace(text, Value(blank), Value(""), output_field=TextField())
    return Trim(text)


def _readiness_answers(cycle: EvaluationCycle, today: dt.date) -> tuple[QuerySet[Answer], dict[str, Q]]:
    """The cycle's answers with what each problem is computed from, and each problem as a condition."""
    reference = cycle.meeting_date or today  # evidence must still be valid on the day of the meeting
    links = AnswerEvidence.objects.filter(answer=OuterRef("pk"))
    deadlines = Assignment.objects.filter(cycle=cycle, question=OuterRef("question")).values("deadline")[:1]

    answers = Answer.objects.filter(cycle=cycle).annotate(
        trimmed_text=trimmed_text(),
        has_evidence=Exists(links),
        has_expired_evidence=Exists(links.filter(evidence__valid_until__lt=reference)),
        has_old_evidence=Exists(links.filter(evidence__document_date__lt=dt.date(cycle.year, 1, 1))),
        deadline=Subquery(deadlines),
    )
    conditions = {
        Problem.UNANSWERED: ~_answered(),
        # Answer.is_carried_untouched: carried from last year and never saved, submitted or reviewed since.
        Problem.CARRIED_UNTOUCHED: Q(carried_from__isnull=False, version=1),
        Problem.MISSING_EVIDENCE: Q(question__evidence_required=True, has_evidence=False),
        Problem.OVERDUE: Q(deadline__lt=today, status__in=Answer.EDITABLE),
        Problem.NOT_VERIFIED: ~Q(status=Answer.Status.VERIFIED),
        Problem.EXPIRED_EVIDENCE: Q(has_expired_evidence=True),
        Problem.OLD_EVIDENCE: Q(has_old_evidence=True),
    }
    return answers, {str(k): v for k, v in conditions.items()}


def _counted(answers: QuerySet[Answer], conditions: dict[str, Q], *group: str) -> QuerySet:
    counts = {f"n_{problem}": Count("pk", filter=condition) for problem, condition in conditions.items()}
    # The answers with any problem too: the readiness page's item list pages through them without counting again.
    problems = Count("pk", filter=reduce(operator.or_, conditions.values()))
    return answers.order_by().values(*group).annotate(total=Count("pk"), problems=problems, **counts)


def _problem_rows(answers: QuerySet[Answer], conditions: dict[str, Q]) -> QuerySet:
    """One row per answer with at least one problem: its question, SKPD and an `is_<problem>` flag per problem."""
    flags = {
        f"is_{problem}": Case(When(condition, then=True), default=False, output_field=BooleanField())
        for problem, condition in conditions.items()
    }
    any_problem = reduce(operator.or_, conditions.values())
    return (
        answers.filter(any_problem)
        .annotate(**flags)
        .values("pk", "question__code", "question__dimension__code", "agency__acronym", *flags)
        .order_by("agency__acronym", "question__dimension__order", "question__order", "question__code", "pk")
    )


def readiness(*, cycle: EvaluationCycle, today: dt.date, with_items: bool = True) -> Readiness:
    """Per SKPD and per dimension: what still stops the cycle from being ready to lock.

    Counted by the database (GROUP BY with conditional counts), so it costs six queries at most whatever the
    size of the questionnaire. Without `with_items` the lines carry their counts only (five queries): the page
    lists the items a page at a time through `readiness_items`.
    """
    answers, conditions = _readiness_answers(cycle, today)
    lines: dict[str, dict[str, ReadinessLine]] = {"agency": {}, "dimension": {}}
    dimensions = {d.pk: d for d in Dimension.objects.all()}
    # One GROUP BY (SKPD, dimension), summed both ways here: at most SKPDs x 8 rows. Two GROUP BYs compiled the
    # seven conditions twice, which at region scale cost more Python than the database spent on either query.
    for row in _counted(answers, conditions, "agency__acronym", "agency__name", "question__dimension"):
        dimension = dimensions[row["question__dimension"]]
        for kind, label, key in (
            ("agency", row["agency__name"], row["agency__acronym"]),  # acronyms are unique in a region
            ("dimension", dimension.name, dimension.code),
        ):
            line = lines[kind].get(key)
            if line is None:
                line = lines[kind][key] = ReadinessLine(label, key)
            line.total += row["total"]
            line.problems += row["problems"]
            for p in PROBLEMS:
                line.counts[p] += row[f"n_{p}"]
    carried_year = cycle.previous.year if cycle.previous_id else None
    if with_items:
        for entry in readiness_item_rows(_problem_rows(answers, conditions), carried_year=carried_year):
            for item in entry.items:
                lines["agency"][entry.agency].items.append(item)
                lines["dimension"][entry.dimension].items.append(item)
    unassigned = 0
    if cycle.questionnaire_id:
        answered = Answer.objects.filter(cycle=cycle).values("question_id")
        questions = Question.objects.filter(questionnaire_id=cycle.questionnaire_id)
        unassigned = questions.exclude(pk__in=answered).count()
    extended = WindowExtension.objects.filter(cycle=cycle).aggregate(latest=Max("closes_on"))["latest"]
    order = {d.code: d.order for d in dimensions.values()}
    return Readiness(
        by_agency=sorted(lines["agency"].values(), key=lambda line: line.key),
        by_dimension=sorted(lines["dimension"].values(), key=lambda line: order.get(line.key, 0)),
        unassigned=unassigned,
        today=today,
        closes_on=max(cycle.closes_on, extended) if extended else cycle.closes_on,
        carried_year=carried_year,
    )


@dataclass(frozen=True)
class ReadinessEntry:
    """One answer that still has problems, as a row of the readiness page's item list."""

    answer_id: int
    code: str
    agency: str  # acronym
    dimension: str  # code
    items: list[ReadinessItem]

    @property
    def url(self) -> str:
        """The answer's page (reverse_pk: the page links fifty of them)."""
        return reverse_pk("evaluations:answer", self.answer_id)


def readiness_items(*, cycle: EvaluationCycle, today: dt.date, agency: str = "", dimension: str = "") -> QuerySet:
    """The answers that still have a problem, by SKPD and question, optionally of one SKPD (acronym) or dimension
    (code): a queryset of rows to paginate, then turn into entries with `readiness_item_rows`."""
    answers, conditions = _readiness_answers(cycle, today)
    if agency:
        answers = answers.filter(agency__acronym=agency)
    if dimension:
        answers = answers.filter(question__dimension__code=dimension)
    return _problem_rows(answers, conditions)


def readiness_item_rows(rows: Iterable[dict[str, object]], *, carried_year: int | None) -> list[ReadinessEntry]:
    """Rows of `readiness_items` (or a page of them) with their problems named."""
    labels = {problem: _problem_label(problem, carried_year) for problem in PROBLEMS}
    entries = []
    for row in rows:
        answer_id, code, acronym = int(str(row["pk"])), str(row["question__code"]), str(row["agency__acronym"])
        items = [
            ReadinessItem(problem, labels[problem], answer_id, code, acronym)
            for problem in PROBLEMS
            if row[f"is_{problem}"]
        ]
        entries.append(ReadinessEntry(answer_id, code, acronym, str(row["question__dimension__code"]), items))
    return entries
