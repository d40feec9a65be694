"""Money and number fields refuse digit forms nobody means (and negative budgets) with a message by the field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.ids import parse_id, parse_ids
from masterplan.services.reports import report_update
from tests.conftest import World, client_for
from tests.test_bad_input import _forms


def _report_form(world: World) -> tuple[str, dict[str, str]]:
    url = reverse("masterplan:report_edit", kwargs={"pk": world.report_a.pk})
    page = client_for(world.operator_a).get(url)
    form = next(f for f in _forms(page.content.decode()) if "budget_plan" in f["fields"])
    return url, {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}


@pytest.mark.parametrize("typed", ["1_000", "١٢٣", "²", "NaN", "Infinity", "1e5", "-5", "-1.000.000"])
def test_budget_refuses_odd_digits_and_negatives_and_keeps_what_was_typed(world: World, typed: str) -> None:
    url, data = _report_form(world)
    before = world.report_a.budget_plan
    response = client_for(world.operator_a).post(url, {**data, "budget_plan": typed, "narrative": "Tetap ada"})
    assert response.status_code == 200
    errors = response.context["form"].errors["budget_plan"]
    assert errors and ("0–9" in errors[0] or "negatif" in errors[0]), errors
    assert f'value="{typed}"' in response.content.decode()  # what the user typed is kept
    world.report_a.refresh_from_db()
    assert world.report_a.budget_plan == before


def test_budget_accepts_indonesian_grouping(world: World) -> None:
    url, data = _report_form(world)
    response = client_for(world.operator_a).post(url, {**data, "budget_plan": "Rp 150.000.000,50"})
    assert response.status_code == 302
    world.report_a.refresh_from_db()
    assert world.report_a.budget_plan == Decimal("150000000.50")


def test_service_refuses_negative_budget(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        report_update(
            report=world.report_a,
            by=world.operator_a,
            expected_version=world.report_a.version,
            data={"budget_realisation": Decimal(-1)},
        )
    assert "budget_realisation" in refused.value.message_dict


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        ("²", None),
        ("①", None),
        ("١٢٣", None),
        ("1_000", None),
        ("0", None),
        ("-3", None),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),
        ("9" * 40, None),
        ("", None),
        (" 1", None),
    ],
)
def test_parse_id_takes_only_ascii_ids_in_bigint_range(text: str, expected: int | None) -> None:
    assert parse_id(text) == expected


def test_parse_ids_keeps_valid_ids_once() -> None:
    assert parse_ids(["3", "²", "3", str(2**64), "7"]) == [3, 7]
