"""Kabupaten Banjar demo data: its SKPDs, the 2021–2025 smart-city masterplan, and one login per role.

The data is plain Python below; `load()` writes it through the same services the app uses, so the demo
cannot drift from real behaviour, and it only writes what is missing or different, so it can run on every start.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Protocol

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import models, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.audit import apply_changes, audit_record, snapshot
from agencies.models import Agency, Membership, Region, Role
from agencies.services import agency_create, agency_update, membership_grant, region_create
from masterplan.models import Element, Indicator, Masterplan, PeriodType, Programme
from masterplan.services import (
    indicator_create,
    indicator_update,
    masterplan_create,
    masterplan_update,
    programme_create,
    programme_update,
)
from smartcity.demo import evaluations as demo_evaluations
from smartcity.demo import reports as demo_reports

# Printed by `manage.py demo_logins`; `load_demo` refuses to run outside DEBUG without --force because of it.
DEMO_PASSWORD = "banjar2026"  # noqa: S105
EMAIL_DOMAIN = "banjarkab.example"  # a reserved domain: demo mail never reaches the real banjarkab.go.id
BASELINE_YEAR = 2020
CENT = Decimal("0.01")
QUIET_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

REGION = {
    "name": "Kabupaten Banjar",
    "kind": Region.Kind.KABUPATEN,
    "province": "Kalimantan Selatan",
    "bps_code": "6303",
    "seat": "Martapura",
}

K = Agency.Kind
T = Programme.Term
S = Programme.Status


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
    role: str | None  # None: the system administrator, who works through the superuser flag, not a membership
    agency: str | None = None
    email_domain: str = EMAIL_DOMAIN

    @property
    def email(self) -> str:
        return f"{self.username}@{self.email_domain}"

    @property
    def is_superuser(self) -> bool:
        return self.role is None

    @property
    def role_label(self) -> str:
        return str(_("System administrator")) if self.role is None else str(Role(self.role).label)


USERS: tuple[UserSpec, ...] = (
    UserSpec("admin", "Rahmat", "Hidayat", None),
    UserSpec("dkisp", "Muhammad", "Rizani", Role.COORDINATOR, "DKISP"),
    UserSpec("op.dpmptsp", "Siti", "Rahmah", Role.OPERATOR, "DPMPTSP"),
    UserSpec("op.dinkes", "Ahmad", "Fauzan", Role.OPERATOR, "DINKES"),
    UserSpec("kepala.dpmptsp", "Norhayati", "Hasanah", Role.HEAD, "DPMPTSP"),
    # The operators of the other SKPDs whose progress reports the demo contains (smartcity/demo/reports.py).
    UserSpec("op.dkisp", "Nurul", "Hidayah", Role.OPERATOR, "DKISP"),
    UserSpec("op.disdukcapil", "Fitri", "Handayani", Role.OPERATOR, "DISDUKCAPIL"),
    UserSpec("op.dlh", "Akhmad", "Syarkawi", Role.OPERATOR, "DLH"),
    UserSpec("op.bpbd", "Yusuf", "Ansyari", Role.OPERATOR, "BPBD"),
    UserSpec("op.disperkim", "Raudah", "Maulida", Role.OPERATOR, "DISPERKIM"),
    # The operators of the other SKPDs that answer evaluation questions (smartcity/demo/evaluations.py).
    UserSpec("op.organisasi", "Rina", "Mardiana", Role.OPERATOR, "BAG ORGANISASI"),
    UserSpec("op.bappedalitbang", "Hendra", "Saputra", Role.OPERATOR, "BAPPEDALITBANG"),
    UserSpec("op.disdag", "Ridha", "Fahmi", Role.OPERATOR, "DISDAG"),
    UserSpec("op.diskopukm", "Lisa", "Oktaviani", Role.OPERATOR, "DISKOPUKM"),
    UserSpec("op.dishub", "Gusti", "Rahmadi", Role.OPERATOR, "DISHUB"),
    UserSpec("op.disdik", "Wahyuni", "Lestari", Role.OPERATOR, "DISDIK"),
    UserSpec("op.disporapar", "Fajar", "Ramadhan", Role.OPERATOR, "DISPORAPAR"),
    # Assessors come from the ministry's evaluation team, not from the Pemda.
    UserSpec("asesor", "Bambang", "Wicaksono", Role.ASSESSOR, email_domain="kominfo.example"),
)

MASTERPLAN = {
    "title": "Masterplan Smart City Kabupaten Banjar 2021–2025",
    "start_year": 2021,
    "end_year": 2025,
    "perbup_number": "Peraturan Bupati Banjar Nomor 47 Tahun 2021",
    "perbup_date": dt.date(2021, 10, 4),
    "period_type": PeriodType.QUARTERLY,
    "is_active": True,
}


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator whose yearly targets move evenly from the baseline to `final` in the programme's last year.

    Whole-number baselines and finals (counts of things) give whole-number targets; strings give decimals.
    """

    name: str
    unit: str
    baseline: int | str
    final: int | str

    @property
    def baseline_value(self) -> Decimal:
        return Decimal(self.baseline).quantize(CENT)

    def targets(self, years: range) -> dict[int, Decimal]:
        step = Decimal(1) if isinstance(self.baseline, int) and isinstance(self.final, int) else CENT
        start, end = Decimal(self.baseline), Decimal(self.final)
        n = len(years)
        # Quantised to two places at the end so values compare equal to what the database returns.
        return {
            year: (start + (end - start) * (i + 1) / n).quantize(step, ROUND_HALF_UP).quantize(CENT)
            for i, year in enumerate(years)
        }


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    element: str
    name: str
    lead: str
    term: str
    status: str
    start: int
    end: int
    funding: tuple[str, ...]
    description: str
    supporting: tuple[str, ...] = ()
    quick_win: bool = False
    indicators: tuple[IndicatorSpec, ...] = ()


