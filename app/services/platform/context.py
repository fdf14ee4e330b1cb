"""Who is acting, what they may do, and the errors a person can meet."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from app.models.clerk_message import ClerkMessage
from app.models.labels import BUILT_IN_ACTOR
from app.models.user import Role
from app.words import QT_TRANSLATE_NOOP, Said, Word

USER_MAY_NOT_ASK_LOG = Word(
    "context.user_may_not_ask_log",
    QT_TRANSLATE_NOOP(
        "Errors",
        "User “{user}” ({role}) may not {doing}. Please ask {allowed} to log in and do it.",
    ),
)
EITHER = Word("context.either", QT_TRANSLATE_NOOP("Errors", "{one} or {other}"))
# the choices an error offers: "cash (Cash), wechat (WeChat Pay)"
CHOICE = Word("context.choice", QT_TRANSLATE_NOOP("Errors", "{value} ({name})"))
LIST = Word("context.list", QT_TRANSLATE_NOOP("Errors", "{first}, {next}"))


class ServiceError(ClerkMessage, Exception):
    """A problem the clerk can act on: a catalogue word that says what happened and what
    to do, with its parameters, put into words where it is shown (ClerkMessage). `code` is
    stable for tests."""

    code = "error"

    def __init__(
        self, what: Word | ClerkMessage | str, /, *, en: str = "", code: str | None = None, **params
    ):
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
# a tenant's online payment (线上), credited from the payment platform's verified notification
ONLINE_ACTOR = "online_payment"
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

    @classmethod
    def online(cls, site_id: int) -> Actor:
        """A tenant's online payment, credited as a cashier would (operator 线上)."""
        return cls(None, ONLINE_ACTOR, Role.CASHIER, site_id)


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


