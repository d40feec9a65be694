"""The evaluation cycles of `questions`, played out through the evaluation services, so every step is audited.

Idempotent: cycles are found by (region, year, stage), questions by code, answers by (cycle, question) and
library entries by (agency, title); a step already taken is skipped, so a second load calls no service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency, Region
from evaluations.models import Answer, AssessmentNote, EvaluationCycle, Question, WindowExtension
from evaluations.services.answers import answer_return, answer_submit, answer_update, answer_verify
from evaluations.services.assessment import note_save, scores_save
from evaluations.services.cycles import (
    assign_questions,
    cycle_carry_forward,
    cycle_create,
    cycle_lock,
    cycle_set_assessors,
    questionnaire_import,
)
from evaluations.services.windows import extension_grant, pinned_today, today
from evidence.models import Evidence
from evidence.services import evidence_upload
from masterplan.models.plan import Dimension
from smartcity.demo.answer_documents import answer_document, answer_value
from smartcity.demo.people import ANSWER_OPERATORS, ASSESSOR, COORDINATOR
from smartcity.demo.questions import (
    BOUNCE_REASON,
    BOUNCED_2023,
    CYCLE_2023,
    CYCLE_2023_II,
    CYCLE_2024,
    EXTENDED,
    EXTENSION_REASON,
    NOTES,
    QUESTIONNAIRE_NAME,
    QUESTIONS,
    RETURNED,
    STAGE_TWO_LOCK_REASON,
    STAGE_TWO_SCORED,
    STAGE_TWO_UNTOUCHED,
    VERIFIED,
    CycleSpec,
    K,
    QuestionSpec,
    Update,
)

Status = Answer.Status


# --- Writing -----------------------------------------------------------------------------------------------


@dataclass
class _Context:
    region: Region
    agencies: dict[str, Agency]
    created: Callable[[str, object], None]
    users: dict[str, AbstractBaseUser] = field(default_factory=dict)

    def user(self, username: str) -> AbstractBaseUser:
        user = self.users.get(username)
        if user is None:
            raise RuntimeError(f"The demo login {username!r} is missing: people.USERS must list it.")
        return user

    def operator(self, spec: QuestionSpec) -> AbstractBaseUser:
        return self.user(ANSWER_OPERATORS[spec.agency])


def load_evaluations(*, region: Region, agencies: dict[str, Agency], created: Callable[[str, object], None]) -> None:
    """Create what is missing of the 2023 (Tahap I and II) and 2024 cycles; steps already taken are left alone."""
    ctx = _Context(region, agencies, created)
    usernames = {COORDINATOR, ASSESSOR, *ANSWER_OPERATORS.values()}
    ctx.users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    first = _first_cycle(ctx)
    _stage_two(ctx, first)
    _second_cycle(ctx, first)


def _find_cycle(ctx: _Context, spec: CycleSpec) -> EvaluationCycle | None:
    return (
        EvaluationCycle.objects.filter(region=ctx.region, year=spec.year, stage=spec.stage)
        .select_related("region", "questionnaire")
        .first()
    )


def _first_cycle(ctx: _Context) -> EvaluationCycle:
    coordinator = ctx.user(COORDINATOR)
    cycle = _find_cycle(ctx, CYCLE_2023)
    if cycle is None:
        cycle = cycle_create(region=ctx.region, by=coordinator, data=CYCLE_2023.data)
        ctx.created("cycles", cycle)
    if cycle.questionnaire_id is None:
        questionnaire = questionnaire_import(cycle=cycle, by=coordinator, rows=QUESTIONS, name=QUESTIONNAIRE_NAME)
        ctx.created("questionnaires", questionnaire)
        for question in questionnaire.questions.all():
            ctx.created("questions", question)
    questions = {q.code: q for q in Question.objects.filter(questionnaire_id=cycle.questionnaire_id)}
    _assign(ctx, cycle, questions)
    if not cycle.is_locked:
        evidence = _library(ctx, CYCLE_2023.year, QUESTIONS)
        with pinned_today(CYCLE_2023.internal_deadline):  # answered inside 2023's questionnaire window
            for spec, answer in _answers(cycle, QUESTIONS):
                if answer.status != Status.VERIFIED:
                    _answer_first_year(ctx, spec, answer, evidence)
        cycle = cycle_lock(cycle=cycle, by=coordinator)
    assessor = ctx.user(ASSESSOR)
    if not cycle.assessors.filter(pk=assessor.pk).exists():
        cycle_set_assessors(cycle=cycle, by=coordinator, assessors=[*cycle.assessors.all(), assessor])
    _scores(ctx, cycle, questions, assessor)
    _notes(ctx, cycle, assessor)
    return cycle


def _assign(ctx: _Context, cycle: EvaluationCycle, questions: dict[str, Question]) -> None:
    """Assign the questions not yet assigned, one call per responsible SKPD and set of supporting SKPDs."""
    assigned = set(cycle.assignments.values_list("question__code", flat=True))
    groups: dict[tuple[str, tuple[str, ...]], list[QuestionSpec]] = {}
    for spec in QUESTIONS:
        if spec.code not in assigned:
            groups.setdefault((spec.agency, spec.supporting), []).append(spec)
    for (acronym, supporting), specs in groups.items():
        assign_questions(
            cycle=cycle,
            by=ctx.user(COORDINATOR),
            questions=[questions[spec.code] for spec in specs],
            agency=ctx.agencies[acronym],
            supporting=[ctx.agencies[a] for a in supporting],
        )
        for spec in specs:
            ctx.created("answers", f"{cycle} {spec.code} · {acronym}")


def _answers(cycle: EvaluationCycle, specs: Iterable[QuestionSpec]) -> list[tuple[QuestionSpec, Answer]]:
    by_code = {
        a.question.code: a for a in Answer.objects.filter(cycle=cycle).select_related("cycle__region", "question")
    }
    return [(spec, by_code[spec.code]) for spec in specs if spec.code in by_code]


def _library(ctx: _Context, year: int, specs: Sequence[QuestionSpec]) -> dict[tuple[str, str], Evidence]:
    """The documents the answers of `year` attach, uploaded where an SKPD's library lacks them."""
    wanted = sorted({(spec.agency, key) for spec in specs for key in spec.evidence})
    agencies = [ctx.agencies[acronym] for acronym, _ in wanted]
    have = {(e.agency_id, e.title): e for e in Evidence.objects.filter(agency__in=agencies)}
    found: dict[tuple[str, str], Evidence] = {}
    for acronym, key in wanted:
        agency = ctx.agencies[acronym]
        own = [spec for spec in QUESTIONS if spec.agency == acronym]
        document = answer_document(agency, key, year, own)
        evidence = have.get((agency.pk, document.title))
        if evidence is None:
            upload = SimpleUploadedFile(document.filename, document.make())
            operator = ctx.user(ANSWER_OPERATORS[acronym])
            result = evidence_upload(agency=agency, by=operator, upload=upload, data=document.data)
            evidence = result.evidence
            if result.created:
                ctx.created("evidence", evidence)
        found[(acronym, key)] = evidence
    return found


