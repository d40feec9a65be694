"""Banjar demo evaluation: 2023 Tahap I done end to end, 2023 Tahap II locked and half scored, and 2024
carried forward and half answered.

2023: DKISP imports the questionnaire, assigns its questions to the SKPDs, the operators answer with evidence
from their libraries, DKISP verifies (returning one answer for missing notulen first), locks the cycle, and
the ministry's assessor scores it and writes the kekuatan/kelemahan/rekomendasi. 2024 starts from 2023 by
carry-forward, so its answers are last year's drafts; about half have since been updated, some verified, one
returned. 2023 Tahap II (the ministry's second stage for the regions that passed the first) also starts from
Tahap I: the SKPDs confirm their answers and DKISP verifies them, except DISDIK's, still untouched when the
meeting date forced DKISP to lock with a reason; the assessor has scored three of the six dimensions, so its
index is provisional. Everything goes through the evaluation services, so every step is audited as in use.

Idempotent: cycles are found by (region, year, stage), questions by code, answers by (cycle, question) and
library entries by (agency, title); a step already taken is skipped, so a second load calls no service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency, Region
from evaluations.models import Answer, AssessmentNote, EvaluationCycle, Lens, Question, WindowExtension
from evaluations.services.answers import answer_return, answer_submit, answer_update, answer_verify
from evaluations.services.assessment import note_save, scores_save
from evaluations.services.cycles import (
    assign_questions,
    cycle_carry_forward,
    cycle_create,
    cycle_lock,
    cycle_set_assessors,
    questionnaire_import,
)
from evaluations.services.windows import extension_grant, pinned_today, today
from masterplan.models import Dimension, Evidence
from masterplan.services.evidence import evidence_upload
from smartcity.demo import files
from smartcity.demo import reports as demo_reports
from smartcity.demo.reports import PEOPLE, PERBUP, EvidenceSpec, _seq

D = Decimal
ONE = Decimal(1)
L = Lens
K = Question.Kind
Status = Answer.Status
EvidenceKind = Evidence.Kind

COORDINATOR = "dkisp"  # imports, assigns, verifies and locks
ASSESSOR = "asesor"  # the ministry's assessor scores the locked cycle
STAGE = "Tahap I"
QUESTIONNAIRE_NAME = "Kuesioner Evaluasi Smart City Kabupaten Banjar"

# Who answers for each responsible SKPD (demo logins from banjar.USERS).
OPERATORS: dict[str, str] = {
    **demo_reports.OPERATORS,
    "BAG ORGANISASI": "op.organisasi",
    "BAPPEDALITBANG": "op.bappedalitbang",
    "DISDAG": "op.disdag",
    "DISKOPUKM": "op.diskopukm",
    "DISHUB": "op.dishub",
    "DISDIK": "op.disdik",
    "DISPORAPAR": "op.disporapar",
}


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

# One question per entry, compact: the formatter would spread every keyword over its own line.
# fmt: off
_QUESTIONS: tuple[QuestionSpec, ...] = (
    # --- Smart Governance ----------------------------------------------------------------------------------
    QuestionSpec(
        "SG-01", "governance", "public-policy", L.BASELINE, K.YES_NO,
        "Apakah Masterplan Smart City telah ditetapkan dengan Peraturan Bupati?",
        agency="DKISP", supporting=("BAG HUKUM",), value=True, weight=D(2),
        narrative="Ditetapkan dengan Peraturan Bupati Banjar Nomor 47 Tahun 2021 tanggal 4 Oktober 2021.",
        evidence=("perbup",), evidence_required=True, score=D("4.25"),
        score_note="Perbup ada; belum direviu terhadap perubahan RPJMD.",
        update=Update(VERIFIED, "Perbup 47/2021 masih berlaku; reviu masterplan dijadwalkan tahun 2025."),
    ),
    QuestionSpec(
        "SG-02", "governance", "bureaucracy", L.BASELINE, K.LEVEL,
        "Apakah Dewan Smart City dan Tim Pelaksana telah ditetapkan dengan SK dan bekerja rutin?",
        agency="DKISP", supporting=("BAG ORGANISASI",), value=3, weight=D(2),
        level_criteria=(
            "Belum ada SK Dewan Smart City maupun Tim Pelaksana.",
            "SK Dewan dan/atau Tim Pelaksana telah ditetapkan, tetapi belum ada kegiatan.",
            "Dewan dan Tim Pelaksana telah ditetapkan dan rapat sesekali (kurang dari empat kali setahun).",
            "Dewan dan Tim Pelaksana rapat rutin setiap triwulan dengan notulen dan tindak lanjut.",
            "Dewan dan Tim Pelaksana memantau capaian masterplan dan keputusannya ditindaklanjuti SKPD.",
        ),
        narrative="SK Bupati tentang Dewan dan Tim Pelaksana ditetapkan Januari 2023; rapat dua kali pada 2022.",
        evidence=("sk_dewan", "forum"), evidence_required=True, score=D(3),
        score_note="Rapat belum rutin; notulen baru dilampirkan setelah dikembalikan.",
        update=Update(VERIFIED, "Sejak Juli 2023 Tim Pelaksana rapat setiap triwulan (4 kali).", value=4),
    ),
    QuestionSpec(
        "SG-03", "governance", "public-policy", L.BASELINE, K.CHOICE,
        "Bagaimana keselarasan Masterplan Smart City dengan RPJMD dan Renstra Perangkat Daerah?",
        agency="BAPPEDALITBANG", supporting=("DKISP",),
        choices=(
            "Belum selaras",
            "Selaras dengan RPJMD saja",
            "Selaras dengan RPJMD dan sebagian Renstra",
            "Selaras dengan RPJMD dan seluruh Renstra terkait",
        ),
        value="Selaras dengan RPJMD dan sebagian Renstra",
        narrative="Program masterplan tercantum di RPJMD 2021–2026; baru 14 Renstra SKPD yang memuatnya.",
        evidence=("report",), evidence_required=True, score=D("3.25"),
        update=Update(SUBMITTED, "Renstra perubahan 2024 memuat program smart city di 19 SKPD."),
    ),
    QuestionSpec(
        "SG-04", "governance", "bureaucracy", L.OUTPUT, K.TEXT,
        "Uraikan sumber pendanaan program smart city dari APBD dan non-APBD (APBN, DAK, CSR, KPBU).",
        agency="BAPPEDALITBANG", supporting=("BPKPAD",),
        value=(
            "APBD 2023 membiayai 41 kegiatan smart city senilai Rp 38,6 miliar di 17 SKPD. Non-APBD: DAK "
            "sanitasi untuk Gebraks, APBN untuk MPP dan Adminduk, serta CSR Bank Kalsel untuk bank sampah dan "
            "WiFi taman. Belum ada skema KPBU."
        ),
        narrative="Rekap dari DPA seluruh SKPD dan laporan CSR.",
        evidence=("dpa",), evidence_required=True, score=D("2.75"),
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
        "SG-05", "governance", "bureaucracy", L.OUTPUT, K.NUMBER,
        "Berapa kali forum atau rapat koordinasi smart city diselenggarakan dalam satu tahun terakhir?",
        agency="DKISP", supporting=("BAPPEDALITBANG",), value=D(2),
        narrative="Rapat Dewan Smart City Maret 2022 dan rakor Tim Pelaksana November 2022.",
        evidence=("forum",), evidence_required=True, score=D("2.50"),
        score_note="Forum belum berkala.",
        update=Update(VERIFIED, "Rakor Tim Pelaksana triwulanan dan satu forum Dewan pada 2023.", value=D(5)),
    ),
    QuestionSpec(
        "SG-06", "governance", "bureaucracy", L.OUTPUT, K.NUMBER,
        "Berapa nilai Indeks SPBE Kabupaten Banjar hasil evaluasi terakhir?",
        agency="DKISP", supporting=("BAG ORGANISASI",), value=D("2.36"),
        narrative="Indeks SPBE 2022 sebesar 2,36 (predikat Cukup) menurut hasil evaluasi Kementerian PANRB.",
        evidence=("spbe",), evidence_required=True, score=D("2.50"),
        update=Update(VERIFIED, "Indeks SPBE 2023 naik menjadi 2,71 (predikat Baik).", value=D("2.71")),
    ),
    QuestionSpec(
        "SG-07", "governance", "public-service", L.OUTCOME, K.PERCENTAGE,
        "Berapa persen program jangka pendek masterplan yang telah terlaksana?",
        agency="DKISP", supporting=("BAPPEDALITBANG",), value=D("68.00"), weight=D(2),
        narrative="17 dari 25 program jangka pendek telah terlaksana menurut laporan capaian 2022.",
        evidence=("report", "data"), evidence_required=True, score=D("3.50"),
        update=Update(VERIFIED, "19 dari 25 program jangka pendek telah terlaksana (2023).", value=D("76.00")),
    ),
    QuestionSpec(
        "SG-08", "governance", "public-service", L.OUTCOME, K.NUMBER,
        "Berapa jenis layanan perizinan dan nonperizinan yang dapat diajukan secara daring?",
        agency="DPMPTSP", supporting=("DKISP",), value=D(112),
        narrative="112 jenis layanan dapat diajukan lewat OSS-RBA dan aplikasi perizinan daerah.",
        evidence=("report", "data"), evidence_required=True, score=D("3.75"),
        update=Update(VERIFIED, "Bertambah 14 layanan nonperizinan daring pada 2023.", value=D(126)),
    ),
    QuestionSpec(
        "SG-09", "governance", "bureaucracy", L.OUTCOME, K.LEVEL,
        "Sejauh mana aplikasi pemerintah daerah telah terintegrasi melalui layanan interoperabilitas?",
        agency="DKISP", value=2,
        level_criteria=(
            "Aplikasi SKPD berdiri sendiri tanpa pertukaran data.",
            "Sebagian kecil aplikasi bertukar data secara manual atau lewat berkas ekspor.",
            "Layanan interoperabilitas tersedia dan menghubungkan beberapa aplikasi inti.",
            "Sebagian besar aplikasi inti terintegrasi lewat layanan interoperabilitas dengan katalog layanan.",
            "Seluruh aplikasi terintegrasi, dipantau, dan terhubung dengan SPLP nasional.",
        ),
        narrative="Baru aplikasi kepegawaian dan keuangan yang bertukar data; lainnya lewat ekspor berkas.",
        evidence=("apps",), evidence_required=True, score=D(2),
    ),
    QuestionSpec(
        "SG-10", "governance", "public-service", L.IMPACT, K.NUMBER,
        "Berapa nilai Indeks Kepuasan Masyarakat (IKM) Mal Pelayanan Publik hasil survei terakhir?",
        agency="DPMPTSP", value=D("82.14"), help_text=SURVEY_HELP,
        narrative="Survei kepuasan masyarakat semester II 2022 terhadap 400 responden di MPP Barokah.",
        evidence=("ikm",), evidence_required=True, score=D("3.50"),
        update=Update(SUBMITTED, "Survei semester II 2023 terhadap 420 responden.", value=D("83.47")),
    ),
    QuestionSpec(
        "SG-11", "governance", "public-policy", L.IMPACT, K.PERCENTAGE,
        "Berapa persen aduan SP4N-LAPOR! yang ditindaklanjuti dalam batas waktu?",
        agency="DKISP", supporting=("INSPEKTORAT",), value=D("81.50"),
        narrative="1.146 dari 1.406 aduan 2022 ditindaklanjuti dalam 5 hari kerja.",
        evidence=("report",), score=D("3.25"),
    ),
    QuestionSpec(
        "SG-12", "governance", "public-service", L.QUICK_WIN, K.YES_NO,
        "Apakah Mal Pelayanan Publik telah beroperasi dan dirasakan manfaatnya oleh masyarakat?",
        agency="DPMPTSP", supporting=("DISDUKCAPIL",), value=True,
        narrative="MPP Barokah beroperasi sejak 29 Januari 2020 dengan 30 gerai layanan.",
        evidence=("photo", "ikm"), evidence_required=True, score=D("4.25"),
        update=Update(VERIFIED, "MPP Barokah kini 34 gerai, termasuk layanan BPJS dan Samsat."),
    ),
    QuestionSpec(
        "SG-13", "governance", "bureaucracy", L.OUTPUT, K.CHOICE,
        "Bagaimana kelembagaan pengelola smart city dalam struktur perangkat daerah?",
        agency="BAG ORGANISASI", supporting=("DKISP",),
        choices=(
            "Belum ada unit pengelola",
            "Ditangani tim ad hoc",
            "Bidang atau seksi khusus di dinas kominfo",
            "Unit khusus dengan tugas dan fungsi dalam Perbup SOTK",
        ),
        value="Bidang atau seksi khusus di dinas kominfo",
        narrative="Bidang E-Government DKISP menjadi sekretariat Tim Pelaksana sesuai Perbup SOTK 2021.",
        evidence=("report",), evidence_required=True, score=D("3.25"),
    ),
    # --- Smart Branding ------------------------------------------------------------------------------------
    QuestionSpec(
        "SB-01", "branding", "tourism-branding", L.BASELINE, K.YES_NO,
        "Apakah daerah telah memiliki city branding (logo dan tagline) yang ditetapkan?",
        agency="DISPORAPAR", value=True,
        narrative='Branding "Martapura Serambi Mekkah" ditetapkan dengan Keputusan Bupati dan dipakai di promosi.',
        evidence=("report",), evidence_required=True, score=D("3.50"),
    ),
    QuestionSpec(
        "SB-02", "branding", "tourism-branding", L.OUTPUT, K.NUMBER,
        "Berapa destinasi wisata yang dipromosikan lewat kanal digital resmi pemerintah daerah?",
        agency="DISPORAPAR", supporting=("DKISP",), value=D(24),
        narrative="24 destinasi tampil di situs dan media sosial resmi, antara lain Pasar Intan dan Pulau Kembang.",
        evidence=("data",), evidence_required=True, score=D("3.25"),
    ),
    QuestionSpec(
        "SB-03", "branding", "business-branding", L.OUTPUT, K.CHOICE,
        "Bagaimana dukungan pemerintah daerah terhadap branding produk unggulan (intan, sasirangan, kuliner)?",
        agency="DISDAG", supporting=("DISKOPUKM", "DISPERIN"),
        choices=(
            "Belum ada program",
            "Promosi sesekali pada pameran",
            "Program promosi rutin dengan katalog digital",
            "Ekosistem branding terpadu dengan sertifikasi dan pemasaran daring",
        ),
        value="Program promosi rutin dengan katalog digital",
        narrative="Katalog digital produk unggulan dan promosi rutin di Pasar Intan Cahaya Bumi Selamat.",
        evidence=("report",), evidence_required=True, score=D("3.25"),
    ),
    QuestionSpec(
        "SB-04", "branding", "tourism-branding", L.OUTCOME, K.NUMBER,
        "Berapa jumlah kunjungan wisatawan (nusantara dan mancanegara) dalam satu tahun terakhir?",
        agency="DISPORAPAR", value=D(412350),
        narrative="Data kunjungan 2022, terbanyak ke wisata religi Martapura dan Pasar Terapung Lok Baintan.",
        evidence=("data",), evidence_required=True, score=D("3.25"),
        update=Update(SUBMITTED, "Data kunjungan 2023 dari pengelola destinasi.", value=D(468900)),
    ),
    QuestionSpec(
        "SB-05", "branding", "city-appearance", L.OUTCOME, K.LEVEL,
        "Sejauh mana penataan wajah kota (taman, ruang publik, pedestrian) dilaksanakan sesuai masterplan?",
        agency="DISPERKIM", supporting=("PUPR",), value=3,
        level_criteria=(
            "Belum ada rencana penataan wajah kota dalam masterplan.",
            "Rencana penataan telah disusun, tetapi belum dilaksanakan.",
            "Sebagian kegiatan penataan telah dilaksanakan di pusat kota.",
            "Penataan dilaksanakan di pusat kota dan kawasan strategis sesuai jadwal masterplan.",
            "Penataan selesai sesuai masterplan dan dipelihara bersama masyarakat.",
        ),
        narrative="Taman Kota Cahaya Bumi Selamat dan pedestrian Jalan A. Yani telah ditata.",
        evidence=("photo",), evidence_required=True, score=D(3),
    ),
    QuestionSpec(
        "SB-06", "branding", "tourism-branding", L.IMPACT, K.PERCENTAGE,
        "Berapa persen kenaikan PAD sektor pariwisata dibanding tahun sebelumnya?",
        agency="DISPORAPAR", supporting=("BPKPAD",), value=D("12.40"), help_text=SURVEY_HELP,
        narrative="PAD pajak hotel, restoran dan hiburan naik 12,4% dari 2021 ke 2022.",
        evidence=("data",), score=D("3.00"),
    ),
    QuestionSpec(
        "SB-07", "branding", "city-appearance", L.QUICK_WIN, K.YES_NO,
        "Apakah tersedia WiFi publik di ruang publik yang aktif digunakan warga?",
        agency="DISPERKIM", supporting=("DKISP",), value=True,
        narrative="WiFi publik di 6 taman dan ruang terbuka hijau Martapura.",
        evidence=("photo",), evidence_required=True, score=D("3.50"),
    ),
    QuestionSpec(
        "SB-08", "branding", "tourism-branding", L.OUTPUT, K.TEXT,
        "Uraikan event atau festival daerah yang dipromosikan secara digital dan hasilnya.",
        agency="DISPORAPAR", supporting=("DKISP",),
        value=(
            "Festival Pasar Terapung Lok Baintan dan Banjar Expo dipromosikan lewat media sosial dan situs resmi; "
            "tiket dan pendaftaran peserta UMKM dilakukan daring."
        ),
        narrative="Bukti berupa rekap jangkauan unggahan dan daftar peserta.",
        evidence=("report",), score=D("2.75"), score_note="Dampak promosi belum diukur.",
    ),
    # --- Smart Economy -------------------------------------------------------------------------------------
    QuestionSpec(
        "SE-01", "economy", "industry", L.BASELINE, K.NUMBER,
        "Berapa jumlah UMKM yang tercatat dalam basis data daerah?",
        agency="DISKOPUKM", value=D(28765),
        narrative="Pendataan UMKM 2022 bersama kecamatan, terhubung ke Satu Data Banjar.",
        evidence=("data",), evidence_required=True, score=D("3.25"),
        update=Update(SUBMITTED, "Pemutakhiran data UMKM 2023.", value=D(30112)),
    ),
    QuestionSpec(
        "SE-02", "economy", "transactions", L.OUTPUT, K.YES_NO,
        "Apakah retribusi pasar daerah telah dapat dibayar secara nontunai (QRIS atau virtual account)?",
        agency="DISDAG", supporting=("BPKPAD",), value=True,
        narrative="E-retribusi dengan QRIS berlaku di Pasar Martapura sejak Agustus 2022.",
        evidence=("report",), evidence_required=True, score=D("3.50"),
    ),
    QuestionSpec(
        "SE-03", "economy", "industry", L.OUTPUT, K.LEVEL,
        "Sejauh mana UMKM didampingi untuk masuk ke pemasaran digital (marketplace dan katalog elektronik)?",
        agency="DISKOPUKM", supporting=("DISPERIN", "DISDAG"), value=3,
        level_criteria=(
            "Belum ada pendampingan pemasaran digital bagi UMKM.",
            "Pendampingan sebatas sosialisasi satu kali.",
            "Pendampingan rutin bagi UMKM binaan untuk masuk marketplace.",
            "Pendampingan rutin disertai kurasi produk dan masuk katalog elektronik daerah.",
            "UMKM binaan berjualan daring secara mandiri dan omzetnya dipantau berkala.",
        ),
        narrative="Klinik UMKM mendampingi 600 UMKM binaan per tahun masuk marketplace.",
        evidence=("minutes",), evidence_required=True, score=D(3),
    ),
    QuestionSpec(
        "SE-04", "economy", "industry", L.OUTCOME, K.NUMBER,
        "Berapa jumlah UMKM yang telah memasarkan produknya secara daring?",
        agency="DISKOPUKM", value=D(4120),
        narrative="Hasil pendataan UMKM 2022 yang memiliki toko di marketplace atau media sosial.",
        evidence=("data",), evidence_required=True, score=D("3.25"),
    ),
    QuestionSpec(
        "SE-05", "economy", "transactions", L.OUTCOME, K.PERCENTAGE,
        "Berapa persen pedagang pasar daerah yang telah menerima pembayaran nontunai (QRIS)?",
        agency="DISDAG", supporting=("BAG PEREKONOMIAN",), value=D("37.50"),
        narrative="1.260 dari 3.360 pedagang di pasar daerah memiliki QRIS (data Bank Indonesia dan Bank Kalsel).",
        evidence=("data",), evidence_required=True, score=D("3.00"),
    ),
    QuestionSpec(
        "SE-06", "economy", "welfare", L.IMPACT, K.PERCENTAGE,
        "Berapa persen kenaikan omzet UMKM binaan yang berjualan daring (hasil survei)?",
        agency="DISKOPUKM", value=D("18.00"), help_text=SURVEY_HELP,
        narrative="Survei terhadap 150 UMKM binaan dari tiga program pendampingan.",
        evidence=("survey",), evidence_required=True, score=D("3.00"),
    ),
    QuestionSpec(
        "SE-07", "economy", "transactions", L.QUICK_WIN, K.CHOICE,
        "Bagaimana status pasar daerah percontohan digital (pasar pintar)?",
        agency="DISDAG",
        choices=("Belum direncanakan", "Direncanakan", "Uji coba di satu pasar", "Beroperasi di lebih dari satu pasar"),
        value="Uji coba di satu pasar",
        narrative="Uji coba di Pasar Martapura: QRIS, e-retribusi dan informasi harga harian.",
        evidence=("photo",), evidence_required=True, score=D("3.25"),
    ),
    QuestionSpec(
        "SE-08", "economy", "welfare", L.OUTPUT, K.TEXT,
        "Uraikan program pemberdayaan ekonomi masyarakat berbasis digital (koperasi, BUMDes) yang berjalan.",
        agency="DISKOPUKM", supporting=("DPMD",),
        value=(
            "Pelatihan pembukuan digital koperasi (42 koperasi), aplikasi kasir BUMDes di 12 desa, dan kelas "
            "pemasaran daring bersama Rumah BUMN."
        ),
        narrative="Daftar peserta dan laporan kegiatan terlampir.",
        evidence=("report",), score=D("2.75"),
    ),
    # --- Smart Living --------------------------------------------------------------------------------------
    QuestionSpec(
        "SL-01", "living", "health", L.BASELINE, K.YES_NO,
        "Apakah seluruh puskesmas telah menggunakan rekam medis elektronik?",
        agency="DINKES", value=False,
        narrative="Baru 18 dari 25 puskesmas; sisanya terkendala jaringan di wilayah rawa.",
        evidence=("report",), score=D("2.50"),
    ),
    QuestionSpec(
        "SL-02", "living", "health", L.OUTPUT, K.NUMBER,
        "Berapa puskesmas yang terhubung layanan telemedicine dengan RSUD?",
        agency="DINKES", supporting=("RSUD RZ",), value=D(9),
        narrative="Telekonsultasi dokter spesialis RSUD Ratu Zalecha di 9 puskesmas.",
        evidence=("report",), evidence_required=True, score=D("3.00"),
        update=Update(SUBMITTED, "Bertambah 5 puskesmas pada 2023.", value=D(14)),
    ),
    QuestionSpec(
        "SL-03", "living", "health", L.OUTPUT, K.LEVEL,
        "Sejauh mana layanan kegawatdaruratan (PSC 119) terintegrasi dengan panggilan darurat 112?",
        agency="DINKES", supporting=("DKISP", "BPBD"), value=3,
        level_criteria=(
            "Layanan gawat darurat belum memiliki nomor terpadu.",
            "PSC 119 beroperasi terpisah dari panggilan darurat 112.",
            "PSC 119 dan 112 saling meneruskan panggilan secara manual.",
            "PSC 119 terhubung dengan 112 di satu pusat kendali, termasuk berbagi lokasi penelepon.",
            "Terintegrasi penuh, dengan pemantauan waktu tanggap dan evaluasi berkala.",
        ),
        narrative="Petugas PSC 119 piket di Banjar Command Center; panggilan 112 diteruskan manual.",
        evidence=("minutes",), evidence_required=True, score=D(3),
    ),
    QuestionSpec(
        "SL-04", "living", "health", L.OUTCOME, K.PERCENTAGE,
        "Berapa persen persalinan yang ditolong tenaga kesehatan di fasilitas kesehatan?",
        agency="DINKES", value=D("92.30"),
        narrative="Profil Kesehatan Kabupaten Banjar 2022.",
        evidence=("data",), evidence_required=True, score=D("3.50"),
        update=Update(SUBMITTED, "Profil Kesehatan 2023.", value=D("94.10")),
    ),
    QuestionSpec(
        "SL-05", "living", "mobility", L.OUTCOME, K.CHOICE,
        "Bagaimana ketersediaan informasi transportasi dan lalu lintas secara daring bagi warga?",
        agency="DISHUB", supporting=("DKISP",),
        choices=(
            "Belum tersedia",
            "Informasi statis di situs web",
            "Informasi rute dan jadwal angkutan secara daring",
            "Informasi lalu lintas waktu nyata yang terintegrasi CCTV",
        ),
        value="Informasi rute dan jadwal angkutan secara daring",
        narrative="Rute dan jadwal angkutan perdesaan serta bus sekolah tersedia di situs Dishub.",
        evidence=("report",), evidence_required=True, score=D("2.75"),
    ),
    QuestionSpec(
        "SL-06", "living", "health", L.IMPACT, K.PERCENTAGE,
        "Berapa persen pengguna telemedicine yang puas terhadap layanan (hasil survei)?",
        agency="DINKES", value=D("84.00"), help_text=SURVEY_HELP,
        narrative="Survei terhadap 210 pasien telekonsultasi di 9 puskesmas.",
        evidence=("survey",), evidence_required=True, score=D("3.50"),
        update=Update(SUBMITTED, "Survei 2023 terhadap 260 pasien di 14 puskesmas.", value=D("86.50")),
    ),
    QuestionSpec(
        "SL-07", "living", "harmony", L.IMPACT, K.NUMBER,
        "Berapa rumah tidak layak huni yang diperbaiki dalam satu tahun terakhir?",
        agency="DISPERKIM", supporting=("DINSOS",), value=D(350),
        narrative="Bedah rumah 2022 dari APBD, DAK dan swadaya bersama TNI.",
        evidence=("report", "photo"), evidence_required=True, score=D("3.25"),
        update=Update(VERIFIED, "Bedah rumah 2023.", value=D(410)),
    ),
    QuestionSpec(
        "SL-08", "living", "health", L.QUICK_WIN, K.YES_NO,
        "Apakah tersedia ambulans gratis yang dapat dipanggil lewat satu nomor darurat?",
        agency="DINKES", supporting=("RSUD RZ",), value=True,
        narrative="Ambulans PSC 119 gratis, 24 jam, 8 unit siaga.",
        evidence=("photo",), evidence_required=True, score=D("3.75"),
        update=Update(SUBMITTED, "Kini 10 unit ambulans siaga 24 jam."),
    ),
    # --- Smart Society -------------------------------------------------------------------------------------
    QuestionSpec(
        "SS-01", "society", "learning", L.BASELINE, K.PERCENTAGE,
        "Berapa persen satuan pendidikan (SD dan SMP) yang memiliki akses internet?",
        agency="DISDIK", supporting=("DKISP",), value=D("71.40"),
        narrative="Dapodik 2022: 352 dari 493 sekolah terhubung internet.",
        evidence=("data",), evidence_required=True, score=D("3.00"),
        update=Update(SUBMITTED, "Dapodik 2023: 388 dari 494 sekolah.", value=D("78.60")),
    ),
    QuestionSpec(
        "SS-02", "society", "learning", L.OUTPUT, K.YES_NO,
        "Apakah tersedia platform pembelajaran daring yang digunakan sekolah kewenangan daerah?",
        agency="DISDIK", value=True,
        narrative="Platform Merdeka Mengajar dan kelas daring Disdik dipakai di SD dan SMP.",
        evidence=("report",), evidence_required=True, score=D("3.25"),
    ),
    QuestionSpec(
        "SS-03", "society", "security", L.OUTPUT, K.LEVEL,
        "Sejauh mana sistem peringatan dini bencana (banjir dan karhutla) menjangkau desa rawan?",
        agency="BPBD", supporting=("DKISP",), value=2,
        level_criteria=(
            "Belum ada sistem peringatan dini.",
            "Peringatan dini manual (pengeras suara, telepon) di sebagian desa rawan.",
            "Sensor otomatis dan sirene terpasang di sebagian desa rawan.",
            "Sensor, sirene dan pesan WhatsApp menjangkau sebagian besar desa rawan.",
            "Seluruh desa rawan terjangkau dan sistem diuji rutin bersama masyarakat.",
        ),
        narrative="Pos pantau otomatis pertama dipasang 2022; desa lain masih peringatan manual.",
        evidence=("report", "photo"), evidence_required=True, score=D(2),
    ),
    QuestionSpec(
        "SS-04", "society", "community", L.OUTCOME, K.NUMBER,
        "Berapa warga yang mengikuti pelatihan literasi digital dalam satu tahun terakhir?",
        agency="DKISP", supporting=("DISDIK",), value=D(3250),
        narrative="Kelas literasi digital bersama Relawan TIK di sekolah, pesantren dan desa.",
        evidence=("report",), evidence_required=True, score=D("3.25"),
        update=Update(SUBMITTED, "Kelas literasi digital 2023, termasuk kelas keliling kecamatan.", value=D(4100)),
    ),
    QuestionSpec(
        "SS-05", "society", "security", L.OUTCOME, K.NUMBER,
        "Berapa menit rata-rata waktu tanggap BPBD terhadap laporan kejadian bencana?",
        agency="BPBD", value=D(45),
        narrative="Rekap laporan kejadian Pusdalops 2022.",
        evidence=("data",), evidence_required=True, score=D("3.00"),
    ),
    QuestionSpec(
        "SS-06", "society", "learning", L.IMPACT, K.PERCENTAGE,
        "Berapa persen guru yang telah memanfaatkan TIK dalam pembelajaran (hasil survei)?",
        agency="DISDIK", value=D("63.00"), help_text=SURVEY_HELP,
        narrative="Survei terhadap 300 guru SD dan SMP di 12 kecamatan.",
        evidence=("survey",), evidence_required=True, score=D("3.00"),
    ),
    QuestionSpec(
        "SS-07", "society", "security", L.QUICK_WIN, K.YES_NO,
        "Apakah layanan panggilan darurat 112 beroperasi 24 jam?",
        agency="DKISP", supporting=("BPBD", "DINKES"), value=True,
        narrative="Call center 112 di Banjar Command Center beroperasi 24 jam sejak 2021.",
        evidence=("report", "photo"), evidence_required=True, score=D("3.75"),
    ),
    QuestionSpec(
        "SS-08", "society", "community", L.BASELINE, K.TEXT,
        "Uraikan komunitas TIK dan relawan yang terlibat dalam program smart city.",
        agency="DKISP",
        value=(
            "Relawan TIK Kabupaten Banjar (86 anggota), komunitas pengembang Banjar Developer, dan duta literasi "
            "digital pelajar."
        ),
        narrative="SK relawan dan dokumentasi kegiatan.",
        evidence=("report",), score=D("3.00"),
    ),
    # --- Smart Environment ---------------------------------------------------------------------------------
    QuestionSpec(
        "SEN-01", "environment", "protection", L.BASELINE, K.NUMBER,
        "Berapa nilai Indeks Kualitas Lingkungan Hidup (IKLH) tahun terakhir?",
        agency="DLH", value=D("66.82"),
        narrative="IKLH 2022 menurut KLHK.",
        evidence=("data",), evidence_required=True, score=D("3.00"),
        update=Update(SUBMITTED, "IKLH 2023 menurut KLHK.", value=D("67.40")),
    ),
    QuestionSpec(
        "SEN-02", "environment", "waste", L.OUTPUT, K.NUMBER,
        "Berapa bank sampah aktif yang tercatat?",
        agency="DLH", supporting=("DISKOPUKM",), value=D(78),
        narrative="Bank sampah aktif 2022, tercatat di aplikasi Bank Sampah Digital.",
        evidence=("data",), evidence_required=True, score=D("3.25"),
        update=Update(VERIFIED, "Bank sampah aktif 2023.", value=D(96)),
    ),
    QuestionSpec(
        "SEN-03", "environment", "protection", L.OUTPUT, K.YES_NO,
        "Apakah tersedia pemantauan kualitas air atau udara secara daring?",
        agency="DLH", value=False,
        narrative="Belum ada; stasiun ONLIMO Sungai Martapura direncanakan mulai 2025.",
        score=D("1.50"), score_note="Belum ada pemantauan daring.",
    ),
    QuestionSpec(
        "SEN-04", "environment", "waste", L.OUTCOME, K.PERCENTAGE,
        "Berapa persen sampah rumah tangga yang terkelola (dikurangi dan ditangani) sesuai Jakstrada?",
        agency="DLH", supporting=("DISPERKIM",), value=D("58.40"),
        narrative="Data SIPSN 2022.",
        evidence=("data",), evidence_required=True, score=D("2.75"),
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
        "SEN-05", "environment", "energy", L.OUTCOME, K.LEVEL,
        "Sejauh mana pemanfaatan energi terbarukan (PJU tenaga surya, PLTS) dilaksanakan?",
        agency="DISHUB", supporting=("DISPERKIM", "PUPR"), value=2,
        level_criteria=(
            "Belum ada pemanfaatan energi terbarukan oleh pemerintah daerah.",
            "Uji coba terbatas, misalnya beberapa titik PJU tenaga surya.",
            "Program PJU tenaga surya berjalan di beberapa kecamatan.",
            "PJU tenaga surya dan PLTS atap gedung pemerintah berjalan sesuai target.",
            "Energi terbarukan menjadi kebijakan daerah dengan target dan pemantauan emisi.",
        ),
        narrative="180 titik PJU tenaga surya di jalan desa; PLTS atap belum dimulai.",
        evidence=("photo",), evidence_required=True, score=D(2),
    ),
    QuestionSpec(
        "SEN-06", "environment", "waste", L.IMPACT, K.PERCENTAGE,
        "Berapa persen rumah tangga dengan akses sanitasi layak?",
        agency="DISPERKIM", supporting=("DINKES",), value=D("81.20"),
        narrative="Naik dari 78,4% berkat Gebraks; data STBM 2022.",
        evidence=("data",), evidence_required=True, score=D("3.25"),
        update=Update(VERIFIED, "Data STBM 2023.", value=D("84.60")),
    ),
    QuestionSpec(
        "SEN-07", "environment", "waste", L.QUICK_WIN, K.CHOICE,
        "Bagaimana status penghapusan jamban apung (program Gebraks)?",
        agency="DISPERKIM", supporting=("DINKES", "DPMD"),
        choices=(
            "Belum dimulai",
            "Pendataan",
            "Sebagian dihapus (kurang dari 50%)",
            "Sebagian besar dihapus (50% atau lebih)",
            "Seluruhnya dihapus",
        ),
        value="Sebagian besar dihapus (50% atau lebih)",
        narrative="1.320 dari 1.840 jamban apung telah diganti jamban sehat.",
        evidence=("report", "photo"), evidence_required=True, score=D("4.00"),
        update=Update(VERIFIED, "Seluruh jamban apung yang terdata telah diganti pada akhir 2023.",
                      value="Seluruhnya dihapus"),
    ),
    QuestionSpec(
        "SEN-08", "environment", "protection", L.OUTCOME, K.TEXT,
        "Uraikan upaya pencegahan kebakaran hutan dan lahan yang memanfaatkan teknologi.",
        agency="BPBD", supporting=("DLH",),
        value=(
            "Pemantauan titik panas harian dari data satelit dan aplikasi SiPongi, patroli Masyarakat Peduli "
            "Api di Gambut dan Kertak Hanyar, serta grup WhatsApp siaga karhutla per desa."
        ),
        narrative="Laporan penanganan karhutla 2022.",
        evidence=("report",), evidence_required=True, score=D("3.00"),
    ),
)
# fmt: on

QUESTIONS: tuple[QuestionSpec, ...] = tuple(
    replace(spec, order=position) for position, spec in enumerate(_QUESTIONS, start=1)
)

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


def _display(spec: QuestionSpec, value: object) -> str:
    """An answer as a person would write it in the SKPD's data recap."""
    if spec.kind == K.YES_NO:
        return "Ya" if value else "Tidak"
    if spec.kind == K.LEVEL:
        return f"Level {value}"
    if spec.kind in (K.NUMBER, K.PERCENTAGE):
        figure = demo_reports.number(Decimal(str(value)))
        return f"{figure} %" if spec.kind == K.PERCENTAGE else figure
    return str(value)


