# The evidence library moves here from masterplan with its tables: this app takes over the models in Django's
# state only (the tables keep their names), masterplan 0006 and evaluations 0005 point their links at it, and
# masterplan 0007 drops the old models from masterplan's state. Nothing in the database moves but the content
# types, so audit history, admin log entries and permissions follow the models.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import evidence.models

MOVED = ("storedfile", "evidence")


def _merge_content_type(apps, old, new):
    """Fold `new` (made by post_migrate before this ran) into `old`, which carries the history, and drop it."""
    AuditEvent = apps.get_model("agencies", "AuditEvent")
    LogEntry = apps.get_model("admin", "LogEntry")
    Permission = apps.get_model("auth", "Permission")
    AuditEvent.objects.filter(target_type=new).update(target_type=old)
    LogEntry.objects.filter(content_type=new).update(content_type=old)
    for permission in Permission.objects.filter(content_type=new):
        kept = Permission.objects.filter(content_type=old, codename=permission.codename).first()
        if kept is None:
            permission.content_type = old
            permission.save(update_fields=["content_type"])
            continue
        kept.group_set.add(*permission.group_set.all())
        kept.user_set.add(*permission.user_set.all())
        permission.delete()
    new.delete()


def _move_content_types(apps, from_label, to_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        old = ContentType.objects.filter(app_label=from_label, model=model).first()
        if old is None:
            continue  # a new database: post_migrate makes the content types after the migrations
        new = ContentType.objects.filter(app_label=to_label, model=model).first()
        if new is not None:
            _merge_content_type(apps, old, new)
        old.app_label = to_label
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor):
    _move_content_types(apps, "masterplan", "evidence")


def backwards(apps, schema_editor):
    _move_content_types(apps, "evidence", "masterplan")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("agencies", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("masterplan", "0004_evidence_and_reports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StoredFile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("sha256", models.CharField(max_length=64, unique=True, verbose_name="SHA-256")),
                        ("file", models.FileField(max_length=200, upload_to=evidence.models.stored_file_path, verbose_name="file")),
                        ("size", models.BigIntegerField(verbose_name="size (bytes)")),
                        ("content_type", models.CharField(max_length=120, verbose_name="content type")),
                        ("extension", models.CharField(max_length=10, verbose_name="extension")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "verbose_name": "stored file",
                        "verbose_name_plural": "stored files",
                        "db_table": "masterplan_storedfile",
                    },
                ),
                migrations.CreateModel(
                    name="Evidence",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("title", models.CharField(max_length=255, verbose_name="title")),
                        ("kind", models.CharField(choices=[("perbup", "Regent regulation (Perbup/Perda)"), ("sk", "Decree (SK)"), ("report", "Report (laporan)"), ("minutes", "Minutes (notulen)"), ("attendance", "Attendance list (daftar hadir)"), ("photo", "Photo documentation"), ("dpa", "Budget document (DPA)"), ("presentation", "Presentation"), ("app_inventory", "Application inventory"), ("other", "Other")], default="other", max_length=20, verbose_name="kind")),
                        ("document_number", models.CharField(blank=True, max_length=120, verbose_name="document number")),
                        ("document_date", models.DateField(blank=True, null=True, verbose_name="document date")),
                        ("issuer", models.CharField(blank=True, max_length=200, verbose_name="issued by")),
                        ("valid_until", models.DateField(blank=True, null=True, verbose_name="valid until")),
                        ("original_name", models.CharField(max_length=160, verbose_name="original file name")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="uploaded")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("agency", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="evidence", to="agencies.agency", verbose_name="agency")),
                        ("stored_file", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="evidence", to="evidence.storedfile")),
                        ("uploaded_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="uploaded by")),
                    ],
                    options={
                        "verbose_name": "evidence",
                        "verbose_name_plural": "evidence",
                        "db_table": "masterplan_evidence",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["agency", "kind"], name="evidence_agency_kind_idx")],
                        "constraints": [models.UniqueConstraint(fields=("agency", "stored_file"), name="evidence_file_once_per_agency")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
