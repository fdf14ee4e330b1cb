"""Receipts as pure data → bytes: `render_receipt_pdf(data, layout) -> bytes`.

`receipt_lines()` lays a receipt out once, as a list of lines for a paper size (58 mm and
80 mm thermal rolls, A5); the PDF renderer here (reportlab, CJK font embedded) and the Qt
printer painter (app/ui/printing) both draw that same list. The receipt is for the tenant,
so its words are Chinese (`lang`), whatever the clerk's interface language.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.models.money import fmt_yuan
from app.resources import cjk_font_file
from app.services.platform.context import printed_name
from app.services.platform.timeutil import zone
from app.words import CHINESE, QT_TRANSLATE_NOOP, Word

# The receipt's printed words (context "Receipt")
RECEIPT_TITLE = Word(
    "receipts_render.receipt_title", QT_TRANSLATE_NOOP("Receipt", "{kind} receipt")
)
RECEIPT_TITLE_MARKED = Word(
    "receipts_render.receipt_title_marked", QT_TRANSLATE_NOOP("Receipt", "{kind} receipt ({mark})")
)
RECEIPT_NO = Word("receipts_render.receipt_no", QT_TRANSLATE_NOOP("Receipt", "Receipt No."))
TIME = Word("receipts_render.time", QT_TRANSLATE_NOOP("Receipt", "Time"))
STALL = Word("receipts_render.stall", QT_TRANSLATE_NOOP("Receipt", "Stall"))
TENANT = Word("receipts_render.tenant", QT_TRANSLATE_NOOP("Receipt", "Tenant"))
REFUNDED_BY = Word("receipts_render.refunded_by", QT_TRANSLATE_NOOP("Receipt", "Refunded by"))
PAID_BY = Word("receipts_render.paid_by", QT_TRANSLATE_NOOP("Receipt", "Paid by"))
REFUND_AMOUNT = Word("receipts_render.refund_amount", QT_TRANSLATE_NOOP("Receipt", "Refund"))
AMOUNT = Word("receipts_render.amount", QT_TRANSLATE_NOOP("Receipt", "Amount"))
IN_CAPITALS = Word("receipts_render.in_capitals", QT_TRANSLATE_NOOP("Receipt", "In words"))
BALANCE_BEFORE = Word(
    "receipts_render.balance_before", QT_TRANSLATE_NOOP("Receipt", "Balance before")
)
BALANCE_AFTER = Word("receipts_render.balance_after", QT_TRANSLATE_NOOP("Receipt", "Balance after"))
OPERATOR = Word("receipts_render.operator", QT_TRANSLATE_NOOP("Receipt", "Operator"))
SCAN_FOR_BALANCE = Word(
    "receipts_render.scan_for_balance", QT_TRANSLATE_NOOP("Receipt", "Scan for balance and bills")
)
SERVICE_PHONE = Word(
    "receipts_render.service_phone", QT_TRANSLATE_NOOP("Receipt", "Service phone: {phone}")
)
REPRINTED = Word(
    "receipts_render.reprinted",
    QT_TRANSLATE_NOOP("Receipt", "Reprinted {stamp} (print no. {count})"),
)
KEEP_RECEIPT = Word(
    "receipts_render.keep_receipt", QT_TRANSLATE_NOOP("Receipt", "Please keep this receipt")
)
RECEIPT_DOCUMENT = Word(
    "receipts_render.receipt_document", QT_TRANSLATE_NOOP("Receipt", "{site} receipt {no}")
)

FONT_PATH = cjk_font_file()
PDF_FONT = "WenQuanYiMicroHei"
QR_PREFIX = "MMSTALL:"  # the counter's scanner accepts a stall QR as well as a typed code


@dataclass(frozen=True, slots=True)
class PaperLayout:
    key: str
    width_mm: float
    height_mm: float | None  # None: a roll, cut after the content
    margin_mm: float
    font_pt: float
    title_pt: float
    qr_mm: float


LAYOUTS: dict[str, PaperLayout] = {
    "58mm": PaperLayout("58mm", 58, None, 4, 8.5, 11, 30),
    "80mm": PaperLayout("80mm", 80, None, 5, 9.5, 13, 36),
    "a5": PaperLayout("a5", 148, 210, 14, 12, 18, 38),
}


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a receipt. kind: 'text' (left/center), 'pair' (label left, value
    right), 'rule' (a dashed separator), 'qr' (the QR code, `text` is its content)."""

    kind: str
    text: str = ""
    value: str = ""
    size_pt: float = 9
    bold: bool = False
    align: str = "left"


