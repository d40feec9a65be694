"""Kota Kediri, a second, small region of the demo: one 2023 cycle with six questions, answered, locked and scored
by the same ministry assessor as Banjar's, sent there by the programme's national staff. Enough for the national
view to compare two regions and for an assessor's queue to span two regions."""

from __future__ import annotations

from decimal import Decimal

from agencies.models import Agency, Region, Role
from evaluations.questionnaire_io import QuestionRow
from smartcity.demo.people import UserSpec

EMAIL_DOMAIN = "kedirikota.example"  # reserved, as Banjar's: demo mail never reaches the real kedirikota.go.id

REGION = {
    "name": "Kota Kediri",
    "kind": Region.Kind.KOTA,
    "province": "Jawa Timur",
    "bps_code": "3571",
    "seat": "Kota Kediri",
}
# (acronym, name, kind, made-up office phone in Kediri's area code 0354)
AGENCIES = (
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", Agency.Kind.DINAS, "(0354) 682955"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", Agency.Kind.BADAN, "(0354) 689931"),
)
COORDINATOR = "kominfo.kediri"
OPERATOR = "op.bappeda.kediri"
USERS = (
    UserSpec(COORDINATOR, "Dian", "Permatasari", Role.COORDINATOR, "DISKOMINFO", email_domain=EMAIL_DOMAIN),
    UserSpec(OPERATOR, "Agus", "Setiawan", Role.OPERATOR, "BAPPEDA", email_domain=EMAIL_DOMAIN),
)
QUESTIONNAIRE_NAME = "Kuesioner Smart City Kota Kediri 2023"
LEVELS = [
    "Belum ada",
    "Direncanakan",
    "Ditetapkan",
    "Dilaksanakan sebagian",
    "Dilaksanakan penuh dan dievaluasi",
]


def _question(order: int, code: str, dimension: str, lens: str, text: str) -> QuestionRow:
    return QuestionRow(
        line=order + 1,
        code=code,
        dimension=dimension,
        element=None,
        lens=lens,
        order=order,
        text=text,
        help_text="",
        kind="level",
        choices=[],
        level_criteria=LEVELS,
        evidence_required=False,
        weight=Decimal(1),
    )


# (question, the level BAPPEDA answers, the assessor's score): one question per dimension over the five lenses.
QUESTIONS: tuple[tuple[QuestionRow, int, Decimal], ...] = (
    (
        _question(1, "KDR-SG-B", "governance", "baseline", "Masterplan Smart City ditetapkan dengan Perwali?"),
        5,
        Decimal(4),
    ),
    (_question(2, "KDR-SB-O", "branding", "output", "Branding kota dikelola oleh tim yang ditetapkan?"), 3, Decimal(3)),
    (_question(3, "KDR-SE-C", "economy", "outcome", "Program ekonomi masterplan telah berjalan?"), 4, Decimal(4)),
    (_question(4, "KDR-SL-I", "living", "impact", "Warga merasakan manfaat layanan kesehatan digital?"), 3, Decimal(3)),
    (_question(5, "KDR-SS-Q", "society", "quick_win", "Quick win literasi digital terlaksana?"), 4, Decimal(4)),
    (
        _question(6, "KDR-SN-C", "environment", "outcome", "Pengelolaan sampah berbasis aplikasi berjalan?"),
        2,
        Decimal(2),
    ),
)
