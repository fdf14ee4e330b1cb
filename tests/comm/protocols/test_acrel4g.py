"""Acrel 4G framing (PROTOCOLS.md §1.6): worked frames, both sides, stream habits."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.comm.profiles import load_profile
from app.comm.protocols import acrel4g as g
from app.comm.protocols import modbus_rtu as rtu
from app.comm.protocols.common import Garbage, ProtocolError
from tests.comm.builders import a_mapb_response

H = bytes.fromhex
TRIP_DOWNLINK = H("7B 7B 90 01 10 00 57 00 02 04 00 01 00 01 27 75 38 7A 7D 7D")


def test_register_ack_is_the_verified_frame():
    assert g.register_ack() == H("7B 7B 84 BF 23 7D 7D")
    assert g.decode(H("7B 7B 84 BF 23 7D 7D")) == (7, g.Ack(g.REGISTER))


def test_verified_downlink_example():
    assert g.downlink(rtu.write_request(1, 0x0057, [1, 1])) == TRIP_DOWNLINK
    used, message = g.decode(TRIP_DOWNLINK)
    assert used == len(TRIP_DOWNLINK)
    assert message == g.Downlink(H("01 10 00 57 00 02 04 00 01 00 01 27 75"))
    assert message.request() == rtu.WriteRequest(1, 0x57, (1, 1))
    assert "write 2 register(s) from 0x0057 = [0001 0001]" in message.describe()


def test_downlink_refuses_what_is_not_an_rtu_request():
    with pytest.raises(ProtocolError, match="bad CRC"):
        g.downlink(H("01 10 00 57 00 02 04 00 01 00 01 27 76"))


def test_register_from_the_meter_round_trips():
    message = g.Register("A1234567890", "89860412345678901234", 27, ("0102", "0200", "1905"), 15)
    raw = message.encode()
    assert len(raw) == 2 + 1 + 58 + 2 + 2
    assert raw[3:23] == b"A1234567890".ljust(20, b"\0")
    assert g.decode(raw) == (len(raw), message)
    assert "reports every 15 min" in message.describe()


def test_register_with_wrong_size_is_garbage_with_reason():
    raw = g.encode_frame(g.REGISTER, b"short")
    used, item = g.decode(raw)
    assert used == len(raw) and isinstance(item, Garbage)
    assert item.reason == "register payload of 5 bytes, expected 58"


def test_heartbeat_and_time_sync():
    assert g.decode(g.Heartbeat().encode())[1] == g.Heartbeat(b"")
    request = g.TimeSyncRequest("A1234567890")
    assert g.decode(request.encode())[1] == request
    answer = g.time_sync(datetime(2025, 3, 2, 8, 5, 9))  # a Sunday
    assert answer[3:10] == bytes([25, 3, 2, 0, 8, 5, 9])
    assert g.decode(answer)[1] == g.TimeSync(datetime(2025, 3, 2, 8, 5, 9))


def test_upload_carries_the_map_b_block_and_becomes_a_reading():
    block = a_mapb_response()
    raw = g.data_upload([("1", block)], serial="A1234567890")
    used, upload = g.decode(raw)
    assert used == len(raw)
    assert upload.serial == "A1234567890"
    (section,) = upload.sections
    assert section.meter_address == "1" and section.rtu == block
    reading = g.upload_reading(
        section,
        load_profile("acrel_ddsy1352_mapb"),
        channel_id=7,
        read_at=datetime(2025, 3, 1, tzinfo=UTC),
    )
    assert (reading.total, reading.relay_closed, reading.source, reading.address) == (
        123456,
        True,
        "upload",
        "1",
    )
    assert g.upload_ack() == g.Ack(g.DATA_UPLOAD).encode()


def test_upload_without_serial_and_several_sections():
    first = rtu.read_response(1, [0x2929] * 4)  # register data containing `))`
    second = rtu.read_response(2, [7])
    upload = g.decode(g.data_upload([("001", first), ("002", second)]))[1]
    assert [s.meter_address for s in upload.sections] == ["001", "002"]
    assert upload.sections[0].response().registers == (0x2929,) * 4


def test_eight_tariff_upload_uses_the_first_48_registers():
    registers = list(rtu.decode_response(a_mapb_response())[1].registers) + [0] * 24
    section = g.UploadSection("1", rtu.read_response(1, registers))
    reading = g.upload_reading(
        section,
        load_profile("acrel_dtsy1352_mapb"),
        channel_id=1,
        read_at=datetime(2025, 3, 1, tzinfo=UTC),
    )
    assert reading.total == 123456


def test_upload_with_broken_rtu_is_garbage():
    block = bytearray(a_mapb_response())
    block[-1] ^= 0xFF
    raw = g.encode_frame(g.DATA_UPLOAD, b"[[1((" + bytes(block) + b"))]]")
    _, item = g.decode(raw)
    assert isinstance(item, Garbage) and "bad CRC" in item.reason


def test_device_answers_a_downlink_with_its_serial_and_the_rtu_response():
    raw = g.downlink_reply(rtu.write_response(1, 0x57, 2), serial="A1234567890")
    message = g.decode(raw)[1]
    assert message.serial == "A1234567890"
    assert message.response() == rtu.WriteResponse(1, 0x57, 2)


# ------------------------------------------------------------ stream habits


def test_garbage_before_and_between_frames():
    buf = H("00 11 7B 22") + TRIP_DOWNLINK + H("7D") + g.register_ack()
    items = []
    while buf:
        used, item = g.decode(buf)
        assert used
        items.append(item)
        buf = buf[used:]
    assert isinstance(items[0], Garbage) and items[0].data == H("00 11 7B 22")
    assert isinstance(items[1], g.Downlink)
    assert isinstance(items[2], Garbage) and items[2].data == H("7D")
    assert items[3] == g.Ack(g.REGISTER)


def test_split_read():
    for cut in range(len(TRIP_DOWNLINK)):
        assert g.decode(TRIP_DOWNLINK[:cut]) == (0, None)


def test_payload_may_contain_the_end_marker():
    raw = g.encode_frame(0x94, H("7D 7D 01"))
    assert g.decode(raw) == (len(raw), g.Heartbeat(H("7D 7D 01")))


def test_bad_crc_waits_for_the_next_frame_then_is_skipped():
    broken = TRIP_DOWNLINK[:-4] + H("00 00 7D 7D")
    assert g.decode(broken) == (0, None)  # 7D 7D could still be payload
    assert g.check_frame(broken, complete=True).reason == "bad CRC: expected 38 7A got 00 00"
    used, item = g.decode(broken + g.register_ack())
    assert isinstance(item, Garbage) and item.reason == "bad CRC: expected 38 7A got 00 00"
    assert g.decode((broken + g.register_ack())[used:])[1] == g.Ack(g.REGISTER)
