"""The Kabupaten Banjar demo loader and its two commands, load_demo and demo_logins."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import shutil
import subprocess
from collections.abc import Callable, Iterator
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models, transaction
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from agencies.models import Agency, AuditEvent, Membership, NationalStaff, Region, Role
from common.uploads import inspect_upload
from evaluations.models import (
    Answer,
    AnswerEvidence,
    AssessmentNote,
    Assignment,
    EvaluationCycle,
    FollowUpItem,
    FollowUpTask,
    Lens,
    Meeting,
    MeetingInvitation,
    Question,
    Questionnaire,
    Score,
)
from evaluations.selectors import cycle_indices
from evaluations.selectors.followup import earlier_items_by_question, open_items_for_cycle
from evidence.models import Evidence, StoredFile
from masterplan.framework import ensure_framework
from masterplan.models import (
    Dimension,
    Element,
    Indicator,
    IndicatorRealisation,
    IndicatorTarget,
    Masterplan,
    Programme,
    ProgressReport,
)
from masterplan.selectors.chasing import late_agencies
from masterplan.selectors.reports import SlotState, report_slots
from smartcity.demo import files, loader, people, stories
from smartcity.demo import followup as demo_followup
from smartcity.demo import kediri as demo_kediri
from smartcity.demo import programmes as demo_programmes
from smartcity.demo import questions as demo_questions
from smartcity.demo.loader import plan as plan_loader
from smartcity.demo.loader import reports as report_loader

COUNTED: tuple[type[models.Model], ...] = (
    Region,
    Agency,
    Membership,
    Masterplan,
    Programme,
    Indicator,
    IndicatorTarget,
    ProgressReport,
    IndicatorRealisation,
    Evidence,
    StoredFile,
    EvaluationCycle,
    Questionnaire,
    Question,
    Assignment,
    Answer,
    AnswerEvidence,
    Score,
    AssessmentNote,
    Meeting,
    MeetingInvitation,
    FollowUpItem,
    FollowUpTask,
    AuditEvent,
    get_user_model(),
)
Status = ProgressReport.Status
BANJAR = "6303"  # the demo's main region (Kota Kediri, 3571, has a 2023 Tahap I cycle of its own)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def migrated_framework() -> None:
    """The six dimensions and eighteen elements as `migrate` wrote them: a transactional test that ran earlier in
    this worker flushed every table, and the demo (rightly) refuses to load into a database without them."""
    ensure_framework(Dimension, Element)


@pytest.fixture(autouse=True)
def _migrated_framework(request: pytest.FixtureRequest) -> None:
    if "db" in request.fixturenames:
        request.getfixturevalue("db")
        migrated_framework()


@pytest.fixture(scope="class")
def demo_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="class")
def after_commit() -> list[Callable[[], object]]:
    """What the class's load left to run once its transaction commits (mail, for one)."""
    return []


@pytest.fixture(scope="class")
def loaded(
    django_db_setup: None, django_db_blocker: Any, demo_media: Path, after_commit: list[Callable[[], object]]
) -> Iterator[dict[str, int]]:
    """The demo, loaded once for a whole test class (a load takes seconds) and rolled back after it.

    Each test still runs in its own savepoint (the `db` fixture below), so a test that changes rows leaves
    the next one the demo as loaded.
    """
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=demo_media), transaction.atomic():
        migrated_framework()
        with TestCase.captureOnCommitCallbacks() as callbacks:
            counts = loader.load()
        after_commit.extend(callbacks)
        yield counts
        transaction.set_rollback(True)


