"""Transparent DTU registration / heartbeat formats."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.comm.protocols import dlt645
from app.comm.protocols.common import ProtocolError
from app.comm.protocols.dtu import DtuFormat, Heartbeat, MeterData, PacketFormat, Registration

H = bytes.fromhex
RTU_REPLY = H("01 10 00 57 00 02 F0 18")


def test_ascii_registration_with_id():
    fmt = DtuFormat.from_settings({"register": "ascii:REG:{id}", "heartbeat": "hex:FE"})
    assert fmt.classify(b"REG:DTU0042") == Registration("DTU0042")
    assert fmt.classify(b"REG:DTU0042" + RTU_REPLY) == Registration("DTU0042", RTU_REPLY)


def test_ascii_registration_with_suffix_and_escapes():
    fmt = PacketFormat.parse(r"ascii:##{id}##\r\n")
    assert fmt.match(b"##864512030012345##\r\nrest") == (21, "864512030012345")
    assert fmt.build("864512030012345") == b"##864512030012345##\r\n"


@pytest.mark.parametrize(
    ("spec", "packet", "dtu_id"),
    [
        ("hex:AA 55 {id:hex:4}", H("AA 55 00 00 12 34"), "00001234"),
        ("hex:7E {id:bcd:8} 7E", H("7E 08 64 51 20 30 01 23 45 7E"), "0864512030012345"),
        ("hex:{id:11}", b"13800138000", "13800138000"),
        ("ascii:{{{id}}}", b"{abc}", "abc"),
    ],
)
def test_binary_and_fixed_size_ids(spec, packet, dtu_id):
    fmt = PacketFormat.parse(spec)
    assert fmt.match(packet) == (len(packet), dtu_id)
    assert fmt.build(dtu_id) == packet


def test_bcd_id_must_be_bcd():
    with pytest.raises(ProtocolError, match="not BCD"):
        PacketFormat.parse("hex:7E {id:bcd:2}").match(H("7E 1A 00"))


def test_heartbeat_only_when_the_whole_packet_is_heartbeats():
    fmt = DtuFormat.from_settings({"heartbeat": "hex:FE"})
    assert fmt.classify(H("FE")) == Heartbeat(1)
    assert fmt.classify(H("FE FE")) == Heartbeat(2)
    # A DL/T 645 frame starts with FE wake-up bytes: it must stay meter data.
    frame = dlt645.read_request("123456789012", 0x00010000)
    assert fmt.classify(frame) == MeterData(frame)


def test_ascii_heartbeat_and_no_formats():
    fmt = DtuFormat.from_settings({"heartbeat": "ascii:HB"})
    assert fmt.classify(b"HB") == Heartbeat(1)
    assert fmt.classify(RTU_REPLY) == MeterData(RTU_REPLY)
    assert DtuFormat().classify(b"REG:1") == MeterData(b"REG:1")


@pytest.mark.parametrize(
    ("spec", "text"),
    [
        ("REG:{id}", "must start with"),
        ("ascii:{id}{id}", "more than one"),
        ("hex:{id:hex}", "unknown placeholder"),
        ("hex:{id:0}", "needs a size"),
        ("hex:ZZ", "is not hex"),
        ("ascii:", "is empty"),
        (r"ascii:\q", "unknown escape"),
    ],
)
def test_bad_specs_are_explained(spec, text):
    with pytest.raises(ProtocolError, match=text):
        PacketFormat.parse(spec)


def test_build_refuses_ids_that_do_not_fit():
    with pytest.raises(ProtocolError, match="must be 4 bytes"):
        PacketFormat.parse("hex:AA {id:hex:4}").build("1234")
    with pytest.raises(ProtocolError, match="does not fit"):
        PacketFormat.parse("ascii:REG:{id:3}").build("ABCD")


@settings(deadline=None)  # first runs pay for imports; speed is not under test
@given(
    dtu_id=st.text(
        st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=";"),
        min_size=1,
        max_size=64,
    )
)
def test_any_printable_id_round_trips(dtu_id):
    fmt = PacketFormat.parse("ascii:REG:{id};")
    assert fmt.match(fmt.build(dtu_id) + RTU_REPLY) == (len(dtu_id) + 5, dtu_id)
