"""The Banjar demo's progress reports: which SKPD reports on which programme, how each story ends, what they write.

The loader plays these out over the last two years of the masterplan that have begun: most older periods
approved, some reports waiting in DKISP's review queue, some returned with a reason, some drafts, one reopened,
and a few lead programmes left unreported so they show as overdue.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    # Every lead report handed in: the SKPD the chasing page shows as up to date.
    ReportPlan("SOC-07", "SATPOL PP", DONE),
)

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
    "SOC-07": Story(
        activities=(
            "Penerusan aduan ketertiban dari LAPOR! ke regu patroli terdekat",
            "Patroli malam di kawasan Pasar Martapura berdasarkan peta aduan",
        ),
        obstacles=("Sebagian aduan tidak mencantumkan lokasi yang jelas.",),
        follow_up=("Menambahkan isian titik lokasi pada formulir aduan bersama DKISP.",),
        photo="Patroli Satpol PP Martapura",
    ),
}


def story_for(code: str, acronym: str) -> Story:
    return STORIES.get(f"{code}/{acronym}") or STORIES[code]
