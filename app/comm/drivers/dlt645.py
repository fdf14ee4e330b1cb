"""Driver for DL/T 645-2007 / 1997 meters (codec: app.comm.protocols.dlt645).

A read is one request per data identifier (PROTOCOLS.md §2.6): the forward-energy block
(total + 4 tariffs), voltage, current, power, power factor, frequency and status word 3
(relay and 保电 state, §2.5); 1997 meters have no frequency and no status word. An
abnormal reply to an optional item is skipped (older firmwares lack some items). Many
meters refuse the energy block with ERR=02 (no such data): the read then goes on with the
single items (total, then each tariff) and the driver, one per meter, remembers it, so
the next reads ask for the single items straight away. Without a total the read fails
with what the meter said, never as line trouble.

Commands are `1C` remote control (§2.4) with the codec's Action → N1 mapping, sent with the
channel's password, level and operator code (settings `dlt645_password`, `dlt645_level`,
`dlt645_operator`; 000000 / 02 / 00000000 when not set). The frame log never holds the
password: its three bytes are logged as FF. A `DC` reply is explained bit by bit (§2.3).
ERR bit2 is "wrong password or not authorised", which some firmwares also answer to a trip
while 保电 is on: a trip therefore reads status word 3 first, and only a meter that
reports 保电 is said to be protected.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from functools import partial

from app.comm import messages
from app.comm.drivers.base import CommandRejected, Exchange, MeterRefused, UnsupportedAction
from app.comm.protocols import dlt645 as d
from app.comm.protocols.common import ProtocolError
from app.comm.protocols.terms import TERMS
from app.comm.types import Action, MeterEndpoint, MeterKind, MeterReading
from app.words import ENGLISH, QT_TRANSLATE_NOOP, Word

# a relay command's frame in the log, without its password
PASSWORD_HIDDEN = Word(
    "comm.frame.dlt645_password_hidden",
    QT_TRANSLATE_NOOP("CommFrames", "{meaning} (password not logged: its bytes show as FF FF FF)"),
)

ENERGY_BLOCK = {d.Version.V2007: 0x0001FF00, d.Version.V1997: 0x901F}  # total, 尖 峰 平 谷
# the same as single items, when the block is refused: the total is what a reading needs
ENERGY_SINGLES = {
    d.Version.V2007: (
        (0x00010000, True),
        (0x00010100, False),
        (0x00010200, False),
        (0x00010300, False),
        (0x00010400, False),
    ),
    d.Version.V1997: (
        (0x9010, True),
        (0x9011, False),
        (0x9012, False),
        (0x9013, False),
        (0x9014, False),
    ),
}
READ_2007 = (
    (0x02010100, False),  # voltage A
    (0x02020100, False),  # current A
    (0x02030000, False),  # active power total
    (0x02060000, False),  # power factor total
    (0x02800002, False),  # frequency
    (0x04000503, False),  # status word 3: relay state, 保电
    (0x00020000, False),  # reverse active energy: a meter wired backwards or tampered with
    (0x03300D00, False),  # cover-open count (开表盖总次数)
)
READ_1997 = (
    (0xB611, False),
    (0xB621, False),
    (0xB630, False),
    (0xB650, False),
)
COMMAND_VALID_FOR = timedelta(minutes=10)  # deadline of a 1C command (meter local time)
ERR_NO_DATA = 0x02  # §2.3 bit1: the meter does not have this data item
ERR_PASSWORD = 0x04  # §2.3 bit2: wrong password / unauthorised; also 保电 refusing a trip
STATUS3 = 0x04000503
TRIPS = frozenset({Action.TRIP, Action.FORCED_OFF})  # what 保电 refuses
SETTINGS = {
    "dlt645_password": ("password", 6),
    "dlt645_level": ("level", 2),
    "dlt645_operator": ("operator", 8),
}


def relay_options(settings: dict) -> dict:
    """Driver keyword arguments from a channel's settings (only those that are set).
    Raises ValueError naming the setting that is not hex digits of the right length."""
    options: dict = {}
    for key, (name, digits) in SETTINGS.items():
        value = str(settings.get(key) or "").strip()
        if not value:
            continue
        if len(value) != digits or any(c not in "0123456789abcdefABCDEF" for c in value):
            raise ValueError(f"setting {key} must be {digits} hex digits")
        options[name] = int(value, 16) if name == "level" else value.upper()
    return options


class Dlt645Driver:
    name = "dlt645"

    def __init__(
        self,
        version: d.Version,
        *,
        password: str = "000000",
        level: int = 0x02,
        operator: str = "00000000",
        direct_close: bool = False,
    ) -> None:
        self.version = version
        self.password, self.level, self.operator, self.direct_close = (
            password,
            level,
            operator,
            direct_close,
        )
        self.energy_block = (
            True  # False once this meter refused the block: single items from then on
        )
        # 保电 as status word 3 read just before a trip said (None: not read); one command at
        # a time per meter (its line's worker), so one slot is enough
        self._protected: bool | None = None

    def decode(self, buf: bytes):
        return d.decode(buf)

    def describe(self, message: object, lang: str = ENGLISH) -> str:
        return message.describe(lang)  # type: ignore[attr-defined]

    def _expect(self, address: str, function: int, di: int | None = None):
        def expect(message: object) -> bool:
            if getattr(message, "address", None) != address:
                return False
            if isinstance(message, d.ErrorReply):
                return message.function == function
            if di is not None:
                return (
                    isinstance(message, d.ReadReply)
                    and message.di == di
                    and not message.follow_up_read
                )
            return isinstance(message, d.Ack) and message.function == function

        return expect

    def _items(self) -> tuple[tuple[int, bool], ...]:
        energy = (
            ((ENERGY_BLOCK[self.version], True),)
            if self.energy_block
            else ENERGY_SINGLES[self.version]
        )
        return energy + (READ_2007 if self.version == d.Version.V2007 else READ_1997)

    def _exchanges(self, endpoint: MeterEndpoint, items) -> list[Exchange]:
        function = d.F07_READ if self.version == d.Version.V2007 else d.F97_READ
        plan = []
        for di, _required in items:
            request = d.ReadRequest(endpoint.address, di, self.version)
            plan.append(
                Exchange(
                    request.encode(),
                    request.describe,
                    self._expect(endpoint.address, function, di),
                    f"{di:X}",
                )
            )
        return plan

    def read_plan(self, endpoint: MeterEndpoint) -> list[Exchange]:
        return self._exchanges(endpoint, self._items())

    def fallback_plan(self, endpoint: MeterEndpoint, replies: dict[str, object]) -> list[Exchange]:
        """More requests when the replies so far call for them: the single energy items
        after the block was refused as data the meter does not have."""
        block = replies.get(f"{ENERGY_BLOCK[self.version]:X}")
        if self.energy_block and isinstance(block, d.ErrorReply) and block.error & ERR_NO_DATA:
            self.energy_block = False
            return self._exchanges(endpoint, ENERGY_SINGLES[self.version])
        return []

    def to_reading(
        self, endpoint: MeterEndpoint, replies: dict[str, object], at: datetime
    ) -> MeterReading:
        good = []
        for di, required in self._items():
            reply = replies.get(f"{di:X}")
            if isinstance(reply, d.ReadReply):
                good.append(reply)
            elif required:
                if isinstance(reply, d.ErrorReply):
                    raise MeterRefused(_refusal(reply, di))
                raise ProtocolError(f"{d.format_di(di, self.version)}: no answer")
        fields = d.reading_fields(good)
        if "total" not in fields:
            raise ProtocolError("the total energy was not read")
        return MeterReading(
            channel_id=endpoint.channel_id,
            address=endpoint.address,
            kind=MeterKind.ELECTRIC,
            read_at=at,
            **fields,
        )

    def command_plan(self, endpoint: MeterEndpoint, action: Action, at: datetime) -> list[Exchange]:
        if self.version != d.Version.V2007:
            raise UnsupportedAction("DL/T 645-1997 has no standard relay control")
        try:
            code = d.relay_code(action, direct_close=self.direct_close)
        except ProtocolError as exc:
            raise UnsupportedAction(str(exc)) from exc
        local = (at + timedelta(hours=8)).replace(tzinfo=None)  # meters keep China Standard Time
        request = d.RelayControl(
            endpoint.address,
            code,
            local + COMMAND_VALID_FOR,
            self.password,
            self.level,
            self.operator,
        )
        shown = dataclasses.replace(
            request, password="CCCCCC"
        ).encode()  # +33H on the wire: FF FF FF
        plan = [
            Exchange(
                request.encode(),
                partial(_hidden, request.describe),
                self._expect(endpoint.address, d.F07_RELAY),
                "command",
                logged=shown,
            )
        ]
        self._protected = None
        if action in TRIPS:
            plan[:0] = self._exchanges(endpoint, ((STATUS3, False),))
        return plan

    def check_reply(self, endpoint: MeterEndpoint, message: object) -> None:
        if isinstance(message, d.ReadReply) and message.di == STATUS3:
            self._protected = d.StatusWord3(message.values()[0]).protected
            return
        if not isinstance(message, d.ErrorReply) or message.function != d.F07_RELAY:
            return  # a meter without status word 3: the command goes on
        code = f"{message.error:02X}"
        if message.error & ERR_PASSWORD:
            if self._protected:
                raise CommandRejected(messages.METER_REJECTED_PROTECTED_CODE(code=code))
            raise CommandRejected(messages.METER_REJECTED_PASSWORD(code=code))
        raise CommandRejected(
            messages.METER_REJECTED_WHY(code=code, why=messages.why_refused(message.explanation))
        )

    def verify(
        self,
        endpoint: MeterEndpoint,
        action: Action,
        replies: dict[str, object],
        reading: MeterReading,
    ) -> list[messages.Reason | str]:
        if reading.relay_closed is None:
            return [messages.NO_RELAY_STATE]
        want_closed = {
            Action.TRIP: False,
            Action.FORCED_OFF: False,
            Action.CLOSE: True,
            Action.FORCED_ON: True,
        }.get(action)
        want_mode = {Action.FORCED_ON: "forced_on", Action.RESTORE_PREPAID: None}
        problems = []
        if want_closed is not None and reading.relay_closed is not want_closed:
            problems.append(
                messages.RELAY_IS_NOT(
                    actual=messages.RELAY_WORDS[reading.relay_closed],
                    expected=messages.RELAY_WORDS[want_closed],
                )
            )
            if action is Action.CLOSE and not self.direct_close:
                problems.append(messages.CLOSE_NEEDS_BUTTON)
        if action in want_mode and reading.forced_mode != want_mode[action]:
            problems.append(
                messages.FORCED_MODE_IS_NOT(
                    actual=str(reading.forced_mode), expected=str(want_mode[action])
                )
            )
        return problems


def _hidden(describe, lang: str = ENGLISH) -> str:
    return PASSWORD_HIDDEN.say(lang, meaning=describe(lang))


def _refusal(reply: d.ErrorReply, di: int) -> messages.Reason:
    """A read the meter refused, in the clerk's words: what the ERR byte says, not line trouble."""
    item = d.data_item(di, reply.version)
    name = (
        messages.DATA_ITEM(di=d.format_di(di, reply.version), name=TERMS.get(item.name, item.name))
        if item
        else d.format_di(di, reply.version)
    )
    if reply.error & ERR_NO_DATA:
        return messages.METER_LACKS_ITEM(item=name)
    return messages.METER_READ_REFUSED(
        item=name, detail=f"ERR={reply.error:02X} {reply.explanation}"
    )


def make_2007(endpoint: MeterEndpoint, framing: str = "rtu", **options) -> Dlt645Driver:
    return Dlt645Driver(d.Version.V2007, **options)


def make_1997(endpoint: MeterEndpoint, framing: str = "rtu", **options) -> Dlt645Driver:
    return Dlt645Driver(d.Version.V1997, **options)
