"""Modbus RTU / TCP codec: worked frames of PROTOCOLS.md §1.5, pymodbus as an independent
reference, and the stream habits (garbage, bad CRC, split reads)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymodbus.framer import FramerRTU, FramerSocket
from pymodbus.pdu import DecodePDU
from pymodbus.pdu import ExceptionResponse as PymodbusException
from pymodbus.pdu.register_message import (
    ReadHoldingRegistersRequest,
    ReadHoldingRegistersResponse,
    WriteMultipleRegistersRequest,
    WriteMultipleRegistersResponse,
)

from app.comm.protocols import modbus_rtu as rtu
from app.comm.protocols.common import Garbage, ProtocolError, crc16, crc16_bytes, next_frame

H = bytes.fromhex

# PROTOCOLS.md §1.5, every frame, with what it means.
WORKED = [
    ("01 03 00 00 00 02 C4 0B", rtu.REQUEST, rtu.ReadRequest(1, 0x0000, 2)),
    ("01 03 02 00 00 30 44 66", rtu.REQUEST, rtu.ReadRequest(1, 0x0200, 0x30)),
    ("01 10 00 57 00 02 04 00 01 00 01 27 75", rtu.REQUEST, rtu.WriteRequest(1, 0x0057, (1, 1))),
    ("01 10 00 57 00 02 04 00 01 00 00 E6 B5", rtu.REQUEST, rtu.WriteRequest(1, 0x0057, (1, 0))),
    ("01 10 00 57 00 02 04 00 00 00 00 B7 75", rtu.REQUEST, rtu.WriteRequest(1, 0x0057, (0, 0))),
    ("01 10 00 57 00 02 F0 18", rtu.RESPONSE, rtu.WriteResponse(1, 0x0057, 2)),
    ("01 03 00 22 00 01 24 00", rtu.REQUEST, rtu.ReadRequest(1, 0x0022, 1)),
    ("01 03 00 46 00 1C A5 D6", rtu.REQUEST, rtu.ReadRequest(1, 0x0046, 0x1C)),
    ("01 03 03 60 00 05 85 93", rtu.REQUEST, rtu.ReadRequest(1, 0x0360, 5)),
]


@pytest.mark.parametrize(("frame", "role", "message"), WORKED)
def test_worked_frame_decodes_and_encodes_back(frame, role, message):
    raw = H(frame)
    assert rtu.decode_rtu(raw, role) == (len(raw), message)
    assert rtu.encode_rtu(message) == raw


def test_crc_is_the_modbus_crc_low_byte_first():
    # PROTOCOLS.md §1.6: CRC of the single byte 84 is sent as BF 23.
    assert crc16_bytes(b"\x84") == H("BF 23")
    assert crc16(b"123456789") == 0x4B37  # CRC-16/MODBUS check value
    assert crc16_bytes(H("01 03 02 00 00 30")) == H("44 66")


def _crc16_bitwise(data: bytes) -> int:
    """The CRC-16/MODBUS as the Modbus spec writes it: shift and xor bit by bit."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def test_table_crc_equals_the_bitwise_crc():
    rnd = random.Random(4)
    frames = [b"", bytes(range(256)), b"\xff" * 300, b"\x00" * 7]
    frames += [rnd.randbytes(rnd.randrange(1, 260)) for _ in range(500)]
    for frame in frames:
        assert crc16(frame) == _crc16_bitwise(frame), frame.hex()
        assert crc16(bytearray(frame)) == crc16(memoryview(frame)) == crc16(frame)


def test_builders_give_the_manual_frames():
    assert rtu.read_request(1, 0x0200, 48) == H("01 03 02 00 00 30 44 66")
    assert rtu.write_request(1, 0x0057, [1, 1]) == H("01 10 00 57 00 02 04 00 01 00 01 27 75")
    assert rtu.write_response(1, 0x0057, 2) == H("01 10 00 57 00 02 F0 18")


def test_read_response_round_trip():
    raw = rtu.read_response(1, [0x0007, 0x08A1])
    assert raw[:7] == H("01 03 04 00 07 08 A1")
    assert rtu.decode_response(raw) == (len(raw), rtu.ReadResponse(1, (7, 0x08A1)))


def test_exception_response_is_explained():
    raw = rtu.exception_response(1, 0x03, 0x02)
    used, message = rtu.decode_response(raw)
    assert used == 5
    assert message == rtu.ExceptionResponse(1, 0x03, 0x02)
    assert "not in this meter's map" in message.explanation
    assert "refuses FC03" in message.describe()


