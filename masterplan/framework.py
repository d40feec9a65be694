"""The national framework: six dimensions with three elements each (Gerakan Menuju 100 Smart City).

Shared by the data migration and by `ensure_framework`, which restores it where a test or a restore left
a database without it.
"""

from __future__ import annotations

from typing import Any

# (code, abbreviation, Indonesian name, English name, [(element code, Indonesian, English), ...])
FRAMEWORK = [
    (
        "governance",
        "SG",
        "Smart Governance",
        "Smart Governance",
        [
            ("public-service", "Layanan Publik", "Public service"),
            ("public-policy", "Kebijakan Publik", "Public policy"),
            ("bureaucracy", "Tata Kelola Birokrasi", "Bureaucratic governance"),
        ],
    ),
    (
        "branding",
        "SB",
        "Smart Branding",
        "Smart Branding",
        [
            ("tourism-branding", "Branding Pariwisata", "Tourism branding"),
            ("business-branding", "Branding Bisnis", "Business branding"),
            ("city-appearance", "Wajah Kota", "City appearance"),
        ],
    ),
    (
        "economy",
        "SE",
        "Smart Economy",
        "Smart Economy",
        [
            ("industry", "Industri", "Industry"),
            ("welfare", "Kesejahteraan", "Welfare"),
            ("transactions", "Transaksi Keuangan", "Financial transactions"),
        ],
    ),
    (
        "living",
        "SL",
        "Smart Living",
        "Smart Living",
        [
            ("harmony", "Harmoni", "Harmony of living"),
            ("health", "Kesehatan", "Health"),
            ("mobility", "Mobilitas", "Mobility"),
        ],
    ),
    (
        "society",
        "SS",
        "Smart Society",
        "Smart Society",
        [
            ("community", "Komunitas", "Community"),
            ("learning", "Ekosistem Belajar", "Learning ecosystem"),
            ("security", "Keamanan", "Security"),
        ],
    ),
    (
        "environment",
        "SEN",
        "Smart Environment",
        "Smart Environment",
        [
            ("protection", "Proteksi Lingkungan", "Environmental protection"),
            ("waste", "Pengelolaan Sampah dan Limbah", "Waste management"),
            ("energy", "Energi", "Energy"),
        ],
    ),
]


def ensure_framework(dimension_model: Any, element_model: Any) -> None:
    """Create or refresh the dimensions and elements (idempotent; takes models so migrations can call it)."""
    for d_order, (code, abbr, name_id, name_en, elements) in enumerate(FRAMEWORK, start=1):
        dimension, _ = dimension_model.objects.update_or_create(
            code=code, defaults={"abbreviation": abbr, "name_id": name_id, "name_en": name_en, "order": d_order}
        )
        for e_order, (e_code, e_id, e_en) in enumerate(elements, start=1):
            element_model.objects.update_or_create(
                code=e_code,
                defaults={"dimension": dimension, "name_id": e_id, "name_en": e_en, "order": e_order},
            )
