"""What every ops command shares: the database from --db, the acting user, JSON output.

The actor is `--operator USER` or $MARKETMETER_USER: an active user of the database, who
must give their password (typed at a hidden prompt, or $MARKETMETER_PASSWORD for scripts;
never on the command line, where it would land in the shell history and the process list).
Without either, the command runs as the built-in admin "cli", written to the audit log under
that name with no user id, so an ops action is always told apart from a clerk's. Every
audit row a command writes carries the OS login and host it ran under ("origin").
"""

from __future__ import annotations

import dataclasses
import enum
import getpass
import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

from app.cli import UserError
from app.models.account import PayMethod
from app.models.db import Database, SchemaMismatch, default_db_url
from app.models.money import AmountError, fmt_yuan
from app.models.user import Role
from app.services.market.setup import pick_market
from app.services.platform.backup import default_folder, upgrade_with_backup
from app.services.platform.context import CLI_ACTOR, Actor, ServiceError
from app.services.platform.users import login
from app.words import QT_TRANSLATE_NOOP, Word, default_language

PASSWORD_ENV = "MARKETMETER_PASSWORD"

LIST_SEPARATOR = Word("cli.list_separator", QT_TRANSLATE_NOOP("CLI", ", "))
NO_PASSWORD_READ = Word(
    "cli.no_password_read",
    QT_TRANSLATE_NOOP(
        "CLI",
        "No password was read: type it at the prompt, or give it in the environment variable "
        "{variable}",
    ),
)
PASSWORD_OF = Word("cli.password_of", QT_TRANSLATE_NOOP("CLI", "Password of user {username}: "))
NAME_THE_METHOD = Word(
    "cli.name_the_method", QT_TRANSLATE_NOOP("CLI", "Give the {what} with --method: {choices}")
)
UNKNOWN_METHOD = Word(
    "cli.unknown_method",
    QT_TRANSLATE_NOOP("CLI", "Unknown {what} “{text}”. Choose one of: {choices}"),
)
PAYMENT_METHOD = Word("cli.payment_method", QT_TRANSLATE_NOOP("CLI", "payment method"))
REFUND_METHOD = Word("cli.refund_method", QT_TRANSLATE_NOOP("CLI", "refund method"))
YUAN = Word("cli.yuan", QT_TRANSLATE_NOOP("CLI", "{amount} yuan"))


def listed(items) -> str:
    """Items as a list in the reader's language (A、B、C in Chinese)."""
    return LIST_SEPARATOR.say().join(str(i) for i in items)


def add_market_option(parser) -> None:
    parser.add_argument(
        "--market",
        metavar="CODE",
        help="the market's code, when the database holds several (see: market list)",
    )


def add_operator_option(parser) -> None:
    add_market_option(parser)
    parser.add_argument(
        "--operator",
        metavar="USER",
        help="act as this user, after their password (prompted, or $MARKETMETER_PASSWORD); "
        "default: $MARKETMETER_USER or the built-in 'cli' admin",
    )


def open_db(args, *, bulk_writer: bool = False) -> Database:
    """The database from --db (or the default file), its schema upgraded if missing or old
    (an old one backed up first, which is said on stderr). `bulk_writer`: see make_engine."""
    db = Database(args.db or default_db_url(), bulk_writer=bulk_writer)
    try:
        upgraded = upgrade_with_backup(db, default_folder())
    except (SchemaMismatch, ServiceError) as exc:
        db.dispose()
        raise UserError(exc.text(default_language())) from None
    if upgraded is not None:
        print(upgraded.say(), file=sys.stderr)
    return db


@contextmanager
def service_errors() -> Iterator[None]:
    """A service's or the money parser's message becomes the command's one-line error."""
    try:
        yield
    except (ServiceError, AmountError) as exc:
        raise UserError(exc.text(default_language())) from None


def site_id(session, args=None) -> int:
    """The market named by --market, or the only one the database holds."""
    with service_errors():
        return pick_market(session, getattr(args, "market", None)).id


def origin() -> str:
    """The OS login and host this command runs under, for the audit log."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        who = f"uid {os.getuid()}" if hasattr(os, "getuid") else "?"
    return f"{who}@{socket.gethostname()}"


def read_password(prompt: str) -> str:
    """$MARKETMETER_PASSWORD, else typed at a prompt that does not echo."""
    password = os.environ.get(PASSWORD_ENV)
    if password is not None:
        return password
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UserError(NO_PASSWORD_READ.say(variable=PASSWORD_ENV)) from None


def actor(session, args) -> Actor:
    """Who acts: the built-in "cli" admin, or the named user once their password is right.
    The login service alone decides, so an unknown or disabled name, like a wrong password,
    is audited as login.failed and gets the same message (which names exist stays unsaid)."""
    username = getattr(args, "operator", None) or os.environ.get("MARKETMETER_USER")
    if not username:
        return Actor(None, CLI_ACTOR, Role.ADMIN, site_id(session, args), origin())
    with service_errors():
        return login(
            session, username, read_password(PASSWORD_OF.say(username=username)), origin=origin()
        )


def plain(value):
    """JSON-ready: money as "12.30", other decimals as written, enums by value, times ISO."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def pay_method(text: str | None, what: Word) -> PayMethod:
    """--method: cash, wechat, … (`what` is PAYMENT_METHOD or REFUND_METHOD)."""
    choices = listed(m.value for m in PayMethod)
    if not text:
        raise UserError(NAME_THE_METHOD.say(what=what, choices=choices))
    try:
        return PayMethod(text)
    except ValueError:
        raise UserError(UNKNOWN_METHOD.say(what=what, text=text, choices=choices)) from None


def money(value: Decimal | None) -> str | None:
    return None if value is None else fmt_yuan(value)


OUT_SUFFIX = Word(
    "cli.report.out_suffix",
    QT_TRANSLATE_NOOP("CLI", "The output file “{out}” must end in .xlsx or .pdf"),
)
SAVED = Word("cli.report.saved", QT_TRANSLATE_NOOP("CLI", "Saved: {path}"))


def save_out(out: str, *, xlsx, pdf) -> None:
    """A document saved as the file named (--out): .xlsx or .pdf by its ending."""
    path = Path(out)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        raise UserError(OUT_SUFFIX.say(out=out))
    path.write_bytes(xlsx() if suffix == ".xlsx" else pdf())
    print(SAVED.say(path=path))


def print_json(obj) -> None:
    json.dump(plain(obj), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
