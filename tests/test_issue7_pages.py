"""Pages that misled or hid work (issue 7): the log-in brand, where "Laporan saya" opens and what it counts,
history in words instead of field names and codes, and the SKPD filter in the order it reads."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agencies.audit import audit_record, describe_changes
from agencies.models import Agency, AuditEvent, Role
from agencies.selectors import agency_choices
from agencies.services import agency_create, membership_grant
from masterplan.models import Programme, ProgressReport
from masterplan.selectors.reports import SlotState, report_slots_for_years, report_work
from masterplan.services import programme_update
from masterplan.services.reports import report_approve, report_return, report_submit, report_update
from tests.conftest import Evaluation, World, client_for, make_programme, make_report, make_user

Status = ProgressReport.Status
REASON = "Bukti dukung belum lengkap: lampirkan notulen rapat."
YEARS = [2021, 2022, 2023, 2024, 2025]


def text_of(page: str) -> str:
    """The page's visible words, tags dropped and white space collapsed, as a reader sees them."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page))).strip()


def squeeze(text: str) -> str:
    # Tags inside a line leave spaces before punctuation ("Status : Draf"); readers see "Status: Draf".
    return re.sub(r"\s+([:,)])", r"\1", text)


# --- The log-in page ----------------------------------------------------------------------------------


def test_login_page_shows_the_site_name_not_the_server_address(client, settings) -> None:
    settings.SITE_NAME = "Smart City Kabupaten Uji"
    response = client.get(reverse("login"), HTTP_HOST="127.0.0.1")
    page = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)  # type: ignore[union-attr]
    brand = re.search(r'<a class="navbar-brand[^"]*"[^>]*>(.*?)</a>', page, re.S).group(1)  # type: ignore[union-attr]
    assert "Smart City Kabupaten Uji" in title and "Smart City Kabupaten Uji" in text_of(brand)
    assert "127.0.0.1" not in title and "127.0.0.1" not in brand
    assert "127.0.0.1" not in text_of(page)


def test_other_pages_keep_the_site_name_in_title_brand_and_footer(world: World, settings) -> None:
    settings.SITE_NAME = "Smart City Kabupaten Uji"
    page = client_for(world.operator_a).get(reverse("masterplan:overview")).content.decode()
    assert page.count("Smart City Kabupaten Uji") >= 3  # title, brand, footer


# --- "Laporan saya": where it opens and what it counts --------------------------------------------------


class Bappeda:
    """An SKPD whose latest year is all handed in while 2024 holds overdue and returned work.

    GOV-10 (led, 2024–2025): every 2025 quarter submitted or approved; 2024 Q1 without a report and Q2 only
    drafted (both overdue), Q3 returned, Q4 approved. SOC-09 (led by DISDIK, supported, 2021–2025): a
    supporting report returned in 2024 Q4, which counts as returned but never as overdue.
    """

    def __init__(self, world: World) -> None:
        self.agency = agency_create(by=None, region=world.region, name="Badan Perencanaan Daerah", acronym="BAPPEDA")
        self.operator = make_user("operator_bappeda")
        membership_grant(by=None, user=self.operator, region=world.region, role=Role.OPERATOR, agency=self.agency)
        self.led = make_programme(world.masterplan, self.agency, "GOV-10", start_year=2024, end_year=2025)
        self.supported = make_programme(world.masterplan, world.agency_b, "SOC-09", supporting=(self.agency,))
        coordinator = world.coordinator
        for period in (1, 2, 3, 4):
            report = self.submit(self.led, 2025, period)
            if period % 2:
                report_approve(report=report, by=coordinator)
        self.drafted = make_report(self.led, self.agency, self.operator, year=2024, period=2)
        self.returned = report_return(report=self.submit(self.led, 2024, 3), by=coordinator, reason=REASON)
        report_approve(report=self.submit(self.led, 2024, 4), by=coordinator)
        self.support_returned = report_return(
            report=self.submit(self.supported, 2024, 4), by=coordinator, reason=REASON
        )

    def submit(self, programme: Programme, year: int, period: int) -> ProgressReport:
        report = make_report(programme, self.agency, self.operator, year=year, period=period)
        return report_submit(report=report, by=self.operator)


