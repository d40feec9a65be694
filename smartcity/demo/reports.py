"""Banjar demo progress reports and evidence libraries, written through the real services.

The demo covers the last two years of the masterplan that have begun (or its last two years once it has ended):
most older periods approved, some reports waiting in DKISP's review queue, some returned with a reason, some
drafts, one reopened, and a few lead programmes left unreported so they show as overdue. Every SKPD that
reports gets a small library of real files (PDF, JPEG, PNG, xlsx) generated on the spot.

Idempotent: an existing report (programme, agency, year, period) or library entry (agency, title) is skipped,
so a second load calls no service and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency
from masterplan.models import PERIODS_PER_YEAR, Evidence, Indicator, Masterplan, PeriodType, Programme, ProgressReport
from masterplan.services.evidence import evidence_upload
from masterplan.services.reports import (
    report_approve,
    report_reopen,
    report_return,
    report_start,
    report_submit,
    report_update,
)
from smartcity.demo import files

Kind = Evidence.Kind
COORDINATOR = "dkisp"  # the DKISP coordinator reviews every report
CENT = Decimal("0.01")
MILLION = Decimal(1_000_000)
THOUSAND = Decimal(1000)
# Units whose values keep two decimals even when the targets happen to be whole numbers.
DECIMAL_UNITS = {"%", "indeks", "ton/ha", "ha", "ton/tahun"}
ROMAN = ("I", "II", "III", "IV")

# --- The plan: who reports on what, and how each programme's story ends ----------------------------------

# How the periods of one programme end up, read from the most recent backwards (older periods are approved).
STEADY = "steady"  # the latest period is submitted and waits in the review queue
RETURNED = "returned"  # the latest period was returned with a reason
DRAFT = "draft"  # the latest period is a draft still being filled in
LATE = "late"  # the two latest periods are not reported at all (overdue for a lead SKPD)
DONE = "done"  # everything approved
BOUNCED = "bounced"  # like steady, and an older period was returned once before it was approved
REOPENED = "reopened"  # an older approved period was reopened, corrected and resubmitted; the latest is a draft

MISSING_MINUTES = "Bukti dukung belum lengkap: lampirkan notulen rapat koordinasi dan daftar hadir."


@dataclass(frozen=True)
class ReportPlan:
    code: str
    agency: str
    profile: str
    reason: str = MISSING_MINUTES  # why DKISP returned it (RETURNED, BOUNCED)


REPORT_PLANS: tuple[ReportPlan, ...] = (
    ReportPlan("GOV-02", "DPMPTSP", BOUNCED),
    ReportPlan("GOV-02", "DLH", DONE),  # a supporting SKPD reports its own share
    ReportPlan("LIV-03", "DINKES", RETURNED),
    ReportPlan("SOC-05", "DINKES", STEADY),  # DINKES supports the command center (ambulans 119)
    ReportPlan("GOV-03", "DISDUKCAPIL", STEADY),
    ReportPlan("GOV-05", "DKISP", REOPENED),
    ReportPlan("GOV-07", "DKISP", LATE),
    ReportPlan("SOC-02", "DKISP", STEADY),
    ReportPlan("SOC-05", "DKISP", DRAFT),
    ReportPlan(
        "ENV-04",
        "DLH",
        RETURNED,
        reason=(
            "Realisasi jumlah bank sampah aktif belum didukung data: lampirkan rekap bank sampah per kecamatan "
            "beserta notulen verifikasi dan daftar hadir."
        ),
    ),
    ReportPlan("ENV-02", "BPBD", LATE),
    ReportPlan(
        "SOC-06",
        "BPBD",
        BOUNCED,
        reason="Foto pos pantau belum bertanggal dan notulen uji coba sirene belum dilampirkan; mohon dilengkapi.",
    ),
    ReportPlan("LIV-01", "DISPERKIM", STEADY),
    ReportPlan("BRA-07", "DISPERKIM", DONE),
)

# The operator who writes each reporting SKPD's reports (demo logins from banjar.USERS).
OPERATORS = {
    "DPMPTSP": "op.dpmptsp",
    "DINKES": "op.dinkes",
    "DKISP": "op.dkisp",
    "DISDUKCAPIL": "op.disdukcapil",
    "DLH": "op.dlh",
    "BPBD": "op.bpbd",
    "DISPERKIM": "op.disperkim",
}

REOPEN_REASON = (
    "Koreksi data: realisasi jumlah dataset tertulis kumulatif sejak 2021, bukan jumlah dataset terbit yang "
    "tercatat walidata. Mohon diperbaiki sesuai rekap portal Satu Data."
)


@dataclass(frozen=True)
class Story:
    """What an SKPD writes about a programme, period after period (picked in turn)."""

    activities: tuple[str, ...]
    obstacles: tuple[str, ...]
    follow_up: tuple[str, ...]
    photo: str  # the caption of its documentation photos


STORIES: dict[str, Story] = {
    "GOV-02": Story(
        activities=(
            "Pendampingan pelaku usaha mengurus NIB dan perizinan berbasis risiko lewat OSS-RBA di MPP Barokah",
            "Integrasi aplikasi perizinan daerah dengan OSS-RBA untuk persetujuan bangunan gedung bersama Dinas PUPR",
            "Layanan jemput bola perizinan UMKM di Kecamatan Gambut dan Kertak Hanyar",
            "Penerbitan persetujuan lingkungan secara daring bersama DLH tanpa tatap muka",
        ),
        obstacles=(
            "Sebagian pelaku usaha mikro belum memiliki akun OSS dan surel aktif.",
            "Gangguan jaringan di gerai MPP saat sinkronisasi data OSS-RBA.",
        ),
        follow_up=(
            "Membuka meja bantuan OSS setiap Selasa dan Kamis di MPP Barokah.",
            "Berkoordinasi dengan DKISP untuk penambahan kapasitas jaringan di MPP.",
        ),
        photo="Pendampingan OSS-RBA di MPP Barokah",
    ),
    "GOV-02/DLH": Story(
        activities=(
            "Verifikasi dokumen lingkungan (SPPL dan UKL-UPL) yang diajukan daring lewat OSS-RBA",
            "Penilaian persetujuan lingkungan tanpa tatap muka, kecuali peninjauan lapangan",
        ),
        obstacles=("Dokumen UKL-UPL yang diunggah pemohon sering belum lengkap.",),
        follow_up=("Menyusun contoh dokumen UKL-UPL yang dapat diunduh pemohon.",),
        photo="Verifikasi lapangan persetujuan lingkungan",
    ),
    "LIV-03": Story(
        activities=(
            "Perluasan telekonsultasi dokter spesialis RSUD Ratu Zalecha ke puskesmas",
            "Pelatihan tenaga kesehatan puskesmas menggunakan aplikasi telemedicine",
            "Sosialisasi layanan telemedicine kepada kader posyandu dan masyarakat",
            "Pengadaan perangkat telekonsultasi untuk puskesmas di wilayah rawa",
        ),
        obstacles=(
            "Sinyal internet di beberapa puskesmas wilayah rawa belum stabil.",
            "Jadwal dokter spesialis untuk telekonsultasi masih terbatas.",
        ),
        follow_up=(
            "Mengusulkan penguatan jaringan puskesmas kepada DKISP.",
            "Menyusun jadwal piket telekonsultasi bersama RSUD Ratu Zalecha.",
        ),
        photo="Sosialisasi Telemedicine Puskesmas",
    ),
    "SOC-05/DINKES": Story(
        activities=(
            "Integrasi layanan ambulans PSC 119 dengan panggilan darurat 112 di Banjar Command Center",
            "Penempatan petugas PSC 119 di ruang kendali command center pada jam sibuk",
        ),
        obstacles=("Data lokasi penelepon belum selalu terkirim ke petugas ambulans.",),
        follow_up=("Uji coba berbagi lokasi otomatis antara aplikasi 112 dan PSC 119.",),
        photo="Piket PSC 119 di Banjar Command Center",
    ),
    "GOV-03": Story(
        activities=(
            "Pelayanan perekaman KTP-el keliling ke sekolah dan pondok pesantren",
            "Pemasangan anjungan dukcapil mandiri di kantor kecamatan",
            "Layanan akta kelahiran dan KIA melalui WhatsApp dan aplikasi",
            "Sosialisasi Identitas Kependudukan Digital kepada ASN dan masyarakat",
        ),
        obstacles=(
            "Blangko KTP-el dari pusat sempat terbatas.",
            "Sebagian warga lanjut usia belum dapat menggunakan layanan daring.",
        ),
        follow_up=(
            "Mengajukan tambahan blangko KTP-el ke Ditjen Dukcapil.",
            "Menambah petugas pendamping di anjungan dukcapil mandiri.",
        ),
        photo="Perekaman KTP-el keliling",
    ),
    "GOV-05": Story(
        activities=(
            "Pembinaan walidata pendukung dan produsen data di SKPD",
            "Penerbitan dataset baru di portal Satu Data Banjar",
            "Forum Satu Data Banjar bersama Bappedalitbang dan BPS Kabupaten Banjar",
            "Penyusunan daftar data prioritas untuk perencanaan daerah",
        ),
        obstacles=(
            "Beberapa SKPD belum menunjuk produsen data secara resmi.",
            "Format dataset dari SKPD belum seragam.",
        ),
        follow_up=(
            "Menerbitkan surat edaran penunjukan produsen data di setiap SKPD.",
            "Menyediakan templat dataset baku di portal.",
        ),
        photo="Forum Satu Data Banjar",
    ),
    "GOV-07": Story(
        activities=(
            "Penyusunan arsitektur SPBE dan peta rencana SPBE Kabupaten Banjar",
            "Integrasi aplikasi kepegawaian dan keuangan lewat layanan interoperabilitas",
        ),
        obstacles=("Banyak aplikasi SKPD dibangun tanpa standar interoperabilitas.",),
        follow_up=("Menyusun katalog layanan SPBE dan standar API daerah.",),
        photo="Asistensi evaluasi SPBE",
    ),
    "SOC-02": Story(
        activities=(
            "Kelas literasi digital bersama Relawan TIK di sekolah menengah",
            "Pelatihan keamanan digital untuk pelaku UMKM",
            "Literasi digital bagi perangkat desa di Kecamatan Karang Intan",
            "Gerakan cakap digital di pondok pesantren Martapura",
        ),
        obstacles=("Peserta dari desa terpencil sulit hadir karena jarak dan biaya.",),
        follow_up=("Menjadwalkan kelas daring dan kelas keliling di kecamatan.",),
        photo="Kelas Literasi Digital Relawan TIK",
    ),
    "SOC-05": Story(
        activities=(
            "Penambahan titik CCTV terintegrasi di simpang dan pasar Martapura",
            "Penanganan panggilan darurat 112 selama 24 jam",
            "Penyusunan dasbor data daerah untuk pimpinan",
        ),
        obstacles=("Beberapa CCTV lama tidak mendukung integrasi ke pusat kendali.",),
        follow_up=("Mengganti CCTV lama secara bertahap melalui APBD perubahan.",),
        photo="Ruang kendali Banjar Command Center",
    ),
    "ENV-04": Story(
        activities=(
            "Pencatatan setoran nasabah bank sampah lewat aplikasi",
            "Pembinaan pengurus bank sampah baru di Kecamatan Kertak Hanyar",
            "Kerja sama pengepul untuk penyerapan sampah plastik",
            "Lomba bank sampah tingkat kecamatan",
        ),
        obstacles=(
            "Sebagian pengurus bank sampah belum terbiasa dengan aplikasi.",
            "Harga jual sampah plastik sedang turun.",
        ),
        follow_up=(
            "Pendampingan aplikasi oleh fasilitator kecamatan.",
            "Mencari pembeli sampah plastik baru melalui CSR.",
        ),
        photo="Penimbangan sampah di bank sampah",
    ),
    "ENV-02": Story(
        activities=(
            "Patroli masyarakat peduli api di lahan gambut Kecamatan Gambut",
            "Pemantauan titik panas harian dari data satelit",
        ),
        obstacles=("Akses ke lahan gambut terbakar sulit pada musim kemarau.",),
        follow_up=("Menambah sumur bor di titik rawan karhutla.",),
        photo="Patroli Masyarakat Peduli Api",
    ),
    "SOC-06": Story(
        activities=(
            "Pemasangan pos pantau tinggi muka air otomatis di DAS Martapura",
            "Uji coba sirene peringatan dini di desa rawan banjir",
            "Pelatihan relawan desa membaca peringatan dini",
            "Penyebaran peringatan dini melalui grup WhatsApp desa",
        ),
        obstacles=(
            "Sensor tinggi muka air sempat rusak tertimpa sampah kayu.",
            "Jaringan seluler di sebagian desa bantaran sungai lemah.",
        ),
        follow_up=("Memasang pelindung sensor dan jadwal perawatan bulanan.", "Menambah sirene di desa blank spot."),
        photo="Uji coba sirene peringatan dini banjir",
    ),
    "LIV-01": Story(
        activities=(
            "Verifikasi calon penerima bedah rumah berdasarkan DTKS",
            "Pelaksanaan bedah rumah tidak layak huni bersama TNI",
            "Serah terima rumah yang telah diperbaiki",
        ),
        obstacles=("Harga bahan bangunan naik sehingga nilai bantuan per unit berkurang.",),
        follow_up=("Menggalang swadaya masyarakat dan dana CSR untuk bahan bangunan.",),
        photo="Bedah Rumah Tidak Layak Huni",
    ),
    "BRA-07": Story(
        activities=(
            "Pemasangan titik WiFi publik di taman kota",
            "Penataan ruang terbuka hijau di Martapura",
        ),
        obstacles=("Vandalisme perangkat WiFi di taman.",),
        follow_up=("Memindahkan perangkat ke tiang yang diawasi CCTV.",),
        photo="Taman publik ber-WiFi Martapura",
    ),
}


def story_for(code: str, acronym: str) -> Story:
    return STORIES.get(f"{code}/{acronym}") or STORIES[code]


# --- Periods ---------------------------------------------------------------------------------------------


def report_years(masterplan: Masterplan, today: dt.date) -> list[int]:
    """Last year and this year, or the masterplan's last two years once it has ended (within its years)."""
    last = min(today.year, masterplan.end_year)
    return [year for year in (last - 1, last) if year in masterplan.years]


