"""The two languages of an error a clerk can meet."""

from __future__ import annotations


class ClerkMessage:
    """For exceptions whose text a clerk reads: the Chinese message (`message`, also
    `str()`, used by the CLI and the log) and the English one (`english`, falling back to
    the Chinese); `text(lang)` picks one for the UI ("en" or "zh_CN", as in the client's
    language setting)."""

    en: str = ""

    @property
    def message(self) -> str:
        return str(self)

    @property
    def english(self) -> str:
        return self.en or self.message

    def text(self, lang: str) -> str:
        return self.english if lang == "en" else self.message
