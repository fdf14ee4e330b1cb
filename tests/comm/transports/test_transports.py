"""Transports are byte pipes: null pipe, TCP client with back-off, serial on a pty, listener."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
import tty
from types import SimpleNamespace

import pytest
import serial

from app.comm.transports import serial_line
from app.comm.transports.base import ByteBuffer, LinkClosed, LinkError
from app.comm.transports.httpio import HttpClient, HttpResponse, HttpServer
from app.comm.transports.listener import DialInRegistry, Listener
from app.comm.transports.null import pipe_pair
from app.comm.transports.serial_line import (
    SerialLineTransport,
    default_silence_s,
    device,
    port_name,
)
from app.comm.transports.tcp_client import TcpClientTransport


def run(coro, timeout_s: float = 10.0):
    return asyncio.run(asyncio.wait_for(coro, timeout_s))


def test_null_pipe_carries_bytes_both_ways_and_reports_close():
    async def main():
        a, b = pipe_pair()
        await a.write(b"\x01\x03")
        await a.write(b"\x02")
        assert await b.read(1.0) == b"\x01\x03\x02"
        assert await a.read(0.01) == b""  # nothing came: timeout gives empty bytes
        await b.write(b"stale")
        assert a.discard_input() == b"stale"  # what came before a request is dropped
        await b.write(b"pong")
        assert await a.read(1.0) == b"pong"
        await b.close()
        with pytest.raises(LinkClosed):
            await a.read(1.0)
        with pytest.raises(LinkClosed):
            await b.write(b"x")

    run(main())


def test_byte_buffer_wakes_a_reader_and_bounds_what_nobody_reads():
    async def main():
        buffer = ByteBuffer(max_bytes=8)
        loop = asyncio.get_running_loop()
        loop.call_later(0.01, buffer.feed, b"abc")
        started = time.monotonic()
        assert await buffer.read(5.0) == b"abc"
        assert time.monotonic() - started < 4.0  # woken by the bytes, not by the 5 s timeout
        buffer.feed(b"0123456789")
        assert buffer.discard() == b"23456789"

    run(main())


def test_byte_buffer_times_out_each_read_at_its_own_deadline_with_one_timer():
    async def main():
        buffer = ByteBuffer()
        loop = asyncio.get_running_loop()
        made = []
        call_at = loop.call_at

        def counting_call_at(when, callback, *args, **kwargs):
            if callback == buffer._on_timer:
                made.append(when)
            return call_at(when, callback, *args, **kwargs)

        loop.call_at = counting_call_at
        for _ in range(20):  # a reply each time, long before the 5 s timeout
            loop.call_soon(buffer.feed, b"r")
            assert await buffer.read(5.0) == b"r"
        assert len(made) == 1  # the first read's timer serves the later ones
        started = time.monotonic()
        assert await buffer.read(0.05) == b""  # earlier than the pending timer: its own
        # its own deadline, not the pending timer's 5 s: the upper bound only tells the two apart
        assert 0.04 <= time.monotonic() - started < 2.5
        await asyncio.sleep(0.12)
        started = time.monotonic()
        loop.call_later(0.02, buffer.feed, b"x")
        assert await buffer.read(0.3) == b"x"  # the old timer, fired early, is not a timeout
        started = time.monotonic()
        assert await buffer.read(0.1) == b""
        assert 0.09 <= time.monotonic() - started < 2.5

    run(main())


def test_tcp_client_backs_off_while_the_gateway_is_down_then_connects():
    async def main():
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        client = TcpClientTransport(
            "127.0.0.1", port, connect_timeout_s=1.0, backoff_initial_s=0.2, backoff_max_s=0.4
        )
        with pytest.raises(LinkError, match="cannot connect"):
            await client.open()
        with pytest.raises(LinkError, match="retry in"):
            await client.open()  # within the back-off: no new attempt

        async def echo(reader, writer):
            writer.write(await reader.read(100))

        server = await asyncio.start_server(echo, "127.0.0.1", port)
        await asyncio.sleep(0.25)
        await client.open()
        await client.write(b"\x01\x02")
        assert await client.read(2.0) == b"\x01\x02"
        server.close()
        await client.close()
        assert not client.is_open

    run(main())


@pytest.mark.skipif(sys.platform == "win32", reason="pty is POSIX")
def test_serial_line_on_a_pty_moves_bytes_and_keeps_inter_frame_silence():
    async def main():
        master, slave = os.openpty()
        tty.setraw(slave)
        tty.setraw(master)
        line = SerialLineTransport(os.ttyname(slave), 9600, parity="E")
        await line.open()
        try:
            os.write(master, b"\x68\x11\x16")
            got = b""
            while len(got) < 3:
                got += await line.read(2.0)  # whatever has arrived, possibly byte by byte
            assert got == b"\x68\x11\x16"
            started = time.monotonic()
            await line.write(b"\x01\x03\x00\x00\x00\x02\xc4\x0b")
            await line.write(b"\x01")
            elapsed = time.monotonic() - started
            # the second frame waits for the first one's wire time plus 3.5 characters
            assert elapsed >= 8 * 10 / 9600 + default_silence_s(9600) - 0.002
            got = b""
            while len(got) < 9:
                got += os.read(master, 64)
            assert got == b"\x01\x03\x00\x00\x00\x02\xc4\x0b\x01"
        finally:
            await line.close()
            os.close(master)
            os.close(slave)

    run(main())


def test_serial_line_reports_a_missing_port_as_a_link_error():
    async def main():
        with pytest.raises(LinkError, match="cannot open port"):
            await SerialLineTransport("/dev/does-not-exist-42", 9600).open()

    run(main())


def test_listener_hands_over_connections_and_the_registry_replaces_a_redialled_device():
    async def main():
        registry = DialInRegistry()
        seen = []
        both_seen = asyncio.Event()

        async def on_connection(link):
            identity = (await link.read(2.0)).decode()
            old = registry.bind(identity, link)
            seen.append((identity, old is not None))
            if len(seen) == 2:
                both_seen.set()
            while True:
                try:
                    await link.read(5.0)
                except LinkClosed:
                    registry.unbind(identity, link)
                    return

        listener = Listener("127.0.0.1", 0, on_connection)
        await listener.start()
        port = listener.bound_port
        waiter = asyncio.ensure_future(registry.wait_for("METER-1", 5.0))
        _, w1 = await asyncio.open_connection("127.0.0.1", port)
        w1.write(b"METER-1")
        first = await waiter
        _, w2 = await asyncio.open_connection("127.0.0.1", port)
        w2.write(b"METER-1")  # same device, new connection
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(both_seen.wait(), 5.0)
        assert seen == [("METER-1", False), ("METER-1", True)]
        assert registry.get("METER-1") is not first
        assert await registry.wait_for("NOBODY", 0.05) is None
        w1.close()
        w2.close()
        await listener.stop()

    run(main())


def test_http_server_and_keep_alive_client():
    async def main():
        async def handler(request):
            return HttpResponse(200, request.body[::-1])

        server = HttpServer("127.0.0.1", 0, handler)
        await server.start()
        client = HttpClient("127.0.0.1", server.bound_port)
        for body in (b"abc", b"{}", b"x" * 5000):
            assert await client.request("POST", "/p", body) == (200, body[::-1])
        await client.close()
        await server.stop()

    run(main())


def test_a_link_handed_over_to_a_receiver_gets_the_unread_bytes_then_every_later_one():
    async def main():
        got: list[bytes] = []
        done = asyncio.get_running_loop().create_future()

        async def on_connection(link):
            first = await link.read(2.0)
            await asyncio.sleep(0.05)  # more arrives meanwhile, into the buffer
            rest = link.hand_over(got.append)
            got.insert(0, first + rest)
            await link.wait_closed()
            done.set_result(None)

        listener = Listener("127.0.0.1", 0, on_connection)
        await listener.start()
        _, writer = await asyncio.open_connection("127.0.0.1", listener.bound_port)
        writer.write(b"REG")
        await asyncio.sleep(0.02)
        writer.write(b"-more")
        await asyncio.sleep(0.1)
        writer.write(b"later")
        await asyncio.sleep(0.05)
        writer.close()
        await asyncio.wait_for(done, 2.0)  # the peer's close ends wait_closed
        await listener.stop()
        assert b"".join(got) == b"REG-morelater"
        assert got[-1] == b"later"  # straight from the connection, not through read()

    run(main())


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("COM3", "COM3"),
        ("com3", "COM3"),
        (" COM 10 ", "COM10"),
        ("\uff23\uff2f\uff2d\uff13", "COM3"),  # full-width, as a Chinese input method types it
        ("COM3:", "COM3"),
        ("\\\\.\\COM10", "COM10"),
        ("\\\\.\\com12", "COM12"),
        ("7", "COM7"),
        ("/dev/ttyUSB0", "/dev/ttyUSB0"),
        ("socket://10.0.0.5:4001", "socket://10.0.0.5:4001"),
    ],
)
def test_a_typed_com_port_is_spelled_as_windows_names_it(typed, name):
    assert port_name(typed) == name


def test_windows_opens_every_com_port_by_its_device_path():
    # CreateFile opens COM10 and up only as \\.\COM10
    assert device("COM10", "win32") == "\\\\.\\COM10"
    assert device("com3", "win32") == "\\\\.\\COM3"
    assert device("\\\\.\\COM10", "win32") == "\\\\.\\COM10"
    assert device("COM10", "linux") == "COM10"
    assert device("/dev/ttyUSB0", "win32") == "/dev/ttyUSB0"


def test_the_serial_line_opens_the_device_path_of_its_port(monkeypatch):
    """The transport hands pyserial the device path (the physical port is the edge: pyserial's
    opener is replaced by one that records what it was asked for)."""
    asked = []

    def serial_for_url(url, **kwargs):
        asked.append(url)
        raise serial.SerialException(f"could not open port {url}")

    monkeypatch.setattr(serial, "serial_for_url", serial_for_url)
    monkeypatch.setattr(serial_line, "sys", SimpleNamespace(platform="win32"))

    async def main():
        with pytest.raises(LinkError, match="cannot open port"):
            await SerialLineTransport("com10", 9600).open()

    run(main())
    assert asked == ["\\\\.\\COM10"]
