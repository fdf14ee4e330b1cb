"""Amounts typed by people (金额): the one parser of money text for the recharge view, every
money field of the client, the command line and the import.

An amount is digits with at most one decimal point and at most two decimals (prices: four).
A comma is read only as a correct thousands separator (1,000.50); full-width digits, point
and comma are what a Chinese input method types, so they are read as their ASCII twins.
Nothing else is reinterpreted: '1,00', '1e3', '1_000', '+5', ' 1 000' are refused with the
message that says what to type, never guessed at."""

from __future__ import annotations

import re
from decimal import Decimal

from app.models.money import AmountError
from app.words import QT_TRANSLATE_NOOP, Word

COMMA_IN_WRONG_PLACE_COMMA = Word("amounts.comma_in_wrong_place_comma", QT_TRANSLATE_NOOP("Errors", "{what_en} “{p2}” has a comma in the wrong place: a comma only separates thousands (1,000.50). Type a number such as {example_en}"))
NOT_NUMBER_TYPE_DIGITS_AT = Word("amounts.not_number_type_digits_at", QT_TRANSLATE_NOOP("Errors", "{what_en} “{shown}” is not a number. Type digits and at most one decimal point, such as {example_en}"))
MORE_THAN_DECIMALS = Word("amounts.more_than_decimals", QT_TRANSLATE_NOOP("Errors", "{what_en} “{shown}” has more than {p_en} decimals. {type_en}"))
MUST_MORE_THAN_ZERO_YOU = Word("amounts.must_more_than_zero_you", QT_TRANSLATE_NOOP("Errors", "{what_en} must be more than zero (you typed {shown}). Type an amount such as {example_en}"))
TOO_LARGE_TYPE_AT_MOST = Word("amounts.too_large_type_at_most", QT_TRANSLATE_NOOP("Errors", "{what_en} {shown} is too large. Type at most {most}"))
CANNOT_NEGATIVE_YOU_TYPED_TYPE = Word("amounts.cannot_negative_you_typed_type", QT_TRANSLATE_NOOP("Errors", "{what_en} cannot be negative (you typed {shown}). Type zero or more"))

# Full-width ０-９, ． and ， (U+FF10–FF19, U+FF0E, U+FF0C) as a Chinese IME types them.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "，": ","})
_SHAPE = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", re.ASCII)
_CAPITALS = {2: ("两", "two"), 3: ("三", "three"), 4: ("四", "four")}
MAX_AMOUNT = Decimal("10000000")


def read_number(text: str, *, what: str = "数值", what_en: str = "The number", example: str = "100 或 120.50",
                example_en: str = "100 or 120.50") -> Decimal | None:
    """The number written in `text` by the amount rule (sign, digits, thousands commas, one
    point), None when it is no number at all; AmountError for a comma out of place."""
    typed = text.strip().translate(_FULL_WIDTH)
    if _SHAPE.fullmatch(typed):
        return Decimal(typed.replace(",", ""))
    if re.fullmatch(r"-?[\d,]+(?:\.\d+)?", typed, re.ASCII):
        raise AmountError(COMMA_IN_WRONG_PLACE_COMMA, p_what=what, p2=text.strip(), example=example, what_en=what_en, example_en=example_en)
    return None


def parse_amount(
    text: str | Decimal | int, *, allow_zero: bool = False, allow_negative: bool = False, places: int = 2,
    maximum: Decimal | None = MAX_AMOUNT, what: str = "金额", what_en: str = "The amount",
) -> Decimal:
    """`text` as a Decimal quantized to `places` decimals, or AmountError saying what to type.

    Zero and negative amounts are refused unless allowed: a recharge of −5 makes no sense, a
    correction may. `what` / `what_en` name the field in the message ('单价' / 'The price')."""
    shown = str(text).strip()
    example, example_en = ("0.65", "0.65") if places > 2 else ("100 或 120.50", "100 or 120.50")
    if isinstance(text, bool):
        value = None
    elif isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, Decimal):
        value = text if text.is_finite() else None
    else:
        value = read_number(shown, what=what, what_en=what_en, example=example, example_en=example_en)
    if value is None:
        raise AmountError(NOT_NUMBER_TYPE_DIGITS_AT, p_what=what, shown=shown, example=example, what_en=what_en, example_en=example_en)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        zh, en = _CAPITALS.get(places, (str(places), str(places)))
        decimals, type_en = (("（元、角、分）", "Type yuan with at most two decimals (jiao and fen)") if places == 2
                             else ("", f"Type at most {en} decimals"))
        raise AmountError(MORE_THAN_DECIMALS, p_what=what, shown=shown, zh=zh, decimals=decimals, what_en=what_en, p_en=en, type_en=type_en)
    if value < 0 and not allow_negative:
        if allow_zero:
            raise AmountError(CANNOT_NEGATIVE_YOU_TYPED_TYPE, p_what=what, shown=shown, what_en=what_en)
        raise AmountError(MUST_MORE_THAN_ZERO_YOU, p_what=what, shown=shown, what_en=what_en, example_en=example_en)
    if value == 0 and not allow_zero:
        raise AmountError(MUST_MORE_THAN_ZERO_YOU, p_what=what, shown=shown, what_en=what_en, example_en=example_en)
    if maximum is not None and abs(value) >= maximum:
        most = f"{maximum - Decimal(1).scaleb(-places):,}"
        raise AmountError(TOO_LARGE_TYPE_AT_MOST, p_what=what, shown=shown, most=most, what_en=what_en)
    return value.quantize(Decimal(1).scaleb(-places))
