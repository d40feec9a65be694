"""The national view: programme staff see every region's cycle side by side and a region against the national
distribution, assign the programme's assessors to any region's cycle; assessors work through one queue across
their regions; regional users never see another region."""

from __future__ import annotations

import statistics
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils.translation import gettext

from agencies.actions import AgencyAction
from agencies.models import AuditEvent, Membership, Region, Role
from agencies.services import agency_create, membership_grant, region_create
from agencies.tenancy import SESSION_REGION_KEY
from evaluations.actions import EvaluationAction
from evaluations.models import EvaluationCycle, Question
from evaluations.selectors.national import percentile
from evaluations.services.answers import answer_update
from evaluations.services.assessment import scores_save
from evaluations.services.cycles import assign_questions, cycle_create, cycle_lock, questionnaire_import
from tests.conftest import CYCLE_2023, Evaluation, World, client_for, question_row

NATIONAL = reverse("evaluations:national")


def assessed_region(
    name: str, bps_code: str, province: str, *, governance: str, society: str, year: int = 2023
) -> EvaluationCycle:
    """A region with a locked cycle whose two questions are scored: governance (baseline) and society (impact).

    With one question per dimension, a dimension's index is its question's score; the final index weighs the two
    lenses 10 (Baseline) to 20 (Impact), as CYCLE_2023 sets them.
    """
    region = region_create(by=None, name=name, province=province, bps_code=bps_code)
    agency = agency_create(by=None, region=region, name=f"Diskominfo {name}", acronym="DISKOMINFO")
    cycle = cycle_create(region=region, by=None, data={**CYCLE_2023, "year": year})
    rows = [
        question_row("SG-B-01", "governance", "baseline", "yes_no"),
        question_row("SS-I-01", "society", "impact", "yes_no"),
    ]
    questionnaire = questionnaire_import(cycle=cycle, by=None, rows=rows)
    questions = {q.code: q for q in questionnaire.questions.all()}
    assign_questions(cycle=cycle, by=None, questions=list(questions.values()), agency=agency)
    cycle = cycle_lock(cycle=cycle, by=None, reason="Dikunci untuk pengujian tampilan nasional.")
    scores = {questions["SG-B-01"]: (Decimal(governance), ""), questions["SS-I-01"]: (Decimal(society), "")}
    scores_save(cycle=cycle, by=None, scores=scores)
    return cycle


@pytest.fixture
def four_regions(world: World) -> list[EvaluationCycle]:
    """Four assessed regions in two provinces: governance 1, 2, 3, 4 and society 4, 3, 2, 1."""
    return [
        assessed_region("Kota Kediri", "3571", "Jawa Timur", governance="1", society="4"),
        assessed_region("Kota Malang", "3573", "Jawa Timur", governance="2", society="3"),
        assessed_region("Kabupaten Tapin", "6305", "Kalimantan Selatan", governance="3", society="2"),
        assessed_region("Kabupaten Balangan", "6311", "Kalimantan Selatan", governance="4", society="1"),
    ]


def _table(response: object) -> str:
    html = response.content.decode()  # type: ignore[attr-defined]
    return html[html.index('data-testid="national-table"') :]


# --- Who reaches it ------------------------------------------------------------------------------------------------


def test_a_national_user_lands_on_the_national_view_with_its_menu_entry(world: World, national: object) -> None:
    client = client_for(national)

    response = client.get(reverse("home"))

    assert response.status_code == 302 and response["Location"] == NATIONAL
    page = client.get(NATIONAL)
    assert page.status_code == 200
    assert 'data-testid="nav-national"' in page.content.decode()


@pytest.mark.parametrize("persona", ["operator_a", "coordinator", "assessor", "outsider"])
def test_regional_users_are_refused_every_national_page(evaluation: Evaluation, persona: str) -> None:
    world = evaluation.world
    client = client_for(getattr(world, persona))

    assert client.get(NATIONAL).status_code == 403
    assert client.get(reverse("evaluations:national_region", args=[world.region.pk])).status_code == 403
    url = reverse("evaluations:national_assessors", args=[evaluation.cycle.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"assessors": [world.assessor.pk]}).status_code == 403
    assert list(evaluation.cycle.assessors.all()) == [world.assessor]
    assert 'data-testid="nav-national"' not in client.get(reverse("masterplan:programmes")).content.decode()


