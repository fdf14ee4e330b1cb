"""DL/T 645-2007/1997 codec: every worked frame of PROTOCOLS.md §2.7 and §3 (hex in →
dataclass out → identical bytes), values, strict BCD, stream habits, PyPI dlt645 cross-check."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.comm.protocols import dlt645 as d
from app.comm.protocols.common import Garbage, ProtocolError
from app.comm.types import Action

try:  # PyPI dlt645 3.2.0, an independent codec used only as a cross-check (PROTOCOLS.md §4.1)
    from dlt645.protocol.protocol import DLT645Protocol
except ImportError:
    DLT645Protocol = None
needs_pypi_dlt645 = pytest.mark.skipif(
    DLT645Protocol is None, reason="PyPI dlt645 (test-only) not installed"
)

H = bytes.fromhex
V97 = d.Version.V1997
ADDR = "123456789012"
DEADLINE = datetime(2025, 12, 31, 12, 0, 0)

WORKED = [
    # §2.7
    (
        "FE FE FE FE 68 12 90 78 56 34 12 68 11 04 33 33 34 33 68 16",
        d.ReadRequest(ADDR, 0x00010000),
    ),
    (
        "68 12 90 78 56 34 12 68 91 08 33 33 34 33 89 67 45 33 54 16",
        d.ReadReply(ADDR, 0x00010000, H("56 34 12 00")),
    ),
    (
        "FE FE FE FE 68 12 90 78 56 34 12 68 11 04 33 34 34 35 6B 16",
        d.ReadRequest(ADDR, 0x02010100),
    ),
    ("FE FE FE FE 68 AA AA AA AA AA AA 68 13 00 DF 16", d.ReadAddressRequest()),
    (
        "FE FE FE FE 68 99 99 99 99 99 99 68 08 06 78 63 45 34 36 58 56 16",
        d.BroadcastTime(datetime(2025, 3, 1, 12, 30, 45)),
    ),
    (
        "FE FE FE FE 68 12 90 78 56 34 12 68 1C 10 35 33 33 33 33 33 33 33 4D 33 33 33 45 64 45 "
        "58 78 16",
        d.RelayControl(ADDR, 0x1A, DEADLINE),
    ),
    (
        "FE FE FE FE 68 12 90 78 56 34 12 68 1C 10 35 33 33 33 33 33 33 33 6D 33 33 33 45 64 45 "
        "58 98 16",
        d.RelayControl(ADDR, 0x3A, DEADLINE),
    ),
    ("68 12 90 78 56 34 12 68 9C 00 22 16", d.Ack(ADDR, 0x1C)),
    ("68 12 90 78 56 34 12 68 DC 01 37 9A 16", d.ErrorReply(ADDR, 0x1C, 0x04)),
    ("68 12 90 78 56 34 12 68 D1 01 35 8D 16", d.ErrorReply(ADDR, 0x11, 0x02)),
    (
        "68 60 64 02 09 22 04 68 91 0A 33 32 34 35 47 56 33 33 33 33 97 16",
        d.ReadReply("042209026460", 0x0201FF00, H("14 23 00 00 00 00")),
    ),
    # §3 (1997)
    ("FE FE FE FE 68 12 90 78 56 34 12 68 01 02 43 C3 8F 16", d.ReadRequest(ADDR, 0x9010, V97)),
    (
        "68 12 90 78 56 34 12 68 81 06 43 C3 89 67 45 33 7B 16",
        d.ReadReply(ADDR, 0x9010, H("56 34 12 00"), V97),
    ),
    (
        "68 54 07 13 00 80 13 68 01 02 43 C3 DA 16",
        d.ReadRequest("138000130754", 0x9010, V97, preamble=0),
    ),
    (
        "68 54 07 13 00 80 13 68 81 06 43 C3 34 33 33 33 2B 16",
        d.ReadReply("138000130754", 0x9010, H("01 00 00 00"), V97),
    ),
]


@pytest.mark.parametrize(("frame", "message"), WORKED, ids=[m.describe()[:60] for _, m in WORKED])
def test_worked_frame_decodes_and_encodes_back(frame, message):
    raw = H(frame)
    assert d.decode(raw) == (len(raw), message)
    assert message.encode() == raw


@pytest.mark.parametrize(
    ("frame", "meaning"),
    [
        (
            WORKED[1][0],
            "DL/T 645-2007 reply from 123456789012: read 00010000 forward active total energy = "
            "1234.56 kWh",
        ),
        (WORKED[10][0], "voltage block A/B/C = 231.4 V, 0.0 V, 0.0 V"),
        (
            WORKED[12][0],
            "DL/T 645-1997 reply from 123456789012: read 9010 forward active total energy = "
            "1234.56 kWh",
        ),
        (WORKED[14][0], "= 0.01 kWh"),
        (WORKED[8][0], "ERR=04 wrong password or not authorised"),
        (WORKED[9][0], "ERR=02 no requested data"),
        (WORKED[5][0], "relay control 1A trip (跳闸)"),
    ],
)
def test_worked_frames_are_explained_in_words(frame, meaning):
    assert meaning in d.decode(H(frame))[1].describe()


def test_builders_give_the_worked_frames():
    assert d.read_request(ADDR, 0x00010000) == H(WORKED[0][0])
    assert d.read_request(ADDR, 0x9010, V97) == H(WORKED[11][0])
    assert d.read_address_request() == H(WORKED[3][0])
    assert d.broadcast_time(datetime(2025, 3, 1, 12, 30, 45)) == H(WORKED[4][0])
    assert d.relay_control(ADDR, Action.TRIP, DEADLINE) == H(WORKED[5][0])
    assert d.relay_control(ADDR, Action.FORCED_ON, DEADLINE) == H(WORKED[6][0])
    assert d.read_reply(ADDR, 0x00010000, [Decimal("1234.56")]) == H(WORKED[1][0])


def test_address_is_bcd_lowest_digits_first():
    assert d.encode_address("123456789012") == H("12 90 78 56 34 12")
    assert d.decode_address(H("12 90 78 56 34 12")) == "123456789012"
    assert d.encode_address(d.WILDCARD) == H("AA AA AA AA AA AA")
    with pytest.raises(ProtocolError):
        d.encode_address("12345678901")
    with pytest.raises(ProtocolError):
        d.decode_address(H("1A 90 78 56 34 12"))


def test_control_byte_bits():
    frame = d.parse_frame(d.ReadReply(ADDR, 0x00010000, H("00 00 00 00"), more=True).encode())
    assert (frame.is_reply, frame.is_abnormal, frame.has_follow_up, frame.function) == (
        True,
        False,
        True,
        0x11,
    )
    assert frame.control == 0xB1
    err = d.parse_frame(H(WORKED[8][0]))
    assert (err.is_reply, err.is_abnormal, err.function) == (True, True, 0x1C)


# ------------------------------------------------------------ relay control


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (Action.TRIP, 0x1A),
        (Action.FORCED_OFF, 0x1A),
        (Action.CLOSE, 0x1B),
        (Action.FORCED_ON, 0x3A),
        (Action.RESTORE_PREPAID, 0x3B),
    ],
)
def test_action_maps_to_relay_code(action, code):
    assert d.relay_code(action) == code


def test_direct_close_and_water_actions():
    assert d.relay_code(Action.CLOSE, direct_close=True) == 0x1C
    with pytest.raises(ProtocolError, match="not a DL/T 645 relay command"):
        d.relay_code(Action.VALVE_OPEN)


def test_relay_password_and_operator_go_low_byte_first():
    raw = d.relay_control(
        ADDR, Action.TRIP, DEADLINE, password="123456", level=0x04, operator="89ABCDEF"
    )
    frame = d.parse_frame(raw)
    assert frame.data[:8] == H("04 56 34 12 EF CD AB 89")
    message = d.interpret(frame)
    assert (message.password, message.operator, message.level) == ("123456", "89ABCDEF", 0x04)


# ------------------------------------------------------------ values


def test_invalid_bcd_is_an_error_not_a_number():
    reply = d.ReadReply(ADDR, 0x00010000, H("1A 00 00 00"))  # PyPI dlt645 silently reads 1.1
    with pytest.raises(ProtocolError, match="invalid BCD byte 1A"):
        reply.values()
    assert "invalid value" in reply.describe()


def test_forward_energy_is_unsigned_but_current_and_pf_are_signed():
    big = d.ReadReply(ADDR, 0x00010000, H("00 00 00 85"))
    assert big.values() == [Decimal("850000.00")]  # not negative (§4.1 weakness of PyPI dlt645)
    current = d.ReadReply(ADDR, 0x02020100, H("00 25 80"))
    assert current.values() == [Decimal("-2.500")]
    pf = d.ReadReply(ADDR, 0x02060000, H("50 89"))
    assert pf.values() == [Decimal("-0.950")]
    power = d.ReadReply(ADDR, 0x02030000, H("34 12 00"))
    assert power.values() == [Decimal("0.1234")]


def test_size_must_match_the_data_item():
    with pytest.raises(ProtocolError, match="expected 2 bytes, got 3"):
        d.ReadReply(ADDR, 0x02010100, H("00 22 00")).values()


def test_status_word_3_gives_relay_and_protection():
    closed_protected = d.read_reply(ADDR, 0x04000503, [1 << 12])
    open_tripped = d.read_reply(ADDR, 0x04000503, [(1 << 4) | (1 << 6)])
    fields = d.reading_fields([d.decode(closed_protected)[1]])
    assert fields == {"relay_closed": True, "forced_mode": "forced_on"}
    reply = d.decode(open_tripped)[1]
    assert d.reading_fields([reply]) == {"relay_closed": False, "forced_mode": None}
    assert "relay open (断), last relay command trip" in reply.describe()


def test_reading_fields_from_blocks_and_single_items():
    block = d.decode(d.read_reply(ADDR, 0x0001FF00, ["1234.56", "1", "2", "3", "4.01"]))[1]
    assert d.reading_fields([block]) == {"total": 123456, "tariffs": (100, 200, 300, 401)}
    singles = [d.decode(d.read_reply(ADDR, 0x00010100 + 0x100 * i, [i]))[1] for i in range(4)] + [
        d.decode(d.read_reply(ADDR, 0x02010100, ["229.9"]))[1],
        d.decode(d.read_reply(ADDR, 0x02800002, ["50.01"]))[1],
        d.decode(d.read_reply(ADDR, 0x00900200, ["12.50"]))[1],
        d.decode(d.read_reply(ADDR, 0x0202FF00, ["-1.5", "0", "0"]))[1],
    ]
    assert d.reading_fields(singles) == {
        "tariffs": (0, 100, 200, 300),
        "voltage_v": 229.9,
        "frequency_hz": 50.01,
        "remaining_money": 1250,
        "current_a": -1.5,
    }
    old = d.decode(d.read_reply(ADDR, 0x901F, ["1", "0.5", "0.5", "0", "0"], V97))[1]
    assert d.reading_fields([old]) == {"total": 100, "tariffs": (50, 50, 0, 0)}


def test_date_time_and_digits():
    assert d.decode(d.read_reply(ADDR, 0x04000101, [date(2025, 3, 2)]))[1].values() == [
        "2025-03-02 weekday 0"
    ]
    assert d.decode(d.read_reply(ADDR, 0x04000102, ["123045"]))[1].values() == ["12:30:45"]
    assert d.decode(d.read_reply(ADDR, 0x04000401, ["123456789012"]))[1].values() == [
        "123456789012"
    ]


NUMERIC = [
    item for table in d.DATA_ITEMS.values() for item in table.values() if item.kind == "number"
]


@pytest.mark.parametrize("item", NUMERIC, ids=[f"{i.di:X}" for i in NUMERIC])
@settings(deadline=None, max_examples=25)
@given(data=st.data())
def test_every_numeric_item_round_trips(item, data):
    limit = 10 ** (2 * item.size - (1 if item.signed else 0)) - 1
    if item.signed:
        limit = int("7" + "9" * (2 * item.size - 1))
    raw = data.draw(st.integers(-limit if item.signed else 0, limit))
    value = Decimal(raw).scaleb(-item.decimals)
    count = item.count or 5
    payload = d.encode_values(item, [value] * count)
    assert d.decode_values(item, payload) == [value] * count


@settings(deadline=None)  # first runs pay for imports; speed is not under test
@given(
    address=st.text("0123456789", min_size=12, max_size=12),
    control=st.integers(0, 255),
    data=st.binary(max_size=60),
    preamble=st.integers(0, 4),
)
def test_any_frame_round_trips_through_the_stream_decoder(address, control, data, preamble):
    frame = d.Frame(address, control, data, preamble)
    raw = frame.encode()
    assert d.check_frame(raw).length == len(raw)
    assert d.parse_frame(raw) == frame


# ------------------------------------------------------------ follow-up frames


def test_follow_up_read_round_trip():
    first = d.ReadReply(ADDR, 0x0001FF00, H("00 00 00 00"), more=True)
    assert d.parse_frame(first.encode()).control == 0xB1
    ask = d.ReadFollowUpRequest(ADDR, 0x0001FF00, seq=1)
    raw = ask.encode()
    assert d.parse_frame(raw).data == H("00 FF 01 00 01")
    assert d.decode(raw)[1] == ask
    last = d.ReadReply(ADDR, 0x0001FF00, H("00 00 00 00"), follow_up_read=True, seq=1)
    frame = d.parse_frame(last.encode())
    assert frame.control == 0x92 and frame.data[-1] == 1
    assert d.decode(last.encode())[1] == last
    more = d.ReadReply(ADDR, 0x0001FF00, H("00 00 00 00"), more=True, follow_up_read=True, seq=2)
    assert d.parse_frame(more.encode()).control == 0xB2
    old = d.ReadReply(ADDR, 0x901F, H("00 00 00 00"), V97, more=True)
    assert d.parse_frame(old.encode()).control == 0xA1
    assert "more frames follow" in old.describe()


# ------------------------------------------------------------ stream habits

REPLY = H(WORKED[1][0])


def test_noise_around_a_frame():
    buf = H("00 17 68 FF") + H("FE FE") + REPLY + H("33")
    used, item = d.decode(buf)
    assert isinstance(item, Garbage) and item.data == H("00 17 68 FF")
    used2, message = d.decode(buf[used:])
    assert message == d.ReadReply(ADDR, 0x00010000, H("56 34 12 00"), preamble=2)
    assert d.decode(buf[used + used2 :]) == (1, Garbage(H("33"), "expected frame start 68, got 33"))


def test_bad_checksum_is_explained():
    broken = REPLY[:-2] + H("55 16")
    _, item = d.decode(broken)
    assert isinstance(item, Garbage)
    assert item.reason == "bad checksum: expected 54 got 55"


def test_split_read_needs_more_bytes_until_the_end_byte():
    raw = H(WORKED[5][0])
    for cut in range(len(raw)):
        assert d.decode(raw[:cut]) == (0, None), cut
    assert d.decode(raw)[0] == len(raw)


def test_too_many_wake_up_bytes_are_skipped():
    _, item = d.decode(H("FE") + H(WORKED[0][0]))
    assert isinstance(item, Garbage) and item.data == H("FE")


def test_another_meters_reply_is_decoded_with_its_address():
    other = H(WORKED[10][0])
    message = d.decode(other)[1]
    assert message.address == "042209026460" != ADDR  # the caller drops it


def test_non_bcd_address_is_garbage():
    raw = bytearray(H(WORKED[7][0]))
    raw[1] = 0x1A
    raw[-2] = sum(raw[:-2]) & 0xFF
    _, item = d.decode(bytes(raw))
    assert isinstance(item, Garbage) and "address byte 1A is not BCD" in item.reason


def test_data_that_does_not_fit_the_function_is_garbage():
    raw = d.Frame(ADDR, 0x91, H("00 00"), 0).encode()
    _, item = d.decode(raw)
    assert isinstance(item, Garbage) and "DI alone needs 4" in item.reason


def test_error_bits_in_words():
    assert (
        d.explain_error(0x06)
        == "no requested data (the meter does not have this data identifier); wrong password or "
        "not authorised"
    )
    assert d.explain_error(0x02, V97) == "wrong data identifier"


# ------------------------------------------------------------ PyPI dlt645 as reference


@needs_pypi_dlt645
@settings(deadline=None)  # first runs pay for imports; speed is not under test
@given(
    address=st.text("0123456789", min_size=12, max_size=12),
    control=st.integers(0, 255),
    data=st.binary(max_size=64),
    preamble=st.integers(0, 4),
)
def test_frames_match_pypi_dlt645(address, control, data, preamble):
    reference = DLT645Protocol.build_frame(d.encode_address(address), control, data, preamble)
    assert d.Frame(address, control, data, preamble).encode() == bytes(reference)


@needs_pypi_dlt645
def test_worked_frames_match_pypi_dlt645():
    for frame, message in WORKED:
        f = message.frame()
        built = DLT645Protocol.build_frame(
            d.encode_address(f.address), f.control, f.data, f.preamble
        )
        assert bytes(built) == H(frame)


def test_reverse_energy_and_cover_open_count_read_into_the_reading():
    """00020000 reverse active total 12.34 kWh; 03300D00 cover opened 7 times (开表盖总次数)."""
    reverse = bytes.fromhex("68 12 90 78 56 34 12 68 91 08 33 33 35 33 67 45 33 33 FF 16")
    cover = bytes.fromhex("68 12 90 78 56 34 12 68 91 07 33 40 63 36 3A 33 33 CA 16")
    replies = []
    for frame in (reverse, cover):
        used, message = d.decode(frame)
        assert used == len(frame) and isinstance(message, d.ReadReply)
        replies.append(message)
    assert d.reading_fields(replies) == {"reverse_total": 1234, "cover_opens": 7}
