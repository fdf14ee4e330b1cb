"""PDF reports (reportlab): pure data → bytes, no database, no Qt.

Every page has a header with the site, the report title and the period, and a footer
"page n of N". Words (titles, headers, notes) are put into the document's language, by
default the documents' language (app.words.default_language: Chinese). Chinese text uses
Windows' Microsoft YaHei or SimSun, else the bundled WenQuanYi Micro Hei
(app.resources.cjk_font_file), embedded in the file.
Columns are sized to their widest cell and shrunk together to fit the page.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as landscape_of
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from app.resources import cjk_font_file
from app.services.office.excel_io import NO, NUMBER_KINDS, YES, Column, in_words
from app.words import QT_TRANSLATE_NOOP, Said, Word

PAGE_OF = Word("pdf.page_of", QT_TRANSLATE_NOOP("Documents", "Page {number} of {total}"))
NONE_ROW = Word("pdf.none_row", QT_TRANSLATE_NOOP("Documents", "(none)"))
PAYMENT_NOTICE = Word("pdf.payment_notice", QT_TRANSLATE_NOOP("Documents", "Payment notice"))
NOTICE_TO = Word("pdf.notice_to", QT_TRANSLATE_NOOP("Documents", "To: {to}"))
NO_STALL_TO_NOTIFY = Word(
    "pdf.no_stall_to_notify", QT_TRANSLATE_NOOP("Documents", "No stall needs a notice")
)

Text = str | Word | Said  # a document's text: already in its language, or a word to put into it

FONT = "WenQuanYi"
FONT_FILE = cjk_font_file()
MARGIN = 12 * mm


@lru_cache(maxsize=1)
def font() -> str:
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FILE), subfontIndex=0))
    return FONT


@dataclass(frozen=True, slots=True)
class PdfSection:
    title: Text  # '' for none
    rows: Sequence[Mapping[str, Any]]
    total: Mapping[str, Any] | None  # printed bold after the rows


@dataclass(frozen=True, slots=True)
class Notice:
    title: str
    to: str
    lines: tuple[tuple[str, str], ...]
    body: str
    signature: str
    date_text: str


def fmt_cell(value: Any, kind: str, lang: str | None = None) -> str:
    if value is None:
        return ""
    if kind == "money" and isinstance(value, (Decimal, int, float)):
        return f"{value:,.2f}"
    if kind in ("kwh", "m3") and isinstance(
        value, (Decimal, int)
    ):  # fixed decimals per unit: kWh 2, m³ 3
        return (
            f"{Decimal(value).quantize(Decimal('0.01') if kind == 'kwh' else Decimal('0.001')):f}"
        )
    if kind == "quantity" and isinstance(
        value, Decimal
    ):  # already in its unit's decimals (fixed_quantity)
        return f"{value:f}"
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return "0" if text in ("-0", "0") else text
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return (YES if value else NO).say(lang)
    if isinstance(value, (Word, Said)):
        return value.say(lang)
    return str(getattr(value, "value", value))


class _NumberedCanvas(pdf_canvas.Canvas):
    """Defers pages so the footer can say how many there are ("page n of N")."""

    def __init__(self, *args, header=("", "", ""), words_lang: str | None = None, **kw):
        super().__init__(*args, **kw)  # (reportlab's canvas has a `lang` of its own)
        self._pages: list[dict] = []
        self._header = header
        self._lang = words_lang

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._decorate(number, total)
            super().showPage()
        super().save()

    def _decorate(self, number: int, total: int) -> None:
        width, height = self._pagesize
        site, title, period = self._header
        self.setFont(font(), 9)
        self.setFillColor(colors.HexColor("#333333"))
        self.drawString(MARGIN, height - MARGIN + 4 * mm, site)
        self.drawCentredString(width / 2, height - MARGIN + 4 * mm, title)
        self.drawRightString(width - MARGIN, height - MARGIN + 4 * mm, period)
        self.setStrokeColor(colors.HexColor("#999999"))
        self.line(MARGIN, height - MARGIN + 2.5 * mm, width - MARGIN, height - MARGIN + 2.5 * mm)
        self.drawCentredString(
            width / 2, MARGIN - 6 * mm, PAGE_OF.say(self._lang, number=number, total=total)
        )


def _canvas_maker(header, lang: str | None = None):
    def make(*args, **kw):
        return _NumberedCanvas(*args, header=header, words_lang=lang, **kw)

    return make


def _widths(
    headers: Sequence[str], rows: list[list[str]], size: float, available: float
) -> list[float]:
    f = font()
    pad = 6
    widths = [pdfmetrics.stringWidth(h, f, size) + pad for h in headers]
    for row in rows:
        for i, text in enumerate(row):
            w = pdfmetrics.stringWidth(text, f, size) + pad
            if w > widths[i]:
                widths[i] = w
    cap = available * 0.35
    widths = [min(w, cap) for w in widths]
    total = sum(widths)
    scale = available / total
    return [w * scale for w in widths]


def render_table_pdf(
    *,
    title: Text,
    site: str,
    period: Text,
    columns: Sequence[Column],
    sections: Sequence[PdfSection],
    grand_total: Mapping[str, Any] | None = None,
    landscape: bool = True,
    notes: Sequence[Text] = (),
    lang: str | None = None,
) -> bytes:
    """A table report: sections (e.g. one per building) each with its rows and a total row,
    then the grand total. The header row repeats on every page. Words are said in `lang`."""
    f = font()
    title, period = in_words(title, lang), in_words(period, lang)
    headers = [c.title(lang) for c in columns]

    def cells(row: Mapping[str, Any]) -> list[str]:
        return [fmt_cell(row.get(c.key), c.kind, lang) for c in columns]

    pagesize = landscape_of(A4) if landscape else A4
    available = pagesize[0] - 2 * MARGIN
    # size the font so the widest natural table fits, between 6 and 9 points
    every = [cells(r) for s in sections for r in s.rows]
    size = 9.0
    while size > 6:
        natural = _natural(headers, every, size)
        if natural <= available:
            break
        size -= 0.5
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN,
        title=f"{site} {title}",
        author="MarketMeter",
    )
    h1 = ParagraphStyle("h1", fontName=f, fontSize=15, leading=20, alignment=1, spaceAfter=2 * mm)
    h2 = ParagraphStyle(
        "h2", fontName=f, fontSize=10.5, leading=14, spaceBefore=3 * mm, spaceAfter=1.5 * mm
    )
    small = ParagraphStyle("small", fontName=f, fontSize=8.5, leading=12, wordWrap="CJK")
    story: list = [
        Paragraph(_esc(f"{site} {title}"), h1),
        Paragraph(
            _esc(period),
            ParagraphStyle("p", fontName=f, fontSize=9, leading=12, alignment=1, spaceAfter=3 * mm),
        ),
    ]
    all_rows = [cells(r) for s in sections for r in list(s.rows) + ([s.total] if s.total else [])]
    if grand_total:
        all_rows.append(cells(grand_total))
    widths = _widths(headers, all_rows, size, available)
    for s in sections:
        if s.title:
            story.append(Paragraph(_esc(in_words(s.title, lang)), h2))
        data = [list(headers)] + [cells(r) for r in s.rows]
        if s.total:
            data.append(cells(s.total))
        if len(data) == 1:
            data.append([NONE_ROW.say(lang)] + [""] * (len(columns) - 1))
        story.append(_table(data, columns, widths, size, has_total=bool(s.total)))
    if grand_total:
        story.append(Spacer(1, 3 * mm))
        data = [list(headers), cells(grand_total)]
        story.append(_table(data, columns, widths, size, has_total=True))
    for note in notes:
        if note:
            story.append(Spacer(1, 2 * mm))
            story.append(Paragraph(_esc(in_words(note, lang)), small))
    doc.build(story, canvasmaker=_canvas_maker((site, title, period), lang))
    return buf.getvalue()


def _natural(headers, rows, size) -> float:
    f = font()
    widths = [pdfmetrics.stringWidth(h, f, size) + 6 for h in headers]
    for row in rows:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], pdfmetrics.stringWidth(text, f, size) + 6)
    return sum(widths)


def _table(data, columns, widths, size, *, has_total: bool) -> Table:
    f = font()
    wrap = ParagraphStyle("cell", fontName=f, fontSize=size, leading=size + 2, wordWrap="CJK")
    for row in data[1:]:  # text wider than its column wraps instead of running over the next
        for i, text in enumerate(row):
            if isinstance(text, str) and pdfmetrics.stringWidth(text, f, size) > widths[i] - 4:
                row[i] = Paragraph(_esc(text), wrap)
    table = Table(data, colWidths=widths, repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), f),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size + 2),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for i, c in enumerate(columns):
        if c.kind in NUMBER_KINDS:
            style.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    if has_total:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F2F2F2")))
    table.setStyle(TableStyle(style))
    return table


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_notices(notices: Sequence[Notice], *, site: str, lang: str | None = None) -> bytes:
    """One notice per page (A5 portrait would need special paper; A4 halves are cut by
    hand too often — one A4 page each is what the office prints). The notices are already
    in their language; the document's own words are said in `lang`."""
    f = font()
    buf = io.BytesIO()
    notice = PAYMENT_NOTICE.say(lang)
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=20 * mm,
        title=f"{site} {notice}",
        author="MarketMeter",
    )
    title = ParagraphStyle("t", fontName=f, fontSize=22, leading=30, alignment=1, spaceAfter=8 * mm)
    body = ParagraphStyle(
        "b", fontName=f, fontSize=13, leading=22, firstLineIndent=26, wordWrap="CJK"
    )
    plain = ParagraphStyle("p", fontName=f, fontSize=13, leading=22)
    right = ParagraphStyle("r", fontName=f, fontSize=13, leading=22, alignment=2)
    story: list = []
    for i, n in enumerate(notices):
        if i:
            story.append(PageBreak())
        story.append(Paragraph(_esc(n.title), title))
        story.append(Paragraph(_esc(NOTICE_TO.say(lang, to=n.to)), plain))
        story.append(Spacer(1, 4 * mm))
        table = Table([[k, v] for k, v in n.lines], colWidths=[35 * mm, 110 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), f),
                    ("FONTSIZE", (0, 0), (-1, -1), 12),
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        story.append(table)
        story.append(Spacer(1, 6 * mm))
        story.append(Paragraph(_esc(n.body), body))
        story.append(Spacer(1, 16 * mm))
        story.append(Paragraph(_esc(n.signature), right))
        story.append(Paragraph(_esc(n.date_text), right))
    if not notices:
        story.append(Paragraph(NO_STALL_TO_NOTIFY.say(lang), plain))
    doc.build(story, canvasmaker=_canvas_maker((site, notice, ""), lang))
    return buf.getvalue()