def _value(spec: QuestionSpec, year: int) -> object:
    if year > CYCLE_2023.year and spec.update is not None and spec.update.value is not None:
        return spec.update.value
    return spec.value


def _narrative(spec: QuestionSpec, year: int) -> str:
    return spec.update.narrative if year > CYCLE_2023.year and spec.update is not None else spec.narrative


def _document(agency: Agency, key: str, year: int, specs: Sequence[QuestionSpec]) -> EvidenceSpec:
    """The library entry `key` of an SKPD for the evaluation of `year` (`specs`: the questions it answers)."""
    acr, name = agency.acronym, agency.name
    slug = f"{acr.lower().replace(' ', '-')}-{year}"
    staff = [PEOPLE[(len(acr) + year + i) % len(PEOPLE)] for i in range(5)]
    if key == "perbup":
        return PERBUP  # the one in DKISP's library from the reports demo
    if key == "report":
        title = f"Laporan Pelaksanaan Program Smart City {name} Tahun {year - 1}"
        number = f"050/{_seq('eval-report', acr, year)}/{acr}/{year}"
        lines = [
            "Laporan ini disusun sebagai bukti dukung evaluasi smart city Tahap I.",
            *(f"{s.code}: {_narrative(s, year)}" for s in specs if "report" in s.evidence),
        ]
        return EvidenceSpec(
            key=(key, year), title=title, kind=EvidenceKind.REPORT, filename=f"laporan-smart-city-{slug}.pdf",
            document_number=number, document_date=dt.date(year, 2, 14), issuer=f"Kepala {name}",
            make=partial(files.pdf_document, title=title, agency=name, subtitle=f"Nomor: {number}", lines=lines),
        )  # fmt: skip
    if key == "minutes":
        title = f"Notulen Rapat Persiapan Evaluasi Smart City {acr} Tahun {year}"
        number = f"005/{_seq('eval-minutes', acr, year)}/{acr}/{year}"
        lines = [
            f"Tanggal: 09-05-{year}, pukul 09.00 WITA. Pimpinan rapat: {staff[0]}. Notulis: {staff[1]}.",
            "Peserta: " + ", ".join(staff) + ".",
            *(f"Pembahasan {s.code}: {_narrative(s, year)}" for s in specs),
            "Jawaban dan bukti dukung diunggah paling lambat batas waktu internal yang ditetapkan DKISP.",
        ]
        return EvidenceSpec(
            key=(key, year), title=title, kind=EvidenceKind.MINUTES, filename=f"notulen-evaluasi-{slug}.pdf",
            document_number=number, document_date=dt.date(year, 5, 9), issuer=name,
            make=partial(files.pdf_document, title=title, agency=name, subtitle=f"Nomor: {number}", lines=lines),
        )  # fmt: skip
    if key == "data":
        title = f"Rekap Data Dukung Evaluasi Smart City {acr} Tahun {year}"
        rows = [
            (i, s.code, s.text, _display(s, _value(s, year)))
            for i, s in enumerate((s for s in specs if s.kind != K.TEXT), start=1)
        ]
        return EvidenceSpec(
            key=(key, year), title=title, kind=EvidenceKind.OTHER, filename=f"rekap-data-evaluasi-{slug}.xlsx",
            document_date=dt.date(year, 5, 12), issuer=name,
            make=partial(files.xlsx_table, title=title, header=("No", "Kode", "Pertanyaan", "Nilai"), rows=rows),
        )  # fmt: skip
    if key == "photo":
        caption = f"{PHOTOS[acr]} {year}"
        return EvidenceSpec(
            key=(key, year), title=f"Foto Dokumentasi: {caption}", kind=EvidenceKind.PHOTO,
            filename=f"foto-evaluasi-{slug}.jpg", document_date=dt.date(year, 4, 20), issuer=name,
            make=partial(files.photo_jpeg, caption),
        )  # fmt: skip
    if key in {"survey", "ikm"}:
        title = (
            f"Laporan Survei Kepuasan Masyarakat MPP Barokah Semester II Tahun {year - 1}"
            if key == "ikm"
            else f"Laporan Survei Dampak Program Smart City {acr} Tahun {year}"
        )
        lines = [
            "Metode: survei tiga program per elemen dengan sampel purposif, bersama SKPD pemilik program.",
            *(f"{s.code}: {_display(s, _value(s, year))}. {_narrative(s, year)}" for s in specs if key in s.evidence),
        ]
        return EvidenceSpec(
            key=(key, year), title=title, kind=EvidenceKind.REPORT, filename=f"survei-{key}-{slug}.pdf",
            document_date=dt.date(year, 4, 28), issuer=name,
            make=partial(files.pdf_document, title=title, agency=name, lines=lines),
        )  # fmt: skip
    if key == "sk_dewan":
        title = f"Keputusan Bupati Banjar tentang Dewan Smart City dan Tim Pelaksana Smart City Tahun {year}"
        number = f"188.45/{_seq('eval-sk-dewan', year)}/KUM/{year}"
        lines = (
            "KESATU: Membentuk Dewan Smart City yang diketuai Bupati dan Tim Pelaksana Smart City yang diketuai "
            "Sekretaris Daerah.",
            "KEDUA: Dewan menetapkan arah kebijakan; Tim Pelaksana rapat paling sedikit sekali setiap triwulan.",
            "KETIGA: Sekretariat Tim Pelaksana berkedudukan di DKISP.",
            f"KEEMPAT: Keputusan ini berlaku sampai dengan 31 Desember {year}.",
        )
        return EvidenceSpec(
            key=(key, year), title=title, kind=EvidenceKind.SK, filename=f"sk-dewan-smart-city-{year}.pdf",
            document_number=number, document_date=dt.date(year, 1, 16), issuer="Bupati Banjar",
            valid_until=dt.date(year, 12, 31),
            make=partial(files.pdf_document, title=title, agency="Bupati Banjar", subtitle=f"Nomor: {number}",
                         lines=lines),
        )  # fmt: skip
    if key == "forum":
        title = f"Notulen dan Daftar Hadir Rapat Dewan Smart City Kabupaten Banjar Tahun {year - 1}"
        lines = (
            f"Rapat Dewan Smart City dipimpin Sekretaris Daerah, dihadiri {len(staff) + 19} peserta dari SKPD.",
            "Pembahasan: capaian program jangka pendek, kendala pendanaan, dan persiapan evaluasi Kominfo.",
            "Kesimpulan: Tim Pelaksana rapat setiap triwulan; SKPD melengkapi bukti dukung sebelum evaluasi.",
            *(f"{i}. {person} .......... (tanda tangan)" for i, person in enumerate(staff, start=1)),
        )
        return EvidenceSpec(
            key=(key, year), title=title, kind=EvidenceKind.MINUTES, filename=f"notulen-dewan-smart-city-{year}.pdf",
            document_date=dt.date(year - 1, 11, 22), issuer="Sekretariat Tim Pelaksana Smart City",
            make=partial(files.pdf_document, title=title, agency=name, lines=lines),
        )  # fmt: skip
    if key == "spbe":
        title = f"Laporan Hasil Evaluasi SPBE Pemerintah Kabupaten Banjar Tahun {year - 1}"
        index = _display(QUESTION_BY_CODE["SG-06"], _value(QUESTION_BY_CODE["SG-06"], year))
        lines = (
            f"Indeks SPBE Pemerintah Kabupaten Banjar: {index}.",
            "Domain terendah: layanan SPBE terintegrasi dan manajemen SPBE.",
            "Rekomendasi: menyusun arsitektur dan peta rencana SPBE, serta membangun layanan interoperabilitas.",
        )
        return EvidenceSpec(
            key=(key, year), title=title, kind=EvidenceKind.REPORT, filename=f"hasil-evaluasi-spbe-{year - 1}.pdf",
            document_date=dt.date(year, 3, 3), issuer="Kementerian PANRB",
            make=partial(files.pdf_document, title=title, agency="Kementerian PANRB", lines=lines),
        )  # fmt: skip
    if key == "apps":
        title = f"Katalog Aplikasi dan Layanan Interoperabilitas Kabupaten Banjar Tahun {year}"
        rows = [
            (1, "SIMPEG", "BKPSDM", "Terintegrasi (API)"),
            (2, "SIPD Keuangan", "BPKPAD", "Terintegrasi (API)"),
            (3, "Aplikasi Perizinan Daerah", "DPMPTSP", "Ekspor berkas ke OSS-RBA"),
            (4, "Telemedicine Puskesmas", "DINKES", "Berdiri sendiri"),
            (5, "Bank Sampah Digital", "DLH", "Berdiri sendiri"),
        ]
        return EvidenceSpec(
            key=(key, year), title=title, kind=EvidenceKind.APP_INVENTORY,
            filename=f"katalog-aplikasi-{year}.xlsx", document_date=dt.date(year, 3, 20), issuer=name,
            make=partial(files.xlsx_table, title=title, header=("No", "Aplikasi", "Pemilik", "Integrasi"), rows=rows),
        )  # fmt: skip
    if key == "dpa":
        title = f"Rekapitulasi Pendanaan Program Smart City Tahun Anggaran {year}"
        rows = [
            (1, "APBD", 41 + 5 * (year - CYCLE_2023.year), "Seluruh SKPD"),
            (2, "DAK", 3, "DISPERKIM, DINKES"),
            (3, "APBN", 2, "DPMPTSP, DISDUKCAPIL"),
            (4, "CSR", 2, "DLH, DISPERKIM"),
        ]
        return EvidenceSpec(
            key=(key, year), title=title, kind=EvidenceKind.DPA, filename=f"rekap-pendanaan-smart-city-{year}.xlsx",
            document_date=dt.date(year, 1, 30), issuer=name,
            make=partial(files.xlsx_table, title=title, header=("No", "Sumber dana", "Kegiatan", "SKPD"), rows=rows),
        )  # fmt: skip
    raise ValueError(f"unknown evidence key {key!r}")