def report_periods(masterplan: Masterplan, today: dt.date) -> list[tuple[int, int]]:
    """(year, period) of the demo years whose period has begun, oldest first (as report_slots counts them)."""
    periods = PERIODS_PER_YEAR[masterplan.period_type]
    months = 12 // periods
    return [
        (year, period)
        for year in report_years(masterplan, today)
        for period in range(1, periods + 1)
        if dt.date(year, months * (period - 1) + 1, 1) <= today
    ]


def outcomes(profile: str, count: int) -> list[str]:
    """The fate of each of `count` periods, oldest first: approved unless the profile says otherwise."""
    fates = ["approved"] * count
    if count >= 3 and profile == BOUNCED:
        fates[-3] = "bounced"
    if count >= 3 and profile == REOPENED:
        fates[-3] = "reopened"
    if profile == LATE:
        for index in range(max(0, count - 2), count):
            fates[index] = "missing"
    elif count:
        fates[-1] = {
            STEADY: "submitted",
            BOUNCED: "submitted",
            RETURNED: "returned",
            DRAFT: "draft",
            REOPENED: "draft",
            DONE: "approved",
        }[profile]
    return fates


def period_words(period_type: str, year: int, period: int) -> str:
    if period_type == PeriodType.QUARTERLY:
        return f"triwulan {ROMAN[period - 1]} {year}"
    if period_type == PeriodType.SEMESTER:
        return f"semester {ROMAN[period - 1]} {year}"
    return f"tahun {year}"


