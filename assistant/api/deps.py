"""Request dependencies: services, the caller's identity (-> Principal), admin checks, rate limit.

A caller is either a machine with an API token (Bearer) or a person with a session cookie from a
web sign-in; both become the same Principal. Cookie callers must also send the session's CSRF
token on anything but a read.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Literal

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.access import AccessDenied, Principal
from assistant.api.errors import ApiError
from assistant.api.signin.service import SignInService
from assistant.db.sessions import WebSession
from assistant.db.users import User
from assistant.rate_limits import RateLimiter, request_cost
from assistant.services import Services

Channel = Literal["api", "web"]
WEB_CLIENT_HEADER = "x-assistant-client"
_bearer = HTTPBearer(auto_error=False, description="API token from `assistant users add` or `assistant demo`")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
LOCAL_ADMIN = "local-admin"  # who called, when it is the serving process's own token (CLI hand-off)
SESSION_COOKIE = "assistant_session"
CSRF_COOKIE = "assistant_csrf"  # readable by the page's JS, which echoes it in CSRF_HEADER
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"  # the hidden field in server-rendered forms
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# The lookups below do no I/O, so they are `async def`: FastAPI runs a plain `def` dependency on a
# worker thread, one hand-off (and GIL switch) each per request; these run on the event loop.
async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_signin(request: Request) -> SignInService:
    signin: SignInService = request.app.state.signin
    return signin


SignInDep = Annotated[SignInService, Depends(get_signin)]


def get_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    if credentials is None or not credentials.credentials:
        raise ApiError(401, "missing API token: send 'Authorization: Bearer <token>'", _CHALLENGE)
    return credentials.credentials


TokenDep = Annotated[str, Depends(get_token)]


def get_optional_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str | None:
    return credentials.credentials if credentials is not None and credentials.credentials else None


OptionalTokenDep = Annotated[str | None, Depends(get_optional_token)]


def _client(request: Request) -> str:
    # The peer address; behind a reverse proxy every caller shares the proxy's (see README).
    return request.client.host if request.client else "unknown"


def _refuse_guessers(request: Request) -> None:
    """429 for a client past its failed sign-ins this minute, whatever token it sends now."""
    failures: RateLimiter = request.app.state.auth_failures
    wait = failures.blocked(_client(request))
    if wait is not None:
        headers = failures.retry_after_header(wait)
        raise ApiError(429, "too many failed sign-ins from this address; wait and retry", headers)


def _failed(request: Request, message: str) -> ApiError:
    request.app.state.auth_failures.check(_client(request))
    return ApiError(401, message, _CHALLENGE)


def _limit(request: Request, services: Services, user: str) -> None:
    """One budget per person, shared by every token they hold and every chat channel.

    A request counts by its size (the body was already read and capped by BodySizeLimit).
    """
    declared = request.headers.get("content-length", "0")
    cost = request_cost(int(declared) if declared.isdigit() else 0)
    wait = services.rate_limiter.check(user, cost)
    if wait is not None:
        headers = services.rate_limiter.retry_after_header(wait)
        raise ApiError(429, "too many requests for this user; slow down", headers)


def _as_principal(request: Request, user: User) -> Principal:
    try:
        principal: Principal = user.principal()
    except AccessDenied as exc:
        raise _failed(request, str(exc)) from exc
    return principal


def _token_principal(request: Request, services: Services, token: str) -> Principal:
    """The token's user as a Principal; unknown, expired, revoked and disabled tokens are all 401."""
    _refuse_guessers(request)
    user = services.users.authenticate(token)
    if user is None:
        raise _failed(request, "invalid, expired, revoked or disabled API token")
    principal = _as_principal(request, user)
    _limit(request, services, principal.user)
    return principal


def get_web_session(request: Request, services: ServicesDep) -> tuple[User, WebSession] | None:
    """The signed-in person behind the session cookie, or None (no cookie, ended, expired)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    found: tuple[User, WebSession] | None = services.sessions.authenticate(token)
    return found


WebSessionDep = Annotated[tuple[User, WebSession] | None, Depends(get_web_session)]


def csrf_matches(session: WebSession, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(str(sent).encode("utf-8"), session.csrf_token.encode("utf-8"))


def get_principal(
    request: Request,
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """An API token's user, else the web session's; both the same Principal for the access filter."""
    if credentials is not None and credentials.credentials:
        return _token_principal(request, services, credentials.credentials)
    web = get_web_session(request, services)  # only now: a token caller costs no session lookup
    if web is None:
        message = (
            "your session has ended; sign in again"
            if request.cookies.get(SESSION_COOKIE)
            else "sign in, or send an API token: 'Authorization: Bearer <token>'"
        )
        raise ApiError(401, message, _CHALLENGE)
    user, session = web
    if request.method not in SAFE_METHODS and not csrf_matches(session, request.headers.get(CSRF_HEADER)):
        raise ApiError(
            403, f"missing or wrong CSRF token: send the {CSRF_COOKIE} cookie's value as {CSRF_HEADER}"
        )
    principal = _as_principal(request, user)
    _limit(request, services, principal.user)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_admin(services: ServicesDep, principal: PrincipalDep) -> Principal:
    if not services.policy.has_privilege(principal, "admin"):
        raise ApiError(403, "this endpoint needs the admin role")
    return principal


AdminDep = Annotated[Principal, Depends(get_admin)]


def get_local_admin(request: Request, services: ServicesDep, token: TokenDep) -> str:
    """The serving process's own token (CLI hand-off) or an admin user's token; returns who called."""
    local: str | None = request.app.state.local_admin_token
    if local is not None and hmac.compare_digest(token.encode("utf-8"), local.encode("utf-8")):
        return LOCAL_ADMIN
    return get_admin(services, _token_principal(request, services, token)).user


LocalAdminDep = Annotated[str, Depends(get_local_admin)]


async def get_channel(request: Request) -> Channel:
    """Audit label: the web chat says who it is; everything else is the API."""
    return "web" if request.headers.get(WEB_CLIENT_HEADER) == "web" else "api"


ChannelDep = Annotated[Channel, Depends(get_channel)]