QUESTION_BY_CODE: dict[str, QuestionSpec] = {spec.code: spec for spec in QUESTIONS}


# --- Writing -----------------------------------------------------------------------------------------------


@dataclass
class _Context:
    region: Region
    agencies: dict[str, Agency]
    created: Callable[[str, object], None]
    users: dict[str, AbstractBaseUser] = field(default_factory=dict)

    def user(self, username: str) -> AbstractBaseUser:
        user = self.users.get(username)
        if user is None:
            raise RuntimeError(f"The demo login {username!r} is missing: banjar.USERS must list it.")
        return user

    def operator(self, spec: QuestionSpec) -> AbstractBaseUser:
        return self.user(OPERATORS[spec.agency])


def load_evaluations(*, region: Region, agencies: dict[str, Agency], created: Callable[[str, object], None]) -> None:
    """Create what is missing of the 2023 (Tahap I and II) and 2024 cycles; steps already taken are left alone."""
    ctx = _Context(region, agencies, created)
    usernames = {COORDINATOR, ASSESSOR, *OPERATORS.values()}
    ctx.users = {u.get_username(): u for u in get_user_model().objects.filter(username__in=usernames)}
    first = _first_cycle(ctx)
    _stage_two(ctx, first)
    _second_cycle(ctx, first)


