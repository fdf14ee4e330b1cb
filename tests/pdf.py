"""Reads a PDF's text the way a reader would see it, with a pure-Python library from the test
extras: the content checks of every PDF run on any machine, never skipped for a missing tool."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader


def pdf_pages(pdf: bytes | Path) -> list[str]:
    """The text of each page, spaces removed: table cells and CJK runs come out spaced
    differently by each PDF writer, and the checks are about the words and figures."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    assert data.startswith(b"%PDF"), "not a PDF"
    reader = PdfReader(io.BytesIO(data))
    return [
        (page.extract_text() or "").replace(" ", "").replace("\t", "").replace("\u3000", "")
        for page in reader.pages
    ]


def pdf_text(pdf: bytes | Path) -> str:
    return "\n".join(pdf_pages(pdf))