Ind = IndicatorSpec  # a short alias keeps the programme table below readable

# Implementation rates differ by dimension on purpose (Governance high, Environment low), as in real reports.
PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    # --- Smart Governance -------------------------------------------------------------------------------
    ProgrammeSpec(
        "GOV-01",
        "public-service",
        'Mal Pelayanan Publik (MPP) "Barokah"',
        lead="DPMPTSP",
        term=T.SHORT,
        status=S.DONE,
        start=2021,
        end=2022,
        funding=("apbd", "apbn"),
        supporting=("DISDUKCAPIL", "BPKPAD", "BAG ORGANISASI", "DKISP"),
        quick_win=True,
        description=(
            "MPP Barokah di Martapura diresmikan pada 29 Januari 2020 dan menyatukan layanan perizinan, "
            "kependudukan, perpajakan daerah serta instansi vertikal dalam satu gedung. Program ini menambah "
            "gerai layanan dan antrean daring setelah peresmian."
        ),
        indicators=(
            Ind("Jumlah gerai layanan di MPP Barokah", "gerai", 21, 36),
            Ind("Indeks kepuasan masyarakat (IKM) MPP Barokah", "indeks", "78.50", "86.00"),
        ),
    ),
    ProgrammeSpec(
        "GOV-02",
        "public-service",
        "Perizinan Berusaha Online Satu Pintu",
        lead="DPMPTSP",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd", "apbn"),
        supporting=("DKISP", "PUPR", "DLH"),
        description=(
            "Seluruh perizinan dan nonperizinan daerah diajukan dan diterbitkan secara daring melalui OSS-RBA "
            "dan aplikasi perizinan daerah, tanpa tatap muka kecuali peninjauan lapangan."
        ),
        indicators=(
            Ind("Persentase izin yang terbit secara daring", "%", "35.00", "100.00"),
            Ind("Rata-rata waktu penerbitan izin", "hari kerja", 14, 3),
        ),
    ),
    ProgrammeSpec(
        "GOV-03",
        "public-service",
        "Adminduk Dalam Genggaman",
        lead="DISDUKCAPIL",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd", "apbn"),
        supporting=("DKISP", "KEC MARTAPURA", "KEC GAMBUT"),
        description=(
            "Pengajuan akta, KIA dan perubahan data kependudukan lewat aplikasi dan WhatsApp, dengan cetak "
            "mandiri dokumen di kantor kecamatan."
        ),
        indicators=(
            Ind("Persentase penduduk wajib KTP yang memiliki KTP-el", "%", "96.20", "99.50"),
            Ind("Jumlah kecamatan dengan anjungan dukcapil mandiri", "kecamatan", 1, 20),
        ),
    ),
    ProgrammeSpec(
        "GOV-04",
        "public-policy",
        "Kanal Pengaduan SP4N-LAPOR! Terintegrasi",
        lead="DKISP",
        term=T.SHORT,
        status=S.DONE,
        start=2021,
        end=2022,
        funding=("apbd",),
        supporting=("BAG ORGANISASI", "INSPEKTORAT"),
        quick_win=True,
        description=(
            "Semua SKPD menjadi admin penghubung SP4N-LAPOR! sehingga aduan warga dari web, SMS 1708 dan media "
            "sosial ditindaklanjuti dan dijawab dalam batas waktu."
        ),
        indicators=(
            Ind("Persentase aduan LAPOR! ditindaklanjuti dalam 5 hari kerja", "%", "62.00", "95.00"),
            Ind("Jumlah SKPD terhubung sebagai admin penghubung", "SKPD", 12, 38),
        ),
    ),
    ProgrammeSpec(
        "GOV-05",
        "public-policy",
        "Satu Data Banjar",
        lead="DKISP",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd",),
        supporting=("BAPPEDALITBANG",),
        description=(
            "Portal data terbuka dan walidata di setiap SKPD agar perencanaan dan kebijakan daerah memakai satu "
            "sumber data yang mutakhir, sesuai Perpres 39/2019."
        ),
        indicators=(
            Ind("Jumlah dataset terbit di portal Satu Data Banjar", "dataset", 120, 850),
            Ind("Persentase SKPD yang menunjuk produsen data", "%", "20.00", "100.00"),
        ),
    ),
    ProgrammeSpec(
        "GOV-06",
        "public-policy",
        "JDIH Banjar Digital",
        lead="BAG HUKUM",
        term=T.SHORT,
        status=S.DONE,
        start=2021,
        end=2022,
        funding=("apbd",),
        supporting=("DKISP",),
        description=(
            "Seluruh Perda, Perbup dan Keputusan Bupati dapat dicari dan diunduh di Jaringan Dokumentasi dan "
            "Informasi Hukum (JDIH) yang terhubung ke JDIHN."
        ),
        indicators=(Ind("Persentase produk hukum daerah terunggah di JDIH", "%", "55.00", "100.00"),),
    ),
    ProgrammeSpec(
        "GOV-07",
        "bureaucracy",
        "Penerapan SPBE Kabupaten Banjar",
        lead="DKISP",
        term=T.LONG,
        status=S.RUNNING,
        start=2021,
        end=2030,
        funding=("apbd", "apbn"),
        supporting=("BAG ORGANISASI", "BKPSDM", "BAPPEDALITBANG"),
        description=(
            "Arsitektur dan peta rencana Sistem Pemerintahan Berbasis Elektronik, integrasi aplikasi antar-SKPD "
            "dan pusat data daerah untuk menaikkan indeks SPBE."
        ),
        indicators=(
            Ind("Indeks SPBE Kabupaten Banjar", "indeks", "2.10", "4.00"),
            Ind("Jumlah aplikasi terintegrasi lewat layanan interoperabilitas", "aplikasi", 4, 60),
        ),
    ),
    ProgrammeSpec(
        "GOV-08",
        "bureaucracy",
        "E-Kinerja dan Presensi Daring ASN",
        lead="BKPSDM",
        term=T.SHORT,
        status=S.DONE,
        start=2021,
        end=2022,
        funding=("apbd",),
        supporting=("DKISP", "BPKPAD"),
        description=(
            "Sasaran kinerja, laporan harian dan presensi ASN dicatat daring dan menjadi dasar tambahan "
            "penghasilan pegawai."
        ),
        indicators=(Ind("Persentase ASN yang melapor lewat e-kinerja", "%", "40.00", "100.00"),),
    ),
    ProgrammeSpec(
        "GOV-09",
        "bureaucracy",
        "Naskah Dinas Elektronik SRIKANDI",
        lead="DISPERSIP",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2022,
        end=2025,
        funding=("apbd",),
        supporting=("SETDA", "DKISP"),
        description=(
            "Surat dinas dibuat, ditandatangani secara elektronik dan diarsipkan di aplikasi SRIKANDI di semua "
            "SKPD, mengurangi kertas dan waktu disposisi."
        ),
        indicators=(
            Ind("Jumlah SKPD yang memakai SRIKANDI", "SKPD", 3, 38),
            Ind("Persentase naskah dinas bertanda tangan elektronik", "%", "5.00", "80.00"),
        ),
    ),
    # --- Smart Branding ---------------------------------------------------------------------------------
    ProgrammeSpec(
        "BRA-01",
        "tourism-branding",
        "Wisata Religi Sekumpul Martapura",
        lead="DISPORAPAR",
        term=T.LONG,
        status=S.RUNNING,
        start=2021,
        end=2030,
        funding=("apbd", "apbd_prov", "community"),
        supporting=("KEL SEKUMPUL", "KEC MARTAPURA", "DISHUB", "SATPOL PP"),
        description=(
            "Penataan kawasan wisata religi di sekitar Musala Ar-Raudhah Sekumpul, Martapura: informasi "
            "peziarah, kantong parkir, dan layanan terpadu saat Haul Guru Sekumpul."
        ),
        indicators=(
            Ind("Jumlah kunjungan wisatawan ke kawasan religi Sekumpul", "ribu orang", 420, 1500),
            Ind("Jumlah kantong parkir terdata di aplikasi peziarah", "lokasi", 0, 40),
        ),
    ),
    ProgrammeSpec(
        "BRA-02",
        "tourism-branding",
        "Revitalisasi Pasar Terapung Lok Baintan",
        lead="DISPORAPAR",
        term=T.MEDIUM,
        status=S.POSTPONED,
        start=2022,
        end=2026,
        funding=("apbd", "apbn", "csr"),
        supporting=("KEC SUNGAI TABUK", "DISDAG", "PUPR"),
        description=(
            "Dermaga, jalur susur sungai dan promosi digital pasar terapung Lok Baintan di Sungai Tabuk; "
            "tertunda karena penyesuaian anggaran dan menunggu DAK pariwisata."
        ),
        indicators=(Ind("Jumlah kunjungan wisatawan ke Lok Baintan", "ribu orang", 35, 120),),
    ),
    ProgrammeSpec(
        "BRA-03",
        "tourism-branding",
        "Portal Pariwisata dan Kalender Event Banjar",
        lead="DISPORAPAR",
        term=T.SHORT,
        status=S.DONE,
        start=2022,
        end=2023,
        funding=("apbd",),
        supporting=("DKISP",),
        description=(
            "Satu portal destinasi, akomodasi dan kalender event tahunan Kabupaten Banjar yang diperbarui "
            "bersama pelaku wisata."
        ),
        indicators=(Ind("Jumlah destinasi dan event yang terdaftar di portal", "entri", 25, 150),),
    ),
    ProgrammeSpec(
        "BRA-04",
        "business-branding",
        "Branding Pasar Intan Martapura",
        lead="DISDAG",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd", "private"),
        supporting=("DISPERIN", "DISPORAPAR", "DISKOPUKM"),
        description=(
            "Menguatkan citra Martapura sebagai Kota Intan: sertifikasi pedagang intan dan batu permata di "
            "Pasar Intan Martapura, katalog daring, dan promosi bersama di pameran nasional."
        ),
        indicators=(
            Ind("Jumlah pedagang intan dan permata bersertifikat", "pedagang", 0, 150),
            Ind("Jumlah toko Pasar Intan yang berjualan daring", "toko", 12, 200),
        ),
    ),
    ProgrammeSpec(
        "BRA-05",
        "business-branding",
        "Peta Potensi dan Peluang Investasi Banjar",
        lead="DPMPTSP",
        term=T.SHORT,
        status=S.DONE,
        start=2023,
        end=2023,
        funding=("apbd",),
        supporting=("BAPPEDALITBANG", "DKISP"),
        description=(
            "Profil proyek siap tawar (investment project ready to offer) dan peta potensi investasi daring "
            "untuk calon investor."
        ),
        indicators=(Ind("Jumlah proyek investasi siap tawar yang dipublikasikan", "proyek", 2, 12),),
    ),
    ProgrammeSpec(
        "BRA-06",
        "business-branding",
        'Label Produk Unggulan "Banjar Barokah"',
        lead="DISKOPUKM",
        term=T.MEDIUM,
        status=S.PLANNED,
        start=2025,
        end=2027,
        funding=("apbd", "csr"),
        supporting=("DISDAG", "DISPERIN"),
        description=(
            "Kurasi dan label bersama untuk produk unggulan daerah seperti kain sasirangan, olahan ikan dan "
            "perhiasan, dengan standar kemasan dan sertifikasi halal."
        ),
        indicators=(Ind("Jumlah produk berlabel Banjar Barokah", "produk", 0, 120),),
    ),
    ProgrammeSpec(
        "BRA-07",
        "city-appearance",
        "Ruang Terbuka Hijau Publik Ber-WiFi",
        lead="DISPERKIM",
        term=T.MEDIUM,
        status=S.POSTPONED,
        start=2022,
        end=2025,
        funding=("apbd", "csr"),
        supporting=("DKISP", "DLH"),
        description=(
            "Penataan taman kota dan ruang terbuka hijau di Martapura dan ibu kota kecamatan, dilengkapi "
            "WiFi publik gratis; tertunda karena anggaran 2023 dialihkan ke penanganan banjir."
        ),
        indicators=(
            Ind("Jumlah taman publik dengan WiFi gratis", "taman", 2, 18),
            Ind("Luas ruang terbuka hijau publik", "ha", "38.50", "52.00"),
        ),
    ),
    ProgrammeSpec(
        "BRA-08",
        "city-appearance",
        "Penataan Kawasan Tepian Sungai Martapura",
        lead="PUPR",
        term=T.LONG,
        status=S.PLANNED,
        start=2025,
        end=2030,
        funding=("apbn", "apbd_prov", "apbd"),
        supporting=("DISPERKIM", "DISPORAPAR", "KEC MARTAPURA"),
        description=(
            "Siring, jalur pejalan kaki dan ruang publik di tepian Sungai Martapura sebagai wajah kota, menyatu "
            "dengan kawasan religi dan pasar."
        ),
        indicators=(Ind("Panjang siring dan promenade tertata", "meter", 0, 2400),),
    ),
    # --- Smart Economy ----------------------------------------------------------------------------------
    ProgrammeSpec(
        "ECO-01",
        "industry",
        "Sentra IKM Gosok Intan dan Kerajinan Permata",
        lead="DISPERIN",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd", "dak"),
        supporting=("DISKOPUKM", "KEC MARTAPURA TIMUR"),
        description=(
            "Pembinaan perajin gosok intan dan permata: peralatan bersama, pelatihan desain dan akses pasar daring."
        ),
        indicators=(
            Ind("Jumlah IKM intan dan permata yang dibina", "IKM", 40, 160),
            Ind("Jumlah perajin yang mengikuti pelatihan desain", "orang", 0, 300),
        ),
    ),
    ProgrammeSpec(
        "ECO-02",
        "industry",
        "Smart Farming Lahan Rawa di Gambut",
        lead="DISTANHORTI",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2022,
        end=2026,
        funding=("apbd", "apbn", "private"),
        supporting=("KEC GAMBUT", "DKISP"),
        description=(
            "Sensor tinggi muka air, kalender tanam digital dan alsintan untuk padi lokal di lahan rawa "
            "Kecamatan Gambut, lumbung padi Kabupaten Banjar."
        ),
        indicators=(
            Ind("Luas sawah yang menerapkan smart farming", "ha", 0, 600),
            Ind("Produktivitas padi lahan rawa", "ton/ha", "3.80", "4.60"),
        ),
    ),
    ProgrammeSpec(
        "ECO-03",
        "welfare",
        "UMKM Banjar Go Digital",
        lead="DISKOPUKM",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd", "csr", "private"),
        supporting=("DKISP", "DISDAG"),
        description=(
            "Pendampingan UMKM masuk lokapasar, e-katalog daerah dan pembayaran digital, bersama perbankan "
            "dan komunitas penggerak UMKM."
        ),
        indicators=(
            Ind("Jumlah UMKM yang berjualan daring", "UMKM", 150, 3000),
            Ind("Jumlah UMKM yang tayang di e-katalog daerah", "UMKM", 0, 250),
        ),
    ),
    ProgrammeSpec(
        "ECO-04",
        "welfare",
        "Pemutakhiran DTKS Berbasis Desa",
        lead="DINSOS",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd", "apbn"),
        supporting=("DPMD", "DISDUKCAPIL"),
        description=(
            "Operator desa memutakhirkan Data Terpadu Kesejahteraan Sosial lewat SIKS-NG sehingga bantuan "
            "sosial lebih tepat sasaran."
        ),
        indicators=(Ind("Persentase data DTKS padan dengan NIK", "%", "82.00", "99.00"),),
    ),
    ProgrammeSpec(
        "ECO-05",
        "welfare",
        "BUMDes dan Desa Wisata Digital",
        lead="DPMD",
        term=T.MEDIUM,
        status=S.PLANNED,
        start=2025,
        end=2028,
        funding=("apbn", "community"),
        supporting=("DISPORAPAR", "DISKOPUKM"),
        description="Pencatatan usaha BUMDes dan pemasaran desa wisata secara daring, dibiayai dana desa.",
        indicators=(Ind("Jumlah BUMDes dengan laporan keuangan digital", "BUMDes", 10, 120),),
    ),
    ProgrammeSpec(
        "ECO-06",
        "transactions",
        "Pajak Daerah Non-Tunai (QRIS)",
        lead="BPKPAD",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2022,
        end=2025,
        funding=("apbd", "private"),
        supporting=("DKISP",),
        quick_win=True,
        description=(
            "PBB-P2, pajak restoran dan pajak hotel dibayar dengan QRIS dan virtual account bank daerah, "
            "sebagai bagian percepatan elektronifikasi transaksi pemerintah daerah (ETPD)."
        ),
        indicators=(
            Ind("Persentase penerimaan pajak daerah secara non-tunai", "%", "28.00", "75.00"),
            Ind("Jumlah wajib pajak yang membayar lewat QRIS", "wajib pajak", 0, 5000),
        ),
    ),
    ProgrammeSpec(
        "ECO-07",
        "transactions",
        "Belanja Daerah Non-Tunai (CMS dan KKPD)",
        lead="BPKPAD",
        term=T.SHORT,
        status=S.DONE,
        start=2021,
        end=2022,
        funding=("apbd",),
        supporting=("INSPEKTORAT",),
        description="Belanja SKPD dibayar lewat cash management system dan Kartu Kredit Pemerintah Daerah.",
        indicators=(Ind("Persentase SKPD memakai KKPD", "%", "0.00", "100.00"),),
    ),
    ProgrammeSpec(
        "ECO-08",
        "transactions",
        "Retribusi Pasar Elektronik",
        lead="DISDAG",
        term=T.MEDIUM,
        status=S.POSTPONED,
        start=2023,
        end=2025,
        funding=("apbd",),
        supporting=("BPKPAD",),
        description=(
            "Retribusi los dan kios pasar daerah dibayar non-tunai; tertunda sampai pendataan ulang pedagang "
            "pasar selesai."
        ),
        indicators=(Ind("Jumlah pasar daerah dengan e-retribusi", "pasar", 0, 8),),
    ),
    # --- Smart Living -----------------------------------------------------------------------------------
    ProgrammeSpec(
        "LIV-01",
        "harmony",
        "Bedah Rumah Tidak Layak Huni Berbasis Data",
        lead="DISPERKIM",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd", "apbn", "csr"),
        supporting=("DINSOS", "DPMD"),
        description="Perbaikan rumah tidak layak huni yang dipilih dari data terpadu dan dipantau lewat peta daring.",
        indicators=(Ind("Jumlah rumah tidak layak huni yang diperbaiki", "unit", 0, 1500),),
    ),
    ProgrammeSpec(
        "LIV-02",
        "harmony",
        "Sistem Deteksi Dini Konflik Sosial",
        lead="KESBANGPOL",
        term=T.MEDIUM,
        status=S.PLANNED,
        start=2025,
        end=2027,
        funding=("apbd",),
        supporting=("SATPOL PP", "KEC MARTAPURA"),
        description="Laporan cepat forum kewaspadaan dini masyarakat dan FKUB dari desa ke Kesbangpol.",
        indicators=(Ind("Jumlah kecamatan dengan pelapor FKDM aktif", "kecamatan", 0, 20),),
    ),
    ProgrammeSpec(
        "LIV-03",
        "health",
        "Telemedicine Puskesmas",
        lead="DINKES",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2022,
        end=2025,
        funding=("apbd", "dak"),
        supporting=("RSUD RZ", "DKISP"),
        description=(
            "Telekonsultasi dokter puskesmas dengan dokter spesialis RSUD Ratu Zalecha, sehingga pasien di "
            "kecamatan jauh tidak perlu dirujuk untuk setiap konsultasi."
        ),
        indicators=(
            Ind("Jumlah puskesmas terhubung telekonsultasi", "puskesmas", 0, 25),
            Ind("Jumlah telekonsultasi per tahun", "konsultasi", 0, 4000),
        ),
    ),
    ProgrammeSpec(
        "LIV-04",
        "health",
        "Rekam Medis Elektronik dan Antrean Daring RSUD",
        lead="RSUD RZ",
        term=T.SHORT,
        status=S.DONE,
        start=2023,
        end=2024,
        funding=("apbd", "other"),
        supporting=("DINKES",),
        description="Rekam medis elektronik terhubung SATUSEHAT dan pendaftaran rawat jalan lewat aplikasi.",
        indicators=(Ind("Persentase kunjungan rawat jalan dengan antrean daring", "%", "10.00", "70.00"),),
    ),
    ProgrammeSpec(
        "LIV-05",
        "health",
        "Public Safety Center 119 Banjar",
        lead="DINKES",
        term=T.SHORT,
        status=S.DONE,
        start=2021,
        end=2021,
        funding=("apbd",),
        supporting=("RSUD RZ", "BPBD"),
        quick_win=True,
        description="Layanan gawat darurat 119 dengan ambulans siaga 24 jam dan koordinasi rujukan.",
        indicators=(Ind("Rata-rata waktu tanggap ambulans", "menit", 45, 30),),
    ),
    ProgrammeSpec(
        "LIV-06",
        "mobility",
        "Area Traffic Control System (ATCS) Martapura",
        lead="DISHUB",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2022,
        end=2026,
        funding=("apbd", "apbn"),
        supporting=("DKISP", "SATPOL PP"),
        description=(
            "Lampu lalu lintas terkendali dari pusat di simpang padat Jalan Ahmad Yani, termasuk pengaturan "
            "arus saat Haul Guru Sekumpul."
        ),
        indicators=(Ind("Jumlah simpang terhubung ATCS", "simpang", 0, 12),),
    ),
    ProgrammeSpec(
        "LIV-07",
        "mobility",
        "Angkutan Massal Banjarbakula",
        lead="DISHUB",
        term=T.LONG,
        status=S.PLANNED,
        start=2026,
        end=2030,
        funding=("apbn", "apbd_prov", "apbd"),
        supporting=("PUPR",),
        description=(
            "Rute pengumpan ke angkutan massal wilayah Banjarmasin–Banjarbaru–Banjar–Barito Kuala–Tanah Laut, "
            "dengan jadwal daring."
        ),
        indicators=(Ind("Jumlah rute pengumpan beroperasi", "rute", 0, 6),),
    ),
    ProgrammeSpec(
        "LIV-08",
        "mobility",
        "Sistem Informasi Kondisi Jalan",
        lead="PUPR",
        term=T.MEDIUM,
        status=S.POSTPONED,
        start=2023,
        end=2025,
        funding=("apbd",),
        supporting=("DKISP",),
        description="Warga melaporkan jalan rusak dengan foto dan lokasi; tertunda karena pergantian aplikasi.",
        indicators=(Ind("Persentase panjang jalan kabupaten dalam kondisi mantap", "%", "61.00", "75.00"),),
    ),
    # --- Smart Society ----------------------------------------------------------------------------------
    ProgrammeSpec(
        "SOC-01",
        "community",
        "Desa Digital Banjar",
        lead="DPMD",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2022,
        end=2025,
        funding=("apbd", "community"),
        supporting=("DKISP", "KEC KARANG INTAN", "KEC SUNGAI TABUK"),
        description="Website desa, sistem informasi desa dan layanan surat daring di kantor desa.",
        indicators=(Ind("Jumlah desa dengan sistem informasi desa aktif", "desa", 30, 277),),
    ),
    ProgrammeSpec(
        "SOC-02",
        "community",
        "Relawan TIK dan Literasi Digital",
        lead="DKISP",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd", "community"),
        supporting=("DISDIK",),
        description="Relawan TIK melatih warga, santri dan pelaku UMKM tentang keamanan digital dan hoaks.",
        indicators=(Ind("Jumlah peserta literasi digital", "orang", 300, 6000),),
    ),
    ProgrammeSpec(
        "SOC-03",
        "learning",
        "Digitalisasi Sekolah",
        lead="DISDIK",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd", "dak", "apbn"),
        supporting=("DKISP",),
        description=(
            "Akses internet, perangkat TIK dan pembelajaran digital di SD dan SMP, serta pelatihan guru "
            "memakai platform Merdeka Mengajar."
        ),
        indicators=(
            Ind("Persentase SD dan SMP terhubung internet", "%", "48.00", "95.00"),
            Ind("Jumlah guru terlatih pembelajaran digital", "guru", 200, 2500),
        ),
    ),
    ProgrammeSpec(
        "SOC-04",
        "learning",
        "Perpustakaan Digital Banjar",
        lead="DISPERSIP",
        term=T.SHORT,
        status=S.DONE,
        start=2021,
        end=2022,
        funding=("apbd", "apbn"),
        supporting=("DISDIK",),
        description="Buku elektronik dan keanggotaan daring perpustakaan daerah yang dapat dipinjam dari rumah.",
        indicators=(Ind("Jumlah anggota perpustakaan digital", "orang", 500, 8000),),
    ),
    ProgrammeSpec(
        "SOC-05",
        "security",
        "Banjar Command Center",
        lead="DKISP",
        term=T.LONG,
        status=S.RUNNING,
        start=2022,
        end=2030,
        funding=("apbd", "apbn"),
        supporting=("SATPOL PP", "BPBD", "DISHUB", "DINKES"),
        description=(
            "Pusat kendali yang menyatukan CCTV, panggilan darurat 112, aduan LAPOR! dan dasbor data daerah "
            "untuk keputusan cepat pimpinan."
        ),
        indicators=(
            Ind("Jumlah titik CCTV terintegrasi", "titik", 12, 150),
            Ind("Persentase panggilan darurat 112 ditangani", "%", "70.00", "98.00"),
        ),
    ),
    ProgrammeSpec(
        "SOC-06",
        "security",
        "Sistem Peringatan Dini Banjir",
        lead="BPBD",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2022,
        end=2026,
        funding=("apbd", "apbn", "csr"),
        supporting=("PUPR", "DKISP", "KEC MARTAPURA", "KEC SUNGAI TABUK"),
        description=(
            "Pos pantau tinggi muka air otomatis di DAS Martapura dan sirene desa, dengan peringatan lewat "
            "WhatsApp setelah banjir besar Januari 2021."
        ),
        indicators=(
            Ind("Jumlah pos pantau tinggi muka air otomatis", "pos", 0, 15),
            Ind("Jumlah desa rawan banjir yang menerima peringatan dini", "desa", 0, 80),
        ),
    ),
    ProgrammeSpec(
        "SOC-07",
        "security",
        "Patroli Ketertiban Berbasis Aduan",
        lead="SATPOL PP",
        term=T.SHORT,
        status=S.PLANNED,
        start=2025,
        end=2026,
        funding=("apbd",),
        supporting=("DKISP",),
        description="Aduan ketertiban umum dari LAPOR! dan command center diteruskan ke regu patroli terdekat.",
        indicators=(Ind("Rata-rata waktu tanggap aduan ketertiban", "jam", 24, 4),),
    ),
    # --- Smart Environment ------------------------------------------------------------------------------
    ProgrammeSpec(
        "ENV-01",
        "protection",
        "Pemantauan Kualitas Air Sungai Martapura",
        lead="DLH",
        term=T.MEDIUM,
        status=S.PLANNED,
        start=2025,
        end=2028,
        funding=("apbd", "apbn"),
        supporting=("PUPR", "DINKES"),
        description="Stasiun pemantau kualitas air otomatis (ONLIMO) di Sungai Martapura, sumber air baku PDAM.",
        indicators=(Ind("Jumlah stasiun pemantau kualitas air daring", "stasiun", 0, 4),),
    ),
    ProgrammeSpec(
        "ENV-02",
        "protection",
        "Pencegahan Karhutla Berbasis Titik Panas",
        lead="BPBD",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd", "apbn"),
        supporting=("DLH", "KEC GAMBUT", "KEC KERTAK HANYAR"),
        description=(
            "Pemantauan titik panas satelit dan patroli masyarakat peduli api di lahan gambut, terutama di "
            "Gambut dan Kertak Hanyar."
        ),
        indicators=(Ind("Luas kebakaran hutan dan lahan", "ha", 850, 150),),
    ),
    ProgrammeSpec(
        "ENV-03",
        "waste",
        "Gebraks (Gerakan Bersama Realisasi Aksi Sanitasi)",
        lead="DISPERKIM",
        term=T.SHORT,
        status=S.DONE,
        start=2021,
        end=2023,
        funding=("apbd", "dak", "csr", "community"),
        supporting=("DINKES", "PUPR", "DPMD", "KEC MARTAPURA", "KEC SUNGAI TABUK"),
        quick_win=True,
        description=(
            "Gerakan bersama pemerintah, desa dan warga menuju sanitasi layak dan stop buang air besar "
            "sembarangan, termasuk penghapusan jamban apung di sepanjang Sungai Martapura dan anak sungainya."
        ),
        indicators=(
            Ind("Jumlah jamban apung yang masih digunakan", "unit", 1840, 0),
            Ind("Persentase rumah tangga dengan akses sanitasi layak", "%", "78.40", "90.00"),
            Ind("Jumlah desa/kelurahan ODF (stop BABS)", "desa/kelurahan", 98, 200),
        ),
    ),
    ProgrammeSpec(
        "ENV-04",
        "waste",
        "Bank Sampah Digital",
        lead="DLH",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2021,
        end=2025,
        funding=("apbd", "community", "csr"),
        supporting=("DISKOPUKM", "KEC MARTAPURA", "KEC KERTAK HANYAR"),
        description="Bank sampah mencatat setoran dan saldo nasabah lewat aplikasi; tabungan sampah bisa dicairkan.",
        indicators=(
            Ind("Jumlah bank sampah aktif", "unit", 45, 150),
            Ind("Sampah yang dikelola bank sampah", "ton/tahun", "320.00", "1200.00"),
        ),
    ),
    ProgrammeSpec(
        "ENV-05",
        "waste",
        "TPS3R di Setiap Kecamatan",
        lead="DLH",
        term=T.LONG,
        status=S.POSTPONED,
        start=2023,
        end=2030,
        funding=("apbn", "dak", "apbd"),
        supporting=("DISPERKIM",),
        description="TPS reduce-reuse-recycle tingkat kecamatan; tertunda karena pengadaan lahan belum selesai.",
        indicators=(Ind("Jumlah TPS3R beroperasi", "unit", 3, 20),),
    ),
    ProgrammeSpec(
        "ENV-06",
        "energy",
        "PJU Tenaga Surya",
        lead="DISHUB",
        term=T.MEDIUM,
        status=S.RUNNING,
        start=2022,
        end=2026,
        funding=("apbd", "apbn"),
        supporting=("DISPERKIM", "PUPR"),
        description="Penerangan jalan umum tenaga surya di ruas jalan desa yang belum terjangkau jaringan listrik.",
        indicators=(Ind("Jumlah titik PJU tenaga surya terpasang", "titik", 60, 900),),
    ),
    ProgrammeSpec(
        "ENV-07",
        "energy",
        "PLTS Atap Gedung Pemerintah",
        lead="PUPR",
        term=T.LONG,
        status=S.PLANNED,
        start=2026,
        end=2030,
        funding=("apbd", "private"),
        supporting=("BPKPAD", "SETDA"),
        description="Panel surya atap di kantor pemerintah daerah untuk menekan tagihan listrik dan emisi.",
        indicators=(Ind("Kapasitas PLTS atap terpasang", "kWp", 0, 500),),
    ),
)


