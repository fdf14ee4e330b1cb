"""Frame meanings in the reader's language: English by default, Chinese when asked for."""

import re
from datetime import datetime

import pytest

from app.comm.protocols import acrel4g as g
from app.comm.protocols import dlt645 as d
from app.comm.protocols import modbus_rtu as rtu
from tests.comm.protocols.test_dlt645 import WORKED as DLT645_WORKED
from tests.comm.protocols.test_modbus_rtu import WORKED as MODBUS_WORKED

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# protocol and field names a Chinese engineer reads as they are
KEPT = {
    "DL",
    "ICCID",
    "RTU",
    "Modbus",
    "MBAP",
    "SEQ",
    "ERR",
    "kWh",
    "kvar",
    "kVA",
    "dataReport",
    "RSRP",
}
CJK = re.compile(r"[\u4e00-\u9fff]")

MESSAGES = (
    [m for _, m in DLT645_WORKED]
    + [m for _, _, m in MODBUS_WORKED]
    + [
        d.ErrorReply("123456789012", 0x11, 0x06),
        d.OtherFrame(d.parse_frame(d.Frame("123456789012", 0x1A, b"").encode()), d.Version.V2007),
        rtu.ReadResponse(1, (1, 2, 3)),
        rtu.ExceptionResponse(1, 3, 2),
        g.Register("A1234567890", "89860412345678901234", 27, ("0102", "0200", "1905"), 15),
        g.Ack(g.REGISTER),
        g.Heartbeat(),
        g.TimeSyncRequest("A1"),
        g.TimeSync(datetime(2026, 5, 1, 8, 0)),
        g.Downlink(bytes.fromhex("01 10 00 57 00 02 04 00 01 00 01 27 75")),
        g.OtherCommand(0x55, b"\x01"),
    ]
)


@pytest.fixture
def chinese() -> str:
    return "zh_CN"


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_in_chinese_a_frame_means_something_without_english_words(chinese, message):
    meaning = message.describe(chinese)
    assert CJK.search(meaning), meaning
    assert english_words(meaning) <= KEPT, meaning


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: type(m).__name__)
def test_by_default_a_frame_means_something_in_english(message):
    assert english_words(message.describe()) - KEPT


def english_words(text: str) -> set[str]:
    return {
        w for w in ENGLISH_WORD.findall(text) if not re.fullmatch("[A-F]+", w)
    }  # hex (AA: any address) is no word


def test_a_reading_reply_names_its_value_in_chinese(chinese):
    reply = d.ReadReply("123456789012", 0x00010000, bytes.fromhex("56 34 12 00"))
    assert (
        reply.describe(chinese)
        == "DL/T 645-2007 应答 123456789012：读 00010000 正向有功总电能 = 1234.56 kWh"
    )
    assert (
        rtu.ExceptionResponse(1, 3, 2)
        .describe(chinese)
        .startswith("从站 1 拒绝 FC03：非法数据地址")
    )
