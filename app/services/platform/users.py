"""Users (operators), their roles and logging in. Passwords are kept as argon2 hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models.base import utcnow
from app.models.labels import ROLE
from app.models.site import Site
from app.models.user import Role, User
from app.services.platform.audit import audit
from app.services.platform.context import (
    BUILT_IN_ACTORS,
    CHOICE,
    LIST,
    Actor,
    Conflict,
    May,
    NotFound,
    ServiceError,
    require,
)
from app.services.platform.timeutil import site_zone
from app.words import QT_TRANSLATE_NOOP, Said, Word

TWO_PASSWORDS_DO_NOT_MATCH = Word(
    "users.two_passwords_do_not_match",
    QT_TRANSLATE_NOOP("Errors", "The two passwords do not match. Type them again"),
)
MARKET_ID_NOT_FOUND_CREATE = Word(
    "users.market_id_not_found_create",
    QT_TRANSLATE_NOOP("Errors", "Market (id {site_id}) not found. Create the market first"),
)
YOU_CANNOT_TAKE_AWAY_YOUR = Word(
    "users.you_cannot_take_away_your",
    QT_TRANSLATE_NOOP(
        "Errors",
        "You cannot take away your own administrator role. Ask another administrator to do it",
    ),
)
YOU_CANNOT_DEACTIVATE_YOURSELF_WHILE = Word(
    "users.you_cannot_deactivate_yourself_while",
    QT_TRANSLATE_NOOP(
        "Errors",
        "You cannot deactivate yourself while logged in. Ask another administrator to do it",
    ),
)
USER_NAME_REQUIRED_AT_MOST = Word(
    "users.user_name_required_at_most",
    QT_TRANSLATE_NOOP(
        "Errors", "A user name is required (at most 40 characters). Type a user name"
    ),
)
USER_NAME_KEPT_FOR_PROGRAM = Word(
    "users.user_name_kept_for_program",
    QT_TRANSLATE_NOOP(
        "Errors", "User name “{username}” is kept for the program itself. Choose another one"
    ),
)
USER_NAME_ALREADY_EXISTS_CHOOSE = Word(
    "users.user_name_already_exists_choose",
    QT_TRANSLATE_NOOP("Errors", "User name “{username}” already exists. Choose another one"),
)
LAST_ADMINISTRATOR_MUST_STAY_ONE = Word(
    "users.last_administrator_must_stay_one",
    QT_TRANSLATE_NOOP(
        "Errors",
        "“{user_username}” is the last administrator and must stay one. Make another user an "
        "administrator first",
    ),
)
PASSWORD_NEEDS_AT_LEAST_CHARACTERS = Word(
    "users.password_needs_at_least_characters",
    QT_TRANSLATE_NOOP(
        "Errors", "The password needs at least {min_password} characters. Type a longer password"
    ),
)
USER_ID_NOT_FOUND_REFRESH = Word(
    "users.user_id_not_found_refresh",
    QT_TRANSLATE_NOOP("Errors", "User (id {user_id}) not found. Refresh and try again"),
)
NO_USER_NAMED = Word(
    "users.no_user_named",
    QT_TRANSLATE_NOOP(
        "Errors", "There is no user “{username}” in this market. Check the user name"
    ),
)
ROLE_NOT_KNOWN_CHOOSE_ONE = Word(
    "users.role_not_known_choose_one",
    QT_TRANSLATE_NOOP("Errors", "Role “{role}” is not known. Choose one of: {names}"),
)
# what a person may be refused, said in PermissionDenied
ADD_USERS = Word("users.add_users", QT_TRANSLATE_NOOP("Errors", "add users"))
CHANGE_USER_ROLES = Word(
    "users.change_user_roles", QT_TRANSLATE_NOOP("Errors", "change user roles")
)
DEACTIVATE_USERS = Word("users.deactivate_users", QT_TRANSLATE_NOOP("Errors", "deactivate users"))
PASSWORD_NOT_ONLY_DIGITS = Word(
    "users.password_not_only_digits",
    QT_TRANSLATE_NOOP(
        "Errors", "A password of digits only is too easy to guess. Add letters or signs"
    ),
)
CURRENT_PASSWORD_WRONG = Word(
    "users.current_password_wrong",
    QT_TRANSLATE_NOOP(
        "Errors", "The current password is not right. Type the password you sign in with now"
    ),
)
NEW_PASSWORD_SAME_AS_OLD = Word(
    "users.new_password_same_as_old",
    QT_TRANSLATE_NOOP(
        "Errors", "The new password is the same as the current one. Choose another password"
    ),
)
USER_LOCKED = Word(
    "users.user_locked",
    QT_TRANSLATE_NOOP(
        "Errors",
        "Too many wrong passwords: user “{username}” is locked until {until}. Try again then, "
        "or ask an administrator to unlock it",
    ),
)

_hasher = PasswordHasher()
MIN_PASSWORD = 8
# Five wrong passwords in a row lock the user for five minutes: enough for a clerk who
# mistyped, too slow for someone trying a colleague's passwords at a shared counter PC.
WRONG_PASSWORDS_TO_LOCK = 5
LOCKED_FOR = timedelta(minutes=5)
LOGIN_FAILED = Word(
    "users.login_failed",
    QT_TRANSLATE_NOOP("Errors", "Wrong user name or password. Type them again"),
)


class LoginFailed(ServiceError):
    code = "login_failed"


class LoginLocked(LoginFailed):
    """The user is locked after wrong passwords; `until` is when the lock ends (UTC)."""

    code = "login_locked"

    def __init__(self, session: Session, user: User):
        self.until: datetime = user.locked_until
        local = self.until.astimezone(site_zone(session, user.site_id))
        super().__init__(USER_LOCKED, username=user.username, until=local.strftime("%H:%M"))


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    is_active: bool
    created_at: datetime
    locked_until: datetime | None = None  # after wrong passwords; None or past: not locked


def add_user(
    session: Session,
    actor: Actor,
    username: str,
    password: str,
    role: Role | str,
    display_name: str = "",
) -> UserRow:
    """Add an operator. Permission: admin. Audit: 'user.create' with the role."""
    require(actor, May.ADD_USERS)
    return _create(session, actor, actor.site_id, username, password, _role(role), display_name)


def ensure_admin(session: Session, site_id: int, username: str, password: str) -> UserRow:
    """Setup: create the first admin of a site unless that user exists already (then it is
    returned unchanged). Permission: none (first run, ops CLI). Audit: 'user.create' by "setup"."""
    if session.get(Site, site_id) is None:
        raise NotFound(MARKET_ID_NOT_FOUND_CREATE, site_id=site_id)
    existing = session.scalar(select(User).where(User.username == (username or "").strip()))
    if existing is not None:
        return _row(existing)
    return _create(
        session,
        Actor(None, "setup", Role.ADMIN, site_id),
        site_id,
        username,
        password,
        Role.ADMIN,
        "",
    )


def login(
    session: Session,
    username: str,
    password: str,
    *,
    origin: str = "",
    now: datetime | None = None,
) -> Actor:
    """登录: check the password and return who is acting.

    A wrong username and a wrong password fail with the same message, so the message does
    not tell which half was right; an inactive user fails the same way. The fifth wrong
    password in a row locks the user for LOCKED_FOR (LoginLocked says until when); while
    locked even the right password is refused. `now`: the clock, for tests. Permission: none.
    Audit: 'login', or 'login.failed' (and 'user.locked' at the fifth). Transaction: on
    failure this is the one service that commits, before raising, because the caller's
    rollback would otherwise erase the record of the failed attempt and the count.
    """
    now = now or utcnow()
    username = (username or "").strip()
    user = session.scalar(select(User).where(User.username == username))
    is_locked = user is not None and user.locked_until is not None and user.locked_until > now
    ok = not is_locked and user is not None and _verify(user.password_hash, password or "")
    if not ok or not user.is_active or user.site_id is None:
        if user is None:
            why = "unknown user"
        elif is_locked:
            why = "locked"
        else:
            why = "inactive" if ok else "wrong password"
        # The market whose log shows the attempt: the user's, else the only one there is.
        sites = (
            [user.site_id]
            if user is not None and user.site_id
            else list(session.scalars(select(Site.id).limit(2)))
        )
        site_id = sites[0] if len(sites) == 1 else 0
        who = Actor(user.id if user else None, username[:60] or "?", Role.VIEWER, site_id, origin)
        audit(session, who, "login.failed", "app_user", user.id if user else None, reason=why)
        locks_now = why == "wrong password" and _count_wrong_password(user, now)
        if locks_now:
            audit(
                session,
                who,
                "user.locked",
                "app_user",
                user.id,
                username=user.username,
                until=user.locked_until.isoformat(),
            )
        refusal = LoginLocked(session, user) if is_locked or locks_now else None
        session.commit()
        raise refusal or LoginFailed(LOGIN_FAILED)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins, user.locked_until = 0, None
    actor = Actor(user.id, user.username, user.role, user.site_id, origin)
    audit(session, actor, "login", "app_user", user.id)
    return actor


def _count_wrong_password(user: User, now: datetime) -> bool:
    """One more wrong password in a row; True when it locks the user (the count starts
    again once the lock ends)."""
    user.failed_logins += 1
    if user.failed_logins < WRONG_PASSWORDS_TO_LOCK:
        return False
    user.failed_logins, user.locked_until = 0, now + LOCKED_FOR
    return True


def unlock(session: Session, actor: Actor, user_id: int) -> UserRow:
    """Lift the lock of a user after wrong passwords (the count starts again).
    Permission: admin. Audit: 'user.unlock'."""
    require(actor, May.UNLOCK_USERS)
    user = _own(session, actor, user_id)
    user.failed_logins, user.locked_until = 0, None
    session.flush()
    audit(session, actor, "user.unlock", "app_user", user.id, username=user.username)
    return _row(user)


def change_role(session: Session, actor: Actor, user_id: int, role: Role | str) -> UserRow:
    """Give a user another role. Permission: admin; an admin cannot demote themself, nor the
    site's last active admin. Audit: 'user.role' with old and new role."""
    require(actor, May.CHANGE_USER_ROLES)
    user = _own(session, actor, user_id)
    role = _role(role)
    if user.id == actor.user_id and role is not Role.ADMIN:
        raise Conflict(YOU_CANNOT_TAKE_AWAY_YOUR)
    if user.role is Role.ADMIN and role is not Role.ADMIN:
        _keep_an_admin(session, user)
    before = user.role
    user.role = role
    session.flush()
    audit(
        session,
        actor,
        "user.role",
        "app_user",
        user.id,
        username=user.username,
        before=before.value,
        after=role.value,
    )
    return _row(user)