def _value_fields(spec: QuestionSpec, value: object) -> dict[str, object]:
    name = {
        K.YES_NO: "value_bool",
        K.CHOICE: "value_choice",
        K.LEVEL: "value_level",
        K.NUMBER: "value_number",
        K.PERCENTAGE: "value_number",
        K.TEXT: "value_text",
    }[spec.kind]
    return {name: value}


def _save(
    ctx: _Context, spec: QuestionSpec, answer: Answer, *, value: object, narrative: str, evidence: list[Evidence]
) -> Answer:
    return answer_update(
        answer=answer,
        by=ctx.operator(spec),
        expected_version=answer.version,
        data={**_value_fields(spec, value), "narrative": narrative},
        evidence=evidence,
    )


def _answer_first_year(
    ctx: _Context, spec: QuestionSpec, answer: Answer, library: dict[tuple[str, str], Evidence]
) -> None:
    """Answer, submit and verify; the bounced answer is first submitted without its notulen and returned."""
    operator, coordinator = ctx.operator(spec), ctx.user(COORDINATOR)
    evidence = [library[(spec.agency, key)] for key in spec.evidence]
    if spec.code == BOUNCED_2023 and answer.status == Status.DRAFT:
        answer = _save(ctx, spec, answer, value=spec.value, narrative=spec.narrative, evidence=evidence[:1])
        answer = answer_submit(answer=answer, by=operator)
        answer = answer_return(answer=answer, by=coordinator, reason=BOUNCE_REASON)
    if answer.is_editable:
        answer = _save(ctx, spec, answer, value=spec.value, narrative=spec.narrative, evidence=evidence)
        answer = answer_submit(answer=answer, by=operator)
    if answer.status == Status.SUBMITTED:
        answer_verify(answer=answer, by=coordinator)


def _scores(
    ctx: _Context,
    cycle: EvaluationCycle,
    questions: dict[str, Question],
    assessor: AbstractBaseUser,
    specs: Iterable[QuestionSpec] = QUESTIONS,
) -> None:
    """Score what is unscored or different, a page per dimension as the assessor works through the form."""
    current = {code: (value, note) for code, value, note in cycle.scores.values_list("question__code", "value", "note")}
    pages: dict[str, dict[Question, tuple[Decimal | None, str]]] = {}
    for spec in specs:
        if current.get(spec.code) != (spec.score, spec.score_note):
            pages.setdefault(spec.dimension, {})[questions[spec.code]] = (spec.score, spec.score_note)
    for page in pages.values():
        scores_save(cycle=cycle, by=assessor, scores=page)
        for question in page:
            if question.code not in current:
                ctx.created("scores", f"{cycle} {question.code}")


