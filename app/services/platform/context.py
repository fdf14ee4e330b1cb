"""Who is acting, what they may do, and the errors a person can meet."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.models.clerk_message import ClerkMessage
from app.models.labels import BUILT_IN_ACTOR, ROLE
from app.models.user import Role
from app.words import CHINESE, ENGLISH, QT_TRANSLATE_NOOP, Word

USER_MAY_NOT_ASK_LOG = Word("context.user_may_not_ask_log", QT_TRANSLATE_NOOP("Errors", "User “{actor_username}” ({p5}) may not {p6}. Please ask {allowed_en} to log in and do it."))


class ServiceError(ClerkMessage, Exception):
    """A problem the clerk can act on: a catalogue word that says what happened and what
    to do, with its parameters, put into words where it is shown (ClerkMessage). `code` is
    stable for tests."""

    code = "error"

    def __init__(self, what: Word | str, /, *, en: str = "", code: str | None = None, **params):
        super().__init__(self._words(what, en, params))
        if code:
            self.code = code


class NotFound(ServiceError):
    code = "not_found"


class PermissionDenied(ServiceError):
    code = "permission_denied"


class Conflict(ServiceError):
    """The data changed or a rule forbids it now (closed account, locked month …)."""

    code = "conflict"


# Who acts without a user row: the program itself (settlement, control, collection) and
# the ops command line. Stored under these names; shown in the words of BUILT_IN_ACTOR
# (app/models/labels.py).
SYSTEM_ACTOR = "system"
CLI_ACTOR = "cli"
BUILT_IN_ACTORS = frozenset(BUILT_IN_ACTOR)


def shown_name(display_name: str | None, username: str | None, stored: str = "") -> str:
    """The one name of who did something, the same on receipts, reports and views: a user's
    display name, else their login name; without a user, the stored name (a built-in
    actor's key, or the name kept with the record)."""
    return display_name or username or stored or SYSTEM_ACTOR


def printed_name(name: str) -> str:
    """A name as printed in Chinese documents: the built-in actors by their words."""
    return BUILT_IN_ACTOR[name].say() if name in BUILT_IN_ACTOR else name


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    username: str
    role: Role
    site_id: int
    # where a command-line action came from ("OS user@host"): the ops CLI runs on the server
    # PC, so the audit log says which login there did it, whoever it acted as
    origin: str = ""

    @classmethod
    def system(cls, site_id: int) -> Actor:
        """Automatic work (settlement, control) done by the program itself."""
        return cls(None, SYSTEM_ACTOR, Role.ADMIN, site_id)




def require(actor: Actor, *roles: Role, doing: str, doing_en: str = "") -> None:
    """Raise PermissionDenied unless the actor has one of `roles` (admin always may).
    `doing` / `doing_en` name the action, e.g. "充值" / "take recharges"."""
    if actor.role is Role.ADMIN or actor.role in roles:
        return
    allowed = "、".join(ROLE[r].say(CHINESE) for r in (Role.ADMIN, *roles))
    allowed_en = " or ".join(f"an {n}" if n[0] in "aeiou" else f"a {n}"
                             for n in (ROLE[r].say(ENGLISH).lower() for r in (Role.ADMIN, *roles)))
    raise PermissionDenied(USER_MAY_NOT_ASK_LOG, actor_username=actor.username, p2=ROLE[actor.role], doing=doing, allowed=allowed, p5=ROLE[actor.role].say(ENGLISH).lower(), p6=doing_en or doing, allowed_en=allowed_en)


class Changes(enum.IntFlag):
    """What a use case changed, so open views refresh only when they care."""

    NONE = 0
    BALANCES = enum.auto()
    METERS = enum.auto()
    READINGS = enum.auto()
    BILLS = enum.auto()
    STALLS = enum.auto()
    COMMANDS = enum.auto()
    SETTINGS = enum.auto()
    USERS = enum.auto()
    LEDGER_MONTHS = enum.auto()
