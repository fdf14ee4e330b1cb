"""The program's words: one catalogue for every text a person reads.

Texts are written in English in the code and marked for Qt's `lupdate`, which extracts them into
the catalogue, resources/i18n/marketmeter_zh_CN.ts; the Chinese is their translation there
(`python installer/i18n.py`, then fill in the new translations). The client's widgets translate
through Qt (`tr()`, the compiled .qm of the same file). Everything else a person reads (service
errors, comm failures, labels of stored values, the command line, documents) is a `Word` put into
words here, in the language of whoever reads it, from the same .ts file. Nothing in this module
needs Qt.

A `Word` has a stable code and an English template with named `{parameters}`; `Said` is a word
with its parameters, which is what errors carry and what the database stores (code + parameters),
so a reworded template changes old rows' words too: `stored_text(said)` is what a column
keeps, `shown(text, lang)` what a reader of that column shows.
"""

from __future__ import annotations

import importlib
import json
import os
import string
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from app.resources import RESOURCES

CATALOGUE = RESOURCES / "i18n" / "marketmeter_zh_CN.ts"
CHINESE = "zh_CN"
ENGLISH = "en"


def QT_TRANSLATE_NOOP(context: str, source: str) -> tuple[str, str]:  # noqa: N802 (lupdate's name)
    """Marks a text for lupdate (which knows this name) and returns it with its context."""
    return context, source


def default_language() -> str:
    """The language of text that is not shown in the client: the CLI's output, the log,
    documents. Chinese unless MARKETMETER_LANG says "en"."""
    return ENGLISH if os.environ.get("MARKETMETER_LANG", "").lower().startswith("en") else CHINESE


@cache
def _translations() -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for context in ET.parse(CATALOGUE).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.text and translation.get("type") is None:
                found[(name, message.findtext("source") or "")] = translation.text
    return found


def translate(context: str, source: str, lang: str | None = None) -> str:
    """A catalogue text in `lang` (default: default_language()); the English source where
    the catalogue has no translation yet."""
    if (lang or default_language()) == ENGLISH:
        return source
    return _translations().get((context, source), source)


_REGISTRY: dict[str, Word] = {}


@dataclass(frozen=True, slots=True)
class Word:
    """One text of the catalogue under a stable code, e.g.
    `MONTH_LOCKED = Word("month_locked", QT_TRANSLATE_NOOP("Errors", "{month} is locked"))`."""

    code: str
    text: tuple[str, str]  # (context, English source), as QT_TRANSLATE_NOOP returns it

    def __post_init__(self):
        known = _REGISTRY.setdefault(self.code, self)
        if known.text != self.text:
            raise ValueError(f"two words under one code: {self.code}")

    @property
    def parameters(self) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.text[1]) if name}

    def __call__(self, **params) -> Said:
        return Said(self, params)

    def say(self, lang: str | None = None, **params) -> str:
        return Said(self, params).say(lang)


# The modules whose words the database keeps (stored_text). A stored word is found by its
# code also where nothing has imported its module yet (the command line's audit log): they
# are imported by name on the first miss, since this module sits below all of them.
STORED_WORDS_IN = (
    "app.comm.messages",
    "app.services.market.control",
    "app.services.market.meters",
    "app.services.market.readings",
    "app.services.money.accounts",
    "app.services.money.monthly_ledger",
    "app.services.money.online_payments",
    "app.services.money.property",
    "app.services.money.settlement",
    "app.services.money.shared_costs",
    "app.demo.build",
)


def word(code: str) -> Word | None:
    """The word stored under `code` (a word of STORED_WORDS_IN, or of a module imported)."""
    if code not in _REGISTRY:
        _import_stored_words()
    return _REGISTRY.get(code)


@cache
def _import_stored_words() -> None:
    """Once: the modules of STORED_WORDS_IN (one missing, as the demo builder of an
    installation without it, is skipped)."""
    for name in STORED_WORDS_IN:
        try:
            importlib.import_module(name)
        except ImportError:
            continue


@dataclass(frozen=True, slots=True)
class Said:
    """A word with its parameters; put into words by `say(lang)`. A parameter may itself be
    a Word or a Said (said in the same language)."""

    word: Word
    params: Mapping[str, object] = field(default_factory=dict)

    def say(self, lang: str | None = None) -> str:
        lang = lang or default_language()
        template = translate(*self.word.text, lang)
        values = {k: _said(v, lang) for k, v in self.params.items()}
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):  # a translation that lost a parameter
            return self.word.text[1].format(**values)

    def __str__(self) -> str:
        return self.say()

    def stored(self) -> dict:
        """As the database keeps it (JSON): the code and the parameters as text."""
        return {"code": self.word.code, "params": {k: _stored(v) for k, v in self.params.items()}}

    @classmethod
    def from_stored(cls, data: Mapping) -> Said | None:
        known = word(str(data.get("code", "")))
        if known is None:
            return None
        return cls(known, {k: _unstored(v) for k, v in dict(data.get("params") or {}).items()})


def _said(value: object, lang: str) -> object:
    if isinstance(value, Word):
        return value.say(lang)
    if isinstance(value, Said):
        return value.say(lang)
    return value


def _stored(value: object) -> object:
    if isinstance(value, Said):
        return {"said": value.stored()}
    if isinstance(value, Word):
        return {"said": {"code": value.code, "params": {}}}
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return str(value)


def _unstored(value: object) -> object:
    if isinstance(value, dict) and "said" in value:
        return Said.from_stored(value["said"]) or ""
    return value


# ---------------------------------------------------------------- stored texts
STORED_MAX = 1000  # the text columns that keep a word said (code + parameters)


def stored_text(said: Said | Word | str | None, limit: int = STORED_MAX) -> str:
    """What the database keeps of a text the program wrote (a comm result, a command's or a
    ledger entry's reason, a month's flags): the word's code and parameters (JSON); a plain
    text (what a person typed) as it is. Long parameters are shortened to fit `limit`, the
    word stays whole."""
    if said is None or said == "":
        return ""
    if isinstance(said, Word):
        said = said()
    if not isinstance(said, Said):
        return str(said)[:limit]
    data = said.stored()
    text = _json(data)
    while len(text) > limit:
        longest = _longest_text(data)
        if longest is None:
            break
        owner, key, value = longest
        owner[key] = value[: max(0, len(value) - (len(text) - limit) - 1)] + "…"
        text = _json(data)
    return text if len(text) <= limit else said.say()[:limit]


def said_from(text: str) -> Said | None:
    """The word a stored text holds, or None when it is plain text."""
    if not text.startswith("{"):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return Said.from_stored(data) if isinstance(data, dict) else None


def shown(text: Said | Word | str | None, lang: str | None = None) -> str:
    """A stored text in `lang` (default: default_language()): a word as handed on, or as
    stored (code + parameters); a text that is no word (typed by a person, or written before
    words were stored) as it is."""
    if text is None:
        return ""
    if isinstance(text, (Said, Word)):
        return text.say(lang)
    said = said_from(text)
    return text if said is None else said.say(lang)


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _longest_text(data: dict):
    best = None
    for key, value in data["params"].items():
        if isinstance(value, dict) and "said" in value:
            inner = _longest_text(value["said"])
            if inner is not None and (best is None or len(inner[2]) > len(best[2])):
                best = inner
        elif (
            isinstance(value, str)
            and len(value) > 1
            and (best is None or len(value) > len(best[2]))
        ):
            best = (data["params"], key, value)
    return best
