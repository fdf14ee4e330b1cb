"""HTTP both ways with China Telecom CTWing (AEP), PROTOCOLS.md §5.

(a) `PushReceiver`: the endpoint the platform POSTs its pushes to (subscription `subUrl`).
    It answers 200 at once and queues the body; the platform retries a failed push at
    most 3× and cools an endpoint down after many failures (§5.1), so nothing slow may
    happen before the answer. Several channels can share one port with different paths.
(b) `CtwingCommandClient`: CreateCommand with `requests` (blocking: call it from a worker
    thread). The request and its HMAC-SHA1 signature come from the codec
    (`app.comm.protocols.ctwing`); `base_url` is configurable so tests and the simulator
    hit a local double instead of https://ag-api.ctwing.cn.

Bodies are passed on as bytes: what they mean is the codec's business.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

from app.comm.protocols import ctwing
from app.comm.transports.httpio import HttpRequest, HttpResponse, HttpServer

log = logging.getLogger(__name__)

OK_BODY = b'{"code":0,"msg":"ok"}'


Admit = Callable[[HttpRequest], bool]


class PushReceiver:
    """POST <path> -> on_push(body) for every registered path; 200 immediately, or 403 when
    the route's `admit(request)` refuses it (wrong token or source: the route says why)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self._routes: dict[str, tuple[Callable[[bytes], None], Admit]] = {}
        self._server = HttpServer(host, port, self._handle, name=f"ctwing-push:{host}:{port}")
        self.received = 0
        self.refused = 0

    def route(
        self, path: str, on_push: Callable[[bytes], None], admit: Admit = lambda request: True
    ) -> None:
        self._routes[path] = (on_push, admit)

    def unroute(self, path: str, on_push: Callable[[bytes], None]) -> None:
        """Remove the route, unless another receiver has taken the path since."""
        if path in self._routes and self._routes[path][0] == on_push:
            del self._routes[path]

    @property
    def bound_port(self) -> int:
        return self._server.bound_port

    def url(self, path: str, token: str = "") -> str:
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        return f"http://{host}:{self.bound_port}{path}" + (f"?token={token}" if token else "")

    async def start(self) -> None:
        await self._server.start()

    async def stop(self) -> None:
        await self._server.stop()

    async def _handle(self, request: HttpRequest) -> HttpResponse:
        route = self._routes.get(request.path)
        if route is None:
            return HttpResponse(404, b'{"code":404,"msg":"unknown path"}')
        on_push, admit = route
        if not admit(request):
            self.refused += 1
            return HttpResponse(403, b'{"code":403,"msg":"forbidden"}')
        if request.method != "POST":
            return HttpResponse(405, b'{"code":405,"msg":"POST only"}')
        self.received += 1
        on_push(request.body)  # queues only; processing happens after the answer
        return HttpResponse(200, OK_BODY)


class PlatformUnreachable(Exception):
    """The platform could not be reached or answered with an HTTP error."""


class CtwingCommandClient:
    """CreateCommand client. Thread-safe; one `requests.Session` (keep-alive) per client."""

    def __init__(
        self,
        *,
        app_key: str,
        app_secret: str,
        master_key: str,
        base_url: str = ctwing.BASE_URL,
        timeout_s: float = 10.0,
        sync_clock: bool = True,
        session: requests.Session | None = None,
    ) -> None:
        self.app_key, self.app_secret, self.master_key = app_key, app_secret, master_key
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self._session = session or requests.Session()
        self._lock = threading.Lock()
        self._offset_ms: int | None = None if sync_clock else 0

    def _timestamp_ms(self) -> int:
        if self._offset_ms is None:
            self._offset_ms = self._clock_offset_ms()
        return int(time.time() * 1000) + self._offset_ms

    def _clock_offset_ms(self) -> int:
        """Platform time minus ours, from GET /echo's x-ag-timestamp (the SDK's habit, §5.2)."""
        try:
            before = time.time() * 1000
            reply = self._session.get(f"{self.base_url}/echo", timeout=self.timeout_s)
            platform = reply.headers.get("x-ag-timestamp")
            if platform:
                after = time.time() * 1000
                return int(int(platform) - (before + after) / 2)
        except (requests.RequestException, ValueError) as exc:
            log.warning("CTWing clock sync failed, using the local clock: %s", exc)
        return 0

    def create_command(
        self,
        *,
        product_id: int | str,
        device_id: str,
        content: Mapping[str, Any],
        operator: str,
        ttl_s: int = ctwing.DEFAULT_TTL_S,
    ) -> ctwing.CommandAccepted:
        """POST CreateCommand; raises PlatformUnreachable or ctwing.CtwingError (refused)."""
        with self._lock:
            timestamp = self._timestamp_ms()
        request = ctwing.create_command_request(
            app_key=self.app_key,
            app_secret=self.app_secret,
            master_key=self.master_key,
            product_id=product_id,
            device_id=device_id,
            content=content,
            operator=operator,
            timestamp_ms=timestamp,
            ttl_s=ttl_s,
            base_url=self.base_url,
        )
        try:
            reply = self._session.post(
                request.url,
                data=request.body,
                headers=dict(request.headers),
                timeout=self.timeout_s,
            )
        except requests.RequestException as exc:
            raise PlatformUnreachable(str(exc)) from exc
        if reply.status_code >= 500:
            raise PlatformUnreachable(f"HTTP {reply.status_code}")
        return ctwing.parse_command_reply(reply.content)

    def close(self) -> None:
        self._session.close()
