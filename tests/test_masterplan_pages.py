"""The masterplan pages as people use them: browse, filter, edit, with clear messages for bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from agencies.models import AuditEvent
from masterplan.models import Indicator, IndicatorTarget, Programme
from tests.conftest import World, client_for, make_programme


def programme_post(world: World, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "gov-09",
        "name": "Mal Pelayanan Publik Barokah",
        "element": world.programme_a.element.__class__.objects.get(code="public-service").pk,
        "term": "short",
        "status": "running",
        "lead_agency": world.agency_a.pk,
        "supporting_agencies": [world.dkisp.pk],
        "start_year": "2021",
        "end_year": "2023",
        "funding_sources": ["apbd", "csr"],
        "description": "Diluncurkan 29 Januari 2020.",
    }
    data.update(overrides)
    return data


def test_overview_shows_six_dimensions_with_implementation_rates(world: World) -> None:
    make_programme(world.masterplan, world.agency_a, "LIV-02", element="health", status=Programme.Status.PLANNED)
    response = client_for(world.coordinator).get(reverse("masterplan:overview"))
    assert response.status_code == 200
    summaries = response.context["summaries"]
    assert [s.dimension.code for s in summaries] == [
        "governance",
        "branding",
        "economy",
        "living",
        "society",
        "environment",
    ]
    living = next(s for s in summaries if s.dimension.code == "living")
    assert (living.implemented, living.total) == (1, 2)
    assert living.implementation_rate == Decimal("50.00")
    content = response.content.decode()
    assert "Smart Living" in content
    assert "50,00%" in content  # Indonesian decimal comma by default


def test_dimension_page_groups_programmes_by_element(world: World) -> None:
    response = client_for(world.coordinator).get(reverse("masterplan:dimension", args=["living"]))
    assert response.status_code == 200
    sections = {e.element.code: programmes for e, programmes in response.context["sections"]}
    assert list(sections) == ["harmony", "health", "mobility"]
    assert sections["health"] == [world.programme_a]
    assert "Kesehatan" in response.content.decode()


def test_unknown_dimension_is_not_found(world: World) -> None:
    assert client_for(world.coordinator).get("/masterplan/dimensi/nope/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected_codes"),
    [
        ({}, {"LIV-01", "SOC-01"}),
        ({"dimension": "living"}, {"LIV-01"}),
        ({"term": "long"}, {"SOC-01"}),
        ({"quick_win": "true"}, {"LIV-01"}),
        ({"quick_win": "false"}, {"SOC-01"}),
        ({"status": "planned"}, set()),
        ({"q": "soc"}, {"SOC-01"}),
    ],
)
def test_programme_list_filters(world: World, query: dict[str, str], expected_codes: set[str]) -> None:
    Programme.objects.filter(pk=world.programme_b.pk).update(term="long")
    Programme.objects.filter(pk=world.programme_a.pk).update(is_quick_win=True)
    response = client_for(world.coordinator).get(reverse("masterplan:programmes"), query)
    assert response.status_code == 200
    assert {p.code for p in response.context["page"].object_list} == expected_codes


def test_programme_list_filters_by_lead_agency(world: World) -> None:
    response = client_for(world.coordinator).get(reverse("masterplan:programmes"), {"lead_agency": world.agency_b.pk})
    assert [p.code for p in response.context["page"].object_list] == ["SOC-01"]


def test_programme_list_rejects_a_bad_filter_with_a_message_not_an_error(world: World) -> None:
    response = client_for(world.coordinator).get(reverse("masterplan:programmes"), {"lead_agency": "abc", "term": "x"})
    assert response.status_code == 200
    assert "lead_agency" in response.context["filter"].errors
    assert "Masukkan pilihan yang valid" in response.content.decode()


def test_programme_list_of_an_operator_shows_only_their_agency(world: World) -> None:
    response = client_for(world.operator_a).get(reverse("masterplan:programmes"))
    assert [p.code for p in response.context["page"].object_list] == ["LIV-01"]
    assert not response.context["can_create"]


def test_programme_list_paginates(world: World) -> None:
    for i in range(30):
        make_programme(world.masterplan, world.agency_a, f"GOV-{i:02d}")
    client = client_for(world.coordinator)
    first = client.get(reverse("masterplan:programmes"))
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("masterplan:programmes"), {"page": 2})
    assert len(second.context["page"].object_list) == 7
    assert client.get(reverse("masterplan:programmes"), {"page": "zzz"}).status_code == 200


def test_programme_page_shows_agencies_years_funding_and_targets(world: World) -> None:
    response = client_for(world.operator_a).get(world.programme_a.get_absolute_url())
    content = response.content.decode()
    assert "Dinas Kesehatan (DINKES)" in content
    assert "2021–2025" in content
    assert "APBD" in content
    rows = response.context["indicator_rows"]
    indicator, targets = rows[0]
    assert indicator.name == "Puskesmas terhubung"
    assert targets == [Decimal("5.00"), Decimal("10.00"), None, None, None]
    assert not response.context["can_change"]
    assert reverse("masterplan:programme_update", args=[world.programme_a.pk]) not in content


def test_coordinator_creates_a_programme(world: World) -> None:
    response = client_for(world.coordinator).post(reverse("masterplan:programme_create"), programme_post(world))
    programme = Programme.objects.get(code="GOV-09")
    assert response.status_code == 302
    assert response["Location"] == programme.get_absolute_url()
    assert programme.masterplan == world.masterplan
    assert list(programme.supporting_agencies.all()) == [world.dkisp]
    assert programme.funding_sources == ["apbd", "csr"]
    event = AuditEvent.objects.get(action="programme.created", target_id=str(programme.pk))
    assert event.actor == world.coordinator
    assert event.changes["supporting_agencies"] == ["DKISP"]


def test_invalid_programme_keeps_input_and_explains_in_indonesian(world: World) -> None:
    data = programme_post(world, end_year="2019", supporting_agencies=[world.agency_a.pk], name="Nama yang diketik")
    response = client_for(world.coordinator).post(reverse("masterplan:programme_create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "Tahun selesai tidak boleh sebelum tahun mulai." in form.errors["end_year"]
    assert "SKPD pengampu tidak boleh sekaligus menjadi SKPD pendukung." in form.errors["supporting_agencies"]
    assert 'value="Nama yang diketik"' in response.content.decode()
    assert not Programme.objects.filter(code="GOV-09").exists()


def test_duplicate_programme_code_is_a_field_error(world: World) -> None:
    response = client_for(world.coordinator).post(
        reverse("masterplan:programme_create"), programme_post(world, code="liv-01")
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Programme.objects.filter(code="LIV-01").count() == 1


def test_year_out_of_range_is_refused(world: World) -> None:
    response = client_for(world.coordinator).post(
        reverse("masterplan:programme_create"), programme_post(world, start_year="1900", end_year="99999")
    )
    assert response.status_code == 200
    assert "start_year" in response.context["form"].errors


def test_agency_of_another_region_cannot_be_chosen(world: World) -> None:
    response = client_for(world.coordinator).post(
        reverse("masterplan:programme_create"), programme_post(world, lead_agency=world.other_agency.pk)
    )
    assert response.status_code == 200
    assert "lead_agency" in response.context["form"].errors


def test_coordinator_edits_a_programme_and_the_change_is_audited(world: World) -> None:
    url = reverse("masterplan:programme_update", args=[world.programme_a.pk])
    client = client_for(world.coordinator)
    assert client.get(url).status_code == 200
    data = programme_post(
        world,
        code="LIV-01",
        name="Telemedisin Puskesmas",
        status="done",
        element=world.programme_a.element_id,
        supporting_agencies=[world.agency_b.pk],
    )
    response = client.post(url, data)
    assert response.status_code == 302
    world.programme_a.refresh_from_db()
    assert world.programme_a.name == "Telemedisin Puskesmas"
    assert world.programme_a.status == "done"
    event = AuditEvent.objects.filter(action="programme.updated").latest("id")
    assert event.changes["status"] == ["running", "done"]
    assert event.changes["supporting_agencies"] == [[], ["DISDIK"]]
    page = client.get(world.programme_a.get_absolute_url()).content.decode()
    assert "Program diubah" in page
    assert "programme.updated" not in page


def test_coordinator_adds_an_indicator_with_indonesian_decimals(world: World) -> None:
    url = reverse("masterplan:indicator_create", args=[world.programme_b.pk])
    data = {
        "name": "Sekolah terhubung internet",
        "unit": "%",
        "baseline": "12,5",
        "baseline_year": "2020",
        "order": "1",
        "target_2021": "20",
        "target_2022": "35,75",
        "target_2023": "",
    }
    response = client_for(world.coordinator).post(url, data)
    assert response.status_code == 302
    indicator = Indicator.objects.get(programme=world.programme_b)
    assert indicator.baseline == Decimal("12.50")
    assert {t.year: t.value for t in indicator.targets.all()} == {2021: Decimal("20"), 2022: Decimal("35.75")}


def test_indicator_with_bad_numbers_keeps_input(world: World) -> None:
    url = reverse("masterplan:indicator_create", args=[world.programme_b.pk])
    data = {"name": "Sekolah terhubung", "unit": "%", "baseline": "dua belas", "order": "1", "target_2021": "1.2.3"}
    response = client_for(world.coordinator).post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Tulis angka dengan digit 0–9, misalnya 1.250.000 atau 12,5." in errors["baseline"]
    assert "target_2021" in errors
    assert 'value="dua belas"' in response.content.decode()
    assert not Indicator.objects.filter(programme=world.programme_b).exists()


def test_duplicate_indicator_name_is_refused(world: World) -> None:
    url = reverse("masterplan:indicator_create", args=[world.programme_a.pk])
    response = client_for(world.coordinator).post(url, {"name": "Puskesmas terhubung", "unit": "unit", "order": "0"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert world.programme_a.indicators.count() == 1


def test_coordinator_updates_targets_and_removes_a_year(world: World) -> None:
    indicator = world.programme_a.indicators.get()
    url = reverse("masterplan:indicator_update", args=[indicator.pk])
    data = {
        "name": indicator.name,
        "unit": "unit",
        "baseline": "3",
        "baseline_year": "2020",
        "order": "0",
        "target_2021": "",
        "target_2022": "12",
        "target_2025": "30",
    }
    assert client_for(world.coordinator).post(url, data).status_code == 302
    assert {t.year: t.value for t in indicator.targets.all()} == {2022: Decimal("12"), 2025: Decimal("30")}
    event = AuditEvent.objects.filter(action="indicator.updated").latest("id")
    assert event.changes["target_2021"] == ["5.00", None]
    assert event.changes["target_2022"] == ["10.00", "12"]


def test_coordinator_deletes_an_indicator(world: World) -> None:
    indicator = world.programme_a.indicators.get()
    world.report_a.realisations.all().delete()
    response = client_for(world.coordinator).post(reverse("masterplan:indicator_delete", args=[indicator.pk]))
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    assert not IndicatorTarget.objects.filter(indicator_id=indicator.pk).exists()
    assert AuditEvent.objects.filter(action="indicator.deleted", target_id=str(indicator.pk)).exists()


def test_coordinator_edits_the_masterplan(world: World) -> None:
    data = {
        "title": "Masterplan Smart City Banjar",
        "start_year": "2021",
        "end_year": "2025",
        "perbup_number": "Perbup Banjar No. 47 Tahun 2021",
        "perbup_date": "2021-08-30",
        "period_type": "semester",
    }
    response = client_for(world.coordinator).post(reverse("masterplan:masterplan_update"), data)
    assert response.status_code == 302
    world.masterplan.refresh_from_db()
    assert world.masterplan.period_type == "semester"
    overview = client_for(world.coordinator).get(reverse("masterplan:overview")).content.decode()
    assert "30 Agustus 2021" in overview


def test_masterplan_with_reversed_years_is_refused(world: World) -> None:
    data = {"title": "X", "start_year": "2025", "end_year": "2021", "period_type": "quarterly"}
    response = client_for(world.coordinator).post(reverse("masterplan:masterplan_update"), data)
    assert response.status_code == 200
    assert "end_year" in response.context["form"].errors


def test_operator_agency_index_is_their_agency_with_led_and_supported_programmes(world: World) -> None:
    # Their home is now the SKPD dashboard (tests/test_skpd_dashboard.py); the SKPD index still leads here.
    client = client_for(world.operator_b)
    response = client.get(reverse("masterplan:agencies"), follow=True)
    assert response.request["PATH_INFO"] == reverse("masterplan:agency", args=[world.agency_b.pk])
    assert [p.code for p in response.context["led"]] == ["SOC-01"]
    assert response.context["supported"] == []
    dkisp = client_for(world.coordinator).get(reverse("masterplan:agency", args=[world.dkisp.pk]))
    assert [p.code for p in dkisp.context["supported"]] == ["SOC-01"]


def test_operator_page_offers_no_way_to_change_programmes(world: World) -> None:
    content = client_for(world.operator_a).get(reverse("masterplan:agency", args=[world.agency_a.pk])).content.decode()
    assert "/ubah/" not in content
    assert "/tambah/" not in content


def test_coordinator_home_is_the_dashboard(world: World) -> None:
    response = client_for(world.coordinator).get(reverse("home"))
    assert response["Location"] == reverse("evaluations:dashboard")


def test_region_without_masterplan_is_a_clear_404(world: World) -> None:
    from agencies.models import Role
    from agencies.services import agency_create, membership_grant, region_create
    from tests.conftest import make_user

    region = region_create(by=None, name="Kabupaten Tapin", province="Kalimantan Selatan", bps_code="6305")
    agency = agency_create(by=None, region=region, name="Diskominfo Tapin", acronym="DISKOMINFO")
    newcomer = make_user("newcomer")
    membership_grant(by=None, user=newcomer, region=region, role=Role.COORDINATOR, agency=agency)
    response = client_for(newcomer).get(reverse("masterplan:overview"))
    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 45])
def test_masterplan_pages_query_counts_do_not_grow(world: World, count: int, django_assert_max_num_queries) -> None:
    for i in range(count):
        p = make_programme(
            world.masterplan, world.agency_a, f"ENV-{i:02d}", element="waste", supporting=(world.agency_b, world.dkisp)
        )
        if i == 0:
            indicator_target = world.programme_a.indicators.get()
            assert indicator_target
    client = client_for(world.coordinator)
    pages = [
        reverse("masterplan:overview"),
        reverse("masterplan:programmes"),
        reverse("masterplan:dimension", args=["environment"]),
        reverse("masterplan:agency", args=[world.agency_a.pk]),
        reverse("masterplan:agencies"),
        p.get_absolute_url(),
    ]
    for url in pages:
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200


def test_an_indicator_with_reported_progress_is_kept_with_a_message(world: World) -> None:
    indicator = world.programme_a.indicators.get()
    client = client_for(world.coordinator)
    response = client.post(reverse("masterplan:indicator_delete", args=[indicator.pk]), follow=True)
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert "Progress has been reported" in response.content.decode() or "sudah dilaporkan" in response.content.decode()
