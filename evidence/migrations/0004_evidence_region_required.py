# The library entry's region is required from now on, and the region's newest-first index replaces the
# country-wide one (0003 filled the column).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evidence", "0003_evidence_region"),
    ]

    operations = [
        migrations.AlterField(
            model_name="evidence",
            name="region",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.region",
                verbose_name="region",
            ),
        ),
        migrations.RemoveIndex(model_name="evidence", name="evidence_newest_idx"),
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(fields=["region", "-created_at", "-id"], name="evidence_region_newest_idx"),
        ),
    ]
