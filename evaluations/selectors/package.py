"""Everything the evaluation package shows, read once from the cycle: questions in questionnaire order with their
answer, SKPDs, status and evidence; the summary per dimension and lens; programme progress; the indices when
assessed; the missing-evidence and unverified items; and where each evidence file goes inside the ZIP.

Only what the cycle owns is read: its own questions, its own answers, and the evidence those answers link.
A fixed number of queries whatever the size of the cycle.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Prefetch
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from evaluations.models import (
    Answer,
    AnswerEvidence,
    AssessmentNote,
    Assignment,
    EvaluationCycle,
    Lens,
    OfficialResult,
    Question,
)
from evaluations.models.packages import Package
from evaluations.selectors.cycle_readiness import Readiness, readiness
from evaluations.selectors.results import headline
from evidence.models import Evidence, StoredFile
from masterplan.models import Dimension
from masterplan.selectors.monev import Monev, monev


@dataclass
class EvidenceEntry:
    title: str
    kind: str
    number: str
    date: dt.date | None
    valid_until: dt.date | None
    validity: str  # "valid", "expired" (at the meeting date) or "old" (dated before the cycle's year)
    stored_file_id: int
    sha256: str
    size: int
    zip_path: str

    @property
    def validity_label(self) -> str:
        return validity_label(self.validity)


@dataclass
class QuestionEntry:
    code: str
    text: str
    dimension_code: str
    dimension_name: str
    lens: str
    lens_label: str
    kind_label: str
    evidence_required: bool
    responsible: str
    responsible_name: str
    supporting: list[str]
    deadline: dt.date | None
    status: str
    status_label: str
    value: str  # the answer as people read it
    number: Decimal | None  # a number or percentage answer, as a number for the workbook
    narrative: str
    evidence: list[EvidenceEntry] = field(default_factory=list)

    @property
    def answered(self) -> bool:
        return self.value != ""

    @property
    def verified(self) -> bool:
        return self.status == Answer.Status.VERIFIED

    @property
    def has_valid_evidence(self) -> bool:
        return any(e.validity == "valid" for e in self.evidence)


@dataclass
class Tally:
    """A dimension's or a lens's counts, as the summary table and its charts show them."""

    code: str
    name: str
    questions: int = 0
    answered: int = 0
    verified: int = 0
    with_valid_evidence: int = 0
    index: Decimal | None = None


@dataclass
class PackedFile:
    stored_file: StoredFile
    zip_path: str


@dataclass
class PackageData:
    cycle: EvaluationCycle
    is_final: bool
    questions: list[QuestionEntry]
    dimensions: list[Tally]
    lenses: list[Tally]
    readiness: Readiness
    progress: Monev
    indices: dict[str, object] | None
    notes: list[AssessmentNote]
    files: list[PackedFile]
    stamp: str
    generated_at: dt.datetime

    @property
    def missing_evidence(self) -> list[QuestionEntry]:
        return [q for q in self.questions if q.evidence_required and not q.evidence]

    @property
    def invalid_evidence(self) -> list[QuestionEntry]:
        return [q for q in self.questions if q.evidence and not q.has_valid_evidence]

    @property
    def unverified(self) -> list[QuestionEntry]:
        return [q for q in self.questions if not q.verified]

    @property
    def evidence_count(self) -> int:
        return sum(len(q.evidence) for q in self.questions)


def data_stamp(cycle: EvaluationCycle) -> str:
    """A fingerprint of what a package shows of `cycle`: it changes whenever an answer, a link, a score, a note,
    the lock or the cycle's assignments change (counts catch deletions, the latest times catch edits)."""
    answers = Answer.objects.filter(cycle=cycle).aggregate(n=Count("pk"), at=Max("updated_at"), v=Max("version"))
    links = AnswerEvidence.objects.filter(answer__cycle=cycle).aggregate(
        n=Count("pk"), last=Max("pk"), at=Max("evidence__updated_at")
    )
    scores = cycle.scores.aggregate(n=Count("pk"), at=Max("scored_at"))
    notes = cycle.notes.aggregate(n=Count("pk"), at=Max("updated_at"))
    assignments = Assignment.objects.filter(cycle=cycle).aggregate(n=Count("pk"), last=Max("pk"))
    result = OfficialResult.objects.filter(cycle=cycle).values_list("entered_at", flat=True).first()
    parts = [cycle.locked_at, answers, links, scores, notes, assignments, result]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def mark_out_of_date(packages: list[Package]) -> list[Package]:
    """Set `out_of_date` on each package: built, of a cycle whose data changed since. One stamp per cycle, not
    one per package (a list shows up to fifty builds of the same cycle)."""
    stamps: dict[int, str] = {}
    for package in packages:
        stale = False
        if package.is_done and package.cycle_id is not None:
            if package.cycle_id not in stamps:
                stamps[package.cycle_id] = data_stamp(package.cycle)
            stale = package.data_stamp != stamps[package.cycle_id]
        package.out_of_date = stale  # type: ignore[attr-defined]
    return packages