def test_a_national_user_sees_no_regional_object(evaluation: Evaluation, national: object) -> None:
    client = client_for(national)
    world = evaluation.world

    assert client.get(reverse("evaluations:cycle", args=[evaluation.cycle.pk])).status_code == 404
    assert client.get(reverse("evaluations:answer", args=[evaluation.yes_no.pk])).status_code == 404
    assert client.get(reverse("masterplan:programme", args=[world.programme_a.pk])).status_code == 404
    assert client.get(reverse("evidence:detail", args=[world.evidence_a.pk])).status_code == 404


# --- Every region side by side --------------------------------------------------------------------------------------


def test_it_shows_every_regions_cycle_readiness_and_indices(
    evaluation: Evaluation, four_regions: list[EvaluationCycle], national: object
) -> None:
    world = evaluation.world
    # Banjar's open cycle: one of its three answers given this year, with valid evidence.
    answer_update(
        answer=evaluation.yes_no,
        by=world.operator_a,
        expected_version=evaluation.yes_no.version,
        data={"value_bool": True},
        evidence=[world.evidence_a],
    )

    response = client_for(national).get(NATIONAL, {"year": 2023})

    assert response.status_code == 200
    rows = {row.region.bps_code: row for row in response.context["rows"]}
    assert set(rows) == {"6303", "6372", "3571", "3573", "6305", "6311"}
    banjar = rows["6303"]
    assert (banjar.questions, banjar.answered, banjar.with_valid_evidence) == (3, 1, 1)
    assert (banjar.answered_percent, banjar.evidence_percent, banjar.window) == (33, 33, "open")
    assert banjar.indices.final is None and not banjar.cycle.is_locked
    assert rows["6372"].cycle is None  # Banjarbaru has no cycle in 2023
    kediri = rows["3571"]
    assert kediri.cycle.is_locked and kediri.window == "open"  # locked early, before its window closes
    # (10·1 + 20·4) / 30 = 3.00; governance 1, society 4.
    assert kediri.indices.final == Decimal(3)
    assert kediri.by_dimension[0] == Decimal(1)
    html = _table(response)
    assert "Kota Kediri" in html and "3,00" in html and "33 %" in html
    assert gettext("No cycle in %(year)s.") % {"year": 2023} in html


def test_it_filters_by_province_and_year(
    evaluation: Evaluation, four_regions: list[EvaluationCycle], national: object
) -> None:
    client = client_for(national)

    assessed_region("Kota Surabaya", "3578", "Jawa Timur", governance="5", society="5", year=2022)

    east_java = client.get(NATIONAL, {"province": "Jawa Timur", "year": 2023})
    earlier = client.get(NATIONAL, {"year": 2022})

    assert [row.region.name for row in east_java.context["rows"]] == ["Kota Kediri", "Kota Malang", "Kota Surabaya"]
    assert [row.cycle is not None for row in east_java.context["rows"]] == [True, True, False]
    with_cycle = [row.region.name for row in earlier.context["rows"] if row.cycle is not None]
    assert with_cycle == ["Kota Surabaya"]
    surabaya = next(row for row in earlier.context["rows"] if row.region.name == "Kota Surabaya")
    assert surabaya.indices.final == Decimal(5)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "dua ribu"}, "year"),
        ({"year": "99999999999999999999"}, "year"),
        ({"year": "1999"}, "year"),
        ({"province": "Atlantis"}, "province"),
        ({"province": "<script>alert(1)</script>"}, "province"),
        ({"page": "-1"}, None),
        ({"page": "banyak"}, None),
    ],
)
def test_a_bad_filter_is_refused_next_to_its_field_never_a_500(
    evaluation: Evaluation, national: object, params: dict[str, str], field: str | None
) -> None:
    response = client_for(national).get(NATIONAL, params)

    assert response.status_code == 200
    html = response.content.decode()
    if field is not None:
        assert f'data-error="{field}"' in html
        message = {"year": "Choose a year from the list.", "province": "Choose a province from the list."}[field]
        assert response.context["form"].errors[field] == [gettext(message)]  # in the page's language (Indonesian)
    # The page falls back to its defaults: every region, the latest year begun.
    assert len(response.context["rows"]) == 2
    assert "<script>alert(1)</script>" not in html