class Writer(Protocol):
    def write(self, text: str, /) -> object: ...


class _Loader:
    """Brings the database in line with the data above, counting what it created and changed."""

    def __init__(self, stdout: Writer | None) -> None:
        self.stdout = stdout
        self.counts: dict[str, int] = dict.fromkeys(
            (
                "regions",
                "agencies",
                "users",
                "memberships",
                "masterplans",
                "programmes",
                "indicators",
                "evidence",
                "reports",
                "cycles",
                "questionnaires",
                "questions",
                "answers",
                "scores",
                "notes",
                "updated",
            ),
            0,
        )

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(f"{message}\n")

    def created(self, key: str, label: object) -> None:
        self.counts[key] += 1
        self.say(f"  created {label} ({key})")

    def updated(self, label: object) -> None:
        self.counts["updated"] += 1
        self.say(f"  updated {label}")

    def region(self) -> Region:
        region = Region.objects.filter(bps_code=REGION["bps_code"]).first()
        if region is None:
            region = region_create(by=None, **REGION)
            self.created("regions", region)
        return region

    def agencies(self, region: Region) -> dict[str, Agency]:
        agencies = {a.acronym: a for a in Agency.objects.filter(region=region).select_related("predecessor")}
        for spec in AGENCIES:
            data: dict[str, Any] = {
                "name": spec.name,
                "kind": spec.kind,
                "email": spec.email,
                "is_active": spec.is_active,
                "predecessor": agencies[spec.predecessor] if spec.predecessor else None,
            }
            agency = agencies.get(spec.acronym)
            if agency is None:
                agencies[spec.acronym] = agency_create(by=None, region=region, acronym=spec.acronym, **data)
                self.created("agencies", spec.acronym)
            elif _differs(agency, data):
                agency_update(agency=agency, by=None, data=data)
                self.updated(agency)
        return agencies

    def users(self, region: Region, agencies: dict[str, Agency]) -> None:
        user_model = get_user_model()
        for spec in USERS:
            profile = {
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": spec.email,
                "is_staff": spec.is_superuser,
                "is_superuser": spec.is_superuser,
            }
            user = user_model.objects.filter(username=spec.username).first()
            if user is None:
                user = _user_create(region, spec.username, profile)
                self.created("users", spec.username)
            elif _differs(user, profile):
                # The password is left alone on purpose: whoever changed it on a shared demo meant to.
                _user_update(region, user, profile)
                self.updated(user)
            if spec.role is None:
                continue
            agency = agencies[spec.agency] if spec.agency else None
            active = Membership.objects.filter(user=user, region=region, agency=agency, role=spec.role, is_active=True)
            if not active.exists():
                membership = membership_grant(by=None, user=user, region=region, role=spec.role, agency=agency)
                self.created("memberships", membership)

    def masterplan(self, region: Region) -> Masterplan:
        masterplan = Masterplan.objects.filter(region=region, title=MASTERPLAN["title"]).first()
        if masterplan is None:
            masterplan = masterplan_create(by=None, region=region, data=MASTERPLAN)
            self.created("masterplans", masterplan)
        elif _differs(masterplan, MASTERPLAN):
            masterplan_update(masterplan=masterplan, by=None, data=MASTERPLAN)
            self.updated(masterplan)
        return masterplan

    def programmes(self, masterplan: Masterplan, agencies: dict[str, Agency]) -> None:
        elements = {e.code: e for e in Element.objects.all()}
        missing = {spec.element for spec in PROGRAMMES} - elements.keys()
        if missing:
            raise RuntimeError(f"Elements {sorted(missing)} are missing: run `manage.py migrate` first.")
        existing = {
            p.code: p
            for p in Programme.objects.filter(masterplan=masterplan)
            .select_related("element", "lead_agency")
            .prefetch_related("supporting_agencies", "indicators__targets")
        }
        for spec in PROGRAMMES:
            data: dict[str, Any] = {
                "element": elements[spec.element],
                "code": spec.code,
                "name": spec.name,
                "description": spec.description,
                "term": spec.term,
                "is_quick_win": spec.quick_win,
                "lead_agency": agencies[spec.lead],
                "start_year": spec.start,
                "end_year": spec.end,
                "funding_sources": list(spec.funding),
                "status": spec.status,
            }
            supporting = [agencies[acronym] for acronym in spec.supporting]
            programme = existing.get(spec.code)
            if programme is None:
                programme = programme_create(by=None, masterplan=masterplan, data=data, supporting=supporting)
                self.created("programmes", programme)
                current: dict[str, Indicator] = {}
            else:
                same_supporters = {a.pk for a in programme.supporting_agencies.all()} == {a.pk for a in supporting}
                if _differs(programme, data) or not same_supporters:
                    programme_update(programme=programme, by=None, data=data, supporting=supporting)
                    self.updated(programme)
                current = {i.name: i for i in programme.indicators.all()}
            self.indicators(programme, spec, current)

    def indicators(self, programme: Programme, spec: ProgrammeSpec, current: dict[str, Indicator]) -> None:
        for order, ind in enumerate(spec.indicators, start=1):
            data = {
                "name": ind.name,
                "unit": ind.unit,
                "baseline": ind.baseline_value,
                "baseline_year": BASELINE_YEAR,
                "order": order,
            }
            wanted: dict[int, Decimal | None] = dict(ind.targets(programme.years))
            indicator = current.get(ind.name)
            if indicator is None:
                indicator = indicator_create(by=None, programme=programme, data=data, targets=wanted)
                self.created("indicators", indicator)
                continue
            have = {t.year: t.value for t in indicator.targets.all()}
            # Years the programme no longer covers are removed (None), so the targets match the spec exactly.
            wanted.update(dict.fromkeys(have.keys() - wanted.keys()))
            targets_differ = any(have.get(year) != value for year, value in wanted.items())
            if _differs(indicator, data) or targets_differ:
                indicator_update(indicator=indicator, by=None, data=data, targets=wanted if targets_differ else None)
                self.updated(indicator)


