"""Every text of the client has its Chinese translation, and the shipped .qm is current."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

from installer import i18n


def test_every_ui_text_is_translated_and_compiled(tmp_path):
    ts = tmp_path / "zh_CN.ts"
    shutil.copy(i18n.I18N / "marketmeter_zh_CN.ts", ts)
    i18n.update(ts)
    untranslated = [
        m.findtext("source")
        for m in ET.parse(ts).getroot().iter("message")
        if m.find("translation").get("type") == "unfinished"
        or not (m.findtext("translation") or "").strip()
    ]
    assert not untranslated, f"run `python installer/i18n.py` and translate: {untranslated[:10]}"

    i18n.release(ts)
    shipped = (i18n.I18N / "marketmeter_zh_CN.qm").read_bytes()
    assert ts.with_suffix(".qm").read_bytes() == shipped, (
        "run `python installer/i18n.py` to recompile the .qm"
    )