class TestTheLoadedDemo:
    @pytest.fixture(autouse=True)
    def _each_test_in_a_savepoint(
        self, loaded: dict[str, int], db: None, _media_root: None, settings: Any, demo_media: Path
    ) -> None:
        settings.MEDIA_ROOT = demo_media  # where the class's load stored the evidence files

    def test_it_creates_what_it_promises(self, loaded: dict[str, int]) -> None:
        # Banjar, and Kota Kediri: a second, small region with one cycle of its own six questions.
        assert loaded["regions"] == 2
        assert loaded["agencies"] == len(people.AGENCIES) + len(demo_kediri.AGENCIES) == Agency.objects.count()
        assert loaded["users"] == len(people.USERS) + len(demo_kediri.USERS)
        assert loaded["masterplans"] == 1
        assert loaded["programmes"] == len(demo_programmes.PROGRAMMES) == Programme.objects.count()
        assert loaded["indicators"] == Indicator.objects.count()
        assert loaded["updated"] == 0
        assert loaded["cycles"] == EvaluationCycle.objects.count() == 3 + 1
        assert loaded["questionnaires"] == Questionnaire.objects.count() == 1 + 1
        kediri_questions = len(demo_kediri.QUESTIONS)
        assert loaded["questions"] == Question.objects.count() == len(demo_questions.QUESTIONS) + kediri_questions
        assert loaded["answers"] == Answer.objects.count() == 3 * len(demo_questions.QUESTIONS) + kediri_questions
        assert loaded["scores"] == Score.objects.count()
        assert loaded["notes"] == AssessmentNote.objects.count()
        region = Region.objects.get(bps_code="6303")
        assert (region.name, region.province, region.seat) == ("Kabupaten Banjar", "Kalimantan Selatan", "Martapura")

    def test_its_made_up_history_mails_no_one(
        self, loaded: dict[str, int], after_commit: list[Callable[[], object]]
    ) -> None:
        assert loaded["reports"] > 0 and loaded["answers"] > 0  # steps that notify when people take them
        assert after_commit == []

    def test_a_second_load_changes_nothing(self, loaded: dict[str, int]) -> None:
        before = row_counts()
        states = set(ProgressReport.objects.values_list("pk", "status", "version"))
        answers = set(Answer.objects.values_list("pk", "status", "version"))
        scores = set(Score.objects.values_list("pk", "value", "note"))
        items = set(FollowUpItem.objects.values_list("pk", "status", "version"))
        tasks = set(FollowUpTask.objects.values_list("pk", "status", "version", "due_on"))
        meetings = set(Meeting.objects.values_list("pk", "status", "version"))
        invitations = set(MeetingInvitation.objects.values_list("pk", "response", "attended"))

        again = loader.load()

        assert set(again.values()) == {0}
        assert row_counts() == before
        assert set(ProgressReport.objects.values_list("pk", "status", "version")) == states
        assert set(Answer.objects.values_list("pk", "status", "version")) == answers
        assert set(Score.objects.values_list("pk", "value", "note")) == scores
        assert set(FollowUpItem.objects.values_list("pk", "status", "version")) == items
        assert set(FollowUpTask.objects.values_list("pk", "status", "version", "due_on")) == tasks
        assert set(Meeting.objects.values_list("pk", "status", "version")) == meetings
        assert set(MeetingInvitation.objects.values_list("pk", "response", "attended")) == invitations

    def test_it_brings_changed_rows_back_in_line_and_audits_only_that(self, loaded: dict[str, int]) -> None:
        programme = Programme.objects.get(code="GOV-02")
        Programme.objects.filter(pk=programme.pk).update(status=Programme.Status.PLANNED)
        programme.supporting_agencies.clear()
        target = IndicatorTarget.objects.filter(indicator__programme=programme).first()
        IndicatorTarget.objects.filter(pk=target.pk).update(value=1)
        events = AuditEvent.objects.count()

        again = loader.load()

        assert again["updated"] == 2
        assert AuditEvent.objects.count() == events + 2
        programme.refresh_from_db()
        assert programme.status == Programme.Status.RUNNING
        assert programme.supporting_agencies.count() > 0
        target.refresh_from_db()
        assert target.value > 1

    def test_the_masterplan_is_adopted_by_perbup_with_quarterly_reporting(self, loaded: dict[str, int]) -> None:
        masterplan = Masterplan.objects.get()
        assert masterplan.title == "Masterplan Smart City Kabupaten Banjar 2021–2025"
        assert (masterplan.start_year, masterplan.end_year) == (2021, 2025)
        assert masterplan.perbup_number.startswith("Peraturan Bupati Banjar Nomor")
        assert masterplan.perbup_date is not None
        assert masterplan.period_type == "quarterly"

    def test_programmes_cover_all_18_elements(self, loaded: dict[str, int]) -> None:
        assert Programme.objects.count() >= 40
        covered = set(Programme.objects.values_list("element__code", flat=True))
        assert covered == set(Element.objects.values_list("code", flat=True))
        assert len(covered) == 18

    def test_programmes_mix_terms_statuses_and_funding(self, loaded: dict[str, int]) -> None:
        programmes = list(Programme.objects.all())
        assert {p.term for p in programmes} == set(Programme.Term.values)
        assert {p.status for p in programmes} == set(Programme.Status.values)
        assert all(p.funding_sources for p in programmes)
        assert all(2021 <= p.start_year <= p.end_year <= 2030 for p in programmes)
        assert sum(p.is_quick_win for p in programmes) >= 2

    def test_every_indicator_has_a_baseline_and_a_target_for_each_programme_year(self, loaded: dict[str, int]) -> None:
        for programme in Programme.objects.prefetch_related("indicators__targets"):
            indicators = list(programme.indicators.all())
            assert 1 <= len(indicators) <= 3, programme.code
            for indicator in indicators:
                assert indicator.baseline is not None
                assert indicator.baseline_year == 2020
                assert [t.year for t in indicator.targets.all()] == list(programme.years), indicator

    def test_gebraks_is_a_sanitation_quick_win(self, loaded: dict[str, int]) -> None:
        gebraks = Programme.objects.get(name__startswith="Gebraks")
        assert gebraks.name == "Gebraks (Gerakan Bersama Realisasi Aksi Sanitasi)"
        assert gebraks.is_quick_win
        assert gebraks.element.code == "waste"
        assert gebraks.lead_agency.acronym in {"DISPERKIM", "PUPR"}
        assert gebraks.supporting_agencies.filter(acronym="DINKES").exists()
        assert "jamban apung" in gebraks.description

    def test_mpp_barokah_is_public_service_led_by_dpmptsp(self, loaded: dict[str, int]) -> None:
        mpp = Programme.objects.get(name__contains="Barokah", element__code="public-service")
        assert mpp.lead_agency.acronym == "DPMPTSP"
        assert mpp.element.dimension.code == "governance"
        assert mpp.status == Programme.Status.DONE
        assert "29 Januari 2020" in mpp.description

    def test_dkisp_succeeds_the_inactive_diskominfo(self, loaded: dict[str, int]) -> None:
        dkisp = Agency.objects.get(acronym="DKISP")
        assert dkisp.is_active
        assert dkisp.predecessor is not None
        assert dkisp.predecessor.acronym == "DISKOMINFO"
        assert not dkisp.predecessor.is_active

    def test_agencies_use_the_right_kinds(self, loaded: dict[str, int]) -> None:
        kinds = dict(Agency.objects.values_list("acronym", "kind"))
        assert kinds["SETDA"] == Agency.Kind.SEKRETARIAT
        assert kinds["INSPEKTORAT"] == Agency.Kind.INSPEKTORAT
        assert kinds["BAPPEDALITBANG"] == Agency.Kind.BADAN
        assert kinds["SATPOL PP"] == Agency.Kind.SATUAN
        assert kinds["BAG HUKUM"] == Agency.Kind.BAGIAN
        assert kinds["KEC GAMBUT"] == Agency.Kind.KECAMATAN
        assert kinds["KEL SEKUMPUL"] == Agency.Kind.KELURAHAN
        assert kinds["RSUD RZ"] == Agency.Kind.RSUD

    def test_each_demo_login_has_its_role(self, loaded: dict[str, int]) -> None:
        users = {u.username: u for u in get_user_model().objects.all()}
        assert all(u.check_password(people.DEMO_PASSWORD) for u in users.values())
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
            # Banjar's roles: the assessor also assesses Kota Kediri (test_the_second_region_…).
            membership = Membership.objects.select_related("agency").get(user=users[username], region__bps_code="6303")
            assert membership.role == role
            assert (membership.agency.acronym if membership.agency else None) == acronym
            assert not users[username].is_staff

    def test_the_second_region_and_the_national_staff_make_the_national_view(self, loaded: dict[str, int]) -> None:
        users = {u.username: u for u in get_user_model().objects.all()}
        national = users["nasional"]
        assert NationalStaff.objects.get(user=national).is_active and not national.is_superuser
        assert not national.memberships.exists()  # no region of its own: the national view only
        kediri = Region.objects.get(bps_code="3571")
        cycle = EvaluationCycle.objects.get(region=kediri)
        assert cycle.is_locked and list(cycle.assessors.all()) == [users["asesor"]]
        # The national staff sent Banjar's assessor there: his Kediri role came with it, both audited as theirs.
        assert set(Membership.objects.filter(user=users["asesor"]).values_list("region__bps_code", flat=True)) == {
            "6303",
            "3571",
        }
        sent = AuditEvent.objects.get(action="cycle.assessors", target_id=str(cycle.pk))
        assert sent.actor == national
        assert cycle_indices(cycle).complete
        client = Client()
        client.force_login(national)
        page = client.get(reverse("evaluations:national"), {"year": 2023})
        assert page.status_code == 200
        assert {row.region.name for row in page.context["rows"] if row.cycle} == {"Kabupaten Banjar", "Kota Kediri"}
        client.force_login(users["asesor"])
        queue = client.get(reverse("evaluations:assessment_list"))
        assert {c.region.name for c in queue.context["cycles"]} == {"Kabupaten Banjar", "Kota Kediri"}

    def test_demo_logins_prints_every_demo_username(self, loaded: dict[str, int]) -> None:
        out = StringIO()

        call_command("demo_logins", stdout=out)

        text = out.getvalue()
        for username in ("admin", "dkisp", "op.dpmptsp", "op.dinkes", "kepala.dpmptsp", "asesor", "nasional"):
            assert username in text
        assert people.DEMO_PASSWORD in text
        assert "(not loaded)" not in text

    def test_demo_logins_hides_a_changed_password(self, loaded: dict[str, int]) -> None:
        admin = get_user_model().objects.get(username="admin")
        admin.set_password("something-private")
        admin.save()
        out = StringIO()

        call_command("demo_logins", stdout=out)

        admin_line = next(line for line in out.getvalue().splitlines() if line.startswith("admin "))
        assert "(changed)" in admin_line
        assert people.DEMO_PASSWORD not in admin_line

    # --- Progress reports --------------------------------------------------------------------------------

    def test_reports_in_every_status_are_created_through_the_workflow(self, loaded: dict[str, int]) -> None:
        statuses = {status: ProgressReport.objects.filter(status=status).count() for status in Status.values}

        assert all(statuses.values()), statuses
        assert statuses[Status.APPROVED] > sum(statuses.values()) / 2  # older periods are mostly approved
        assert loaded["reports"] == ProgressReport.objects.count()
        # Every report was opened, and every decision taken, by a service that audited it.
        assert AuditEvent.objects.filter(action="report.created").count() == ProgressReport.objects.count()
        assert AuditEvent.objects.filter(action="report.approved").count() >= statuses[Status.APPROVED]

    def test_reports_come_from_several_skpds_over_the_last_two_years(self, loaded: dict[str, int]) -> None:
        masterplan = Masterplan.objects.get()
        today = timezone.localdate()
        last = min(today.year, masterplan.end_year)

        years = set(ProgressReport.objects.values_list("year", flat=True))
        agencies = set(ProgressReport.objects.values_list("agency__acronym", flat=True))

        assert years == {last - 1, last}
        assert {"DPMPTSP", "DINKES", "DKISP"} <= agencies
        assert len(agencies) >= 5
        assert ProgressReport.objects.values("programme").distinct().count() >= 10

    def test_an_approved_report_was_reopened_with_a_reason(self, loaded: dict[str, int]) -> None:
        event = AuditEvent.objects.get(action="report.reopened")

        assert event.actor is not None
        assert event.actor.get_username() == "dkisp"
        assert len(event.reason) >= 10
        report = ProgressReport.objects.get(pk=event.target_id)
        assert report.status in {Status.SUBMITTED, Status.RETURNED}

    def test_dinkes_has_a_returned_report_with_a_reason_its_operator_can_act_on(self, loaded: dict[str, int]) -> None:
        operator = get_user_model().objects.get(username="op.dinkes")
        agency = Membership.objects.get(user=operator).agency

        returned = ProgressReport.objects.filter(agency=agency, status=Status.RETURNED)

        assert returned.exists()
        assert all("Bukti dukung" in report.return_reason for report in returned)
        submitted_by = AuditEvent.objects.filter(action="report.submitted", target_id=str(returned[0].pk))
        assert submitted_by.get().actor == operator

    def test_submitted_reports_wait_in_dkisp_review_queue(self, loaded: dict[str, int]) -> None:
        client = Client()
        client.force_login(get_user_model().objects.get(username="dkisp"))

        response = client.get(reverse("masterplan:review_queue"))

        assert response.status_code == 200
        waiting = ProgressReport.objects.filter(status=Status.SUBMITTED)
        assert waiting.count() >= 3
        assert response.context["page"].paginator.count == waiting.count()

    def test_a_lead_programme_is_overdue(self, loaded: dict[str, int]) -> None:
        masterplan = Masterplan.objects.get()
        today = timezone.localdate()
        overdue = [
            slot
            for agency in Agency.objects.filter(acronym__in={plan.agency for plan in stories.REPORT_PLANS})
            for year in report_loader.report_years(masterplan, today)
            for slot in report_slots(agency=agency, masterplan=masterplan, year=year, today=today)
            if slot.state == SlotState.OVERDUE and slot.programme.code in {"GOV-07", "ENV-02"}
        ]

        assert overdue
        assert all(slot.role == "lead" and slot.report is None for slot in overdue)

    def test_realisations_are_plausible_against_the_year_targets(self, loaded: dict[str, int]) -> None:
        realisations = IndicatorRealisation.objects.select_related("report", "indicator")
        assert realisations.count() >= ProgressReport.objects.count()
        targets = {(t.indicator_id, t.year): t.value for t in IndicatorTarget.objects.all()}
        for realisation in realisations:
            target = targets[(realisation.indicator_id, realisation.report.year)]
            baseline = realisation.indicator.baseline or Decimal(0)
            # Between the baseline and a little beyond the target (the reopened slip reaches 1.35 x target).
            low, high = sorted((baseline, target))
            assert low * Decimal("0.5") <= realisation.value <= high * Decimal("1.5") + 1, realisation

    def test_reports_carry_texts_and_budgets_in_rupiah(self, loaded: dict[str, int]) -> None:
        for report in ProgressReport.objects.exclude(status=Status.DRAFT):
            assert report.narrative.startswith("Pada ")
            assert report.obstacles and report.follow_up
            assert report.budget_plan is not None and report.budget_realisation is not None
            assert 0 < report.budget_realisation <= report.budget_plan
            assert report.evidence.exists()

    # --- Evidence ----------------------------------------------------------------------------------------

    def test_evidence_has_several_kinds_and_an_expired_document(self, loaded: dict[str, int]) -> None:
        kinds = set(Evidence.objects.values_list("kind", flat=True))

        assert len(kinds) >= 4
        assert {"sk", "minutes", "attendance", "photo", "dpa", "perbup"} <= kinds
        assert any(evidence.is_expired for evidence in Evidence.objects.exclude(valid_until=None))
        assert Evidence.objects.exclude(document_number="").filter(document_number__contains="188.45/").exists()
        assert loaded["evidence"] == Evidence.objects.count()

    def test_every_reporting_skpd_has_its_own_library(self, loaded: dict[str, int]) -> None:
        for acronym in {plan.agency for plan in stories.REPORT_PLANS}:
            assert Evidence.objects.filter(agency__acronym=acronym).count() >= 5, acronym
        # The Perbup sits in two libraries but is stored once.
        perbup = Evidence.objects.filter(kind="perbup")
        assert perbup.count() == 2
        assert perbup.values("stored_file").distinct().count() == 1

    def test_every_evidence_file_passes_the_upload_checks(self, loaded: dict[str, int]) -> None:
        stored = list(StoredFile.objects.all())
        assert {s.content_type for s in stored} >= {"application/pdf", "image/jpeg", "image/png"}
        for blob in stored:
            with blob.file.open("rb") as handle:
                inspected = inspect_upload(File(handle, name=Path(blob.file.name).name))
            assert (inspected.sha256, inspected.content_type) == (blob.sha256, blob.content_type)
            assert blob.size <= 50 * 1024

    def test_pdfs_are_pdfs_and_photos_open_with_pillow(self, loaded: dict[str, int]) -> None:
        for blob in StoredFile.objects.all():
            data = blob.file.open("rb").read()
            blob.file.close()
            if blob.content_type == "application/pdf":
                assert data.startswith(b"%PDF-")
                assert data.rstrip().endswith(b"%%EOF")
            elif blob.is_image:
                with Image.open(io.BytesIO(data)) as image:
                    image.load()
                    assert image.width >= 320

    # --- Evaluation --------------------------------------------------------------------------------------

    def test_the_questionnaire_covers_every_dimension_lens_and_kind(self, loaded: dict[str, int]) -> None:
        questions = list(Questionnaire.objects.get(region__bps_code=BANJAR).questions.all())

        assert 40 <= len(questions) <= 60
        assert {q.dimension.code for q in questions} == {d.code for d in Dimension.objects.all()}
        assert {q.lens for q in questions} == set(Lens.values)
        assert {q.kind for q in questions} == set(Question.Kind.values)
        assert sum(q.evidence_required for q in questions) > len(questions) / 2
        for question in questions:
            question.full_clean()  # five criteria per level question, two or more choices per choice question
        texts = {q.code: q.text for q in questions}
        assert "Peraturan Bupati" in texts["SG-01"]
        assert "Dewan Smart City dan Tim Pelaksana" in texts["SG-02"]

    def test_the_2023_cycle_is_answered_verified_locked_and_assessed(self, loaded: dict[str, int]) -> None:
        cycle = EvaluationCycle.objects.get(region__bps_code=BANJAR, year=2023, stage="Tahap I")
        questions = Question.objects.filter(questionnaire=cycle.questionnaire)

        assert cycle.is_locked
        assert (cycle.meeting_date, cycle.meeting_place) == (dt.date(2023, 6, 12), "Surabaya, Jawa Timur")
        assert cycle.weights == {"baseline": 10, "output": 20, "outcome": 30, "impact": 20, "quick_win": 20}
        assert cycle.letter_number.startswith("B-")
        assert set(cycle.answers.values_list("status", flat=True)) == {Answer.Status.VERIFIED}
        assert cycle.answers.count() == questions.count() == cycle.assignments.count()
        for answer in cycle.answers.select_related("question").prefetch_related("evidence"):
            assert answer.has_value, answer
            assert answer.evidence.exists() or not answer.question.evidence_required, answer
        assert cycle.scores.count() == questions.count()
        level_scores = cycle.scores.filter(question__kind=Question.Kind.LEVEL).values_list("value", flat=True)
        assert all(value == value.to_integral_value() for value in level_scores)
        assert cycle.assessors.filter(username="asesor").exists()
        indices = cycle_indices(cycle)
        assert indices.complete
        assert Decimal(3) <= indices.final <= Decimal("3.6")

    def test_the_2023_assessment_has_notes_per_dimension_and_overall(self, loaded: dict[str, int]) -> None:
        cycle = EvaluationCycle.objects.get(region__bps_code=BANJAR, year=2023, stage="Tahap I")
        notes = list(cycle.notes.all())

        assert len(notes) == Dimension.objects.count() + 1
        assert all(n.strengths and n.weaknesses and n.recommendations for n in notes)
        overall = cycle.notes.get(dimension=None)
        assert "bukti dukung yang valid dan lengkap" in overall.weaknesses
        for topic in ("Perbup", "Dewan", "forum", "APBD", "SPBE"):
            assert topic in overall.recommendations, topic
        assert AuditEvent.objects.filter(action="note.saved", actor__username="asesor").count() == len(notes)

    def test_a_2023_answer_was_returned_for_missing_evidence_then_verified(self, loaded: dict[str, int]) -> None:
        returned = [
            (event, Answer.objects.select_related("cycle").get(pk=event.target_id))
            for event in AuditEvent.objects.filter(action="answer.returned").select_related("actor")
        ]
        (event, answer), *_ = [(e, a) for e, a in returned if a.cycle.year == 2023]

        assert event.actor.get_username() == "dkisp"
        assert "bukti dukung" in event.reason
        assert answer.status == Answer.Status.VERIFIED
        assert answer.evidence.count() >= 2  # the notulen came with the second submission

    def test_the_2024_cycle_is_carried_forward_and_about_half_done(self, loaded: dict[str, int]) -> None:
        cycle = EvaluationCycle.objects.get(region__bps_code=BANJAR, year=2024, stage="Tahap I")
        answers = Answer.objects.filter(cycle=cycle)
        statuses = {status: answers.filter(status=status).count() for status in Answer.Status.values}

        assert cycle.previous is not None and cycle.previous.year == 2023
        assert not cycle.is_locked
        assert cycle.meeting_place.startswith("Denpasar")
        assert cycle.meeting_date.year == 2024 and cycle.meeting_date.month == 6
        carried_drafts = answers.filter(status=Answer.Status.DRAFT, carried_from__cycle=cycle.previous)
        assert carried_drafts.count() == statuses[Answer.Status.DRAFT] >= 10
        assert all(answer.has_value for answer in carried_drafts.select_related("question"))
        assert AnswerEvidence.objects.filter(answer__in=carried_drafts, carried=True).exists()
        assert statuses[Answer.Status.SUBMITTED] and statuses[Answer.Status.VERIFIED]
        assert statuses[Answer.Status.RETURNED] == 1
        assert len(answers.get(status=Answer.Status.RETURNED).return_reason) >= 10
        assert 0.3 <= statuses[Answer.Status.DRAFT] / answers.count() <= 0.7
        assert not cycle.scores.exists()

    def test_2023_tahap_ii_is_locked_with_a_reason_and_half_scored(self, loaded: dict[str, int]) -> None:
        cycle = EvaluationCycle.objects.get(region__bps_code=BANJAR, year=2023, stage="Tahap II")
        first = EvaluationCycle.objects.get(region__bps_code=BANJAR, year=2023, stage="Tahap I")
        answers = Answer.objects.filter(cycle=cycle)

        assert cycle.is_locked and cycle.previous == first
        untouched = [a for a in answers.select_related("agency") if a.is_carried_untouched]
        assert untouched and {a.agency.acronym for a in untouched} == {demo_questions.STAGE_TWO_UNTOUCHED}
        assert answers.filter(status=Answer.Status.VERIFIED).count() == answers.count() - len(untouched)
        lock = AuditEvent.objects.get(action="cycle.locked", target_id=str(cycle.pk))
        assert lock.reason == demo_questions.STAGE_TWO_LOCK_REASON and lock.changes["carried_untouched"] == 3
        indices = cycle_indices(cycle)
        assert not indices.complete and 0.4 <= indices.scored / indices.total <= 0.6
        assert set(cycle.scores.values_list("scored_by__username", flat=True)) == {"asesor"}
        assert cycle_indices(first).complete  # Tahap I stays fully assessed
        client = Client()
        client.force_login(get_user_model().objects.get(username="asesor"))
        overview = client.get(reverse("evaluations:assessment", args=[cycle.pk])).content.decode()
        assert 'data-state="provisional"' in overview and "29 dari 53 dinilai" in overview
        society = client.get(reverse("evaluations:assessment_dimension", args=[cycle.pk, "society"])).content.decode()
        assert "dari 2023, belum diperiksa" in society

    # --- Follow-up: the preparation meeting, the register and the SKPDs to chase --------------------------

    def test_the_2024_preparation_meeting_was_held_with_minutes_in_dkisps_library(self, loaded: dict[str, int]) -> None:
        meeting = Meeting.objects.get(title=demo_followup.PREPARATION.title)

        assert meeting.kind == Meeting.Kind.PREPARATION and meeting.cycle.year == 2024
        assert meeting.status == Meeting.Status.HELD
        assert meeting.starts_at < timezone.now() and meeting.invitations_sent_at < meeting.starts_at
        assert (meeting.minutes.kind, meeting.minutes.agency.acronym) == (Evidence.Kind.MINUTES, "DKISP")
        assert meeting.attendance_list.kind == Evidence.Kind.ATTENDANCE
        with meeting.minutes.stored_file.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
        invitations = {i.agency.acronym: i for i in meeting.invitations.select_related("agency")}
        assert invitations["BAPPEDALITBANG"].head_required
        responses = {i.response for i in invitations.values()}
        assert {MeetingInvitation.Response.HEAD, MeetingInvitation.Response.DELEGATE} <= responses
        assert MeetingInvitation.Response.DECLINED in responses
        assert invitations["DPMPTSP"].attendee_name and invitations["DPMPTSP"].attendee_position
        assert all(i.attended is not None for i in invitations.values())
        assert not invitations["DISDIK"].attended and invitations["BPBD"].attended
        decisions = FollowUpItem.objects.filter(meeting=meeting, source=FollowUpItem.Source.DECISION)
        assert decisions.count() == len(demo_followup.DECISIONS)
        assert all(item.tasks.exists() for item in decisions)
        assert loaded["meetings"] == Meeting.objects.count() == 2

    def test_a_coming_rakor_was_answered_through_the_live_workflow(self, loaded: dict[str, int]) -> None:
        rakor = Meeting.objects.get(title=demo_followup.RAKOR.title)

        assert rakor.status == Meeting.Status.PLANNED and rakor.starts_at > timezone.now()
        assert rakor.invitations_sent_at is not None
        responses = set(rakor.invitations.values_list("response", flat=True))
        assert responses == set(MeetingInvitation.Response.values)
        answered = AuditEvent.objects.filter(action="meeting.responded", target_id=str(rakor.pk))
        assert answered.count() == 3

    def test_open_2023_items_reach_the_2024_readiness_check_and_its_assessors(self, loaded: dict[str, int]) -> None:
        second = EvaluationCycle.objects.get(
            region__bps_code=BANJAR, year=demo_questions.CYCLE_2024.year, stage=demo_questions.CYCLE_2024.stage
        )
        still_open = open_items_for_cycle(second)
        assert len(still_open) >= 4
        assert {code for entry in still_open for code in entry.codes} >= {"SE-05", "SS-03", "SEN-03"}
        assert all(entry.year == 2023 for entry in still_open)
        # The done item about SL-01 is no longer "open", but the assessors still see it beside the question.
        sl01 = Question.objects.filter(questionnaire_id=second.questionnaire_id, code="SL-01")
        beside = earlier_items_by_question(second, sl01)
        assert {item.status for item in beside[sl01.get().pk]} >= {FollowUpItem.Status.DONE}
        assert (
            Agency.objects.exclude(phone="").filter(is_active=True).count()
            == Agency.objects.filter(is_active=True).count()
        )

    def test_the_2023_recommendations_are_followed_up_in_every_state(self, loaded: dict[str, int]) -> None:
        first = EvaluationCycle.objects.get(region__bps_code=BANJAR, year=2023, stage=demo_questions.CYCLE_2023.stage)
        items = FollowUpItem.objects.filter(cycle=first)

        assert set(items.values_list("status", flat=True)) == set(FollowUpItem.Status.values)
        assert set(items.values_list("source", flat=True)) == {"weakness", "recommendation"}
        assert all(item.tasks.exists() for item in items)
        for item in items.filter(status=FollowUpItem.Status.OPEN):
            assert not item.tasks.exclude(status=FollowUpTask.Status.OPEN).exists()
        for item in items.filter(status=FollowUpItem.Status.IN_PROGRESS):
            assert item.tasks.filter(status=FollowUpTask.Status.IN_PROGRESS).exclude(report="").exists()
        for item in items.filter(status=FollowUpItem.Status.DONE):
            for task in item.tasks.all():
                assert task.status == FollowUpTask.Status.DONE and task.report
                assert task.evidence.exists()
                assert set(task.evidence.values_list("agency_id", flat=True)) == {task.agency_id}
        assert all(item.drop_reason for item in items.filter(status=FollowUpItem.Status.DROPPED))
        # Some tasks are overdue on the load day, some still ahead: the dashboard has something to chase.
        today = timezone.localdate()
        due = list(FollowUpTask.objects.filter(item__cycle=first).values_list("due_on", flat=True))
        assert min(due) < today < max(due)
        assert loaded["followup items"] == FollowUpItem.objects.count()

    def test_a_2024_decision_repeats_a_2023_recommendation_and_shows_as_recurring(self, loaded: dict[str, int]) -> None:
        recurring = FollowUpItem.objects.filter(recurs__isnull=False).select_related("recurs__cycle", "cycle")

        assert recurring.exists()
        for item in recurring:
            assert item.cycle.year == 2024 and item.recurs.cycle.year == 2023
            assert item.text == item.recurs.text

    def test_two_skpds_are_late_with_their_reports_and_one_is_up_to_date(self, loaded: dict[str, int]) -> None:
        region = Region.objects.get(bps_code="6303")
        late = {entry.agency.acronym: entry for entry in late_agencies(region=region, today=timezone.localdate())}

        assert len(late) >= 2
        assert all(entry.late_count > 0 for entry in late.values())
        assert {"DKISP", "BPBD"} <= late.keys()  # the LATE stories leave their latest periods unreported
        leads = set(Programme.objects.values_list("lead_agency__acronym", flat=True))
        assert "SATPOL PP" in leads - late.keys()

    def test_every_skpd_that_answers_has_an_operator_login(self, loaded: dict[str, int]) -> None:
        answering = set(Assignment.objects.values_list("agency__acronym", flat=True))
        operators = set(
            Membership.objects.filter(role=Role.OPERATOR, is_active=True).values_list("agency__acronym", flat=True)
        )

        assert answering <= operators
        # Each answer was submitted by an operator of its own SKPD, as the permission rules require.
        submitted = list(AuditEvent.objects.filter(action="answer.submitted").select_related("actor"))
        agency_of = dict(Answer.objects.values_list("pk", "agency_id"))
        for event in submitted:
            own = event.actor.memberships.filter(agency_id=agency_of[int(event.target_id)], role=Role.OPERATOR)
            assert own.exists(), event


