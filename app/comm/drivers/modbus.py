"""Driver for Acrel DDSY/DTSY1352 meters over Modbus: RTU framing or MBAP (Modbus TCP).

Register maps come from the meter's profile (resources/profiles/*.toml): the poll
blocks, the command writes and their read-back checks. Modbus TCP gateways are spoken to
with the same codec's MBAP framing over our own TCP transport rather than pymodbus's
client: that keeps one pipeline for every line (frame log with raw bytes, garbage
hunting, one worker per gateway bus, the same retries and offline logic), and pymodbus
stays what it is best at here, an independent reference client in the tests.
"""

from __future__ import annotations

import itertools
from datetime import datetime

from app.comm import messages
from app.comm.drivers.base import CommandRejected, Exchange, MeterRefused, UnsupportedAction
from app.comm.profiles import DEFAULT_PROFILE, Profile, ReadingPlan, load_profile
from app.comm.protocols import modbus_rtu as mb
from app.comm.protocols.common import ProtocolError
from app.comm.protocols.terms import TERMS
from app.comm.types import Action, MeterEndpoint, MeterReading
from app.words import ENGLISH


class AcrelModbusDriver:
    name = "modbus_acrel"

    def __init__(self, profile: Profile, framing: str = "rtu", unit: int | None = None) -> None:
        if framing not in ("rtu", "mbap"):
            raise ValueError(f"framing must be rtu or mbap, not {framing!r}")
        self.profile = profile
        self.framing = framing
        self.unit = unit
        self._tid = itertools.count(1)
        fields, self._derived = _reading_sources(profile)
        self._fields = tuple((field, field.registers) for field in fields)
        # where each field's registers sit in the poll replies laid end to end
        self._blocks = tuple(profile.poll_blocks)
        at: dict[int, int] = {}
        base = 0
        for block in self._blocks:
            for r in range(block.start, block.end):
                at[r] = base + r - block.start  # a later block wins, as in register_image
            base += block.count
        self._positions = tuple(
            (field, tuple(at[r] for r in regs))
            for field, regs in self._fields
            if all(r in at for r in regs)
        )
        try:
            self._plan: ReadingPlan | None = ReadingPlan(
                profile, {f.name: p for f, p in self._positions}
            )
        except ValueError:
            self._plan = (
                None  # a profile shape the plan does not cover: values, then reading_fields
            )
        self._plans: dict[
            int, list[Exchange]
        ] = {}  # RTU requests never change: built once per slave

    def slave(self, endpoint: MeterEndpoint) -> int:
        if self.unit is not None:
            return self.unit
        try:
            slave = int(endpoint.address)
        except ValueError:
            raise ValueError(
                f"Modbus address {endpoint.address!r} is not a number 1..247"
            ) from None
        if not 1 <= slave <= 247:
            raise ValueError(f"Modbus address {slave} is not 1..247")
        return slave

    # ------------------------------------------------------------------ framing
    def decode(self, buf: bytes):
        if self.framing == "rtu":
            return mb.decode_response(buf)
        return mb.decode_tcp(buf, mb.RESPONSE)

    def describe(self, message: object, lang: str = ENGLISH) -> str:
        if isinstance(message, mb.TcpFrame):
            return f"[MBAP {message.transaction_id}] {message.message.describe(lang)}"
        return message.describe(lang)  # type: ignore[attr-defined]

    def _exchange(self, request: mb.Message, key: str) -> Exchange:
        if self.framing == "rtu":
            data = mb.encode_rtu(request)
            tid = None
        else:
            tid = next(self._tid) & 0xFFFF
            data = mb.encode_tcp(request, tid)
        slave, function = (
            request.slave,
            (mb.WRITE_MULTIPLE if isinstance(request, mb.WriteRequest) else request.function),
        )

        def expect(message: object) -> bool:
            if tid is not None:
                if not isinstance(message, mb.TcpFrame) or message.transaction_id != tid:
                    return False
                message = message.message
            if getattr(message, "slave", None) != slave:
                return False
            if isinstance(message, mb.ExceptionResponse):
                return message.function == function
            if function == mb.WRITE_MULTIPLE:
                return isinstance(message, mb.WriteResponse) and message.start == request.start
            # a late reply to an earlier read of the same meter has another length: not ours
            return (
                isinstance(message, mb.ReadResponse)
                and message.function == function
                and len(message.registers) == request.count
            )

        return Exchange(data, request.describe, expect, key, sender=str(slave))

    @staticmethod
    def _unwrap(message: object) -> object:
        return message.message if isinstance(message, mb.TcpFrame) else message

    # ------------------------------------------------------------------ reads
    def read_plan(self, endpoint: MeterEndpoint) -> list[Exchange]:
        slave = self.slave(endpoint)
        plan = self._plans.get(slave)
        if plan is None:
            plan = [
                self._exchange(mb.ReadRequest(slave, b.start, b.count), b.name)
                for b in self.profile.poll_blocks
            ]
            if self.framing == "rtu":  # MBAP needs a new transaction id every time
                self._plans[slave] = plan
        return plan

    def fallback_plan(self, endpoint: MeterEndpoint, replies: dict[str, object]) -> list[Exchange]:
        return []  # the profile's poll blocks are the whole read

    def to_reading(
        self,
        endpoint: MeterEndpoint,
        replies: dict[str, object],
        at: datetime,
        source: str = "poll",
    ) -> MeterReading:
        # decode only the fields a MeterReading shows (a poll carries ~3× more), with the
        # profile's own Field/Derived objects, straight from the registers of the replies
        # (positions worked out once): 10,000 meters a cycle make this matter
        registers: tuple[int, ...] = ()
        for block in self._blocks:
            reply = replies.get(block.name)
            if type(reply) is mb.TcpFrame:
                reply = reply.message
            if type(reply) is not mb.ReadResponse or len(reply.registers) != block.count:
                return self._to_reading_checked(endpoint, replies, at, source)
            registers += reply.registers
        if self._plan is None:
            values: dict = {}
            for field, positions in self._positions:
                values[field.name] = field.decode_words([registers[i] for i in positions])
            return self._finish(endpoint, values, at, source)
        fields = self._plan.fields(registers)
        if "total" not in fields:
            raise ProtocolError(f"profile {self.profile.name}: the total energy was not read")
        return MeterReading(
            channel_id=endpoint.channel_id,
            address=endpoint.address,
            kind=self.profile.kind,
            read_at=at,
            source=source,
            **fields,
        )

    def _to_reading_checked(
        self, endpoint: MeterEndpoint, replies: dict[str, object], at: datetime, source: str
    ) -> MeterReading:
        """to_reading for replies that are not all complete reads: optional blocks missing,
        or the profile's own error for a required one."""
        blocks = self.profile.poll_blocks
        for block in blocks:
            reply = self._unwrap(replies.get(block.name))
            if block.required and isinstance(reply, mb.ExceptionResponse):
                raise MeterRefused(_refusal(block, reply))
        image = self.profile.register_image(
            blocks, [self._unwrap(replies.get(b.name)) for b in blocks]
        )
        values: dict = {}
        for field, registers in self._fields:
            if all(r in image for r in registers):
                values[field.name] = field.decode(image)
        return self._finish(endpoint, values, at, source)

    def _finish(
        self, endpoint: MeterEndpoint, values: dict, at: datetime, source: str
    ) -> MeterReading:
        for derived in self._derived:
            if all(f in values for f in derived.fields):
                values[derived.name] = derived.evaluate(values)
        return self.profile.build_reading(
            values,
            channel_id=endpoint.channel_id,
            address=endpoint.address,
            read_at=at,
            source=source,
        )

    def reading_from_block(
        self, endpoint: MeterEndpoint, registers: dict[int, int], at: datetime, source: str
    ) -> MeterReading:
        """A reading from an uploaded register image (Acrel 4G 0x91 data upload)."""
        values = self.profile.values(registers)
        return self.profile.build_reading(
            values,
            channel_id=endpoint.channel_id,
            address=endpoint.address,
            read_at=at,
            source=source,
        )

    # ------------------------------------------------------------------ commands
    def command_plan(self, endpoint: MeterEndpoint, action: Action, at: datetime) -> list[Exchange]:
        try:
            spec = self.profile.command(action)
        except ProtocolError as exc:
            raise UnsupportedAction(str(exc)) from exc
        request = mb.WriteRequest(self.slave(endpoint), spec.write_start, spec.write_values)
        return [self._exchange(request, "command")]

    def check_reply(self, endpoint: MeterEndpoint, message: object) -> None:
        message = self._unwrap(message)
        if isinstance(message, mb.ExceptionResponse):
            raise CommandRejected(
                messages.METER_REJECTED_MODBUS(
                    code=f"0x{message.code:02X}",
                    why=TERMS.get(message.explanation, message.explanation),
                )
            )

    def verify(
        self,
        endpoint: MeterEndpoint,
        action: Action,
        replies: dict[str, object],
        reading: MeterReading,
    ) -> list[messages.Reason | str]:
        blocks = self.profile.poll_blocks
        try:
            image = self.profile.register_image(
                blocks, [self._unwrap(replies.get(b.name)) for b in blocks]
            )
        except ProtocolError as exc:
            return [str(exc)]
        return self.profile.verify_problems(action, image)


