"""What runs in a PDF renderer process: WeasyPrint with our fetcher, and nothing of Django.

Renderers are forked from a small server process (multiprocessing's "forkserver") that has loaded only this
module and WeasyPrint, not from the task worker: a child forked from the worker would start as a copy of it
(Django, every app, the package's collected data: ~130 MB) before laying out a single page, while one from the
server starts at ~50 MB. So this module must not import Django: the static files it may serve are looked up by
the parent beforehand (`static_files` in `pdf`) and handed over with each job, like the region's logo.
"""

from __future__ import annotations

import logging
import resource
import signal
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# Pages refer to our files under this made-up origin; nothing is ever fetched from it over a network.
BASE_URL = "https://paket.invalid/"
STATIC_PREFIX = "/static/"
LOGO_PATH = "/logo"
LOGO_URL = f"{BASE_URL}logo"
MAX_DATA_URL = 64 * 1024
STATIC_TYPES = {
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


class RenderFailed(RuntimeError):
    pass


class PackageFetcher(URLFetcher):
    """Serves our static files and the logo it was given; refuses everything else.

    `static` maps a static path (``packages/print.css``) to the file on disk; without it, Django's staticfiles
    finders are asked (in the parent process only: a renderer always gets the map)."""

    def __init__(self, logo: bytes | None = None, static: Mapping[str, str] | None = None) -> None:
        super().__init__(timeout=1, allowed_protocols=("https", "data"), allow_redirects=False, fail_on_errors=False)
        self.logo = logo
        self.static = static
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
            content_type = STATIC_TYPES.get(Path(relative).suffix.lower())
            found = self._find(relative) if content_type else None
            if not found:
                return self._refuse(url, "no such static file")
            return URLFetcherResponse(url, body=Path(found).read_bytes(), headers={"Content-Type": content_type})
        if path == LOGO_PATH and self.logo:
            kind = "image/png" if self.logo.startswith(b"\x89PNG") else "image/jpeg"
            return URLFetcherResponse(url, body=self.logo, headers={"Content-Type": kind})
        return self._refuse(url, "not one of our own files")

    def _find(self, relative: str) -> str | None:
        if self.static is not None:
            return self.static.get(relative)
        from django.contrib.staticfiles import finders  # the parent only, see the class text

        found = finders.find(relative)
        return str(found) if found else None

    def _refuse(self, url: str, why: str) -> URLFetcherResponse:
        self.refused.append(url)
        logger.warning("package renderer refused %s: %s", url, why)
        raise RefusedURL(f"{why}: {url}")


def render_in_process(
    html: str, target: Path, logo: bytes | None = None, static: Mapping[str, str] | None = None
) -> int:
    """Render `html` to `target` here (no time limit); returns the number of pages."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=PackageFetcher(logo, static)).render()
    document.write_pdf(target)
    return len(document.pages)


Job = tuple[str, str, bytes | None, Mapping[str, str]]


def render_job(job: Job) -> tuple[int, float]:
    """Render one part; returns its pages and this renderer's peak resident memory so far, in MB (a renderer may
    render several parts), which the build records beside its timings."""
    html, target, logo, static = job
    try:
        pages = render_in_process(html, Path(target), logo, static)
    except Exception as error:
        raise RenderFailed(f"{type(error).__name__}: {error}") from None
    return pages, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def plain_signals() -> None:
    # Whatever the process the renderers come from, a renderer just dies on SIGTERM (django-tasks-db's worker turns
    # it into "finish the current task first", which would keep a child of a killed render alive), and Ctrl-C is
    # for the parent, which then terminates the pool.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