# --- Deterministic "randomness" --------------------------------------------------------------------------


def _unit(*parts: object) -> Decimal:
    """A number in [0, 1) fixed by `parts`: the same demo on every run, different across programmes."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big")) / Decimal(2**32)


def _between(low: str, high: str, *parts: object) -> Decimal:
    return Decimal(low) + (Decimal(high) - Decimal(low)) * _unit(*parts)


def rupiah(value: Decimal) -> str:
    return "Rp " + f"{value:,.0f}".replace(",", ".")


def number(value: Decimal) -> str:
    """Indonesian notation: dots group thousands, a comma marks decimals."""
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


# --- Values ----------------------------------------------------------------------------------------------


def _whole(indicator: Indicator, targets: dict[int, Decimal]) -> bool:
    values = [indicator.baseline or Decimal(0), *targets.values()]
    return indicator.unit not in DECIMAL_UNITS and all(v == v.to_integral_value() for v in values)


def realisation(
    indicator: Indicator,
    targets: dict[int, Decimal],
    year: int,
    period: int,
    periods: int,
    *,
    lead: bool,
    skew: Decimal = Decimal(1),
) -> Decimal | None:
    """A plausible value for the period: on the way from last year's target to this year's, give or take."""
    target = targets.get(year)
    if target is None:
        return None
    share = Decimal(period) / Decimal(periods)
    factor = _between("0.82", "1.08", indicator.pk, indicator.name, year, period, lead)
    yearly_flow = "per tahun" in indicator.name or "/tahun" in indicator.unit
    if yearly_flow:  # counted afresh each year: a quarter's figure is a share of the year's target
        value = target * share * factor
    else:
        start = targets.get(year - 1, indicator.baseline if indicator.baseline is not None else Decimal(0))
        value = start + (target - start) * share * factor
    value *= skew
    if indicator.unit == "%":
        value = min(value, Decimal(100))
    value = max(value, Decimal(0))
    step = Decimal(1) if _whole(indicator, targets) else CENT
    return value.quantize(step, ROUND_HALF_UP).quantize(CENT)


def budget(code: str, acronym: str, year: int, period: int, periods: int, *, lead: bool) -> tuple[Decimal, Decimal]:
    """The year's budget (DPA) and what was spent by the end of the period: slow at first, as usual in APBD."""
    low, high = ("400", "2500") if lead else ("60", "350")
    plan = _between(low, high, code, acronym, year).quantize(Decimal(1)) * MILLION
    share = Decimal(period) / Decimal(periods)
    absorbed = Decimal(float(share) ** 1.3) * Decimal("0.95") * _between("0.88", "1.04", code, acronym, year, period)
    spent = min(plan * absorbed, plan)
    return plan, (spent / THOUSAND).quantize(Decimal(1)) * THOUSAND


