"""Building one package: collect, PDF, Excel, ZIP, each step reported to the package row as it goes.

Everything is written into a private temporary folder first; only when a file is complete and hashed is it
saved to storage under its final name and named on the row, together with its size and SHA-256. A build
that dies half-way leaves nothing a user can download, and its temporary folder goes with the process.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.db.models.fields.files import FieldFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from evaluations.models.packages import Package
from evaluations.packages.archive import Source, write_archive
from evaluations.packages.charts import monev_charts, summary_charts
from evaluations.packages.pdf import (
    LOGO_URL,
    Rendered,
    RenderTimeout,
    join_parts,
    read_logo,
    render_parts,
    render_pdf,
    static_url,
)
from evaluations.packages.scratch import scratch_folder, scratch_prefix
from evaluations.packages.workbook import write_monev_workbook, write_package_workbook
from evaluations.selectors.package import PackageData, collect
from evaluations.services import windows
from masterplan.selectors.monev import monev

logger = logging.getLogger(__name__)
Step = Package.Step
# Report progress this often at most while packing members (each report is one UPDATE).
_BEAT_SECONDS = 1.0

Beat = Callable[..., None]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def build(package: Package, beat: Beat) -> dict[str, Any]:
    """Build `package`'s files; `beat(step, progress)` records progress. Returns the fields to save on success."""
    with (
        translation.override(package.language),
        tempfile.TemporaryDirectory(prefix=scratch_prefix(package), dir=scratch_folder()) as folder,
    ):
        if package.kind == Package.Kind.MONEV:
            return _build_monev(package, Path(folder), beat)
        return _build_submission(package, Path(folder), beat)


def _timed(timings: dict[str, float], name: str, started: float) -> None:
    timings[name] = round(time.monotonic() - started, 3)


def _build_submission(package: Package, folder: Path, beat: Beat) -> dict[str, Any]:
    timings: dict[str, float] = {}
    started = time.monotonic()
    beat(Step.COLLECTING, 5)
    data = collect(package.cycle, today=windows.today(), now=timezone.now())
    _timed(timings, "collect", started)

    started = time.monotonic()
    beat(Step.PDF, 10)
    pdf_path = folder / package.file_name("pdf")
    rendered = render_submission_pdf(package, data, pdf_path)
    _timed(timings, "pdf", started)
    timings["renderer_mb"] = round(rendered.renderer_mb, 1)

    started = time.monotonic()
    beat(Step.EXCEL, 50)
    workbook_path = folder / package.file_name("workbook")
    rows = write_package_workbook(data, workbook_path)
    _timed(timings, "excel", started)

    started = time.monotonic()
    beat(Step.ZIP, 60)
    archive_path = folder / package.file_name("archive")
    sources = [
        Source(pdf_path.name, lambda: pdf_path.open("rb"), "pdf", rendered.size),
        Source(workbook_path.name, lambda: workbook_path.open("rb"), "excel", workbook_path.stat().st_size),
        *(
            Source(
                packed.zip_path,
                packed.stored_file.file.open,
                "evidence",
                packed.stored_file.size,
                sha256=packed.stored_file.sha256,
                crc32=packed.stored_file.crc32,
                local_path=_local_path(packed.stored_file.file),
            )
            for packed in data.files
        ),
    ]
    last = [time.monotonic()]

    def on_member(done: int) -> None:
        if time.monotonic() - last[0] >= _BEAT_SECONDS:
            last[0] = time.monotonic()
            beat(Step.ZIP, 60 + int(38 * done / len(sources)))

    written = write_archive(archive_path, sources, readme=_readme(package, data), on_member=on_member)
    _timed(timings, "zip", started)
    timings["members"] = len(written.members)
    timings["rows"] = rows
    return {
        "is_final": data.is_final,
        "data_stamp": data.stamp,
        "timings": timings,
        "pdf_pages": rendered.pages,
        **_stored(package, "pdf", pdf_path),
        **_stored(package, "workbook", workbook_path),
        **_stored(package, "archive", archive_path, sha256=written.sha256),
    }


def _build_monev(package: Package, folder: Path, beat: Beat) -> dict[str, Any]:
    timings: dict[str, float] = {}
    started = time.monotonic()
    beat(Step.COLLECTING, 5)
    progress = monev(region=package.region, year=package.year, period=package.period)
    logo = read_logo(package.region)
    _timed(timings, "collect", started)
    started = time.monotonic()
    beat(Step.PDF, 20)
    pdf_path = folder / package.file_name("pdf")
    context = {
        "package": package,
        "region": package.region,
        "monev": progress,
        "charts": monev_charts(progress),
        "generated_at": timezone.now(),
        "css_url": static_url("packages/print.css"),
        "logo_url": LOGO_URL if logo else "",
    }
    rendered = render_pdf(render_to_string("packages/monev.html", context), pdf_path, logo=logo)
    _timed(timings, "pdf", started)
    started = time.monotonic()
    beat(Step.EXCEL, 80)
    workbook_path = folder / package.file_name("workbook")
    timings["rows"] = write_monev_workbook(progress, workbook_path)
    _timed(timings, "excel", started)
    return {
        "is_final": True,
        "timings": timings,
        "pdf_pages": rendered.pages,
        **_stored(package, "pdf", pdf_path),
        **_stored(package, "workbook", workbook_path),
    }


def _local_path(file: FieldFile) -> str | None:
    """Where a stored file lies on this machine's disk, if its storage keeps it on disk (an S3 bucket does not)."""
    try:
        return file.storage.path(file.name)
    except NotImplementedError:
        return None


