"""Every error a clerk can meet says what happened and what to do in both languages.

The source of app/ is read (no code runs): each raise of a ServiceError subclass or of
AmountError must give an English text (`en=`), each `require()` the English name of the
action (`doing_en=`), each import cell problem (CellError, RowProblem, `_Rows.add`) its
English problem and fix. The English must not be Chinese text copied over (Chinese is
allowed only inside “…”, where it names a column or a value as the clerk sees it).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.models.money import AmountError
from app.models.user import Role
from app.services.money.amounts import parse_amount
from app.services.platform.context import Actor, Conflict, May, PermissionDenied, require

APP = Path(__file__).resolve().parents[1] / "app"
BASES = {"ServiceError", "NotFound", "PermissionDenied", "Conflict", "AmountError", "FileError"}
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
QUOTED = re.compile(r"“[^”]*”")


def _name(node: ast.expr) -> str:
    return (
        node.id
        if isinstance(node, ast.Name)
        else node.attr
        if isinstance(node, ast.Attribute)
        else ""
    )


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """BASES and every class in app/ derived from one of them (InvalidAmount, LoginFailed …)."""
    names = set(BASES)
    while True:
        more = {
            node.name
            for tree in trees.values()
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and node.name not in names
            and any(_name(b) in names for b in node.bases)
        }
        if not more:
            return names
        names |= more


def _literal_text(node: ast.expr) -> str:
    """The fixed text of a string expression (f-string holes left out)."""
    return "".join(
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )


def _is_word(node: ast.expr | None) -> bool:
    """A catalogue Word (app/words.py), named in capitals (or one of two), or a caught error
    raised again with its words (`exc`): its English is its source text."""
    if isinstance(node, ast.IfExp):
        return _is_word(node.body) and _is_word(node.orelse)
    return isinstance(node, (ast.Name, ast.Attribute)) and (
        _name(node).isupper() or _name(node) == "exc"
    )


def _is_text(node: ast.expr) -> bool:
    """A string written in the code (not a catalogue word)."""
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _english_problem(node: ast.expr | None, where: str, what: str) -> str | None:
    if node is None:
        return f"{where}: {what} without English text"
    if isinstance(node, ast.Constant) and not node.value:
        return f"{where}: {what} with an empty English text"
    if CJK.search(QUOTED.sub("", _literal_text(node))):
        return f"{where}: the English text of {what} is (partly) Chinese"
    return None


def problems_in(source: str, filename: str, error_classes: set[str]) -> list[str]:
    tree = ast.parse(source)
    found = []

    def keyword(call: ast.Call, name: str) -> ast.expr | None:
        return next((k.value for k in call.keywords if k.arg == name), None)

    for node in ast.walk(tree):
        where = f"{filename}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc
            if isinstance(exc, ast.Call) and exc.args and _is_word(exc.args[0]):
                continue
            if isinstance(exc, ast.Call) and _name(exc.func) in error_classes:
                found.append(
                    _english_problem(keyword(exc, "en"), where, f"raise {_name(exc.func)}")
                )
            elif isinstance(exc, ast.Call) and _name(exc.func) == "CellError":
                found.append(
                    _english_problem(keyword(exc, "problem_en"), where, "CellError problem")
                )
                found.append(_english_problem(keyword(exc, "fix_en"), where, "CellError fix"))
            elif not isinstance(exc, ast.Call) and _name(exc) in error_classes | {"CellError"}:
                found.append(f"{where}: raise {_name(exc)} without any text")
        elif (
            isinstance(node, ast.Call)
            and _name(node.func) == "require"
            and keyword(node, "doing") is not None
        ):
            # (a require() naming a May names the action in English in the table: checked below)
            found.append(_english_problem(keyword(node, "doing_en"), where, "require()"))
        elif isinstance(node, ast.Call) and _name(node.func) == "RowProblem":
            if len(node.args) > 2 and not _is_text(node.args[2]):
                continue  # its problem and fix are catalogue words
            if len(node.args) < 7 and keyword(node, "problem_en") is None:
                found.append(f"{where}: RowProblem without English problem and fix")
            else:
                for arg in node.args[5:7]:
                    found.append(_english_problem(arg, where, "RowProblem"))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "add"
            and filename.endswith("imports.py")
            and len(node.args) >= 4
        ):
            if not _is_text(node.args[2]):
                continue  # its problem and fix are catalogue words
            if len(node.args) < 6:
                found.append(f"{where}: import problem without English problem and fix")
            else:
                for arg in node.args[4:6]:
                    found.append(_english_problem(arg, where, "import problem"))
    return [p for p in found if p]


def _trees() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(encoding="utf-8")) for p in sorted(APP.rglob("*.py"))}


def test_every_error_raised_in_app_has_an_english_text():
    trees = _trees()
    classes = _error_classes(trees)
    assert {"InvalidAmount", "LoginFailed"} <= classes
    problems, raises = [], 0
    for path, tree in trees.items():
        rel = str(path.relative_to(APP.parent))
        problems += problems_in(path.read_text(encoding="utf-8"), rel, classes)
        raises += sum(
            isinstance(n, ast.Raise)
            and isinstance(n.exc, ast.Call)
            and _name(n.exc.func) in classes
            for n in ast.walk(tree)
        )
    assert raises > 120  # the walk really sees the services' raises
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "source, complaint",
    [
        ('raise Conflict(f"档位 {code} 已存在")', "without English text"),
        ('raise Conflict("已存在", en="")', "empty English text"),
        ('raise Conflict("已存在", en="档位已存在")', "partly) Chinese"),
        ('raise InvalidAmount("金额不对")', "without English text"),
        ("raise NotFound", "without any text"),
        ('require(actor, doing="充值")', "require() without English"),
        (
            'raise CellError("不是数字", "填写数字", problem_en="Not a number")',
            "CellError fix without",
        ),
        ('rows.add(row, "stall", "不存在", "先导入")', "import problem without English"),
    ],
)
def test_the_check_finds_a_raise_that_forgot_english(source, complaint):
    classes = {"ServiceError", "NotFound", "Conflict", "InvalidAmount"}
    problems = problems_in(source, "app/services/imports.py", classes)
    assert len(problems) == 1 and complaint in problems[0], problems


def test_an_english_text_may_quote_a_chinese_column_name():
    source = 'raise ServiceError("缺少列", en="The file needs a “档位编号” (stall code) column")'
    assert problems_in(source, "x.py", {"ServiceError"}) == []


def test_errors_keep_the_chinese_message_and_give_english_on_request():
    clerk = Actor(7, "xiaozhao", Role.VIEWER, 1)
    with pytest.raises(PermissionDenied) as refused:
        require(clerk, May.TAKE_RECHARGES)
    error = refused.value
    assert (
        error.message
        == str(error)
        == "当前用户“xiaozhao”（查看员）无权充值，请由管理员、收银员登录后操作"
    )
    assert error.text("zh_CN") == error.message
    assert (
        error.text("en")
        == error.english
        == (
            "User “xiaozhao” (viewer) may not take recharges. Please ask an administrator or a "
            "cashier to log in and do it."
        )
    )
    assert (
        Conflict("已作废").text("en") == "已作废"
    )  # an error without English still says something

    with pytest.raises(AmountError) as wrong:
        parse_amount("12.345")
    assert "两位小数" in wrong.value.message and "two decimals" in wrong.value.text("en")


def test_every_action_of_the_permission_table_is_named_in_english():
    assert [a.name for a in May if not a.doing.text[1].strip() or CJK.search(a.doing.text[1])] == []
