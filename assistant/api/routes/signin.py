"""Web sign-in: /auth/{oidc,wecom}/login -> the provider -> /auth/{...}/callback -> session cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from assistant.api.deps import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    ServicesDep,
    SignInDep,
    WebSessionDep,
    csrf_matches,
)
from assistant.api.signin.oidc import SignInError
from assistant.api.signin.service import PROVIDERS, Provider, SignedIn, SignInService
from assistant.api.web import templates

router = APIRouter(prefix="/auth", include_in_schema=False)
STATE_COOKIE = "assistant_signin_state"
STATE_MAX_AGE_S = 600
BAD_CSRF = "the form's CSRF token is missing or wrong; nothing was changed"


def is_https(request: Request, public_url: str) -> bool:
    """Cookies get Secure when the site is served over HTTPS (directly or behind a TLS proxy)."""
    return request.url.scheme == "https" or public_url.startswith("https://")


def _provider(signin: SignInService, provider: str) -> Provider:
    if provider not in PROVIDERS or not signin.enabled(provider):
        raise SignInError(f"sign-in with {provider!r} is not configured on this server")
    name: Provider = provider
    return name


def failed_page(request: Request, reason: str, status: int = 400) -> HTMLResponse:
    return templates.TemplateResponse(request, "signin_failed.html", {"reason": reason}, status_code=status)


@router.get("/{provider}/login")
async def login(
    provider: str,
    request: Request,
    services: ServicesDep,
    signin: SignInDep,
    next_path: Annotated[str | None, Query(alias="next", max_length=500)] = None,
) -> Response:
    """Send the browser to the provider; the state is bound to this browser by a short cookie."""
    try:
        name = _provider(signin, provider)
        agent = request.headers.get("user-agent", "")
        url, state = await run_in_threadpool(signin.begin, name, next_path, agent)
    except SignInError as exc:
        return failed_page(request, str(exc), 404 if "not configured" in str(exc) else 502)
    response = RedirectResponse(url, status_code=303)
    secure = is_https(request, services.settings.resolved_public_url)
    response.set_cookie(
        STATE_COOKIE,
        state,
        max_age=STATE_MAX_AGE_S,
        path="/auth",
        httponly=True,
        secure=secure,
        samesite="lax",
    )
    return response


@router.get("/{provider}/callback")
async def callback(
    provider: str,
    request: Request,
    services: ServicesDep,
    signin: SignInDep,
    previous: WebSessionDep,
    code: Annotated[str, Query(max_length=2000)] = "",
    state: Annotated[str, Query(max_length=500)] = "",
    error: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The provider's redirect back: check state, code -> verified identity -> user -> session."""
    try:
        name = _provider(signin, provider)
    except SignInError as exc:
        return failed_page(request, str(exc), 404)
    browser_state = request.cookies.get(STATE_COOKIE, "")
    agent = request.headers.get("user-agent", "")
    try:
        done = await run_in_threadpool(signin.complete, name, state, browser_state, code, agent, error)
    except SignInError as exc:
        response = failed_page(request, str(exc))
        response.delete_cookie(STATE_COOKIE, path="/auth")
        return response
    if previous is not None:  # one browser, one session: the one it had before ends now
        await run_in_threadpool(signin.sign_out, previous[1])
    return _signed_in(request, services, done)


def _signed_in(request: Request, services: ServicesDep, done: SignedIn) -> Response:
    response = RedirectResponse(done.return_to, status_code=303)
    secure = is_https(request, services.settings.resolved_public_url)
    max_age = int(services.sessions.max_age.total_seconds())
    response.set_cookie(
        SESSION_COOKIE, done.token, max_age=max_age, path="/", httponly=True, secure=secure, samesite="lax"
    )
    response.set_cookie(
        CSRF_COOKIE, done.session.csrf_token, max_age=max_age, path="/", secure=secure, samesite="lax"
    )
    response.delete_cookie(STATE_COOKIE, path="/auth")
    return response


@router.post("/logout")
async def logout(
    request: Request,
    signin: SignInDep,
    web: WebSessionDep,
    csrf_token: Annotated[str, Form(alias=CSRF_FIELD)] = "",
) -> Response:
    """End this browser's session (form field or header carries the CSRF token)."""
    if web is not None:
        _user, session = web
        if not csrf_matches(session, csrf_token or request.headers.get(CSRF_HEADER)):
            return failed_page(request, BAD_CSRF, 403)
        await run_in_threadpool(signin.sign_out, session)
    response = RedirectResponse("/", status_code=303)
    clear_session_cookies(response)
    return response


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")
