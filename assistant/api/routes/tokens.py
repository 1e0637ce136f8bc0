"""POST /v1/me/token: a user swaps their own API token for a new one (the old ones stop working)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from assistant.api.deps import PrincipalDep, ServicesDep

router = APIRouter(prefix="/v1", tags=["tokens"])


class RotatedToken(BaseModel):
    token: str
    expires_at: datetime | None
    revoked: int


@router.post("/me/token", response_model=RotatedToken)
def rotate_my_token(services: ServicesDep, principal: PrincipalDep) -> RotatedToken:
    """A new token for the caller, shown once; every earlier token of theirs is revoked."""
    token, revoked = services.users.rotate_token(principal.user)
    expires_at = services.users.tokens(principal.user)[-1].expires_at
    return RotatedToken(token=token, expires_at=expires_at, revoked=revoked)
