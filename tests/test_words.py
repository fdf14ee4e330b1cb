"""A service error raised again as another keeps its words in both languages; an action
and an amount's field are named by catalogue words, said in the reader's language."""

from __future__ import annotations

import pytest

from app.models.money import AmountError
from app.models.user import Role
from app.services.money.accounts import TAKE_RECHARGES, InvalidAmount
from app.services.money.amounts import parse_amount
from app.services.money.shared_costs import THE_SHARED_AMOUNT
from app.services.platform.context import Actor, PermissionDenied, ServiceError, require


def test_an_amount_error_raised_again_as_a_service_error_says_the_same_in_both_languages():
    with pytest.raises(AmountError) as wrong:
        parse_amount("12.345", what=THE_SHARED_AMOUNT)
    again = InvalidAmount(wrong.value)
    assert again.said == wrong.value.said and again.code == "invalid_amount"
    assert again.message == "公摊金额“12.345”最多两位小数（元、角、分）"
    assert again.text("en") == ("The shared amount “12.345” has more than two decimals. "
                                "Type yuan with at most two decimals (jiao and fen)")


def test_an_error_raised_the_old_way_keeps_its_english_when_raised_again():
    again = ServiceError(ServiceError("已作废", en="Voided already"), code="invalid")
    assert (again.message, again.english, again.said, again.code) == ("已作废", "Voided already", None, "invalid")


def test_an_action_named_by_a_word_is_said_in_the_readers_language():
    with pytest.raises(PermissionDenied) as refused:
        require(Actor(7, "xiaozhao", Role.VIEWER, 1), Role.CASHIER, Role.REVIEWER, doing=TAKE_RECHARGES)
    assert refused.value.message == "当前用户“xiaozhao”（查看员）无权充值，请由管理员、收银员、审核员登录后操作"
    assert refused.value.text("en") == ("User “xiaozhao” (viewer) may not take recharges. "
                                        "Please ask an administrator or a cashier or a reviewer to log in and do it.")
    assert refused.value.said.stored()["params"]["doing"] == {"said": {"code": "accounts.take_recharges", "params": {}}}
