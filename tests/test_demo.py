"""The Kabupaten Banjar demo loader and its two commands, load_demo and demo_logins."""

from __future__ import annotations

import dataclasses
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import override_settings

from agencies.models import Agency, AuditEvent, Membership, Region, Role
from masterplan.models import Element, Indicator, IndicatorTarget, Masterplan, Programme
from smartcity.demo import banjar

COUNTED: tuple[type[models.Model], ...] = (
    Region,
    Agency,
    Membership,
    Masterplan,
    Programme,
    Indicator,
    IndicatorTarget,
    AuditEvent,
    get_user_model(),
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def loaded(db: None) -> dict[str, int]:
    return banjar.load()


def test_it_creates_what_it_promises(loaded: dict[str, int]) -> None:
    assert loaded["regions"] == 1
    assert loaded["agencies"] == len(banjar.AGENCIES) == Agency.objects.count()
    assert loaded["users"] == len(banjar.USERS)
    assert loaded["masterplans"] == 1
    assert loaded["programmes"] == len(banjar.PROGRAMMES) == Programme.objects.count()
    assert loaded["indicators"] == Indicator.objects.count()
    assert loaded["updated"] == 0
    region = Region.objects.get(bps_code="6303")
    assert (region.name, region.province, region.seat) == ("Kabupaten Banjar", "Kalimantan Selatan", "Martapura")


def test_a_second_load_changes_nothing(loaded: dict[str, int]) -> None:
    before = row_counts()

    again = banjar.load()

    assert set(again.values()) == {0}
    assert row_counts() == before


def test_it_brings_changed_rows_back_in_line_and_audits_only_that(loaded: dict[str, int]) -> None:
    programme = Programme.objects.get(code="GOV-02")
    Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.PLANNED)
    programme.supporting_agencies.clear()
    target = IndicatorTarget.objects.filter(indicator__programme=programme).first()
    IndicatorTarget.objects.filter(pk=target.pk).update(value=1)
    events = AuditEvent.objects.count()

    again = banjar.load()

    assert again["updated"] == 2
    assert AuditEvent.objects.count() == events + 2
    programme.refresh_from_db()
    assert programme.status == Programme.Status.RUNNING
    assert programme.supporting_agencies.count() > 0
    target.refresh_from_db()
    assert target.value > 1