def set_password(session: Session, actor: Actor, user_id: int, password: str) -> UserRow:
    """Set a user's password. Permission: admin, or the user for themself. An administrator's
    reset of another user's password also lifts a lock, and that user chooses their own
    password at the next sign-in. Audit: 'user.password' for oneself, 'user.password_reset'
    for another (never the password)."""
    is_reset = actor.user_id != user_id
    if is_reset:
        require(actor, May.CHANGE_OTHER_PASSWORDS)
    user = _own(session, actor, user_id)
    user.password_hash = _hasher.hash(_password(password))
    user.must_change_password = is_reset
    if is_reset:
        user.failed_logins, user.locked_until = 0, None
    session.flush()
    action = "user.password_reset" if is_reset else "user.password"
    audit(session, actor, action, "app_user", user.id, username=user.username)
    return _row(user)


def change_own_password(
    session: Session, actor: Actor, current: str, new: str, again: str
) -> UserRow:
    """改密码: the signed-in user replaces their password, after giving the current one; the
    new one is typed twice. Permission: the user themself. Audit: 'user.password'."""
    if actor.user_id is None:  # the built-in actors have no password
        raise NotFound(USER_ID_NOT_FOUND_REFRESH, user_id="-")
    user = _own(session, actor, actor.user_id)
    if not _verify(user.password_hash, current or ""):
        raise ServiceError(CURRENT_PASSWORD_WRONG, code="wrong_password")
    new = confirmed_password(new, again)
    if new == current:
        raise ServiceError(NEW_PASSWORD_SAME_AS_OLD, code="same_password")
    return set_password(session, actor, user.id, new)


