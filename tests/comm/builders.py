"""Test builders for comm frames, written from PROTOCOLS.md independently of the codecs."""

from __future__ import annotations

from app.comm.protocols import modbus_rtu as rtu
from app.comm.protocols.common import crc16_bytes


def a_mapb_response(**overrides: int) -> bytes:
    """A 48-register Map-B reply built by byte offsets straight from PROTOCOLS.md §1.3,
    independent of the profile code."""
    data = bytearray(96)
    data[0:2] = (7).to_bytes(2, "big")  # meter type DDSY1352
    data[2:4] = (2201).to_bytes(2, "big")  # Ua 220.1 V
    data[8:10] = (512).to_bytes(2, "big")  # Ia 5.12 A
    data[14:16] = (-1126 & 0xFFFF).to_bytes(2, "big")  # Pa -1.126 kW
    data[30:32] = (980).to_bytes(2, "big")  # PFa 0.980
    data[42:46] = (123456).to_bytes(4, "big")  # total 1234.56 kWh
    data[46:50] = (100).to_bytes(4, "big")  # spike 1.00
    data[50:54] = (200).to_bytes(4, "big")  # peak 2.00
    data[54:58] = (300).to_bytes(4, "big")  # flat 3.00
    data[58:62] = (401).to_bytes(4, "big")  # valley 4.01
    data[62:66] = (1250).to_bytes(4, "big")  # remaining money 12.50
    data[72] = overrides.get("byte72", 0b0010_0000)  # bit5 = L1 relay closed
    data[73] = overrides.get("byte73", 0)  # bit5 = arrears
    data[80:87] = bytes([25, 3, 1, 6, 12, 30, 45])  # clock 25-03-01 (Sat) 12:30:45
    body = bytes([1, 3, 96]) + bytes(data)
    return body + crc16_bytes(body)


def a_prepaid_response(forced: tuple[int, int] = (0, 0)) -> bytes:
    regs = [0] * 28
    regs[0x57 - 0x46], regs[0x58 - 0x46] = forced
    return rtu.read_response(1, regs)
