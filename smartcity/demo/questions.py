"""The Banjar demo evaluation: its cycles, the questionnaire with the SKPDs' answers and the assessor's scores.

2023 Tahap I is done end to end: DKISP imports the questionnaire, assigns its questions to the SKPDs, the
operators answer with evidence from their libraries, DKISP verifies (returning one answer for missing notulen
first), locks the cycle, and the ministry's assessor scores it and writes the kekuatan/kelemahan/rekomendasi.
2024 starts from 2023 by carry-forward, so its answers are last year's drafts; about half have since been
updated (`QuestionSpec.update`), some verified, one returned. 2023 Tahap II (the ministry's second stage for the
regions that passed the first) also starts from Tahap I: the SKPDs confirm their answers and DKISP verifies
them, except DISDIK's, still untouched when the meeting date forced DKISP to lock with a reason; the assessor
has scored three of the six dimensions, so its index is provisional.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from evaluations.models import Lens, Question

D = Decimal
ONE = Decimal(1)
L = Lens
K = Question.Kind

STAGE = "Tahap I"
QUESTIONNAIRE_NAME = "Kuesioner Evaluasi Smart City Kabupaten Banjar"


@dataclass(frozen=True)
class CycleSpec:
    year: int
    letter_number: str
    opens_on: dt.date
    closes_on: dt.date
    internal_deadline: dt.date
    meeting_date: dt.date
    meeting_place: str
    weights: tuple[int, int, int, int, int]  # Baseline, Output, Outcome, Impact, Quick Win (%)
    stage: str = STAGE

    @property
    def data(self) -> dict[str, object]:
        return {
            "year": self.year,
            "stage": self.stage,
            "letter_number": self.letter_number,
            "opens_on": self.opens_on,
            "closes_on": self.closes_on,
            "internal_deadline": self.internal_deadline,
            "meeting_date": self.meeting_date,
            "meeting_place": self.meeting_place,
            **{f"weight_{lens}": D(w) for lens, w in zip(Lens.values, self.weights, strict=True)},
        }


CYCLE_2023 = CycleSpec(
    year=2023,
    letter_number="B-1187/DJAI.5/AI.01.05/04/2023",
    opens_on=dt.date(2023, 5, 2),
    closes_on=dt.date(2023, 5, 31),
    internal_deadline=dt.date(2023, 5, 26),
    meeting_date=dt.date(2023, 6, 12),
    meeting_place="Surabaya, Jawa Timur",
    weights=(10, 20, 30, 20, 20),
)
CYCLE_2023_II = CycleSpec(
    year=2023,
    stage="Tahap II",
    letter_number="B-1532/DJAI.5/AI.01.05/07/2023",
    opens_on=dt.date(2023, 7, 3),
    closes_on=dt.date(2023, 7, 28),
    internal_deadline=dt.date(2023, 7, 21),
    meeting_date=dt.date(2023, 8, 15),
    meeting_place="Jakarta, DKI Jakarta",
    weights=(10, 20, 30, 20, 20),
)
CYCLE_2024 = CycleSpec(
    year=2024,
    letter_number="B-1045/DJAI.5/AI.01.05/04/2024",
    opens_on=dt.date(2024, 5, 6),
    closes_on=dt.date(2024, 5, 31),
    internal_deadline=dt.date(2024, 5, 24),
    meeting_date=dt.date(2024, 6, 19),
    meeting_place="Denpasar, Bali",
    weights=(10, 20, 30, 30, 10),
)

# --- The questionnaire, with the 2023 answers and scores and what happened to each in 2024 ---------------

SUBMITTED = "submitted"
VERIFIED = "verified"
RETURNED = "returned"


@dataclass(frozen=True)
class Update:
    """A 2024 answer that was worked on after the carry-forward, and how far it got."""

    fate: str  # SUBMITTED, VERIFIED or RETURNED
    narrative: str
    value: object = None  # None: last year's value still holds
    reason: str = ""  # why DKISP returned it


@dataclass(frozen=True)
class QuestionSpec:
    """One question (the attributes questionnaire_import reads) and the demo's story of its answers."""

    code: str
    dimension: str  # Dimension.code
    element: str | None  # Element.code
    lens: str
    kind: str
    text: str
    agency: str  # the responsible SKPD
    value: object  # the 2023 answer, in the type its kind stores
    narrative: str
    score: Decimal  # the 2023 score (a whole level for a level question)
    supporting: tuple[str, ...] = ()
    help_text: str = ""
    choices: tuple[str, ...] = ()
    level_criteria: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # library documents attached (keys of `_document`), of the cycle's year
    evidence_required: bool = False
    weight: Decimal = ONE
    score_note: str = ""
    update: Update | None = None
    order: int = 0  # set from the position in QUESTIONS


SURVEY_HELP = (
    "Diisi dari survei dampak: tiga program per elemen, sampel purposif, dilaksanakan bersama SKPD pemilik program."
)

