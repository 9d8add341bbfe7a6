"""HTML → PDF for the meeting minutes, with WeasyPrint (which needs the Pango library).

WeasyPrint is imported on first use: a node without Pango still serves every page,
and the PDF route answers 503 (:class:`PdfUnavailable`) instead of failing to start.
Relative URLs resolve against the static folder, and only files under it may be
read while rendering, so the vendored Noto Sans Arabic shapes Arabic and Kurdish
and nothing is ever fetched from the network.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

STATIC_DIR = Path(__file__).parents[1] / "static"
STATIC_URL = STATIC_DIR.resolve().as_uri() + "/"


class PdfUnavailable(Exception):
    """WeasyPrint or the system libraries it needs (Pango) cannot be loaded here."""


@cache
def _weasyprint() -> Any:
    try:
        import weasyprint  # type: ignore[import-untyped]
    except (ImportError, OSError) as exc:
        # OSError: cffi could not load libpango-1.0 / libpangoft2-1.0.
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint


@cache
def _fetcher() -> Any:
    """A URL fetcher that reads files under the static folder and nothing else."""
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]

    class StaticOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            # Resolve first: file:///…/static/../../etc/passwd starts with the prefix too.
            parts = urlsplit(url)
            path = Path(url2pathname(parts.path)).resolve()
            if parts.scheme != "file" or not path.is_relative_to(STATIC_DIR.resolve()):
                raise ValueError(f"only files under {STATIC_URL} may be read: {url}")
            return super().fetch(url, headers)

    return StaticOnly(allowed_protocols=("file",))


def pdf_available() -> bool:
    """True when WeasyPrint and Pango load on this node."""
    try:
        _weasyprint()
    except PdfUnavailable:
        return False
    return True


def html_to_document(html: str) -> Any:
    """Lay out a self-contained page (stylesheets relative to /static) as pages.

    Returns WeasyPrint's rendered Document, whose pages and boxes say where each
    element fell (the tests read it). Raises PdfUnavailable when WeasyPrint or Pango
    is missing.
    """
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html, base_url=STATIC_URL, url_fetcher=_fetcher()).render()


def html_to_pdf(html: str) -> bytes:
    """Render a self-contained page (stylesheets relative to /static) as PDF bytes.

    Raises PdfUnavailable when WeasyPrint or Pango is missing.
    """
    pdf: bytes = html_to_document(html).write_pdf()
    return pdf
