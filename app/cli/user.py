"""`user add USERNAME --role R [--password-stdin]`, `user list`.

The new user's password is typed twice at a hidden prompt, or read from the first line of
stdin with --password-stdin (for scripts); never an argument, which the shell history and
the process list would keep."""

from __future__ import annotations

import argparse
import getpass
import sys

from app.cli import UserError
from app.cli.common import actor, add_operator_option, open_db, print_json, service_errors, site_id
from app.models.user import Role
from app.models.labels import ROLE
from app.services.platform.users import add_user, list_users


def register(sub) -> None:
    p = sub.add_parser("user", help="operators: add, list")
    cmds = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = cmds.add_parser("add", help="add an operator")
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--role", required=True, help="|".join(r.value for r in Role))
    add.add_argument("--password-stdin", action="store_true",
                     help="read the new password from the first line of stdin instead of prompting")
    # gone: kept only to say so, instead of argparse reading it as --password-stdin
    add.add_argument("--password", dest="password_argument", help=argparse.SUPPRESS)
    add.add_argument("--name", default="", help="display name printed on receipts")
    add_operator_option(add)
    add.set_defaults(func=add_cmd)
    ls = cmds.add_parser("list", help="list operators")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=list_cmd)


def add_cmd(args) -> int:
    if args.password_argument is not None:
        raise UserError("不再接受 --password：命令行上的密码会留在命令历史和进程列表里；"
                        "请在提示时输入，或用 --password-stdin 从标准输入给出")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        try:
            password = getpass.getpass(f"新用户 {args.username} 的密码：")
            if password != getpass.getpass("再输一次："):
                raise UserError("两次输入的密码不一致")
        except EOFError:
            raise UserError("没有读到密码：请在提示时输入，或用 --password-stdin 从标准输入给出") from None
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            row = add_user(s, actor(s, args), args.username, password, args.role, args.name)
    finally:
        db.dispose()
    print(f"已添加用户 {row.username}（{ROLE[row.role].say()}）")
    return 0


def list_cmd(args) -> int:
    db = open_db(args)
    try:
        with db.transaction() as s:
            rows = list_users(s, site_id(s))
    finally:
        db.dispose()
    if args.json:
        print_json([{"username": r.username, "display_name": r.display_name, "role": r.role, "is_active": r.is_active}
                    for r in rows])
    else:
        for r in rows:
            print(f"{r.username}\t{r.display_name}\t{ROLE[r.role].say()}\t{'' if r.is_active else '已停用'}")
    return 0
