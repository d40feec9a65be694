"""Every list that grows with the data is paged: page 2 holds the next rows, a bad page number is never an error,
and a page costs the same number of queries at N and 3N rows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from agencies.models import Agency
from evaluations.models import Answer
from evaluations.services.cycles import assign_questions, cycle_create, questionnaire_import
from evidence.models import Evidence
from tests.conftest import (
    CYCLE_2023,
    PDF_BYTES,
    World,
    client_for,
    make_evidence,
    make_programme,
    question_row,
)

BAD_PAGES = ["abc", "-1", "0", "99999999999999999999", "2.5", "", "１"]
NUL_PAGES = ["1\x00", "\x00"]  # refused for every URL by the middleware, with its message


def add_evidence(agency: Agency, by: object, count: int, start: int = 100) -> list[Evidence]:
    """`count` distinct files in the agency's library (the page size of the PDF differs, the offsets do not)."""
    return [
        make_evidence(agency, by, name=f"Bukti {n}.pdf", content=PDF_BYTES.replace(b"842", str(n).encode()))
        for n in range(start, start + count)
    ]


def add_programmes(world: World, count: int, start: int = 0) -> None:
    """Programmes led by DINKES, each with 20 quarterly periods to report on (2021–2025)."""
    for n in range(start, start + count):
        make_programme(world.masterplan, world.agency_a, f"LIV-{n + 10:02d}", element="health")


def make_cycle_with_questions(world: World, count: int) -> object:
    """A 2023 cycle whose `count` questions, all unanswered, are assigned to DINKES."""
    cycle = cycle_create(region=world.region, by=world.coordinator, data=CYCLE_2023)
    rows = [question_row(f"Q-{i:03d}", "governance", "output", "yes_no") for i in range(count)]
    questionnaire = questionnaire_import(cycle=cycle, by=world.coordinator, rows=rows)
    assign_questions(
        cycle=cycle, by=world.coordinator, questions=list(questionnaire.questions.all()), agency=world.agency_a
    )
    return cycle


# --- The evidence library ----------------------------------------------------------------------------------


def test_the_library_page_two_holds_the_older_entries_with_their_use_counts(world: World) -> None:
    add_evidence(world.agency_a, world.operator_a, 26)  # 27 with the world's own, page size 25
    client = client_for(world.coordinator)

    first = client.get(reverse("evidence:library"))
    second = client.get(reverse("evidence:library"), {"page": "2"})

    newest = list(Evidence.objects.filter(agency__region=world.region).order_by("-created_at", "-pk"))
    assert [e.pk for e in first.context["page"].object_list] == [e.pk for e in newest[:25]]
    assert [e.pk for e in second.context["page"].object_list] == [e.pk for e in newest[25:]]
    # The world's own entry is the oldest and is cited by its report: counted on the page it lands on.
    assert second.context["page"].object_list[-1].pk == world.evidence_a.pk
    assert second.context["page"].object_list[-1].use_count == 1
    assert all(e.use_count == 0 for e in first.context["page"].object_list)


def test_the_library_pages_keep_the_filter_in_their_links(world: World) -> None:
    add_evidence(world.agency_a, world.operator_a, 26)
    page = client_for(world.coordinator).get(reverse("evidence:library"), {"kind": "sk", "q": "Bukti"})
    assert page.context["page"].paginator.count == 26
    links = re.findall(r'href="\?([^"]*page=2)"', page.content.decode())
    assert links and all("q=Bukti" in link and "kind=sk" in link for link in links)


@pytest.mark.parametrize("count", [5, 15])
def test_the_library_costs_the_same_queries_whatever_its_size(
    world: World, count: int, django_assert_max_num_queries
) -> None:
    add_evidence(world.agency_a, world.operator_a, count)
    client = client_for(world.coordinator)
    client.get(reverse("evidence:library"))  # the session and the region's lookup are not what is measured
    with django_assert_max_num_queries(8):  # the page and its count, one count per registered link model
        page = client.get(reverse("evidence:library"))
    assert page.status_code == 200 and page.context["page"].paginator.count == count + 1


# --- "Laporan saya" --------------------------------------------------------------------------------------


def test_my_reports_page_two_continues_the_slots(world: World) -> None:
    add_programmes(world, 2)  # DINKES now leads three programmes: 60 slots over 2021–2025
    client = client_for(world.operator_a)

    first = client.get(reverse("masterplan:my_reports"), {"year": "all"})
    second = client.get(reverse("masterplan:my_reports"), {"year": "all", "page": "2"})

    assert first.context["page"].paginator.count == 60
    [(agency, slots)] = first.context["sections"]
    assert agency == world.agency_a and len(slots) == 50
    [(_agency, rest)] = second.context["sections"]
    assert len(rest) == 10
    shown = [(s.programme.code, s.year, s.period) for s in slots + rest]
    assert len(set(shown)) == 60  # no slot twice, none left out
    assert "?year=all&amp;page=2" in first.content.decode()