def _differs(obj: models.Model, data: dict[str, Any]) -> bool:
    return any(getattr(obj, name) != value for name, value in data.items())


# There is no user service yet, so the loader audits its own user writes the way the services do.
def _user_create(region: Region, username: str, profile: dict[str, Any]) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username=username, password=DEMO_PASSWORD, **profile)
    audit_record(actor=None, action="user.created", target=user, region=region, changes=snapshot(user, profile))
    return user


def _user_update(region: Region, user: AbstractBaseUser, profile: dict[str, Any]) -> None:
    changes = apply_changes(user, profile)
    user.save(update_fields=list(profile))
    audit_record(actor=None, action="user.updated", target=user, region=region, changes=changes)


def load(stdout: Writer | None = None) -> dict[str, int]:
    """Create or update the Banjar demo; return how many objects of each kind were created (and `updated`)."""
    loader = _Loader(stdout)
    # One transaction: a failure halfway leaves no half-loaded demo behind. The report workflow mails the
    # coordinator and the SKPDs on every step; for made-up history that would be hundreds of mails (printed by
    # the console backend, or bounced by a real server), so the mail tasks go to a backend that keeps them.
    with override_settings(TASKS=QUIET_TASKS), transaction.atomic():
        region = loader.region()
        agencies = loader.agencies(region)
        loader.users(region, agencies)
        masterplan = loader.masterplan(region)
        loader.programmes(masterplan, agencies)
        demo_reports.load_reports(
            masterplan=masterplan, agencies=agencies, today=timezone.localdate(), created=loader.created
        )
        demo_evaluations.load_evaluations(region=region, agencies=agencies, created=loader.created)
    return loader.counts
