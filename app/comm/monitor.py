"""The poller's frame and error logs over HTTP, for a client whose collection runs in
another process (`python -m app service --monitor-port`).

    GET /frames?since=N[&limit=M][&lang=L]  ->  {"last": seq, "items": [frame, …]}
    GET /errors?since=N[&limit=M]  ->  {"last": seq, "items": [error, …]}

Bound to 127.0.0.1 only. A frame's meaning is made when it is asked for, as in
`Poller.frames_since`: nothing is computed while no monitor follows. `MonitorClient` has
the poller's `frames_since` / `errors_since`, so a reader takes either.
"""

from __future__ import annotations

import http.client
import json
import logging
import threading
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit

from app.comm.messages import said_from, stored_text
from app.comm.types import CommError, Direction, FrameEvent
from app.words import ENGLISH

log = logging.getLogger(__name__)


def _frame_json(f: FrameEvent) -> dict:
    return {
        "at": f.at.isoformat(),
        "channel_id": f.channel_id,
        "address": f.address,
        "direction": str(f.direction),
        "hex": f.hex,
        "meaning": f.meaning,
    }


def _error_json(e: CommError) -> dict:
    return {
        "at": e.at.isoformat(),
        "channel_id": e.channel_id,
        "address": e.address,
        "message": stored_text(e.message),
    }  # code + parameters: the client says it in its language


class MonitorServer:
    """Serves a poller's logs on 127.0.0.1:`port` (0: any free port, see `.port`) from a
    daemon thread."""

    def __init__(self, poller, port: int = 0) -> None:
        logs: dict[str, tuple[Callable, Callable]] = {
            "/frames": (poller.frames_since, _frame_json),  # meanings said in `lang`
            "/errors": (lambda since, limit, _lang: poller.errors_since(since, limit), _error_json),
        }

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                url = urlsplit(self.path)
                if url.path not in logs:
                    self.send_error(HTTPStatus.NOT_FOUND)
                    return
                query = parse_qs(url.query)
                try:
                    since = int(query.get("since", ["0"])[0])
                    limit = int(query["limit"][0]) if "limit" in query else None
                except ValueError:
                    self.send_error(HTTPStatus.BAD_REQUEST, "since and limit are whole numbers")
                    return
                lang = query.get("lang", [ENGLISH])[0]
                read, to_json = logs[url.path]
                last, items = read(since, limit, lang)
                body = json.dumps(
                    {"last": last, "items": [to_json(i) for i in items]}, ensure_ascii=False
                ).encode()
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:  # noqa: A002 - http.server's signature
                log.debug("monitor: " + format, *args)

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="comm-monitor", daemon=True
        )

    def start(self) -> MonitorServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class MonitorClient:
    """A `MonitorServer` read like the poller itself; raises OSError when it cannot be reached."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout_s: float = 5.0) -> None:
        self.host, self.port = host, port
        self.timeout_s = timeout_s

    def _get(
        self, what: str, seq: int, limit: int | None, lang: str = ENGLISH
    ) -> tuple[int, list[dict]]:
        # http.client, not urllib: a proxy set in the environment must not see 127.0.0.1
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
        try:
            limited = f"&limit={limit}" if limit is not None else ""
            connection.request("GET", f"/{what}?since={seq}{limited}&lang={quote(lang)}")
            answer = connection.getresponse()
            body = answer.read()
        finally:
            connection.close()
        if answer.status != HTTPStatus.OK:
            raise OSError(f"comm monitor answered {answer.status} {answer.reason}")
        data = json.loads(body)
        return data["last"], data["items"]

    def frames_since(
        self, seq: int = 0, limit: int | None = None, lang: str = ENGLISH
    ) -> tuple[int, list[FrameEvent]]:
        last, items = self._get("frames", seq, limit, lang)
        return last, [
            FrameEvent(
                datetime.fromisoformat(i["at"]),
                i["channel_id"],
                i["address"],
                Direction(i["direction"]),
                i["hex"],
                i["meaning"],
            )
            for i in items
        ]

    def errors_since(self, seq: int = 0, limit: int | None = None) -> tuple[int, list[CommError]]:
        last, items = self._get("errors", seq, limit)
        return last, [
            CommError(
                datetime.fromisoformat(i["at"]),
                i["channel_id"],
                i["address"],
                said_from(i["message"]) or i["message"],
            )
            for i in items
        ]
