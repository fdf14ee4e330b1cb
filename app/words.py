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
so a reworded template changes old rows' words too.
"""

from __future__ import annotations

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


def word(code: str) -> Word | None:
    """The word stored under `code`, once the module that defines it has been imported."""
    return _REGISTRY.get(code)


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
