"""NB-IoT water meters through China Telecom CTWing (PROTOCOLS.md §5).

Nothing is polled: the meters sleep (PSM) and report when they wake; the platform pushes
each report to our endpoint. A valve command goes to the platform (CreateCommand), which
caches it until the meter's next wake-up, so the first CommandResult is `ok=True,
pending=True` ("accepted, waiting for the meter"). The final result follows when the
platform pushes the commandResponse, or when a data report shows the valve in the wanted
state; a command that outlives its TTL fails.

Settings (ChannelConfig.settings):
    base_url, app_key, app_secret, master_key, product_id, operator, ttl_s,
    push_host, push_port, push_path      where our push endpoint listens,
    push_token                           the secret in the subscription URL (`?token=`): CTWing
                                         does not sign its pushes, so this is what tells the
                                         platform's pushes from anyone else's; a push without it
                                         is refused with 403 and said in the error log,
    allowed_sources                      optional source networks of the pushes (CTWing's servers),
    water_model                          thing-model profile (default nb_water_ctwing).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import hmac
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.comm import messages
from app.comm.channels.base import ChannelContext, ChannelRuntime
from app.comm.protocols import ctwing
from app.comm.sources import is_allowed, parse_networks
from app.comm.transports.ctwing_http import CtwingCommandClient, PlatformUnreachable, PushReceiver
from app.comm.transports.httpio import HttpRequest
from app.comm.types import (
    Action,
    ChannelConfig,
    ChannelStatus,
    CommandRequest,
    CommandResult,
    Direction,
    Meaning,
    MeterEndpoint,
    meant,
)
from app.words import QT_TRANSLATE_NOOP, Word

log = logging.getLogger(__name__)

# what the platform's pushes and answers mean, in the frame log
PUSH_REFUSED = Word(
    "comm.frame.ctwing_push_refused", QT_TRANSLATE_NOOP("CommFrames", "push refused (403)")
)
PUSH_NOT_READ = Word(
    "comm.frame.ctwing_push_not_read",
    QT_TRANSLATE_NOOP("CommFrames", "push not understood: {problem}"),
)
PUSH_NOT_BOUND = Word(
    "comm.frame.ctwing_push_not_bound",
    QT_TRANSLATE_NOOP("CommFrames", "push from device {device}, which is not bound"),
)
DEVICE_ONLINE = Word(
    "comm.frame.ctwing_device_online", QT_TRANSLATE_NOOP("CommFrames", "device online")
)
DEVICE_OFFLINE = Word(
    "comm.frame.ctwing_device_offline", QT_TRANSLATE_NOOP("CommFrames", "device offline")
)
DATA_REPORT_NOT_READ = Word(
    "comm.frame.ctwing_data_report_not_read",
    QT_TRANSLATE_NOOP("CommFrames", "dataReport not readable: {problem}"),
)
DATA_REPORT_NO_TOTAL = Word(
    "comm.frame.ctwing_data_report_no_total",
    QT_TRANSLATE_NOOP("CommFrames", "dataReport (no total volume)"),
)
DATA_REPORT = Word(
    "comm.frame.ctwing_data_report",
    QT_TRANSLATE_NOOP(
        "CommFrames", "dataReport total {total}, {valve}, battery {battery} V, RSRP {rsrp}"
    ),
)
VALVE_UNKNOWN = Word(
    "comm.frame.ctwing_valve_unknown", QT_TRANSLATE_NOOP("CommFrames", "valve unknown")
)
VALVE_SHOWN = {True: messages.VALVE_OPEN, False: messages.VALVE_CLOSED, None: VALVE_UNKNOWN}
CREATE_COMMAND = Word(
    "comm.frame.ctwing_create_command",
    QT_TRANSLATE_NOOP("CommFrames", "CreateCommand {action} → {address} | {content}"),
)
PLATFORM_ACCEPTED = Word(
    "comm.frame.ctwing_platform_accepted",
    QT_TRANSLATE_NOOP(
        "CommFrames", "the platform accepted the command commandId={command_id} ({status})"
    ),
)

CONFIRMED = {"COMPLETED", "DELIVERED", "SUCCESS", "EXECUTED"}
FAILED = {"FAILED", "TIMEOUT", "EXPIRED", "CANCELED", "CANCELLED", "EXECUTE_FAILED"}
VALVE_WANTED = {Action.VALVE_OPEN: True, Action.VALVE_CLOSE: False}
# A meter's or the platform's clock may run a little ahead; beyond this a report's time is
# not believed (it would sort after every later reading and hold the meter's usage)
PLAUSIBLE_AHEAD = timedelta(minutes=15)


@dataclass(slots=True)
class PendingCommand:
    command: CommandRequest
    task_id: str
    valve_open: bool
    expires_at: datetime


class CtwingChannel(ChannelRuntime):
    def __init__(self, config: ChannelConfig, ctx: ChannelContext, receiver: PushReceiver) -> None:
        super().__init__(config, ctx)
        self.receiver = self.hub = receiver
        self.push_path = str(config.setting("push_path", "/ctwing/push"))
        self.product_id = str(config.setting("product_id", required=True))
        self.operator = str(config.setting("operator", "marketmeter"))
        self.ttl_s = int(config.setting("ttl_s", ctwing.DEFAULT_TTL_S))
        self.model = ctwing.load_water_model(str(config.setting("water_model", "nb_water_ctwing")))
        self.client = CtwingCommandClient(
            app_key=str(config.setting("app_key", required=True)),
            app_secret=str(config.setting("app_secret", required=True)),
            master_key=str(config.setting("master_key", required=True)),
            base_url=str(config.setting("base_url", ctwing.BASE_URL)),
            timeout_s=float(config.setting("http_timeout_s", 10.0)),
        )
        self._queue: asyncio.Queue[bytes] = asyncio.Queue()
        self._pending: dict[str, PendingCommand] = {}  # platform commandId -> command
        self._tasks: list[asyncio.Task] = []
        self._sending: set[asyncio.Task] = set()  # CreateCommand calls not answered yet
        self.push_token = str(config.settings.get("push_token") or "")
        self.allowed_sources = parse_networks(config.settings.get("allowed_sources"))
        self._on_push = self._queue.put_nowait
        receiver.route(self.push_path, self._on_push, self._admit)

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self._tasks = [
            loop.create_task(self._process(), name=f"ctwing {self.config.id}"),
            loop.create_task(self._expire(), name=f"ctwing expiry {self.config.id}"),
        ]
        # The status is shown to every role (comm monitor): the address without its secret token
        self.ctx.channel_status(
            ChannelStatus(
                self.config.id, True, messages.PUSH_ADDRESS(url=self.receiver.url(self.push_path))
            )
        )

    async def stop(self, reason: messages.Reason = messages.POLLER_STOPPED) -> None:
        self.receiver.unroute(self.push_path, self._on_push)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        while not self._queue.empty():  # pushes the platform was told we took
            self.handle_push(self._queue.get_nowait())
        if reason != messages.POLLER_STOPPED:
            # this runtime can no longer confirm what it handed to the platform
            await asyncio.gather(*self._sending, return_exceptions=True)
            for task_id in list(self._pending):
                self._finish(task_id, ok=False, reason=reason)
        self.client.close()

    def push_url(self) -> str:
        return self.receiver.url(self.push_path, self.push_token)

    def _admit(self, request: HttpRequest) -> bool:
        """A push from an allowed source with the channel's token; anything else is refused
        (403) and said in the error log, since it is someone posing as the platform."""
        source = request.peer or "?"
        if not is_allowed(request.peer, self.allowed_sources):
            reason = messages.SOURCE_REFUSED(source=source)
        elif not self.push_token:
            reason = messages.PUSH_NO_TOKEN(source=source)
        else:
            given = next((v for k, v in request.query if k == "token"), "")
            if hmac.compare_digest(given.encode(), self.push_token.encode()):
                return True
            reason = messages.PUSH_BAD_TOKEN(source=source)
        self.ctx.error(self.config.id, None, reason)
        self._log_push(None, request.body, PUSH_REFUSED.say)
        return False

    def listen_port(self) -> int:
        return self.receiver.bound_port

    # ------------------------------------------------------------------ pushes
    async def _process(self) -> None:
        while True:
            body = await self._queue.get()
            self.handle_push(body)

    def handle_push(self, body: bytes) -> None:
        cid = self.config.id
        try:
            message = ctwing.parse_push(body)
        except ctwing.CtwingError as exc:
            self._log_push(None, body, PUSH_NOT_READ(problem=str(exc)).say)
            self.ctx.error(cid, None, messages.PUSH_NOT_UNDERSTOOD(detail=messages.detail_of(exc)))
            return
        device = message.device_id
        if device not in self.endpoints:
            self._log_push(
                device,
                body,
                PUSH_NOT_BOUND(device=device).say,
            )
            self.ctx.error(cid, device, messages.PUSH_UNKNOWN_DEVICE(device=device))
            return
        if isinstance(message, ctwing.DataReport):
            self._on_data(message, body)
        elif isinstance(message, ctwing.CommandResponse):
            self._log_push(
                device, body, f"commandResponse {message.task_id}: {message.result_code}"
            )
            self._on_command_response(message)
        elif isinstance(message, ctwing.OnlineOfflineReport):
            self._log_push(
                device,
                body,
                (DEVICE_ONLINE if message.online else DEVICE_OFFLINE).say,
            )
            if message.online:
                self.ctx.meter_answered(cid, device)
            else:
                self.ctx.meter_failed(cid, device, messages.WATER_NO_ANSWER, 1)
        elif isinstance(message, ctwing.EventReport):
            self._log_push(
                device,
                body,
                f"eventReport {message.severity}: "
                f"{json.dumps(message.content, ensure_ascii=False)}",
            )
            if message.event_type >= 2:
                self.ctx.error(
                    cid,
                    device,
                    messages.WATER_ALARM(
                        severity=message.severity,
                        content=json.dumps(message.content, ensure_ascii=False),
                    ),
                )

    def _on_data(self, report: ctwing.DataReport, body: bytes) -> None:
        cid = self.config.id
        try:
            reading = ctwing.water_reading(report, self.model, channel_id=cid)
        except ctwing.CtwingError as exc:
            self._log_push(
                report.device_id,
                body,
                DATA_REPORT_NOT_READ(problem=str(exc)).say,
            )
            self.ctx.error(
                cid, report.device_id, messages.BAD_REPLY_DETAIL(detail=messages.detail_of(exc))
            )
            return
        self.ctx.meter_answered(cid, report.device_id)
        received = self.ctx.now()
        if reading is not None and reading.read_at - received > PLAUSIBLE_AHEAD:
            ahead_min = round((reading.read_at - received).total_seconds() / 60)
            self.ctx.error(
                cid,
                report.device_id,
                messages.PUSH_TIME_AHEAD(device=report.device_id, minutes=ahead_min),
            )
            reading = dataclasses.replace(reading, read_at=received)
        if reading is None:
            self._log_push(
                report.device_id,
                body,
                DATA_REPORT_NO_TOTAL.say,
            )
            return
        self._log_push(
            report.device_id,
            body,
            DATA_REPORT(
                total=f"{reading.total / 1000:.3f} m³",
                valve=VALVE_SHOWN[reading.valve_open],
                battery=reading.battery_v,
                rsrp=reading.signal_dbm,
            ).say,
        )
        self.ctx.reading(reading)
        if reading.valve_open is not None:
            for task_id, pending in list(self._pending.items()):
                if (
                    pending.command.address == report.device_id
                    and pending.valve_open == reading.valve_open
                ):
                    self._finish(task_id, ok=True, valve_open=reading.valve_open)

    def _on_command_response(self, response: ctwing.CommandResponse) -> None:
        pending = self._pending.get(response.task_id)
        if pending is None:
            return
        code = response.result_code.upper()
        if code in CONFIRMED:
            self._finish(response.task_id, ok=True, valve_open=pending.valve_open)
        elif code in FAILED:
            detail = f"{code} {response.result_detail or ''}".strip()
            self._finish(
                response.task_id, ok=False, reason=messages.WATER_COMMAND_FAILED(detail=detail)
            )

    def _finish(
        self,
        task_id: str,
        *,
        ok: bool,
        valve_open: bool | None = None,
        reason: messages.Reason | None = None,
    ) -> None:
        pending = self._pending.pop(task_id, None)
        if pending is None:
            return
        if not ok:
            self.ctx.error(self.config.id, pending.command.address, reason)
        self.ctx.command_result(
            CommandResult(
                pending.command.command_id,
                ok=ok,
                pending=False,
                valve_open=valve_open,
                reason=reason,
            )
        )

    def _log_push(self, device: str | None, body: bytes, meaning: Meaning) -> None:
        text = body.decode("utf-8", "replace")[:300]
        self.ctx.log_frame(
            self.config.id,
            Direction.RX,
            device,
            body[:256],
            lambda lang: f"{meant(meaning, lang)} | {text}",
        )

    async def _expire(self) -> None:
        while True:
            await asyncio.sleep(1.0)
            now = self.ctx.now()
            for task_id, pending in list(self._pending.items()):
                if now > pending.expires_at:
                    self._finish(task_id, ok=False, reason=messages.WATER_COMMAND_EXPIRED)

    # ------------------------------------------------------------------ reads and commands
    def read_now(self, endpoint: MeterEndpoint) -> asyncio.Future:
        # a sleeping NB meter cannot be read on demand: its next report is the reading
        future = asyncio.get_running_loop().create_future()
        future.set_result(None)
        return future

    def run_command(self, command: CommandRequest) -> None:
        if command.address not in self.endpoints:
            self.fail_command(command, messages.METER_UNKNOWN(address=command.address))
            return
        if command.action not in VALVE_WANTED:
            self.fail_command(
                command,
                messages.ACTION_NOT_SUPPORTED(
                    action=messages.ACTION_WORDS.get(command.action, command.action.value)
                ),
            )
            return
        task = asyncio.get_running_loop().create_task(self._send(command))
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, command: CommandRequest) -> None:
        cid = self.config.id
        content = ctwing.command_content(self.model, command.action)
        call = functools.partial(
            self.client.create_command,
            product_id=self.product_id,
            device_id=command.address,
            content=content,
            operator=self.operator,
            ttl_s=self.ttl_s,
        )
        text = json.dumps(content, ensure_ascii=False)
        self.ctx.log_frame(
            cid,
            Direction.TX,
            command.address,
            text.encode()[:256],
            CREATE_COMMAND(
                action=messages.ACTION_WORDS.get(command.action, command.action.value),
                address=command.address,
                content=text,
            ).say,
        )
        try:
            accepted = await asyncio.get_running_loop().run_in_executor(None, call)
        except PlatformUnreachable as exc:
            self.fail_command(
                command, messages.PLATFORM_UNREACHABLE(detail=messages.detail_of(exc))
            )
            return
        except ctwing.CtwingError as exc:
            self.fail_command(command, messages.PLATFORM_REJECTED(detail=messages.detail_of(exc)))
            return
        self.ctx.log_frame(
            cid,
            Direction.RX,
            command.address,
            accepted.command_id.encode(),
            PLATFORM_ACCEPTED(command_id=accepted.command_id, status=accepted.status).say,
        )
        self._pending[accepted.command_id] = PendingCommand(
            command,
            accepted.command_id,
            VALVE_WANTED[command.action],
            self.ctx.now() + timedelta(seconds=self.ttl_s),
        )
        self.ctx.command_result(
            CommandResult(command.command_id, ok=True, pending=True, reason=messages.WATER_PENDING)
        )


def build_ctwing_channel(config: ChannelConfig, ctx: ChannelContext, hubs: dict) -> CtwingChannel:
    host = str(config.setting("push_host", "0.0.0.0"))
    port = int(config.setting("push_port", 0))
    key = ("push", host, port)
    receiver = hubs.get(key)
    if receiver is None:
        receiver = hubs[key] = PushReceiver(host, port)
    return CtwingChannel(config, ctx, receiver)