_QUESTIONS: tuple[QuestionSpec, ...] = (
    # --- Smart Governance ----------------------------------------------------------------------------------
    QuestionSpec(
        code="SG-01",
        dimension="governance",
        element="public-policy",
        lens=L.BASELINE,
        kind=K.YES_NO,
        text="Apakah Masterplan Smart City telah ditetapkan dengan Peraturan Bupati?",
        agency="DKISP",
        supporting=("BAG HUKUM",),
        value=True,
        weight=D(2),
        narrative="Ditetapkan dengan Peraturan Bupati Banjar Nomor 47 Tahun 2021 tanggal 4 Oktober 2021.",
        evidence=("perbup",),
        evidence_required=True,
        score=D("4.25"),
        score_note="Perbup ada; belum direviu terhadap perubahan RPJMD.",
        update=Update(VERIFIED, "Perbup 47/2021 masih berlaku; reviu masterplan dijadwalkan tahun 2025."),
    ),
    QuestionSpec(
        code="SG-02",
        dimension="governance",
        element="bureaucracy",
        lens=L.BASELINE,
        kind=K.LEVEL,
        text="Apakah Dewan Smart City dan Tim Pelaksana telah ditetapkan dengan SK dan bekerja rutin?",
        agency="DKISP",
        supporting=("BAG ORGANISASI",),
        value=3,
        weight=D(2),
        level_criteria=(
            "Belum ada SK Dewan Smart City maupun Tim Pelaksana.",
            "SK Dewan dan/atau Tim Pelaksana telah ditetapkan, tetapi belum ada kegiatan.",
            "Dewan dan Tim Pelaksana telah ditetapkan dan rapat sesekali (kurang dari empat kali setahun).",
            "Dewan dan Tim Pelaksana rapat rutin setiap triwulan dengan notulen dan tindak lanjut.",
            "Dewan dan Tim Pelaksana memantau capaian masterplan dan keputusannya ditindaklanjuti SKPD.",
        ),
        narrative="SK Bupati tentang Dewan dan Tim Pelaksana ditetapkan Januari 2023; rapat dua kali pada 2022.",
        evidence=("sk_dewan", "forum"),
        evidence_required=True,
        score=D(3),
        score_note="Rapat belum rutin; notulen baru dilampirkan setelah dikembalikan.",
        update=Update(VERIFIED, "Sejak Juli 2023 Tim Pelaksana rapat setiap triwulan (4 kali).", value=4),
    ),
    QuestionSpec(
        code="SG-03",
        dimension="governance",
        element="public-policy",
        lens=L.BASELINE,
        kind=K.CHOICE,
        text="Bagaimana keselarasan Masterplan Smart City dengan RPJMD dan Renstra Perangkat Daerah?",
        agency="BAPPEDALITBANG",
        supporting=("DKISP",),
        choices=(
            "Belum selaras",
            "Selaras dengan RPJMD saja",
            "Selaras dengan RPJMD dan sebagian Renstra",
            "Selaras dengan RPJMD dan seluruh Renstra terkait",
        ),
        value="Selaras dengan RPJMD dan sebagian Renstra",
        narrative="Program masterplan tercantum di RPJMD 2021–2026; baru 14 Renstra SKPD yang memuatnya.",
        evidence=("report",),
        evidence_required=True,
        score=D("3.25"),
        update=Update(SUBMITTED, "Renstra perubahan 2024 memuat program smart city di 19 SKPD."),
    ),
    QuestionSpec(
        code="SG-04",
        dimension="governance",
        element="bureaucracy",
        lens=L.OUTPUT,
        kind=K.TEXT,
        text="Uraikan sumber pendanaan program smart city dari APBD dan non-APBD (APBN, DAK, CSR, KPBU).",
        agency="BAPPEDALITBANG",
        supporting=("BPKPAD",),
        value=(
            "APBD 2023 membiayai 41 kegiatan smart city senilai Rp 38,6 miliar di 17 SKPD. Non-APBD: DAK "
            "sanitasi untuk Gebraks, APBN untuk MPP dan Adminduk, serta CSR Bank Kalsel untuk bank sampah dan "
            "WiFi taman. Belum ada skema KPBU."
        ),
        narrative="Rekap dari DPA seluruh SKPD dan laporan CSR.",
        evidence=("dpa",),
        evidence_required=True,
        score=D("2.75"),
        score_note="Pendanaan masih bertumpu pada APBD.",
        update=Update(
            SUBMITTED,
            "Rekap DPA 2024 dan perjanjian CSR baru.",
            value=(
                "APBD 2024 membiayai 46 kegiatan smart city senilai Rp 42,1 miliar. Non-APBD: DAK sanitasi, APBN "
                "untuk Adminduk, CSR Bank Kalsel dan PT PLN untuk PJU tenaga surya. Penjajakan KPBU PJU dimulai."
            ),
        ),
    ),
    QuestionSpec(
        code="SG-05",
        dimension="governance",
        element="bureaucracy",
        lens=L.OUTPUT,
        kind=K.NUMBER,
        text="Berapa kali forum atau rapat koordinasi smart city diselenggarakan dalam satu tahun terakhir?",
        agency="DKISP",
        supporting=("BAPPEDALITBANG",),
        value=D(2),
        narrative="Rapat Dewan Smart City Maret 2022 dan rakor Tim Pelaksana November 2022.",
        evidence=("forum",),
        evidence_required=True,
        score=D("2.50"),
        score_note="Forum belum berkala.",
        update=Update(VERIFIED, "Rakor Tim Pelaksana triwulanan dan satu forum Dewan pada 2023.", value=D(5)),
    ),
    QuestionSpec(
        code="SG-06",
        dimension="governance",
        element="bureaucracy",
        lens=L.OUTPUT,
        kind=K.NUMBER,
        text="Berapa nilai Indeks SPBE Kabupaten Banjar hasil evaluasi terakhir?",
        agency="DKISP",
        supporting=("BAG ORGANISASI",),
        value=D("2.36"),
        narrative="Indeks SPBE 2022 sebesar 2,36 (predikat Cukup) menurut hasil evaluasi Kementerian PANRB.",
        evidence=("spbe",),
        evidence_required=True,
        score=D("2.50"),
        update=Update(VERIFIED, "Indeks SPBE 2023 naik menjadi 2,71 (predikat Baik).", value=D("2.71")),
    ),
    QuestionSpec(
        code="SG-07",
        dimension="governance",
        element="public-service",
        lens=L.OUTCOME,
        kind=K.PERCENTAGE,
        text="Berapa persen program jangka pendek masterplan yang telah terlaksana?",
        agency="DKISP",
        supporting=("BAPPEDALITBANG",),
        value=D("68.00"),
        weight=D(2),
        narrative="17 dari 25 program jangka pendek telah terlaksana menurut laporan capaian 2022.",
        evidence=("report", "data"),
        evidence_required=True,
        score=D("3.50"),
        update=Update(VERIFIED, "19 dari 25 program jangka pendek telah terlaksana (2023).", value=D("76.00")),
    ),
    QuestionSpec(
        code="SG-08",
        dimension="governance",
        element="public-service",
        lens=L.OUTCOME,
        kind=K.NUMBER,
        text="Berapa jenis layanan perizinan dan nonperizinan yang dapat diajukan secara daring?",
        agency="DPMPTSP",
        supporting=("DKISP",),
        value=D(112),
        narrative="112 jenis layanan dapat diajukan lewat OSS-RBA dan aplikasi perizinan daerah.",
        evidence=("report", "data"),
        evidence_required=True,
        score=D("3.75"),
        update=Update(VERIFIED, "Bertambah 14 layanan nonperizinan daring pada 2023.", value=D(126)),
    ),
    QuestionSpec(
        code="SG-09",
        dimension="governance",
        element="bureaucracy",
        lens=L.OUTCOME,
        kind=K.LEVEL,
        text="Sejauh mana aplikasi pemerintah daerah telah terintegrasi melalui layanan interoperabilitas?",
        agency="DKISP",
        value=2,
        level_criteria=(
            "Aplikasi SKPD berdiri sendiri tanpa pertukaran data.",
            "Sebagian kecil aplikasi bertukar data secara manual atau lewat berkas ekspor.",
            "Layanan interoperabilitas tersedia dan menghubungkan beberapa aplikasi inti.",
            "Sebagian besar aplikasi inti terintegrasi lewat layanan interoperabilitas dengan katalog layanan.",
            "Seluruh aplikasi terintegrasi, dipantau, dan terhubung dengan SPLP nasional.",
        ),
        narrative="Baru aplikasi kepegawaian dan keuangan yang bertukar data; lainnya lewat ekspor berkas.",
        evidence=("apps",),
        evidence_required=True,
        score=D(2),
    ),
    QuestionSpec(
        code="SG-10",
        dimension="governance",
        element="public-service",
        lens=L.IMPACT,
        kind=K.NUMBER,
        text="Berapa nilai Indeks Kepuasan Masyarakat (IKM) Mal Pelayanan Publik hasil survei terakhir?",
        agency="DPMPTSP",
        value=D("82.14"),
        help_text=SURVEY_HELP,
        narrative="Survei kepuasan masyarakat semester II 2022 terhadap 400 responden di MPP Barokah.",
        evidence=("ikm",),
        evidence_required=True,
        score=D("3.50"),
        update=Update(SUBMITTED, "Survei semester II 2023 terhadap 420 responden.", value=D("83.47")),
    ),
    QuestionSpec(
        code="SG-11",
        dimension="governance",
        element="public-policy",
        lens=L.IMPACT,
        kind=K.PERCENTAGE,
        text="Berapa persen aduan SP4N-LAPOR! yang ditindaklanjuti dalam batas waktu?",
        agency="DKISP",
        supporting=("INSPEKTORAT",),
        value=D("81.50"),
        narrative="1.146 dari 1.406 aduan 2022 ditindaklanjuti dalam 5 hari kerja.",
        evidence=("report",),
        score=D("3.25"),
    ),
    QuestionSpec(
        code="SG-12",
        dimension="governance",
        element="public-service",
        lens=L.QUICK_WIN,
        kind=K.YES_NO,
        text="Apakah Mal Pelayanan Publik telah beroperasi dan dirasakan manfaatnya oleh masyarakat?",
        agency="DPMPTSP",
        supporting=("DISDUKCAPIL",),
        value=True,
        narrative="MPP Barokah beroperasi sejak 29 Januari 2020 dengan 30 gerai layanan.",
        evidence=("photo", "ikm"),
        evidence_required=True,
        score=D("4.25"),
        update=Update(VERIFIED, "MPP Barokah kini 34 gerai, termasuk layanan BPJS dan Samsat."),
    ),
    QuestionSpec(
        code="SG-13",
        dimension="governance",
        element="bureaucracy",
        lens=L.OUTPUT,
        kind=K.CHOICE,
        text="Bagaimana kelembagaan pengelola smart city dalam struktur perangkat daerah?",
        agency="BAG ORGANISASI",
        supporting=("DKISP",),
        choices=(
            "Belum ada unit pengelola",
            "Ditangani tim ad hoc",
            "Bidang atau seksi khusus di dinas kominfo",
            "Unit khusus dengan tugas dan fungsi dalam Perbup SOTK",
        ),
        value="Bidang atau seksi khusus di dinas kominfo",
        narrative="Bidang E-Government DKISP menjadi sekretariat Tim Pelaksana sesuai Perbup SOTK 2021.",
        evidence=("report",),
        evidence_required=True,
        score=D("3.25"),
    ),
    # --- Smart Branding ------------------------------------------------------------------------------------
    QuestionSpec(
        code="SB-01",
        dimension="branding",
        element="tourism-branding",
        lens=L.BASELINE,
        kind=K.YES_NO,
        text="Apakah daerah telah memiliki city branding (logo dan tagline) yang ditetapkan?",
        agency="DISPORAPAR",
        value=True,
        narrative='Branding "Martapura Serambi Mekkah" ditetapkan dengan Keputusan Bupati dan dipakai di promosi.',
        evidence=("report",),
        evidence_required=True,
        score=D("3.50"),
    ),
    QuestionSpec(
        code="SB-02",
        dimension="branding",
        element="tourism-branding",
        lens=L.OUTPUT,
        kind=K.NUMBER,
        text="Berapa destinasi wisata yang dipromosikan lewat kanal digital resmi pemerintah daerah?",
        agency="DISPORAPAR",
        supporting=("DKISP",),
        value=D(24),
        narrative="24 destinasi tampil di situs dan media sosial resmi, antara lain Pasar Intan dan Pulau Kembang.",
        evidence=("data",),
        evidence_required=True,
        score=D("3.25"),
    ),
    QuestionSpec(
        code="SB-03",
        dimension="branding",
        element="business-branding",
        lens=L.OUTPUT,
        kind=K.CHOICE,
        text="Bagaimana dukungan pemerintah daerah terhadap branding produk unggulan (intan, sasirangan, kuliner)?",
        agency="DISDAG",
        supporting=("DISKOPUKM", "DISPERIN"),
        choices=(
            "Belum ada program",
            "Promosi sesekali pada pameran",
            "Program promosi rutin dengan katalog digital",
            "Ekosistem branding terpadu dengan sertifikasi dan pemasaran daring",
        ),
        value="Program promosi rutin dengan katalog digital",
        narrative="Katalog digital produk unggulan dan promosi rutin di Pasar Intan Cahaya Bumi Selamat.",
        evidence=("report",),
        evidence_required=True,
        score=D("3.25"),
    ),
    QuestionSpec(
        code="SB-04",
        dimension="branding",
        element="tourism-branding",
        lens=L.OUTCOME,
        kind=K.NUMBER,
        text="Berapa jumlah kunjungan wisatawan (nusantara dan mancanegara) dalam satu tahun terakhir?",
        agency="DISPORAPAR",
        value=D(412350),
        narrative="Data kunjungan 2022, terbanyak ke wisata religi Martapura dan Pasar Terapung Lok Baintan.",
        evidence=("data",),
        evidence_required=True,
        score=D("3.25"),
        update=Update(SUBMITTED, "Data kunjungan 2023 dari pengelola destinasi.", value=D(468900)),
    ),
    QuestionSpec(
        code="SB-05",
        dimension="branding",
        element="city-appearance",
        lens=L.OUTCOME,
        kind=K.LEVEL,
        text="Sejauh mana penataan wajah kota (taman, ruang publik, pedestrian) dilaksanakan sesuai masterplan?",
        agency="DISPERKIM",
        supporting=("PUPR",),
        value=3,
        level_criteria=(
            "Belum ada rencana penataan wajah kota dalam masterplan.",
            "Rencana penataan telah disusun, tetapi belum dilaksanakan.",
            "Sebagian kegiatan penataan telah dilaksanakan di pusat kota.",
            "Penataan dilaksanakan di pusat kota dan kawasan strategis sesuai jadwal masterplan.",
            "Penataan selesai sesuai masterplan dan dipelihara bersama masyarakat.",
        ),
        narrative="Taman Kota Cahaya Bumi Selamat dan pedestrian Jalan A. Yani telah ditata.",
        evidence=("photo",),
        evidence_required=True,
        score=D(3),
    ),
    QuestionSpec(
        code="SB-06",
        dimension="branding",
        element="tourism-branding",
        lens=L.IMPACT,
        kind=K.PERCENTAGE,
        text="Berapa persen kenaikan PAD sektor pariwisata dibanding tahun sebelumnya?",
        agency="DISPORAPAR",
        supporting=("BPKPAD",),
        value=D("12.40"),
        help_text=SURVEY_HELP,
        narrative="PAD pajak hotel, restoran dan hiburan naik 12,4% dari 2021 ke 2022.",
        evidence=("data",),
        score=D("3.00"),
    ),
    QuestionSpec(
        code="SB-07",
        dimension="branding",
        element="city-appearance",
        lens=L.QUICK_WIN,
        kind=K.YES_NO,
        text="Apakah tersedia WiFi publik di ruang publik yang aktif digunakan warga?",
        agency="DISPERKIM",
        supporting=("DKISP",),
        value=True,
        narrative="WiFi publik di 6 taman dan ruang terbuka hijau Martapura.",
        evidence=("photo",),
        evidence_required=True,
        score=D("3.50"),
    ),
    QuestionSpec(
        code="SB-08",
        dimension="branding",
        element="tourism-branding",
        lens=L.OUTPUT,
        kind=K.TEXT,
        text="Uraikan event atau festival daerah yang dipromosikan secara digital dan hasilnya.",
        agency="DISPORAPAR",
        supporting=("DKISP",),
        value=(
            "Festival Pasar Terapung Lok Baintan dan Banjar Expo dipromosikan lewat media sosial dan situs resmi; "
            "tiket dan pendaftaran peserta UMKM dilakukan daring."
        ),
        narrative="Bukti berupa rekap jangkauan unggahan dan daftar peserta.",
        evidence=("report",),
        score=D("2.75"),
        score_note="Dampak promosi belum diukur.",
    ),
    # --- Smart Economy -------------------------------------------------------------------------------------
    QuestionSpec(
        code="SE-01",
        dimension="economy",
        element="industry",
        lens=L.BASELINE,
        kind=K.NUMBER,
        text="Berapa jumlah UMKM yang tercatat dalam basis data daerah?",
        agency="DISKOPUKM",
        value=D(28765),
        narrative="Pendataan UMKM 2022 bersama kecamatan, terhubung ke Satu Data Banjar.",
        evidence=("data",),
        evidence_required=True,
        score=D("3.25"),
        update=Update(SUBMITTED, "Pemutakhiran data UMKM 2023.", value=D(30112)),
    ),
    QuestionSpec(
        code="SE-02",
        dimension="economy",
        element="transactions",
        lens=L.OUTPUT,
        kind=K.YES_NO,
        text="Apakah retribusi pasar daerah telah dapat dibayar secara nontunai (QRIS atau virtual account)?",
        agency="DISDAG",
        supporting=("BPKPAD",),
        value=True,
        narrative="E-retribusi dengan QRIS berlaku di Pasar Martapura sejak Agustus 2022.",
        evidence=("report",),
        evidence_required=True,
        score=D("3.50"),
    ),
    QuestionSpec(
        code="SE-03",
        dimension="economy",
        element="industry",
        lens=L.OUTPUT,
        kind=K.LEVEL,
        text="Sejauh mana UMKM didampingi untuk masuk ke pemasaran digital (marketplace dan katalog elektronik)?",
        agency="DISKOPUKM",
        supporting=("DISPERIN", "DISDAG"),
        value=3,
        level_criteria=(
            "Belum ada pendampingan pemasaran digital bagi UMKM.",
            "Pendampingan sebatas sosialisasi satu kali.",
            "Pendampingan rutin bagi UMKM binaan untuk masuk marketplace.",
            "Pendampingan rutin disertai kurasi produk dan masuk katalog elektronik daerah.",
            "UMKM binaan berjualan daring secara mandiri dan omzetnya dipantau berkala.",
        ),
        narrative="Klinik UMKM mendampingi 600 UMKM binaan per tahun masuk marketplace.",
        evidence=("minutes",),
        evidence_required=True,
        score=D(3),
    ),
    QuestionSpec(
        code="SE-04",
        dimension="economy",
        element="industry",
        lens=L.OUTCOME,
        kind=K.NUMBER,
        text="Berapa jumlah UMKM yang telah memasarkan produknya secara daring?",
        agency="DISKOPUKM",
        value=D(4120),
        narrative="Hasil pendataan UMKM 2022 yang memiliki toko di marketplace atau media sosial.",
        evidence=("data",),
        evidence_required=True,
        score=D("3.25"),
    ),
    QuestionSpec(
        code="SE-05",
        dimension="economy",
        element="transactions",
        lens=L.OUTCOME,
        kind=K.PERCENTAGE,
        text="Berapa persen pedagang pasar daerah yang telah menerima pembayaran nontunai (QRIS)?",
        agency="DISDAG",
        supporting=("BAG PEREKONOMIAN",),
        value=D("37.50"),
        narrative="1.260 dari 3.360 pedagang di pasar daerah memiliki QRIS (data Bank Indonesia dan Bank Kalsel).",
        evidence=("data",),
        evidence_required=True,
        score=D("3.00"),
    ),
    QuestionSpec(
        code="SE-06",
        dimension="economy",
        element="welfare",
        lens=L.IMPACT,
        kind=K.PERCENTAGE,
        text="Berapa persen kenaikan omzet UMKM binaan yang berjualan daring (hasil survei)?",
        agency="DISKOPUKM",
        value=D("18.00"),
        help_text=SURVEY_HELP,
        narrative="Survei terhadap 150 UMKM binaan dari tiga program pendampingan.",
        evidence=("survey",),
        evidence_required=True,
        score=D("3.00"),
    ),
    QuestionSpec(
        code="SE-07",
        dimension="economy",
        element="transactions",
        lens=L.QUICK_WIN,
        kind=K.CHOICE,
        text="Bagaimana status pasar daerah percontohan digital (pasar pintar)?",
        agency="DISDAG",
        choices=("Belum direncanakan", "Direncanakan", "Uji coba di satu pasar", "Beroperasi di lebih dari satu pasar"),
        value="Uji coba di satu pasar",
        narrative="Uji coba di Pasar Martapura: QRIS, e-retribusi dan informasi harga harian.",
        evidence=("photo",),
        evidence_required=True,
        score=D("3.25"),
    ),
    QuestionSpec(
        code="SE-08",
        dimension="economy",
        element="welfare",
        lens=L.OUTPUT,
        kind=K.TEXT,
        text="Uraikan program pemberdayaan ekonomi masyarakat berbasis digital (koperasi, BUMDes) yang berjalan.",
        agency="DISKOPUKM",
        supporting=("DPMD",),
        value=(
            "Pelatihan pembukuan digital koperasi (42 koperasi), aplikasi kasir BUMDes di 12 desa, dan kelas "
            "pemasaran daring bersama Rumah BUMN."
        ),
        narrative="Daftar peserta dan laporan kegiatan terlampir.",
        evidence=("report",),
        score=D("2.75"),
    ),
    # --- Smart Living --------------------------------------------------------------------------------------
    QuestionSpec(
        code="SL-01",
        dimension="living",
        element="health",
        lens=L.BASELINE,
        kind=K.YES_NO,
        text="Apakah seluruh puskesmas telah menggunakan rekam medis elektronik?",
        agency="DINKES",
        value=False,
        narrative="Baru 18 dari 25 puskesmas; sisanya terkendala jaringan di wilayah rawa.",
        evidence=("report",),
        score=D("2.50"),
    ),
    QuestionSpec(
        code="SL-02",
        dimension="living",
        element="health",
        lens=L.OUTPUT,
        kind=K.NUMBER,
        text="Berapa puskesmas yang terhubung layanan telemedicine dengan RSUD?",
        agency="DINKES",
        supporting=("RSUD RZ",),
        value=D(9),
        narrative="Telekonsultasi dokter spesialis RSUD Ratu Zalecha di 9 puskesmas.",
        evidence=("report",),
        evidence_required=True,
        score=D("3.00"),
        update=Update(SUBMITTED, "Bertambah 5 puskesmas pada 2023.", value=D(14)),
    ),
    QuestionSpec(
        code="SL-03",
        dimension="living",
        element="health",
        lens=L.OUTPUT,
        kind=K.LEVEL,
        text="Sejauh mana layanan kegawatdaruratan (PSC 119) terintegrasi dengan panggilan darurat 112?",
        agency="DINKES",
        supporting=("DKISP", "BPBD"),
        value=3,
        level_criteria=(
            "Layanan gawat darurat belum memiliki nomor terpadu.",
            "PSC 119 beroperasi terpisah dari panggilan darurat 112.",
            "PSC 119 dan 112 saling meneruskan panggilan secara manual.",
            "PSC 119 terhubung dengan 112 di satu pusat kendali, termasuk berbagi lokasi penelepon.",
            "Terintegrasi penuh, dengan pemantauan waktu tanggap dan evaluasi berkala.",
        ),
        narrative="Petugas PSC 119 piket di Banjar Command Center; panggilan 112 diteruskan manual.",
        evidence=("minutes",),
        evidence_required=True,
        score=D(3),
    ),
    QuestionSpec(
        code="SL-04",
        dimension="living",
        element="health",
        lens=L.OUTCOME,
        kind=K.PERCENTAGE,
        text="Berapa persen persalinan yang ditolong tenaga kesehatan di fasilitas kesehatan?",
        agency="DINKES",
        value=D("92.30"),
        narrative="Profil Kesehatan Kabupaten Banjar 2022.",
        evidence=("data",),
        evidence_required=True,
        score=D("3.50"),
        update=Update(SUBMITTED, "Profil Kesehatan 2023.", value=D("94.10")),
    ),
    QuestionSpec(
        code="SL-05",
        dimension="living",
        element="mobility",
        lens=L.OUTCOME,
        kind=K.CHOICE,
        text="Bagaimana ketersediaan informasi transportasi dan lalu lintas secara daring bagi warga?",
        agency="DISHUB",
        supporting=("DKISP",),
        choices=(
            "Belum tersedia",
            "Informasi statis di situs web",
            "Informasi rute dan jadwal angkutan secara daring",
            "Informasi lalu lintas waktu nyata yang terintegrasi CCTV",
        ),
        value="Informasi rute dan jadwal angkutan secara daring",
        narrative="Rute dan jadwal angkutan perdesaan serta bus sekolah tersedia di situs Dishub.",
        evidence=("report",),
        evidence_required=True,
        score=D("2.75"),
    ),
    QuestionSpec(
        code="SL-06",
        dimension="living",
        element="health",
        lens=L.IMPACT,
        kind=K.PERCENTAGE,
        text="Berapa persen pengguna telemedicine yang puas terhadap layanan (hasil survei)?",
        agency="DINKES",
        value=D("84.00"),
        help_text=SURVEY_HELP,
        narrative="Survei terhadap 210 pasien telekonsultasi di 9 puskesmas.",
        evidence=("survey",),
        evidence_required=True,
        score=D("3.50"),
        update=Update(SUBMITTED, "Survei 2023 terhadap 260 pasien di 14 puskesmas.", value=D("86.50")),
    ),
    QuestionSpec(
        code="SL-07",
        dimension="living",
        element="harmony",
        lens=L.IMPACT,
        kind=K.NUMBER,
        text="Berapa rumah tidak layak huni yang diperbaiki dalam satu tahun terakhir?",
        agency="DISPERKIM",
        supporting=("DINSOS",),
        value=D(350),
        narrative="Bedah rumah 2022 dari APBD, DAK dan swadaya bersama TNI.",
        evidence=("report", "photo"),
        evidence_required=True,
        score=D("3.25"),
        update=Update(VERIFIED, "Bedah rumah 2023.", value=D(410)),
    ),
    QuestionSpec(
        code="SL-08",
        dimension="living",
        element="health",
        lens=L.QUICK_WIN,
        kind=K.YES_NO,
        text="Apakah tersedia ambulans gratis yang dapat dipanggil lewat satu nomor darurat?",
        agency="DINKES",
        supporting=("RSUD RZ",),
        value=True,
        narrative="Ambulans PSC 119 gratis, 24 jam, 8 unit siaga.",
        evidence=("photo",),
        evidence_required=True,
        score=D("3.75"),
        update=Update(SUBMITTED, "Kini 10 unit ambulans siaga 24 jam."),
    ),
    # --- Smart Society -------------------------------------------------------------------------------------
    QuestionSpec(
        code="SS-01",
        dimension="society",
        element="learning",
        lens=L.BASELINE,
        kind=K.PERCENTAGE,
        text="Berapa persen satuan pendidikan (SD dan SMP) yang memiliki akses internet?",
        agency="DISDIK",
        supporting=("DKISP",),
        value=D("71.40"),
        narrative="Dapodik 2022: 352 dari 493 sekolah terhubung internet.",
        evidence=("data",),
        evidence_required=True,
        score=D("3.00"),
        update=Update(SUBMITTED, "Dapodik 2023: 388 dari 494 sekolah.", value=D("78.60")),
    ),
    QuestionSpec(
        code="SS-02",
        dimension="society",
        element="learning",
        lens=L.OUTPUT,
        kind=K.YES_NO,
        text="Apakah tersedia platform pembelajaran daring yang digunakan sekolah kewenangan daerah?",
        agency="DISDIK",
        value=True,
        narrative="Platform Merdeka Mengajar dan kelas daring Disdik dipakai di SD dan SMP.",
        evidence=("report",),
        evidence_required=True,
        score=D("3.25"),
    ),
    QuestionSpec(
        code="SS-03",
        dimension="society",
        element="security",
        lens=L.OUTPUT,
        kind=K.LEVEL,
        text="Sejauh mana sistem peringatan dini bencana (banjir dan karhutla) menjangkau desa rawan?",
        agency="BPBD",
        supporting=("DKISP",),
        value=2,
        level_criteria=(
            "Belum ada sistem peringatan dini.",
            "Peringatan dini manual (pengeras suara, telepon) di sebagian desa rawan.",
            "Sensor otomatis dan sirene terpasang di sebagian desa rawan.",
            "Sensor, sirene dan pesan WhatsApp menjangkau sebagian besar desa rawan.",
            "Seluruh desa rawan terjangkau dan sistem diuji rutin bersama masyarakat.",
        ),
        narrative="Pos pantau otomatis pertama dipasang 2022; desa lain masih peringatan manual.",
        evidence=("report", "photo"),
        evidence_required=True,
        score=D(2),
    ),
    QuestionSpec(
        code="SS-04",
        dimension="society",
        element="community",
        lens=L.OUTCOME,
        kind=K.NUMBER,
        text="Berapa warga yang mengikuti pelatihan literasi digital dalam satu tahun terakhir?",
        agency="DKISP",
        supporting=("DISDIK",),
        value=D(3250),
        narrative="Kelas literasi digital bersama Relawan TIK di sekolah, pesantren dan desa.",
        evidence=("report",),
        evidence_required=True,
        score=D("3.25"),
        update=Update(SUBMITTED, "Kelas literasi digital 2023, termasuk kelas keliling kecamatan.", value=D(4100)),
    ),
    QuestionSpec(
        code="SS-05",
        dimension="society",
        element="security",
        lens=L.OUTCOME,
        kind=K.NUMBER,
        text="Berapa menit rata-rata waktu tanggap BPBD terhadap laporan kejadian bencana?",
        agency="BPBD",
        value=D(45),
        narrative="Rekap laporan kejadian Pusdalops 2022.",
        evidence=("data",),
        evidence_required=True,
        score=D("3.00"),
    ),
    QuestionSpec(
        code="SS-06",
        dimension="society",
        element="learning",
        lens=L.IMPACT,
        kind=K.PERCENTAGE,
        text="Berapa persen guru yang telah memanfaatkan TIK dalam pembelajaran (hasil survei)?",
        agency="DISDIK",
        value=D("63.00"),
        help_text=SURVEY_HELP,
        narrative="Survei terhadap 300 guru SD dan SMP di 12 kecamatan.",
        evidence=("survey",),
        evidence_required=True,
        score=D("3.00"),
    ),
    QuestionSpec(
        code="SS-07",
        dimension="society",
        element="security",
        lens=L.QUICK_WIN,
        kind=K.YES_NO,
        text="Apakah layanan panggilan darurat 112 beroperasi 24 jam?",
        agency="DKISP",
        supporting=("BPBD", "DINKES"),
        value=True,
        narrative="Call center 112 di Banjar Command Center beroperasi 24 jam sejak 2021.",
        evidence=("report", "photo"),
        evidence_required=True,
        score=D("3.75"),
    ),
    QuestionSpec(
        code="SS-08",
        dimension="society",
        element="community",
        lens=L.BASELINE,
        kind=K.TEXT,
        text="Uraikan komunitas TIK dan relawan yang terlibat dalam program smart city.",
        agency="DKISP",
        value=(
            "Relawan TIK Kabupaten Banjar (86 anggota), komunitas pengembang Banjar Developer, dan duta literasi "
            "digital pelajar."
        ),
        narrative="SK relawan dan dokumentasi kegiatan.",
        evidence=("report",),
        score=D("3.00"),
    ),
    # --- Smart Environment ---------------------------------------------------------------------------------
    QuestionSpec(
        code="SEN-01",
        dimension="environment",
        element="protection",
        lens=L.BASELINE,
        kind=K.NUMBER,
        text="Berapa nilai Indeks Kualitas Lingkungan Hidup (IKLH) tahun terakhir?",
        agency="DLH",
        value=D("66.82"),
        narrative="IKLH 2022 menurut KLHK.",
        evidence=("data",),
        evidence_required=True,
        score=D("3.00"),
        update=Update(SUBMITTED, "IKLH 2023 menurut KLHK.", value=D("67.40")),
    ),
    QuestionSpec(
        code="SEN-02",
        dimension="environment",
        element="waste",
        lens=L.OUTPUT,
        kind=K.NUMBER,
        text="Berapa bank sampah aktif yang tercatat?",
        agency="DLH",
        supporting=("DISKOPUKM",),
        value=D(78),
        narrative="Bank sampah aktif 2022, tercatat di aplikasi Bank Sampah Digital.",
        evidence=("data",),
        evidence_required=True,
        score=D("3.25"),
        update=Update(VERIFIED, "Bank sampah aktif 2023.", value=D(96)),
    ),
    QuestionSpec(
        code="SEN-03",
        dimension="environment",
        element="protection",
        lens=L.OUTPUT,
        kind=K.YES_NO,
        text="Apakah tersedia pemantauan kualitas air atau udara secara daring?",
        agency="DLH",
        value=False,
        narrative="Belum ada; stasiun ONLIMO Sungai Martapura direncanakan mulai 2025.",
        score=D("1.50"),
        score_note="Belum ada pemantauan daring.",
    ),
    QuestionSpec(
        code="SEN-04",
        dimension="environment",
        element="waste",
        lens=L.OUTCOME,
        kind=K.PERCENTAGE,
        text="Berapa persen sampah rumah tangga yang terkelola (dikurangi dan ditangani) sesuai Jakstrada?",
        agency="DLH",
        supporting=("DISPERKIM",),
        value=D("58.40"),
        narrative="Data SIPSN 2022.",
        evidence=("data",),
        evidence_required=True,
        score=D("2.75"),
        update=Update(
            RETURNED,
            "Perkiraan DLH untuk 2023.",
            value=D("61.20"),
            reason=(
                "Angka 61,2% belum sesuai data SIPSN 2023 (58,9%). Mohon perbaiki dan lampirkan rekap SIPSN "
                "sebagai bukti dukung."
            ),
        ),
    ),
    QuestionSpec(
        code="SEN-05",
        dimension="environment",
        element="energy",
        lens=L.OUTCOME,
        kind=K.LEVEL,
        text="Sejauh mana pemanfaatan energi terbarukan (PJU tenaga surya, PLTS) dilaksanakan?",
        agency="DISHUB",
        supporting=("DISPERKIM", "PUPR"),
        value=2,
        level_criteria=(
            "Belum ada pemanfaatan energi terbarukan oleh pemerintah daerah.",
            "Uji coba terbatas, misalnya beberapa titik PJU tenaga surya.",
            "Program PJU tenaga surya berjalan di beberapa kecamatan.",
            "PJU tenaga surya dan PLTS atap gedung pemerintah berjalan sesuai target.",
            "Energi terbarukan menjadi kebijakan daerah dengan target dan pemantauan emisi.",
        ),
        narrative="180 titik PJU tenaga surya di jalan desa; PLTS atap belum dimulai.",
        evidence=("photo",),
        evidence_required=True,
        score=D(2),
    ),
    QuestionSpec(
        code="SEN-06",
        dimension="environment",
        element="waste",
        lens=L.IMPACT,
        kind=K.PERCENTAGE,
        text="Berapa persen rumah tangga dengan akses sanitasi layak?",
        agency="DISPERKIM",
        supporting=("DINKES",),
        value=D("81.20"),
        narrative="Naik dari 78,4% berkat Gebraks; data STBM 2022.",
        evidence=("data",),
        evidence_required=True,
        score=D("3.25"),
        update=Update(VERIFIED, "Data STBM 2023.", value=D("84.60")),
    ),
    QuestionSpec(
        code="SEN-07",
        dimension="environment",
        element="waste",
        lens=L.QUICK_WIN,
        kind=K.CHOICE,
        text="Bagaimana status penghapusan jamban apung (program Gebraks)?",
        agency="DISPERKIM",
        supporting=("DINKES", "DPMD"),
        choices=(
            "Belum dimulai",
            "Pendataan",
            "Sebagian dihapus (kurang dari 50%)",
            "Sebagian besar dihapus (50% atau lebih)",
            "Seluruhnya dihapus",
        ),
        value="Sebagian besar dihapus (50% atau lebih)",
        narrative="1.320 dari 1.840 jamban apung telah diganti jamban sehat.",
        evidence=("report", "photo"),
        evidence_required=True,
        score=D("4.00"),
        update=Update(
            VERIFIED, "Seluruh jamban apung yang terdata telah diganti pada akhir 2023.", value="Seluruhnya dihapus"
        ),
    ),
    QuestionSpec(
        code="SEN-08",
        dimension="environment",
        element="protection",
        lens=L.OUTCOME,
        kind=K.TEXT,
        text="Uraikan upaya pencegahan kebakaran hutan dan lahan yang memanfaatkan teknologi.",
        agency="BPBD",
        supporting=("DLH",),
        value=(
            "Pemantauan titik panas harian dari data satelit dan aplikasi SiPongi, patroli Masyarakat Peduli "
            "Api di Gambut dan Kertak Hanyar, serta grup WhatsApp siaga karhutla per desa."
        ),
        narrative="Laporan penanganan karhutla 2022.",
        evidence=("report",),
        evidence_required=True,
        score=D("3.00"),
    ),
)

