"""Request dependencies: services, the caller's identity (-> Principal), admin checks, rate limit."""

from __future__ import annotations

import hmac
from typing import Annotated, Literal

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.access import AccessDenied, Principal
from assistant.api.errors import ApiError
from assistant.rate_limits import SlidingWindowLimiter, request_cost
from assistant.services import Services

Channel = Literal["api", "web"]
WEB_CLIENT_HEADER = "x-assistant-client"
_bearer = HTTPBearer(auto_error=False, description="API token from `assistant users add` or `assistant demo`")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
LOCAL_ADMIN = "local-admin"  # who called, when it is the serving process's own token (CLI hand-off)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


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
    failures: SlidingWindowLimiter = request.app.state.auth_failures
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


def get_principal(request: Request, services: ServicesDep, token: TokenDep) -> Principal:
    """The token's user as a Principal; unknown, expired, revoked and disabled tokens are all 401."""
    _refuse_guessers(request)
    user = services.users.authenticate(token)
    if user is None:
        raise _failed(request, "invalid, expired, revoked or disabled API token")
    try:
        principal: Principal = user.principal()
    except AccessDenied as exc:
        raise _failed(request, str(exc)) from exc
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
    return get_admin(services, get_principal(request, services, token)).user


LocalAdminDep = Annotated[str, Depends(get_local_admin)]


def get_channel(request: Request) -> Channel:
    """Audit label: the web chat says who it is; everything else is the API."""
    return "web" if request.headers.get(WEB_CLIENT_HEADER) == "web" else "api"


ChannelDep = Annotated[Channel, Depends(get_channel)]