def _find_cycle(ctx: _Context, spec: CycleSpec) -> EvaluationCycle | None:
    return (
        EvaluationCycle.objects.filter(region=ctx.region, year=spec.year, stage=spec.stage)
        .select_related("region", "questionnaire")
        .first()
    )


def _first_cycle(ctx: _Context) -> EvaluationCycle:
    coordinator = ctx.user(COORDINATOR)
    cycle = _find_cycle(ctx, CYCLE_2023)
    if cycle is None:
        cycle = cycle_create(region=ctx.region, by=coordinator, data=CYCLE_2023.data)
        ctx.created("cycles", cycle)
    if cycle.questionnaire_id is None:
        questionnaire = questionnaire_import(cycle=cycle, by=coordinator, rows=QUESTIONS, name=QUESTIONNAIRE_NAME)
        ctx.created("questionnaires", questionnaire)
        for question in questionnaire.questions.all():
            ctx.created("questions", question)
    questions = {q.code: q for q in Question.objects.filter(questionnaire_id=cycle.questionnaire_id)}
    _assign(ctx, cycle, questions)
    if not cycle.is_locked:
        evidence = _library(ctx, CYCLE_2023.year, QUESTIONS)
        with pinned_today(CYCLE_2023.internal_deadline):  # answered inside 2023's questionnaire window
            for spec, answer in _answers(cycle, QUESTIONS):
                if answer.status != Status.VERIFIED:
                    _answer_first_year(ctx, spec, answer, evidence)
        cycle = cycle_lock(cycle=cycle, by=coordinator)
    assessor = ctx.user(ASSESSOR)
    if not cycle.assessors.filter(pk=assessor.pk).exists():
        cycle_set_assessors(cycle=cycle, by=coordinator, assessors=[*cycle.assessors.all(), assessor])
    _scores(ctx, cycle, questions, assessor)
    _notes(ctx, cycle, assessor)
    return cycle


