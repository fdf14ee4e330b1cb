"""An error a person can meet, in the words of whoever reads it."""

from __future__ import annotations

from app.words import CHINESE, ENGLISH, Said, Word


class ClerkMessage:
    """For exceptions whose text a person reads: a catalogue word with its parameters
    (`said`), put into words in the reader's language by `text(lang)` ("en" or "zh_CN", as
    in the client's language setting). `str()` and `message` are the Chinese (the CLI and
    the log), `english` the English.

    Raised with another ClerkMessage instead of a word (`raise InvalidAmount(exc)`), the new
    error says what that one says, in every language: a service turns a lower layer's error
    into its own without putting it into words on the way."""

    said: Said | None = None
    _en: str = ""

    def _words(self, what: Word | ClerkMessage | str, en: str, params: dict) -> str:
        """Keeps what was raised; returns the text for Exception's args."""
        if isinstance(what, ClerkMessage):
            if what.said is None:  # raised the old way, as Chinese text with its English
                self._en = what.english
                return what.message
            what, params = what.said.word, {**what.said.params, **params}
        if isinstance(what, Word):
            self.said = what(**params)
            return self.said.say(CHINESE)
        self._en = en
        return what

    @property
    def message(self) -> str:
        return self.text(CHINESE)

    @property
    def english(self) -> str:
        return self.text(ENGLISH)

    en = english

    def text(self, lang: str) -> str:
        if self.said is not None:
            return self.said.say(lang)
        if lang == ENGLISH and self._en:
            return self._en
        return str(self)
