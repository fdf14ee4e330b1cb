"""`portal`: serve the tenants' portal (phone-sized web pages) with uvicorn; `portal sessions`
and `portal revoke` list and end tenants' sign-ins; `portal renew-qr STALL` gives a stall a new
QR token (printed QR codes of it stop working).

    python -m app portal --host 0.0.0.0 --port 8080          # behind the office's HTTPS proxy
    python -m app portal --port 8443 --certfile c.pem --keyfile k.pem
    python -m app portal --workers 2                         # pages on two processor cores

--workers N serves pages from N processes (each a processor core's worth of pages); one of
them asks the payment platforms about unanswered orders.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from app.cli import UserError
from app.cli.common import SAVED, actor, add_operator_option, open_db, print_json, service_errors
from app.services.market.stalls import list_stalls, stall_card
from app.services.office.plates_render import render_plates_pdf
from app.services.portal.access import renew_stall_token, stall_plates, stall_qr_url
from app.services.portal.sign_in import list_sessions, revoke_sessions
from app.words import QT_TRANSLATE_NOOP, Word

NEEDS_BOTH = Word(
    "cli.portal.needs_both",
    QT_TRANSLATE_NOOP("CLI", "Give both --certfile and --keyfile to serve HTTPS, or neither"),
)
SESSION = Word(
    "cli.portal.session",
    QT_TRANSLATE_NOOP("CLI", "{id}  {phone}  since {started}  until {expires}  {state}"),
)
ENDED = Word("cli.portal.ended", QT_TRANSLATE_NOOP("CLI", "ended"))
ACTIVE = Word("cli.portal.active", QT_TRANSLATE_NOOP("CLI", "active"))
REVOKED = Word("cli.portal.revoked", QT_TRANSLATE_NOOP("CLI", "{count} sign-ins ended"))
NAME_WHOM = Word(
    "cli.portal.name_whom",
    QT_TRANSLATE_NOOP("CLI", "Name the sign-ins to end: --phone NUMBER or --session ID"),
)
AT_LEAST_ONE_WORKER = Word(
    "cli.portal.at_least_one_worker", QT_TRANSLATE_NOOP("CLI", "Give --workers 1 or more")
)
RENEWED = Word("cli.portal.renewed", QT_TRANSLATE_NOOP("CLI", "Stall {stall}: new QR {url}"))


def register(sub) -> None:
    p = sub.add_parser(
        "portal",
        help="the tenants' portal: serve it, end sign-ins",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_operator_option(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    p.add_argument("--certfile", help="TLS certificate (PEM), to serve HTTPS directly")
    p.add_argument("--keyfile", help="TLS private key (PEM)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes serving pages (default 1; about one per processor core)",
    )
    p.set_defaults(func=serve)
    cmds = p.add_subparsers(dest="portal_command", metavar="ACTION")
    ls = cmds.add_parser("sessions", help="tenants' sign-ins, newest first")
    add_operator_option(ls)
    ls.add_argument("--phone")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=sessions)
    rv = cmds.add_parser("revoke", help="end a phone's sign-ins (or one sign-in)")
    add_operator_option(rv)
    rv.add_argument("--phone")
    rv.add_argument("--session", type=int)
    rv.set_defaults(func=revoke)
    qr = cmds.add_parser("renew-qr", help="a new QR token for a stall")
    add_operator_option(qr)
    qr.add_argument("stall", metavar="STALL", help="the stall's code")
    qr.set_defaults(func=renew_qr)
    pl = cmds.add_parser("plates", help="stall plates with their QR codes, as a PDF")
    add_operator_option(pl)
    pl.add_argument("stalls", metavar="STALL", nargs="*", help="stall codes (default: all)")
    pl.add_argument("--out", required=True, metavar="FILE.pdf")
    pl.set_defaults(func=plates)


def serve(args) -> int:
    if bool(args.certfile) != bool(args.keyfile):
        raise UserError(NEEDS_BOTH.say())
    if args.workers < 1:
        raise UserError(AT_LEAST_ONE_WORKER.say())
    import uvicorn

    from app.portal.app import DB_ENV, KEEP_ALIVE_S, MARKET_ENV, create_app

    market = getattr(args, "market", None)
    db = open_db(args)
    # also makes the market's cookie secret, once, before any worker reads it
    with service_errors():
        create_app(db, market)
    os.environ[DB_ENV], os.environ[MARKET_ENV] = db.url, market or ""
    db.dispose()
    # proxy_headers: behind the office's reverse proxy the scheme (https) comes from
    # X-Forwarded-Proto, so the session cookie is marked Secure. A phone keeps its
    # connection while its tenant reads a page (uvicorn's 5 s would make most pages pay
    # for a new connection, over HTTPS a new handshake).
    uvicorn.run(
        "app.portal.app:app_from_environment",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        proxy_headers=True,
        timeout_keep_alive=KEEP_ALIVE_S,
        log_level="info",
    )
    return 0


def sessions(args) -> int:
    db = open_db(args)
    with service_errors(), db.reading() as s:
        rows = list_sessions(s, actor(s, args), args.phone)
    if args.json:
        print_json(rows)
    for r in [] if args.json else rows:
        print(
            SESSION.say(
                id=r.id,
                phone=r.phone,
                started=r.started_at.isoformat(timespec="minutes"),
                expires=r.expires_at.isoformat(timespec="minutes"),
                state=ENDED if r.revoked_at else ACTIVE,
            )
        )
    db.dispose()
    return 0


def revoke(args) -> int:
    if not args.phone and args.session is None:
        raise UserError(NAME_WHOM.say())
    db = open_db(args)
    with service_errors(), db.transaction() as s:
        count = revoke_sessions(s, actor(s, args), phone=args.phone, session_id=args.session)
    print(REVOKED.say(count=count))
    db.dispose()
    return 0


def plates(args) -> int:
    db = open_db(args)
    with service_errors(), db.transaction() as s:
        who = actor(s, args)
        if args.stalls:
            ids = [stall_card(s, code, site_id=who.site_id).id for code in args.stalls]
        else:
            ids = [r.id for r in list_stalls(s, site_id=who.site_id)]
        found = stall_plates(s, who, ids)
    Path(args.out).write_bytes(render_plates_pdf(found))
    print(SAVED.say(path=args.out))
    db.dispose()
    return 0


def renew_qr(args) -> int:
    db = open_db(args)
    with service_errors(), db.transaction() as s:
        who = actor(s, args)
        card = stall_card(s, args.stall, site_id=who.site_id)
        renew_stall_token(s, who, card.id)
        url = stall_qr_url(s, who.site_id, card.id)
    print(RENEWED.say(stall=card.code, url=url or "—"))
    db.dispose()
    return 0