def test_the_generated_files_are_the_same_bytes_on_every_run() -> None:
    pdf = files.pdf_document(title="Notulen Rapat – Triwulan I", agency="Dinas Kesehatan", lines=["(uji) \\ coba"])

    assert pdf == files.pdf_document(
        title="Notulen Rapat – Triwulan I", agency="Dinas Kesehatan", lines=["(uji) \\ coba"]
    )
    assert files.photo_jpeg("Foto A") == files.photo_jpeg("Foto A") != files.photo_jpeg("Foto B")
    assert files.photo_png("Foto A") == files.photo_png("Foto A")
    table = {"title": "DPA 2025", "header": ("No", "Uraian"), "rows": [(1, "Belanja")]}
    assert files.xlsx_table(**table) == files.xlsx_table(**table)


def test_the_generated_pdf_has_a_correct_cross_reference_table() -> None:
    pdf = files.pdf_document(title="Laporan Capaian", agency="DKISP", subtitle="Nomor: 050/1/DKISP/2025", lines=["Isi"])

    xref_at = int(pdf[pdf.rindex(b"startxref") :].split()[1])
    assert pdf[xref_at:].startswith(b"xref\n")
    entries = pdf[xref_at:].split(b"\n")[3:]
    number = 1
    for entry in entries:
        if not entry.endswith(b" n "):
            break
        offset = int(entry[:10])
        assert pdf[offset:].startswith(b"%d 0 obj" % number)
        number += 1
    assert number == 8


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_the_generated_pdf_renders(tmp_path: Path) -> None:
    source = tmp_path / "sk.pdf"
    source.write_bytes(files.pdf_document(title="Keputusan Kepala Dinas", agency="DKISP", lines=["KESATU: ..."]))

    # A fixed program and arguments, no shell: the path is our own temporary file.
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(source), str(tmp_path / "page")], check=True)  # noqa: S603, S607

    with Image.open(tmp_path / "page-1.png") as page:
        assert page.width > 100


