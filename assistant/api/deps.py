"""Request dependencies: services, the caller's identity (-> Principal), admin checks, rate limit."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Literal

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.access import AccessDenied, Principal
from assistant.api.errors import ApiError
from assistant.api.limits import SlidingWindowLimiter
from assistant.services import Services

Channel = Literal["api", "web"]
WEB_CLIENT_HEADER = "x-assistant-client"
_bearer = HTTPBearer(auto_error=False, description="API token from `assistant users add` or `assistant demo`")
_CHALLENGE = {"WWW-Authenticate": "Bearer"}
LOCAL_ADMIN = "local-admin"  # the serving process's own token (CLI hand-off)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_token(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> str:
    if credentials is None or not credentials.credentials:
        raise ApiError(401, "missing API token: send 'Authorization: Bearer <token>'", _CHALLENGE)
    return credentials.credentials


TokenDep = Annotated[str, Depends(get_token)]


def _limit(request: Request, token: str) -> None:
    limiter: SlidingWindowLimiter = request.app.state.limiter
    wait = limiter.check(hashlib.sha256(token.encode("utf-8")).hexdigest())
    if wait is not None:
        raise ApiError(429, "too many requests for this token; slow down", limiter.retry_after_header(wait))


def get_principal(request: Request, services: ServicesDep, token: TokenDep) -> Principal:
    """The token's user as a Principal; unknown, revoked and disabled tokens are all 401."""
    user = services.users.authenticate(token)
    if user is None:
        raise ApiError(401, "invalid, revoked or disabled API token", _CHALLENGE)
    try:
        principal: Principal = user.principal()
    except AccessDenied as exc:
        raise ApiError(401, str(exc), _CHALLENGE) from exc
    _limit(request, token)
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
