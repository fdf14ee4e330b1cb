"""A local double of the CTWing platform with its NB-IoT water meters (PROTOCOLS.md §5).

- CreateCommand (`POST /aep_device_command/command`): checks the HMAC-SHA1 signature,
  MasterKey, productId, deviceId and ttl the way the documented contract says, answers
  `{"code":0,"msg":"ok","result":{"commandId":…,"commandStatus":"指令已保存"}}` and caches the
  command for the device (§5.2: cached for `ttl`; a sleeping meter gets it at its next
  wake-up).
- `GET /echo` answers the platform time in `x-ag-timestamp`.
- Each meter wakes every `report_interval_s` sim seconds (phase from the seed): it pushes
  a dataReport, executes cached commands (valve), pushes a commandResponse per command
  and a dataReport with the new valve state.
- Pushes go to `push_url` (the program's endpoint) over a few keep-alive connections.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import json
import logging
import random
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from app.comm.protocols import ctwing
from app.comm.simulator.misbehave import SILENT_MODES
from app.comm.transports.httpio import HttpClient, HttpError, HttpRequest, HttpResponse, HttpServer
from app.comm.types import Action

if TYPE_CHECKING:
    from app.comm.simulator.clock import SimClock
    from app.comm.simulator.parts import SimConfig, SimMeter

log = logging.getLogger(__name__)

APP_KEY = "sim-app-key"
APP_SECRET = "sim-app-secret"
MASTER_KEY = "sim-master-key"
PRODUCT_ID = "15000001"
TENANT_ID = "2000000001"
PUSH_CONNECTIONS = 8


@dataclass(slots=True)
class CachedCommand:
    command_id: str
    device_id: str
    content: dict
    expires_at: float  # sim clock, seconds since epoch


class CtwingPlatformDouble:
    def __init__(
        self,
        clock: SimClock,
        config: SimConfig,
        meters: dict[tuple[int, str], SimMeter],
        host: str,
        port: int,
    ) -> None:
        # the market's clock, settings and meters (by channel id and address), as it runs
        self.clock, self.config, self.meters = clock, config, meters
        self.host, self.port = host, port
        self.server = HttpServer(host, port, self._handle, name="ctwing-double")
        self.channel = None  # SimChannel, set by the market
        self.push_url: str | None = None
        # the secret the program's push address carries (as pasted into the CTWing console)
        self.push_token = secrets.token_urlsafe(18)
        self.model = ctwing.load_water_model()
        self.cached: dict[str, list[CachedCommand]] = {}
        self.accepted = 0
        self.rejected = 0
        self.pushed = 0
        self.push_failures = 0
        self._ids = itertools.count(1001)
        self._clients: list[HttpClient] = []
        self._client_url: str | None = None
        self._push_queues: list[asyncio.Queue] = []
        self._tasks: list[asyncio.Task] = []
        self._wake_heap: list[tuple[float, int, str]] = []
        self._wake_event: asyncio.Event | None = None

    # ------------------------------------------------------------------ lifecycle
    def channel_settings(self) -> dict:
        return {
            "base_url": f"http://{self.host}:{self.port}",  # port fixed up after start
            "app_key": APP_KEY,
            "app_secret": APP_SECRET,
            "master_key": MASTER_KEY,
            "product_id": PRODUCT_ID,
            "operator": "marketmeter",
            "ttl_s": ctwing.DEFAULT_TTL_S,
            "push_host": "127.0.0.1",
            "push_port": 0,
            "push_path": "/ctwing/push",
            "push_token": self.push_token,
        }

    async def start(self) -> None:
        await self.server.start()
        self.port = self.server.bound_port
        if self.channel is not None:
            self.channel.settings["base_url"] = f"http://{self.host}:{self.port}"
        self._push_queues = [asyncio.Queue() for _ in range(PUSH_CONNECTIONS)]
        self._wake_event = asyncio.Event()
        loop = asyncio.get_running_loop()
        interval = self.clock.real_s(self.config.report_interval_s)
        rnd = random.Random(self.config.seed * 31)
        now = loop.time()
        for n, meter in enumerate(self.channel.meters if self.channel else ()):
            heapq.heappush(self._wake_heap, (now + rnd.uniform(0, interval), n, meter.address))
        self._tasks = [loop.create_task(self._wake_loop(interval), name="nb wake-ups")]
        self._tasks += [
            loop.create_task(self._pusher(q), name=f"ctwing pusher {i}")
            for i, q in enumerate(self._push_queues)
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for client in self._clients:
            await client.close()
        await self.server.stop()

    # ------------------------------------------------------------------ the platform API
    async def _handle(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and request.path == "/echo":
            return HttpResponse(200, b"", {"x-ag-timestamp": str(int(time.time() * 1000))})
        if request.path != ctwing.COMMAND_PATH:
            return HttpResponse(404, b'{"code":404,"msg":"no such API"}')
        if request.method != "POST":
            return HttpResponse(405, b'{"code":405,"msg":"POST only"}')
        return self._create_command(request)

    def _reply(self, code: int, msg: str, result: dict | None = None) -> HttpResponse:
        if code:
            self.rejected += 1
        body = {"code": code, "msg": msg}
        if result is not None:
            body["result"] = result
        return HttpResponse(200, json.dumps(body, ensure_ascii=False).encode())

    def _create_command(self, request: HttpRequest) -> HttpResponse:
        query = dict(request.query)
        if not ctwing.verify_signature(request.headers, request.body, APP_SECRET, query):
            return self._reply(1011, "signature error (签名错误)")
        if request.headers.get("application") != APP_KEY:
            return self._reply(1010, "application not found")
        master = query.get("MasterKey") or request.headers.get("masterkey")
        if master != MASTER_KEY:
            return self._reply(1012, "MasterKey error")
        if request.headers.get("version") != ctwing.COMMAND_VERSION:
            return self._reply(1016, "API version error")
        try:
            body = json.loads(request.body)
            product_id, device_id = str(body["productId"]), str(body["deviceId"])
            ttl = int(body.get("ttl", ctwing.DEFAULT_TTL_S))
            content = dict(body["content"])
        except (ValueError, KeyError, TypeError) as exc:
            return self._reply(1001, f"bad request body: {exc}")
        if product_id != PRODUCT_ID:
            return self._reply(1004, "product not found")
        meter = self.meters.get((self.channel.id, device_id)) if self.channel else None
        if meter is None:
            return self._reply(1005, "device not found")
        if not 0 <= ttl <= 864000:
            return self._reply(1001, "ttl out of range")
        if content not in self.model.commands.values():
            return self._reply(1001, "unknown service / params for this product")
        command = CachedCommand(str(next(self._ids)), device_id, content, self._sim_now() + ttl)
        self.cached.setdefault(device_id, []).append(command)
        self.accepted += 1
        return self._reply(
            0, "ok", {"commandId": command.command_id, "commandStatus": "指令已保存"}
        )

    # ------------------------------------------------------------------ meters waking up
    def _sim_now(self) -> float:
        return self.clock.now().timestamp()

    async def _wake_loop(self, interval_s: float) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self._wake_heap:
                self._wake_event.clear()
                await self._wake_event.wait()
                continue
            when, n, device_id = self._wake_heap[0]
            delay = when - loop.time()
            if delay > 0:
                # the heap only changes here: a plain sleep (wait_for costs a task per wake)
                await asyncio.sleep(delay)
                continue
            heapq.heappop(self._wake_heap)
            heapq.heappush(self._wake_heap, (when + interval_s, n, device_id))
            self.wake(device_id)

    def wake(self, device_id: str) -> None:
        """One wake-up of one meter: report, run cached commands, report again."""
        meter = self.meters.get((self.channel.id, device_id))
        if meter is None or self._silent(meter):
            return
        physics = meter.physics
        now = self.clock.now()
        self._push(self._data_report(meter))
        commands = self.cached.pop(device_id, [])
        for command in commands:
            if command.expires_at < now.timestamp():
                self._push(
                    self._command_response(
                        meter, command, "TIMEOUT", "command expired before the device woke up"
                    )
                )
                continue
            wanted = command.content["params"]
            open_ = wanted == self.model.commands[Action.VALVE_OPEN]["params"]
            physics.set_valve(open_, now)
            self._push(self._command_response(meter, command, "COMPLETED", "valve operated"))
        if commands:
            self._push(self._data_report(meter))

    def wake_all(self) -> None:
        for meter in self.channel.meters if self.channel else ():
            self.wake(meter.address)

    def _silent(self, meter: SimMeter) -> bool:
        faults = meter.extra.get("faults")
        return faults is not None and faults.current() in SILENT_MODES

    def _common(self, meter: SimMeter, kind: str) -> dict:
        return {
            "messageType": kind,
            "tenantId": TENANT_ID,
            "productId": PRODUCT_ID,
            "deviceId": meter.address,
            "IMEI": meter.extra.get("imei", ""),
            "IMSI": "undefined",
            "protocol": "lwm2m",
            "timestamp": int(self.clock.now().timestamp() * 1000),
        }

    def _data_report(self, meter: SimMeter) -> dict:
        values = meter.physics.values(self.clock.now())
        states = self.model.valve_states
        payload = {
            "cumulativeFlow": round(values["volume_l"] / 1000, 3),
            "valveStatus": states["open"] if values["valve_open"] else states["closed"],
            "batteryVoltage": values["battery_v"],
            "RSRP": values["signal_dbm"],
        }
        return {
            **self._common(meter, "dataReport"),
            "serviceId": "waterMeter",
            "upPacketSN": -1,
            "payload": payload,
        }

    def _command_response(
        self, meter: SimMeter, command: CachedCommand, code: str, detail: str
    ) -> dict:
        return {
            **self._common(meter, "commandResponse"),
            "taskId": command.command_id,
            "result": {"resultCode": code, "resultDetail": detail},
        }

    # ------------------------------------------------------------------ pushing
    def _push(self, message: dict) -> None:
        if self.push_url is None:
            return
        # one connection per device keeps each meter's pushes in order
        queue = self._push_queues[hash(message["deviceId"]) % len(self._push_queues)]
        queue.put_nowait(json.dumps(message, ensure_ascii=False).encode())

    async def _pusher(self, queue: asyncio.Queue) -> None:
        client: HttpClient | None = None
        url = None
        while True:
            body = await queue.get()
            if self.push_url is None:
                continue
            if client is None or url != self.push_url:
                if client is not None:
                    await client.close()
                url = self.push_url
                parts = urlsplit(url)
                client = HttpClient(parts.hostname, parts.port or 80, timeout_s=5.0)
                self._clients.append(client)
                # the token: the one in the address, else the one the channel settings describe
                path = (parts.path or "/") + (
                    f"?{parts.query}" if parts.query else f"?token={self.push_token}"
                )
            for _attempt in range(3):  # the platform retries a failed push at most 3× (§5.1)
                try:
                    status, _ = await client.request(
                        "POST", path, body, {"Content-Type": "application/json"}
                    )
                except (HttpError, TimeoutError) as exc:
                    log.debug("push to %s failed: %s", url, exc)
                    continue
                if status == 200:
                    self.pushed += 1
                    break
            else:
                self.push_failures += 1
