"""The files in each reporting SKPD's evidence library: what they are called, who issued them, what they say.

Each `EvidenceSpec` makes its bytes only when the loader finds the entry missing, so a second load generates
nothing. Every SKPD that reports keeps an SK, minutes, attendance, photos, a DPA and (once the year is over)
an annual report per year; DKISP also keeps the masterplan's Perbup and the Bupati's SK.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from agencies.models import Agency
from evidence.models import Evidence
from smartcity.demo import files
from smartcity.demo.figures import agenda_number, budget
from smartcity.demo.stories import story_for

Kind = Evidence.Kind


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


def report_library(agency: Agency, code: str, years: Sequence[int], today: dt.date) -> list[EvidenceSpec]:
    """The evidence an SKPD keeps for its smart-city reporting: SK, minutes, attendance, photos, reports, DPA."""
    acr, name = agency.acronym, agency.name
    story = story_for(code, acr)
    specs: list[EvidenceSpec] = []
    for index, year in enumerate(years):
        slug = f"{acr.lower()}-{year}"
        meeting = dt.date(year, 3, 10 + index * 3)
        attendees = [PEOPLE[(index + i + len(acr)) % len(PEOPLE)] for i in range(6)]
        sk_title = f"Keputusan Kepala {name} tentang Tim Teknis Smart City Tahun {year}"
        sk_number = f"188.45/{agenda_number('sk', acr, year)}/{acr}/{year}"
        minutes_title = f"Notulen Rapat Koordinasi Smart City {acr} Tahun {year}"
        minutes_number = f"005/{agenda_number('minutes', acr, year)}/{acr}/{year}"
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
                document_number=f"DPA/{agenda_number('dpa', acr, year)}/{acr}/{year}",
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
            report_number = f"050/{agenda_number('report', acr, year)}/{acr}/{year + 1}"
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
        tim_number = f"188.45/{agenda_number('tim', first)}/KUM/{first}"
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