def test_my_reports_with_nothing_to_report_still_show_the_agency(world: World) -> None:
    page = client_for(world.operator_b).get(reverse("masterplan:my_reports"), {"state": "overdue", "year": "2021"})
    assert page.status_code == 200
    assert [agency for agency, _slots in page.context["sections"]] == [world.agency_b]


@pytest.mark.parametrize("count", [1, 3])
def test_my_reports_cost_the_same_queries_whatever_the_programmes(
    world: World, count: int, django_assert_max_num_queries
) -> None:
    add_programmes(world, count * 10)
    client = client_for(world.operator_a)
    client.get(reverse("masterplan:my_reports"))
    with django_assert_max_num_queries(13):
        page = client.get(reverse("masterplan:my_reports"), {"year": "all"})
    assert page.status_code == 200 and len(page.context["page"].object_list) == 50


# --- Readiness ----------------------------------------------------------------------------------------------


def test_readiness_counts_every_answer_and_pages_the_items(world: World) -> None:
    cycle = make_cycle_with_questions(world, 60)
    url = reverse("evaluations:readiness", args=[cycle.pk])
    client = client_for(world.coordinator)

    first = client.get(url)
    second = client.get(url, {"page": "2"})

    # The figures are over the whole cycle; the list of answers is paged.
    assert first.context["readiness"].totals["unanswered"] == 60
    codes = [entry.code for entry in first.context["page"].object_list]
    rest = [entry.code for entry in second.context["page"].object_list]
    assert codes == [f"Q-{i:03d}" for i in range(50)] and rest == [f"Q-{i:03d}" for i in range(50, 60)]
    assert all(entry.agency == "DINKES" for entry in second.context["page"].object_list)
    assert "Belum dijawab" in second.content.decode()


def test_readiness_items_narrow_to_a_line_and_ignore_anything_else(world: World) -> None:
    cycle = make_cycle_with_questions(world, 3)
    url = reverse("evaluations:readiness", args=[cycle.pk])
    client = client_for(world.coordinator)

    mine = client.get(url, {"skpd": "DINKES"})
    nobody = client.get(url, {"dimension": "society"})  # a dimension without a line: ignored, every item shown
    hostile = client.get(url, {"skpd": "DINKES'--", "dimension": "governance%"})

    assert mine.context["page"].paginator.count == 3 and 'data-testid="items-narrowed"' in mine.content.decode()
    assert nobody.context["page"].paginator.count == 3 and nobody.context["narrowed"] == ""
    assert hostile.status_code == 200 and hostile.context["page"].paginator.count == 3


@pytest.mark.parametrize("count", [20, 60])
def test_the_readiness_page_costs_the_same_queries_whatever_the_questionnaire(
    world: World, count: int, django_assert_max_num_queries
) -> None:
    cycle = make_cycle_with_questions(world, count)
    url = reverse("evaluations:readiness", args=[cycle.pk])
    client = client_for(world.coordinator)
    client.get(url)
    with django_assert_max_num_queries(12):  # the page of items and its count: the figures are not per row
        page = client.get(url, {"page": "2"})
    assert page.status_code == 200 and Answer.objects.filter(cycle=cycle).count() == count


# --- A bad page number on every paged list ------------------------------------------------------------------


def paged_urls(world: World) -> list[tuple[object, str]]:
    cycle = make_cycle_with_questions(world, 3)
    return [
        (world.coordinator, reverse("evidence:library")),
        (world.coordinator, reverse("masterplan:review_queue")),
        (world.operator_a, reverse("masterplan:my_reports")),
        (world.coordinator, reverse("evaluations:readiness", args=[cycle.pk])),
        (world.coordinator, reverse("evaluations:answers_review", args=[cycle.pk])),
        (world.coordinator, reverse("masterplan:programmes")),
        (world.coordinator, reverse("evaluations:followup_register")),
        (world.coordinator, reverse("agencies:people")),
    ]


def test_a_bad_page_number_gives_a_page_never_an_error(world: World) -> None:
    for user, url in paged_urls(world):
        client = client_for(user)
        for bad in BAD_PAGES:
            response = client.get(url, {"page": bad})
            assert response.status_code == 200, (url, bad)
            assert response.context["page"].number >= 1, (url, bad)
        for bad in NUL_PAGES:
            response = client.get(url, {"page": bad})
            assert response.status_code == 400 and "NUL" in response.content.decode(), (url, bad)
