"""What every portal route shares: the database, the signed-in person, CSRF, the templates.

A route that needs a signed-in tenant takes `person: Person = Depends(current_person)`; the
database is `request.app.state.db` (`db_of(request)`). Forms carry `csrf` (`check_csrf`).
"""

from __future__ import annotations

import hmac
import secrets
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.templating import Jinja2Templates
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup

from app.models.db import Database
from app.models.money import fmt_yuan
from app.portal import texts
from app.portal.charts import bar_chart
from app.services.platform.timeutil import zone
from app.services.portal.sign_in import Person, person
from app.words import CHINESE, Said, Word, shown

SESSION_COOKIE = "mm_portal"
ANON_COOKIE = "mm_csrf"  # the CSRF token of a browser not signed in (double-submit)
LANG = CHINESE  # tenants read Chinese first

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))


def say(word: Word | Said | str, **params) -> str:
    if isinstance(word, Word):
        return word.say(LANG, **params)
    if isinstance(word, Said):
        return word.say(LANG)
    return str(word)


def local(t: datetime | None, tz: str = "Asia/Shanghai", fmt: str = "%Y-%m-%d %H:%M") -> str:
    return t.astimezone(zone(tz)).strftime(fmt) if t else "—"


def yuan(amount: Decimal) -> str:
    return texts.YUAN.say(LANG, amount=fmt_yuan(amount))


def short_day(d: date) -> str:
    return f"{d.month}/{d.day}"


def qty(value: Decimal, places: int = 1) -> str:
    """A quantity (kWh, m³) as a tenant reads it: fixed point, `places` decimals."""
    return f"{value:.{places}f}"


def month_label(d: date) -> str:
    return f"{d.month}"


def qr_svg(text: str) -> Markup:
    """A QR code as inline SVG (Native / precreate's code_url): sharp at any size, no image
    file to serve."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        text,
        image_factory=qrcode.image.svg.SvgPathImage,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    return Markup(image.to_string(encoding="unicode"))


templates.env.globals.update(
    T=texts,
    say=say,
    local=local,
    yuan=yuan,
    short_day=short_day,
    month_label=month_label,
    chart=bar_chart,
    qty=qty,
    qr_svg=qr_svg,
    shown=lambda text: shown(text, LANG),
)


class SignInNeeded(Exception):
    """Raised by current_person: the app answers with a redirect to the sign-in page."""


def db_of(request: Request) -> Database:
    return request.app.state.db


@contextmanager
def page_reading(request: Request):
    """A page's reads, lent the worker's settings memo: the tariffs, time zone and payment
    platforms every stall page prices and shows are read again only after they changed."""
    with db_of(request).reading() as session:
        request.app.state.settings_memo.lend(session)
        yield session


def _serializer(request: Request) -> URLSafeSerializer:
    return URLSafeSerializer(request.app.state.cookie_secret, salt="portal-session")


def session_key(request: Request) -> str | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        return str(_serializer(request).loads(raw))
    except BadSignature:
        return None


def optional_person(request: Request) -> Person | None:
    key = session_key(request)
    if key is None:
        return None
    with db_of(request).reading() as s:
        found = person(s, key)
    if found is None or found.site_id != request.app.state.site_id:
        return None
    return found


def current_person(request: Request) -> Person:
    """The signed-in tenant (FastAPI dependency); sends the browser to sign in otherwise."""
    found = optional_person(request)
    if found is None:
        raise SignInNeeded()
    request.state.person = found
    return found


# a route's signed-in tenant: `def page(request: Request, person: SignedIn)`
SignedIn = Annotated[Person, Depends(current_person)]


def set_session_cookie(response, request: Request, key: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        _serializer(request).dumps(key),
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
        max_age=30 * 24 * 3600,
    )


def csrf_token(request: Request, signed_in: Person | None) -> str:
    """The token a form carries: the session's when signed in, else the browser's own."""
    if signed_in is not None:
        return signed_in.csrf
    token = request.cookies.get(ANON_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = request.state.new_csrf = secrets.token_urlsafe(24)
    return token


def check_csrf(request: Request, form_token: str | None, signed_in: Person | None) -> None:
    expected = signed_in.csrf if signed_in is not None else request.cookies.get(ANON_COOKIE)
    if not expected or not form_token or not hmac.compare_digest(expected, form_token):
        raise HTTPException(status_code=403, detail=texts.FORM_EXPIRED.say(LANG))


def render(
    request: Request, name: str, signed_in: Person | None = None, status: int = 200, **context
):
    context.update(person=signed_in, csrf=csrf_token(request, signed_in))
    response = templates.TemplateResponse(request, name, context, status_code=status)
    new = getattr(request.state, "new_csrf", None)
    if new:
        response.set_cookie(
            ANON_COOKIE, new, httponly=True, samesite="lax", secure=request.url.scheme == "https"
        )
    return response
