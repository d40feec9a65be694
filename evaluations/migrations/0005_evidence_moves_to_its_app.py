# The evidence library now lives in the `evidence` app (evidence 0001 took over the models and their tables in
# Django's state). Answers' links point at it; nothing changes in the database. It must run before masterplan
# drops the old models from its state (masterplan 0007), which cannot name this app itself.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("evaluations", "0004_answer_submitted_by"),
        ("evidence", "0001_initial"),
    ]

    run_before = [
        ("masterplan", "0007_remove_moved_evidence_models"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="answerevidence",
                    name="evidence",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="answer_links", to="evidence.evidence"),
                ),
                migrations.AlterField(
                    model_name="answer",
                    name="evidence",
                    field=models.ManyToManyField(blank=True, related_name="answers", through="evaluations.AnswerEvidence", to="evidence.evidence"),
                ),
            ],
            database_operations=[],
        ),
    ]
