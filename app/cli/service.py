"""`python -m app service`: collection, settlement and control headless, on the PC that
has the meter lines when several clerk PCs share one PostgreSQL server. The clients see
what it stores through the database's change feed (app/services/change_feed.py).

The desktop client's `--collect` runs it as its child process (app/ui/comm/service_process.py)
with `--until-stdin-closes` (the client holds the other end of the pipe: when it closes the
pipe or dies, the service stops), `--monitor-port 0` and `--ready-file` (where the chosen
port is written once the meters are being read).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import threading
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from app.cli.common import add_market_option, open_db, site_id
from app.comm.monitor import MonitorServer
from app.gc_policy import long_lived_objects_frozen
from app.models.db import collection_log_path
from app.services.market import comm_log
from app.services.market.collection import CommService
from app.services.platform import market_service
from app.services.portal import notices
from app.words import QT_TRANSLATE_NOOP, Word

log = logging.getLogger(__name__)

STARTED = Word(
    "cli.service.started",
    QT_TRANSLATE_NOOP("CLI", "Meter reading started: {channels} channels, {meters} meters"),
)
MONITOR_AT = Word(
    "cli.service.monitor_at", QT_TRANSLATE_NOOP("CLI", ", frame monitor at 127.0.0.1:{port}")
)
STOP_WITH = Word("cli.service.stop_with", QT_TRANSLATE_NOOP("CLI", ". Press Ctrl-C to stop."))
STOPPED = Word("cli.service.stopped", QT_TRANSLATE_NOOP("CLI", "Meter reading stopped."))


def register(sub) -> None:
    p = sub.add_parser(
        "service", help="read the meters, settle and control, until stopped (Ctrl-C)"
    )
    p.add_argument(
        "--settle-every",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="how often due settlements are looked for (default 60)",
    )
    p.add_argument(
        "--monitor-port",
        type=int,
        default=None,
        metavar="PORT",
        help="serve the frame and error logs on 127.0.0.1:PORT (0: any free port)",
    )
    p.add_argument(
        "--ready-file",
        metavar="FILE",
        help='once running, write {"pid": …, "monitor_port": …} (JSON) to this file',
    )
    p.add_argument(
        "--until-stdin-closes",
        action="store_true",
        help="also stop when standard input is closed (the process that started this one ended)",
    )
    add_market_option(p)
    p.add_argument(
        "--standby",
        action="store_true",
        help="if meter reading runs on another PC, wait and take over when it stops",
    )
    p.add_argument(
        "--heartbeat",
        type=int,
        default=market_service.BEAT_EVERY_S,
        metavar="SECONDS",
        help="how often the clients are told that reading runs (default %(default)s)",
    )
    p.set_defaults(func=run)


def output_to_log_without_console() -> None:
    """The windowed program started at logon (the setup's scheduled task) has no console: its
    sys.stdout and sys.stderr are None and every line would be lost. They go to the collection
    log in the user data folder then, as the client's --collect child's do."""
    if sys.stdout is not None and sys.stderr is not None:
        return
    path = collection_log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    log = open(path, "a", encoding="utf-8", buffering=1)  # open as long as the service runs
    sys.stdout = sys.stdout or log
    sys.stderr = sys.stderr or log


def run(args) -> int:
    output_to_log_without_console()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    db = open_db(
        args, bulk_writer=True
    )  # its sink writes back to back: the clerks' writes go first
    with db.transaction() as s:
        site = site_id(s, args)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    if args.until_stdin_closes:
        threading.Thread(
            target=_stop_at_end_of_input, args=(stop,), name="stdin-watch", daemon=True
        ).start()
    turn = _take_turn(db, site, standby=args.standby, stop=stop)
    if turn is None:
        return 0 if stop.is_set() else 3
    with db.transaction() as s:
        market_service.begin(s, site, socket.gethostname(), os.getpid(), args.heartbeat)
    service = CommService(db, site, settle_every_s=args.settle_every)
    service.start()
    threading.Thread(
        target=_beat, args=(db, site, turn, args.heartbeat, stop), name="heartbeat", daemon=True
    ).start()
    threading.Thread(
        target=_share_log, args=(db, site, service.poller, stop), name="comm-log", daemon=True
    ).start()
    threading.Thread(
        target=_send_notices, args=(db, site, stop), name="sms-notices", daemon=True
    ).start()
    monitor = (
        MonitorServer(service.poller, args.monitor_port).start()
        if args.monitor_port is not None
        else None
    )
    channels = len(service.poller.channels)
    meters = sum(len(c.meters) for c in service.poller.channels.values())
    print(
        STARTED.say(channels=channels, meters=meters)
        + (MONITOR_AT.say(port=monitor.port) if monitor else "")
        + STOP_WITH.say(),
        flush=True,
    )
    if args.ready_file:
        write_ready_file(
            Path(args.ready_file),
            {"pid": os.getpid(), "monitor_port": monitor.port if monitor else None},
        )
    with long_lived_objects_frozen():
        stop.wait()
    if monitor is not None:
        monitor.stop()
    service.stop()
    try:
        with db.transaction() as s:
            market_service.end(s, site)
    except SQLAlchemyError as exc:  # the clients see the heartbeat stop instead
        log.warning("could not record the end of meter reading: %s", exc)
    turn.release()
    print(STOPPED.say(), flush=True)
    return 0


def _take_turn(db, site: int, *, standby: bool, stop: threading.Event):
    """The market's service turn; a second service says who holds it and ends, or with
    --standby waits for it (None when stopped meanwhile)."""
    told = False
    while not stop.is_set():
        turn = db.take_service_turn(site)
        if turn is not None:
            return turn
        with db.reading() as s:
            holder = market_service.state(s, site)
        where = {
            "host": holder.host if holder else "?",
            "pid": holder.pid if holder else "?",
            "since": holder.started_at.astimezone().strftime("%Y-%m-%d %H:%M") if holder else "?",
        }
        if not standby:
            print(market_service.ALREADY_RUNNING.say(**where), file=sys.stderr, flush=True)
            return None
        if not told:
            print(market_service.STANDING_BY.say(**where), flush=True)
            told = True
        stop.wait(2.0)
    return None


def _share_log(db, site: int, poller, stop: threading.Event, every_s: float = 2.0) -> None:
    """The newest frames and errors into the database, for the clerk PCs' comm monitors."""
    frame_seq = error_seq = 0
    while not stop.wait(every_s):
        try:
            new_frame_seq, frames = poller.frames_since(frame_seq, comm_log.PER_STORE, lang=None)
            new_error_seq, errors = poller.errors_since(error_seq, comm_log.PER_STORE)
            with db.transaction() as s:
                comm_log.store(s, site, frames, errors)
            frame_seq, error_seq = new_frame_seq, new_error_seq
        except SQLAlchemyError as exc:
            log.warning("comm log not shared, tried again in %.0f s: %s", every_s, exc)


def _send_notices(db, site: int, stop: threading.Event, every_s: float = 30.0) -> None:
    """The tenants' SMS notices queued by settlements, trips and recharges, sent when due
    (the provider is called outside any transaction)."""
    while not stop.wait(every_s):
        try:
            notices.send_due_notices(db, site)
        except SQLAlchemyError as exc:
            log.warning("SMS notices not sent, tried again in %.0f s: %s", every_s, exc)


def _beat(db, site: int, turn, every_s: int, stop: threading.Event) -> None:
    """The heartbeat; if the turn was lost (the database server restarted) it is taken
    again, and if another service took it meanwhile this one stops."""
    while not stop.wait(every_s):
        try:
            if not turn.is_held():
                turn.release()
                if not turn.take():
                    log.error("another meter reading service took over this market: stopping")
                    stop.set()
                    return
                with db.transaction() as s:
                    market_service.begin(s, site, socket.gethostname(), os.getpid(), every_s)
            with db.transaction() as s:
                market_service.beat(s, site)
        except SQLAlchemyError as exc:
            log.warning("heartbeat not recorded, tried again in %d s: %s", every_s, exc)


def _stop_at_end_of_input(stop: threading.Event) -> None:
    """Reads standard input to its end: a closed pipe (the parent closed it, or died and
    the system closed it) is the end, on Windows as on POSIX."""
    while sys.stdin.buffer.read(4096):
        pass
    stop.set()


def write_ready_file(path: Path, content: dict) -> None:
    """Written whole or not at all: the reader never sees half a file."""
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(content), encoding="utf-8")
    os.replace(partial, path)
