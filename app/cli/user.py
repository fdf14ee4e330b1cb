"""`user add USERNAME --role R [--password-stdin]`, `user list`, and for an administrator
`user unlock USERNAME` (after five wrong passwords) and `user reset-password USERNAME
[--password-stdin]` (the user chooses their own at the next sign-in).

A new password is typed twice at a hidden prompt, or read from the first line of
stdin with --password-stdin (for scripts); never an argument, which the shell history and
the process list would keep."""

from __future__ import annotations

import argparse
import getpass
import sys

from app.cli import UserError
from app.cli.common import (
    actor,
    add_market_option,
    add_operator_option,
    open_db,
    origin,
    print_json,
    service_errors,
    site_id,
)
from app.models.labels import ROLE
from app.models.user import Role
from app.services.market.setup import add_first_admin, has_users
from app.services.platform.users import add_user, list_users, set_password, unlock, user_id_of
from app.words import QT_TRANSLATE_NOOP, Word

NO_PASSWORD_ARGUMENT = Word(
    "cli.user.no_password_argument",
    QT_TRANSLATE_NOOP(
        "CLI",
        "--password is no longer accepted: a password on the command line stays in the command "
        "history and the process list. Type it at the prompt, or give it on standard input with "
        "--password-stdin",
    ),
)
NEW_PASSWORD_OF = Word(
    "cli.user.new_password_of", QT_TRANSLATE_NOOP("CLI", "Password of the new user {username}: ")
)
AGAIN = Word("cli.user.again", QT_TRANSLATE_NOOP("CLI", "Type it again: "))
PASSWORDS_DIFFER = Word(
    "cli.user.passwords_differ", QT_TRANSLATE_NOOP("CLI", "The two passwords typed differ")
)
NO_PASSWORD_READ = Word(
    "cli.user.no_password_read",
    QT_TRANSLATE_NOOP(
        "CLI",
        "No password was read: type it at the prompt, or give it on standard input with "
        "--password-stdin",
    ),
)
NEW_PASSWORD_FOR = Word(
    "cli.user.new_password_for", QT_TRANSLATE_NOOP("CLI", "New password of {username}: ")
)
UNLOCKED = Word(
    "cli.user.unlocked",
    QT_TRANSLATE_NOOP("CLI", "User {username} unlocked: they can sign in again"),
)
PASSWORD_RESET = Word(
    "cli.user.password_reset",
    QT_TRANSLATE_NOOP(
        "CLI",
        "Password of {username} reset (and any lock lifted): they choose their own password at "
        "the next sign-in",
    ),
)
ADDED = Word("cli.user.added", QT_TRANSLATE_NOOP("CLI", "User {username} added ({role})"))
DEACTIVATED = Word("cli.user.deactivated", QT_TRANSLATE_NOOP("CLI", "deactivated"))


def register(sub) -> None:
    p = sub.add_parser("user", help="operators: add, list, unlock, reset-password")
    cmds = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = cmds.add_parser("add", help="add an operator")
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--role", required=True, help="|".join(r.value for r in Role))
    add.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the new password from the first line of stdin instead of prompting",
    )
    # gone: kept only to say so, instead of argparse reading it as --password-stdin
    add.add_argument("--password", dest="password_argument", help=argparse.SUPPRESS)
    add.add_argument("--name", default="", help="display name printed on receipts")
    add_operator_option(add)
    add.set_defaults(func=add_cmd)
    free = cmds.add_parser(
        "unlock", help="lift the lock of a user after five wrong passwords (administrator)"
    )
    free.add_argument("username", metavar="USERNAME")
    add_operator_option(free)
    free.set_defaults(func=unlock_cmd)
    reset = cmds.add_parser(
        "reset-password",
        help="give a user a new password, which they replace at their next sign-in (administrator)",
    )
    reset.add_argument("username", metavar="USERNAME")
    reset.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the new password from the first line of stdin instead of prompting",
    )
    add_operator_option(reset)
    reset.set_defaults(func=reset_password_cmd)
    ls = cmds.add_parser("list", help="list operators")
    ls.add_argument("--json", action="store_true")
    add_market_option(ls)
    ls.set_defaults(func=list_cmd)


def add_cmd(args) -> int:
    if args.password_argument is not None:
        raise UserError(NO_PASSWORD_ARGUMENT.say())
    password = new_password(args, NEW_PASSWORD_OF)
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            site = site_id(s, args)
            if has_users(s, site):
                row = add_user(s, actor(s, args), args.username, password, args.role, args.name)
            else:  # the market's first user: its administrator, made without signing in
                row = add_first_admin(
                    s, site, args.username, password, args.name, role=args.role, origin=origin()
                )
    finally:
        db.dispose()
    print(ADDED.say(username=row.username, role=ROLE[row.role]))
    return 0


def new_password(args, prompt: Word) -> str:
    """From stdin (--password-stdin), or typed twice at a hidden prompt."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    try:
        password = getpass.getpass(prompt.say(username=args.username))
        if password != getpass.getpass(AGAIN.say()):
            raise UserError(PASSWORDS_DIFFER.say())
    except EOFError:
        raise UserError(NO_PASSWORD_READ.say()) from None
    return password


def unlock_cmd(args) -> int:
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            who = actor(s, args)
            row = unlock(s, who, user_id_of(s, who.site_id, args.username))
    finally:
        db.dispose()
    print(UNLOCKED.say(username=row.username))
    return 0


def reset_password_cmd(args) -> int:
    password = new_password(args, NEW_PASSWORD_FOR)
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            who = actor(s, args)
            row = set_password(s, who, user_id_of(s, who.site_id, args.username), password)
    finally:
        db.dispose()
    print(PASSWORD_RESET.say(username=row.username))
    return 0


def list_cmd(args) -> int:
    db = open_db(args)
    try:
        with db.transaction() as s:
            rows = list_users(s, site_id(s, args))
    finally:
        db.dispose()
    if args.json:
        print_json(
            [
                {
                    "username": r.username,
                    "display_name": r.display_name,
                    "role": r.role,
                    "is_active": r.is_active,
                }
                for r in rows
            ]
        )
    else:
        for r in rows:
            print(
                f"{r.username}\t{r.display_name}\t{ROLE[r.role].say()}\t"
                f"{'' if r.is_active else DEACTIVATED.say()}"
            )
    return 0
