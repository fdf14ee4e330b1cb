"""Revision 0006 turns the comm results stored before as Chinese sentences into catalogue
words (code + parameters), so they read in the clerk's language and follow a reworded
template; a text no template says stays as it is."""

from __future__ import annotations

import json

from alembic import command
from sqlalchemy import text

from app import words
from app.comm import messages
from app.models.db import alembic_config, upgrade
from tests.builders import Market

OLD_RESULTS = {  # as the comm layer wrote them before, and what a client in English reads now
    "电表无应答，请检查通讯线路": "The meter does not answer. Check the line",
    "命令已发送，但回读继电器状态不符（期望分闸，实际合闸），请现场检查；relay is 合闸, expected 分闸": "Command sent, but the relay "  # noqa: E501
    "reads back wrong (expected "
    "tripped, found power on). "
    "Check on site; "
    "relay is 合闸, expected 分闸",
    "电表无应答，请检查通讯线路（第 2 次未成功，约 2 分钟后自动重试）": "The meter does not answer. Check the line (attempt 2 "  # noqa: E501
    "failed; tried again automatically in about 2 min)",
    "电表拒绝命令（ERR=41）：其他错误；费率数超": "The meter refused the command (ERR=41): other error; tariff "  # noqa: E501
    "count exceeded",
    "该表不支持此操作：关阀": "This meter cannot do this: close valve",
    "地址 7 无应答，只收到地址 8 的应答，请检查表地址设置": "Address 7 does not answer; only address 8 answered. Check "  # noqa: E501
    "the meter address setting",
    "成功": "Succeeded",
    # no template says it: kept as written
    "表计无应答（已重试 3 次）": "表计无应答（已重试 3 次）",
}
OLD_ERROR = "电表应答报文错误，请检查线路干扰或表地址设置: bad CRC: expected 54 got 55"
OLD_STATUS = "3/4 台4G电表在线"


def _old_rows(db):
    market = Market(db)
    channel = market.a_channel()
    meter = market.a_meter(market.a_stall("A001"), channel_id=channel, address="7")
    command.downgrade(alembic_config(db.engine), "0005")  # just before 0006
    with db.engine.begin() as c:
        for result in OLD_RESULTS:
            c.execute(
                text(
                    "INSERT INTO meter_command (meter_id, action, status, reason, is_automatic, "
                    "created_at, "
                    "attempts, result) VALUES (:m, 'trip', 'failed', '', false, "
                    "CURRENT_TIMESTAMP, 1, :r)"
                ),
                {"m": meter, "r": result},
            )
        c.execute(
            text("UPDATE meter SET comm_error = :e WHERE id = :m"), {"e": OLD_ERROR, "m": meter}
        )
        c.execute(
            text("UPDATE channel SET status_detail = :d WHERE id = :c"),
            {"d": OLD_STATUS, "c": channel},
        )
        c.execute(
            text(
                "INSERT INTO audit_event (at, actor, action, entity, entity_id, detail) VALUES "
                "(CURRENT_TIMESTAMP, 'system', 'command.failed', 'meter', :m, :d)"
            ),
            {
                "m": meter,
                "d": json.dumps(
                    {"command_id": 1, "reason": "电表无应答，请检查通讯线路"}, ensure_ascii=False
                ),
            },
        )
    return meter, channel


def _stored(db, meter, channel):
    with db.engine.connect() as c:
        results = [r for (r,) in c.execute(text("SELECT result FROM meter_command ORDER BY id"))]
        error = c.execute(text("SELECT comm_error FROM meter WHERE id = :m"), {"m": meter}).scalar()
        status = c.execute(
            text("SELECT status_detail FROM channel WHERE id = :c"), {"c": channel}
        ).scalar()
        detail = c.execute(
            text("SELECT detail FROM audit_event WHERE action = 'command.failed'")
        ).scalar()
    detail = detail if isinstance(detail, dict) else json.loads(detail)
    return results, error, status, detail["reason"]


def test_old_comm_results_become_words_and_read_in_the_clerks_language(db):
    meter, channel = _old_rows(db)
    upgrade(db.engine)
    results, error, status, reason = _stored(db, meter, channel)
    assert [messages.shown(r, "en") for r in results] == list(OLD_RESULTS.values())
    assert [messages.shown(r, "zh_CN") for r in results] == list(
        OLD_RESULTS
    )  # the same Chinese as before
    assert messages.said_from(results[0]).word is messages.NO_ANSWER
    assert results[-1] == "表计无应答（已重试 3 次）"
    assert messages.shown(error, "en") == (
        "The meter's reply is garbled. Check the line for interference and the meter "
        "address: bad CRC: expected 54 got 55"
    )
    assert messages.shown(status, "en") == "3/4 4G meters online"
    assert messages.shown(reason, "en") == "The meter does not answer. Check the line"


def test_a_reworded_template_still_says_the_old_rows_right(db, monkeypatch):
    meter, channel = _old_rows(db)
    upgrade(db.engine)
    results, *_ = _stored(db, meter, channel)
    # a later version words it differently, in both languages, under the same code
    monkeypatch.delitem(words._REGISTRY, "comm.wrong_address")
    reworded = words.Word(
        "comm.wrong_address", ("Comm", "Meter {address} is silent; {other} answered instead")
    )
    monkeypatch.setitem(
        words._translations(), reworded.text, "表地址 {address} 不应答，应答的是地址 {other}"
    )
    assert messages.shown(results[5], "zh_CN") == "表地址 7 不应答，应答的是地址 8"
    assert messages.shown(results[5], "en") == "Meter 7 is silent; 8 answered instead"


def test_going_back_to_0005_says_the_words_as_the_sentences_they_were(db):
    meter, channel = _old_rows(db)
    upgrade(db.engine)
    command.downgrade(alembic_config(db.engine), "0005")
    assert _stored(db, meter, channel) == (
        list(OLD_RESULTS),
        OLD_ERROR,
        OLD_STATUS,
        "电表无应答，请检查通讯线路",
    )
    upgrade(db.engine)