# --- Evidence libraries ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceSpec:
    key: tuple[str, int]  # (kind, year) to find it again when attaching it to reports; year 0 = any year
    title: str
    kind: str
    filename: str
    make: Callable[[], bytes]  # called only when the entry is missing, so a second load generates nothing
    document_number: str = ""
    document_date: dt.date | None = None
    issuer: str = ""
    valid_until: dt.date | None = None

    @property
    def data(self) -> dict[str, object]:
        return {
            "title": self.title,
            "kind": self.kind,
            "document_number": self.document_number,
            "document_date": self.document_date,
            "issuer": self.issuer,
            "valid_until": self.valid_until,
        }


def _seq(*parts: object) -> int:
    """A plausible agenda number (nomor urut surat) that stays the same on every run."""
    return 100 + int(_unit(*parts) * 800)


PEOPLE = (
    "Hj. Noorhayati, S.Sos.",
    "Ahmad Rifani, S.Kom.",
    "Muhammad Syahriansyah, S.T.",
    "Rusdiana, S.E.",
    "H. Abdul Gafur, S.H.",
    "Siti Mariam, A.Md.",
    "Fahrurrazi, S.Kom., M.M.",
    "Ernawati, S.Pd.",
)

PERBUP = EvidenceSpec(
    key=("perbup", 0),
    title="Peraturan Bupati Banjar Nomor 47 Tahun 2021 tentang Masterplan Smart City Kabupaten Banjar 2021–2025",
    kind=Kind.PERBUP,
    filename="perbup-47-2021-masterplan-smart-city.pdf",
    make=lambda: files.pdf_document(
        title="Peraturan Bupati Banjar Nomor 47 Tahun 2021 tentang Masterplan Smart City Kabupaten Banjar "
        "Tahun 2021–2025",
        agency="Bupati Banjar",
        subtitle="Ditetapkan di Martapura pada tanggal 4 Oktober 2021",
        lines=(
            "Menimbang: bahwa untuk mewujudkan tata kelola pemerintahan dan pelayanan publik yang efektif dan "
            "efisien melalui pemanfaatan teknologi informasi dan komunikasi, perlu menetapkan Masterplan Smart "
            "City Kabupaten Banjar.",
            "Pasal 1: Masterplan Smart City Kabupaten Banjar terdiri atas Buku I Analisis Strategis dan Buku II "
            "Masterplan, yang merupakan lampiran tidak terpisahkan dari Peraturan Bupati ini.",
            "Pasal 2: Masterplan menjadi pedoman bagi Perangkat Daerah dalam menyusun program dan kegiatan smart "
            "city pada enam dimensi: governance, branding, economy, living, society dan environment.",
            "Pasal 3: Pelaksanaan masterplan dikoordinasikan oleh Tim Pelaksana Smart City dengan sekretariat "
            "pada Dinas Komunikasi, Informatika, Statistik dan Persandian.",
            "Peraturan Bupati ini mulai berlaku pada tanggal diundangkan.",
        ),
    ),
    document_number="47 Tahun 2021",
    document_date=dt.date(2021, 10, 4),
    issuer="Bupati Banjar",
)


