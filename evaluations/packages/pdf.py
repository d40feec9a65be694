"""Rendering a package's HTML to PDF with WeasyPrint: only our own files, within a time limit, on every core.

The fetcher is the only way WeasyPrint reads anything: our own static files (stylesheets, fonts, images) by
their static path, the region's logo (read by the parent beforehand and handed over as bytes), and small
`data:` URLs. Every other URL — `file:///etc/passwd`, any other local path, every network address, a big
`data:` payload — is refused and logged, so text that reaches a package can never make the worker read a file
or call a server.

WeasyPrint lays out on one core. A package is therefore rendered as parts (the front matter, one part per
dimension, the closing sections) by a pool of renderer processes (see `render`), and the parts are joined with
pypdf; page numbers, the region's name and the running title are then written on every page in one pass, so the
numbering is continuous and the table of contents (rendered last, once the parts' lengths are known) is right. The pool
is killed when the whole render overruns its limit, and each child's memory returns to the system with it.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.staticfiles import finders
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

from evaluations.packages.render import (
    BASE_URL,
    LOGO_URL,
    STATIC_PREFIX,
    STATIC_TYPES,
    PackageFetcher,
    RefusedURL,
    RenderFailed,
    plain_signals,
    render_in_process,
    render_job,
)

__all__ = [
    "BASE_URL",
    "LOGO_URL",
    "PackageFetcher",
    "Part",
    "RefusedURL",
    "RenderFailed",
    "RenderTimeout",
    "Rendered",
    "read_logo",
    "render_in_process",
    "render_parts",
    "render_pdf",
    "static_url",
]

logger = logging.getLogger(__name__)

MAX_LOGO = 2 * 1024 * 1024


class RenderTimeout(RuntimeError):
    pass


@functools.cache
def static_files() -> dict[str, str]:
    """Every static file a renderer may read (stylesheets, fonts, images), by static path, found as
    `finders.find` finds them (the first finder and location wins). Built once per process: a few dozen files."""
    found: dict[str, str] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            prefix = getattr(storage, "prefix", None)
            name = (f"{prefix}/{path}" if prefix else path).replace("\\", "/")
            if Path(name).suffix.lower() in STATIC_TYPES and name not in found:
                found[name] = storage.path(path)
    return found


def read_logo(region: Any) -> bytes | None:
    """The region's logo, read before any child is forked (PNG or JPEG, at most 2 MB), or None."""
    if not region.logo:
        return None
    try:
        with region.logo.open("rb") as handle:
            data = handle.read(MAX_LOGO + 1)
    except OSError:
        logger.warning("region %s: logo %r is missing from storage", region.pk, region.logo.name)
        return None
    if len(data) > MAX_LOGO or not data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        logger.warning(
            "region %s: logo is not a PNG or JPEG of at most 2 MB; the cover shows the empty slot", region.pk
        )
        return None
    return data


def static_url(path: str) -> str:
    return f"{BASE_URL}{STATIC_PREFIX.strip('/')}/{path}"


@dataclass(frozen=True)
class Rendered:
    pages: int
    size: int
    renderer_mb: float = 0.0  # the largest renderer's peak resident memory


class Part(NamedTuple):
    path: Path
    pages: int
    renderer_mb: float  # peak resident memory of the process that rendered it, when it had