def answer_text(answer: Answer | None) -> str:
    """The answer's value as the package prints it ("Ya", "Level 3", "81,5 %"); empty when not answered."""
    if answer is None or not answer.has_value:
        return ""
    kind = answer.question.kind
    Kind = Question.Kind
    if kind == Kind.YES_NO:
        return str(_("Yes") if answer.value_bool else _("No"))
    if kind == Kind.CHOICE:
        return answer.value_choice
    if kind == Kind.LEVEL:
        return f"{_('Level')} {answer.value_level}"
    if kind in (Kind.NUMBER, Kind.PERCENTAGE):
        number = number_format(answer.value_number.normalize(), use_l10n=True, force_grouping=True)
        return f"{number} %" if kind == Kind.PERCENTAGE else number
    return answer.value_text.strip()


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(text: str, limit: int = 60) -> str:
    """A file or folder name every system reads: ASCII letters, digits, dot, dash, underscore."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    name = _UNSAFE.sub("-", ascii_text).strip("-.")[:limit].strip("-.")
    return name or "berkas"


def collect(cycle: EvaluationCycle, *, today: dt.date, now: dt.datetime) -> PackageData:
    """Read the whole package's content for `cycle`."""
    cycle = EvaluationCycle.objects.select_related("region", "questionnaire", "previous").get(pk=cycle.pk)
    reference = cycle.meeting_date or today
    questions = (
        Question.objects.filter(questionnaire_id=cycle.questionnaire_id)
        .select_related("dimension")
        .order_by("dimension__order", "order", "code")
        if cycle.questionnaire_id
        else Question.objects.none()
    )
    assignments = {
        a.question_id: a
        for a in Assignment.objects.filter(cycle=cycle).select_related("agency").prefetch_related("supporting_agencies")
    }
    links = AnswerEvidence.objects.select_related("evidence__stored_file").order_by("evidence__title", "pk")
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(cycle=cycle)
        .select_related("agency", "question")
        .prefetch_related(Prefetch("evidence_links", queryset=links))
    }
    dimension_tallies = {d.code: Tally(d.code, d.name) for d in Dimension.objects.order_by("order")}
    lens_tallies = {lens.value: Tally(lens.value, str(lens.label)) for lens in Lens}
    files: dict[int, PackedFile] = {}
    used_paths: set[str] = set()
    entries = []
    dimension_numbers = {code: n for n, code in enumerate(dimension_tallies, start=1)}
    for question in questions:
        answer = answers.get(question.pk)
        assignment = assignments.get(question.pk)
        agency = answer.agency if answer else assignment.agency if assignment else None
        folder = (
            f"{dimension_numbers[question.dimension.code]:02d}-{safe_name(question.dimension.name, 40)}/"
            f"{safe_name(question.code, 30)}"
        )
        entry = QuestionEntry(
            code=question.code,
            text=question.text,
            dimension_code=question.dimension.code,
            dimension_name=question.dimension.name,
            lens=question.lens,
            lens_label=question.get_lens_display(),
            kind_label=question.get_kind_display(),
            evidence_required=question.evidence_required,
            responsible=agency.acronym if agency else "",
            responsible_name=agency.name if agency else "",
            supporting=[a.acronym for a in assignment.supporting_agencies.all()] if assignment else [],
            deadline=assignment.deadline if assignment else None,
            status=answer.status if answer else "",
            status_label=answer.get_status_display() if answer else str(_("Not started")),
            value=answer_text(answer),
            number=answer.value_number if answer and question.kind in ("number", "percentage") else None,
            narrative=answer.narrative.strip() if answer else "",
        )
        for link in answer.evidence_links.all() if answer else []:
            evidence: Evidence = link.evidence
            stored = evidence.stored_file
            packed = files.get(stored.pk)
            if packed is None:  # a file used by several questions is stored once, where it is first used
                packed = PackedFile(stored, _unique_path(folder, evidence.title, stored.extension, used_paths))
                files[stored.pk] = packed
            entry.evidence.append(
                EvidenceEntry(
                    title=evidence.title,
                    kind=evidence.get_kind_display(),
                    number=evidence.document_number,
                    date=evidence.document_date,
                    valid_until=evidence.valid_until,
                    validity=_validity(evidence, reference, cycle.year),
                    stored_file_id=stored.pk,
                    sha256=stored.sha256,
                    size=stored.size,
                    zip_path=packed.zip_path,
                )
            )
        for tally in (dimension_tallies[question.dimension.code], lens_tallies[question.lens]):
            tally.questions += 1
            tally.answered += entry.answered
            tally.verified += entry.verified
            tally.with_valid_evidence += entry.has_valid_evidence
        entries.append(entry)
    indices = headline(cycle) if cycle.scores.exists() or hasattr(cycle, "official_result") else None
    if indices is not None:
        for code, tally in dimension_tallies.items():
            tally.index = indices["by_dimension"].get(code)  # type: ignore[attr-defined]
        for code, tally in lens_tallies.items():
            tally.index = indices["by_lens"].get(code)  # type: ignore[attr-defined]
    return PackageData(
        cycle=cycle,
        is_final=cycle.is_locked,
        questions=entries,
        dimensions=[t for t in dimension_tallies.values() if t.questions],
        lenses=[t for t in lens_tallies.values() if t.questions],
        readiness=readiness(cycle=cycle, today=today),
        progress=monev(region=cycle.region, year=cycle.year),
        indices=indices,
        notes=list(cycle.notes.select_related("dimension").order_by("dimension__order")),
        files=list(files.values()),
        stamp=data_stamp(cycle),
        generated_at=now,
    )


def _validity(evidence: Evidence, reference: dt.date, year: int) -> str:
    if evidence.valid_until is not None and evidence.valid_until < reference:
        return "expired"
    if evidence.document_date is not None and evidence.document_date < dt.date(year, 1, 1):
        return "old"
    return "valid"


def _unique_path(folder: str, title: str, extension: str, used: set[str]) -> str:
    stem = safe_name(title)
    extension = extension.lstrip(".")  # StoredFile keeps ".pdf": the detected kind's, never the uploader's
    candidate = f"{folder}/{stem}.{extension}"
    n = 2
    while candidate.lower() in used:
        candidate = f"{folder}/{stem}-{n}.{extension}"
        n += 1
    used.add(candidate.lower())
    return candidate


def validity_label(validity: str) -> str:
    labels = {"valid": _("Valid"), "expired": _("Expired at the meeting"), "old": _("From an earlier year")}
    return str(labels[validity])
