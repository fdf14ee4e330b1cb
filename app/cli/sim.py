"""`python -m app sim`: run the meter simulator (a whole market behind every line kind).

    python -m app sim --electric 474 --water 417 --manifest sim.json --speed 60 \\
        --listen 127.0.0.1:9500 --push-url http://127.0.0.1:9600/ctwing/push

--listen is the program's dial-in listener (4G meters and DTUs dial there), --push-url
its CTWing push endpoint. The manifest lists every channel and meter so the program (or
`comm read`, or bench/collect.py) can build its ChannelConfig objects from it.
"""

from __future__ import annotations

import argparse
import signal
import threading

from app.cli import UserError
from app.gc_policy import long_lived_objects_frozen
from app.words import QT_TRANSLATE_NOOP, Word

LISTEN_HOST_PORT = Word(
    "cli.sim.listen_host_port", QT_TRANSLATE_NOOP("CLI", "--listen must be HOST:PORT, not “{text}”")
)
NEGATIVE_COUNT = Word(
    "cli.sim.negative_count", QT_TRANSLATE_NOOP("CLI", "meter counts cannot be negative")
)
SPEED_ABOVE_ZERO = Word(
    "cli.sim.speed_above_zero", QT_TRANSLATE_NOOP("CLI", "--speed must be above 0")
)
BAD_MISBEHAVIOUR = Word(
    "cli.sim.bad_misbehaviour",
    QT_TRANSLATE_NOOP(
        "CLI",
        "--misbehave “{spec}”: write MODE[:FRACTION[:SECONDS]], MODE one of {modes}, FRACTION "
        "from 0 to 1",
    ),
)
BAD_TAMPER = Word(
    "cli.sim.bad_tamper",
    QT_TRANSLATE_NOOP(
        "CLI", "--tamper “{spec}”: write CASE[:FRACTION], CASE one of {cases}, FRACTION from 0 to 1"
    ),
)
NOT_STARTED = Word(
    "cli.sim.not_started", QT_TRANSLATE_NOOP("CLI", "cannot start the simulator: {problem}")
)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "sim",
        help="run the meter simulator",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--electric", type=int, default=40, help="electricity meters (default 40)")
    p.add_argument(
        "--water",
        type=int,
        default=10,
        help="NB-IoT water meters behind the CTWing double (default 10)",
    )
    p.add_argument(
        "--manifest", metavar="FILE", help="write the channel/meter manifest (JSON) here"
    )
    p.add_argument(
        "--speed", type=float, default=1.0, help="meter clock runs X times faster (default 1)"
    )
    p.add_argument(
        "--seed", type=int, default=1, help="the same seed gives the same market (default 1)"
    )
    p.add_argument(
        "--misbehave",
        action="append",
        default=[],
        metavar="MODE[:FRACTION[:SECONDS]]",
        help="no_answer, slow, bad_crc, garbled, offline, counter_reset for a fraction of meters "
        "(default 0.01), optionally for SECONDS; repeatable",
    )
    p.add_argument(
        "--tamper",
        action="append",
        default=[],
        metavar="CASE[:FRACTION]",
        help="bypass, overload, night_load, stuck, reverse, cover_open on a fraction of the "
        "electricity meters, leak (water past a closed valve) on a fraction of the water meters "
        "(default 0.01): what the safety alerts look for; repeatable",
    )
    p.add_argument("--host", default="127.0.0.1", help="address the simulated gateways listen on")
    p.add_argument(
        "--listen",
        metavar="HOST:PORT",
        help="the program's dial-in listener for 4G meters and DTUs",
    )
    p.add_argument("--push-url", metavar="URL", help="the program's CTWing push endpoint")
    p.add_argument("--meters-per-bus", type=int, default=30)
    p.add_argument("--baud", type=int, default=9600)
    p.add_argument(
        "--acrel-4g",
        type=int,
        default=None,
        help="how many electric meters are Acrel 4G (default 10 %%)",
    )
    p.add_argument(
        "--dtus", type=int, default=None, help="buses behind DTUs (default 1 when large enough)"
    )
    p.add_argument(
        "--gateways",
        type=int,
        default=None,
        help="Modbus TCP gateways (default 1 when large enough)",
    )
    p.add_argument(
        "--pty-buses", type=int, default=0, help="buses behind a pseudo-terminal (POSIX)"
    )
    p.add_argument(
        "--dlt645-share",
        type=float,
        default=0.25,
        help="share of serial-server buses speaking DL/T 645",
    )
    p.add_argument(
        "--report-interval", type=float, default=1800.0, help="sim seconds between NB water reports"
    )
    p.add_argument(
        "--upload-interval",
        type=float,
        default=900.0,
        help="sim seconds between Acrel 4G data uploads",
    )
    p.add_argument(
        "--heartbeat", type=float, default=60.0, help="real seconds between 4G / DTU heartbeats"
    )
    p.add_argument(
        "--poll-interval", type=int, default=1800, help="poll_interval_s written to the manifest"
    )
    p.add_argument(
        "--duration",
        type=float,
        default=None,
        help="stop after this many seconds (default: Ctrl-C)",
    )
    p.set_defaults(func=run)


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise UserError(LISTEN_HOST_PORT.say(text=text))
    return host, int(port)


