"""Rendering a package's HTML to PDF with WeasyPrint: only our own files, within a time limit, on every core.

The fetcher is the only way WeasyPrint reads anything: our own static files (stylesheets, fonts, images) by
their static path, the region's logo (read by the parent beforehand and handed over as bytes), and small
`data:` URLs. Every other URL — `file:///etc/passwd`, any other local path, every network address, a big
`data:` payload — is refused and logged, so text that reaches a package can never make the worker read a file
or call a server.

WeasyPrint lays out on one core. A package is therefore rendered as parts (the front matter, one part per
dimension, the closing sections) by a pool of forked processes, and the parts are joined with pypdf; page
numbers, the region's name and the running title are then written on every page in one pass, so the numbering
is continuous and the table of contents (rendered last, once the parts' lengths are known) is right. The pool
is killed when the whole render overruns its limit, and each child's memory returns to the system with it.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Pages refer to our files under this made-up origin; nothing is ever fetched from it over a network.
BASE_URL = "https://paket.invalid/"
STATIC_PREFIX = "/static/"
LOGO_PATH = "/logo"
LOGO_URL = f"{BASE_URL}logo"
MAX_DATA_URL = 64 * 1024
MAX_LOGO = 2 * 1024 * 1024
_STATIC_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
}


class RefusedURL(ValueError):
    """A URL the package renderer will not fetch (WeasyPrint skips the resource and carries on)."""


class RenderTimeout(RuntimeError):
    pass


class RenderFailed(RuntimeError):
    pass


class PackageFetcher(URLFetcher):
    """Serves our static files and the logo it was given; refuses everything else. Never touches the database,
    so it is safe in a forked child."""

    def __init__(self, logo: bytes | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols=("https", "data"), allow_redirects=False, fail_on_errors=False)
        self.logo = logo
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            if len(url) > MAX_DATA_URL:
                return self._refuse(url[:60] + "…", "data URL over the size limit")
            return super().fetch(url, headers)
        if not url.startswith(BASE_URL):
            return self._refuse(url, "not one of our own files")
        path = unquote(urlsplit(url).path)
        if ".." in path.split("/"):
            return self._refuse(url, "path escapes its folder")
        if path.startswith(STATIC_PREFIX):
            relative = path.removeprefix(STATIC_PREFIX)
            content_type = _STATIC_TYPES.get(Path(relative).suffix.lower())
            found = finders.find(relative) if content_type else None
            if not found:
                return self._refuse(url, "no such static file")
            return URLFetcherResponse(url, body=Path(str(found)).read_bytes(), headers={"Content-Type": content_type})
        if path == LOGO_PATH and self.logo:
            kind = "image/png" if self.logo.startswith(b"\x89PNG") else "image/jpeg"
            return URLFetcherResponse(url, body=self.logo, headers={"Content-Type": kind})
        return self._refuse(url, "not one of our own files")

    def _refuse(self, url: str, why: str) -> URLFetcherResponse:
        self.refused.append(url)
        logger.warning("package renderer refused %s: %s", url, why)
        raise RefusedURL(f"{why}: {url}")


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


def render_in_process(html: str, target: Path, logo: bytes | None = None) -> int:
    """Render `html` to `target` here (no time limit); returns the number of pages."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=PackageFetcher(logo)).render()
    document.write_pdf(target)
    return len(document.pages)


def _render_job(job: tuple[str, str, bytes | None]) -> int:
    html, target, logo = job
    try:
        return render_in_process(html, Path(target), logo)
    except Exception as error:
        raise RenderFailed(f"{type(error).__name__}: {error}") from None


def _plain_signals() -> None:
    # A child inherits its parent's signal handlers: a task worker's (django-tasks-db) turns SIGTERM into "finish
    # the current task first", which would keep a child of a killed render alive. A renderer child just dies.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent, which then terminates the pool


def render_parts(
    documents: Sequence[str], folder: Path, *, workers: int, timeout: float, logo: bytes | None = None
) -> list[tuple[Path, int]]:
    """Render each HTML document to its own PDF in `folder`, `workers` at a time; returns (path, pages) in order.

    Forked, not spawned: a child starts with Django, WeasyPrint and the fonts already loaded. The children never
    use the database (the parent read everything they need), so sharing its connection is harmless.
    """
    jobs = [(html, str(folder / f"part-{n:03d}.pdf"), logo) for n, html in enumerate(documents)]
    context = multiprocessing.get_context("fork")
    pool: Pool = context.Pool(processes=max(1, min(workers, len(jobs))), initializer=_plain_signals)
    finished = False
    try:
        pending = pool.map_async(_render_job, jobs, chunksize=1)
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
    return [(Path(path), count) for (_html, path, _logo), count in zip(jobs, pages, strict=True)]


def render_pdf(html: str, target: Path, *, timeout: float | None = None, logo: bytes | None = None) -> Rendered:
    """Render one HTML document to `target` in a child process killed after `timeout` seconds."""
    limit = settings.PACKAGE_RENDER_TIMEOUT if timeout is None else timeout
    try:
        [(path, pages)] = render_parts([html], target.parent, workers=1, timeout=limit, logo=logo)
    except RenderTimeout:
        (target.parent / "part-000.pdf").unlink(missing_ok=True)
        raise
    path.replace(target)
    return Rendered(pages=pages, size=target.stat().st_size)


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
