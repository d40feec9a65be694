"""A database made by the migrations from before the evidence app upgrades without loss.

Migrates the test database back to the heads of that time, writes a library entry, its file and its uses through
the historical models, migrates forward again and checks that rows, links, content types (so history and
permissions) and the file all survived. The fixture always leaves the database at the latest migrations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from agencies.audit import events_for
from evaluations.models import AnswerEvidence
from evidence.models import Evidence, StoredFile
from masterplan.models import ReportEvidence
from tests.conftest import PDF_BYTES, Evaluation, client_for

# The heads before the evidence app existed.
BEFORE = [
    ("agencies", "0001_initial"),
    ("masterplan", "0005_report_submitted_by"),
    ("evaluations", "0004_answer_submitted_by"),
    ("evidence", None),
]
CONTENT = PDF_BYTES.replace(b"1.4", b"1.6")


def migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()  # the rows moved between app labels under the cache's feet
    return executor


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_the_move(transactional_db: None) -> Iterator[MigrationExecutor]:
    """The database as today's migrations left it; migrated to the latest state again afterwards, whatever happens."""
    try:
        yield migrate(BEFORE)
    finally:
        migrate(latest())


def test_an_old_database_upgrades_with_its_rows_links_history_and_files(
    evaluation: Evaluation, before_the_move: MigrationExecutor
) -> None:
    w = evaluation.world
    old = before_the_move.loader.project_state([node for node in BEFORE if node[1]]).apps
    assert "evidence" in old.all_models["masterplan"] and "evidence" not in old.app_configs
    OldStoredFile = old.get_model("masterplan", "StoredFile")
    OldEvidence = old.get_model("masterplan", "Evidence")
    OldReportEvidence = old.get_model("masterplan", "ReportEvidence")
    OldAnswerEvidence = old.get_model("evaluations", "AnswerEvidence")
    OldContentType = old.get_model("contenttypes", "ContentType")
    OldAuditEvent = old.get_model("agencies", "AuditEvent")

    sha256 = hashlib.sha256(CONTENT).hexdigest()
    stored = OldStoredFile(sha256=sha256, size=len(CONTENT), content_type="application/pdf", extension=".pdf")
    stored.file.save(f"{sha256}.pdf", ContentFile(CONTENT), save=True)
    entry = OldEvidence.objects.create(
        agency_id=w.agency_a.pk,
        title="Perbup Smart City",
        kind="perbup",
        stored_file=stored,
        original_name="Perbup 12 2021.pdf",
        uploaded_by_id=w.operator_a.pk,
    )
    OldReportEvidence.objects.create(report_id=w.report_a.pk, evidence=entry)
    OldAnswerEvidence.objects.create(answer_id=evaluation.yes_no.pk, evidence=entry)
    old_type = OldContentType.objects.get(app_label="masterplan", model="evidence")
    OldAuditEvent.objects.create(
        action="evidence.uploaded",
        target_type=old_type,
        target_id=str(entry.pk),
        target_label=entry.title,
        region_id=w.region.pk,
    )
    # post_migrate of a `migrate` that stopped before the move made an empty content type for the new label,
    # and someone gave a group one of its permissions: the move folds it into the old one.
    early = OldContentType.objects.create(app_label="evidence", model="evidence")
    group = Group.objects.create(name="Pustaka")
    group.permissions.add(Permission.objects.create(content_type_id=early.pk, codename="view_evidence", name="x"))
    group.permissions.add(Permission.objects.create(content_type_id=early.pk, codename="audit_evidence", name="y"))

    migrate(latest())

    moved = Evidence.objects.select_related("stored_file").get(pk=entry.pk)
    assert (moved.title, moved.agency_id, moved.original_name) == (
        "Perbup Smart City",
        w.agency_a.pk,
        "Perbup 12 2021.pdf",
    )
    assert moved.stored_file == StoredFile.objects.get(sha256=sha256)
    assert moved.stored_file.file.read() == CONTENT
    assert ReportEvidence.objects.get(report=w.report_a, evidence=moved).evidence.stored_file_id == stored.pk
    assert AnswerEvidence.objects.get(answer=evaluation.yes_no).evidence == moved
    assert set(w.report_a.evidence.all()) == {w.evidence_a, moved}

    evidence_type = ContentType.objects.get_for_model(Evidence)
    assert (evidence_type.pk, evidence_type.app_label) == (old_type.pk, "evidence")
    assert not ContentType.objects.filter(app_label="masterplan", model__in=["evidence", "storedfile"]).exists()
    assert ContentType.objects.get_for_model(StoredFile).app_label == "evidence"
    assert [e.action for e in events_for(moved)] == ["evidence.uploaded"]
    assert set(group.permissions.values_list("content_type", "codename")) == {
        (old_type.pk, "view_evidence"),
        (old_type.pk, "audit_evidence"),
    }

    response = client_for(w.operator_a).get(reverse("evidence:download", args=[moved.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    page = client_for(w.operator_a).get(moved.get_absolute_url())
    assert [use.url for use in page.context["uses"]] == [
        w.report_a.get_absolute_url(),
        evaluation.yes_no.get_absolute_url(),
    ]
