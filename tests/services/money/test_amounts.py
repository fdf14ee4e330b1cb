"""The one rule for amounts typed by people (recharge, every money field, CLI, import)."""

from decimal import Decimal

import pytest

from app.models.money import AmountError
from app.services.money.amounts import parse_amount


@pytest.mark.parametrize(
    "typed, amount",
    [
        ("100", "100.00"),
        ("120.50", "120.50"),
        ("0.5", "0.50"),
        (" 88 ", "88.00"),
        ("1,000.50", "1000.50"),
        ("1,234,567", "1234567.00"),
        ("１００．５", "100.50"),  # a Chinese input method's full-width digits and point
        ("１，０００", "1000.00"),
    ],
)
def test_an_amount_is_digits_one_point_two_decimals(typed, amount):
    assert parse_amount(typed) == Decimal(amount)


@pytest.mark.parametrize(
    "typed, says",
    [
        ("1,00", "逗号位置不对"),
        ("10,0.5", "逗号位置不对"),
        ("1,0000", "逗号位置不对"),
        (",100", "逗号位置不对"),
        ("1e3", "不是数字"),
        ("1.5e1", "不是数字"),
        ("1e-2", "不是数字"),
        ("1_000", "不是数字"),
        ("+5", "不是数字"),
        ("1 000", "不是数字"),
        ("100.", "不是数字"),
        (".5", "不是数字"),
        ("1.2.3", "不是数字"),
        ("NaN", "不是数字"),
        ("Infinity", "不是数字"),
        ("十块", "不是数字"),
        ("", "不是数字"),
        ("¥100", "不是数字"),
        ("①", "不是数字"),
        ("1.234", "最多两位小数"),
        ("-5", "必须大于零"),
        ("0", "必须大于零"),
        ("10000000", "过大"),
    ],
)
def test_anything_else_is_refused_saying_what_to_type(typed, says):
    with pytest.raises(AmountError) as refused:
        parse_amount(typed)
    assert says in str(refused.value)
    assert "Type" in refused.value.english  # the English text says what to type, too


def test_a_field_names_itself_and_may_take_zero_negative_or_four_decimals():
    assert parse_amount("0", allow_zero=True) == Decimal("0.00")
    assert parse_amount("-12.5", allow_negative=True) == Decimal("-12.50")
    assert parse_amount("0.6555", places=4) == Decimal("0.6555")
    with pytest.raises(AmountError) as refused:
        parse_amount("0.65555", places=4, what="单价", what_en="The price")
    assert "单价“0.65555”最多四位小数" in str(refused.value) and refused.value.english.startswith(
        "The price"
    )
    with pytest.raises(AmountError, match="不能为负数"):
        parse_amount("-1", allow_zero=True, what="透支额度")
