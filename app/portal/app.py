"""The portal's web app: `create_app(db)` for uvicorn (`python -m app portal`) and the tests.

Routers plug in with `app.include_router(...)`; each route finds the database at
`request.app.state.db` and the signed-in tenant with `Depends(app.portal.deps.current_person)`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from app.models.db import Database
from app.portal import pages, payments
from app.portal.deps import LANG, SignInNeeded, optional_person, render
from app.portal.texts import NOT_FOUND
from app.services.market.setup import pick_market
from app.services.platform.context import NotFound
from app.services.portal.sms import sms_account


def create_app(db: Database, market: str | None = None, routers=()) -> FastAPI:
    """The portal of one market (`market`: its code, when the database holds several)."""
    with db.transaction() as s:
        site = pick_market(s, market)
        secret = sms_account(s, site.id).settings["cookie_secret"]
    app = FastAPI(title="MarketMeter portal", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.db = db
    app.state.site_id = site.id
    app.state.timezone = site.timezone
    app.state.cookie_secret = secret
    app.mount(
        "/static", StaticFiles(directory=str(Path(__file__).with_name("static"))), name="static"
    )
    app.include_router(pages.router)
    app.include_router(payments.router)
    for router in routers:
        app.include_router(router)

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
