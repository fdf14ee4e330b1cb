"""The portal in a real uvicorn server on 127.0.0.1 (a thread), for HTTP and browser tests."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from app.portal.app import create_app
from app.services.portal.sms import latest_messages
from tests.waiting import wait_until


@contextmanager
def serving(db, **options) -> Iterator[str]:
    """The portal on a free port; `options` go to create_app (query_every_s)."""
    server = uvicorn.Server(
        uvicorn.Config(create_app(db, **options), host="127.0.0.1", port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, timeout_s=30)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def outbox_code(db, site_id: int, phone: str) -> str:
    with db.reading() as s:
        return next(m for m in latest_messages(s, site_id) if m.phone == phone).params["code"]
