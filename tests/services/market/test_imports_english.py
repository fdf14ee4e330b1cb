"""The import's row problems say what is wrong and what to do in English too."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from app.services.market.imports import import_excel, problem_report
from app.services.platform.context import ServiceError
from tests.builders import a_building, an_admin, xlsx
from tests.services.market.test_imports import BAD_STALLS

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_row_problem_has_an_english_problem_and_fix(sqlite_db):
    with sqlite_db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(s, an_admin(s), "stalls", xlsx(BAD_STALLS))
    by_row = {p.row: p for p in result.problems}
    assert set(by_row) == {3, 4, 5, 6, 7, 8}
    assert by_row[3].texts("zh_CN") == (by_row[3].problem, by_row[3].fix)  # Chinese unchanged
    assert by_row[3].texts("en") == (
        "Building “Z区” does not exist",
        "Import the building first, or use the name of a building in the program",
    )
    assert by_row[4].texts("en")[0] == "Same stall code as row 2"
    assert by_row[5].texts("en") == ("“十平米” is not a number", "Type a number, such as 12.5")
    assert "is not a phone number" in by_row[6].texts("en")[0]
    assert by_row[7].texts("en") == ("The cell is empty", "Fill in this column; it is required")
    assert by_row[8].texts("en") == ("“-1” is less than 0", "Type a number of at least 0")
    for p in result.problems:  # Chinese only where the clerk's own value is quoted
        assert not any(CJK.search(t) for t in (re.sub(r"“[^”]*”", "", t) for t in p.texts("en"))), p


def test_a_missing_column_and_an_unreadable_file_are_explained_in_english(sqlite_db):
    with sqlite_db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(s, an_admin(s), "stalls", xlsx([["档位名称", "楼栋"], ["x", "A区"]]))
        assert result.problems[0].texts("en") == (
            "Column “档位编号” is missing",
            "Add a “档位编号” (or “stall code”) column to the header in row 1; compare with the "
            "template",
        )
        with pytest.raises(ServiceError) as refused:
            import_excel(s, an_admin(s), "stalls", b"not an excel file")
    assert "无法读取该文件" in refused.value.message
    assert refused.value.text("en").startswith("The file cannot be read")


def test_the_summary_and_the_marked_file_can_be_in_english(sqlite_db):
    data = xlsx(BAD_STALLS)
    with sqlite_db.transaction() as s:
        a_building(s, "A区")
        result = import_excel(s, an_admin(s), "stalls", data, all_or_nothing=True)
    assert result.summary("en") == (
        "Import of stalls (errors, no row written): 7 rows, 1 new, 0 updated, 0 unchanged, 6 with "
        "errors"
    )
    assert (
        result.summary()
        == "档位导入（有错误，未写入任何行）：共 7 行，新增 1，更新 0，未变 0，错误 6 行"
    )
    marked = load_workbook(io.BytesIO(problem_report(data, result, "en"))).active
    assert marked.cell(1, 7).value == "Problem (import check)"
    assert marked.cell(5, 7).value == "面积: “十平米” is not a number. Type a number, such as 12.5"
    assert marked.cell(5, 4).comment.text == "“十平米” is not a number\nType a number, such as 12.5"
    chinese = load_workbook(io.BytesIO(problem_report(data, result))).active
    assert chinese.cell(5, 7).value == "面积：“十平米”不是数字，填写数字，如 12.5"