def _stored(package: Package, part: str, path: Path, sha256: str | None = None) -> dict[str, Any]:
    """Hash the finished file (unless its writer did), then put it in storage under its final name: moved on local
    disk (a rename when the scratch folder is on the same disk), streamed elsewhere (S3 uploads it in parts)."""
    sha256 = sha256 or sha256_of(path)
    size = path.stat().st_size
    field = getattr(package, part)
    if isinstance(field.storage, FileSystemStorage):
        name = field.storage.get_available_name(field.field.generate_filename(package, path.name))
        final = Path(field.storage.path(name))
        final.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, final)
        field.name = name
    else:
        with path.open("rb") as handle:
            field.save(path.name, File(handle), save=False)
    return {part: field.name, f"{part}_size": size, f"{part}_sha256": sha256}


def submission_context(package: Package, data: PackageData, *, logo: bytes | None) -> dict[str, Any]:
    """What the submission template needs, for the whole document (part "all") or any of its parts."""
    return {
        "package": package,
        "data": data,
        "cycle": data.cycle,
        "region": data.cycle.region,
        "is_draft": not data.is_final,
        "charts": summary_charts(data),
        "css_url": static_url("packages/print.css"),
        "logo_url": LOGO_URL if logo else "",
        "questions": data.questions,
        "part": "all",
        "toc": _toc(data, {}),
    }


def _toc(data: PackageData, pages: dict[str, int]) -> list[dict[str, Any]]:
    """The table of contents; an entry without a page number gets it from WeasyPrint (same document)."""
    entries = [
        {"label": _("Summary"), "anchor": "summary"},
        {"label": _("Programme progress"), "anchor": "progress"},
        {"label": _("Answers and evidence"), "anchor": "answers"},
        *({"label": d.name, "anchor": f"dim-{d.code}", "sub": True} for d in data.dimensions),
        {"label": _("Missing evidence and unverified items"), "anchor": "gaps"},
    ]
    if data.notes:
        entries.append({"label": _("Assessors' notes"), "anchor": "notes"})
    for entry in entries:
        entry["page"] = pages.get(entry["anchor"])
    return entries


def submission_html(package: Package, data: PackageData, *, logo: bytes | None = None) -> str:
    """The whole submission document as one HTML page (what a single WeasyPrint render would take)."""
    return render_to_string("packages/submission.html", submission_context(package, data, logo=logo))


def render_submission_pdf(package: Package, data: PackageData, target: Path) -> Rendered:
    """Render the submission PDF in parts on settings.PACKAGE_PDF_WORKERS processes, then join and number it.

    The parts are the front matter (cover, contents, summary, programme progress), one part per dimension and
    the closing sections. The contents need the parts' lengths, so the front matter is rendered a second time
    once they are known; its own length does not change with the numbers (it is laid out with placeholders).
    """
    deadline = time.monotonic() + settings.PACKAGE_RENDER_TIMEOUT
    logo = read_logo(data.cycle.region)
    context = submission_context(package, data, logo=logo)
    placeholders = {entry["anchor"]: 999 for entry in context["toc"] if entry["anchor"] not in ("summary", "progress")}
    groups: dict[str, list[Any]] = {}
    for question in data.questions:
        groups.setdefault(question.dimension_code, []).append(question)

    def html(part: str, **extra: Any) -> str:
        return render_to_string("packages/submission.html", {**context, "part": part, "stamped": True, **extra})

    documents = [html("front", toc=_toc(data, placeholders))]
    documents += [
        html("dimension", questions=questions, first_dimension=n == 0) for n, questions in enumerate(groups.values())
    ]
    documents.append(html("back"))
    if data.notes:
        documents.append(html("notes"))
    folder = target.parent / "parts"
    folder.mkdir(exist_ok=True)
    workers = settings.PACKAGE_PDF_WORKERS
    parts = render_parts(documents, folder, workers=workers, timeout=_left(deadline), logo=logo)
    front_pages = parts[0].pages
    starts, page = {}, 1
    anchors = ["front", *(f"dim-{code}" for code in groups), "back", *(["notes"] if data.notes else [])]
    for part, anchor in zip(parts, anchors, strict=True):
        starts[anchor] = page
        page += part.pages
    pages = {anchor: starts[anchor] for anchor in starts if anchor.startswith("dim-")}
    pages["answers"] = starts[f"dim-{next(iter(groups))}"] if groups else starts["back"]
    pages["gaps"] = starts["back"]
    if data.notes:
        pages["notes"] = starts["notes"]
    [front] = render_parts(
        [html("front", toc=_toc(data, pages))], folder / "..", workers=1, timeout=_left(deadline), logo=logo
    )
    if front.pages != front_pages:  # never seen; a wrong page number in the contents would be worse than a log line
        logger.warning("package %s: the front matter changed length with its page numbers", package.pk)
    running_title = f"{_('Smart city evaluation package')} {data.cycle}" + ("" if data.is_final else f" · {_('DRAFT')}")
    total = join_parts(
        [front.path, *(part.path for part in parts[1:])],
        target,
        footer=data.cycle.region.name,
        title=running_title,
    )
    peak = max(part.renderer_mb for part in [*parts, front])
    return Rendered(pages=total, size=target.stat().st_size, renderer_mb=peak)


def _left(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise RenderTimeout("the PDF took longer than its time limit to render")
    return left


def _readme(package: Package, data: PackageData) -> str:
    return render_to_string(
        "packages/BACA-SAYA.txt",
        {
            "package": package,
            "data": data,
            "cycle": data.cycle,
            "pdf": package.file_name("pdf"),
            "workbook": package.file_name("workbook"),
            "draft": _("DRAFT") if not data.is_final else "",
        },
    )