def must_change_password(session: Session, actor: Actor) -> bool:
    """Whether the user signs in with a password an administrator reset, and so must choose
    their own first. Read only."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    return bool(user and user.must_change_password)


def deactivate(session: Session, actor: Actor, user_id: int) -> UserRow:
    """Stop a user from logging in (their history stays). Permission: admin; not oneself,
    nor the site's last active admin.
    Audit: 'user.deactivate'."""
    require(actor, May.DEACTIVATE_USERS)
    user = _own(session, actor, user_id)
    if user.id == actor.user_id:
        raise Conflict(YOU_CANNOT_DEACTIVATE_YOURSELF_WHILE)
    if user.role is Role.ADMIN and user.is_active:
        _keep_an_admin(session, user)
    user.is_active = False
    session.flush()
    audit(session, actor, "user.deactivate", "app_user", user.id, username=user.username)
    return _row(user)


def list_users(session: Session, site_id: int) -> list[UserRow]:
    """The site's users by username. Permission: any user; reads only."""
    return [
        _row(u)
        for u in session.scalars(
            select(User).where(User.site_id == site_id).order_by(User.username)
        )
    ]


def user_id_of(session: Session, site_id: int, username: str) -> int:
    """The id of the market's user with this name (the command line names users).
    Permission: any user; reads only."""
    user_id = session.scalar(
        select(User.id).where(User.site_id == site_id, User.username == (username or "").strip())
    )
    if user_id is None:
        raise NotFound(NO_USER_NAMED, username=username)
    return user_id