def receipt_no_text(no: int) -> str:
    return f"{no:08d}"


def stall_qr_text(stall_code: str) -> str:
    return QR_PREFIX + stall_code


def _own_lines(text: str, font_pt: float) -> list[Line]:
    """The market's header or footer lines as typed (blank lines dropped)."""
    return [
        Line("text", line.strip(), size_pt=font_pt - 0.5, align="center")
        for line in (text or "").splitlines()
        if line.strip()
    ]


def receipt_lines(
    data, layout: PaperLayout, *, printed_at: datetime | None = None, lang: str = CHINESE
) -> list[Line]:
    """The receipt's content for one paper size, its words in `lang`. `data` is the
    accounts' ReceiptData."""
    f, t = layout.font_pt, layout.title_pt
    refund = data.kind == "refund"

    def w(word: Word, **params) -> str:
        return word.say(lang, **params)

    tz = zone(data.timezone)
    at = data.at.astimezone(tz)
    lines = [
        Line("text", data.site_name, size_pt=t, bold=True, align="center"),
        *_own_lines(data.header, f),
        Line(
            "text",
            w(RECEIPT_TITLE_MARKED, kind=data.kind_name, mark=data.reprint_mark)
            if data.reprint_mark
            else w(RECEIPT_TITLE, kind=data.kind_name),
            size_pt=f + 1.5,
            bold=True,
            align="center",
        ),
        Line("rule"),
        Line("pair", w(RECEIPT_NO), receipt_no_text(data.receipt_no), size_pt=f),
        Line("pair", w(TIME), at.strftime("%Y-%m-%d %H:%M:%S"), size_pt=f),
        Line("pair", w(STALL), f"{data.stall_code} {data.stall_name}".strip(), size_pt=f),
        Line("pair", w(TENANT), data.tenant_name or "—", size_pt=f),
        Line("pair", w(REFUNDED_BY if refund else PAID_BY), data.method_name or "—", size_pt=f),
        Line("rule"),
        # A refund is money paid out to the tenant: its receipt names the refund and the sum paid.
        Line(
            "pair",
            w(REFUND_AMOUNT if refund else AMOUNT),
            f"¥{fmt_yuan(abs(data.amount) if refund else data.amount)}",
            size_pt=f + 2,
            bold=True,
        ),
        Line("pair", w(IN_CAPITALS), data.amount_in_capitals, size_pt=f),
        Line("pair", w(BALANCE_BEFORE), f"¥{fmt_yuan(data.balance_before)}", size_pt=f),
        Line("pair", w(BALANCE_AFTER), f"¥{fmt_yuan(data.balance_after)}", size_pt=f, bold=True),
        Line("pair", w(OPERATOR), printed_name(data.operator_name), size_pt=f),
        Line("rule"),
        Line("qr", getattr(data, "qr_text", "") or stall_qr_text(data.stall_code)),
        Line("text", w(SCAN_FOR_BALANCE), size_pt=f - 0.5, align="center"),
    ]
    lines.extend(_own_lines(data.footer, f))
    if data.site_phone:
        lines.append(
            Line("text", w(SERVICE_PHONE, phone=data.site_phone), size_pt=f - 0.5, align="center")
        )
    if data.is_reprint:
        stamp = (printed_at or datetime.now(tz)).astimezone(tz).strftime("%Y-%m-%d %H:%M")
        lines.append(
            Line(
                "text",
                w(REPRINTED, stamp=stamp, count=data.print_count + 1),
                size_pt=f - 0.5,
                align="center",
            )
        )
    lines.append(Line("text", w(KEEP_RECEIPT), size_pt=f - 0.5, align="center"))
    return lines


# -- PDF ---------------------------------------------------------------------------------------

_font_registered = False


def _register_font() -> None:
    global _font_registered
    if _font_registered:
        return
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(PDF_FONT, str(FONT_PATH), subfontIndex=0))
    _font_registered = True