QUESTIONS: tuple[QuestionSpec, ...] = tuple(
    replace(spec, order=position) for position, spec in enumerate(_QUESTIONS, start=1)
)
QUESTION_BY_CODE: dict[str, QuestionSpec] = {spec.code: spec for spec in QUESTIONS}

# The one 2023 answer DKISP returned before verifying: first submitted with the SK only.
BOUNCED_2023 = "SG-02"
BOUNCE_REASON = (
    "Jawaban tidak didukung bukti dukung yang valid dan lengkap: SK Dewan dan Tim Pelaksana sudah dilampirkan, "
    "tetapi notulen dan daftar hadir rapat rutin belum ada."
)


# --- The assessor's notes: kekuatan, kelemahan and rekomendasi per dimension and overall (None) ------------

NOTES: dict[str | None, tuple[str, str, str]] = {
    "governance": (
        "Masterplan ditetapkan dengan Perbup 47/2021; MPP Barokah dan perizinan daring berjalan baik.",
        "Dewan Smart City dan Tim Pelaksana belum bekerja rutin; integrasi aplikasi dan indeks SPBE masih rendah.",
        "Aktifkan Dewan dan Tim Pelaksana dengan rapat triwulanan bernotulen; susun peta rencana SPBE untuk "
        "menaikkan indeks SPBE.",
    ),
    "branding": (
        "Branding Serambi Mekkah dan promosi destinasi digital sudah konsisten.",
        "Dampak promosi digital terhadap kunjungan dan PAD belum diukur.",
        "Ukur dampak promosi secara berkala dan libatkan pelaku usaha wisata dalam kalender event digital.",
    ),
    "economy": (
        "E-retribusi pasar dengan QRIS dan pendampingan UMKM ke marketplace berjalan.",
        "Baru sepertiga pedagang pasar menerima pembayaran nontunai; pasar pintar masih uji coba.",
        "Perluas QRIS dan pasar pintar ke pasar kecamatan bersama perbankan; gunakan dana non-APBD (CSR).",
    ),
    "living": (
        "Telemedicine puskesmas dan ambulans PSC 119 gratis dirasakan masyarakat.",
        "Rekam medis elektronik belum di semua puskesmas; informasi lalu lintas belum waktu nyata.",
        "Tuntaskan rekam medis elektronik dan integrasikan PSC 119 dengan 112 termasuk berbagi lokasi.",
    ),
    "society": (
        "Layanan 112 beroperasi 24 jam; literasi digital melibatkan Relawan TIK.",
        "Peringatan dini bencana baru menjangkau sebagian kecil desa rawan.",
        "Perluas sensor dan sirene peringatan dini ke desa rawan banjir dan uji secara rutin bersama warga.",
    ),
    "environment": (
        "Gebraks menghapus sebagian besar jamban apung; bank sampah digital tumbuh.",
        "Belum ada pemantauan kualitas lingkungan secara daring; energi terbarukan masih uji coba.",
        "Wujudkan stasiun pemantau kualitas air daring dan rencanakan PLTS atap melalui skema KPBU atau CSR.",
    ),
    None: (
        "Masterplan Smart City 2021–2025 telah ditetapkan dengan Peraturan Bupati dan menjadi acuan program "
        "SKPD. Quick win MPP Barokah, Gebraks dan layanan darurat 112 dirasakan langsung oleh masyarakat.",
        "Sebagian jawaban tidak didukung bukti dukung yang valid dan lengkap. Dewan Smart City dan Tim Pelaksana "
        "belum bekerja rutin dan forum smart city belum berkala. Pendanaan masih bertumpu pada APBD. Indeks SPBE "
        "masih berpredikat Cukup.",
        "1. Lengkapi setiap jawaban dengan bukti dukung yang valid (SK, notulen, daftar hadir, laporan). "
        "2. Reviu Perbup masterplan dan selaraskan dengan RPJMD dan Renstra SKPD. "
        "3. Jalankan Dewan dan Tim Pelaksana Smart City dengan rapat triwulanan. "
        "4. Selenggarakan forum smart city secara berkala bersama masyarakat dan dunia usaha. "
        "5. Kembangkan pendanaan di luar APBD (APBN, DAK, CSR, KPBU). "
        "6. Tingkatkan indeks SPBE melalui integrasi aplikasi dan layanan interoperabilitas.",
    ),
}


