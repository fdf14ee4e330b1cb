"""The collection service's monitor endpoint: the poller's frame and error logs over a
real socket on 127.0.0.1, since a sequence number, meanings made only when asked for."""

from __future__ import annotations

import http.client

import pytest

from app.comm.monitor import MonitorClient, MonitorServer
from app.comm.poller import Poller
from app.comm.types import Direction
from tests.comm.runtime_helpers import RecordingSink


@pytest.fixture
def poller():
    p = Poller([], RecordingSink(), command_poll_s=0)
    yield p


@pytest.fixture
def served(poller):
    server = MonitorServer(poller, 0).start()
    yield server
    server.stop()


def test_frames_and_errors_since_a_sequence_number_come_over_the_socket(poller, served):
    described: list[int] = []

    def meaning(n: int):
        def describe(lang: str) -> str:
            described.append(n)
            return f"slave {n} answers FC03"

        return describe

    for n in range(1, 4):
        poller.log_frame(7, Direction.TX, str(n), bytes([n, 3, 0, 0]), f"read slave {n}")
        poller.log_frame(7, Direction.RX, str(n), bytes([n, 3, 2, 0, 1]), meaning(n))
    poller.error(7, "9", "表计无应答（已重试 2 次）")
    assert described == []  # logging a frame describes nothing

    monitor = MonitorClient(served.port)
    last, frames = monitor.frames_since(0)
    assert last == 6 and len(frames) == 6
    assert frames[1].direction is Direction.RX and frames[1].hex == "01 03 02 00 01"
    assert frames[1].meaning == "slave 1 answers FC03" and frames[1].at.tzinfo is not None
    assert (
        frames[0].meaning == "read slave 1"
        and frames[0].channel_id == 7
        and frames[0].address == "1"
    )
    assert sorted(described) == [1, 2, 3]

    described.clear()
    last, frames = monitor.frames_since(4)
    assert last == 6 and [f.address for f in frames] == ["3", "3"]
    assert described == [3]  # only the frames sent are described
    assert monitor.frames_since(6) == (6, [])
    assert [f.address for f in monitor.frames_since(0, limit=2)[1]] == ["3", "3"]  # the newest ones

    last, errors = monitor.errors_since(0)
    assert (
        last == 1 and errors[0].message == "表计无应答（已重试 2 次）" and errors[0].address == "9"
    )
    assert monitor.errors_since(1) == (1, [])


def test_an_error_comes_over_the_socket_as_its_word_for_the_clients_language(poller, served):
    from app.comm import messages

    poller.error(7, "9", messages.WRONG_ADDRESS(address="9", other="12"))
    _, errors = MonitorClient(served.port).errors_since(0)
    assert errors[0].message == messages.WRONG_ADDRESS(address="9", other="12")
    assert (
        errors[0].message.say("en")
        == "Address 9 does not answer; only address 12 answered. Check the meter address setting"
    )


def test_only_the_two_logs_are_served_and_only_on_127_0_0_1(served):
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    connection.request("GET", "/meters")
    assert connection.getresponse().status == 404
    connection.close()
    assert served._server.server_address[0] == "127.0.0.1"
    with pytest.raises(OSError):
        MonitorClient(served.port)._get(
            "frames?since=x", 0, None
        )  # a bad request is an error, not data


def test_a_monitor_that_is_gone_raises_oserror(poller):
    server = MonitorServer(poller, 0).start()
    port = server.port
    server.stop()
    with pytest.raises(OSError):
        MonitorClient(port, timeout_s=2).frames_since(0)


def test_one_frame_is_said_in_the_language_each_reader_asks_for(poller, served):
    from app.comm.protocols import modbus_rtu as rtu

    reply = rtu.ReadResponse(1, (1, 2, 3))
    poller.log_frame(7, Direction.RX, "1", rtu.encode_rtu(reply), reply.describe)
    monitor = MonitorClient(served.port)
    # two clients, one in Chinese and one in English, follow the same service at once
    assert monitor.frames_since(0, lang="zh_CN")[1][0].meaning == "从站 1 应答 FC03：3 个寄存器"
    assert monitor.frames_since(0)[1][0].meaning == "slave 1 answers FC03 with 3 register(s)"
    assert poller.frames_since(0, lang="zh_CN")[1][0].meaning == "从站 1 应答 FC03：3 个寄存器"