def _assign(ctx: _Context, cycle: EvaluationCycle, questions: dict[str, Question]) -> None:
    """Assign the questions not yet assigned, one call per responsible SKPD and set of supporting SKPDs."""
    assigned = set(cycle.assignments.values_list("question__code", flat=True))
    groups: dict[tuple[str, tuple[str, ...]], list[QuestionSpec]] = {}
    for spec in QUESTIONS:
        if spec.code not in assigned:
            groups.setdefault((spec.agency, spec.supporting), []).append(spec)
    for (acronym, supporting), specs in groups.items():
        assign_questions(
            cycle=cycle,
            by=ctx.user(COORDINATOR),
            questions=[questions[spec.code] for spec in specs],
            agency=ctx.agencies[acronym],
            supporting=[ctx.agencies[a] for a in supporting],
        )
        for spec in specs:
            ctx.created("answers", f"{cycle} {spec.code} · {acronym}")


def _answers(cycle: EvaluationCycle, specs: Iterable[QuestionSpec]) -> list[tuple[QuestionSpec, Answer]]:
    by_code = {
        a.question.code: a for a in Answer.objects.filter(cycle=cycle).select_related("cycle__region", "question")
    }
    return [(spec, by_code[spec.code]) for spec in specs if spec.code in by_code]