def _create(
    session: Session,
    actor: Actor,
    site_id: int,
    username: str,
    password: str,
    role: Role,
    display_name: str,
) -> UserRow:
    username = (username or "").strip()
    if not username or len(username) > 40:
        raise ServiceError(USER_NAME_REQUIRED_AT_MOST, code="invalid_username")
    if username.lower() in BUILT_IN_ACTORS:
        raise Conflict(USER_NAME_KEPT_FOR_PROGRAM, username=username)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(USER_NAME_ALREADY_EXISTS_CHOOSE, username=username)
    user = User(
        site_id=site_id,
        username=username,
        display_name=(display_name or "").strip(),
        password_hash=_hasher.hash(_password(password)),
        role=role,
    )
    session.add(user)
    session.flush()
    audit(session, actor, "user.create", "app_user", user.id, username=username, role=role.value)
    return _row(user)


def _keep_an_admin(session: Session, user: User) -> None:
    """A site without an active admin could not change its tariffs or users any more."""
    others = session.scalar(
        select(func.count())
        .select_from(User)
        .where(
            User.site_id == user.site_id,
            User.role == Role.ADMIN,
            User.is_active,
            User.id != user.id,
        )
    )
    if not others:
        raise Conflict(LAST_ADMINISTRATOR_MUST_STAY_ONE, user_username=user.username)


def _verify(hash_: str, password: str) -> bool:
    try:
        return _hasher.verify(hash_, password)
    except (VerificationError, InvalidHashError):
        return False


def confirmed_password(password: str, again: str) -> str:
    """A new password typed twice, as the person meant it: both the same."""
    if password != again:
        raise ServiceError(TWO_PASSWORDS_DO_NOT_MATCH, code="password_mismatch")
    return password


def _password(password: str) -> str:
    """A new password: at least MIN_PASSWORD characters, not digits only (a phone number or
    a birthday is the first thing tried)."""
    if not password or len(password) < MIN_PASSWORD:
        raise ServiceError(
            PASSWORD_NEEDS_AT_LEAST_CHARACTERS, code="weak_password", min_password=MIN_PASSWORD
        )
    if password.isdigit():
        raise ServiceError(PASSWORD_NOT_ONLY_DIGITS, code="weak_password")
    return password


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        names: Word | Said | str = ""
        for r, n in ROLE.items():
            names = (
                LIST(first=names, next=CHOICE(value=r.value, name=n))
                if names
                else CHOICE(value=r.value, name=n)
            )
        raise ServiceError(
            ROLE_NOT_KNOWN_CHOOSE_ONE, code="invalid_role", role=role, names=names
        ) from None


def _own(session: Session, actor: Actor, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.site_id != actor.site_id:
        raise NotFound(USER_ID_NOT_FOUND_REFRESH, user_id=user_id)
    return user


def _row(u: User) -> UserRow:
    return UserRow(
        u.id, u.username, u.display_name, u.role, u.is_active, u.created_at, u.locked_until
    )


def shown_name_of(session: Session, actor: Actor) -> str:
    """The name printed on this user's receipts (display name, else login name). Read only."""
    from app.services.platform.context import shown_name

    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    return shown_name(
        user.display_name if user else None, user.username if user else None, actor.username
    )


def first_admin(session: Session, site_id: int | None = None):
    """The first active admin (of a site): who the demo and --screenshot runs act as,
    since neither has a person at the keyboard to sign in. Returns an Actor or None."""
    from app.models.user import Role, User
    from app.services.platform.context import Actor

    stmt = (
        select(User)
        .where(User.role == Role.ADMIN, User.is_active.is_(True), User.site_id.is_not(None))
        .order_by(User.id)
    )
    if site_id is not None:
        stmt = stmt.where(User.site_id == site_id)
    user = session.scalars(stmt.limit(1)).first()
    return None if user is None else Actor(user.id, user.username, user.role, user.site_id)
