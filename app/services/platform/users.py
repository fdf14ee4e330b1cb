"""Users (operators), their roles and logging in. Passwords are kept as argon2 hashes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

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

_hasher = PasswordHasher()
MIN_PASSWORD = 6
LOGIN_FAILED = Word(
    "users.login_failed",
    QT_TRANSLATE_NOOP("Errors", "Wrong user name or password. Type them again"),
)


class LoginFailed(ServiceError):
    code = "login_failed"


@dataclass(frozen=True, slots=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: Role
    is_active: bool
    created_at: datetime


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


def login(session: Session, username: str, password: str, *, origin: str = "") -> Actor:
    """登录: check the password and return who is acting.

    A wrong username and a wrong password fail with the same message, so the message does
    not tell which half was right; an inactive user fails the same way. Permission: none.
    Audit: 'login' or 'login.failed'. Transaction: on failure this is the one service that
    commits, before raising, because the caller's rollback would otherwise erase the record
    of the failed attempt.
    """
    username = (username or "").strip()
    user = session.scalar(select(User).where(User.username == username))
    ok = user is not None and _verify(user.password_hash, password or "")
    if not ok or not user.is_active or user.site_id is None:
        why = "unknown user" if user is None else ("inactive" if ok else "wrong password")
        # The market whose log shows the attempt: the user's, else the only one there is.
        sites = (
            [user.site_id]
            if user is not None and user.site_id
            else list(session.scalars(select(Site.id).limit(2)))
        )
        site_id = sites[0] if len(sites) == 1 else 0
        audit(
            session,
            Actor(user.id if user else None, username[:60] or "?", Role.VIEWER, site_id, origin),
            "login.failed",
            "app_user",
            user.id if user else None,
            reason=why,
        )
        session.commit()
        raise LoginFailed(LOGIN_FAILED)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    actor = Actor(user.id, user.username, user.role, user.site_id, origin)
    audit(session, actor, "login", "app_user", user.id)
    return actor


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
    """Set a user's password. Permission: admin, or the user for themself.
    Audit: 'user.password' (never the password)."""
    if actor.user_id != user_id:
        require(actor, May.CHANGE_OTHER_PASSWORDS)
    user = _own(session, actor, user_id)
    user.password_hash = _hasher.hash(_password(password))
    session.flush()
    audit(session, actor, "user.password", "app_user", user.id, username=user.username)
    return _row(user)


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
    if not password or len(password) < MIN_PASSWORD:
        raise ServiceError(
            PASSWORD_NEEDS_AT_LEAST_CHARACTERS, code="weak_password", min_password=MIN_PASSWORD
        )
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
    return UserRow(u.id, u.username, u.display_name, u.role, u.is_active, u.created_at)


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