@pytest.fixture
def bappeda(world: World) -> Bappeda:
    return Bappeda(world)


def rows_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    """Each slot row of "Laporan saya" as "CODE period-label state"."""
    page = response.content.decode()
    tables = re.findall(r'data-testid="report-slots">(.*?)</table>', page, re.S)
    rows = [text_of(row) for table in tables for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)]
    return [row for row in rows if not row.startswith("Tidak ada")]


def period_of(row: str) -> str:
    return re.search(r"TW \d \d{4}", row).group(0)  # type: ignore[union-attr]


def test_my_reports_opens_on_the_oldest_year_holding_work_not_on_the_latest(bappeda: Bappeda) -> None:
    response = client_for(bappeda.operator).get(reverse("masterplan:my_reports"))
    assert response.context["year"] == 2024
    assert '<option value="2024" selected>' in response.content.decode()
    rows = rows_of(response)
    assert any(row.startswith("GOV-10") and "TW 1 2024" in row and "Terlambat" in row for row in rows)
    assert {period_of(row)[-4:] for row in rows} == {"2024"}


def test_an_explicit_year_still_wins(bappeda: Bappeda) -> None:
    response = client_for(bappeda.operator).get(reverse("masterplan:my_reports"), {"year": "2025"})
    assert response.context["year"] == 2025
    rows = rows_of(response)
    assert rows and {period_of(row)[-4:] for row in rows} == {"2025"}


def test_with_nothing_owed_it_opens_on_the_latest_year(world: World, bappeda: Bappeda) -> None:
    for period in (1, 2):
        bappeda.submit(bappeda.led, 2024, period)
    report_update(report=bappeda.returned, by=bappeda.operator, expected_version=bappeda.returned.version, data={})
    report_submit(report=ProgressReport.objects.get(pk=bappeda.returned.pk), by=bappeda.operator)
    support = bappeda.support_returned
    report_update(report=support, by=bappeda.operator, expected_version=support.version, data={})
    report_submit(report=ProgressReport.objects.get(pk=support.pk), by=bappeda.operator)
    response = client_for(bappeda.operator).get(reverse("masterplan:my_reports"))
    assert response.context["year"] == 2025
    assert (response.context["work"].overdue, response.context["work"].returned) == (0, 0)


def test_my_reports_counts_overdue_and_returned_reports_of_every_year(bappeda: Bappeda) -> None:
    response = client_for(bappeda.operator).get(reverse("masterplan:my_reports"), {"year": "2025"})
    counts = text_of(re.search(r'data-testid="work-counts">(.*?)</div>', response.content.decode(), re.S).group(1))  # type: ignore[union-attr]
    # Worked out by hand from the fixture: 2024 Q1 (no report) and Q2 (a draft) are overdue; GOV-10 2024 Q3
    # and the supporting SOC-09 2024 Q4 are returned. Counted even though the page shows 2025.
    assert counts == "Di semua tahun: Terlambat 2 Dikembalikan 2"


def test_each_count_links_to_a_list_of_exactly_those_reports(bappeda: Bappeda) -> None:
    client = client_for(bappeda.operator)
    page = client.get(reverse("masterplan:my_reports")).content.decode()
    overdue_link = re.search(r'href="([^"]+)" data-testid="overdue-count"', page).group(1)  # type: ignore[union-attr]
    returned_link = re.search(r'href="([^"]+)" data-testid="returned-count"', page).group(1)  # type: ignore[union-attr]

    overdue = rows_of(client.get(html.unescape(overdue_link)))
    assert [(row.split()[0], period_of(row)) for row in overdue] == [("GOV-10", "TW 1 2024"), ("GOV-10", "TW 2 2024")]
    assert all("Terlambat" in row for row in overdue)

    returned = rows_of(client.get(html.unescape(returned_link)))
    assert [(row.split()[0], period_of(row)) for row in returned] == [("GOV-10", "TW 3 2024"), ("SOC-09", "TW 4 2024")]
    assert all("Dikembalikan" in row for row in returned)


