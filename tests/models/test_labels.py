"""One label table per enum: every stored value has one word, the same on the counter, the
receipts and reports and the command line, and no module keeps its own copy of the words."""

import re
from pathlib import Path

import pytest

from app.comm import labels as cl
from app.comm.types import Action, ChannelKind, Direction, MeterKind
from app.models import labels as ml
from app.models.account import EntryKind, PayMethod
from app.models.billing import BillKind, BillStatus, ChargeMethod
from app.models.meter import AnomalyKind, CommandStatus, CommStatus, ControlMode
from app.models.monthly import MonthStatus
from app.models.shared_cost import SharedRunStatus, ShareMethod
from app.models.site import SettlementCycle, StallStatus
from app.models.tariff import TariffMode
from app.models.user import Role
from app.words import CHINESE, ENGLISH

TABLES = [
    (PayMethod, ml.PAY_METHOD),
    (EntryKind, ml.ENTRY_KIND),
    (BillKind, ml.BILL_KIND),
    (BillStatus, ml.BILL_STATUS),
    (ChargeMethod, ml.CHARGE_METHOD),
    (StallStatus, ml.STALL_STATUS),
    (SettlementCycle, ml.SETTLEMENT_CYCLE),
    (TariffMode, ml.TARIFF_MODE),
    (ControlMode, ml.CONTROL_MODE),
    (CommStatus, ml.COMM_STATUS),
    (AnomalyKind, ml.ANOMALY_KIND),
    (CommandStatus, ml.COMMAND_STATUS),
    (Role, ml.ROLE),
    (MonthStatus, ml.MONTH_STATUS),
    (ShareMethod, ml.SHARE_METHOD),
    (SharedRunStatus, ml.SHARED_RUN_STATUS),
    (MeterKind, cl.METER_KIND),
    (MeterKind, cl.METER_NAME),
    (ChannelKind, cl.CHANNEL_KIND),
    (Action, cl.ACTION),
    (Direction, cl.DIRECTION),
]
APP = Path(__file__).resolve().parents[2] / "app"
SAME_IN_CHINESE = {"4G DTU"}
LABEL_MODULES = {APP / "models" / "labels.py", APP / "comm" / "labels.py"}


@pytest.mark.parametrize(("enum", "table"), TABLES, ids=lambda x: getattr(x, "__name__", ""))
def test_every_value_of_an_enum_has_its_word_in_both_languages(enum, table):
    assert set(table) == set(enum)
    for word in table.values():
        assert word.say(ENGLISH) == word.text[1]
        assert word.say(CHINESE) != word.text[1] or word.text[1] in SAME_IN_CHINESE, (
            f"{word.code} has no Chinese"
        )


def test_the_words_the_clerks_read_today():
    assert [ml.PAY_METHOD[m].say(CHINESE) for m in PayMethod] == [
        "现金",
        "微信",
        "支付宝",
        "银行卡",
        "转账",
    ]
    assert ml.ENTRY_KIND[EntryKind.REFUND].say(CHINESE) == "销户退款"
    assert ml.ROLE[Role.ADMIN].say(CHINESE) == "管理员"
    assert cl.ACTION[Action.FORCED_OFF].say(CHINESE) == "强制断电"
    assert ml.KIND_MODE[(MeterKind.WATER, ControlMode.FORCED_OFF)].say(CHINESE) == "强制关阀"
    assert ml.MONTH_STATUS[MonthStatus.APPROVED].say(CHINESE) == "已审核（锁定）"


ENUM_NAMES = sorted({enum.__name__ for enum, _ in TABLES})
# an enum member mapped to words: a marked text or a Chinese literal
OWN_TABLE = re.compile(
    r"\b(?:"
    + "|".join(ENUM_NAMES)
    + r")\.[A-Z_0-9]+\s*:\s*(?:(?:words\.)?QT_TRANSLATE_NOOP\(|f?\"[^\"]*[\u4e00-\u9fff])"
)
# Not a value's name but other words keyed by it: a longer description in the client of
# what a state waits for or a choice does, or another noun of a meter kind (电价, 电费)
# or a sentence about it.
OTHER_WORDS = {
    "app/ui/shared_costs/shared_costs_view.py": "what a run waits for",
    "app/ui/shared_costs/pool_dialog.py": "what each way of sharing does",
    "app/ui/monthly/monthly_view.py": "what the month's state lets the office do next",
    "app/services/market/meters.py": "TARIFF_TEXT: the name of a kind's tariff (电价 / 水价)",
    "app/services/money/settlement.py": "KIND_NAME: the charge on a bill line (电费 / 水费)",
    "app/services/money/shared_costs.py": "why a share cannot be computed, a sentence per method",
}


def test_no_module_keeps_its_own_words_for_an_enum():
    """The words of a stored value live in one table per enum (app/models/labels.py,
    app/comm/labels.py); everyone else looks them up there."""
    found = []
    for path in sorted(APP.rglob("*.py")):
        where = str(path.relative_to(APP.parent))
        if path in LABEL_MODULES or where in OTHER_WORDS:
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if OWN_TABLE.search(line):
                found.append(f"{where}:{no}: {line.strip()}")
    assert not found, "\n".join(found)