def test_it_pages_the_regions(world: World, national: object) -> None:
    for n in range(55):
        region_create(by=None, name=f"Kabupaten Uji {n:02d}", province="Papua", bps_code=f"{9100 + n}")

    first = client_for(national).get(NATIONAL)
    second = client_for(national).get(NATIONAL, {"page": 2})

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 57 - 50
    assert "page=2" in first.content.decode()


def _national_pages_with(n: int) -> list[str]:
    cycles = [
        assessed_region(
            f"Kabupaten Uji {i}", f"{9200 + i}", "Papua" if i % 2 else "Maluku", governance="2", society="3"
        )
        for i in range(n)
    ]
    return [
        f"{NATIONAL}?year=2023",
        f"{NATIONAL}?year=2023&province=Papua",
        reverse("evaluations:national_region", args=[cycles[0].region_id]) + "?year=2023",
        reverse("evaluations:national_assessors", args=[cycles[0].pk]),
    ]


@pytest.mark.parametrize("regions", [3, 9])
def test_the_national_pages_cost_the_same_queries_for_3_or_9_regions(
    world: World, national: object, django_assert_max_num_queries: object, regions: int
) -> None:
    client = client_for(national)
    urls = _national_pages_with(regions)
    # Session, user, memberships, national role; then the overview: years, provinces, count, dimensions, the page of
    # regions, their cycles, readiness and three for the indices; the region: the distribution's cycles and indices
    # of every region, its own cycles and their assessors; the form: the cycle, its assessors, the pool and its roles.
    limits = (14, 14, 13, 8)
    for url, limit in zip(urls, limits, strict=True):
        with django_assert_max_num_queries(limit):  # type: ignore[operator]
            assert client.get(url).status_code == 200


# --- A region against the national distribution --------------------------------------------------------------------


def test_percentile_interpolates_as_percentile_cont() -> None:
    values = [Decimal(v) for v in ("1.10", "2.00", "2.35", "3.80", "4.05", "4.90")]
    quartiles = statistics.quantiles(values, n=4, method="inclusive")

    assert [percentile(values, Decimal(p)) for p in ("0.25", "0.5", "0.75")] == quartiles
    assert percentile([Decimal(3)], Decimal("0.25")) == Decimal(3)
    assert percentile([], Decimal("0.5")) is None


def test_a_regions_page_compares_its_indices_with_the_national_distribution(
    evaluation: Evaluation, four_regions: list[EvaluationCycle], national: object
) -> None:
    malang = four_regions[1].region  # governance 2, society 3

    response = client_for(national).get(reverse("evaluations:national_region", args=[malang.pk]), {"year": 2023})

    assert response.status_code == 200
    comparison = response.context["comparison"]
    governance = next(s for s in comparison.dimensions if s.key == "governance")
    # Governance 1, 2, 3, 4 (Banjar's open cycle has no score): quartiles as percentile_cont gives them.
    assert governance.values == [Decimal(1), Decimal(2), Decimal(3), Decimal(4)]
    assert (governance.value, governance.q1, governance.median, governance.q3) == (
        Decimal(2),
        Decimal("1.75"),
        Decimal("2.5"),
        Decimal("3.25"),
    )
    society = next(s for s in comparison.dimensions if s.key == "society")
    assert (society.value, society.median, society.position) == (Decimal(3), Decimal("2.5"), "middle")
    impact = next(s for s in comparison.lenses if s.key == "impact")
    assert impact.values == [Decimal(1), Decimal(2), Decimal(3), Decimal(4)]
    # Finals: (10g + 20s) / 30 for (1,4), (2,3), (3,2), (4,1) = 3, 2.67, 2.33, 2.
    assert comparison.regions_assessed == 4
    assert comparison.final.maximum == Decimal(3) and comparison.final.minimum == Decimal(2)
    html = response.content.decode()
    assert 'data-spread="governance"' in html and "1,75" in html and "3,25" in html
    assert "<svg" in html  # the dimension chart beside the table