def _notes(ctx: _Context, cycle: EvaluationCycle, assessor: AbstractBaseUser) -> None:
    dimensions = {d.code: d for d in Dimension.objects.all()}
    current = {n.dimension_id: n for n in AssessmentNote.objects.filter(cycle=cycle)}
    for code, (strengths, weaknesses, recommendations) in NOTES.items():
        dimension = dimensions[code] if code else None
        data = {"strengths": strengths, "weaknesses": weaknesses, "recommendations": recommendations}
        note = current.get(dimension.pk if dimension else None)
        if note is not None and all(getattr(note, k) == v for k, v in data.items()):
            continue
        saved = note_save(cycle=cycle, by=assessor, dimension=dimension, data=data)
        if note is None:
            ctx.created("notes", saved)


def _stage_two(ctx: _Context, first: EvaluationCycle) -> EvaluationCycle:
    """2023 Tahap II from Tahap I: confirmed and verified except DISDIK's, locked with a reason, half scored."""
    coordinator = ctx.user(COORDINATOR)
    cycle = _find_cycle(ctx, CYCLE_2023_II)
    if cycle is None:
        cycle = cycle_carry_forward(previous=first, by=coordinator, data=CYCLE_2023_II.data)
        ctx.created("cycles", cycle)
        for answer in cycle.answers.select_related("question"):
            ctx.created("answers", f"{cycle} {answer.question.code} (carried)")
    if not cycle.is_locked:
        with pinned_today(CYCLE_2023_II.internal_deadline):  # confirmed inside Tahap II's questionnaire window
            for spec, answer in _answers(cycle, QUESTIONS):
                if spec.agency != STAGE_TWO_UNTOUCHED and answer.status == Status.DRAFT:
                    answer = answer_submit(answer=answer, by=ctx.operator(spec))  # confirmed as carried
                if answer.status == Status.SUBMITTED:
                    answer_verify(answer=answer, by=coordinator)
        cycle = cycle_lock(cycle=cycle, by=coordinator, reason=STAGE_TWO_LOCK_REASON)
    assessor = ctx.user(ASSESSOR)
    if not cycle.assessors.filter(pk=assessor.pk).exists():
        cycle_set_assessors(cycle=cycle, by=coordinator, assessors=[*cycle.assessors.all(), assessor])
    questions = {q.code: q for q in Question.objects.filter(questionnaire_id=cycle.questionnaire_id)}
    scored = [spec for spec in QUESTIONS if spec.dimension in STAGE_TWO_SCORED]
    _scores(ctx, cycle, questions, assessor, scored)
    return cycle


def _second_cycle(ctx: _Context, previous: EvaluationCycle) -> EvaluationCycle:
    """2024 from 2023: carried drafts, about half of them updated since; not locked."""
    cycle = _find_cycle(ctx, CYCLE_2024)
    if cycle is None:
        cycle = cycle_carry_forward(previous=previous, by=ctx.user(COORDINATOR), data=CYCLE_2024.data)
        ctx.created("cycles", cycle)
        for answer in cycle.answers.select_related("question"):
            ctx.created("answers", f"{cycle} {answer.question.code} (carried)")
    if cycle.is_locked:
        return cycle
    updated = [spec for spec in QUESTIONS if spec.update is not None]
    library = _library(ctx, CYCLE_2024.year, updated)
    with pinned_today(CYCLE_2024.internal_deadline):  # updated inside 2024's questionnaire window
        for spec, answer in _answers(cycle, updated):
            if spec.update is not None and answer.status == Status.DRAFT:  # as carried: its 2024 story is to come
                _answer_second_year(ctx, spec, spec.update, answer, library)
    _extension(ctx, cycle)
    return cycle


def _extension(ctx: _Context, cycle: EvaluationCycle) -> None:
    """DKISP extends the closed 2024 questionnaire for one SKPD, two weeks from the day the demo is loaded."""
    agency = ctx.agencies[EXTENDED]
    if WindowExtension.objects.filter(cycle=cycle, agency=agency).exists():
        return
    closes_on = max(today(), cycle.closes_on) + dt.timedelta(days=14)
    # Not counted in the loader's summary, which has no line for extensions; the audit log has it.
    extension_grant(cycle=cycle, agency=agency, closes_on=closes_on, reason=EXTENSION_REASON, by=ctx.user(COORDINATOR))


def _answer_second_year(
    ctx: _Context, spec: QuestionSpec, update: Update, answer: Answer, library: dict[tuple[str, str], Evidence]
) -> None:
    evidence = [library[(spec.agency, key)] for key in spec.evidence]
    value = answer_value(spec, CYCLE_2024.year)
    answer = _save(ctx, spec, answer, value=value, narrative=update.narrative, evidence=evidence)
    answer = answer_submit(answer=answer, by=ctx.operator(spec))
    if update.fate == VERIFIED:
        answer_verify(answer=answer, by=ctx.user(COORDINATOR))
    elif update.fate == RETURNED:
        answer_return(answer=answer, by=ctx.user(COORDINATOR), reason=update.reason)
