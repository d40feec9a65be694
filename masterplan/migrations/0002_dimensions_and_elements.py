"""Creates the six national dimensions and their eighteen elements."""

from __future__ import annotations

from django.db import migrations

from masterplan.framework import ensure_framework


def create(apps, schema_editor):
    ensure_framework(apps.get_model("masterplan", "Dimension"), apps.get_model("masterplan", "Element"))


def remove(apps, schema_editor):
    apps.get_model("masterplan", "Element").objects.all().delete()
    apps.get_model("masterplan", "Dimension").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("masterplan", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