def _refusal(block, reply: mb.ExceptionResponse) -> messages.Reason:
    """A read the meter answered with a Modbus exception: its reason, not line trouble."""
    item = f"{block.name} 0x{block.start:04X}"
    if reply.code == 0x02:  # illegal data address: the register is not in this meter's map
        return messages.METER_LACKS_ITEM(item=item)
    return messages.METER_READ_REFUSED(
        item=item, detail=f"Modbus 0x{reply.code:02X} {reply.explanation}"
    )


def _reading_sources(profile: Profile) -> tuple[tuple, tuple]:
    """The fields and derived values behind the profile's MeterReading targets."""
    fields: dict[str, object] = {}
    derived: dict[str, object] = {}

    def add(name: str) -> None:
        if name in profile.fields:
            fields[name] = profile.fields[name]
        elif name in profile.derived:
            for field in profile.derived[name].fields:
                add(field)
            derived[name] = profile.derived[name]

    for source in profile.targets.values():
        for name in source if isinstance(source, tuple) else (source,):
            add(name)
    return tuple(fields.values()), tuple(derived.values())


_SHARED: dict[tuple[Profile, str, int | None], AcrelModbusDriver] = {}


def make(
    endpoint: MeterEndpoint, framing: str = "rtu", unit: int | None = None
) -> AcrelModbusDriver:
    # one driver per (profile, framing, unit), shared by all meters that use it: building
    # one per meter cost a second of CPU per 3,000 meters on the first cycle; the driver
    # holds nothing per meter but its cached request frames (keyed by address, which
    # with the unit fixes the slave) and the MBAP transaction counter
    profile = load_profile(endpoint.profile or DEFAULT_PROFILE)
    key = (profile, framing, unit)
    driver = _SHARED.get(key)
    if driver is None:
        driver = _SHARED[key] = AcrelModbusDriver(profile, framing, unit)
    return driver