def _wrap(text: str, width_pt: float, size: float) -> list[str]:
    """Break text (Chinese has no spaces) so each piece fits the width."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    out, current = [], ""
    for ch in text:
        if current and stringWidth(current + ch, PDF_FONT, size) > width_pt:
            out.append(current)
            current = ""
        current += ch
    out.append(current)
    return out


def render_receipt_pdf(
    data,
    layout: str | PaperLayout = "80mm",
    *,
    printed_at: datetime | None = None,
    lang: str = CHINESE,
) -> bytes:
    """The receipt as a PDF with the Chinese font embedded (subset), its words in `lang`."""
    import qrcode
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    _register_font()
    paper = LAYOUTS[layout] if isinstance(layout, str) else layout
    lines = receipt_lines(data, paper, printed_at=printed_at, lang=lang)
    width = paper.width_mm * mm
    margin = paper.margin_mm * mm
    inner = width - 2 * margin
    label_w = inner * 0.38

    # First pass: measure, so a roll's page is exactly as long as its content.
    def rows_of(line: Line) -> list[tuple[str, str]]:
        if line.kind == "pair":
            values = _wrap(line.value, inner - label_w, line.size_pt)
            return [(line.text if i == 0 else "", v) for i, v in enumerate(values)]
        if line.kind == "text":
            return [(piece, "") for piece in _wrap(line.text, inner, line.size_pt)]
        return [("", "")]

    def height_of(line: Line) -> float:
        if line.kind == "rule":
            return 3 * mm
        if line.kind == "qr":
            return paper.qr_mm * mm + 2 * mm
        return len(rows_of(line)) * line.size_pt * 1.45

    content_h = sum(height_of(line) for line in lines)
    height = paper.height_mm * mm if paper.height_mm else content_h + 2 * margin
    buf = io.BytesIO()
    c = Canvas(
        buf,
        pagesize=(width, height),
        pageCompression=1,
        initialFontName=PDF_FONT,
        initialFontSize=9,
    )
    c.setTitle(RECEIPT_DOCUMENT.say(lang, site=data.site_name, no=receipt_no_text(data.receipt_no)))
    c.setAuthor("MarketMeter")
    y = height - margin
    for line in lines:
        if line.kind == "rule":
            c.setDash(2, 2)
            c.setLineWidth(0.5)
            c.line(margin, y - 1.5 * mm, width - margin, y - 1.5 * mm)
            c.setDash()
            y -= 3 * mm
            continue
        if line.kind == "qr":
            qr = qrcode.QRCode(
                border=1, box_size=6, error_correction=qrcode.constants.ERROR_CORRECT_M
            )
            qr.add_data(line.text)
            # Drawn as vector squares: crisp on any printer, and no image decoding.
            matrix = qr.get_matrix()
            size = paper.qr_mm * mm
            cell = size / len(matrix)
            left, top = (width - size) / 2, y - 1 * mm
            for r, row in enumerate(matrix):
                for col, dark in enumerate(row):
                    if dark:
                        c.rect(
                            left + col * cell, top - (r + 1) * cell, cell, cell, stroke=0, fill=1
                        )
            y -= size + 2 * mm
            continue
        leading = line.size_pt * 1.45
        c.setFont(PDF_FONT, line.size_pt)
        for left, right in rows_of(line):
            y -= leading
            baseline = y + line.size_pt * 0.35
            if line.kind == "pair":
                c.drawString(margin, baseline, left)
                if line.bold:  # a thermal printer has one weight; bold is drawn twice, offset
                    c.drawRightString(width - margin + 0.25, baseline, right)
                c.drawRightString(width - margin, baseline, right)
            elif line.align == "center":
                c.drawCentredString(width / 2, baseline, left)
                if line.bold:
                    c.drawCentredString(width / 2 + 0.3, baseline, left)
            else:
                c.drawString(margin, baseline, left)
    c.showPage()
    c.save()
    return buf.getvalue()


def receipt_pdf_path(receipts_dir: Path, site_name: str, receipt_no: int) -> Path:
    """receipts/<site>/<no>.pdf in the user data folder."""
    safe_site = "".join(ch for ch in site_name if ch not in '\\/:*?"<>|').strip() or "site"
    return receipts_dir / safe_site / f"{receipt_no_text(receipt_no)}.pdf"
