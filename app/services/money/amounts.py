"""Amounts typed by people: the one parser of money text for the recharge view, every
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
from app.words import CHINESE, ENGLISH, QT_TRANSLATE_NOOP, Word

COMMA_IN_WRONG_PLACE_COMMA = Word(
    "amounts.comma_in_wrong_place_comma",
    QT_TRANSLATE_NOOP(
        "Errors",
        "{what} “{shown}” has a comma in the wrong place: a comma only separates thousands "
        "(1,000.50). Type a number such as {example}",
    ),
)
NOT_NUMBER_TYPE_DIGITS_AT = Word(
    "amounts.not_number_type_digits_at",
    QT_TRANSLATE_NOOP(
        "Errors",
        "{what} “{shown}” is not a number. Type digits and at most one decimal point, such as "
        "{example}",
    ),
)
MORE_THAN_TWO_DECIMALS = Word(
    "amounts.more_than_two_decimals",
    QT_TRANSLATE_NOOP(
        "Errors",
        "{what} “{shown}” has more than two decimals. Type yuan with at most two decimals (jiao "
        "and fen)",
    ),
)
MORE_THAN_DECIMALS = Word(
    "amounts.more_than_decimals",
    QT_TRANSLATE_NOOP(
        "Errors", "{what} “{shown}” has more than {places} decimals. Type at most {places} decimals"
    ),
)
MUST_MORE_THAN_ZERO_YOU = Word(
    "amounts.must_more_than_zero_you",
    QT_TRANSLATE_NOOP(
        "Errors",
        "{what} must be more than zero (you typed {shown}). Type an amount such as {example}",
    ),
)
TOO_LARGE_TYPE_AT_MOST = Word(
    "amounts.too_large_type_at_most",
    QT_TRANSLATE_NOOP("Errors", "{what} {shown} is too large. Type at most {most}"),
)
CANNOT_NEGATIVE_YOU_TYPED_TYPE = Word(
    "amounts.cannot_negative_you_typed_type",
    QT_TRANSLATE_NOOP("Errors", "{what} cannot be negative (you typed {shown}). Type zero or more"),
)
# what is typed, named at the start of the messages above
THE_NUMBER = Word("amounts.the_number", QT_TRANSLATE_NOOP("Errors", "The number"))
THE_AMOUNT = Word("amounts.the_amount", QT_TRANSLATE_NOOP("Errors", "The amount"))
EXAMPLE_YUAN = Word("amounts.example_yuan", QT_TRANSLATE_NOOP("Errors", "100 or 120.50"))
# how many decimals, in words ("four"): 3 and 4 are the prices' places
_PLACES = {
    3: Word("amounts.places.3", QT_TRANSLATE_NOOP("Errors", "three")),
    4: Word("amounts.places.4", QT_TRANSLATE_NOOP("Errors", "four")),
}

# Full-width ０-９, ． and ， (U+FF10–FF19, U+FF0E, U+FF0C) as a Chinese IME types them.
_FULL_WIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "\uff0e": ".", "\uff0c": ","}
)
_SHAPE = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", re.ASCII)
MAX_AMOUNT = Decimal("10000000")


def _refused(word: Word, what: Word | str, what_en: str, **params) -> AmountError:
    """The error saying `word` of the amount named `what`: a word, or (the old form, until
    every caller names its field by a word) the Chinese name with `what_en` its English."""
    if isinstance(what, Word):
        return AmountError(word, what=what, **params)
    return AmountError(
        word.say(CHINESE, what=what, **params), en=word.say(ENGLISH, what=what_en or what, **params)
    )


def read_number(
    text: str,
    *,
    what: Word | str = THE_NUMBER,
    what_en: str = "",
    example: Word | str = EXAMPLE_YUAN,
) -> Decimal | None:
    """The number written in `text` by the amount rule (sign, digits, thousands commas, one
    point), None when it is no number at all; AmountError for a comma out of place.
    `example` is a word, or a number said alike in every language."""
    typed = text.strip().translate(_FULL_WIDTH)
    if _SHAPE.fullmatch(typed):
        return Decimal(typed.replace(",", ""))
    if re.fullmatch(r"-?[\d,]+(?:\.\d+)?", typed, re.ASCII):
        raise _refused(
            COMMA_IN_WRONG_PLACE_COMMA, what, what_en, shown=text.strip(), example=example
        )
    return None


def parse_amount(
    text: str | Decimal | int,
    *,
    allow_zero: bool = False,
    allow_negative: bool = False,
    places: int = 2,
    maximum: Decimal | None = MAX_AMOUNT,
    what: Word | str = THE_AMOUNT,
    what_en: str = "",
) -> Decimal:
    """`text` as a Decimal quantized to `places` decimals, or AmountError saying what to type.

    Zero and negative amounts are refused unless allowed: a recharge of −5 makes no sense, a
    correction may. `what` names the field in the message, a word such as "The price" (said
    at the start of a sentence); the old form, its Chinese name with `what_en` its English,
    still works until every caller passes a word."""
    shown = str(text).strip()
    example = "0.65" if places > 2 else EXAMPLE_YUAN
    if isinstance(text, bool):
        value = None
    elif isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, Decimal):
        value = text if text.is_finite() else None
    else:
        value = read_number(shown, what=what, what_en=what_en, example=example)
    if value is None:
        raise _refused(NOT_NUMBER_TYPE_DIGITS_AT, what, what_en, shown=shown, example=example)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        if places == 2:
            raise _refused(MORE_THAN_TWO_DECIMALS, what, what_en, shown=shown)
        raise _refused(
            MORE_THAN_DECIMALS, what, what_en, shown=shown, places=_PLACES.get(places, places)
        )
    if value < 0 and not allow_negative:
        if allow_zero:
            raise _refused(CANNOT_NEGATIVE_YOU_TYPED_TYPE, what, what_en, shown=shown)
        raise _refused(MUST_MORE_THAN_ZERO_YOU, what, what_en, shown=shown, example=example)
    if value == 0 and not allow_zero:
        raise _refused(MUST_MORE_THAN_ZERO_YOU, what, what_en, shown=shown, example=example)
    if maximum is not None and abs(value) >= maximum:
        most = f"{maximum - Decimal(1).scaleb(-places):,}"
        raise _refused(TOO_LARGE_TYPE_AT_MOST, what, what_en, shown=shown, most=most)
    return value.quantize(Decimal(1).scaleb(-places))