def _library(ctx: _Context, year: int, specs: Sequence[QuestionSpec]) -> dict[tuple[str, str], Evidence]:
    """The documents the answers of `year` attach, uploaded where an SKPD's library lacks them."""
    wanted = sorted({(spec.agency, key) for spec in specs for key in spec.evidence})
    agencies = [ctx.agencies[acronym] for acronym, _ in wanted]
    have = {(e.agency_id, e.title): e for e in Evidence.objects.filter(agency__in=agencies)}
    found: dict[tuple[str, str], Evidence] = {}
    for acronym, key in wanted:
        agency = ctx.agencies[acronym]
        own = [spec for spec in QUESTIONS if spec.agency == acronym]
        document = _document(agency, key, year, own)
        evidence = have.get((agency.pk, document.title))
        if evidence is None:
            upload = SimpleUploadedFile(document.filename, document.make())
            result = evidence_upload(agency=agency, by=ctx.user(OPERATORS[acronym]), upload=upload, data=document.data)
            evidence = result.evidence
            if result.created:
                ctx.created("evidence", evidence)
        found[(acronym, key)] = evidence
    return found


def _value_fields(spec: QuestionSpec, value: object) -> dict[str, object]:
    name = {
        K.YES_NO: "value_bool",
        K.CHOICE: "value_choice",
        K.LEVEL: "value_level",
        K.NUMBER: "value_number",
        K.PERCENTAGE: "value_number",
        K.TEXT: "value_text",
    }[spec.kind]
    return {name: value}


