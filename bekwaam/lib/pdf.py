"""HTML to PDF with WeasyPrint, for every PDF Bekwaam makes (dossier, reports, certificates)."""

from __future__ import annotations

import importlib
import warnings
from typing import Any


def pdf_render(html: str) -> bytes:
    """Render self-contained HTML, refusing every URL (http, file, data): a PDF needs nothing from outside."""
    with warnings.catch_warnings():
        # WeasyPrint 70 warns at import when the system lacks HarfBuzz-Subset (a future requirement).
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        # Imported here: heavy, and only a PDF needs it.
        weasyprint = importlib.import_module("weasyprint")
        fetcher_base: Any = importlib.import_module("weasyprint.urls").URLFetcher

    class NoFetching(fetcher_base):  # type: ignore[misc]  # WeasyPrint has no type hints
        def fetch(self, url: str, headers: Any = None) -> Any:
            raise ValueError(f"Bekwaam's PDFs fetch no URLs ({url[:40]})")

    pdf: bytes = weasyprint.HTML(string=html, base_url=None, url_fetcher=NoFetching()).write_pdf()
    return pdf
