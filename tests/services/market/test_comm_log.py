"""The service's frames and errors shared through the database: a clerk PC's comm monitor
reads the newest, in order, said in its own language; the table stays bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.comm import messages
from app.comm.types import CommError, Direction, FrameEvent
from app.services.market import comm_log
from tests.builders import Market

T = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def frame(n: int) -> FrameEvent:
    return FrameEvent(T + timedelta(seconds=n), 1, "7", Direction.TX, f"01 03 {n:02X}", f"读 {n}")


def test_a_client_reads_the_newest_frames_and_errors_after_what_it_has(db):
    with db.transaction() as s:
        site_id = Market.in_session(s).site.id
        comm_log.store(s, site_id, [frame(1), frame(2)], [])
    with db.reading() as s:
        seq, frames = comm_log.frames_since(s, site_id)
        assert [f.hex for f in frames] == ["01 03 01", "01 03 02"]
        assert frames[0] == frame(1)
    error = CommError(T, 1, "7", messages.NO_ANSWER())
    with db.transaction() as s:
        comm_log.store(s, site_id, [frame(3)], [error])
    with db.reading() as s:
        assert [f.hex for f in comm_log.frames_since(s, site_id, seq)[1]] == ["01 03 03"]
        _, [read] = comm_log.errors_since(s, site_id)
    assert read.message.say("zh_CN") == error.message.say("zh_CN") and read.address == "7"


def test_only_the_newest_lines_are_kept(db, monkeypatch):
    monkeypatch.setattr(comm_log, "KEEP_FRAMES", 3)
    with db.transaction() as s:
        site_id = Market.in_session(s).site.id
        comm_log.store(s, site_id, [frame(n) for n in range(1, 6)], [])
        comm_log.store(s, site_id, [frame(6)], [])
    with db.reading() as s:
        _, frames = comm_log.frames_since(s, site_id)
    assert [f.meaning for f in frames] == ["读 4", "读 5", "读 6"]


def test_each_comm_monitor_reads_a_frames_meaning_in_its_own_language(db):
    meaning = messages.NO_ANSWER.say  # a Meaning: said in the language the reader asks for
    said = FrameEvent(T, 1, "7", Direction.RX, "01 83 02", meaning)
    with db.transaction() as s:
        site_id = Market.in_session(s).site.id
        comm_log.store(s, site_id, [said], [])
    with db.reading() as s:
        _, [zh] = comm_log.frames_since(s, site_id, lang="zh_CN")
        _, [en] = comm_log.frames_since(s, site_id, lang="en")
    assert zh.meaning == messages.NO_ANSWER.say("zh_CN") and en.meaning == messages.NO_ANSWER.say(
        "en"
    )
    assert zh.meaning != en.meaning