def test_a_state_filter_narrows_to_a_chosen_year_and_ignores_unknown_states(bappeda: Bappeda) -> None:
    client = client_for(bappeda.operator)
    approved_2025 = rows_of(client.get(reverse("masterplan:my_reports"), {"state": "approved", "year": "2025"}))
    assert [period_of(row) for row in approved_2025] == ["TW 1 2025", "TW 3 2025"]
    assert rows_of(client.get(reverse("masterplan:my_reports"), {"state": "overdue", "year": "2025"})) == []
    unknown = client.get(reverse("masterplan:my_reports"), {"state": "<b>", "year": "all"})
    assert unknown.status_code == 200 and unknown.context["state"] == ""
    assert len(rows_of(unknown)) == 8 + 20  # every slot of GOV-10 (2024–2025) and SOC-09 (2021–2025)


def test_the_counts_match_the_slots_for_any_day(world: World, bappeda: Bappeda) -> None:
    # The counts are computed in the database; the slots in Python, period by period. They must agree on every
    # day, including within the grace days after a period (due, not yet overdue) and before a period begins.
    agencies = [bappeda.agency, world.agency_a, world.dkisp]
    for today in [
        dt.date(2024, 1, 5),
        dt.date(2024, 7, 5),
        dt.date(2024, 7, 11),
        dt.date(2025, 10, 3),
        dt.date(2026, 3, 1),
    ]:
        years = [y for y in YEARS if y <= today.year]
        work = report_work(agencies=agencies, masterplan=world.masterplan, years=years, today=today)
        slots = [
            s
            for agency in agencies
            for s in report_slots_for_years(agency=agency, masterplan=world.masterplan, years=years, today=today)
        ]
        assert work.overdue == sum(s.state == SlotState.OVERDUE for s in slots), today
        assert work.returned == sum(s.state == Status.RETURNED for s in slots), today
        owed = [s.year for s in slots if s.state in (SlotState.DUE, SlotState.OVERDUE, Status.RETURNED)]
        assert work.oldest_year == (min(owed) if owed else None), today


def test_a_period_within_its_grace_days_is_work_that_decides_the_opening_year(world: World) -> None:
    dlh = agency_create(by=None, region=world.region, name="Dinas Lingkungan Hidup", acronym="DLH")
    programme = make_programme(world.masterplan, dlh, "ENV-01", start_year=2024, end_year=2025)
    for period in (1, 2, 3):
        report_submit(report=make_report(programme, dlh, world.coordinator, year=2024, period=period), by=None)

    def work_on(today: dt.date) -> tuple[int, int | None]:
        work = report_work(agencies=[dlh], masterplan=world.masterplan, years=YEARS, today=today)
        return work.overdue, work.oldest_year

    # 2024 Q4 ended on 31 December and is due by 10 January: on the 5th it is due, on the 11th overdue, and
    # either way 2024 (not the latest year, 2025, whose first quarter is still running) holds the work.
    assert work_on(dt.date(2025, 1, 5)) == (0, 2024)
    assert work_on(dt.date(2025, 1, 11)) == (1, 2024)
    report_submit(report=make_report(programme, dlh, world.coordinator, year=2024, period=4), by=None)
    assert work_on(dt.date(2025, 1, 11)) == (0, None)


def test_my_reports_takes_a_fixed_number_of_queries(
    world: World, bappeda: Bappeda, django_assert_max_num_queries
) -> None:
    client = client_for(bappeda.operator)
    # Session, user, memberships, masterplan; the two counts; an agency's programmes and its reports. (Two
    # more than that allowed for the request middleware.)
    with django_assert_max_num_queries(10):
        client.get(reverse("masterplan:my_reports"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("masterplan:my_reports"), {"state": "overdue"})
    for n in range(5):  # more programmes, more reports, more years of them
        programme = make_programme(world.masterplan, bappeda.agency, f"GOV-2{n}", supporting=(world.agency_a,))
        bappeda.submit(programme, 2021 + n, 1)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("masterplan:my_reports"), {"state": "overdue"})
    assert len(many) == len(few)


