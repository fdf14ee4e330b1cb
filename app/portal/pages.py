"""The portal's pages: sign in, my stalls, a stall, its bills and receipts, binding by QR and
authorizing phones. Routes are thin: each is one service call in one transaction."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from app.portal.deps import (
    LANG,
    SignedIn,
    check_csrf,
    db_of,
    optional_person,
    page_reading,
    render,
    session_key,
    set_session_cookie,
)
from app.services.office.receipts_render import LAYOUTS, receipt_lines
from app.services.platform.context import NotFound, ServiceError
from app.services.platform.timeutil import zone
from app.services.portal import access
from app.services.portal.sign_in import (
    check_code,
    mobile,
    send_code,
    sign_out,
    start_session,
)

router = APIRouter()


def _client_ip(request: Request) -> str:
    # behind the office's proxy uvicorn (proxy_headers) has put X-Forwarded-For's address here
    return request.client.host if request.client else ""


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/")
def home(request: Request):
    return _see_other("/stalls" if optional_person(request) else "/sign-in")


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = ""):
    return render(request, "sign_in.html", next=_local_path(next), phone="", sent=False)


def _local_path(path: str) -> str:
    # only a path of this site: a sign-in link must not send the tenant elsewhere
    return path if path.startswith("/") and not path.startswith("//") else ""


@router.post("/sign-in/code")
def sign_in_code(
    request: Request, phone: str = Form(""), csrf: str = Form(""), next: str = Form("")
):
    check_csrf(request, csrf, None)
    site_id = request.app.state.site_id
    try:
        phone = mobile(phone)
        with db_of(request).transaction() as s:
            send_code(s, site_id, phone, "sign_in", client_ip=_client_ip(request))
    except ServiceError as err:
        return render(
            request,
            "sign_in.html",
            next=_local_path(next),
            phone=phone,
            sent=False,
            error=err.text(LANG),
            status=400,
        )
    return render(request, "sign_in.html", next=_local_path(next), phone=phone, sent=True)


@router.post("/sign-in")
def sign_in(
    request: Request,
    phone: str = Form(""),
    code: str = Form(""),
    csrf: str = Form(""),
    next: str = Form(""),
):
    check_csrf(request, csrf, None)
    site_id = request.app.state.site_id
    try:
        phone = mobile(phone)
    except ServiceError as err:
        return render(
            request,
            "sign_in.html",
            next=next,
            phone=phone,
            sent=False,
            error=err.text(LANG),
            status=400,
        )
    with db_of(request).transaction() as s:
        checked = check_code(s, site_id, phone, code, "sign_in")
        started = start_session(s, site_id, phone) if checked.ok else None
    if started is None:
        return render(
            request,
            "sign_in.html",
            next=next,
            phone=phone,
            sent=True,
            error=checked.problem.say(LANG),
            status=400,
        )
    response = _see_other(_local_path(next) or "/stalls")
    set_session_cookie(response, request, started.key)
    return response


@router.post("/sign-out")
def sign_out_route(request: Request, person: SignedIn, csrf: str = Form("")):
    check_csrf(request, csrf, person)
    with db_of(request).transaction() as s:
        sign_out(s, session_key(request))
    response = _see_other("/sign-in")
    response.delete_cookie("mm_portal")
    return response


@router.get("/stalls")
def stalls_page(request: Request, person: SignedIn):
    with db_of(request).reading() as s:
        stalls = access.my_stalls(s, person.site_id, person.phone)
    if len(stalls) == 1 and request.query_params.get("all") is None:
        return _see_other(f"/stalls/{stalls[0].id}")
    return render(request, "stalls.html", person, stalls=stalls)


@router.get("/stalls/{stall_id}")
def stall_route(request: Request, stall_id: int, person: SignedIn):
    tz = request.app.state.timezone
    with page_reading(request) as s:
        page = access.stall_page(
            s, person.site_id, person.phone, stall_id, today=datetime.now(zone(tz)).date()
        )
    return render(request, "stall.html", person, page=page, tz=tz)


@router.get("/stalls/{stall_id}/bills/{bill_id}")
def bill_route(request: Request, stall_id: int, bill_id: int, person: SignedIn):
    with db_of(request).reading() as s:
        bill, lines = access.stall_bill(s, person.site_id, person.phone, stall_id, bill_id)
    return render(
        request,
        "bill.html",
        person,
        bill=bill,
        lines=lines,
        stall_id=stall_id,
        tz=request.app.state.timezone,
    )


@router.get("/stalls/{stall_id}/receipts/{receipt_id}")
def receipt_route(request: Request, stall_id: int, receipt_id: int, person: SignedIn):
    with db_of(request).reading() as s:
        data = access.stall_receipt(s, person.site_id, person.phone, stall_id, receipt_id)
    lines = receipt_lines(data, LAYOUTS["80mm"], lang=LANG)
    # the page is the receipt without its QR code and the line that asks to scan it
    qr = next((i for i, line in enumerate(lines) if line.kind == "qr"), None)
    if qr is not None:
        del lines[qr : qr + 2]
    return render(request, "receipt.html", person, lines=lines, stall_id=stall_id)


@router.post("/stalls/{stall_id}/people")
def authorize_route(
    request: Request, person: SignedIn, stall_id: int, phone: str = Form(""), csrf: str = Form("")
):
    check_csrf(request, csrf, person)
    try:
        with db_of(request).transaction() as s:
            access.authorize(s, person.site_id, person.phone, stall_id, phone)
    except NotFound:
        raise
    except ServiceError as err:
        with page_reading(request) as s:
            page = access.stall_page(s, person.site_id, person.phone, stall_id)
        return render(
            request,
            "stall.html",
            person,
            page=page,
            tz=request.app.state.timezone,
            error=err.text(LANG),
            status=400,
        )
    return _see_other(f"/stalls/{stall_id}#people")


@router.post("/stalls/{stall_id}/people/remove")
def remove_route(
    request: Request, person: SignedIn, stall_id: int, phone: str = Form(""), csrf: str = Form("")
):
    check_csrf(request, csrf, person)
    with db_of(request).transaction() as s:
        access.remove_access(s, person.site_id, person.phone, stall_id, phone)
    return _see_other(f"/stalls/{stall_id}#people")


# ---------------------------------------------------------------- binding by the stall's QR


@router.get("/s/{token}")
def qr_page(request: Request, token: str):
    signed_in = optional_person(request)
    with db_of(request).reading() as s:
        qr = access.stall_by_token(s, request.app.state.site_id, token)
        if signed_in is not None and any(
            m.id == qr.id for m in access.my_stalls(s, signed_in.site_id, signed_in.phone)
        ):
            return _see_other(f"/stalls/{qr.id}")
    if signed_in is None:
        return _see_other(f"/sign-in?next=/s/{token}")
    return render(request, "bind.html", signed_in, qr=qr, token=token, sent=False)


@router.post("/s/{token}/code")
def qr_code(request: Request, person: SignedIn, token: str, csrf: str = Form("")):
    check_csrf(request, csrf, person)
    try:
        with db_of(request).transaction() as s:
            qr = access.send_bind_code(
                s, person.site_id, person.phone, token, client_ip=_client_ip(request)
            )
    except NotFound:
        raise
    except ServiceError as err:
        with db_of(request).reading() as s:
            qr = access.stall_by_token(s, person.site_id, token)
        return render(
            request,
            "bind.html",
            person,
            qr=qr,
            token=token,
            sent=False,
            error=err.text(LANG),
            status=400,
        )
    return render(request, "bind.html", person, qr=qr, token=token, sent=True)


@router.post("/s/{token}")
def qr_bind(
    request: Request, person: SignedIn, token: str, code: str = Form(""), csrf: str = Form("")
):
    check_csrf(request, csrf, person)
    with db_of(request).transaction() as s:
        checked = access.bind_stall(s, person.site_id, person.phone, token, code)
        qr = access.stall_by_token(s, person.site_id, token)
    if not checked.ok:
        return render(
            request,
            "bind.html",
            person,
            qr=qr,
            token=token,
            sent=True,
            error=checked.problem.say(LANG),
            status=400,
        )
    return _see_other(f"/stalls/{qr.id}")
