"""The counter: find a stall by its code, recharge with the keyboard, keep the receipt."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from app.models.account import EntryKind, LedgerEntry, PayMethod
from app.ui.cashier.recharge_view import RechargeView
from tests.pdf import pdf_text
from tests.ui.conftest import press_in_next_dialog


@pytest.fixture
def counter(qtbot, market, make_client):
    market.a_stall("A001", balance="12.30", tenant="张三", name="蔬菜批发")
    view = RechargeView(make_client(market.cashier))
    qtbot.addWidget(view)
    view.show()
    return view


def find_by_code(qtbot, view, code: str) -> None:
    qtbot.keyClicks(view.code_edit, code)
    with qtbot.waitSignal(view.card_shown, timeout=5000):
        qtbot.keyClick(view.code_edit, Qt.Key.Key_Return)


def test_typing_a_stall_code_and_enter_shows_the_stall(qtbot, counter):
    find_by_code(qtbot, counter, "A001")
    assert counter.card.code == "A001"
    assert "张三" in counter.card_widget.tenant.text()
    assert counter.card_widget.balance.text() == "¥ 12.30"
    assert counter.amount_edit.hasFocus()


def test_a_scanned_stall_qr_finds_the_stall(qtbot, counter):
    find_by_code(qtbot, counter, "MMSTALL:A001")
    assert counter.card.code == "A001"


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_cashier_recharges_with_enter_and_the_receipt_pdf_is_kept(
    qtbot, language, lang, market, make_client, sqlite_db
):
    language(lang)  # the clerks' language (the default) and English: same keys, same receipt
    market.a_stall("A001", balance="12.30", tenant="张三", name="蔬菜批发")
    counter = RechargeView(make_client(market.cashier))
    qtbot.addWidget(counter)
    counter.show()
    assert (
        counter.confirm_button.text() == {"en": "Recharge (Enter)", "zh_CN": "充值（回车）"}[lang]
    )
    find_by_code(qtbot, counter, "A001")
    qtbot.keyClicks(counter.amount_edit, "120.50")
    qtbot.keyClick(counter.amount_edit, Qt.Key.Key_Return)
    assert counter.method_row.hasFocus()

    press_in_next_dialog(Qt.Key.Key_Return)  # the confirmation: Enter confirms
    with qtbot.waitSignal(counter.receipts.saved, timeout=10000) as saved:
        qtbot.keyClick(counter.method_row, Qt.Key.Key_2)  # 2 = WeChat, and confirm
    printed = saved.args[0]

    assert printed.data.amount == Decimal("120.50") and printed.data.method is PayMethod.WECHAT
    assert printed.data.amount_in_capitals == "壹佰贰拾元伍角整"
    assert printed.pdf_path.name == f"{printed.data.receipt_no:08d}.pdf"
    text = pdf_text(printed.pdf_path)
    for words in (
        f"收据号\n{printed.data.receipt_no:08d}",
        "档位\nA001蔬菜批发",
        "租户\n张三",
        "支付方式\n微信",
        "金额\n¥120.50",
        "大写\n壹佰贰拾元伍角整",
        "操作前余额\n¥12.30",
        "操作后余额\n¥132.80",
        "城南农贸市场",
    ):
        assert words in text, words
    qtbot.waitUntil(lambda: counter.card_widget.balance.text() == "¥ 132.80", timeout=5000)
    said = {"en": "Recharged ¥120.50 to A001", "zh_CN": "已为 A001"}[lang]
    assert said in counter.last_result.text() and "132.80" in counter.last_result.text()
    with sqlite_db.transaction() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(LedgerEntry)
                .where(LedgerEntry.kind == EntryKind.RECHARGE)
            )
            == 1
        )


def test_a_double_enter_or_a_retry_of_the_same_confirmation_credits_once(qtbot, counter, sqlite_db):
    find_by_code(qtbot, counter, "A001")
    qtbot.keyClicks(counter.amount_edit, "100")
    qtbot.keyClick(counter.amount_edit, Qt.Key.Key_Return)
    press_in_next_dialog(Qt.Key.Key_Return)
    with qtbot.waitSignal(counter.recharged, timeout=10000):
        qtbot.keyClick(counter.method_row, Qt.Key.Key_Return)  # Enter: the method shown (cash)
        pending = counter.pending
        qtbot.keyClick(
            counter.method_row, Qt.Key.Key_Return
        )  # the second Enter, while the first is on its way
        counter._send(pending)  # and a retry of the same confirmation (same idempotency key)
    qtbot.waitUntil(lambda: counter.client.runner.in_flight == 0, timeout=10000)
    with sqlite_db.transaction() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(LedgerEntry)
                .where(LedgerEntry.kind == EntryKind.RECHARGE)
            )
            == 1
        )


def test_a_wrong_amount_is_explained_and_nothing_is_recharged(qtbot, counter):
    find_by_code(qtbot, counter, "A001")
    qtbot.keyClicks(counter.amount_edit, "12.345")
    qtbot.keyClick(counter.amount_edit, Qt.Key.Key_Return)
    assert "两位小数" in counter.message.text()
    assert counter.amount_edit.hasFocus()


@pytest.mark.parametrize(
    "typed, says", [("1,00", "逗号位置不对"), ("1e3", "不是数字"), ("+5", "不是数字")]
)
def test_an_amount_that_is_not_money_is_refused_not_reinterpreted(qtbot, counter, typed, says):
    find_by_code(qtbot, counter, "A001")
    qtbot.keyClicks(counter.amount_edit, typed)
    qtbot.keyClick(counter.amount_edit, Qt.Key.Key_Return)
    assert says in counter.message.text() and "如 100 或 120.50" in counter.message.text()
    assert counter.amount_edit.hasFocus() and not counter.method_row.hasFocus()


def test_full_width_digits_from_a_chinese_input_method_are_read(qtbot, counter):
    find_by_code(qtbot, counter, "A001")
    counter.amount_edit.setText("１２０．５")
    assert counter._parsed_amount() == Decimal("120.50")


def test_a_viewer_can_look_up_a_stall_but_not_recharge(qtbot, market, make_client):
    market.a_stall("A002")
    view = RechargeView(make_client(market.viewer))
    qtbot.addWidget(view)
    view.show()
    find_by_code(qtbot, view, "A002")
    assert not view.amount_edit.parentWidget().isEnabled()


def test_reprint_says_补打_and_keeps_the_original_pdf(qtbot, counter):
    find_by_code(qtbot, counter, "A001")
    qtbot.keyClicks(counter.amount_edit, "50")
    qtbot.keyClick(counter.amount_edit, Qt.Key.Key_Return)
    press_in_next_dialog(Qt.Key.Key_Return)
    with qtbot.waitSignal(counter.receipts.saved, timeout=10000) as first:
        qtbot.keyClick(counter.method_row, Qt.Key.Key_1)
    original = first.args[0].pdf_path.read_bytes()
    with qtbot.waitSignal(counter.receipts.saved, timeout=10000) as again:
        qtbot.mouseClick(counter.reprint_button, Qt.MouseButton.LeftButton)
    assert again.args[0].data.is_reprint and again.args[0].data.reprint_mark == "补打"
    assert again.args[0].pdf_path.read_bytes() == original  # the kept PDF is the original


def test_the_counter_shows_the_available_balance_the_stall_service_returns_priced_once(
    qtbot, counter, monkeypatch
):
    from app.services.market import usage

    priced = []
    price_states = usage.price_states
    monkeypatch.setattr(
        usage, "price_states", lambda *a, **k: priced.append(a) or price_states(*a, **k)
    )
    find_by_code(qtbot, counter, "A001")
    assert counter.card_widget.available.text() == "¥ 12.30"
    assert len(priced) == 1  # the card's unsettled usage is priced by the service, once
