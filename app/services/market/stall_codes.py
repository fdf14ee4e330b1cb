"""How a stall code is compared: wherever a code is looked up or checked for
uniqueness (the counter, the CLI, the imports, stall create / edit, search), `a-001` is
`A-001`. Codes are stored as typed; only comparisons fold the case.

And how a code that a spreadsheet turned into a number is matched: Excel / WPS read `0012`
typed into a number cell as 12, and the zeros are gone before the file reaches us. Such a
number is matched to the one stored code that is those digits with leading zeros; when two
codes fit (0012 and 012, or 12 and 0012) the row is refused rather than guessed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.models.site import Stall
from app.services.platform.context import Conflict
from app.words import QT_TRANSLATE_NOOP, Said, Word

LIST_OF = Word("stall_codes.list_of", QT_TRANSLATE_NOOP("Errors", "{first}, {second}"))
STALL_CODES_DIFFER_ONLY_IN = Word(
    "stall_codes.stall_codes_differ_only_in",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Stall codes {codes} differ only in upper and lower case, so it is not clear which is "
        "meant. Type the code exactly as stored, or change one of them under Stalls",
    ),
)

T = TypeVar("T")


def listed(items: Iterable[object]) -> Said | str:
    """Codes or names as a word's parameter, listed as the reader's language lists them:
    'A001, a001' in English, with the Chinese enumeration comma in Chinese."""
    out: Said | str = ""
    for item in items:
        out = LIST_OF(first=out, second=item) if out != "" else str(item)
    return out


def code_key(code: str) -> str:
    """The code as compared: trimmed, ASCII letters in upper case. Only ASCII is folded, as
    SQLite's upper() does, so the database and Python agree on every code."""
    return "".join(c.upper() if c.isascii() else c for c in str(code).strip())


def same_code(code: str) -> ColumnElement[bool]:
    """WHERE clause: the stall's code is `code`, whatever the case of its letters."""
    return func.upper(Stall.code) == code_key(code)


def stall_by_code(session: Session, code: str, site_id: int | None) -> Stall | None:
    """The stall a typed code names, whatever the case of its letters. A database from before
    codes were compared this way may hold `a-001` beside `A-001`: the one typed exactly is
    meant; otherwise the clerk is asked to tell them apart instead of a stall being guessed."""
    q = select(Stall).where(same_code(code))
    if site_id is not None:
        q = q.where(Stall.site_id == site_id)
    found = list(session.scalars(q.order_by(Stall.id)))
    if len(found) <= 1:
        return found[0] if found else None
    typed = str(code).strip()
    exact = [st for st in found if st.code == typed]
    if len(exact) == 1:
        return exact[0]
    raise Conflict(STALL_CODES_DIFFER_ONLY_IN, codes=listed(st.code for st in found))


@dataclass(frozen=True, slots=True)
class CodeMatch(Generic[T]):
    """The stored item a cell names: `item` (None: no such code), `via_zeros` the stored code
    when the cell was a number that lost its leading zeros, `ambiguous` the codes it could be."""

    item: T | None = None
    via_zeros: str = ""
    ambiguous: tuple[str, ...] = ()
    case_only: bool = False  # the ambiguous codes differ only in upper and lower case


class CodeIndex(Generic[T]):
    """Stored items by code, for the imports: `find(cell, code)` with the raw cell value (a
    number cell is int / float) and the code text read from it."""

    def __init__(self, items: Mapping[str, T] | Iterable[tuple[str, T]]):
        pairs = items.items() if isinstance(items, Mapping) else items
        self.by_key: dict[str, tuple[str, T]] = {}
        self.by_digits: dict[str, list[tuple[str, T]]] = {}
        self.case_only: dict[str, list[str]] = {}  # key → codes stored that differ only in case
        for code, item in pairs:
            key = code_key(code)
            if key in self.by_key:
                self.case_only.setdefault(key, [self.by_key[key][0]]).append(code)
            self.by_key[key] = (code, item)
            if code.isdigit() and code.isascii() and code.startswith("0"):
                self.by_digits.setdefault(code.lstrip("0") or "0", []).append((code, item))

    def items(self) -> list[T]:
        return [item for _code, item in self.by_key.values()]

    def find(self, cell, code: str) -> CodeMatch[T]:
        if code_key(code) in self.case_only:
            return CodeMatch(
                ambiguous=tuple(sorted(self.case_only[code_key(code)])), case_only=True
            )
        exact = self.by_key.get(code_key(code))
        if not (
            isinstance(cell, (int, float, Decimal))
            and not isinstance(cell, bool)
            and code.isdigit()
        ):
            return CodeMatch(exact[1] if exact else None)
        padded = self.by_digits.get(code.lstrip("0") or "0", [])
        fits = ([exact] if exact else []) + [p for p in padded if p != exact]
        if len(fits) > 1:
            return CodeMatch(ambiguous=tuple(sorted(c for c, _ in fits)))
        if not fits:
            return CodeMatch()
        stored, item = fits[0]
        return CodeMatch(item, via_zeros=stored if stored != code else "")
