# The library's order, newest first, for one SKPD and for the region (bench/README.md, "Query plans").

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0001_initial"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(fields=["agency", "-created_at", "-id"], name="evidence_agency_newest_idx"),
        ),
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(fields=["-created_at", "-id"], name="evidence_newest_idx"),
        ),
    ]
