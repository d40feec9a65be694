# The old evidence models leave masterplan's state once every link points at the `evidence` app (evaluations
# 0005 says it runs before this). The tables stay: they belong to evidence.StoredFile and evidence.Evidence now.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("masterplan", "0006_evidence_moves_to_its_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Evidence"),
                migrations.DeleteModel(name="StoredFile"),
            ],
            database_operations=[],
        ),
    ]