def _save(
    ctx: _Context, spec: QuestionSpec, answer: Answer, *, value: object, narrative: str, evidence: list[Evidence]
) -> Answer:
    return answer_update(
        answer=answer,
        by=ctx.operator(spec),
        expected_version=answer.version,
        data={**_value_fields(spec, value), "narrative": narrative},
        evidence=evidence,
    )


def _answer_first_year(
    ctx: _Context, spec: QuestionSpec, answer: Answer, library: dict[tuple[str, str], Evidence]
) -> None:
    """Answer, submit and verify; the bounced answer is first submitted without its notulen and returned."""
    operator, coordinator = ctx.operator(spec), ctx.user(COORDINATOR)
    evidence = [library[(spec.agency, key)] for key in spec.evidence]
    if spec.code == BOUNCED_2023 and answer.status == Status.DRAFT:
        answer = _save(ctx, spec, answer, value=spec.value, narrative=spec.narrative, evidence=evidence[:1])
        answer = answer_submit(answer=answer, by=operator)
        answer = answer_return(answer=answer, by=coordinator, reason=BOUNCE_REASON)
    if answer.is_editable:
        answer = _save(ctx, spec, answer, value=spec.value, narrative=spec.narrative, evidence=evidence)
        answer = answer_submit(answer=answer, by=operator)
    if answer.status == Status.SUBMITTED:
        answer_verify(answer=answer, by=coordinator)


