"""The comm monitor explains frames in the clerk's language (real poller, simulator over TCP)."""

import re

import pytest

from app.comm.simulator import SimConfig
from app.ui.comm.monitor_view import CommMonitorView
from tests.comm.runtime_helpers import running
from tests.comm.test_frame_meanings import KEPT, english_words
from tests.comm.test_poller import ONE_BUS, bus_channel

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_monitor_shows_what_frames_mean_in_the_clerks_language(
    qtbot, language, make_client, lang
):  # noqa: F811
    language(lang)
    client = make_client()
    view = CommMonitorView(client)
    qtbot.addWidget(view)
    view.show()  # the monitor drains only while it is on screen
    with running(SimConfig(**ONE_BUS)) as (_sim, poller, _sink, channels):
        client.comm.attach_poller(poller, stop=lambda: None)
        poller.read_now(bus_channel(channels).meters[:2]).result(20)
        qtbot.waitUntil(
            lambda: len(view.frames.rows) >= 4, timeout=10000
        )  # the view drains on its timer

    meanings = [row.meaning for row in view.frames.rows]
    if lang == "zh_CN":
        assert all(CJK.search(m) and english_words(m) <= KEPT for m in meanings), meanings
    else:
        assert all(not CJK.search(m) and english_words(m) - KEPT for m in meanings), meanings
