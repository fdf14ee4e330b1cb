"""A poller that runs for months keeps what it needs per meter once, not per connection."""

from __future__ import annotations

import decimal
import gc
import socket

from app.comm.poller import Poller
from app.comm.protocols import acrel4g
from app.comm.types import ChannelConfig, ChannelKind, MeterEndpoint, MeterKind, Protocol
from tests.comm.builders import a_mapb_response
from tests.comm.runtime_helpers import RecordingSink


def decimal_contexts() -> int:
    """Decimal contexts alive (each held by the contextvars of whoever made it)."""
    gc.collect()
    return len(
        {
            id(ref)
            for obj in gc.get_objects()
            for ref in gc.get_referents(obj)
            if type(ref) is decimal.Context
        }
    )


def test_uploads_of_many_4g_meters_share_one_decimal_context():
    # Decimal arithmetic made a context in the contextvars of whatever ran it: a 4G
    # upload is decoded in its connection's receive callback, so every meter that
    # uploaded kept one (about 3 blocks) for as long as it stayed connected.
    serials = [f"A4G{n:011d}" for n in range(12)]
    meters = tuple(
        MeterEndpoint(7, s, MeterKind.ELECTRIC, Protocol.MODBUS_ACREL, "acrel_ddsy1352_mapb")
        for s in serials
    )
    channel = ChannelConfig(
        7,
        "4G",
        ChannelKind.ACREL_4G,
        {"listen_host": "127.0.0.1", "listen_port": 0},
        poll_interval_s=0,
        meters=meters,
    )
    sink = RecordingSink()
    poller = Poller([channel], sink, command_poll_s=0, flush_interval_s=0.01)
    poller.start()
    links = []
    try:
        port = poller.listen_port(7)
        for serial in serials:
            link = socket.create_connection(("127.0.0.1", port), timeout=10)
            links.append(link)
            link.sendall(
                acrel4g.Register(
                    serial, "8986" + "0" * 16, 25, ("0102", "0100", "0001"), 15
                ).encode()
            )
        sink.wait(
            lambda s: {st.address for st in s.statuses if st.online} >= set(serials),
            what="all meters online",
        )
        before = decimal_contexts()
        for link, serial in zip(links, serials, strict=True):
            link.sendall(acrel4g.data_upload([("1", a_mapb_response())], serial))
        uploads = sink.wait(
            lambda s: (
                [r for r in s.readings if r.source == "upload"]
                if {r.address for r in s.readings if r.source == "upload"} >= set(serials)
                else None
            ),
            what="an upload from every meter",
        )
        assert {r.total for r in uploads} == {123456}
        assert decimal_contexts() - before <= 1
    finally:
        for link in links:
            link.close()
        poller.stop()
