"""Just enough HTTP/1.1 on asyncio for JSON pushes: a server and a keep-alive client.

The CTWing platform pushes one small JSON document per POST and wants a fast 200; our
push endpoint and the simulator's platform double both live in an asyncio loop, so a
tiny HTTP layer there avoids a thread per request. Bodies need Content-Length (no
chunked transfer); that is what the platform and `requests` send.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

log = logging.getLogger(__name__)

MAX_HEADER_BYTES = 16 * 1024
MAX_BODY_BYTES = 4 * 1024 * 1024
REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    411: "Length Required",
    413: "Payload Too Large",
    500: "Internal Server Error",
}


class HttpError(Exception):
    pass


@dataclass(slots=True)
class HttpRequest:
    method: str
    target: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    peer: str = ""  # the client's IP address

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> list[tuple[str, str]]:
        return parse_qsl(urlsplit(self.target).query, keep_blank_values=True)


@dataclass(slots=True)
class HttpResponse:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})


Handler = Callable[[HttpRequest], Awaitable[HttpResponse]]


async def _read_head(reader: asyncio.StreamReader) -> tuple[str, dict[str, str]] | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    except asyncio.LimitOverrunError as exc:
        raise HttpError("header too large") from exc
    lines = head.decode("iso-8859-1").split("\r\n")
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return lines[0], headers


async def _read_body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        raise HttpError("chunked bodies are not supported")
    length = int(headers.get("content-length", "0") or 0)
    if length > MAX_BODY_BYTES:
        raise HttpError("body too large")
    return await reader.readexactly(length) if length else b""


def _encode(first_line: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = (
        [first_line]
        + [f"{k}: {v}" for k, v in headers.items()]
        + [f"Content-Length: {len(body)}", "", ""]
    )
    return "\r\n".join(lines).encode("iso-8859-1") + body


class HttpServer:
    def __init__(self, host: str, port: int, handler: Handler, *, name: str = "http") -> None:
        self.host, self.port, self.handler, self.name = host, int(port), handler, name
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def bound_port(self) -> int:
        if self._server is None or not self._server.sockets:
            return self.port
        return self._server.sockets[0].getsockname()[1]

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, limit=MAX_HEADER_BYTES, backlog=1024
        )

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await _read_head(reader)
                    if head is None:
                        return
                    request_line, headers = head
                    parts = request_line.split(" ")
                    if len(parts) != 3:
                        raise HttpError(f"bad request line {request_line!r}")
                    body = await _read_body(reader, headers)
                except (HttpError, ValueError, asyncio.IncompleteReadError) as exc:
                    log.warning("%s: bad request: %s", self.name, exc)
                    writer.write(_encode("HTTP/1.1 400 Bad Request", {"Connection": "close"}, b""))
                    return
                peer = writer.get_extra_info("peername")
                request = HttpRequest(
                    parts[0].upper(), parts[1], headers, body, str(peer[0]) if peer else ""
                )
                response = await self.handler(request)
                keep = headers.get("connection", "").lower() != "close"
                out_headers = dict(response.headers)
                out_headers["Connection"] = "keep-alive" if keep else "close"
                reason = REASONS.get(response.status, "Status")
                writer.write(
                    _encode(f"HTTP/1.1 {response.status} {reason}", out_headers, response.body)
                )
                await writer.drain()
                if not keep:
                    return
        except (ConnectionError, OSError) as exc:
            log.debug("%s: connection ended: %s", self.name, exc)
        finally:
            self._writers.discard(writer)
            writer.close()


class HttpClient:
    """One keep-alive connection to host:port; reconnects once when the server closed it."""

    def __init__(self, host: str, port: int, *, timeout_s: float = 5.0) -> None:
        self.host, self.port, self.timeout_s = host, int(port), timeout_s
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._lock = asyncio.Lock()

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._reader = self._writer = None

    async def request(
        self, method: str, target: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        async with self._lock:
            for attempt in (1, 2):
                try:
                    async with asyncio.timeout(
                        self.timeout_s
                    ):  # no task per request, unlike wait_for
                        return await self._once(method, target, body, headers or {})
                except (ConnectionError, asyncio.IncompleteReadError, OSError) as exc:
                    await self.close()
                    if attempt == 2:
                        raise HttpError(
                            f"{method} http://{self.host}:{self.port}{target}: {exc}"
                        ) from exc
        raise AssertionError("unreachable")

    async def _once(
        self, method: str, target: str, body: bytes, headers: dict[str, str]
    ) -> tuple[int, bytes]:
        if self._writer is None or self._writer.is_closing():
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port, limit=MAX_HEADER_BYTES
            )
        all_headers = {"Host": f"{self.host}:{self.port}", "Connection": "keep-alive", **headers}
        self._writer.write(_encode(f"{method} {target} HTTP/1.1", all_headers, body))
        await self._writer.drain()
        head = await _read_head(self._reader)
        if head is None:
            raise ConnectionResetError("server closed the connection")
        status_line, resp_headers = head
        data = await _read_body(self._reader, resp_headers)
        if resp_headers.get("connection", "").lower() == "close":
            await self.close()
        return int(status_line.split(" ")[1]), data
