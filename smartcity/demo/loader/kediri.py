"""Kota Kediri's part of the demo (smartcity.demo.kediri), written through the services like Banjar's and as
idempotent: each step looks for what it would create first."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model

from agencies.models import Agency, Region
from agencies.services import agency_create, region_create
from evaluations.models import Answer, EvaluationCycle, Question
from evaluations.services.answers import answer_submit, answer_update, answer_verify
from evaluations.services.assessment import scores_save
from evaluations.services.cycles import assign_questions, cycle_create, cycle_lock, questionnaire_import
from evaluations.services.national import cycle_assign_assessors_nationally
from evaluations.services.windows import pinned_today
from smartcity.demo import kediri
from smartcity.demo.loader import plan
from smartcity.demo.loader.progress import Progress
from smartcity.demo.people import ASSESSOR, NATIONAL
from smartcity.demo.questions import CYCLE_2023

Status = Answer.Status


def load_kediri(progress: Progress) -> Region:
    """The region, its two SKPDs and logins, and its 2023 cycle answered, locked and scored by Banjar's assessor."""
    region = Region.objects.filter(bps_code=kediri.REGION["bps_code"]).first()
    if region is None:
        region = region_create(by=None, **kediri.REGION)
        progress.created("regions", region)
    agencies = {a.acronym: a for a in Agency.objects.filter(region=region)}
    for acronym, name, kind, phone in kediri.AGENCIES:
        if acronym not in agencies:
            email = f"{acronym.lower()}@{kediri.EMAIL_DOMAIN}"
            agencies[acronym] = agency_create(
                by=None, region=region, acronym=acronym, name=name, kind=kind, phone=phone, email=email
            )
            progress.created("agencies", acronym)
    plan.load_users(progress, region, agencies, kediri.USERS)
    _cycle(region, agencies, progress.created)
    return region


def _cycle(region: Region, agencies: dict[str, Agency], created: Callable[[str, object], None]) -> None:
    users = {
        u.get_username(): u
        for u in get_user_model().objects.filter(username__in=[kediri.COORDINATOR, kediri.OPERATOR, ASSESSOR, NATIONAL])
    }
    coordinator, operator = users[kediri.COORDINATOR], users[kediri.OPERATOR]
    # The same Ditjen Aptika letter and dates went to every region that year.
    cycle = EvaluationCycle.objects.filter(region=region, year=CYCLE_2023.year, stage=CYCLE_2023.stage).first()
    if cycle is None:
        cycle = cycle_create(region=region, by=coordinator, data=CYCLE_2023.data)
        created("cycles", cycle)
    if cycle.questionnaire_id is None:
        rows = [row for row, _level, _score in kediri.QUESTIONS]
        questionnaire = questionnaire_import(cycle=cycle, by=coordinator, rows=rows, name=kediri.QUESTIONNAIRE_NAME)
        created("questionnaires", questionnaire)
        for question in questionnaire.questions.all():
            created("questions", question)
        cycle.refresh_from_db()
    questions = {q.code: q for q in Question.objects.filter(questionnaire_id=cycle.questionnaire_id)}
    if not cycle.assignments.exists():
        assign_questions(cycle=cycle, by=coordinator, questions=list(questions.values()), agency=agencies["BAPPEDA"])
        for code in questions:
            created("answers", f"Kota Kediri {cycle} {code}")
    if not cycle.is_locked:
        answers = {a.question.code: a for a in Answer.objects.filter(cycle=cycle).select_related("question")}
        with pinned_today(CYCLE_2023.internal_deadline):  # answered inside 2023's questionnaire window
            for row, level, _score in kediri.QUESTIONS:
                answer = answers[row.code]
                if answer.is_editable:
                    answer = answer_update(
                        answer=answer, by=operator, expected_version=answer.version, data={"value_level": level}
                    )
                    answer = answer_submit(answer=answer, by=operator)
                if answer.status == Status.SUBMITTED:
                    answer_verify(answer=answer, by=coordinator)
        cycle = cycle_lock(cycle=cycle, by=coordinator)
    assessor = users[ASSESSOR]
    if not cycle.assessors.filter(pk=assessor.pk).exists():
        # Ditjen Aptika sends Banjar's assessor to Kediri too: he gets Kediri's assessor role on the way.
        cycle_assign_assessors_nationally(cycle=cycle, by=users[NATIONAL], assessors=[*cycle.assessors.all(), assessor])
    scored = set(cycle.scores.values_list("question__code", flat=True))
    missing = {questions[row.code]: (score, "") for row, _level, score in kediri.QUESTIONS if row.code not in scored}
    if missing:
        scores_save(cycle=cycle, by=assessor, scores=missing)
        for question in missing:
            created("scores", f"Kota Kediri {cycle} {question.code}")
