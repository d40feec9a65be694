"""The documents the SKPDs attach to their evaluation answers: recaps, minutes, SKs, surveys, photos.

A document's text quotes the answers it supports, so each one is made for the year of the cycle it serves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from functools import partial

from agencies.models import Agency
from evidence.models import Evidence
from smartcity.demo import figures, files
from smartcity.demo.figures import agenda_number
from smartcity.demo.questions import CYCLE_2023, PHOTOS, QUESTION_BY_CODE, K, QuestionSpec
from smartcity.demo.report_documents import PEOPLE, PERBUP, EvidenceSpec

EvidenceKind = Evidence.Kind


def displayed(spec: QuestionSpec, value: object) -> str:
    """An answer as a person would write it in the SKPD's data recap."""
    if spec.kind == K.YES_NO:
        return "Ya" if value else "Tidak"
    if spec.kind == K.LEVEL:
        return f"Level {value}"
    if spec.kind in (K.NUMBER, K.PERCENTAGE):
        figure = figures.number(Decimal(str(value)))
        return f"{figure} %" if spec.kind == K.PERCENTAGE else figure
    return str(value)


def answer_value(spec: QuestionSpec, year: int) -> object:
    if year > CYCLE_2023.year and spec.update is not None and spec.update.value is not None:
        return spec.update.value
    return spec.value


def answer_narrative(spec: QuestionSpec, year: int) -> str:
    return spec.update.narrative if year > CYCLE_2023.year and spec.update is not None else spec.narrative