def test_the_demo_covers_the_masterplan_last_two_years_once_it_has_ended() -> None:
    masterplan = Masterplan(start_year=2021, end_year=2025, period_type="quarterly")

    assert report_loader.report_years(masterplan, dt.date(2026, 11, 23)) == [2024, 2025]
    assert report_loader.report_years(masterplan, dt.date(2025, 5, 2)) == [2024, 2025]
    assert report_loader.report_years(masterplan, dt.date(2021, 5, 2)) == [2021]
    assert report_loader.report_periods(masterplan, dt.date(2025, 5, 2))[-2:] == [(2025, 1), (2025, 2)]
    assert len(report_loader.report_periods(masterplan, dt.date(2026, 11, 23))) == 8


def test_a_failed_load_leaves_nothing_behind(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = dataclasses.replace(demo_programmes.PROGRAMMES[-1], code="ENV-99", funding=("lottery",))
    # Patched where the loader reads it: its module imported the tuple by name.
    monkeypatch.setattr(plan_loader, "PROGRAMMES", (*demo_programmes.PROGRAMMES, broken))

    with pytest.raises(ValidationError):
        loader.load()

    assert not Region.objects.exists()
    assert not AuditEvent.objects.exists()


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
    assert "created 2 regions" in first.getvalue()  # Banjar and the small second region, Kota Kediri
    assert "programmes" in first.getvalue()
    assert "4 evaluation cycles" in first.getvalue()
    assert "already up to date" in second.getvalue()


def test_load_demo_runs_outside_debug_when_forced(db: None) -> None:
    call_command("load_demo", "--force", stdout=StringIO())
    assert Programme.objects.count() == len(demo_programmes.PROGRAMMES)
