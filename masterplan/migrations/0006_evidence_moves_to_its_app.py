# The evidence library now lives in the `evidence` app (evidence 0001 took over the models and their tables in
# Django's state). Reports' links point at it; nothing changes in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("evidence", "0001_initial"),
        ("masterplan", "0005_report_submitted_by"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reportevidence",
                    name="evidence",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="report_links", to="evidence.evidence"),
                ),
                migrations.AlterField(
                    model_name="progressreport",
                    name="evidence",
                    field=models.ManyToManyField(blank=True, related_name="reports", through="masterplan.ReportEvidence", to="evidence.evidence", verbose_name="evidence"),
                ),
            ],
            database_operations=[],
        ),
    ]