def library(agency: Agency, code: str, years: Sequence[int], today: dt.date) -> list[EvidenceSpec]:
    """The evidence an SKPD keeps for its smart-city reporting: SK, minutes, attendance, photos, reports, DPA."""
    acr, name = agency.acronym, agency.name
    story = story_for(code, acr)
    specs: list[EvidenceSpec] = []
    for index, year in enumerate(years):
        slug = f"{acr.lower()}-{year}"
        meeting = dt.date(year, 3, 10 + index * 3)
        attendees = [PEOPLE[(index + i + len(acr)) % len(PEOPLE)] for i in range(6)]
        sk_title = f"Keputusan Kepala {name} tentang Tim Teknis Smart City Tahun {year}"
        sk_number = f"188.45/{_seq('sk', acr, year)}/{acr}/{year}"
        minutes_title = f"Notulen Rapat Koordinasi Smart City {acr} Tahun {year}"
        minutes_number = f"005/{_seq('minutes', acr, year)}/{acr}/{year}"
        attendance_title = f"Daftar Hadir Rapat Koordinasi Smart City {acr} Tahun {year}"
        caption = f"{story.photo} {year}"
        # One year as JPEG, the other as PNG: both formats appear in every library.
        as_jpeg = index % 2 == 0
        photo_make = partial(files.photo_jpeg if as_jpeg else files.photo_png, caption)
        extension = ".jpg" if as_jpeg else ".png"
        specs += [
            EvidenceSpec(
                key=("sk", year),
                title=sk_title,
                kind=Kind.SK,
                filename=f"sk-tim-teknis-smart-city-{slug}.pdf",
                document_number=sk_number,
                document_date=dt.date(year, 1, 6 + index),
                issuer=f"Kepala {name}",
                valid_until=dt.date(year, 12, 31),  # an SK Tim Teknis is issued for one budget year
                make=lambda t=sk_title, n=sk_number, y=year: files.pdf_document(
                    title=t,
                    agency=name,
                    subtitle=f"Nomor: {n}",
                    lines=(
                        "Menimbang: bahwa untuk kelancaran pelaksanaan program smart city pada "
                        f"{name}, perlu membentuk Tim Teknis Smart City Tahun {y}.",
                        "Mengingat: Peraturan Bupati Banjar Nomor 47 Tahun 2021 tentang Masterplan Smart City.",
                        f"KESATU: Membentuk Tim Teknis Smart City {acr} dengan susunan sebagaimana tercantum dalam "
                        "lampiran keputusan ini.",
                        "KEDUA: Tim bertugas menyusun rencana aksi, melaksanakan dan melaporkan capaian program "
                        "setiap triwulan kepada Tim Pelaksana Smart City melalui DKISP.",
                        f"KETIGA: Keputusan ini berlaku sejak tanggal ditetapkan sampai dengan 31 Desember {y}.",
                    ),
                ),
            ),
            EvidenceSpec(
                key=("minutes", year),
                title=minutes_title,
                kind=Kind.MINUTES,
                filename=f"notulen-rakor-smart-city-{slug}.pdf",
                document_number=minutes_number,
                document_date=meeting,
                issuer=name,
                make=lambda t=minutes_title, n=minutes_number, d=meeting, s=story, p=attendees: files.pdf_document(
                    title=t,
                    agency=name,
                    subtitle=f"Nomor: {n}",
                    lines=(
                        f"Tanggal: {d:%d-%m-%Y}, pukul 09.00 WITA. Tempat: ruang rapat {acr}, Martapura.",
                        f"Pimpinan rapat: {p[0]}. Notulis: {p[1]}.",
                        f"1. Capaian program: {s.activities[0]}.",
                        f"2. Kendala: {s.obstacles[0]}",
                        f"3. Tindak lanjut: {s.follow_up[0]}",
                        "4. Laporan capaian triwulan disampaikan kepada DKISP paling lambat tanggal 10 bulan "
                        "berikutnya.",
                    ),
                ),
            ),
            EvidenceSpec(
                key=("attendance", year),
                title=attendance_title,
                kind=Kind.ATTENDANCE,
                filename=f"daftar-hadir-rakor-{slug}.pdf",
                document_date=meeting,
                issuer=name,
                make=partial(
                    files.pdf_document,
                    title=attendance_title,
                    agency=name,
                    subtitle=f"Tanggal {meeting:%d-%m-%Y}",
                    lines=[f"{i}. {person} .......... (tanda tangan)" for i, person in enumerate(attendees, start=1)],
                ),
            ),
            EvidenceSpec(
                key=("photo", year),
                title=f"Foto Dokumentasi: {caption}",
                kind=Kind.PHOTO,
                filename=f"foto-{slug}{extension}",
                document_date=dt.date(year, 5, 14 + index),
                issuer=name,
                make=photo_make,
            ),
            EvidenceSpec(
                key=("dpa", year),
                title=f"DPA {name} Tahun Anggaran {year}",
                kind=Kind.DPA,
                filename=f"dpa-{slug}.xlsx",
                document_number=f"DPA/{_seq('dpa', acr, year)}/{acr}/{year}",
                document_date=dt.date(year - 1, 12, 28),
                issuer="BPKPAD Kabupaten Banjar",
                make=lambda y=year, s=story: files.xlsx_table(
                    title=f"Dokumen Pelaksanaan Anggaran {name} Tahun {y}",
                    header=("No", "Kegiatan", "Pagu (Rp)", "Sumber dana"),
                    rows=[
                        (i, activity, int(budget(code, acr, y, 4, 4, lead=True)[0]) // (i + 1), "APBD")
                        for i, activity in enumerate(s.activities, start=1)
                    ],
                ),
            ),
        ]
        report_date = dt.date(year + 1, 1, 15)
        if report_date <= today:  # the annual report exists once the year is over
            report_title = f"Laporan Capaian Program Smart City {acr} Tahun {year}"
            report_number = f"050/{_seq('report', acr, year)}/{acr}/{year + 1}"
            specs.append(
                EvidenceSpec(
                    key=("report", year),
                    title=report_title,
                    kind=Kind.REPORT,
                    filename=f"laporan-capaian-{slug}.pdf",
                    document_number=report_number,
                    document_date=report_date,
                    issuer=f"Kepala {name}",
                    make=lambda t=report_title, n=report_number, s=story: files.pdf_document(
                        title=t,
                        agency=name,
                        subtitle=f"Nomor: {n}",
                        lines=[
                            "BAB I Pendahuluan: laporan ini menyajikan capaian program smart city dan kendala "
                            "pelaksanaannya selama satu tahun anggaran.",
                            *(f"Kegiatan: {activity}." for activity in s.activities),
                            *(f"Kendala: {obstacle}" for obstacle in s.obstacles),
                            *(f"Tindak lanjut: {step}" for step in s.follow_up),
                        ],
                    ),
                )
            )
    if acr == "DKISP":
        first = years[0]
        tim_title = f"Keputusan Bupati Banjar tentang Tim Pelaksana Smart City Kabupaten Banjar Tahun {first}"
        tim_number = f"188.45/{_seq('tim', first)}/KUM/{first}"
        specs += [
            PERBUP,
            EvidenceSpec(
                key=("tim", 0),
                title=tim_title,
                kind=Kind.SK,
                filename=f"sk-bupati-tim-pelaksana-smart-city-{first}.pdf",
                document_number=tim_number,
                document_date=dt.date(first, 1, 20),
                issuer="Bupati Banjar",
                valid_until=dt.date(first, 12, 31),
                make=lambda: files.pdf_document(
                    title=tim_title,
                    agency="Bupati Banjar",
                    subtitle=f"Nomor: {tim_number}",
                    lines=(
                        "KESATU: Membentuk Dewan Smart City dan Tim Pelaksana Smart City Kabupaten Banjar.",
                        "KEDUA: Sekretariat Tim Pelaksana berkedudukan di DKISP, Bidang E-Government.",
                        "KETIGA: Tim Pelaksana melaporkan kemajuan pelaksanaan masterplan setiap triwulan.",
                    ),
                ),
            ),
            EvidenceSpec(
                key=("apps", 0),
                title=f"Inventaris Aplikasi Pemerintah Kabupaten Banjar Tahun {years[-1]}",
                kind=Kind.APP_INVENTORY,
                filename=f"inventaris-aplikasi-{years[-1]}.xlsx",
                document_date=dt.date(years[-1], 2, 3),
                issuer=name,
                make=lambda: files.xlsx_table(
                    title=f"Inventaris Aplikasi Pemerintah Kabupaten Banjar Tahun {years[-1]}",
                    header=("No", "Aplikasi", "Pemilik", "Status"),
                    rows=[
                        (1, "Portal Satu Data Banjar", "DKISP", "Aktif"),
                        (2, "SP4N-LAPOR!", "DKISP", "Aktif"),
                        (3, "Aplikasi Perizinan Daerah", "DPMPTSP", "Aktif, terintegrasi OSS-RBA"),
                        (4, "SRIKANDI", "DISPERSIP", "Aktif"),
                        (5, "Telemedicine Puskesmas", "DINKES", "Uji coba"),
                        (6, "Bank Sampah Digital", "DLH", "Aktif"),
                    ],
                ),
            ),
        ]
    if acr == "DPMPTSP":
        specs.append(PERBUP)  # the same file in a second library: stored once, described twice
    return specs


# --- Writing ---------------------------------------------------------------------------------------------


@dataclass
class _Context:
    masterplan: Masterplan
    agencies: dict[str, Agency]
    today: dt.date
    created: Callable[[str, object], None]
    users: dict[str, AbstractBaseUser] = field(default_factory=dict)
    evidence: dict[tuple[str, tuple[str, int]], Evidence] = field(default_factory=dict)


def load_reports(
    *,
    masterplan: Masterplan,
    agencies: dict[str, Agency],
    today: dt.date,
    created: Callable[[str, object], None],
) -> None:
    """Create the missing evidence entries and reports of REPORT_PLANS; existing ones are left as they are."""
    periods = report_periods(masterplan, today)
    if not periods:
        return
    ctx = _Context(masterplan, agencies, today, created)
    usernames = {COORDINATOR, *OPERATORS.values()}
    ctx.users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    years = sorted({year for year, _ in periods})
    _libraries(ctx, years)
    programmes = {
        p.code: p
        for p in Programme.objects.filter(masterplan=masterplan, code__in={plan.code for plan in REPORT_PLANS})
        .select_related("masterplan__region")
        .prefetch_related("indicators__targets")
    }
    existing = set(
        ProgressReport.objects.filter(programme__in=programmes.values()).values_list(
            "programme_id", "agency_id", "year", "period"
        )
    )
    for plan in REPORT_PLANS:
        programme = programmes[plan.code]
        agency = agencies[plan.agency]
        own = [(year, period) for year, period in periods if year in programme.years]
        for (year, period), fate in zip(own, outcomes(plan.profile, len(own)), strict=True):
            if fate == "missing" or (programme.pk, agency.pk, year, period) in existing:
                continue
            _report(ctx, plan, programme, agency, year, period, fate)


def _libraries(ctx: _Context, years: list[int]) -> None:
    acronyms = sorted({plan.agency for plan in REPORT_PLANS})
    have = {
        (e.agency_id, e.title): e
        for e in Evidence.objects.filter(agency__in=[ctx.agencies[a] for a in acronyms]).select_related("agency")
    }
    for acronym in acronyms:
        agency = ctx.agencies[acronym]
        code = next(plan.code for plan in REPORT_PLANS if plan.agency == acronym)
        uploader = ctx.users.get(OPERATORS[acronym])
        for spec in library(agency, code, years, ctx.today):
            evidence = have.get((agency.pk, spec.title))
            if evidence is None:
                upload = SimpleUploadedFile(spec.filename, spec.make())
                result = evidence_upload(agency=agency, by=uploader, upload=upload, data=spec.data)
                evidence = result.evidence
                if result.created:
                    ctx.created("evidence", evidence)
            ctx.evidence[(acronym, spec.key)] = evidence


def _attached(ctx: _Context, acronym: str, year: int, period: int, *, complete: bool) -> list[Evidence]:
    """The year's evidence for a report; an incomplete set (what DKISP returns) has only the SK and the photo."""
    kinds = ["sk", "photo"]
    if complete:
        kinds += ["minutes", "attendance"]
        if period == 1:
            kinds.append("dpa")  # the first report of the year shows the budget it works with
        if period == PERIODS_PER_YEAR[ctx.masterplan.period_type]:
            kinds.append("report")
    found = [ctx.evidence.get((acronym, (kind, year))) for kind in kinds]
    if complete and acronym == "DKISP":
        found.append(ctx.evidence.get((acronym, ("perbup", 0))))
    return [e for e in found if e is not None]


def _values(
    programme: Programme,
    agency: Agency,
    year: int,
    period: int,
    *,
    skew: Decimal = Decimal(1),
    only_first: bool = False,
) -> tuple[dict[int, tuple[Decimal | None, str]], list[str]]:
    """Realisations for the report, and a sentence per indicator for the narrative."""
    periods = PERIODS_PER_YEAR[programme.masterplan.period_type]
    lead = programme.lead_agency_id == agency.pk
    values: dict[int, tuple[Decimal | None, str]] = {}
    sentences = []
    indicators = sorted(programme.indicators.all(), key=lambda i: (i.order, i.pk))
    for position, indicator in enumerate(indicators):
        if only_first and position:
            break
        targets = {t.year: t.value for t in indicator.targets.all()}
        value = realisation(indicator, targets, year, period, periods, lead=lead, skew=skew)
        if value is None:
            continue
        note = "" if lead else f"Kontribusi {agency.acronym}"
        values[indicator.pk] = (value, note)
        sentences.append(
            f"{indicator.name} mencapai {number(value)} {indicator.unit} dari target {number(targets[year])} "
            f"{indicator.unit} tahun {year}."
        )
    return values, sentences


def _texts(
    programme: Programme, agency: Agency, year: int, period: int, sentences: Iterable[str], index: int
) -> dict[str, object]:
    story = story_for(programme.code, agency.acronym)
    periods = PERIODS_PER_YEAR[programme.masterplan.period_type]
    words = period_words(programme.masterplan.period_type, year, period)
    plan, spent = budget(
        programme.code, agency.acronym, year, period, periods, lead=programme.lead_agency_id == agency.pk
    )
    activity = story.activities[index % len(story.activities)]
    return {
        "narrative": f"Pada {words}: {activity}. "
        + " ".join(sentences)
        + f" Realisasi anggaran sampai akhir periode {rupiah(spent)} dari pagu {rupiah(plan)}.",
        "obstacles": story.obstacles[index % len(story.obstacles)],
        "follow_up": story.follow_up[index % len(story.follow_up)],
        "budget_plan": plan,
        "budget_realisation": spent,
    }


def _report(
    ctx: _Context, plan: ReportPlan, programme: Programme, agency: Agency, year: int, period: int, fate: str
) -> None:
    operator = ctx.users.get(OPERATORS[plan.agency])
    coordinator = ctx.users.get(COORDINATOR)
    index = year * 4 + period
    report = report_start(programme=programme, agency=agency, year=year, period=period, by=operator)
    ctx.created("reports", report)

    def save(*, complete: bool = True, skew: Decimal = Decimal(1), draft: bool = False) -> None:
        nonlocal report
        values, sentences = _values(programme, agency, year, period, skew=skew, only_first=draft)
        data = _texts(programme, agency, year, period, sentences, index)
        if draft:  # half-written: no spending figure, no evidence yet
            data["narrative"] = f"{data['narrative']} (draf, masih dilengkapi)"
            data["budget_realisation"] = None
        evidence = [] if draft else _attached(ctx, plan.agency, year, period, complete=complete)
        report = report_update(
            report=report,
            by=operator,
            expected_version=report.version,
            data=data,
            realisations=values,
            evidence=evidence,
        )

    if fate == "draft":
        save(draft=True)
        return
    if fate in {"returned", "bounced"}:
        save(complete=False)
        report = report_submit(report=report, by=operator)
        report = report_return(report=report, by=coordinator, reason=plan.reason)
        if fate == "returned":
            return
    if fate == "reopened":
        save(skew=Decimal("1.35"))  # the slip that the coordinator catches later
        report = report_submit(report=report, by=operator)
        report = report_approve(report=report, by=coordinator)
        report = report_reopen(report=report, by=coordinator, reason=REOPEN_REASON)
    save()
    report = report_submit(report=report, by=operator)
    if fate in {"approved", "bounced"}:
        report_approve(report=report, by=coordinator)
