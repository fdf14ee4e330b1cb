"""A simulated DL/T 645 meter: answers 2007 and 1997 reads by DI and 1C relay control (§2.4).

`missing` holds the 2007 items it does not have: {0x0001FF00} makes a meter without the
energy block (0001FF00 / 901F), as many are: it answers ERR=02 (no requested data) to the
block and gives the single items only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from app.comm.protocols import dlt645 as d
from app.comm.simulator.misbehave import Faults
from app.comm.simulator.physics import ElectricMeter

ERR_NO_DATA = 0x02  # §2.3 bit1: no requested data
ERR_PASSWORD = 0x04  # §2.3 bit2: wrong password or not authorised
# 1997 items (§3) as the 2007 items holding the same value
_FROM_1997 = {
    0x9010: 0x00010000,
    0x9011: 0x00010100,
    0x9012: 0x00010200,
    0x9013: 0x00010300,
    0x9014: 0x00010400,
    0x901F: 0x0001FF00,
    0xB611: 0x02010100,
    0xB621: 0x02020100,
    0xB630: 0x02030000,
    0xB650: 0x02060000,
}
_TARIFFS = {
    0x00010100: "spike_kwh",
    0x00010200: "peak_kwh",
    0x00010300: "flat_kwh",
    0x00010400: "valley_kwh",
}


def _dec(value: float, places: int) -> Decimal:
    return Decimal(str(round(value, places)))


class Dlt645Device:
    def __init__(self, address: str, meter: ElectricMeter, clock: Callable[[], datetime]) -> None:
        self.key = address
        self.address = address
        self.meter = meter
        self.clock = clock
        self.faults = Faults()
        self.missing: set[int] = set()
        # 1C is obeyed only with the password of a level it knows (PA → password), as on a
        # real meter; the factory password is level 02, 000000
        self.passwords: dict[int, str] = {0x02: "000000"}

    def status_word3(self) -> int:
        """§2.5: bit4 relay open, bit6 last command trip, bit12 保电 (forced on), bits 8-9 = 10
        money-prepaid."""
        m = self.meter
        word = 0b10 << 8
        if not m.relay_closed:
            word |= 1 << 4
        if m.forced_control and m.forced_trip:
            word |= 1 << 6
        if m.protected:
            word |= 1 << 12
        return word

    def _values(self, di: int) -> list | None:
        v = self.meter.values(self.clock())
        if di in self.missing:
            return None
        if di == 0x0001FF00:
            return [_dec(v["total_kwh"], 2)] + [
                _dec(v[k], 2) for k in ("spike_kwh", "peak_kwh", "flat_kwh", "valley_kwh")
            ]
        if di == 0x00010000:
            return [_dec(v["total_kwh"], 2)]
        if di in _TARIFFS:
            return [_dec(v[_TARIFFS[di]], 2)]
        table = {
            0x02010100: (v["voltage_v"], 1),
            0x02020100: (v["current_a"], 3),
            0x02030000: (v["power_kw"], 4),
            0x02040000: (v["reactive_kvar"], 4),
            0x02050000: (v["apparent_kva"], 4),
            0x02060000: (v["power_factor"], 3),
            0x02800002: (v["frequency_hz"], 2),
            0x00900200: (v["remaining_money"], 2),
            0x00020000: (v["reverse_kwh"], 2),
            0x03300D00: (v["cover_opens"], 0),
        }
        if di in table:
            value, places = table[di]
            return [_dec(value, places)]
        if di == 0x04000503:
            return [self.status_word3()]
        if di == 0x04000401:
            return [self.address]
        return None

    def answer(self, request: object) -> object | None:
        if getattr(request, "address", None) != self.address:
            return None
        if isinstance(request, d.ReadRequest):
            v1997 = request.version == d.Version.V1997
            item = d.data_item(request.di, request.version)
            values = self._values(_FROM_1997.get(request.di, -1) if v1997 else request.di)
            if values is None or item is None:
                return d.ErrorReply(
                    self.address, d.F97_READ if v1997 else d.F07_READ, ERR_NO_DATA, request.version
                )
            if v1997:  # fewer decimals in 1997 (voltage in whole volts)
                values = [round(value, item.decimals) for value in values]
            return d.ReadReply(
                self.address, request.di, d.encode_values(item, values), request.version
            )
        if isinstance(request, d.RelayControl):
            if self.passwords.get(request.level) != request.password:
                return d.ErrorReply(self.address, d.F07_RELAY, ERR_PASSWORD)
            error = self.meter.dlt645_control(request.code, self.clock())
            if error is not None:
                return d.ErrorReply(self.address, d.F07_RELAY, error)
            return d.Ack(self.address, d.F07_RELAY)
        return None


class Dlt645LineCodec:
    """DL/T 645 on an RS485 bus: requests cut with the codec, keyed by meter address."""

    @staticmethod
    def decode_request(buf: bytes):
        return d.decode(buf)

    @staticmethod
    def key(request) -> str:
        return getattr(request, "address", "")

    @staticmethod
    def message(request):
        return request

    @staticmethod
    def wire_len(n_bytes: int) -> int:
        return n_bytes

    @staticmethod
    def encode(request, answer) -> bytes:
        return answer.encode()
