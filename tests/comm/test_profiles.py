"""Meter profiles: the Acrel maps as data, read in both directions (poller and simulator)."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.comm.profiles import PROFILE_DIR, load_profile, load_profile_data, profile_names
from app.comm.protocols import modbus_rtu as rtu
from app.comm.protocols.common import ProtocolError
from app.comm.types import Action, MeterKind
from tests.comm.builders import a_mapb_response, a_prepaid_response

H = bytes.fromhex
MAPB = "acrel_ddsy1352_mapb"


def test_every_profile_loads_and_the_default_is_map_b():
    names = profile_names()
    assert names == ["acrel_ddsy1352_mapa", "acrel_ddsy1352_mapb", "acrel_dtsy1352_mapb"]
    for name in names:
        profile = load_profile(name)
        assert profile.kind is MeterKind.ELECTRIC
    assert load_profile() is load_profile(MAPB)  # cached


def test_default_profile_polls_with_the_vendor_tool_frames():
    # PROTOCOLS.md §1.5: read 48-reg block (Map B), read prepaid params.
    assert load_profile(MAPB).poll_requests(1) == [
        H("01 03 02 00 00 30 44 66"),
        H("01 03 00 46 00 1C A5 D6"),
    ]


@pytest.mark.parametrize(
    ("action", "frame"),
    [
        (Action.TRIP, "01 10 00 57 00 02 04 00 01 00 01 27 75"),
        (Action.FORCED_OFF, "01 10 00 57 00 02 04 00 01 00 01 27 75"),
        (Action.FORCED_ON, "01 10 00 57 00 02 04 00 01 00 00 E6 B5"),
        (Action.RESTORE_PREPAID, "01 10 00 57 00 02 04 00 00 00 00 B7 75"),
        (Action.CLOSE, "01 10 00 57 00 02 04 00 00 00 00 B7 75"),  # close = restore prepaid
    ],
)
@pytest.mark.parametrize(
    "name", ["acrel_ddsy1352_mapa", "acrel_ddsy1352_mapb", "acrel_dtsy1352_mapb"]
)
def test_commands_are_the_worked_frames_on_every_firmware(name, action, frame):
    assert load_profile(name).command_request(1, action) == H(frame)


def test_water_actions_are_refused_for_an_electricity_meter():
    with pytest.raises(ProtocolError, match="no command for valve_open"):
        load_profile(MAPB).command_request(1, Action.VALVE_OPEN)


def test_map_b_block_decodes_by_the_documented_byte_offsets():
    profile = load_profile(MAPB)
    values = profile.decode_poll([a_mapb_response(), a_prepaid_response((1, 0))])
    assert values["meter_type"] == 7 and profile.matches(values)
    assert values["energy_total"] == Decimal("1234.56")
    assert (values["clock_year"], values["clock_weekday"], values["clock_second"]) == (25, 6, 45)
    reading = profile.build_reading(
        values, channel_id=3, address="1", read_at=datetime(2025, 3, 1, tzinfo=UTC)
    )
    assert reading.total == 123456  # 0.01 kWh
    assert reading.tariffs == (100, 200, 300, 401)
    assert reading.voltage_v == pytest.approx(220.1)
    assert reading.current_a == pytest.approx(5.12)
    assert reading.power_kw == pytest.approx(-1.126)
    assert reading.power_factor == pytest.approx(0.98)
    assert reading.relay_closed is True
    assert reading.forced_mode == "forced_on"
    assert reading.remaining_money == 1250
    assert reading.frequency_hz is None  # Map B has no frequency (PROTOCOLS.md §1.3 notes)


def test_three_phase_uses_the_totals_and_is_told_apart_by_meter_type():
    profile = load_profile("acrel_dtsy1352_mapb")
    assert (
        profile.targets["power_kw"] == "p_total" and profile.targets["power_factor"] == "pf_total"
    )
    values = profile.decode_poll([a_mapb_response(), None])
    assert not profile.matches(values)  # meter type 7 is a DDSY, not a DTSY (5)


def test_ddsy_and_dtsy_share_the_block_instead_of_copying_it():
    for stem in ("acrel_ddsy1352_mapb", "acrel_dtsy1352_mapb"):
        with (PROFILE_DIR / f"{stem}.toml").open("rb") as fh:
            own = tomllib.load(fh)
        assert "fields" not in own and "blocks" not in own
        assert own["profile"]["extends"] == "_acrel_mapb"
    assert load_profile("acrel_ddsy1352_mapb").fields == load_profile("acrel_dtsy1352_mapb").fields


def test_every_register_cites_its_source():
    for name in profile_names():
        for field in load_profile(name).fields.values():
            assert "PROTOCOLS.md §1." in field.source, field.name


def test_missing_optional_block_only_loses_forced_mode():
    profile = load_profile(MAPB)
    refused = rtu.ExceptionResponse(1, 3, 2)
    values = profile.decode_poll([a_mapb_response(), refused])
    fields = profile.reading_fields(values)
    assert "forced_mode" not in fields and fields["total"] == 123456


def test_missing_main_block_is_an_error():
    with pytest.raises(ProtocolError, match="block main at 0x0200: slave 1 refuses FC03"):
        load_profile(MAPB).decode_poll([rtu.ExceptionResponse(1, 3, 2), None])


def test_wrong_register_count_is_an_error():
    with pytest.raises(ProtocolError, match="expected 48 registers, got 2"):
        load_profile(MAPB).decode_poll([rtu.read_response(1, [1, 2]), None])


# ------------------------------------------------------------ verification


def _image(profile, *responses):
    return profile.register_image(profile.poll_blocks, list(responses))


def test_trip_is_verified_by_forced_words_and_relay_bit():
    profile = load_profile(MAPB)
    assert [b.name for b in profile.verify_blocks(Action.TRIP)] == ["main", "prepaid"]
    assert profile.verify_requests(1, Action.TRIP) == profile.poll_requests(1)
    tripped = _image(profile, a_mapb_response(byte72=0), a_prepaid_response((1, 1)))
    assert profile.verify(Action.TRIP, tripped)
    still_closed = _image(profile, a_mapb_response(), a_prepaid_response((1, 1)))
    assert profile.verify_problems(Action.TRIP, still_closed) == [
        "relay is closed (合闸), expected open (分闸)"
    ]


def test_restore_prepaid_only_checks_the_written_words():
    profile = load_profile(MAPB)
    assert [b.name for b in profile.verify_blocks(Action.RESTORE_PREPAID)] == ["prepaid"]
    image = _image(profile, a_mapb_response(byte72=0), a_prepaid_response((0, 0)))
    assert profile.verify(Action.RESTORE_PREPAID, image)
    forced = _image(profile, a_mapb_response(), a_prepaid_response((1, 0)))
    assert profile.verify_problems(Action.RESTORE_PREPAID, forced) == [
        "register 0x0057 reads 1, expected 0"
    ]


def test_close_with_arrears_says_why_the_relay_stays_open():
    profile = load_profile(MAPB)
    image = _image(
        profile, a_mapb_response(byte72=0, byte73=0b0010_0000), a_prepaid_response((0, 0))
    )
    problems = profile.verify_problems(Action.CLOSE, image)
    assert problems[0] == "relay is open (分闸), expected closed (合闸)"
    assert "arrears (欠费)" in problems[1]


def test_map_a_has_no_relay_bit_so_only_the_written_words_are_checked():
    profile = load_profile("acrel_ddsy1352_mapa")
    assert [b.name for b in profile.verify_blocks(Action.TRIP)] == ["prepaid"]
    image = profile.register_image([profile.blocks["prepaid"]], [a_prepaid_response((1, 1))])
    assert profile.verify(Action.TRIP, image)


def test_unread_registers_fail_verification():
    assert load_profile(MAPB).verify_problems(Action.FORCED_ON, {}) == [
        "register 0x0057 was not read back",
        "register 0x0058 was not read back",
        "relay_closed was not read back",
    ]


# ------------------------------------------------------------ simulator direction


def test_simulator_block_encodes_the_same_bytes_as_the_documented_layout():
    profile = load_profile(MAPB)
    registers = profile.encode_block(
        "main",
        {
            "meter_type": 7,
            "ua": Decimal("220.1"),
            "ia": Decimal("5.12"),
            "pa": Decimal("-1.126"),
            "pfa": Decimal("0.98"),
            "energy_total": Decimal("1234.56"),
            "energy_spike": 1,
            "energy_peak": 2,
            "energy_flat": 3,
            "energy_valley": Decimal("4.01"),
            "remaining_money": Decimal("12.50"),
            "relay_l1_closed": True,
            "clock_year": 25,
            "clock_month": 3,
            "clock_day": 1,
            "clock_weekday": 6,
            "clock_hour": 12,
            "clock_minute": 30,
            "clock_second": 45,
        },
    )
    assert rtu.read_response(1, registers) == a_mapb_response()


def test_simulator_maps_a_write_back_to_actions():
    profile = load_profile(MAPB)
    assert set(profile.actions_for_write(0x57, [1, 1])) == {Action.TRIP, Action.FORCED_OFF}
    assert set(profile.actions_for_write(0x57, [0, 0])) == {Action.CLOSE, Action.RESTORE_PREPAID}
    assert profile.actions_for_write(0x58, [0]) == ()


def test_encoding_refuses_values_the_register_cannot_hold():
    profile = load_profile(MAPB)
    with pytest.raises(ProtocolError, match="not a multiple of 0.01"):
        profile.encode_block("main", {"energy_total": Decimal("1.001")})
    with pytest.raises(ProtocolError, match="does not fit a s16"):
        profile.encode_block("main", {"pa": 40})
    with pytest.raises(ProtocolError, match="no field"):
        profile.encode_block("main", {"frequency": 50})


@settings(deadline=None)  # first runs pay for imports; speed is not under test
@given(
    total=st.integers(0, 0xFFFF_FFFF),
    power=st.integers(-0x8000, 0x7FFF),
    closed=st.booleans(),
    arrears=st.booleans(),
)
def test_values_round_trip_through_registers(total, power, closed, arrears):
    profile = load_profile("acrel_dtsy1352_mapb")
    values = {
        "energy_total": Decimal(total) / 100,
        "p_total": Decimal(power) / 1000,
        "relay_l1_closed": closed,
        "arrears": arrears,
    }
    decoded = profile.values(profile.encode_registers(values))
    assert {k: decoded[k] for k in values} == values


# ------------------------------------------------------------ loading


def test_a_shared_block_is_not_a_meter(tmp_path):
    with pytest.raises(ProtocolError, match="shared building block"):
        load_profile("_acrel_mapb")


def test_unknown_profile_and_bad_entries_are_named(tmp_path):
    with pytest.raises(ProtocolError, match="no meter profile 'nope'"):
        load_profile("nope")
    (tmp_path / "broken.toml").write_text(
        '[profile]\npoll = ["main"]\n[blocks.main]\nstart = 0\ncount = 2\n'
        '[fields.x]\nregister = 5\ntype = "u16"\n'
    )
    with pytest.raises(ProtocolError, match="field x \\(0x0005\\) is in no block"):
        load_profile("broken", tmp_path)
    (tmp_path / "loop.toml").write_text('[profile]\nextends = "loop"\n')
    with pytest.raises(ProtocolError, match="extends itself"):
        load_profile_data("loop", tmp_path)
