"""Indonesian by default, English on request; numbers and dates follow the language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from common.forms import parse_indonesian_number
from masterplan.models import Programme
from tests.conftest import World, client_for, make_programme


def render(source: str, **context: object) -> str:
    return Template("{% load humanize %}" + source).render(Context(context))


def test_defaults_are_indonesian_and_jakarta_time() -> None:
    assert settings.LANGUAGE_CODE == "id"
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]


def test_indonesian_dates_and_numbers() -> None:
    with translation.override("id"):
        assert render("{{ d|date }}", d=dt.date(2020, 1, 29)) == "29 Januari 2020"
        assert render("{{ d|date:'SHORT_DATE_FORMAT' }}", d=dt.date(2020, 1, 29)) == "29/01/2020"
        assert render("{{ n|floatformat:2 }}", n=Decimal("3.315")) == "3,32"
        assert render('{{ n|floatformat:"2g" }}', n=Decimal("1234567.5")) == "1.234.567,50"
        assert render("{{ y }}", y=2025) == "2025"  # years never get a thousands separator


def test_english_dates_and_numbers() -> None:
    with translation.override("en"):
        assert render("{{ n|floatformat:2 }}", n=Decimal("3.315")) == "3.32"
        assert "2020" in render("{{ d|date }}", d=dt.date(2020, 1, 29))


def test_the_ui_is_indonesian_until_the_user_switches(world: World) -> None:
    client = client_for(world.coordinator)
    page = client.get(reverse("masterplan:overview")).content.decode()
    assert "Tingkat implementasi" in page
    assert "Layanan Publik" in page

    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("masterplan:overview")})
    assert response.status_code == 302
    page = client.get(reverse("masterplan:overview")).content.decode()
    assert "Implementation rate" in page
    assert "Public service" in page
    assert '<html lang="en">' in page


def test_choice_labels_are_translated(world: World) -> None:
    make_programme(world.masterplan, world.agency_a, "ENV-01", element="waste", term=Programme.Term.MEDIUM)
    page = client_for(world.coordinator).get(reverse("masterplan:programmes")).content.decode()
    assert "Jangka menengah" in page
    assert "Berjalan" in page


def test_an_english_browser_still_gets_indonesian_until_the_switch(world: World) -> None:
    client = client_for(world.coordinator)
    page = client.get(reverse("masterplan:overview"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "id"
    assert "Tingkat implementasi" in page.content.decode()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("150.000.000", "150000000"),
        ("Rp 150.000.000,50", "150000000.50"),
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1.234", "1234"),
        ("-2.500,25", "-2500.25"),
        ("", ""),
    ],
)
def test_indonesian_numbers_are_understood_as_typed(typed: str, expected: str) -> None:
    assert parse_indonesian_number(typed) == expected
