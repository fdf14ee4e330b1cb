"""The Chinese font of the client and the PDFs: Windows' own (Microsoft YaHei, SimSun) before
the bundled WenQuanYi Micro Hei."""

from __future__ import annotations

import shutil

from reportlab.pdfbase.ttfonts import TTFont

from app.resources import BUNDLED_CJK_FONT, cjk_font_file


def windows_with(tmp_path, *fonts: str):
    """A %WINDIR% whose Fonts folder holds `fonts` (real TrueType collections)."""
    folder = tmp_path / "Windows" / "Fonts"
    folder.mkdir(parents=True)
    for name in fonts:
        shutil.copyfile(BUNDLED_CJK_FONT, folder / name)
    return str(tmp_path / "Windows")


def test_windows_uses_microsoft_yahei_first(tmp_path):
    windir = windows_with(tmp_path, "simsun.ttc", "msyh.ttc")
    chosen = cjk_font_file("win32", windir)
    assert chosen.name == "msyh.ttc" and chosen.parent.name == "Fonts"
    # reportlab embeds it in the PDFs as it did the bundled one
    assert TTFont("Chosen", str(chosen), subfontIndex=0).face.name


def test_windows_without_yahei_uses_simsun(tmp_path):
    assert cjk_font_file("win32", windows_with(tmp_path, "simsun.ttc")).name == "simsun.ttc"


def test_the_bundled_font_when_windows_has_neither_and_off_windows(tmp_path):
    assert cjk_font_file("win32", windows_with(tmp_path)) == BUNDLED_CJK_FONT
    other = tmp_path / "other"
    other.mkdir()
    assert cjk_font_file("linux", windows_with(other, "msyh.ttc")) == BUNDLED_CJK_FONT
    assert BUNDLED_CJK_FONT.is_file()