class May(enum.Enum):
    """The one table of who may do what: each thing a person may do (named as the refusal
    names it) and the roles that may do it besides the administrator, who may do all.
    The services check it (`require`) and the client shows its buttons by it
    (app/ui/client.py), so a rule changed here changes both."""

    SET_UP_COMM_CHANNELS = (QT_TRANSLATE_NOOP("Permissions", "set up communication channels"),)
    IMPORT_COMM_CHANNELS = (QT_TRANSLATE_NOOP("Permissions", "import communication channels"),)
    ADD_COMM_CHANNELS = (QT_TRANSLATE_NOOP("Permissions", "add comm channels"),)
    EDIT_COMM_CHANNELS = (QT_TRANSLATE_NOOP("Permissions", "edit comm channels"),)
    DISABLE_OR_ENABLE_COMM_CHANNELS = (
        QT_TRANSLATE_NOOP("Permissions", "disable or enable comm channels"),
    )
    DELETE_COMM_CHANNELS = (QT_TRANSLATE_NOOP("Permissions", "delete comm channels"),)
    READ_METERS_NOW = (QT_TRANSLATE_NOOP("Permissions", "read meters now"), Role.CASHIER)
    SET_CONTROL_MODE = (
        QT_TRANSLATE_NOOP("Permissions", "set forced on, forced off or restore prepaid"),
    )
    CHANGE_THE_FRIENDLY_PERIOD = (QT_TRANSLATE_NOOP("Permissions", "change the friendly period"),)
    SET_HOLIDAYS = (QT_TRANSLATE_NOOP("Permissions", "set holidays"),)
    RESTORE_BACKUPS = (QT_TRANSLATE_NOOP("Permissions", "restore a backup of the database"),)
    CHANGE_ALARM_LIMITS = (
        QT_TRANSLATE_NOOP("Permissions", "change alarm thresholds and overdraft limits"),
    )
    IMPORT_RECORDS_IN_BULK = (QT_TRANSLATE_NOOP("Permissions", "import records in bulk"),)
    ADD_METERS = (QT_TRANSLATE_NOOP("Permissions", "add meters"),)
    EDIT_METERS = (QT_TRANSLATE_NOOP("Permissions", "edit meters"),)
    REMOVE_METERS = (QT_TRANSLATE_NOOP("Permissions", "remove meters"),)
    DECIDE_IDENTITY_CONFLICTS = (
        QT_TRANSLATE_NOOP("Permissions", "decide meters' identity conflicts"),
    )
    REPLACE_METERS = (QT_TRANSLATE_NOOP("Permissions", "replace meters"),)
    HANDLE_ABNORMAL_READINGS = (QT_TRANSLATE_NOOP("Permissions", "handle abnormal readings"),)
    ADD_BUILDINGS = (QT_TRANSLATE_NOOP("Permissions", "add buildings"),)
    EDIT_BUILDINGS = (QT_TRANSLATE_NOOP("Permissions", "edit buildings"),)
    DELETE_BUILDINGS = (QT_TRANSLATE_NOOP("Permissions", "delete buildings"),)
    ADD_STALLS = (QT_TRANSLATE_NOOP("Permissions", "add stalls"),)
    EDIT_STALLS = (QT_TRANSLATE_NOOP("Permissions", "edit stalls"),)
    DELETE_STALLS = (QT_TRANSLATE_NOOP("Permissions", "delete stalls"),)
    ADD_CUSTOMERS = (QT_TRANSLATE_NOOP("Permissions", "add customers"),)
    EDIT_CUSTOMERS = (QT_TRANSLATE_NOOP("Permissions", "edit customers"),)
    DELETE_CUSTOMERS = (QT_TRANSLATE_NOOP("Permissions", "delete customers"),)
    SET_STALL_PARTIES = (QT_TRANSLATE_NOOP("Permissions", "set the owner or tenant of a stall"),)
    TAKE_RECHARGES = (QT_TRANSLATE_NOOP("Permissions", "take recharges"), Role.CASHIER)
    SET_UP_ONLINE_PAYMENTS = (QT_TRANSLATE_NOOP("Permissions", "set up online payments"),)
    VIEW_ONLINE_PAYMENTS = (
        QT_TRANSLATE_NOOP("Permissions", "view online payments and their reconciliation"),
        Role.REVIEWER,
    )
    REVERSE_RECHARGES = (QT_TRANSLATE_NOOP("Permissions", "reverse recharges"),)
    CLOSE_ACCOUNTS = (QT_TRANSLATE_NOOP("Permissions", "close accounts"),)
    OPEN_ACCOUNTS = (QT_TRANSLATE_NOOP("Permissions", "open accounts"),)
    BUILD_MONTHLY_REPORTS = (QT_TRANSLATE_NOOP("Permissions", "build monthly reports"),)
    SUBMIT_MONTHLY_REPORTS = (QT_TRANSLATE_NOOP("Permissions", "submit monthly reports"),)
    APPROVE_MONTHLY_REPORTS = (
        QT_TRANSLATE_NOOP("Permissions", "approve monthly reports"),
        Role.REVIEWER,
    )
    REOPEN_MONTHLY_REPORTS = (
        QT_TRANSLATE_NOOP("Permissions", "reopen an approved monthly report"),
    )
    CHANGE_MONTHLY_APPROVAL_RULE = (
        QT_TRANSLATE_NOOP("Permissions", "change who may approve monthly reports"),
    )
    RETURN_MONTHLY_REPORTS = (
        QT_TRANSLATE_NOOP("Permissions", "return monthly reports"),
        Role.REVIEWER,
    )
    GENERATE_PROPERTY_BILLS = (QT_TRANSLATE_NOOP("Permissions", "generate property bills"),)
    ISSUE_BILLS = (QT_TRANSLATE_NOOP("Permissions", "issue bills"),)
    VOID_BILLS = (QT_TRANSLATE_NOOP("Permissions", "void bills"),)
    RUN_SETTLEMENT = (QT_TRANSLATE_NOOP("Permissions", "run settlement"),)
    RUN_FINAL_SETTLEMENT = (QT_TRANSLATE_NOOP("Permissions", "run the final settlement"),)
    SET_UP_SHARED_COSTS = (QT_TRANSLATE_NOOP("Permissions", "set up shared costs"),)
    SET_SHARED_COST_COEFFICIENTS = (
        QT_TRANSLATE_NOOP("Permissions", "set shared-cost coefficients"),
    )
    VIEW_SHARED_COSTS = (QT_TRANSLATE_NOOP("Permissions", "view shared costs"), Role.REVIEWER)
    GENERATE_SHARED_COST_BILLS = (QT_TRANSLATE_NOOP("Permissions", "generate shared-cost bills"),)
    REVIEW_SHARED_COST_BILLS = (
        QT_TRANSLATE_NOOP("Permissions", "review shared-cost bills"),
        Role.REVIEWER,
    )
    ISSUE_SHARED_COST_BILLS = (QT_TRANSLATE_NOOP("Permissions", "issue shared-cost bills"),)
    VOID_SHARED_COST_BILLS = (QT_TRANSLATE_NOOP("Permissions", "void shared-cost bills"),)
    REVERSE_SHARED_COST_BILLS = (QT_TRANSLATE_NOOP("Permissions", "reverse shared-cost bills"),)
    ADD_TARIFFS = (QT_TRANSLATE_NOOP("Permissions", "add tariffs"),)
    EDIT_TARIFFS = (QT_TRANSLATE_NOOP("Permissions", "edit tariffs"),)
    ADD_CHARGE_ITEMS = (QT_TRANSLATE_NOOP("Permissions", "add charge items"),)
    EDIT_CHARGE_ITEMS = (QT_TRANSLATE_NOOP("Permissions", "edit charge items"),)
    DELETE_CHARGE_ITEMS = (QT_TRANSLATE_NOOP("Permissions", "delete charge items"),)
    VIEW_USAGE_REPORTS = (
        QT_TRANSLATE_NOOP("Permissions", "view usage reports"),
        Role.CASHIER,
        Role.REVIEWER,
        Role.VIEWER,
    )
    VIEW_SHIFT_REPORTS = (
        QT_TRANSLATE_NOOP("Permissions", "view shift reports"),
        Role.CASHIER,
        Role.REVIEWER,
    )
    VIEW_ARREARS_LIST = (
        QT_TRANSLATE_NOOP("Permissions", "view the arrears list"),
        Role.CASHIER,
        Role.REVIEWER,
        Role.VIEWER,
    )
    READ_OPERATION_LOG = (QT_TRANSLATE_NOOP("Permissions", "read the operation log"), Role.REVIEWER)
    CREATE_MARKETS = (QT_TRANSLATE_NOOP("Permissions", "create markets"),)
    CHANGE_MARKET_DETAILS = (
        QT_TRANSLATE_NOOP(
            "Permissions", "change the market's name, address, phone, time zone or receipt lines"
        ),
    )
    ADD_USERS = (QT_TRANSLATE_NOOP("Permissions", "add users"),)
    CHANGE_USER_ROLES = (QT_TRANSLATE_NOOP("Permissions", "change user roles"),)
    CHANGE_OTHER_PASSWORDS = (QT_TRANSLATE_NOOP("Permissions", "change other users' passwords"),)
    DEACTIVATE_USERS = (QT_TRANSLATE_NOOP("Permissions", "deactivate users"),)
    UNLOCK_USERS = (QT_TRANSLATE_NOOP("Permissions", "unlock users"),)
    SET_UP_TENANT_PORTAL = (
        QT_TRANSLATE_NOOP(
            "Permissions", "set up text messages and the tenants' portal, or end portal sign-ins"
        ),
    )
    RUN_COMMANDS_ON_METERS = (QT_TRANSLATE_NOOP("Permissions", "run “{action}” on meters"),)
    VIEW_ALERTS = (
        QT_TRANSLATE_NOOP("Permissions", "view safety alerts"),
        Role.CASHIER,
        Role.REVIEWER,
        Role.VIEWER,
    )
    HANDLE_ALERTS = (
        QT_TRANSLATE_NOOP("Permissions", "acknowledge or resolve safety alerts"),
        Role.CASHIER,
    )
    CHANGE_ALERT_THRESHOLDS = (QT_TRANSLATE_NOOP("Permissions", "change alert thresholds"),)
    VIEW_LOSSES = (QT_TRANSLATE_NOOP("Permissions", "view line losses"), Role.REVIEWER)

    def __init__(self, doing: tuple[str, str], *roles: Role):
        self.doing = Word(f"may.{self.name.lower()}", doing)
        self.roles = roles

    def allows(self, role: Role) -> bool:
        return role is Role.ADMIN or role in self.roles


def require(actor: Actor, action: May, /, **params) -> None:
    """Raise PermissionDenied unless the table lets the actor's role do `action`; `params`
    fill in the action's words (which meter command …)."""
    if action.allows(actor.role):
        return
    allowed: Word | Said = _ROLE_ASKED[Role.ADMIN]
    for role in action.roles:
        allowed = EITHER(one=allowed, other=_ROLE_ASKED[role])
    raise PermissionDenied(
        USER_MAY_NOT_ASK_LOG,
        user=actor.username,
        role=_ROLE_ACTING[actor.role],
        doing=action.doing(**params),
        allowed=allowed,
    )


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
    ALERTS = enum.auto()
