"""The Kabupaten Banjar smart-city masterplan 2021–2025: its programmes, their indicators and yearly targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from masterplan.models import PeriodType, Programme

BASELINE_YEAR = 2020
CENT = Decimal("0.01")

T = Programme.Term
S = Programme.Status

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
        status=S.RUNNING,
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