def test_a_failed_load_leaves_nothing_behind(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = dataclasses.replace(banjar.PROGRAMMES[-1], code="ENV-99", funding=("lottery",))
    monkeypatch.setattr(banjar, "PROGRAMMES", (*banjar.PROGRAMMES, broken))

    with pytest.raises(ValidationError):
        banjar.load()

    assert not Region.objects.exists()
    assert not AuditEvent.objects.exists()


def test_the_masterplan_is_adopted_by_perbup_with_quarterly_reporting(loaded: dict[str, int]) -> None:
    masterplan = Masterplan.objects.get()
    assert masterplan.title == "Masterplan Smart City Kabupaten Banjar 2021–2025"
    assert (masterplan.start_year, masterplan.end_year) == (2021, 2025)
    assert masterplan.perbup_number.startswith("Peraturan Bupati Banjar Nomor")
    assert masterplan.perbup_date is not None
    assert masterplan.period_type == "quarterly"


def test_programmes_cover_all_18_elements(loaded: dict[str, int]) -> None:
    assert Programme.objects.count() >= 40
    covered = set(Programme.objects.values_list("element__code", flat=True))
    assert covered == set(Element.objects.values_list("code", flat=True))
    assert len(covered) == 18


def test_programmes_mix_terms_statuses_and_funding(loaded: dict[str, int]) -> None:
    programmes = list(Programme.objects.all())
    assert {p.term for p in programmes} == set(Programme.Term.values)
    assert {p.status for p in programmes} == set(Programme.Status.values)
    assert all(p.funding_sources for p in programmes)
    assert all(2021 <= p.start_year <= p.end_year <= 2030 for p in programmes)
    assert sum(p.is_quick_win for p in programmes) >= 2


def test_every_indicator_has_a_baseline_and_a_target_for_each_programme_year(loaded: dict[str, int]) -> None:
    for programme in Programme.objects.prefetch_related("indicators__targets"):
        indicators = list(programme.indicators.all())
        assert 1 <= len(indicators) <= 3, programme.code
        for indicator in indicators:
            assert indicator.baseline is not None
            assert indicator.baseline_year == 2020
            assert [t.year for t in indicator.targets.all()] == list(programme.years), indicator


def test_gebraks_is_a_sanitation_quick_win(loaded: dict[str, int]) -> None:
    gebraks = Programme.objects.get(name__startswith="Gebraks")
    assert gebraks.name == "Gebraks (Gerakan Bersama Realisasi Aksi Sanitasi)"
    assert gebraks.is_quick_win
    assert gebraks.element.code == "waste"
    assert gebraks.lead_agency.acronym in {"DISPERKIM", "PUPR"}
    assert gebraks.supporting_agencies.filter(acronym="DINKES").exists()
    assert "jamban apung" in gebraks.description


def test_mpp_barokah_is_public_service_led_by_dpmptsp(loaded: dict[str, int]) -> None:
    mpp = Programme.objects.get(name__contains="Barokah", element__code="public-service")
    assert mpp.lead_agency.acronym == "DPMPTSP"
    assert mpp.element.dimension.code == "governance"
    assert mpp.status == Programme.Status.DONE
    assert "29 Januari 2020" in mpp.description


def test_dkisp_succeeds_the_inactive_diskominfo(loaded: dict[str, int]) -> None:
    dkisp = Agency.objects.get(acronym="DKISP")
    assert dkisp.is_active
    assert dkisp.predecessor is not None
    assert dkisp.predecessor.acronym == "DISKOMINFO"
    assert not dkisp.predecessor.is_active


def test_agencies_use_the_right_kinds(loaded: dict[str, int]) -> None:
    kinds = dict(Agency.objects.values_list("acronym", "kind"))
    assert kinds["SETDA"] == Agency.Kind.SEKRETARIAT
    assert kinds["INSPEKTORAT"] == Agency.Kind.INSPEKTORAT
    assert kinds["BAPPEDALITBANG"] == Agency.Kind.BADAN
    assert kinds["SATPOL PP"] == Agency.Kind.SATUAN
    assert kinds["BAG HUKUM"] == Agency.Kind.BAGIAN
    assert kinds["KEC GAMBUT"] == Agency.Kind.KECAMATAN
    assert kinds["KEL SEKUMPUL"] == Agency.Kind.KELURAHAN
    assert kinds["RSUD RZ"] == Agency.Kind.RSUD


def test_each_demo_login_has_its_role(loaded: dict[str, int]) -> None:
    users = {u.username: u for u in get_user_model().objects.all()}
    assert all(u.check_password(banjar.DEMO_PASSWORD) for u in users.values())
    assert users["admin"].is_superuser
    assert users["admin"].is_staff
    assert users["dkisp"].email == "dkisp@banjarkab.example"
    expected = {
        "dkisp": (Role.COORDINATOR, "DKISP"),
        "op.dpmptsp": (Role.OPERATOR, "DPMPTSP"),
        "op.dinkes": (Role.OPERATOR, "DINKES"),
        "kepala.dpmptsp": (Role.HEAD, "DPMPTSP"),
        "asesor": (Role.ASSESSOR, None),
    }
    for username, (role, acronym) in expected.items():
        membership = Membership.objects.select_related("agency").get(user=users[username])
        assert membership.role == role
        assert (membership.agency.acronym if membership.agency else None) == acronym
        assert not users[username].is_staff


def test_demo_logins_prints_every_demo_username(loaded: dict[str, int]) -> None:
    out = StringIO()

    call_command("demo_logins", stdout=out)

    text = out.getvalue()
    for username in ("admin", "dkisp", "op.dpmptsp", "op.dinkes", "kepala.dpmptsp", "asesor"):
        assert username in text
    assert banjar.DEMO_PASSWORD in text
    assert "(not loaded)" not in text


def test_demo_logins_hides_a_changed_password(loaded: dict[str, int]) -> None:
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("something-private")
    admin.save()
    out = StringIO()

    call_command("demo_logins", stdout=out)

    admin_line = next(line for line in out.getvalue().splitlines() if line.startswith("admin "))
    assert "(changed)" in admin_line
    assert banjar.DEMO_PASSWORD not in admin_line


def test_load_demo_refuses_without_debug(db: None) -> None:
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=StringIO())
    assert not Region.objects.exists()


@override_settings(DEBUG=True)
def test_load_demo_prints_a_one_line_summary(db: None) -> None:
    first, second = StringIO(), StringIO()

    call_command("load_demo", stdout=first)
    call_command("load_demo", stdout=second)

    assert first.getvalue().count("\n") == 1
    assert "created 1 region" in first.getvalue()
    assert "programmes" in first.getvalue()
    assert "already up to date" in second.getvalue()


def test_load_demo_runs_outside_debug_when_forced(db: None) -> None:
    call_command("load_demo", "--force", stdout=StringIO())
    assert Programme.objects.count() == len(banjar.PROGRAMMES)