# ------------------------------------------------------------ pymodbus 3.16 as reference


def _pymodbus_rtu(pdu) -> bytes:
    return FramerRTU(DecodePDU(is_server=False)).buildFrame(pdu)


@settings(deadline=None)  # first runs pay for imports; speed is not under test
@given(
    slave=st.integers(1, 247),
    start=st.integers(0, 0xFFFF - 125),
    count=st.integers(1, 125),
)
def test_read_request_matches_pymodbus(slave, start, count):
    reference = _pymodbus_rtu(ReadHoldingRegistersRequest(address=start, count=count, dev_id=slave))
    assert rtu.read_request(slave, start, count) == reference


@settings(deadline=None)  # first runs pay for imports; speed is not under test
@given(
    slave=st.integers(1, 247),
    start=st.integers(0, 0xFFFF - 123),
    values=st.lists(st.integers(0, 0xFFFF), min_size=1, max_size=123),
)
def test_write_request_matches_pymodbus_and_pymodbus_reads_ours(slave, start, values):
    ours = rtu.write_request(slave, start, values)
    assert ours == _pymodbus_rtu(
        WriteMultipleRegistersRequest(address=start, registers=values, dev_id=slave)
    )
    used, pdu = FramerRTU(DecodePDU(is_server=True)).handleFrame(ours, 0, 0)
    assert used == len(ours)
    assert (pdu.dev_id, pdu.address, pdu.registers) == (slave, start, values)
    assert rtu.decode_request(ours) == (len(ours), rtu.WriteRequest(slave, start, tuple(values)))


@settings(deadline=None)  # first runs pay for imports; speed is not under test
@given(
    slave=st.integers(1, 247), registers=st.lists(st.integers(0, 0xFFFF), min_size=1, max_size=125)
)
def test_read_response_matches_pymodbus(slave, registers):
    ours = rtu.read_response(slave, registers)
    assert ours == _pymodbus_rtu(ReadHoldingRegistersResponse(registers=registers, dev_id=slave))
    assert rtu.decode_response(ours) == (len(ours), rtu.ReadResponse(slave, tuple(registers)))


def test_write_response_and_exception_match_pymodbus():
    reference = _pymodbus_rtu(WriteMultipleRegistersResponse(address=0x57, count=2, dev_id=1))
    assert rtu.write_response(1, 0x57, 2) == reference
    refused = PymodbusException(0x10, 0x02, device_id=1)
    assert rtu.exception_response(1, 0x10, 0x02) == _pymodbus_rtu(refused)


@settings(deadline=None)  # first runs pay for imports; speed is not under test
@given(
    tid=st.integers(0, 0xFFFF),
    unit=st.integers(1, 247),
    start=st.integers(0, 0xFFFF - 125),
    count=st.integers(1, 125),
)
def test_tcp_request_matches_pymodbus(tid, unit, start, count):
    message = rtu.ReadRequest(unit, start, count)
    reference = FramerSocket(DecodePDU(is_server=False)).buildFrame(
        ReadHoldingRegistersRequest(address=start, count=count, dev_id=unit, transaction_id=tid)
    )
    ours = rtu.encode_tcp(message, tid)
    assert ours == reference
    assert rtu.decode_tcp(ours, rtu.REQUEST) == (len(ours), rtu.TcpFrame(tid, message))


def test_tcp_response_decodes():
    raw = H("00 05 00 00 00 07 01 03 04 00 01 00 02")
    assert rtu.decode_tcp(raw) == (len(raw), rtu.TcpFrame(5, rtu.ReadResponse(1, (1, 2))))


def test_tcp_with_wrong_protocol_id_is_garbage():
    _, item = rtu.decode_tcp(H("00 05 00 01 00 07 01 03 04 00 01 00 02"))
    assert isinstance(item, Garbage)
    assert "protocol id" in item.reason


# ------------------------------------------------------------ stream habits

REPLY = H("01 10 00 57 00 02 F0 18")


def test_garbage_before_a_frame_is_reported_then_the_frame():
    buf = H("FF 00 99") + REPLY
    used, item = rtu.decode_response(buf)
    assert isinstance(item, Garbage) and item.data == H("FF 00 99")
    used2, message = rtu.decode_response(buf[used:])
    assert message == rtu.WriteResponse(1, 0x57, 2) and used2 == len(REPLY)


