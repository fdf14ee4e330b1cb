"""The portal's web app: `create_app(db)` for uvicorn (`python -m app portal`) and the tests.

Routers plug in with `app.include_router(...)`; each route finds the database at
`request.app.state.db` and the signed-in tenant with `Depends(app.portal.deps.current_person)`.

While it serves, the portal asks the payment platforms about orders whose notification never
came (`query_pending`, every `query_every_s`): the portal is the process that exists wherever
online payments do (the platforms notify it), one per market, while the collection service
runs only where the meter lines are and not at all in a single-PC market.
"""

from __future__ import annotations

import os
from contextlib import asynccontextmanager
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from app.models.db import Database
from app.portal import pages, payments
from app.portal.deps import LANG, SignInNeeded, optional_person, render
from app.portal.texts import NOT_FOUND
from app.services.market.setup import pick_market
from app.services.money.online_payments import PendingQuery
from app.services.platform.change_feed import SettingsMemo
from app.services.platform.context import NotFound
from app.services.portal.sms import sms_account

# Pages one worker process builds at once. Building a page is Python work under one GIL, so
# more threads only queue for it (and for pooled connections); a few also keep the other
# routes going while one waits on a payment platform.
PAGE_THREADS = 8
# how long a tenant's idle connection stays open: the time to read a page and tap the next
KEEP_ALIVE_S = 30
QUERY_EVERY_S = 60.0  # a lost notification is credited within a minute of QUERY_AFTER
# what `python -m app portal --workers N` hands each worker process (app_from_environment)
DB_ENV, MARKET_ENV = "MARKETMETER_PORTAL_DB", "MARKETMETER_PORTAL_MARKET"


def create_app(
    db: Database,
    market: str | None = None,
    routers=(),
    *,
    query_every_s: float | None = QUERY_EVERY_S,
) -> FastAPI:
    """The portal of one market (`market`: its code, when the database holds several).
    `query_every_s`: how often unanswered payment orders are queried (None: never)."""
    with db.transaction() as s:
        site = pick_market(s, market)
        secret = sms_account(s, site.id).settings["cookie_secret"]

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        anyio.to_thread.current_default_thread_limiter().total_tokens = PAGE_THREADS
        timer = None
        if query_every_s is not None:
            timer = app.state.pending_query = PendingQuery(db, site.id, query_every_s)
            timer.start()
        try:
            yield
        finally:
            if timer is not None:
                timer.stop()

    app = FastAPI(
        title="MarketMeter portal",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.site_id = site.id
    app.state.timezone = site.timezone
    app.state.cookie_secret = secret
    app.state.settings_memo = SettingsMemo()
    app.mount(
        "/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static"
    )
    app.include_router(pages.router)
    app.include_router(payments.router)
    for router in routers:
        app.include_router(router)

    @app.middleware("http")
    async def _openid(request: Request, call_next):
        response = await call_next(request)
        payments.remember_openid(request, response)
        return response

    @app.exception_handler(SignInNeeded)
    def _sign_in(request: Request, _exc: SignInNeeded):
        return RedirectResponse(f"/sign-in?next={request.url.path}", status_code=303)

    @app.exception_handler(NotFound)
    def _not_found(request: Request, exc: NotFound):
        return render(
            request,
            "message.html",
            optional_person(request),
            status=404,
            message=NOT_FOUND.say(LANG, message=exc.text(LANG)),
        )

    @app.exception_handler(HTTPException)
    def _http(request: Request, exc: HTTPException):
        return render(
            request,
            "message.html",
            optional_person(request),
            status=exc.status_code,
            message=str(exc.detail),
        )

    return app


def app_from_environment() -> FastAPI:
    """`create_app` for `python -m app portal`: uvicorn makes the app from an import string
    in each worker process (`--workers N`: spawned, on Windows as elsewhere), so the
    database URL and the market come through the environment the command set."""
    # a connection for each page thread, the portal's turn and the unanswered-order query
    db = Database(os.environ[DB_ENV], connections=PAGE_THREADS + 2)
    return create_app(db, os.environ.get(MARKET_ENV) or None)
