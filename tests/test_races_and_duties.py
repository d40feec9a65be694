"""Rules a write depends on hold under real concurrency, and nobody approves their own submission.

The races run real concurrent transactions (two threads, two database connections). On PostgreSQL they contend
for the cycle's row lock; on SQLite, whose writers are serialised by `BEGIN IMMEDIATE`, the same rounds must end
the same way. A small pause is slipped between each write's checks and its write to widen the window in which a
check-then-write service would let the other transaction in.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse

from agencies.models import AuditEvent, Role
from agencies.services import membership_grant
from evaluations.models import Answer, EvaluationCycle, Score
from evaluations.services import answers as answer_services
from evaluations.services import assessment
from evaluations.services.answers import answer_submit, answer_update, answer_verify
from evaluations.services.assessment import scores_save
from evaluations.services.cycles import cycle_lock, cycle_unlock
from masterplan.models import ProgressReport
from masterplan.services.reports import report_approve, report_bulk_approve, report_submit
from tests.conftest import Evaluation, World, client_for, make_user

ROUNDS = 8
PAUSE = 0.05


def _concurrently(*calls: Callable[[], Any]) -> list[tuple[str, Any]]:
    """Run the calls at the same moment in their own threads (own connections); return ("ok"|"refused", ...)."""
    barrier = threading.Barrier(len(calls))
    results: list[tuple[str, Any]] = [("", None)] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = ("ok", call())
        except ValidationError as refused:
            results[index] = ("refused", refused)
        except Exception as error:
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(outcome in ("ok", "refused") for outcome, _ in results), results
    return results


def _slow(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """Pause after `module.name` runs, inside the caller's transaction, as a slow request would."""
    original = getattr(module, name)

    def slowed(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        time.sleep(PAUSE)
        return result

    monkeypatch.setattr(module, name, slowed)


@pytest.mark.django_db(transaction=True)
def test_an_answer_never_changes_after_the_cycle_is_locked(evaluation: Evaluation, monkeypatch) -> None:
    world, cycle = evaluation.world, evaluation.cycle
    _slow(monkeypatch, answer_services, "_check_value")  # between the lock check and the UPDATE
    bad = 0
    for round_ in range(ROUNDS):
        answer = Answer.objects.get(pk=evaluation.percentage.pk)

        def save(answer: Answer = answer, round_: int = round_) -> Answer:
            data = {"value_number": Decimal(round_), "narrative": f"Putaran {round_}"}
            return answer_update(answer=answer, by=world.operator_b, expected_version=answer.version, data=data)

        def lock() -> EvaluationCycle:
            return cycle_lock(cycle=cycle, by=world.coordinator, reason="Uji balapan penguncian siklus")

        _concurrently(save, lock)
        cycle.refresh_from_db()
        answer.refresh_from_db()
        assert cycle.is_locked
        if answer.updated_at > cycle.locked_at:
            bad += 1
        cycle_unlock(cycle=cycle, by=world.coordinator, reason="Membuka lagi untuk putaran berikutnya")
    assert bad == 0


@pytest.mark.django_db(transaction=True)
def test_no_score_lands_in_a_cycle_being_unlocked(evaluation: Evaluation, monkeypatch) -> None:
    world, cycle = evaluation.world, evaluation.cycle
    question = evaluation.yes_no.question
    _slow(monkeypatch, assessment, "_clean_score")  # between the lock check and the score's INSERT
    bad = 0
    for round_ in range(ROUNDS):
        cycle_lock(cycle=cycle, by=world.coordinator, reason="Dikunci untuk uji balapan penilaian")
        Score.objects.filter(cycle=cycle).delete()

        def score(round_: int = round_) -> int:
            value = Decimal(round_ % 5)
            return scores_save(cycle=cycle, by=world.assessor, scores={question: (value, "")})

        def unlock() -> EvaluationCycle:
            return cycle_unlock(cycle=cycle, by=world.coordinator, reason="Dibuka untuk uji balapan penilaian")

        outcomes = _concurrently(score, unlock)
        cycle.refresh_from_db()
        assert not cycle.is_locked and outcomes[1][0] == "ok"
        if outcomes[0][0] == "ok":
            # The score may only have committed before the unlock: the unlock's audit counts it as kept.
            event = AuditEvent.objects.filter(action="cycle.unlocked").latest("id")
            bad += event.changes.get("scores_kept") != Score.objects.filter(cycle=cycle).count()
        else:
            bad += Score.objects.filter(cycle=cycle).exists()
    assert bad == 0


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_approvals_make_one_transition(world: World) -> None:
    report_submit(report=world.report_a, by=world.operator_a)
    outcomes = _concurrently(
        lambda: report_approve(report=world.report_a, by=world.coordinator),
        lambda: report_approve(report=world.report_a, by=world.coordinator),
    )
    assert sorted(o for o, _ in outcomes) == ["ok", "refused"]
    assert AuditEvent.objects.filter(action="report.approved").count() == 1


# --- Separation of duties --------------------------------------------------------------------------------


@pytest.fixture
def coordinator_who_operates(world: World) -> World:
    """The coordinator also holds an operator role in agency A (small SKPDs do this)."""
    membership_grant(by=None, user=world.coordinator, region=world.region, role=Role.OPERATOR, agency=world.agency_a)
    return world


def test_a_coordinator_cannot_approve_a_report_they_submitted(coordinator_who_operates: World) -> None:
    world = coordinator_who_operates
    report_submit(report=world.report_a, by=world.coordinator)
    with pytest.raises(ValidationError, match="koordinator lain"):
        report_approve(report=world.report_a, by=world.coordinator)
    world.report_a.refresh_from_db()
    assert world.report_a.status == ProgressReport.Status.SUBMITTED
    refusal = AuditEvent.objects.get(action="report.approve_refused")
    assert refusal.actor == world.coordinator and "koordinator lain" in refusal.reason


def test_approve_own_report_over_http_says_why_and_changes_nothing(coordinator_who_operates: World) -> None:
    world = coordinator_who_operates
    report_submit(report=world.report_a, by=world.coordinator)
    client = client_for(world.coordinator)
    response = client.post(reverse("masterplan:report_approve", args=[world.report_a.pk]), follow=True)
    assert response.status_code == 200
    assert "koordinator lain" in response.content.decode()
    world.report_a.refresh_from_db()
    assert world.report_a.status == ProgressReport.Status.SUBMITTED


def test_bulk_approval_skips_own_submissions_and_approves_the_rest(coordinator_who_operates: World) -> None:
    world = coordinator_who_operates
    report_submit(report=world.report_a, by=world.coordinator)
    done, refused = report_bulk_approve(reports=[world.report_a], by=world.coordinator)
    assert done == [] and len(refused) == 1
    assert AuditEvent.objects.filter(action="report.approve_refused").count() == 1


def test_another_coordinator_approves_what_the_first_submitted(coordinator_who_operates: World) -> None:
    world = coordinator_who_operates
    report_submit(report=world.report_a, by=world.coordinator)
    colleague = make_user("coordinator_2")
    membership_grant(by=None, user=colleague, region=world.region, role=Role.COORDINATOR, agency=world.dkisp)
    report_approve(report=world.report_a, by=colleague)
    world.report_a.refresh_from_db()
    assert world.report_a.status == ProgressReport.Status.APPROVED


def test_a_coordinator_cannot_verify_an_answer_they_submitted(evaluation: Evaluation) -> None:
    world = evaluation.world
    membership_grant(by=None, user=world.coordinator, region=world.region, role=Role.OPERATOR, agency=world.agency_a)
    answer = evaluation.level
    answer = answer_update(
        answer=answer, by=world.coordinator, expected_version=answer.version, data={"value_level": 3}
    )
    answer = answer_submit(answer=answer, by=world.coordinator)
    assert answer.submitted_by == world.coordinator
    with pytest.raises(ValidationError, match="koordinator lain"):
        answer_verify(answer=answer, by=world.coordinator)
    answer.refresh_from_db()
    assert answer.status == Answer.Status.SUBMITTED
    assert AuditEvent.objects.filter(action="answer.verify_refused", actor=world.coordinator).exists()
