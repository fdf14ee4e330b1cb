"""Starting a real market (开始使用): create the market, its first administrator, and tell
how far its setup has come.

The first-run setup (the client's wizard, or `market create` + `user add` on the command
line) runs before anyone can sign in, so its first two steps need no signed-in user: a
market may be created by anyone while the database holds none, and its first user, an
administrator, by anyone while it has no user. Both are audited under "setup" (with the
OS login and host when the command line did it). Every later step is an ordinary service
called by that administrator."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import program
from app.models.meter import Channel
from app.models.site import Building, Site, Stall
from app.models.tariff import Tariff
from app.models.user import AuditEvent, Role, User
from app.services.market.stall_codes import listed
from app.services.market.stalls import SiteRow, list_sites
from app.services.platform.audit import audit
from app.services.platform.context import (
    Actor,
    Conflict,
    May,
    NotFound,
    ServiceError,
    require,
)
from app.services.platform.users import UserRow, _create
from app.words import QT_TRANSLATE_NOOP, Word

DEFAULT_TIMEZONE = "Asia/Shanghai"
SETUP_ACTOR = "setup"
HOW_TO_CREATE = Word(
    "setup.how_to_create",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Start the desktop program and follow its setup, or run: {create} ({demo} opens the demo "
        "market)",
    ),
)


def how_to_create():
    """HOW_TO_CREATE with the commands as this program is started (a checkout or frozen)."""
    return HOW_TO_CREATE(
        create=program.command_text("market", "create", "--name", "NAME"),
        demo=program.command_text("--demo"),
    )


NO_MARKET_YET = Word(
    "setup.no_market_yet",
    QT_TRANSLATE_NOOP("Errors", "The database has no market yet. {how}"),
)
SEVERAL_MARKETS = Word(
    "setup.several_markets",
    QT_TRANSLATE_NOOP(
        "Errors", "The database holds several markets ({codes}). Name one with --market CODE"
    ),
)
NO_MARKET_WITH_CODE = Word(
    "setup.no_market_with_code",
    QT_TRANSLATE_NOOP(
        "Errors", "There is no market with the code “{market_code}” (there are: {codes})"
    ),
)
MARKET_NAME_REQUIRED = Word(
    "setup.market_name_required",
    QT_TRANSLATE_NOOP("Errors", "The market needs a name (at most 100 characters). Type its name"),
)
TEXT_TOO_LONG = Word(
    "setup.text_too_long",
    QT_TRANSLATE_NOOP("Errors", "The {what} can have at most {most} characters. Shorten it"),
)
ADDRESS = Word("setup.address", QT_TRANSLATE_NOOP("Errors", "address"))
SERVICE_PHONE = Word("setup.service_phone", QT_TRANSLATE_NOOP("Errors", "service phone"))
RECEIPT_HEADER = Word("setup.receipt_header", QT_TRANSLATE_NOOP("Errors", "receipt header lines"))
RECEIPT_FOOTER = Word("setup.receipt_footer", QT_TRANSLATE_NOOP("Errors", "receipt footer lines"))
# A receipt is a narrow roll: a few lines above and below it, not a page of text.
RECEIPT_LINES_MOST = 300
MARKET_CODE_NOT_VALID = Word(
    "setup.market_code_not_valid",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Market code “{market_code}” is not valid: use 1 to 20 letters, digits, - or _ (e.g. M001)",
    ),
)
MARKET_CODE_TAKEN = Word(
    "setup.market_code_taken",
    QT_TRANSLATE_NOOP(
        "Errors", "A market with the code “{market_code}” exists already. Choose another"
    ),
)
TIMEZONE_NOT_KNOWN = Word(
    "setup.timezone_not_known",
    QT_TRANSLATE_NOOP(
        "Errors", "Time zone “{timezone}” is not known. Type it like Asia/Shanghai or Asia/Urumqi"
    ),
)
MARKET_HAS_USERS = Word(
    "setup.market_has_users",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The market “{market}” has users already: an administrator adds further users "
        "(Settings → Users, or user add --operator ADMIN)",
    ),
)
FIRST_USER_IS_ADMIN = Word(
    "setup.first_user_is_admin",
    QT_TRANSLATE_NOOP(
        "Errors",
        "The market's first user must be an administrator (--role admin): only an "
        "administrator can add the others",
    ),
)
# The steps of the setup, in order, with what the checklist says while one is not done.
STEP_MARKET = "market"
STEP_ADMIN = "admin"
STEP_PRICES = "prices"
STEP_BUILDINGS = "buildings"
STEP_LINES = "lines"
STEP_STALLS = "stalls"
STEP_CONTROL = "control"
STEPS = (
    STEP_MARKET,
    STEP_ADMIN,
    STEP_PRICES,
    STEP_BUILDINGS,
    STEP_LINES,
    STEP_STALLS,
    STEP_CONTROL,
)
MISSING = {
    STEP_MARKET: Word("setup.missing.market", QT_TRANSLATE_NOOP("Setup", "no market yet")),
    STEP_ADMIN: Word("setup.missing.admin", QT_TRANSLATE_NOOP("Setup", "no administrator yet")),
    STEP_PRICES: Word("setup.missing.prices", QT_TRANSLATE_NOOP("Setup", "no prices yet")),
    STEP_BUILDINGS: Word("setup.missing.buildings", QT_TRANSLATE_NOOP("Setup", "no building yet")),
    STEP_LINES: Word("setup.missing.lines", QT_TRANSLATE_NOOP("Setup", "no meter line yet")),
    STEP_STALLS: Word(
        "setup.missing.stalls", QT_TRANSLATE_NOOP("Setup", "no stalls or meters yet")
    ),
    STEP_CONTROL: Word(
        "setup.missing.control", QT_TRANSLATE_NOOP("Setup", "no control defaults yet")
    ),
}
STEP_TITLE = {
    STEP_MARKET: Word("setup.step.market", QT_TRANSLATE_NOOP("Setup", "Market")),
    STEP_ADMIN: Word("setup.step.admin", QT_TRANSLATE_NOOP("Setup", "First administrator")),
    STEP_PRICES: Word("setup.step.prices", QT_TRANSLATE_NOOP("Setup", "Prices")),
    STEP_BUILDINGS: Word(
        "setup.step.buildings", QT_TRANSLATE_NOOP("Setup", "Buildings and schedules")
    ),
    STEP_LINES: Word("setup.step.lines", QT_TRANSLATE_NOOP("Setup", "Meter lines")),
    STEP_STALLS: Word("setup.step.stalls", QT_TRANSLATE_NOOP("Setup", "Stalls and meters")),
    STEP_CONTROL: Word("setup.step.control", QT_TRANSLATE_NOOP("Setup", "Control defaults")),
}
# the audited changes that set a market's control defaults (alarm levels, friendly period)
CONTROL_ACTIONS = ("control.alarm_levels", "control.friendly_period")
_CODE = re.compile(r"[A-Za-z0-9_-]{1,20}")


@dataclass(frozen=True, slots=True)
class MarketSpec:
    """What is typed for a new market; an empty code is generated (M001, M002, …)."""

    name: str
    code: str = ""
    timezone: str = DEFAULT_TIMEZONE
    address: str = ""
    phone: str = ""
    receipt_header: str = ""
    receipt_footer: str = ""


def create_market(session: Session, actor: Actor | None, spec: MarketSpec) -> SiteRow:
    """Create a market (市场). Permission: none while the database holds no market (first
    run; `actor` may be None); otherwise an administrator (a chain adds a market). Audit:
    'site.create' with what was typed, by the actor or "setup"."""
    if session.scalar(select(Site.id).limit(1)) is not None:
        if actor is None:
            actor = Actor(None, SETUP_ACTOR, Role.VIEWER, 0)
        require(actor, May.CREATE_MARKETS)
    name = _name(spec.name)
    address = _address(spec.address)
    phone = _phone(spec.phone)
    timezone = _timezone(spec.timezone)
    code = (spec.code or "").strip() or _next_code(session)
    if not _CODE.fullmatch(code):
        raise ServiceError(MARKET_CODE_NOT_VALID, code="invalid", market_code=code)
    if session.scalar(select(Site.id).where(Site.code == code)) is not None:
        raise Conflict(MARKET_CODE_TAKEN, market_code=code)
    site = Site(
        code=code,
        name=name,
        address=address,
        phone=phone,
        timezone=timezone,
        receipt_header=_lines(spec.receipt_header, RECEIPT_HEADER),
        receipt_footer=_lines(spec.receipt_footer, RECEIPT_FOOTER),
    )
    session.add(site)
    session.flush()
    by = actor or Actor(None, SETUP_ACTOR, Role.ADMIN, site.id)
    audit(
        session,
        dataclasses.replace(by, site_id=site.id),
        "site.create",
        "site",
        site.id,
        code=code,
        name=name,
        timezone=timezone,
        address=address,
        phone=phone,
    )
    return SiteRow(site.id, site.code, site.name, site.phone, site.timezone)


def market_details(session: Session, site_id: int) -> MarketSpec:
    """The market as it is now: what Settings → Market and `market set` show. Reads only."""
    site = session.get(Site, site_id)
    if site is None:
        raise NotFound(NO_MARKET_YET, how=how_to_create())
    return MarketSpec(
        site.name,
        site.code,
        site.timezone,
        site.address or "",
        site.phone or "",
        site.receipt_header,
        site.receipt_footer,
    )


def update_market(
    session: Session,
    actor: Actor,
    *,
    name: str | None = None,
    address: str | None = None,
    phone: str | None = None,
    timezone: str | None = None,
    receipt_header: str | None = None,
    receipt_footer: str | None = None,
) -> MarketSpec:
    """Change the actor's market: its name, address, service phone, time zone or receipt
    lines (None: unchanged). The same rules as when it was created; its code stays (commands
    name the market by it). Permission: admin. Audit: 'site.update' with before and after of
    what changed (nothing changed: no audit)."""
    require(actor, May.CHANGE_MARKET_DETAILS)
    site = session.get(Site, actor.site_id)
    if site is None:
        raise NotFound(NO_MARKET_YET, how=how_to_create())
    typed = {
        "name": (name, _name),
        "address": (address, _address),
        "phone": (phone, _phone),
        "timezone": (timezone, _timezone),
        "receipt_header": (receipt_header, lambda text: _lines(text, RECEIPT_HEADER)),
        "receipt_footer": (receipt_footer, lambda text: _lines(text, RECEIPT_FOOTER)),
    }
    # every value is checked before the first is set: a refusal leaves the market as it was
    wanted = {field: check(value) for field, (value, check) in typed.items() if value is not None}
    before, after = {}, {}
    for field, value in wanted.items():
        if value != (getattr(site, field) or ""):
            before[field], after[field] = getattr(site, field) or "", value
            setattr(site, field, value)
    if after:
        session.flush()
        audit(session, actor, "site.update", "site", site.id, before=before, after=after)
    return market_details(session, site.id)


def _name(text: str) -> str:
    name = (text or "").strip()
    if not name or len(name) > 100:
        raise ServiceError(MARKET_NAME_REQUIRED, code="invalid")
    return name


def _address(text: str) -> str:
    return _text(text, 200, ADDRESS)


def _phone(text: str) -> str:
    return _text(text, 40, SERVICE_PHONE)


def _text(text: str, most: int, what: Word) -> str:
    text = (text or "").strip()
    if len(text) > most:
        raise ServiceError(TEXT_TOO_LONG, code="invalid", what=what, most=most)
    return text


def _timezone(text: str) -> str:
    timezone = (text or "").strip() or DEFAULT_TIMEZONE
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError(TIMEZONE_NOT_KNOWN, code="invalid", timezone=timezone) from None
    return timezone


def _lines(text: str, what: Word) -> str:
    lines = "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())
    return _text(lines, RECEIPT_LINES_MOST, what)


def _next_code(session: Session) -> str:
    taken = set(session.scalars(select(Site.code)))
    n = len(taken) + 1
    while f"M{n:03d}" in taken:
        n += 1
    return f"M{n:03d}"


def pick_market(session: Session, code: str | None = None) -> SiteRow:
    """The market a command works on: the one named by its code, or the only one there is.
    Reads only. Errors say how to create a market, or list the codes to choose from."""
    sites = list_sites(session)
    codes = listed(s.code for s in sites)
    if code:
        found = next((s for s in sites if s.code == code), None)
        if found is None:
            raise NotFound(NO_MARKET_WITH_CODE, market_code=code, codes=codes or "—")
        return found
    if not sites:
        raise NotFound(NO_MARKET_YET, how=how_to_create())
    if len(sites) > 1:
        raise ServiceError(SEVERAL_MARKETS, code="several_markets", codes=codes)
    return sites[0]


def has_users(session: Session, site_id: int) -> bool:
    """Whether the market has any user yet (its first one is made without signing in)."""
    return bool(session.scalar(select(func.count()).where(User.site_id == site_id)))


def add_first_admin(
    session: Session,
    site_id: int,
    username: str,
    password: str,
    display_name: str = "",
    *,
    role: Role | str = Role.ADMIN,
    origin: str = "",
) -> UserRow:
    """The market's first user, its administrator. Permission: none, and only while the
    market has no user at all. The password: at least 8 characters, not only digits (an
    administrator's password opens everything). Audit: 'user.create' by "setup"."""
    site = session.get(Site, site_id)
    if site is None:
        raise NotFound(NO_MARKET_YET, how=how_to_create())
    if has_users(session, site_id):
        raise Conflict(MARKET_HAS_USERS, market=site.name)
    if str(role) != Role.ADMIN.value:
        raise ServiceError(FIRST_USER_IS_ADMIN, code="invalid_role")
    by = Actor(None, SETUP_ACTOR, Role.ADMIN, site_id, origin)
    return _create(session, by, site_id, username, password, Role.ADMIN, display_name)


@dataclass(frozen=True, slots=True)
class SetupStep:
    key: str  # one of STEPS
    number: int  # 1 … 7
    is_done: bool


@dataclass(frozen=True, slots=True)
class SetupProgress:
    steps: tuple[SetupStep, ...]

    @property
    def done(self) -> int:
        return sum(s.is_done for s in self.steps)

    @property
    def is_complete(self) -> bool:
        return all(s.is_done for s in self.steps)

    @property
    def next_step(self) -> SetupStep | None:
        return next((s for s in self.steps if not s.is_done), None)


def setup_progress(session: Session, site_id: int) -> SetupProgress:
    """How far the market's setup has come, read from its data (not from a flag a wizard
    set): an active administrator, a tariff, a building, a meter line, a stall; control
    defaults once the friendly period or the alarm levels were set. Reads only."""
    site = session.get(Site, site_id)

    def any_of(stmt) -> bool:
        return session.scalar(stmt.limit(1)) is not None

    done = {
        STEP_MARKET: site is not None,
        STEP_ADMIN: any_of(
            select(User.id).where(User.site_id == site_id, User.role == Role.ADMIN, User.is_active)
        ),
        STEP_PRICES: any_of(select(Tariff.id).where(Tariff.site_id == site_id)),
        STEP_BUILDINGS: any_of(select(Building.id).where(Building.site_id == site_id)),
        STEP_LINES: any_of(select(Channel.id).where(Channel.site_id == site_id)),
        STEP_STALLS: any_of(select(Stall.id).where(Stall.site_id == site_id)),
        STEP_CONTROL: site is not None
        and (
            site.friendly_night_start is not None
            or any_of(
                select(AuditEvent.id).where(
                    AuditEvent.site_id == site_id, AuditEvent.action.in_(CONTROL_ACTIONS)
                )
            )
        ),
    }
    return SetupProgress(
        tuple(SetupStep(key, n, done[key]) for n, key in enumerate(STEPS, start=1))
    )


@dataclass(frozen=True, slots=True)
class FirstRun:
    """Whether the client opens the setup before signing in: no market yet (`site` None),
    or a market whose setup stopped before its administrator was made."""

    site: SiteRow | None
    needs_setup: bool


def first_run(session: Session) -> FirstRun:
    """What the client does at start: set up, or sign in. Reads only."""
    sites = list_sites(session)
    if not sites:
        return FirstRun(None, True)
    site = sites[0]
    has_admin = session.scalar(
        select(User.id)
        .where(User.site_id == site.id, User.role == Role.ADMIN, User.is_active)
        .limit(1)
    )
    return FirstRun(site, has_admin is None and not has_users(session, site.id))