def _renderers() -> multiprocessing.context.BaseContext:
    """Where renderer processes come from: a fork server that has imported only `render` (and so WeasyPrint), started
    once per worker process at its first render. See `render` for why not a fork of the worker itself."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["evaluations.packages.render"])
    return context


def render_parts(
    documents: Sequence[str], folder: Path, *, workers: int, timeout: float, logo: bytes | None = None
) -> list[Part]:
    """Render each HTML document to its own PDF in `folder`, `workers` at a time; returns the parts in order.

    The children come from the fork server (`_renderers`): they never see the database, Django or the worker's
    memory; everything they need (HTML, logo, the static files' paths) travels with the job.
    """
    static = static_files()
    jobs = [(html, str(folder / f"part-{n:03d}.pdf"), logo, static) for n, html in enumerate(documents)]
    pool: Pool = _renderers().Pool(processes=max(1, min(workers, len(jobs))), initializer=plain_signals)
    finished = False
    try:
        pending = pool.map_async(render_job, jobs, chunksize=1)
        try:
            pages = pending.get(timeout)
        except multiprocessing.TimeoutError:
            raise RenderTimeout(f"the PDF took longer than {timeout:g} s to render") from None
        finished = True
    finally:
        if finished:
            pool.close()  # the children exit once idle
        else:
            pool.terminate()  # SIGTERM, which _plain_signals lets kill them
        pool.join()
    return [Part(Path(job[1]), count, peak) for job, (count, peak) in zip(jobs, pages, strict=True)]


def render_pdf(html: str, target: Path, *, timeout: float | None = None, logo: bytes | None = None) -> Rendered:
    """Render one HTML document to `target` in a child process killed after `timeout` seconds."""
    limit = settings.PACKAGE_RENDER_TIMEOUT if timeout is None else timeout
    try:
        [part] = render_parts([html], target.parent, workers=1, timeout=limit, logo=logo)
    except RenderTimeout:
        (target.parent / "part-000.pdf").unlink(missing_ok=True)
        raise
    part.path.replace(target)
    return Rendered(pages=part.pages, size=target.stat().st_size, renderer_mb=part.renderer_mb)


# --- Joining parts and writing the running header and footer --------------------------------------------------
# Helvetica is one of the PDF's standard fonts: every reader has it, nothing is embedded, and its glyph widths
# are fixed by the standard, which is what right-aligning the page number needs.
_HELVETICA_WIDTHS = {**dict.fromkeys("0123456789", 556), " ": 278, "/": 278}
_A4_WIDTH = 595.28
_MARGIN = 51.0  # 18 mm, the stylesheet's page margin


def _pdf_text(text: str) -> str:
    encoded = text.encode("cp1252", "replace").decode("latin-1")
    return encoded.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _stamp(number: int, total: int, left: str, title: str) -> bytes:
    folio = f"{number} / {total}"
    width = sum(_HELVETICA_WIDTHS[ch] for ch in folio) * 8 / 1000
    grey = "0.29 0.31 0.34 rg"
    return (
        f"q BT {grey} /PkgStamp 8 Tf {_MARGIN:.2f} 30 Td ({_pdf_text(left)}) Tj ET "
        f"BT {grey} /PkgStamp 8 Tf {_A4_WIDTH - _MARGIN - width:.2f} 30 Td ({folio}) Tj ET "
        f"BT {grey} /PkgStamp 8 Tf {_MARGIN:.2f} 806 Td ({_pdf_text(title)}) Tj ET Q"
    ).encode("latin-1")


def _stream(writer: PdfWriter, data: bytes) -> Any:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def join_parts(
    parts: Sequence[Path],
    target: Path,
    *,
    footer: str,
    title: str,
    unstamped: int = 1,
) -> int:
    """Join the parts into `target`, number every page but the first `unstamped` (the cover) as "n / total" with
    `footer` (the region) and `title` (the running title). The parts' bookmarks (WeasyPrint makes one per
    heading) come along with their pages. Returns the number of pages."""
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(part))
    total = len(writer.pages)
    font = writer._add_object(  # one shared font object for every page
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    for index, page in enumerate(writer.pages):
        if index < unstamped:
            continue
        contents = page.get("/Contents")
        existing = contents.get_object() if contents is not None else None
        layers = list(existing) if isinstance(existing, ArrayObject) else ([contents] if contents is not None else [])
        # The page's own drawing runs inside q … Q, so the stamp starts from the untransformed page (WeasyPrint
        # leaves its coordinate flip in place at the end of a page).
        before, after = _stream(writer, b"q\n"), _stream(writer, b"\nQ\n")
        stamp = _stream(writer, _stamp(index + 1, total, footer, title))
        page[NameObject("/Contents")] = ArrayObject([before, *layers, after, stamp])
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else DictionaryObject()
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        fonts[NameObject("/PkgStamp")] = font
        resources[NameObject("/Font")] = fonts
        page[NameObject("/Resources")] = resources
    with target.open("wb") as handle:
        writer.write(handle)
    return total
