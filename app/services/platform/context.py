"""Who is acting, what they may do, and the errors a person can meet."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.models.clerk_message import ClerkMessage
from app.models.user import Role
from app.words import CHINESE, ENGLISH, QT_TRANSLATE_NOOP, Said, Word

USER_MAY_NOT_ASK_LOG = Word("context.user_may_not_ask_log", QT_TRANSLATE_NOOP("Errors", "User “{user}” ({role}) may not {doing}. Please ask {allowed} to log in and do it."))
EITHER = Word("context.either", QT_TRANSLATE_NOOP("Errors", "{one} or {other}"))
# the choices an error offers: "cash (Cash), wechat (WeChat Pay)"
CHOICE = Word("context.choice", QT_TRANSLATE_NOOP("Errors", "{value} ({name})"))
LIST = Word("context.list", QT_TRANSLATE_NOOP("Errors", "{first}, {next}"))


class ServiceError(ClerkMessage, Exception):
    """A problem the clerk can act on: a catalogue word that says what happened and what
    to do, with its parameters, put into words where it is shown (ClerkMessage). `code` is
    stable for tests."""

    code = "error"

    def __init__(self, what: Word | ClerkMessage | str, /, *, en: str = "", code: str | None = None, **params):
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
# the ops command line. Stored under these names; shown as BUILT_IN_ACTORS (the client
# translates the same words, app/ui/labels.py).
SYSTEM_ACTOR = "system"
CLI_ACTOR = "cli"
BUILT_IN_ACTORS = {
    SYSTEM_ACTOR: Word("context.actor.system", QT_TRANSLATE_NOOP("Labels", "System (automatic)")),
    CLI_ACTOR: Word("context.actor.cli", QT_TRANSLATE_NOOP("Labels", "Command line")),
}


def shown_name(display_name: str | None, username: str | None, stored: str = "") -> str:
    """The one name of who did something, the same on receipts, reports and views: a user's
    display name, else their login name; without a user, the stored name (a built-in
    actor's key, or the name kept with the record)."""
    return display_name or username or stored or SYSTEM_ACTOR


def printed_name(name: str) -> str:
    """A name as printed in documents (in default_language()): the built-in actors by
    their words."""
    return BUILT_IN_ACTORS[name].say() if name in BUILT_IN_ACTORS else name


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


ROLE_NAMES = {
    Role.ADMIN: Word("context.role.admin", QT_TRANSLATE_NOOP("Labels", "Administrator")),
    Role.CASHIER: Word("context.role.cashier", QT_TRANSLATE_NOOP("Labels", "Cashier")),
    Role.REVIEWER: Word("context.role.reviewer", QT_TRANSLATE_NOOP("Labels", "Reviewer")),
    Role.VIEWER: Word("context.role.viewer", QT_TRANSLATE_NOOP("Labels", "Viewer")),
}
# A role inside a sentence: who acts, and who may be asked instead ("an administrator").
_ROLE_ACTING = {
    Role.ADMIN: Word("context.acting.admin", QT_TRANSLATE_NOOP("Errors", "administrator")),
    Role.CASHIER: Word("context.acting.cashier", QT_TRANSLATE_NOOP("Errors", "cashier")),
    Role.REVIEWER: Word("context.acting.reviewer", QT_TRANSLATE_NOOP("Errors", "reviewer")),
    Role.VIEWER: Word("context.acting.viewer", QT_TRANSLATE_NOOP("Errors", "viewer")),
}
_ROLE_ASKED = {
    Role.ADMIN: Word("context.asked.admin", QT_TRANSLATE_NOOP("Errors", "an administrator")),
    Role.CASHIER: Word("context.asked.cashier", QT_TRANSLATE_NOOP("Errors", "a cashier")),
    Role.REVIEWER: Word("context.asked.reviewer", QT_TRANSLATE_NOOP("Errors", "a reviewer")),
    Role.VIEWER: Word("context.asked.viewer", QT_TRANSLATE_NOOP("Errors", "a viewer")),
}


def require(actor: Actor, *roles: Role, doing: Word | str, doing_en: str = "") -> None:
    """Raise PermissionDenied unless the actor has one of `roles` (admin always may).
    `doing` names the action as a word, e.g. TAKE_RECHARGES ("take recharges"). The old
    form, the Chinese name with `doing_en` its English, still works until every caller
    names its action by a word."""
    if actor.role is Role.ADMIN or actor.role in roles:
        return
    allowed: Word | Said = _ROLE_ASKED[Role.ADMIN]
    for role in roles:
        allowed = EITHER(one=allowed, other=_ROLE_ASKED[role])
    said = dict(user=actor.username, role=_ROLE_ACTING[actor.role], allowed=allowed)
    if isinstance(doing, Word):
        raise PermissionDenied(USER_MAY_NOT_ASK_LOG, doing=doing, **said)
    raise PermissionDenied(USER_MAY_NOT_ASK_LOG.say(CHINESE, doing=doing, **said),
                           en=USER_MAY_NOT_ASK_LOG.say(ENGLISH, doing=doing_en or doing, **said))


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