def test_bad_crc_is_skipped_and_explained():
    broken = REPLY[:-1] + b"\x00"
    used, item = rtu.decode_response(broken + REPLY)
    assert isinstance(item, Garbage)
    assert "bad CRC: expected F0 18 got F0 00" in item.reason
    rest = (broken + REPLY)[used:]
    while True:
        used, item = rtu.decode_response(rest)
        if not isinstance(item, Garbage):
            break
        rest = rest[used:]
    assert item == rtu.WriteResponse(1, 0x57, 2)


def test_split_read_needs_more_until_complete():
    frame = rtu.read_response(1, list(range(48)))
    for cut in range(len(frame)):
        assert rtu.decode_response(frame[:cut]) == (0, None)
    assert rtu.decode_response(frame)[0] == len(frame)


def test_two_frames_back_to_back():
    buf = REPLY + rtu.read_response(2, [5])
    used, first = rtu.decode_response(buf)
    used2, second = rtu.decode_response(buf[used:])
    assert first.slave == 1 and second == rtu.ReadResponse(2, (5,))
    assert used + used2 == len(buf)


def test_garbage_only_is_dropped_whole():
    assert rtu.decode_response(H("FF FE FD")) == (
        3,
        Garbage(H("FF FE FD"), "slave address 255 is out of range"),
    )


def test_unknown_function_code_is_garbage():
    _, item = rtu.decode_response(H("01 2B 0E 01 00 70 77"))
    assert isinstance(item, Garbage) and "function code 0x2B" in item.reason


def test_broadcast_write_request_is_accepted_but_not_a_response():
    raw = rtu.write_request(0, 0x57, [1, 1])
    assert rtu.decode_request(raw)[1] == rtu.WriteRequest(0, 0x57, (1, 1))
    assert isinstance(rtu.decode_response(raw)[1], Garbage)


@pytest.mark.parametrize(
    ("build", "text"),
    [
        (lambda: rtu.read_request(1, 0, 126), "1..125"),
        (lambda: rtu.write_request(1, 0, []), "1..123"),
        (lambda: rtu.write_request(1, 0, [70000]), "0..65535"),
        (lambda: rtu.read_request(248, 0, 1), "0..247"),
        (lambda: rtu.read_request(1, 0xFFFF, 2), "past 0xFFFF"),
    ],
)
def test_builders_refuse_impossible_requests(build, text):
    with pytest.raises(ValueError, match=text):
        build()


def _general_decode(buf: bytes, role):
    """decode_rtu without its fast path for clean reads: the hunting loop alone."""
    used, item = next_frame(buf, lambda b, i: rtu.check_rtu(b, i, role))
    if isinstance(item, bytes):
        return used, rtu.parse_pdu(item[0], item[1:-2], role)
    return used, item


def test_the_clean_read_fast_path_decodes_like_the_hunting_loop():
    rnd = random.Random(45)
    frames = []
    for _ in range(300):
        slave = rnd.choice((0, 1, 5, 247, 248, rnd.randrange(256)))
        fc = rnd.choice((3, 4, 0x10, 0x83))
        regs = [rnd.randrange(0x10000) for _ in range(rnd.randrange(1, 126))]
        try:
            frames.append(rtu.encode_rtu(rtu.ReadResponse(slave, tuple(regs), fc)))
        except ProtocolError:
            pass
        try:
            frames.append(
                rtu.encode_rtu(
                    rtu.ReadRequest(slave, rnd.randrange(0x10000 - 130), rnd.randrange(1, 126), fc)
                )
            )
        except ProtocolError:
            pass
    assert len(frames) > 200
    for frame in frames:
        variants = [
            frame,
            frame[:-1],
            frame[:7],
            frame + rnd.randbytes(5),
            rnd.randbytes(3) + frame,
        ]
        damaged = bytearray(frame)
        damaged[rnd.randrange(len(frame))] ^= 1 << rnd.randrange(8)
        variants.append(bytes(damaged))
        swapped = bytearray(frame)
        swapped[2] = rnd.randrange(256)  # a byte count or start that no longer fits
        variants.append(bytes(swapped))
        for buf in variants:
            for role in (rtu.REQUEST, rtu.RESPONSE):
                assert rtu.decode_rtu(buf, role) == _general_decode(buf, role), (buf.hex(), role)