def answer_document(agency: Agency, key: str, year: int, specs: Sequence[QuestionSpec]) -> EvidenceSpec:
    """The library entry `key` of an SKPD for the evaluation of `year` (`specs`: the questions it answers)."""
    acr, name = agency.acronym, agency.name
    slug = f"{acr.lower().replace(' ', '-')}-{year}"
    staff = [PEOPLE[(len(acr) + year + i) % len(PEOPLE)] for i in range(5)]
    if key == "perbup":
        return PERBUP  # the one in DKISP's library from the reports demo
    if key == "report":
        title = f"Laporan Pelaksanaan Program Smart City {name} Tahun {year - 1}"
        number = f"050/{agenda_number('eval-report', acr, year)}/{acr}/{year}"
        lines = [
            "Laporan ini disusun sebagai bukti dukung evaluasi smart city Tahap I.",
            *(f"{s.code}: {answer_narrative(s, year)}" for s in specs if "report" in s.evidence),
        ]
        return EvidenceSpec(
            key=(key, year),
            title=title,
            kind=EvidenceKind.REPORT,
            filename=f"laporan-smart-city-{slug}.pdf",
            document_number=number,
            document_date=dt.date(year, 2, 14),
            issuer=f"Kepala {name}",
            make=partial(files.pdf_document, title=title, agency=name, subtitle=f"Nomor: {number}", lines=lines),
        )
    if key == "minutes":
        title = f"Notulen Rapat Persiapan Evaluasi Smart City {acr} Tahun {year}"
        number = f"005/{agenda_number('eval-minutes', acr, year)}/{acr}/{year}"
        lines = [
            f"Tanggal: 09-05-{year}, pukul 09.00 WITA. Pimpinan rapat: {staff[0]}. Notulis: {staff[1]}.",
            "Peserta: " + ", ".join(staff) + ".",
            *(f"Pembahasan {s.code}: {answer_narrative(s, year)}" for s in specs),
            "Jawaban dan bukti dukung diunggah paling lambat batas waktu internal yang ditetapkan DKISP.",
        ]
        return EvidenceSpec(
            key=(key, year),
            title=title,
            kind=EvidenceKind.MINUTES,
            filename=f"notulen-evaluasi-{slug}.pdf",
            document_number=number,
            document_date=dt.date(year, 5, 9),
            issuer=name,
            make=partial(files.pdf_document, title=title, agency=name, subtitle=f"Nomor: {number}", lines=lines),
        )
    if key == "data":
        title = f"Rekap Data Dukung Evaluasi Smart City {acr} Tahun {year}"
        rows = [
            (i, s.code, s.text, displayed(s, answer_value(s, year)))
            for i, s in enumerate((s for s in specs if s.kind != K.TEXT), start=1)
        ]
        return EvidenceSpec(
            key=(key, year),
            title=title,
            kind=EvidenceKind.OTHER,
            filename=f"rekap-data-evaluasi-{slug}.xlsx",
            document_date=dt.date(year, 5, 12),
            issuer=name,
            make=partial(files.xlsx_table, title=title, header=("No", "Kode", "Pertanyaan", "Nilai"), rows=rows),
        )
    if key == "photo":
        caption = f"{PHOTOS[acr]} {year}"
        return EvidenceSpec(
            key=(key, year),
            title=f"Foto Dokumentasi: {caption}",
            kind=EvidenceKind.PHOTO,
            filename=f"foto-evaluasi-{slug}.jpg",
            document_date=dt.date(year, 4, 20),
            issuer=name,
            make=partial(files.photo_jpeg, caption),
        )
    if key in {"survey", "ikm"}:
        title = (
            f"Laporan Survei Kepuasan Masyarakat MPP Barokah Semester II Tahun {year - 1}"
            if key == "ikm"
            else f"Laporan Survei Dampak Program Smart City {acr} Tahun {year}"
        )
        lines = [
            "Metode: survei tiga program per elemen dengan sampel purposif, bersama SKPD pemilik program.",
            *(
                f"{s.code}: {displayed(s, answer_value(s, year))}. {answer_narrative(s, year)}"
                for s in specs
                if key in s.evidence
            ),
        ]
        return EvidenceSpec(
            key=(key, year),
            title=title,
            kind=EvidenceKind.REPORT,
            filename=f"survei-{key}-{slug}.pdf",
            document_date=dt.date(year, 4, 28),
            issuer=name,
            make=partial(files.pdf_document, title=title, agency=name, lines=lines),
        )
    if key == "sk_dewan":
        title = f"Keputusan Bupati Banjar tentang Dewan Smart City dan Tim Pelaksana Smart City Tahun {year}"
        number = f"188.45/{agenda_number('eval-sk-dewan', year)}/KUM/{year}"
        lines = (
            "KESATU: Membentuk Dewan Smart City yang diketuai Bupati dan Tim Pelaksana Smart City yang diketuai "
            "Sekretaris Daerah.",
            "KEDUA: Dewan menetapkan arah kebijakan; Tim Pelaksana rapat paling sedikit sekali setiap triwulan.",
            "KETIGA: Sekretariat Tim Pelaksana berkedudukan di DKISP.",
            f"KEEMPAT: Keputusan ini berlaku sampai dengan 31 Desember {year}.",
        )
        return EvidenceSpec(
            key=(key, year),
            title=title,
            kind=EvidenceKind.SK,
            filename=f"sk-dewan-smart-city-{year}.pdf",
            document_number=number,
            document_date=dt.date(year, 1, 16),
            issuer="Bupati Banjar",
            valid_until=dt.date(year, 12, 31),
            make=partial(
                files.pdf_document, title=title, agency="Bupati Banjar", subtitle=f"Nomor: {number}", lines=lines
            ),
        )
    if key == "forum":
        title = f"Notulen dan Daftar Hadir Rapat Dewan Smart City Kabupaten Banjar Tahun {year - 1}"
        lines = (
            f"Rapat Dewan Smart City dipimpin Sekretaris Daerah, dihadiri {len(staff) + 19} peserta dari SKPD.",
            "Pembahasan: capaian program jangka pendek, kendala pendanaan, dan persiapan evaluasi Kominfo.",
            "Kesimpulan: Tim Pelaksana rapat setiap triwulan; SKPD melengkapi bukti dukung sebelum evaluasi.",
            *(f"{i}. {person} .......... (tanda tangan)" for i, person in enumerate(staff, start=1)),
        )
        return EvidenceSpec(
            key=(key, year),
            title=title,
            kind=EvidenceKind.MINUTES,
            filename=f"notulen-dewan-smart-city-{year}.pdf",
            document_date=dt.date(year - 1, 11, 22),
            issuer="Sekretariat Tim Pelaksana Smart City",
            make=partial(files.pdf_document, title=title, agency=name, lines=lines),
        )
    if key == "spbe":
        title = f"Laporan Hasil Evaluasi SPBE Pemerintah Kabupaten Banjar Tahun {year - 1}"
        index = displayed(QUESTION_BY_CODE["SG-06"], answer_value(QUESTION_BY_CODE["SG-06"], year))
        lines = (
            f"Indeks SPBE Pemerintah Kabupaten Banjar: {index}.",
            "Domain terendah: layanan SPBE terintegrasi dan manajemen SPBE.",
            "Rekomendasi: menyusun arsitektur dan peta rencana SPBE, serta membangun layanan interoperabilitas.",
        )
        return EvidenceSpec(
            key=(key, year),
            title=title,
            kind=EvidenceKind.REPORT,
            filename=f"hasil-evaluasi-spbe-{year - 1}.pdf",
            document_date=dt.date(year, 3, 3),
            issuer="Kementerian PANRB",
            make=partial(files.pdf_document, title=title, agency="Kementerian PANRB", lines=lines),
        )
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
            key=(key, year),
            title=title,
            kind=EvidenceKind.APP_INVENTORY,
            filename=f"katalog-aplikasi-{year}.xlsx",
            document_date=dt.date(year, 3, 20),
            issuer=name,
            make=partial(files.xlsx_table, title=title, header=("No", "Aplikasi", "Pemilik", "Integrasi"), rows=rows),
        )
    if key == "dpa":
        title = f"Rekapitulasi Pendanaan Program Smart City Tahun Anggaran {year}"
        rows = [
            (1, "APBD", 41 + 5 * (year - CYCLE_2023.year), "Seluruh SKPD"),
            (2, "DAK", 3, "DISPERKIM, DINKES"),
            (3, "APBN", 2, "DPMPTSP, DISDUKCAPIL"),
            (4, "CSR", 2, "DLH, DISPERKIM"),
        ]
        return EvidenceSpec(
            key=(key, year),
            title=title,
            kind=EvidenceKind.DPA,
            filename=f"rekap-pendanaan-smart-city-{year}.xlsx",
            document_date=dt.date(year, 1, 30),
            issuer=name,
            make=partial(files.xlsx_table, title=title, header=("No", "Sumber dana", "Kegiatan", "SKPD"), rows=rows),
        )
    raise ValueError(f"unknown evidence key {key!r}")