def run(args) -> int:
    from app.comm.simulator import MarketSimulator, SimConfig
    from app.comm.simulator.misbehave import Mode, parse_spec
    from app.comm.simulator.physics import TAMPER_CASES, parse_tamper

    if args.electric < 0 or args.water < 0:
        raise UserError(NEGATIVE_COUNT.say())
    if args.speed <= 0:
        raise UserError(SPEED_ABOVE_ZERO.say())
    for spec in args.misbehave:
        try:
            parse_spec(spec)
        except ValueError:
            modes = ", ".join(m.value for m in Mode)
            raise UserError(BAD_MISBEHAVIOUR.say(spec=spec, modes=modes)) from None
    for spec in args.tamper:
        try:
            parse_tamper(spec)
        except ValueError:
            raise UserError(BAD_TAMPER.say(spec=spec, cases=", ".join(TAMPER_CASES))) from None
    dial_host, dial_port = _host_port(args.listen) if args.listen else (None, None)
    config = SimConfig(
        electric=args.electric,
        water=args.water,
        seed=args.seed,
        speed=args.speed,
        host=args.host,
        meters_per_bus=args.meters_per_bus,
        baud=args.baud,
        acrel_4g=args.acrel_4g,
        dtus=args.dtus,
        gateways=args.gateways,
        pty_buses=args.pty_buses,
        dlt645_share=args.dlt645_share,
        dial_host=dial_host,
        dial_port=dial_port,
        push_url=args.push_url,
        report_interval_s=args.report_interval,
        upload_interval_s=args.upload_interval,
        heartbeat_s=args.heartbeat,
        misbehave=list(args.misbehave),
        tamper=list(args.tamper),
        poll_interval_s=args.poll_interval,
    )
    sim = MarketSimulator(config)
    try:
        sim.start()
    except OSError as exc:
        raise UserError(NOT_STARTED.say(problem=exc)) from None
    # at the default threshold the collector took ~12% of the simulator's CPU at full scale, now ~3%
    with long_lived_objects_frozen():
        return _serve(sim, args)


def _serve(sim, args) -> int:
    stop = threading.Event()
    try:
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    except ValueError:  # not the main thread (tests)
        pass
    try:
        if args.manifest:
            sim.write_manifest(args.manifest)
        channels = sim.channels()
        print(
            f"simulator ready: {len(channels)} channels, {args.electric} electric + {args.water} "
            "water meters, "
            f"speed ×{args.speed:g}" + (f", manifest {args.manifest}" if args.manifest else ""),
            flush=True,
        )
        for ch in channels[:8]:
            where = (
                ch.settings.get("port")
                if "port" in ch.settings
                else ch.settings.get("listen_port", "")
            )
            print(
                f"  channel {ch.id:>3} {ch.kind.value:<13} {len(ch.meters):>5} meters  {ch.name} "
                f"{where}",
                flush=True,
            )
        if len(channels) > 8:
            print(f"  … {len(channels) - 8} more channels (see the manifest)", flush=True)
        if not args.listen and any(c.kind.value in ("acrel_4g", "dtu") for c in channels):
            print("  note: no --listen given, 4G meters and DTUs do not dial in", flush=True)
        stop.wait(args.duration)
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0
