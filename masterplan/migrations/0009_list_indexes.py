# The review queue reads one status oldest submission first from this index (bench/README.md, "Query plans").

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("masterplan", "0008_report_reminders"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(fields=["status", "submitted_at", "id"], name="report_status_submitted_idx"),
        ),
        migrations.AddIndex(
            model_name="progressreport",
            index=models.Index(fields=["submitted_at", "id"], name="report_submitted_idx"),
        ),
    ]
