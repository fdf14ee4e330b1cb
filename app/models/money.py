"""Money rules (DESIGN.md): Decimal yuan, one rounding rule, amounts in Chinese capitals."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from app.models.clerk_message import ClerkMessage
from app.words import Word

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
# Finance rounds half up (四舍五入) to the fen; every rounding of money goes through here.
ROUNDING = ROUND_HALF_UP


def round_fen(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(FEN, rounding=ROUNDING)


class AmountError(ClerkMessage, ValueError):
    """An amount typed by a person that is not a valid sum of money, in words as for
    ServiceError."""

    def __init__(self, what: Word | ClerkMessage | str, /, *, en: str = "", **params):
        super().__init__(self._words(what, en, params))


def fmt_yuan(value: Decimal) -> str:
    """Two decimals, no thousands separator: the form used in JSON and receipts."""
    return f"{round_fen(value):.2f}"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _four_digits(n: int) -> str:
    """0 < n < 10000 in capitals, with inner zeros collapsed to one 零."""
    out, zero = "", False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
        else:
            if zero:
                out += "零"
                zero = False
            out += _DIGITS[d] + _SMALL_UNITS[pos]
    return out


def yuan_in_capitals(amount: Decimal) -> str:
    """大写金额 as on Chinese receipts: 120.50 → 壹佰贰拾元伍角整; 0.05 → 伍分."""
    amount = round_fen(amount)
    sign = "负" if amount < 0 else ""
    fen_total = int(abs(amount) * 100)
    yuan, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "零元整"
    text = ""
    if yuan:
        groups = []
        n = yuan
        while n:
            groups.append(n % 10000)
            n //= 10000
        for i in range(len(groups) - 1, -1, -1):
            g = groups[i]
            if g:
                if text and g < 1000:
                    text += "零"
                text += _four_digits(g) + _BIG_UNITS[i]
            elif text and not text.endswith("零"):
                text += "零"
        text = text.rstrip("零") + "元"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan and fen:
        text += "零"
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return sign + text