def test_a_region_without_a_cycle_that_year_shows_the_distribution_alone(
    evaluation: Evaluation, four_regions: list[EvaluationCycle], national: object
) -> None:
    world = evaluation.world

    response = client_for(national).get(reverse("evaluations:national_region", args=[world.other_region.pk]))

    assert response.status_code == 200
    assert response.context["comparison"].cycle is None
    assert response.context["comparison"].final.value is None
    assert response.context["comparison"].final.count == 4


def test_an_unknown_or_inactive_region_is_404(world: World, national: object) -> None:
    Region.objects.filter(pk=world.other_region.pk).update(is_active=False)
    client = client_for(national)

    assert client.get(reverse("evaluations:national_region", args=[world.other_region.pk])).status_code == 404
    assert client.get(reverse("evaluations:national_region", args=[999999])).status_code == 404


# --- Assessors nationally ---------------------------------------------------------------------------------------------


def test_a_national_user_sends_an_assessor_to_another_regions_cycle_audited(
    evaluation: Evaluation, four_regions: list[EvaluationCycle], national: AbstractBaseUser
) -> None:
    assessor = evaluation.world.assessor  # Banjar's assessor, new to Kediri
    kediri = four_regions[0]
    url = reverse("evaluations:national_assessors", args=[kediri.pk])
    client = client_for(national)
    form = client.get(url)
    assert assessor.get_full_name() or assessor.get_username() in form.content.decode()

    response = client.post(url, {"assessors": [assessor.pk]})

    assert response.status_code == 302
    assert list(kediri.assessors.all()) == [assessor]
    membership = Membership.objects.get(user=assessor, region=kediri.region)
    assert membership.role == Role.ASSESSOR and membership.is_active
    granted = AuditEvent.objects.get(action=AgencyAction.MEMBERSHIP_GRANTED, target_id=str(membership.pk))
    assigned = AuditEvent.objects.get(action=EvaluationAction.CYCLE_ASSESSORS, target_id=str(kediri.pk))
    assert granted.actor == national and assigned.actor == national
    assert assigned.region == kediri.region and assigned.changes == {"assessors": [[], ["assessor"]]}


def test_only_the_programmes_assessors_can_be_assigned(
    evaluation: Evaluation, four_regions: list[EvaluationCycle], national: object
) -> None:
    kediri = four_regions[0]
    url = reverse("evaluations:national_assessors", args=[kediri.pk])
    client = client_for(national)

    for bad in ([evaluation.world.operator_a.pk], ["abc"], ["99999999999999999999"]):
        response = client.post(url, {"assessors": bad})
        assert response.status_code == 200
        assert 'data-error="assessors"' in response.content.decode()
    assert not kediri.assessors.exists()
    assert not Membership.objects.filter(region=kediri.region, role=Role.ASSESSOR).exists()


