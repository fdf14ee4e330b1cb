"""`python -m app comm decode`: what a field engineer sees."""

from __future__ import annotations

import pytest

from app.cli import main
from tests.comm.protocols.test_dlt645 import WORKED as DLT645_WORKED
from tests.comm.protocols.test_modbus_rtu import WORKED as RTU_WORKED


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """The field engineer here reads the command line in English."""
    monkeypatch.setenv("MARKETMETER_LANG", "en")


def decode(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["comm", "decode", *args])
    out, err = capsys.readouterr()
    return code, out, err


EVERY_WORKED_FRAME = (
    [frame for frame, _, _ in RTU_WORKED]
    + [frame for frame, _ in DLT645_WORKED]
    + ["7B 7B 84 BF 23 7D 7D", "7B 7B 90 01 10 00 57 00 02 04 00 01 00 01 27 75 38 7A 7D 7D"]
)


@pytest.mark.parametrize("frame", EVERY_WORKED_FRAME)
def test_every_worked_frame_is_valid(capsys, frame):
    code, out, _ = decode(capsys, *frame.split())
    assert code == 0, out
    assert "invalid" not in out and "skipped" not in out


def test_dlt645_reply_in_words(capsys):
    code, out, _ = decode(capsys, "68129078563412689108333334338967453354 16")
    assert code == 0
    assert out.strip() == (
        "DL/T 645-2007 reply from 123456789012: read 00010000 forward active total energy = "
        "1234.56 kWh"
    )


def test_modbus_read_names_the_acrel_block(capsys):
    code, out, _ = decode(capsys, "01 03 02 00 00 30 44 66")
    assert code == 0
    assert "read 48 register(s) 0x0200-0x022F (FC03) from slave 1" in out
    assert "Acrel register block 'main' of acrel_ddsy1352_mapb, acrel_dtsy1352_mapb" in out
    assert "energy_total" in out and "relay_l1_closed" in out


def test_modbus_write_names_the_command(capsys):
    code, out, _ = decode(
        capsys, "0x01 0x10 0x00 0x57 0x00 0x02 0x04 0x00 0x01 0x00 0x00 0xE6 0xB5"
    )
    assert code == 0
    assert "Acrel command: forced_on" in out


def test_read_response_fields_with_explicit_start(capsys):
    code, out, _ = decode(capsys, "01 03 04 00 00 00 01 3B F3", "--start", "0x0057")
    assert code == 0
    assert "forced_control (0x0057) = 0" in out and "forced_state (0x0058) = 1" in out


def test_exception_is_explained(capsys):
    code, out, _ = decode(capsys, "01 83 02 C0 F1")
    assert code == 0
    assert "refuses FC03: illegal data address" in out


def test_bad_checksum(capsys):
    code, out, _ = decode(capsys, "68 12 90 78 56 34 12 68 91 08 33 33 34 33 89 67 45 33 55 16")
    assert code == 2
    assert "bad checksum: expected 54 got 55" in out


def test_truncated(capsys):
    code, out, _ = decode(capsys, "68 12 90 78 56 34 12 68 91 08 33 33 34 33 89 67")
    assert code == 2
    assert "truncated: need 4 more byte(s)" in out


def test_invalid_bcd(capsys):
    code, out, _ = decode(capsys, "68 12 90 78 56 34 12 68 91 08 33 33 34 33 4D 33 33 33 D2 16")
    assert code == 2
    assert "invalid BCD byte 1A" in out


def test_bad_crc_of_modbus_and_acrel4g(capsys):
    code, out, _ = decode(capsys, "01 03 02 00 00 30 44 67")
    assert code == 2 and "bad CRC: expected 44 66 got 44 67" in out
    code, out, _ = decode(capsys, "7B 7B 90 01 10 00 57 00 02 04 00 01 00 01 27 75 38 7B 7D 7D")
    assert code == 2 and "bad CRC: expected 38 7A got 38 7B" in out


def test_noise_is_reported_but_the_frame_is_still_read(capsys):
    code, out, _ = decode(capsys, "FF 01 10 00 57 00 02 F0 18")
    assert code == 0
    assert out.splitlines()[0] == "skipped 1 byte(s) FF: slave address 255 is out of range"
    assert "confirms writing 2 register(s) from 0x0057" in out


def test_modbus_tcp_and_the_4g_downlink(capsys):
    code, out, _ = decode(capsys, "00 01 00 00 00 06 01 03 02 00 00 30")
    assert code == 0 and out.startswith("Modbus TCP request (transaction 1): read 48 register(s)")
    code, out, _ = decode(capsys, "7B7B900110005700020400010001277538 7A7D7D")
    assert code == 0 and "Acrel 4G downlink: Modbus RTU request write 2 register(s)" in out
    assert "Acrel command: forced_off / trip" in out


def test_framing_can_be_forced(capsys):
    code, out, _ = decode(capsys, "--as", "dlt645", "01 03 02 00 00 30 44 66")
    assert code == 2 and "not a valid DL/T 645 frame" in out


def test_bad_input_is_one_line_on_stderr(capsys):
    code, _, err = decode(capsys, "0G")
    assert code == 2 and err.startswith("error: not hex")
    code, _, err = decode(capsys, "01", "--profile", "nope")
    assert code == 2 and "unknown profile nope" in err
