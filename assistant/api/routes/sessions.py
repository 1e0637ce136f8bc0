"""Signed-in browsers: "my sessions" (page and API), ending one or all, and an admin's revoke."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import (
    CSRF_FIELD,
    AdminDep,
    PrincipalDep,
    ServicesDep,
    SignInDep,
    WebSessionDep,
    csrf_matches,
)
from assistant.api.errors import ApiError
from assistant.api.routes.signin import BAD_CSRF, clear_session_cookies, failed_page
from assistant.api.web import templates
from assistant.db.sessions import WebSession
from assistant.db.users import User

router = APIRouter(tags=["sessions"])
SessionId = Annotated[str, Path(max_length=32)]
CsrfField = Annotated[str, Form(alias=CSRF_FIELD)]


@router.get("/v1/me/sessions")
def my_sessions(services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    """The caller's signed-in browsers (web sign-in sessions), newest first."""
    return {"sessions": [s.to_dict() for s in services.sessions.list_for(principal.user)]}


@router.delete("/v1/me/sessions/{session_id}")
def end_my_session(session_id: SessionId, signin: SignInDep, principal: PrincipalDep) -> dict[str, Any]:
    """Sign one of your browsers out."""
    if not signin.end_session(principal.user, session_id, by=principal.user):
        raise ApiError(404, f"no live session {session_id!r} of yours")
    return {"ended": 1}


@router.get("/v1/admin/users/{name}/sessions")
def user_sessions(name: str, services: ServicesDep, _admin: AdminDep) -> dict[str, Any]:
    """Someone's signed-in browsers (admin role only)."""
    return {"sessions": [s.to_dict() for s in services.sessions.list_for(name)]}


@router.delete("/v1/admin/users/{name}/sessions")
def end_user_sessions(name: str, services: ServicesDep, signin: SignInDep, admin: AdminDep) -> dict[str, Any]:
    """Sign someone out of every browser at once (admin role only); their API tokens are untouched."""
    if services.users.get(name) is None:
        raise ApiError(404, f"no such user {name!r}")
    return {"ended": signin.end_all(name, by=admin.user)}


@router.get("/sessions", response_class=HTMLResponse, include_in_schema=False)
def sessions_page(request: Request, services: ServicesDep, web: WebSessionDep) -> Response:
    if web is None:
        return RedirectResponse("/", status_code=303)
    user, current = web
    context = {
        "user": user,
        "current": current,
        "sessions": services.sessions.list_for(user.name),
        "csrf": current.csrf_token,
    }
    return templates.TemplateResponse(request, "sessions.html", context)


def _refuse_form(request: Request, web: tuple[User, WebSession] | None, csrf_token: str) -> Response | None:
    """No session: back to the start. A wrong CSRF token: 403 and nothing changes. Else None."""
    if web is None:
        return RedirectResponse("/", status_code=303)
    if not csrf_matches(web[1], csrf_token):
        return failed_page(request, BAD_CSRF, 403)
    return None


@router.post("/sessions/{session_id}/end", include_in_schema=False)
async def end_session_form(
    session_id: SessionId,
    request: Request,
    signin: SignInDep,
    web: WebSessionDep,
    csrf_token: CsrfField = "",
) -> Response:
    refused = _refuse_form(request, web, csrf_token)
    if refused is not None or web is None:
        return refused or RedirectResponse("/", status_code=303)
    user, current = web
    await run_in_threadpool(signin.end_session, user.name, session_id, user.name)
    return RedirectResponse("/" if session_id == current.public_id else "/sessions", status_code=303)


@router.post("/sessions/end-all", include_in_schema=False)
async def end_all_form(
    request: Request, signin: SignInDep, web: WebSessionDep, csrf_token: CsrfField = ""
) -> Response:
    refused = _refuse_form(request, web, csrf_token)
    if refused is not None or web is None:
        return refused or RedirectResponse("/", status_code=303)
    await run_in_threadpool(signin.end_all, web[0].name, web[0].name)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookies(response)
    return response
