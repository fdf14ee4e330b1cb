"""Simulated meters as seen on a line: they answer decoded requests with messages.

The Acrel Modbus meter builds its register image with the SAME profile the poller
decodes with (`Profile.encode_registers`), from the physics values; writes to the forced
control registers (0x0057/0x0058, PROTOCOLS.md §1.4) drive its relay.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from app.comm.profiles import Profile
from app.comm.protocols import modbus_rtu as mb
from app.comm.simulator.misbehave import Faults
from app.comm.simulator.physics import ElectricMeter

FORCED_CONTROL_REGISTER = 0x0057  # PROTOCOLS.md §1.4: word1 on/off, word2 0 close / 1 trip
ILLEGAL_ADDRESS = 0x02  # Modbus exception code


def _physics_to_fields(v: dict, three_phase: bool) -> dict[str, object]:
    """Physics values under the profile field names (Map A and Map B spellings)."""
    p, q, s, i = v["power_kw"], v["reactive_kvar"], v["apparent_kva"], v["current_a"]
    clock = v["clock"]
    fields = {
        "meter_type": v["meter_type"],
        "energy_total": v["total_kwh"],
        "energy_spike": v["spike_kwh"],
        "energy_peak": v["peak_kwh"],
        "energy_flat": v["flat_kwh"],
        "energy_valley": v["valley_kwh"],
        "remaining_money": v["remaining_money"],
        "prepaid_remaining": v["remaining_money"],
        "purchase_count": v["purchase_count"],
        "prepaid_purchase_count": v["purchase_count"],
        "relay_l1_closed": v["relay_closed"],
        "arrears": v["arrears"],
        "forced_control": int(v["forced_control"]),
        "forced_state": int(v["forced_trip"]),
        "pt_ratio": 1,
        "ct_ratio": 1,
        "clock_year": clock.year - 2000,
        "clock_month": clock.month,
        "clock_day": clock.day,
        "clock_weekday": clock.isoweekday() % 7,
        "clock_hour": clock.hour,
        "clock_minute": clock.minute,
        "clock_second": clock.second,
        # Map A names
        "voltage": v["voltage_v"],
        "current": i,
        "active_power": p,
        "apparent_power": s,
        "power_factor": v["power_factor"],
    }
    phases = ("a", "b", "c") if three_phase else ("a",)
    share = 1 / len(phases)
    for ph in phases:
        fields[f"u{ph}"] = v["voltage_v"]
        fields[f"i{ph}"] = i * share
        fields[f"p{ph}"] = p * share
        fields[f"q{ph}"] = q * share
        fields[f"pf{ph}"] = v["power_factor"]
    if three_phase:
        fields["relay_l2_closed"] = fields["relay_l3_closed"] = v["relay_closed"]
    fields["p_total"], fields["q_total"], fields["pf_total"] = p, q, v["power_factor"]
    return fields


_BIT, _INT = "bit", "int"
_PLANS: dict[tuple[Profile, bool], tuple] = {}
# Values a field's memo keeps. A full memo keeps what it has and takes nothing more: the
# values that repeat (voltages, power factors, rates) are among the first seen, and an
# energy register, which only grows, never repeats. Emptied when full, the memos of a
# market's ~40 scaled fields refilled with new energy and power values for ever, up to
# 4096 values each (~300,000 blocks): the simulator's memory rose and fell, and in the
# demo's process it hid the collection service's own figures.
MEMO_SIZE = 256


def _encode_plan(profile: Profile, three_phase: bool, raw: dict) -> tuple:
    """(name, field, how) for every profile field the physics gives, in profile order;
    how: _BIT, _INT or (scale, shift, memo) with shift = n when the scale is 10^-n (else
    None) and memo the raw integers of the first values seen (voltages, ratios and rates
    repeat across meters). Worked out once per profile: a cycle rebuilds every image."""
    plan = _PLANS.get((profile, three_phase))
    if plan is None:
        entries = []
        for name, field in profile.fields.items():
            if name not in raw:
                continue
            if field.type == "bit":
                how = _BIT
            elif field.scale is None:
                how = _INT
            else:
                sign, digits, exponent = field.scale.normalize().as_tuple()
                how = (field.scale, -exponent if digits == (1,) and not sign else None, {})
            entries.append((name, field, how))
        plan = _PLANS[(profile, three_phase)] = tuple(entries)
    return plan


class AcrelModbusDevice:
    """An Acrel DDSY/DTSY1352 on a Modbus line, at slave address `key`."""

    def __init__(
        self, slave: int, meter: ElectricMeter, profile: Profile, clock: Callable[[], datetime]
    ) -> None:
        self.key = str(slave)
        self.slave = slave
        self.meter = meter
        self.profile = profile
        self.clock = clock
        self.faults = Faults()
        self.three_phase = profile.identify.get("meter_type") == 5
        if self.three_phase:
            meter.meter_type = 5
        self._image: dict[int, int] | None = None
        self._image_at: datetime | None = None
        self._raw: dict[str, object] = {}  # the field values the image holds

    def invalidate(self) -> None:
        """Forget the cached register image (the physics changed under it)."""
        self._image = None

    def registers(self) -> dict[int, int]:
        now = self.clock()
        if (
            self._image is not None
            and self._image_at is not None
            and abs((now - self._image_at).total_seconds()) < 1
        ):
            return self._image  # the two poll blocks of one read see the same second
        raw = _physics_to_fields(self.meter.values(now), self.three_phase)
        plan = _encode_plan(self.profile, self.three_phase, raw)
        if self._image is None:
            image = self.profile.encode_registers({})  # every register of the map, 0
            last: dict[str, object] = {}
        else:
            # only the values that changed since the last read are encoded again (most
            # of a meter's ~60 fields stand still between two reads); a new dict, so an
            # image handed out before stays as it was
            image, last = dict(self._image), self._raw
        for name, field, how in plan:
            value = raw[name]
            if name in last and last[name] == value:
                continue
            if how is _BIT:
                field.encode(value, image)
            elif how is _INT:
                field.put_raw(int(value), image)
            else:
                scale, shift, memo = how
                raw_value = memo.get(value)
                if raw_value is None:
                    value = Decimal(str(value)).quantize(scale)  # rounded to the register's step
                    if shift is None:
                        field.encode(value, image)
                        continue
                    # step 10^-shift: the register holds value × 10^shift, exactly
                    raw_value = int(value.scaleb(shift))
                    if len(memo) < MEMO_SIZE:
                        memo[raw[name]] = raw_value
                field.put_raw(raw_value, image)
        self._image = image
        self._image_at = now
        self._raw = raw
        return self._image

    def answer(self, request: object) -> mb.Message | None:
        if isinstance(request, mb.ReadRequest):
            image = self.registers()
            try:
                values = tuple(
                    map(image.__getitem__, range(request.start, request.start + request.count))
                )
            except KeyError:
                return mb.ExceptionResponse(self.slave, request.function, ILLEGAL_ADDRESS)
            return mb.ReadResponse(self.slave, values, request.function)
        if isinstance(request, mb.WriteRequest):
            if request.start == FORCED_CONTROL_REGISTER and len(request.values) == 2:
                control, state = request.values
                self.meter.set_forced_control(control == 1, state == 1, self.clock())
                self._image = None
                return mb.WriteResponse(self.slave, request.start, len(request.values))
            return mb.ExceptionResponse(self.slave, mb.WRITE_MULTIPLE, ILLEGAL_ADDRESS)
        return None


class KnownReads:
    """`decode(frame)`, remembered when the frame is exactly one read request: a poller
    asks every meter the same few reads every cycle, so the CRC and parsing are done once."""

    def __init__(self, decode: Callable[[bytes], tuple[int, object]], size: int = 65536) -> None:
        self._decode = decode
        self._size = size
        self._known: dict[bytes, tuple[int, object]] = {}

    def __call__(self, frame: bytes) -> tuple[int, object]:
        hit = self._known.get(frame)
        if hit is not None:
            return hit
        result = self._decode(frame)
        if result[0] == len(frame) and isinstance(result[1], mb.ReadRequest):
            if len(self._known) >= self._size:
                self._known.clear()
            self._known[frame] = result
        return result


class RtuLineCodec:
    """Modbus RTU on an RS485 bus (serial server, pty, DTU)."""

    decode_request = staticmethod(KnownReads(mb.decode_request))

    @staticmethod
    def key(request: mb.Message) -> str:
        return str(request.slave)

    @staticmethod
    def message(request: mb.Message) -> mb.Message:
        return request

    @staticmethod
    def wire_len(n_bytes: int) -> int:
        return n_bytes

    @staticmethod
    def encode(request: mb.Message, answer: mb.Message) -> bytes:
        return mb.encode_rtu(answer)


class MbapLineCodec:
    """Modbus TCP gateway: MBAP on the TCP side, RTU on its RS485 side."""

    @staticmethod
    def decode_request(buf: bytes):
        return mb.decode_tcp(buf, mb.REQUEST)

    @staticmethod
    def key(request: mb.TcpFrame) -> str:
        return str(request.message.slave)

    @staticmethod
    def message(request: mb.TcpFrame) -> mb.Message:
        return request.message

    @staticmethod
    def wire_len(n_bytes: int) -> int:
        return n_bytes - mb.MBAP_SIZE + 1 + 2  # unit id + PDU + CRC

    @staticmethod
    def encode(request: mb.TcpFrame, answer: mb.Message) -> bytes:
        return mb.encode_tcp(answer, request.transaction_id)
