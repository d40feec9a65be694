"""The checked rows of a questionnaire upload wait in the session until the coordinator confirms them."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.urls import reverse

from evaluations.models import EvaluationCycle, Questionnaire
from evaluations.questionnaire_io import QuestionRow
from evaluations.questionnaire_io.preview import (
    SESSION_IMPORT,
    PendingImport,
    forget_preview,
    keep_preview,
    pending_preview,
)
from tests.conftest import Evaluation, client_for, question_row


def rows() -> list[QuestionRow]:
    return [
        question_row("SG-B-01", "governance", "baseline", "yes_no", weight=Decimal("1.5")),  # type: ignore[list-item]
        question_row("SG-O-01", "governance", "output", "level"),  # type: ignore[list-item]
        question_row("SE-O-01", "economy", "output", "choice", element="transactions"),  # type: ignore[list-item]
    ]


def stored(session: SessionStore) -> SessionStore:
    """The session as the next request reads it: what was kept went through JSON."""
    again = SessionStore()
    again[SESSION_IMPORT] = json.loads(json.dumps(session[SESSION_IMPORT]))
    return again


def test_it_gives_back_the_rows_and_name_it_kept() -> None:
    session = SessionStore()
    keep_preview(session, cycle_pk=7, name="Kuesioner 2024", rows=rows())

    pending = pending_preview(stored(session), cycle_pk=7)

    assert pending == PendingImport(name="Kuesioner 2024", rows=rows())
    assert pending.rows[0].weight == Decimal("1.5") and pending.rows[1].level_criteria[4] == "Kriteria 5"


def test_a_preview_of_another_cycle_is_not_pending() -> None:
    session = SessionStore()
    keep_preview(session, cycle_pk=7, name="", rows=rows())

    assert pending_preview(stored(session), cycle_pk=8) is None


def test_a_forgotten_preview_is_gone() -> None:
    session = SessionStore()
    keep_preview(session, cycle_pk=7, name="", rows=rows())

    forget_preview(session)
    forget_preview(session)  # twice is harmless

    assert SESSION_IMPORT not in session and pending_preview(session, cycle_pk=7) is None


@pytest.mark.parametrize(
    "kept",
    [
        {"cycle": 7},  # no rows
        {"cycle": 7, "rows": [{"code": "SG-B-01"}]},  # a row of another shape
        {"cycle": 7, "rows": [{"weight": "satu"}]},
        {"cycle": 7, "rows": None},
        ["cycle", 7],
    ],
)
def test_a_preview_kept_in_another_shape_is_not_pending(kept: Any) -> None:
    session = SessionStore()
    session[SESSION_IMPORT] = kept

    assert pending_preview(session, cycle_pk=7) is None


def test_confirming_a_preview_in_another_shape_asks_for_the_file_again(evaluation: Evaluation) -> None:
    cycle = evaluation.cycle
    assert isinstance(cycle, EvaluationCycle)
    client = client_for(evaluation.world.coordinator)
    session = client.session
    session[SESSION_IMPORT] = {"cycle": cycle.pk, "name": "", "rows": [{"code": "SG-B-01", "weight": "1"}]}
    session.save()

    response = client.post(reverse("evaluations:questionnaire_import_confirm", args=[cycle.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("evaluations:questionnaire_import", args=[cycle.pk])
    assert any("Unggah" in str(message) for message in get_messages(response.wsgi_request))
    assert Questionnaire.objects.count() == 1  # nothing imported


def test_a_preview_is_confirmed_only_on_its_own_cycle(evaluation: Evaluation) -> None:
    cycle = evaluation.cycle
    assert isinstance(cycle, EvaluationCycle)
    client = client_for(evaluation.world.coordinator)
    session = client.session
    keep_preview(session, cycle_pk=cycle.pk + 1, name="Kuesioner lain", rows=rows())
    session.save()

    response = client.post(reverse("evaluations:questionnaire_import_confirm", args=[cycle.pk]))

    assert response["Location"] == reverse("evaluations:questionnaire_import", args=[cycle.pk])
    assert Questionnaire.objects.count() == 1