def test_other_agencies_reports_are_not_counted(world: World, bappeda: Bappeda) -> None:
    work = report_work(agencies=[world.agency_a], masterplan=world.masterplan, years=YEARS, today=dt.date(2026, 3, 1))
    # DINKES leads only LIV-01 (2021–2025, 20 quarters) and has one draft: all 20 overdue, nothing returned.
    assert (work.overdue, work.returned, work.oldest_year) == (20, 0, 2021)


# --- History in words ------------------------------------------------------------------------------------


def history_text(world: World, report: ProgressReport, language: str = "id") -> str:
    client = client_for(world.operator_a)
    client.cookies["django_language"] = language
    response = client.get(reverse("masterplan:report_history", args=[report.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    return squeeze(text_of(re.search(r'data-testid="history">(.*?)</ol>', page, re.S).group(1)))  # type: ignore[union-attr]


@pytest.fixture
def budgeted(world: World) -> ProgressReport:
    report = world.report_a
    report = report_update(
        report=report,
        by=world.operator_a,
        expected_version=report.version,
        data={"budget_plan": Decimal("150000000.00"), "budget_realisation": Decimal("1234.50")},
    )
    return report_submit(report=report, by=world.operator_a)


def test_report_history_shows_labels_and_values_in_indonesian(world: World, budgeted: ProgressReport) -> None:
    text = history_text(world, budgeted)
    assert "Status: Draf → Diajukan" in text
    assert "Rencana anggaran (Rp): – → 150.000.000" in text
    assert "Realisasi anggaran (Rp): – → 1.234,50" in text
    assert "Realisasi: Puskesmas terhubung: – → 4" in text
    assert "Bukti dukung: – → SK Tim Smart City" in text
    assert "Narasi capaian: – → Berjalan sesuai rencana." in text
    for raw in ("budget_plan", "budget_realisation", "status:", "draft", "submitted", "150000000", "realisation:"):
        assert raw not in text


def test_report_history_follows_the_page_language(world: World, budgeted: ProgressReport) -> None:
    text = history_text(world, budgeted, "en")
    assert "Status: Draft → Submitted" in text
    assert "Budget plan (Rp): – → 150,000,000" in text
    assert "budget_plan" not in text


def test_an_approval_shows_its_status_labels(world: World, budgeted: ProgressReport) -> None:
    report = report_approve(report=budgeted, by=world.coordinator)
    text = history_text(world, report)
    assert "Status: Diajukan → Disetujui" in text


def test_programme_history_names_the_changed_fields(world: World) -> None:
    programme_update(programme=world.programme_a, by=world.coordinator, data={"status": Programme.Status.DONE})
    page = client_for(world.coordinator).get(reverse("masterplan:programme", args=[world.programme_a.pk]))
    history = squeeze(text_of(re.search(r'id="history-title">(.*?)</section>', page.content.decode(), re.S).group(1)))  # type: ignore[union-attr]
    assert "Program diubah (Status)" in history
    assert "Tahun mulai" in history and "SKPD pengampu" in history  # the creation's fields, by their labels
    for raw in ("lead_agency", "start_year", "funding_sources", "(status)"):
        assert raw not in history


def test_answer_history_shows_what_changed_in_words(evaluation: Evaluation) -> None:
    from evaluations.services.answers import answer_update

    world = evaluation.world
    answer = evaluation.yes_no
    answer_update(answer=answer, by=world.operator_a, expected_version=answer.version, data={"value_bool": True})
    page = client_for(world.operator_a).get(reverse("evaluations:answer", args=[answer.pk])).content.decode()
    assert "Ya/tidak: – → Ya" in squeeze(text_of(page))
    assert "value_bool" not in page


def describe(changes: dict[str, object], target: object = None, language: str = "id") -> list[str]:
    event = audit_record(actor=None, action="test.changed", target=target, changes=changes)  # type: ignore[arg-type]
    with translation.override(language):
        return [
            f"{line.label}: {line.old} → {line.new}" if line.is_change else f"{line.label}: {line.new}"
            for line in describe_changes(AuditEvent.objects.get(pk=event.pk))
        ]


def test_describe_changes_formats_each_kind_of_value(world: World) -> None:
    lines = describe(
        {
            "perbup_date": [None, "2025-03-31"],
            "is_active": [True, False],
            "start_year": [2021, 2022],
            "period_type": ["quarterly", "semester"],
            "title": ["", "Masterplan baru"],
        },
        target=world.masterplan,
    )
    # In the model's (the form's) order of fields, whatever order the database keeps JSON keys in.
    assert lines == [
        "Judul: – → Masterplan baru",
        "Tahun awal: 2021 → 2022",
        "Tanggal Perbup: – → 31 Maret 2025",
        "Periode pelaporan: Triwulanan → Semesteran",
        "Berlaku: Ya → Tidak",
    ]


def test_describe_changes_handles_lists_snapshots_and_keys_without_a_field(world: World) -> None:
    lines = describe(
        {
            "supporting_agencies": ["BPKPAD", "DKISP"],  # a creation's snapshot, not old → new
            "funding_sources": [["apbd"], ["apbd", "dak"]],
            "target_2024": [None, "12500.00"],
            "size": 2048,
            "ended_on": "2025-02-30",  # shaped like a date, but none
        },
        target=world.programme_a,
    )
    assert lines == [  # the model's fields first, then the other keys by name
        "Sumber pendanaan: APBD Kabupaten → APBD Kabupaten, DAK (Dana Alokasi Khusus)",
        "SKPD pendukung: BPKPAD, DKISP",
        "Ended on: 2025-02-30",
        "Size: 2.048",
        "Target 2024: – → 12.500",
    ]


def test_events_whose_target_model_is_gone_still_read(world: World) -> None:
    event = audit_record(
        actor=None,
        action="report.updated",
        target=world.report_a,
        changes={"evidence": [[], ["SK Tim"]], "budget_plan": [None, "150000000.00"], "ended_on": "2025-01-31"},
    )
    gone = ContentType.objects.create(app_label="retired", model="oldreport")
    AuditEvent.objects.filter(pk=event.pk).update(target_type=gone)
    with translation.override("id"):
        lines = describe_changes(AuditEvent.objects.get(pk=event.pk))
    assert [(line.label, line.old, line.new) for line in lines] == [
        ("Budget plan", "–", "150.000.000"),
        ("Ended on", None, "31 Januari 2025"),
        ("Bukti dukung", "–", "SK Tim"),
    ]
    AuditEvent.objects.filter(pk=event.pk).update(target_type=None)
    assert len(describe_changes(AuditEvent.objects.get(pk=event.pk))) == 3


# --- The SKPD filters, in the order they read ----------------------------------------------------------------


def option_labels(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)  # type: ignore[union-attr]
    return [
        html.unescape(label).strip()
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>(.*?)</option>', select)
        if value
    ]


def test_the_review_queues_skpd_filter_is_in_alphabetical_order_of_its_labels(world: World) -> None:
    # By name these would read DINKES, DKISP, DISDIK (Kesehatan, Komunikasi, Pendidikan); "bappeda" was typed
    # in lower case and "ZZ" belongs to an agency whose name sorts first.
    agency_create(by=None, region=world.region, name="Zona Ekonomi", acronym="bappeda")
    agency_create(by=None, region=world.region, name="Badan Arsip", acronym="ZZ")
    page = client_for(world.coordinator).get(reverse("masterplan:review_queue")).content.decode()
    labels = option_labels(page, "agency")
    assert labels == ["bappeda", "DINKES", "DISDIK", "DKISP", "ZZ"]


def test_the_programme_lists_lead_skpd_filter_is_in_alphabetical_order_too(world: World) -> None:
    Agency.objects.filter(pk=world.dkisp.pk).update(is_active=False)  # history keeps inactive agencies choosable
    page = client_for(world.coordinator).get(reverse("masterplan:programmes")).content.decode()
    assert option_labels(page, "lead_agency") == ["DINKES", "DISDIK", "DKISP"]
    assert [a.acronym for a in agency_choices(region=world.region)] == ["DINKES", "DISDIK"]
