"""`user add USERNAME --role R [--password P]`, `user list`."""

from __future__ import annotations

import getpass

from app.cli import UserError
from app.cli.common import actor, add_operator_option, open_db, print_json, service_errors, site_id
from app.models.user import Role
from app.services.context import ROLE_NAMES
from app.services.users import add_user, list_users


def register(sub) -> None:
    p = sub.add_parser("user", help="operators: add, list")
    cmds = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = cmds.add_parser("add", help="add an operator")
    add.add_argument("username", metavar="USERNAME")
    add.add_argument("--role", required=True, help="|".join(r.value for r in Role))
    add.add_argument("--password", help="prompted for when left out")
    add.add_argument("--name", default="", help="display name printed on receipts")
    add_operator_option(add)
    add.set_defaults(func=add_cmd)
    ls = cmds.add_parser("list", help="list operators")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=list_cmd)


def add_cmd(args) -> int:
    password = args.password
    if password is None:
        password = getpass.getpass("密码：")
        if password != getpass.getpass("再输一次："):
            raise UserError("两次输入的密码不一致")
    db = open_db(args)
    try:
        with service_errors(), db.transaction() as s:
            row = add_user(s, actor(s, args), args.username, password, args.role, args.name)
    finally:
        db.dispose()
    print(f"已添加用户 {row.username}（{ROLE_NAMES[row.role]}）")
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
            print(f"{r.username}\t{r.display_name}\t{ROLE_NAMES[r.role]}\t{'' if r.is_active else '已停用'}")
    return 0