def test_an_assessors_queue_lists_their_locked_cycles_in_every_region(
    evaluation: Evaluation, four_regions: list[EvaluationCycle], national: object
) -> None:
    world = evaluation.world
    banjar = cycle_lock(cycle=evaluation.cycle, by=world.coordinator, reason="Dikunci untuk pengujian antrean.")
    kediri = four_regions[0]
    client_for(national).post(
        reverse("evaluations:national_assessors", args=[kediri.pk]), {"assessors": [world.assessor.pk]}
    )
    assessor = client_for(world.assessor)
    session = assessor.session
    session[SESSION_REGION_KEY] = world.region.pk  # Banjar is current in the header
    session.save()

    queue = assessor.get(reverse("evaluations:assessment_list"))

    assert [(c.pk, c.region.name) for c in queue.context["cycles"]] == [
        (banjar.pk, "Kabupaten Banjar"),
        (kediri.pk, "Kota Kediri"),
    ]
    assert "Kota Kediri" in queue.content.decode()
    # The queue is paged (a national assessor's grows by region and year); bad page numbers give a page.
    with mock.patch("evaluations.views.assessment.ASSESSMENT_PAGE_SIZE", 1):
        second = assessor.get(reverse("evaluations:assessment_list"), {"page": "2"})
        assert [c.pk for c in second.context["cycles"]] == [kediri.pk]
        assert "page=1" in second.content.decode()
        for bad in ("abc", "-1", "99999999999999999999", "2.5", ""):
            assert assessor.get(reverse("evaluations:assessment_list"), {"page": bad}).status_code == 200, bad
    # Opening Kediri's cycle works with Banjar current, and makes Kediri current for the pages that follow.
    opened = assessor.get(reverse("evaluations:assessment", args=[kediri.pk]))
    assert opened.status_code == 200
    assert assessor.session[SESSION_REGION_KEY] == kediri.region_id
    assert opened.context["current_region"] == kediri.region
    assert assessor.get(reverse("evaluations:assessment", args=[banjar.pk])).status_code == 200
    assert assessor.session[SESSION_REGION_KEY] == world.region.pk
    # Another region's cycle the assessor is not assigned to stays hidden.
    malang = four_regions[1]
    assert assessor.get(reverse("evaluations:assessment", args=[malang.pk])).status_code == 404


def test_the_queue_is_open_to_an_assessor_whose_current_region_is_another_role(
    evaluation: Evaluation, four_regions: list[EvaluationCycle]
) -> None:
    """A DKISP coordinator of one region who assesses in another still reaches their queue."""
    world = evaluation.world
    kediri = four_regions[0]
    membership_grant(by=None, user=world.coordinator, region=kediri.region, role=Role.ASSESSOR)
    kediri.assessors.add(world.coordinator)
    client = client_for(world.coordinator)
    session = client.session
    session[SESSION_REGION_KEY] = world.region.pk
    session.save()

    response = client.get(reverse("evaluations:assessment_list"))

    assert response.status_code == 200
    assert [c.pk for c in response.context["cycles"]] == [kediri.pk]


def test_regional_users_never_see_another_regions_cycle(
    evaluation: Evaluation, four_regions: list[EvaluationCycle]
) -> None:
    world = evaluation.world
    kediri = four_regions[0]
    for persona in ("operator_a", "coordinator", "assessor", "outsider"):
        client = client_for(getattr(world, persona))
        assert client.get(reverse("evaluations:cycle", args=[kediri.pk])).status_code == 404, persona
        assert client.get(reverse("evaluations:assessment", args=[kediri.pk])).status_code in (403, 404), persona


def test_a_question_scored_elsewhere_never_counts_for_another_region(
    evaluation: Evaluation, four_regions: list[EvaluationCycle], national: object
) -> None:
    """Each region's indices come from its own cycle's questions only (the GROUP BY is per cycle)."""
    assert Question.objects.filter(code="SG-B-01").count() == 5  # Banjar's and the four regions'
    response = client_for(national).get(NATIONAL, {"year": 2023, "province": "Kalimantan Selatan"})
    finals = {row.region.name: row.indices.final if row.indices else None for row in response.context["rows"]}
    assert finals["Kabupaten Tapin"] == (10 * Decimal(3) + 20 * Decimal(2)) / 30
    assert finals["Kabupaten Balangan"] == (10 * Decimal(4) + 20 * Decimal(1)) / 30
    assert finals["Kabupaten Banjar"] is None and finals["Kota Banjarbaru"] is None
