"""The policy answers "may this user change this *now*?": state, lock and window are part of the answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from agencies.permissions import CHANGE, VIEW, can, roles_allow, scoped
from evaluations.models import Answer
from evaluations.services.cycles import cycle_lock
from evaluations.services.windows import extension_grant, pinned_today
from masterplan.models import ProgressReport
from masterplan.services.reports import report_approve, report_submit
from tests.conftest import Evaluation, World, client_for


def test_a_draft_report_can_change_an_approved_one_cannot(world: World) -> None:
    assert can(world.operator_a, CHANGE, world.report_a)
    report = report_approve(report=report_submit(report=world.report_a, by=world.operator_a), by=world.coordinator)
    assert not can(world.operator_a, CHANGE, report)
    assert roles_allow(world.operator_a, CHANGE, report)  # the role still may: it is the state that says no
    assert can(world.operator_a, VIEW, report)
    assert not scoped(world.operator_a, CHANGE, ProgressReport.objects.filter(pk=report.pk)).exists()


def test_opening_an_approved_report_to_edit_explains_why_on_its_page(world: World) -> None:
    report = report_approve(report=report_submit(report=world.report_a, by=world.operator_a), by=world.coordinator)
    response = client_for(world.operator_a).get(reverse("masterplan:report_edit", args=[report.pk]), follow=True)
    assert response.redirect_chain[-1][0] == report.get_absolute_url()
    page = response.content.decode()
    assert "tidak dapat diubah lagi" in page
    assert reverse("masterplan:report_edit", args=[report.pk]) not in page  # no edit button either


def test_another_agencys_report_stays_a_404_not_a_state_message(world: World) -> None:
    response = client_for(world.operator_b).get(reverse("masterplan:report_edit", args=[world.report_a.pk]))
    assert response.status_code == 404


def test_an_answer_in_a_locked_cycle_cannot_change(evaluation: Evaluation) -> None:
    world = evaluation.world
    assert can(world.operator_a, CHANGE, evaluation.level)
    cycle_lock(cycle=evaluation.cycle, by=world.coordinator, reason="Dikunci untuk uji kebijakan")
    assert not can(world.operator_a, CHANGE, evaluation.level)
    response = client_for(world.operator_a).get(reverse("evaluations:answer_edit", args=[evaluation.level.pk]))
    assert response.status_code == 302 and response["Location"] == evaluation.level.get_absolute_url()


def test_an_answer_after_the_window_needs_an_extension(evaluation: Evaluation) -> None:
    world = evaluation.world
    after_close = evaluation.cycle.closes_on + dt.timedelta(days=3)
    with pinned_today(after_close):
        assert not can(world.operator_a, CHANGE, evaluation.level)
        assert not can(world.operator_b, CHANGE, evaluation.percentage)
        extension_grant(
            cycle=evaluation.cycle,
            agency=world.agency_a,
            closes_on=after_close + dt.timedelta(days=7),
            reason="Data puskesmas terlambat masuk",
            by=world.coordinator,
        )
        assert can(world.operator_a, CHANGE, evaluation.level)
        assert not can(world.operator_b, CHANGE, evaluation.percentage)  # the extension is A's alone
        editable = scoped(world.operator_a, CHANGE, Answer.objects.filter(cycle=evaluation.cycle))
        assert set(editable) == {evaluation.yes_no, evaluation.level}


@pytest.mark.parametrize("status", ["submitted", "verified"])
def test_a_submitted_or_verified_answer_cannot_change(evaluation: Evaluation, status: str) -> None:
    Answer.objects.filter(pk=evaluation.level.pk).update(status=status)
    evaluation.level.refresh_from_db()
    assert not can(evaluation.world.operator_a, CHANGE, evaluation.level)


def test_the_list_asks_the_policy_in_one_query(evaluation: Evaluation, django_assert_max_num_queries) -> None:
    client = client_for(evaluation.world.operator_a)
    client.get(reverse("evaluations:my_questions"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("evaluations:my_questions")).content.decode()
    assert reverse("evaluations:answer_edit", args=[evaluation.level.pk]) in page


def test_the_review_list_offers_verify_only_for_submitted_answers_of_an_open_cycle(evaluation: Evaluation) -> None:
    world = evaluation.world
    Answer.objects.filter(pk=evaluation.level.pk).update(status="submitted")
    client = client_for(world.coordinator)
    url = reverse("evaluations:answers_review", args=[evaluation.cycle.pk]) + "?status=all"
    offered = {answer.pk: answer.can_verify for answer in client.get(url).context["page"].object_list}
    assert offered == {evaluation.yes_no.pk: False, evaluation.level.pk: True, evaluation.percentage.pk: False}
    cycle_lock(cycle=evaluation.cycle, by=world.coordinator, reason="Dikunci untuk uji kebijakan")
    response = client.get(url)
    assert not any(answer.can_verify for answer in response.context["page"].object_list)
    assert 'name="answer"' not in response.content.decode()


def test_the_cycle_page_offers_editing_while_open_and_unlocking_once_locked(evaluation: Evaluation) -> None:
    cycle, client = evaluation.cycle, client_for(evaluation.world.coordinator)
    edit, lock, unlock = (reverse(f"evaluations:{n}", args=[cycle.pk]) for n in ("cycle_update", "lock", "unlock"))
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert f'href="{edit}"' in page and f'href="{lock}"' in page and f'href="{unlock}"' not in page
    cycle_lock(cycle=cycle, by=evaluation.world.coordinator, reason="Dikunci untuk uji kebijakan")
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert f'href="{edit}"' not in page and f'href="{lock}"' not in page and f'href="{unlock}"' in page


def test_the_report_page_offers_each_decision_only_in_its_state(world: World) -> None:
    client = client_for(world.coordinator)
    approve = reverse("masterplan:report_approve", args=[world.report_a.pk])
    reopen = reverse("masterplan:report_reopen", args=[world.report_a.pk])

    def offered() -> tuple[bool, bool]:
        page = client.get(world.report_a.get_absolute_url()).content.decode()
        return approve in page, reopen in page

    assert offered() == (False, False)  # a draft is the SKPD's
    report = report_submit(report=world.report_a, by=world.operator_a)
    assert offered() == (True, False)
    report_approve(report=report, by=world.coordinator)
    assert offered() == (False, True)
