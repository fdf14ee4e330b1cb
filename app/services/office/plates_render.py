"""Stall plates (档位牌): one A6 page per stall with the market's name, the stall's code and
name, and its QR code (the portal's address with the stall's token), to hang at the stall.
Pure: data in, PDF bytes out."""

from __future__ import annotations

import io
from dataclasses import dataclass

from app.services.office.receipts_render import PDF_FONT, _register_font, _wrap
from app.words import CHINESE, QT_TRANSLATE_NOOP, Word

SCAN_TO_SEE = Word(
    "plates.scan_to_see",
    QT_TRANSLATE_NOOP(
        "Documents", "Scan to see the balance, bills and usage, and to bind the stall to your phone"
    ),
)
PLATES_DOCUMENT = Word("plates.document", QT_TRANSLATE_NOOP("Documents", "Stall plates of {site}"))


@dataclass(frozen=True, slots=True)
class Plate:
    site_name: str
    stall_code: str
    stall_name: str
    qr_text: str


def render_plates_pdf(plates: list[Plate], *, lang: str = CHINESE) -> bytes:
    import qrcode
    from reportlab.lib.pagesizes import A6
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    _register_font()
    width, height = A6
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=A6, pageCompression=1, initialFontName=PDF_FONT)
    c.setTitle(PLATES_DOCUMENT.say(lang, site=plates[0].site_name if plates else ""))
    c.setAuthor("MarketMeter")
    for plate in plates:
        c.setFont(PDF_FONT, 12)
        c.drawCentredString(width / 2, height - 14 * mm, plate.site_name)
        c.setFont(PDF_FONT, 40)
        c.drawCentredString(width / 2, height - 32 * mm, plate.stall_code)
        c.setFont(PDF_FONT, 14)
        c.drawCentredString(width / 2, height - 41 * mm, plate.stall_name)
        qr = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
        qr.add_data(plate.qr_text)
        matrix = qr.get_matrix()
        size = 70 * mm
        cell = size / len(matrix)
        left, top = (width - size) / 2, height - 46 * mm
        for r, row in enumerate(matrix):  # vector squares: crisp on any printer
            for col, dark in enumerate(row):
                if dark:
                    c.rect(left + col * cell, top - (r + 1) * cell, cell, cell, stroke=0, fill=1)
        c.setFont(PDF_FONT, 9)
        y = top - size - 6 * mm
        for piece in _wrap(SCAN_TO_SEE.say(lang), width - 16 * mm, 9):
            c.drawCentredString(width / 2, y, piece)
            y -= 12
        c.showPage()
    c.save()
    return buf.getvalue()
