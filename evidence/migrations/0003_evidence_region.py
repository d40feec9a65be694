# Each library entry carries its agency's region, so the region's library is read a page at a time from one index
# (bench/README.md, "National scale"). Added nullable, filled from the agency, then required (0004:
# PostgreSQL refuses to alter a table with pending deferred-constraint checks in the transaction that filled it).

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_region(apps, schema_editor):
    Evidence = apps.get_model("evidence", "Evidence")
    Agency = apps.get_model("agencies", "Agency")
    Evidence.objects.filter(region__isnull=True).update(
        region=Subquery(Agency.objects.filter(pk=OuterRef("agency_id")).values("region_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_contacts_and_escalation"),
        ("evidence", "0002_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="evidence",
            name="region",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.region",
                verbose_name="region",
            ),
        ),
        migrations.RunPython(fill_region, migrations.RunPython.noop, elidable=True),
    ]
