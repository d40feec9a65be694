"""The follow-up loop of the Banjar demo: the 2024 preparation meeting, a coordination meeting ahead, and the
register of what the 2023 (Tahap I) assessors asked, assigned to SKPDs and followed up in every state.

Dates that must look right on the day the demo is loaded (due dates, the coming rakor) are offsets in days from
that day; dates of the 2024 preparation meeting are history and fixed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from evaluations.models import FollowUpItem, Meeting, MeetingInvitation

Response = MeetingInvitation.Response
Source = FollowUpItem.Source
OPEN, IN_PROGRESS, DONE, DROPPED = (s.value for s in FollowUpItem.Status)


@dataclass(frozen=True)
class Invited:
    agency: str  # acronym
    head_required: bool = False
    response: str = Response.PENDING
    attendee_name: str = ""
    attendee_position: str = ""
    attended: bool | None = None  # None: not recorded (a meeting still ahead)


@dataclass(frozen=True)
class MeetingSpec:
    kind: str
    title: str
    place: str
    agenda: str
    invited: tuple[Invited, ...]
    # History: a fixed local time (Asia/Jakarta). Ahead: `days_ahead` from the load day, at `hour`.
    starts_at: dt.datetime | None = None
    days_ahead: int = 0
    hour: int = 9
    invitations_sent: dt.datetime | None = None  # when the past meeting's invitations went out

    @property
    def data(self) -> dict[str, object]:
        return {"kind": self.kind, "title": self.title, "place": self.place, "agenda": self.agenda}


# Held before the 2024 questionnaire opened (6 May), as Banjar holds it every year, in Aula Barakat.
PREPARATION = MeetingSpec(
    kind=Meeting.Kind.PREPARATION,
    title="Rapat Persiapan Evaluasi Gerakan Menuju 100 Smart City Tahun 2024",
    place="Aula Barakat, Sekretariat Daerah Kabupaten Banjar, Martapura",
    agenda=(
        "1. Pembukaan oleh Asisten Perekonomian dan Pembangunan.\n"
        "2. Paparan surat Ditjen Aptika B-1045/DJAI.5/AI.01.05/04/2024 dan jadwal evaluasi.\n"
        "3. Tindak lanjut rekomendasi tim penilai tahun 2023.\n"
        "4. Pembagian pertanyaan kuesioner dan batas internal pengisian (24 Mei 2024)."
    ),
    starts_at=dt.datetime(2024, 4, 30, 9, 0),  # noqa: DTZ001 - made aware in the site's zone by the loader
    invitations_sent=dt.datetime(2024, 4, 24, 10, 0),  # noqa: DTZ001
    invited=(
        Invited("BAPPEDALITBANG", head_required=True, response=Response.HEAD, attended=True),
        Invited(
            "DPMPTSP",
            response=Response.DELEGATE,
            attendee_name="Siti Rahmah",
            attendee_position="Kepala Bidang Pelayanan Perizinan",
            attended=True,
        ),
        Invited(
            "DINKES",
            response=Response.DELEGATE,
            attendee_name="Ahmad Fauzan",
            attendee_position="Kepala Seksi Data dan Informasi",
            attended=True,
        ),
        Invited("BPBD", response=Response.HEAD, attended=True),
        Invited("DISDIK", response=Response.DECLINED, attended=False),
        Invited("DLH", attended=False),  # never answered and did not come
    ),
)

MINUTES_LINES = (
    "Rapat dibuka pukul 09.00 oleh Asisten Perekonomian dan Pembangunan Setda Kabupaten Banjar.",
    "Sekretaris DKISP memaparkan jadwal evaluasi tahun 2024: kuesioner dibuka 6 Mei dan ditutup 31 Mei 2024.",
    "Kesimpulan:",
    "1. Setiap SKPD melengkapi jawaban dengan bukti dukung paling lambat 24 Mei 2024.",
    "2. Rekomendasi tim penilai 2023 tentang peringatan dini bencana ditindaklanjuti BPBD bersama DKISP.",
    "Rapat ditutup pukul 11.30.",
)


@dataclass(frozen=True)
class DecisionSpec:
    text: str
    dimension: str | None
    tasks: tuple[tuple[str, int], ...]  # (acronym, due in days from the load day)


# Decisions of the preparation meeting, entered as items of the 2024 cycle. The second repeats a 2023
# recommendation word for word, so the register marks it as recurring.
DECISIONS = (
    DecisionSpec(
        "Setiap SKPD melengkapi jawaban kuesioner 2024 dengan bukti dukung yang valid paling lambat 24 Mei 2024.",
        None,
        (("DPMPTSP", 10), ("DINKES", 10)),
    ),
    DecisionSpec(
        "Perluas sensor dan sirene peringatan dini ke desa rawan banjir dan uji secara rutin bersama warga.",
        "society",
        (("BPBD", 30),),
    ),
)

# A coordination meeting two weeks after the load day: its invitations and answers go through the live workflow.
RAKOR = MeetingSpec(
    kind=Meeting.Kind.COORDINATION,
    title="Rapat Koordinasi Tindak Lanjut Rekomendasi Smart City",
    place="Ruang Rapat DKISP, Martapura",
    agenda=(
        "1. Capaian tindak lanjut rekomendasi tim penilai per SKPD.\n"
        "2. Tugas yang melewati batas waktu dan kendalanya.\n"
        "3. Persiapan bukti dukung untuk siklus evaluasi berikutnya."
    ),
    days_ahead=14,
    invited=(
        Invited("BPBD", head_required=True, response=Response.HEAD),
        Invited(
            "DISDAG",
            response=Response.DELEGATE,
            attendee_name="Ridha Fahmi",
            attendee_position="Analis Perdagangan",
        ),
        Invited("DLH", response=Response.DECLINED),
        Invited("DISPORAPAR"),  # not answered yet
    ),
)


@dataclass(frozen=True)
class Report:
    agency: str
    text: str
    done: bool = False


@dataclass(frozen=True)
class ItemPlan:
    """What became of one line of the 2023 Tahap I notes: its SKPDs, due dates, reports and fate."""

    tasks: tuple[tuple[str, int], ...]  # (acronym, due in days from the load day; negative: already overdue)
    fate: str
    reports: tuple[Report, ...] = ()
    drop_reason: str = ""
    # Codes of the questions the line concerns: the next cycle's readiness check and its assessors see the item
    # beside them while it is open.
    questions: tuple[str, ...] = ()


# Keyed by (dimension code, source) of the note line; the overall note has dimension None.
ITEMS: dict[tuple[str | None, str], ItemPlan] = {
    ("governance", Source.RECOMMENDATION): ItemPlan(
        (("DKISP", -60), ("BAG ORGANISASI", -60)),
        DONE,
        (
            Report("DKISP", "Peta rencana SPBE 2024–2026 disusun dan dibahas dalam rapat Tim Pelaksana.", done=True),
            Report(
                "BAG ORGANISASI",
                "Dewan dan Tim Pelaksana rapat tiap triwulan; notulen dan daftar hadir disimpan.",
                done=True,
            ),
        ),
    ),
    ("governance", Source.WEAKNESS): ItemPlan(
        (("DKISP", 45),),
        IN_PROGRESS,
        (Report("DKISP", "Integrasi 6 dari 14 aplikasi layanan ke Satu Data Banjar selesai; sisanya dijadwalkan."),),
    ),
    ("branding", Source.RECOMMENDATION): ItemPlan((("DISPORAPAR", 30),), OPEN, questions=("SB-06", "SB-08")),
    ("branding", Source.WEAKNESS): ItemPlan(
        (("DISPORAPAR", 30),),
        DROPPED,
        drop_reason="Sama dengan rekomendasi pengukuran dampak promosi; ditindaklanjuti pada butir itu.",
    ),
    ("economy", Source.RECOMMENDATION): ItemPlan(
        (("DISDAG", 20), ("DISKOPUKM", 20)),
        IN_PROGRESS,
        (Report("DISDAG", "QRIS diperluas ke Pasar Gambut dan Pasar Astambul bersama Bank Kalsel."),),
        questions=("SE-05", "SE-07"),
    ),
    ("economy", Source.WEAKNESS): ItemPlan((("DISDAG", -10),), OPEN, questions=("SE-05",)),
    ("living", Source.RECOMMENDATION): ItemPlan(
        (("DINKES", -30),),
        DONE,
        (Report("DINKES", "Rekam medis elektronik berjalan di 25 puskesmas; PSC 119 terhubung ke 112.", done=True),),
        questions=("SL-01", "SL-03"),
    ),
    ("living", Source.WEAKNESS): ItemPlan(
        (("DINKES", 25), ("DISHUB", 25)),
        IN_PROGRESS,
        (Report("DISHUB", "Empat kamera lalu lintas di simpang Martapura tersambung ke command center."),),
        questions=("SL-01", "SL-05"),
    ),
    ("society", Source.RECOMMENDATION): ItemPlan(
        (("BPBD", 15),),
        IN_PROGRESS,
        (Report("BPBD", "Sirene terpasang di 8 dari 20 desa rawan banjir; uji coba bersama warga tiap bulan."),),
        questions=("SS-03",),
    ),
    ("society", Source.WEAKNESS): ItemPlan((("BPBD", -5),), OPEN, questions=("SS-03",)),
    ("environment", Source.RECOMMENDATION): ItemPlan((("DLH", 40),), OPEN, questions=("SEN-03", "SEN-05")),
    ("environment", Source.WEAKNESS): ItemPlan(
        (("DLH", 40),),
        DROPPED,
        drop_reason="Ditangani dalam rekomendasi stasiun pemantau dan PLTS atap; tidak perlu butir terpisah.",
    ),
    (None, Source.WEAKNESS): ItemPlan((("BAPPEDALITBANG", 20), ("DKISP", 20)), OPEN),
    (None, Source.RECOMMENDATION): ItemPlan(
        (("BAPPEDALITBANG", 35), ("DKISP", 35)),
        IN_PROGRESS,
        (Report("BAPPEDALITBANG", "Reviu Perbup masterplan dimulai; draf penyelarasan dengan RPJMD disusun."),),
    ),
}
