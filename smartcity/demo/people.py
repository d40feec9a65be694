"""Kabupaten Banjar, its SKPDs and the demo logins: one per role, and the operators whose work fills the demo."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from agencies.models import Agency, Region, Role

# Printed by `manage.py demo_logins`; `load_demo` refuses to run outside DEBUG without --force because of it.
DEMO_PASSWORD = "banjar2026"  # noqa: S105
EMAIL_DOMAIN = "banjarkab.example"  # a reserved domain: demo mail never reaches the real banjarkab.go.id

REGION = {
    "name": "Kabupaten Banjar",
    "kind": Region.Kind.KABUPATEN,
    "province": "Kalimantan Selatan",
    "bps_code": "6303",
    "seat": "Martapura",
}


K = Agency.Kind


@dataclass(frozen=True)
class AgencySpec:
    acronym: str
    name: str
    kind: str
    is_active: bool = True
    predecessor: str | None = None  # acronym of the agency this one replaced

    @property
    def email(self) -> str:
        return f"{self.acronym.lower().replace(' ', '.')}@{EMAIL_DOMAIN}"

    @property
    def phone(self) -> str:
        # A made-up Martapura office number (area code 0511), the same for an SKPD on every load.
        return f"(0511) 47{zlib.crc32(self.acronym.encode()) % 100000:05d}"


# Listed so that a predecessor always comes before its successor.
AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec("SETDA", "Sekretariat Daerah", K.SEKRETARIAT),
    AgencySpec("SETWAN", "Sekretariat DPRD", K.SEKRETARIAT),
    AgencySpec("INSPEKTORAT", "Inspektorat Daerah", K.INSPEKTORAT),
    AgencySpec(
        "BAPPEDALITBANG",
        "Badan Perencanaan Pembangunan Daerah, Penelitian dan Pengembangan",
        K.BADAN,
    ),
    AgencySpec("BPKPAD", "Badan Pengelolaan Keuangan, Pendapatan dan Aset Daerah", K.BADAN),
    AgencySpec("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", K.BADAN),
    AgencySpec("BPBD", "Badan Penanggulangan Bencana Daerah", K.BADAN),
    AgencySpec("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik", K.BADAN),
    AgencySpec("DINKES", "Dinas Kesehatan", K.DINAS),
    AgencySpec("DISDIK", "Dinas Pendidikan", K.DINAS),
    # Renamed in the 2021 reorganisation: kept inactive so its history stays readable.
    AgencySpec("DISKOMINFO", "Dinas Komunikasi dan Informatika", K.DINAS, is_active=False),
    AgencySpec(
        "DKISP",
        "Dinas Komunikasi, Informatika, Statistik dan Persandian",
        K.DINAS,
        predecessor="DISKOMINFO",
    ),
    AgencySpec("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", K.DINAS),
    AgencySpec("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", K.DINAS),
    AgencySpec("DISHUB", "Dinas Perhubungan", K.DINAS),
    AgencySpec("DLH", "Dinas Lingkungan Hidup", K.DINAS),
    AgencySpec("DISPORAPAR", "Dinas Kepemudaan, Olahraga dan Pariwisata", K.DINAS),
    AgencySpec("DISDAG", "Dinas Perdagangan", K.DINAS),
    AgencySpec("DISPERIN", "Dinas Perindustrian", K.DINAS),
    AgencySpec("DISKOPUKM", "Dinas Koperasi dan Usaha Kecil Menengah", K.DINAS),
    AgencySpec("DINSOS", "Dinas Sosial", K.DINAS),
    AgencySpec("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", K.DINAS),
    AgencySpec("DISPERKIM", "Dinas Perumahan Rakyat dan Kawasan Permukiman", K.DINAS),
    AgencySpec("DISTANHORTI", "Dinas Tanaman Pangan dan Hortikultura", K.DINAS),
    AgencySpec("DPMD", "Dinas Pemberdayaan Masyarakat dan Desa", K.DINAS),
    AgencySpec("DISPERSIP", "Dinas Perpustakaan dan Kearsipan", K.DINAS),
    AgencySpec("SATPOL PP", "Satuan Polisi Pamong Praja", K.SATUAN),
    AgencySpec("BAG ORGANISASI", "Bagian Organisasi Sekretariat Daerah", K.BAGIAN),
    AgencySpec("BAG HUKUM", "Bagian Hukum Sekretariat Daerah", K.BAGIAN),
    AgencySpec("BAG PEREKONOMIAN", "Bagian Perekonomian Sekretariat Daerah", K.BAGIAN),
    AgencySpec("KEC MARTAPURA", "Kecamatan Martapura", K.KECAMATAN),
    AgencySpec("KEC MARTAPURA TIMUR", "Kecamatan Martapura Timur", K.KECAMATAN),
    AgencySpec("KEC KARANG INTAN", "Kecamatan Karang Intan", K.KECAMATAN),
    AgencySpec("KEC GAMBUT", "Kecamatan Gambut", K.KECAMATAN),
    AgencySpec("KEC KERTAK HANYAR", "Kecamatan Kertak Hanyar", K.KECAMATAN),
    AgencySpec("KEC SUNGAI TABUK", "Kecamatan Sungai Tabuk", K.KECAMATAN),
    AgencySpec("KEL SEKUMPUL", "Kelurahan Sekumpul", K.KELURAHAN),
    AgencySpec("RSUD RZ", "RSUD Ratu Zalecha Martapura", K.RSUD),
)


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    role: str | None  # None: the system administrator (or national staff), who hold no regional membership
    agency: str | None = None
    email_domain: str = EMAIL_DOMAIN
    national: bool = False  # national programme staff (agencies.models.NationalStaff), not an administrator

    @property
    def email(self) -> str:
        return f"{self.username}@{self.email_domain}"

    @property
    def is_superuser(self) -> bool:
        return self.role is None and not self.national

    @property
    def role_label(self) -> str:
        if self.national:
            return str(_("National programme staff"))
        return str(_("System administrator")) if self.role is None else str(Role(self.role).label)


USERS: tuple[UserSpec, ...] = (
    UserSpec("admin", "Rahmat", "Hidayat", None),
    UserSpec("dkisp", "Muhammad", "Rizani", Role.COORDINATOR, "DKISP"),
    UserSpec("op.dpmptsp", "Siti", "Rahmah", Role.OPERATOR, "DPMPTSP"),
    UserSpec("op.dinkes", "Ahmad", "Fauzan", Role.OPERATOR, "DINKES"),
    UserSpec("kepala.dpmptsp", "Norhayati", "Hasanah", Role.HEAD, "DPMPTSP"),
    # The operators of the other SKPDs whose progress reports the demo contains (REPORT_OPERATORS).
    UserSpec("op.dkisp", "Nurul", "Hidayah", Role.OPERATOR, "DKISP"),
    UserSpec("op.disdukcapil", "Fitri", "Handayani", Role.OPERATOR, "DISDUKCAPIL"),
    UserSpec("op.dlh", "Akhmad", "Syarkawi", Role.OPERATOR, "DLH"),
    UserSpec("op.bpbd", "Yusuf", "Ansyari", Role.OPERATOR, "BPBD"),
    UserSpec("op.disperkim", "Raudah", "Maulida", Role.OPERATOR, "DISPERKIM"),
    UserSpec("op.satpolpp", "Muhammad", "Syahrani", Role.OPERATOR, "SATPOL PP"),
    # The operators of the other SKPDs that answer evaluation questions (ANSWER_OPERATORS).
    UserSpec("op.organisasi", "Rina", "Mardiana", Role.OPERATOR, "BAG ORGANISASI"),
    UserSpec("op.bappedalitbang", "Hendra", "Saputra", Role.OPERATOR, "BAPPEDALITBANG"),
    UserSpec("op.disdag", "Ridha", "Fahmi", Role.OPERATOR, "DISDAG"),
    UserSpec("op.diskopukm", "Lisa", "Oktaviani", Role.OPERATOR, "DISKOPUKM"),
    UserSpec("op.dishub", "Gusti", "Rahmadi", Role.OPERATOR, "DISHUB"),
    UserSpec("op.disdik", "Wahyuni", "Lestari", Role.OPERATOR, "DISDIK"),
    UserSpec("op.disporapar", "Fajar", "Ramadhan", Role.OPERATOR, "DISPORAPAR"),
    # Assessors come from the ministry's evaluation team, not from the Pemda.
    UserSpec("asesor", "Bambang", "Wicaksono", Role.ASSESSOR, email_domain="kominfo.example"),
    # Ditjen Aptika's programme staff: every region side by side, and which assessor goes where.
    UserSpec("nasional", "Ratna", "Kusumawardani", None, email_domain="kominfo.example", national=True),
)
NATIONAL_UNIT = "Direktorat Tata Kelola Aplikasi Informatika, Ditjen Aptika"


COORDINATOR = "dkisp"  # imports, assigns, verifies and locks the evaluation; reviews every progress report
ASSESSOR = "asesor"  # the ministry's assessor scores the locked cycles
NATIONAL = "nasional"  # the programme's staff send the assessor to Kota Kediri's cycle too

# The operator who writes each reporting SKPD's progress reports.
REPORT_OPERATORS: dict[str, str] = {
    "DPMPTSP": "op.dpmptsp",
    "DINKES": "op.dinkes",
    "DKISP": "op.dkisp",
    "DISDUKCAPIL": "op.disdukcapil",
    "DLH": "op.dlh",
    "BPBD": "op.bpbd",
    "DISPERKIM": "op.disperkim",
    "SATPOL PP": "op.satpolpp",
}
# Who answers the evaluation questions of each responsible SKPD.
ANSWER_OPERATORS: dict[str, str] = {
    **REPORT_OPERATORS,
    "BAG ORGANISASI": "op.organisasi",
    "BAPPEDALITBANG": "op.bappedalitbang",
    "DISDAG": "op.disdag",
    "DISKOPUKM": "op.diskopukm",
    "DISHUB": "op.dishub",
    "DISDIK": "op.disdik",
    "DISPORAPAR": "op.disporapar",
}