def _scores(
    ctx: _Context,
    cycle: EvaluationCycle,
    questions: dict[str, Question],
    assessor: AbstractBaseUser,
    specs: Iterable[QuestionSpec] = QUESTIONS,
) -> None:
    """Score what is unscored or different, a page per dimension as the assessor works through the form."""
    current = {code: (value, note) for code, value, note in cycle.scores.values_list("question__code", "value", "note")}
    pages: dict[str, dict[Question, tuple[Decimal | None, str]]] = {}
    for spec in specs:
        if current.get(spec.code) != (spec.score, spec.score_note):
            pages.setdefault(spec.dimension, {})[questions[spec.code]] = (spec.score, spec.score_note)
    for page in pages.values():
        scores_save(cycle=cycle, by=assessor, scores=page)
        for question in page:
            if question.code not in current:
                ctx.created("scores", f"{cycle} {question.code}")


def _notes(ctx: _Context, cycle: EvaluationCycle, assessor: AbstractBaseUser) -> None:
    dimensions = {d.code: d for d in Dimension.objects.all()}
    current = {n.dimension_id: n for n in AssessmentNote.objects.filter(cycle=cycle)}
    for code, (strengths, weaknesses, recommendations) in NOTES.items():
        dimension = dimensions[code] if code else None
        data = {"strengths": strengths, "weaknesses": weaknesses, "recommendations": recommendations}
        note = current.get(dimension.pk if dimension else None)
        if note is not None and all(getattr(note, k) == v for k, v in data.items()):
            continue
        saved = note_save(cycle=cycle, by=assessor, dimension=dimension, data=data)
        if note is None:
            ctx.created("notes", saved)


STAGE_TWO_UNTOUCHED = "DISDIK"  # its answers are still Tahap I's when the cycle is locked
STAGE_TWO_SCORED = ("governance", "branding", "economy")  # 29 of the 53 questions
STAGE_TWO_LOCK_REASON = (
    "Rapat Tahap II di Jakarta tanggal 15 Agustus 2023 tidak dapat ditunda; jawaban DISDIK tetap jawaban Tahap I "
    "dan akan dikonfirmasi langsung kepada tim penilai."
)


def _stage_two(ctx: _Context, first: EvaluationCycle) -> EvaluationCycle:
    """2023 Tahap II from Tahap I: confirmed and verified except DISDIK's, locked with a reason, half scored."""
    coordinator = ctx.user(COORDINATOR)
    cycle = _find_cycle(ctx, CYCLE_2023_II)
    if cycle is None:
        cycle = cycle_carry_forward(previous=first, by=coordinator, data=CYCLE_2023_II.data)
        ctx.created("cycles", cycle)
        for answer in cycle.answers.select_related("question"):
            ctx.created("answers", f"{cycle} {answer.question.code} (carried)")
    if not cycle.is_locked:
        with pinned_today(CYCLE_2023_II.internal_deadline):  # confirmed inside Tahap II's questionnaire window
            for spec, answer in _answers(cycle, QUESTIONS):
                if spec.agency != STAGE_TWO_UNTOUCHED and answer.status == Status.DRAFT:
                    answer = answer_submit(answer=answer, by=ctx.operator(spec))  # confirmed as carried
                if answer.status == Status.SUBMITTED:
                    answer_verify(answer=answer, by=coordinator)
        cycle = cycle_lock(cycle=cycle, by=coordinator, reason=STAGE_TWO_LOCK_REASON)
    assessor = ctx.user(ASSESSOR)
    if not cycle.assessors.filter(pk=assessor.pk).exists():
        cycle_set_assessors(cycle=cycle, by=coordinator, assessors=[*cycle.assessors.all(), assessor])
    questions = {q.code: q for q in Question.objects.filter(questionnaire_id=cycle.questionnaire_id)}
    scored = [spec for spec in QUESTIONS if spec.dimension in STAGE_TWO_SCORED]
    _scores(ctx, cycle, questions, assessor, scored)
    return cycle


def _second_cycle(ctx: _Context, previous: EvaluationCycle) -> EvaluationCycle:
    """2024 from 2023: carried drafts, about half of them updated since; not locked."""
    cycle = _find_cycle(ctx, CYCLE_2024)
    if cycle is None:
        cycle = cycle_carry_forward(previous=previous, by=ctx.user(COORDINATOR), data=CYCLE_2024.data)
        ctx.created("cycles", cycle)
        for answer in cycle.answers.select_related("question"):
            ctx.created("answers", f"{cycle} {answer.question.code} (carried)")
    if cycle.is_locked:
        return cycle
    updated = [spec for spec in QUESTIONS if spec.update is not None]
    library = _library(ctx, CYCLE_2024.year, updated)
    with pinned_today(CYCLE_2024.internal_deadline):  # updated inside 2024's questionnaire window
        for spec, answer in _answers(cycle, updated):
            if spec.update is not None and answer.status == Status.DRAFT:  # as carried: its 2024 story is to come
                _answer_second_year(ctx, spec, spec.update, answer, library)
    _extension(ctx, cycle)
    return cycle


EXTENDED = "DINKES"  # two of its 2024 answers are still last year's drafts
EXTENSION_REASON = (
    "Rekap cakupan layanan telemedicine Puskesmas semester I 2024 baru selesai diverifikasi Dinas Kesehatan; "
    "dua jawaban menunggu data tersebut."
)


def _extension(ctx: _Context, cycle: EvaluationCycle) -> None:
    """DKISP extends the closed 2024 questionnaire for one SKPD, two weeks from the day the demo is loaded."""
    agency = ctx.agencies[EXTENDED]
    if WindowExtension.objects.filter(cycle=cycle, agency=agency).exists():
        return
    closes_on = max(today(), cycle.closes_on) + dt.timedelta(days=14)
    # Not counted in the loader's summary, which has no line for extensions; the audit log has it.
    extension_grant(cycle=cycle, agency=agency, closes_on=closes_on, reason=EXTENSION_REASON, by=ctx.user(COORDINATOR))


def _answer_second_year(
    ctx: _Context, spec: QuestionSpec, update: Update, answer: Answer, library: dict[tuple[str, str], Evidence]
) -> None:
    evidence = [library[(spec.agency, key)] for key in spec.evidence]
    answer = _save(ctx, spec, answer, value=_value(spec, CYCLE_2024.year), narrative=update.narrative,
                   evidence=evidence)  # fmt: skip
    answer = answer_submit(answer=answer, by=ctx.operator(spec))
    if update.fate == VERIFIED:
        answer_verify(answer=answer, by=ctx.user(COORDINATOR))
    elif update.fate == RETURNED:
        answer_return(answer=answer, by=ctx.user(COORDINATOR), reason=update.reason)
