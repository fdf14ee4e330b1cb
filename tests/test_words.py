"""One catalogue of words (app/words.py): every text a person reads is an English source in the
code and its Chinese in resources/i18n/marketmeter_zh_CN.ts, and nowhere else. A service error
raised again keeps its words in both languages; an action and an amount's field are named by
catalogue words, said in the reader's language."""

from __future__ import annotations

import ast
import importlib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app import words
from app.models.money import AmountError
from app.models.user import Role
from app.services.money.accounts import InvalidAmount
from app.services.money.amounts import parse_amount
from app.services.money.shared_costs import THE_SHARED_AMOUNT
from app.services.platform.context import Actor, May, PermissionDenied, ServiceError, require
from app.words import QT_TRANSLATE_NOOP, Said, Word


def test_an_amount_error_raised_again_as_a_service_error_says_the_same_in_both_languages():
    with pytest.raises(AmountError) as wrong:
        parse_amount("12.345", what=THE_SHARED_AMOUNT)
    again = InvalidAmount(wrong.value)
    assert again.said == wrong.value.said and again.code == "invalid_amount"
    assert again.message == "公摊金额“12.345”最多两位小数（元、角、分）"
    assert again.text("en") == (
        "The shared amount “12.345” has more than two decimals. "
        "Type yuan with at most two decimals (jiao and fen)"
    )


def test_an_error_raised_the_old_way_keeps_its_english_when_raised_again():
    again = ServiceError(ServiceError("已作废", en="Voided already"), code="invalid")
    assert (again.message, again.english, again.said, again.code) == (
        "已作废",
        "Voided already",
        None,
        "invalid",
    )


def test_an_action_named_by_a_word_is_said_in_the_readers_language():
    with pytest.raises(PermissionDenied) as refused:
        require(Actor(7, "xiaozhao", Role.VIEWER, 1), May.VIEW_SHIFT_REPORTS)
    assert (
        refused.value.message
        == "当前用户“xiaozhao”（查看员）无权查看交班报表，请由管理员、收银员、审核员登录后操作"
    )
    assert refused.value.text("en") == (
        "User “xiaozhao” (viewer) may not view shift reports. "
        "Please ask an administrator or a cashier or a reviewer to log in and do it."
    )
    assert refused.value.said.stored()["params"]["doing"] == {
        "said": {"code": "may.view_shift_reports", "params": {}}
    }


APP = Path(__file__).resolve().parents[1] / "app"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

# Chinese that is not words but data or notation, at most this many strings per file: a new
# Chinese text in any file fails.
NOT_WORDS = {
    "demo/build.py": (80, "the demo market's people, stalls, goods and pool names"),
    "models/money.py": (19, "the amount in Chinese capitals (大写), a notation with no English"),
    "models/tariff.py": (4, "the rate names 尖峰平谷 a clerk types in a time-of-use plan"),
    "services/office/excel_io.py": (2, "the Chinese date and time notations a cell may hold"),
    "services/money/monthly_ledger.py": (2, "年/月 in a month typed as 2026年11月"),
    "services/money/shared_costs.py": (5, "the headers a coefficient file may have"),
    "ui/settings/language_page.py": (1, "简体中文: a language is offered in its own name"),
    "ui/settings/printer_page.py": (1, "the sample receipt's tenant, a person's name"),
    "comm/profiles.py": (2, "the relay states' Chinese glosses in the engineer's register map"),
    "comm/simulator/market.py": (6, "the simulated market's channel names, its data"),
    "comm/simulator/ctwing_double.py": (2, "what the telecom platform itself answers"),
}
# Files whose texts are still to move into the catalogue: none.
PENDING: dict[str, int] = {}


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def chinese_outside_the_catalogue(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string in the code holding Chinese; docstrings and comments may
    name a thing in Chinese (the glossary's terms), what a person reads may not."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and CJK.search(node.value)
    ]


def test_no_chinese_text_outside_the_catalogue():
    offenders = []
    for path in sorted(APP.rglob("*.py")):
        rel = path.relative_to(APP).as_posix()
        if "/migrations/versions/" in f"/{rel}":
            continue  # a data migration reads the sentences old rows hold
        found = chinese_outside_the_catalogue(path.read_text(encoding="utf-8"))
        allowed = NOT_WORDS.get(rel, (0, ""))[0] + PENDING.get(rel, 0)
        if len(found) > allowed:
            offenders += [f"app/{rel}:{line}: {text[:60]!r}" for line, text in found]
    assert offenders == [], f"{len(offenders)} texts:\n" + "\n".join(offenders)


@pytest.mark.parametrize(
    "source, found",
    [
        ('raise Conflict("档位已存在")', 1),
        ('x = f"余额 {n} 元"', 2),
        ('def f():\n    """销户退款: closes an account."""\n', 0),
        ('x = "Stall exists"  # 档位', 0),
    ],
)
def test_the_check_sees_chinese_in_code_but_not_in_docstrings_or_comments(source, found):
    assert len(chinese_outside_the_catalogue(source)) == found


def _all_words() -> list[Word]:
    for path in sorted(APP.rglob("*.py")):
        rel = path.relative_to(APP.parent).with_suffix("")
        if "ui" in rel.parts or "migrations" in rel.parts or rel.name == "__main__":
            continue  # the client's modules need Qt; their words are checked through the .qm
        importlib.import_module(".".join(rel.parts).removesuffix(".__init__"))
    return list(words._REGISTRY.values())


def test_every_word_has_its_chinese():
    catalogue = {}
    for context in ET.parse(words.CATALOGUE).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            catalogue[(context.findtext("name"), message.findtext("source"))] = translation
    problems = []
    found = _all_words()
    assert len(found) > 300  # the walk really imports the program's words
    for w in found:
        translation = catalogue.get(w.text)
        if translation is None or translation.get("type") is not None or not translation.text:
            problems.append(f"{w.code}: no Chinese in the catalogue")
    assert problems == [], "\n".join(problems)


def test_a_said_word_is_stored_as_its_code_and_shown_in_the_reader_language():
    balance = Word("test.balance", QT_TRANSLATE_NOOP("Errors", "Balance {amount} yuan"))
    said = balance(amount="12.50")
    stored = said.stored()
    assert stored == {"code": "test.balance", "params": {"amount": "12.50"}}
    back = Said.from_stored(stored)
    assert back.say("en") == "Balance 12.50 yuan"
    assert Said.from_stored({"code": "test.no_such_word"}) is None


def test_one_code_cannot_name_two_texts():
    Word("test.once", QT_TRANSLATE_NOOP("Errors", "Once"))
    with pytest.raises(ValueError, match="two words under one code"):
        Word("test.once", QT_TRANSLATE_NOOP("Errors", "Twice"))


def test_a_stored_word_is_said_where_nothing_imported_its_module():
    """A reader (the command line's audit log) shows a stored word of a service it never
    imported: the modules whose words the database keeps are imported on the first miss."""
    import subprocess
    import sys

    program = (
        "import sys; from app.words import shown; "
        "assert 'app.services.money.property' not in sys.modules; "
        """print(shown('{"code":"property.void_reason","params":{"reason":"x"}}', 'en'))"""
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Bill voided: x"


def test_the_portals_templates_take_every_text_from_the_catalogue():
    # the tenants' pages say everything through `say(T.…)` (app/portal/texts.py)
    offenders = [
        f"{path.name}: {line.strip()[:60]}"
        for path in sorted((APP / "portal" / "templates").glob("*.html"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if CJK.search(line)
    ]
    assert offenders == []
