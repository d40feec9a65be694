"""The national framework: six dimensions with three elements each (Gerakan Menuju 100 Smart City)."""

from __future__ import annotations

from django.db import migrations

FRAMEWORK = [
    ("governance", "SG", "Smart Governance", "Smart Governance", [
        ("public-service", "Layanan Publik", "Public service"),
        ("public-policy", "Kebijakan Publik", "Public policy"),
        ("bureaucracy", "Tata Kelola Birokrasi", "Bureaucratic governance"),
    ]),
    ("branding", "SB", "Smart Branding", "Smart Branding", [
        ("tourism-branding", "Branding Pariwisata", "Tourism branding"),
        ("business-branding", "Branding Bisnis", "Business branding"),
        ("city-appearance", "Wajah Kota", "City appearance"),
    ]),
    ("economy", "SE", "Smart Economy", "Smart Economy", [
        ("industry", "Industri", "Industry"),
        ("welfare", "Kesejahteraan", "Welfare"),
        ("transactions", "Transaksi Keuangan", "Financial transactions"),
    ]),
    ("living", "SL", "Smart Living", "Smart Living", [
        ("harmony", "Harmoni", "Harmony of living"),
        ("health", "Kesehatan", "Health"),
        ("mobility", "Mobilitas", "Mobility"),
    ]),
    ("society", "SS", "Smart Society", "Smart Society", [
        ("community", "Komunitas", "Community"),
        ("learning", "Ekosistem Belajar", "Learning ecosystem"),
        ("security", "Keamanan", "Security"),
    ]),
    ("environment", "SEN", "Smart Environment", "Smart Environment", [
        ("protection", "Proteksi Lingkungan", "Environmental protection"),
        ("waste", "Pengelolaan Sampah dan Limbah", "Waste management"),
        ("energy", "Energi", "Energy"),
    ]),
]


def create(apps, schema_editor):
    Dimension = apps.get_model("masterplan", "Dimension")
    Element = apps.get_model("masterplan", "Element")
    for d_order, (code, abbr, name_id, name_en, elements) in enumerate(FRAMEWORK, start=1):
        dimension, _ = Dimension.objects.update_or_create(
            code=code, defaults={"abbreviation": abbr, "name_id": name_id, "name_en": name_en, "order": d_order}
        )
        for e_order, (e_code, e_id, e_en) in enumerate(elements, start=1):
            Element.objects.update_or_create(
                code=e_code,
                defaults={"dimension": dimension, "name_id": e_id, "name_en": e_en, "order": e_order},
            )


def remove(apps, schema_editor):
    apps.get_model("masterplan", "Element").objects.all().delete()
    apps.get_model("masterplan", "Dimension").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("masterplan", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