# --- Evidence for the answers ------------------------------------------------------------------------------

# The caption of each SKPD's documentation photos.
PHOTOS: dict[str, str] = {
    "DPMPTSP": "Gerai layanan MPP Barokah",
    "DISPERKIM": "Penataan ruang publik dan jamban sehat",
    "DISDAG": "Uji coba pasar pintar Pasar Martapura",
    "DINKES": "Ambulans PSC 119 siaga",
    "BPBD": "Pos pantau banjir DAS Martapura",
    "DKISP": "Ruang kendali Banjar Command Center",
    "DISHUB": "PJU tenaga surya jalan desa",
}

# --- What happened after 2023 Tahap I ----------------------------------------------------------------------

STAGE_TWO_UNTOUCHED = "DISDIK"  # its answers are still Tahap I's when the cycle is locked
STAGE_TWO_SCORED = ("governance", "branding", "economy")  # 29 of the 53 questions
STAGE_TWO_LOCK_REASON = (
    "Rapat Tahap II di Jakarta tanggal 15 Agustus 2023 tidak dapat ditunda; jawaban DISDIK tetap jawaban Tahap I "
    "dan akan dikonfirmasi langsung kepada tim penilai."
)

EXTENDED = "DINKES"  # two of its 2024 answers are still last year's drafts
EXTENSION_REASON = (
    "Rekap cakupan layanan telemedicine Puskesmas semester I 2024 baru selesai diverifikasi Dinas Kesehatan; "
    "dua jawaban menunggu data tersebut."
)
