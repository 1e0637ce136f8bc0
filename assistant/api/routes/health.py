"""Liveness and readiness probes (no token needed)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from assistant.access import Principal
from assistant.api.deps import OptionalTokenDep, ServicesDep
from assistant.api.errors import ApiError

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(services: ServicesDep, token: OptionalTokenDep) -> dict[str, Any]:
    """The index and the database answer; with a valid token, also how many chunks and users there are."""
    # Counting only: a principal holding every role sees every live chunk.
    everyone = Principal.of("readyz", services.policy.roles)
    try:
        chunks = services.index.stats(everyone)
    except Exception as exc:
        log.exception("readyz: index check failed")
        raise ApiError(503, f"index not reachable ({type(exc).__name__})") from exc
    try:
        with services.db.connect() as conn:
            conn.execute(text("SELECT 1"))
        users = len(services.users.list_users())
    except Exception as exc:
        log.exception("readyz: database check failed")
        raise ApiError(503, f"database not reachable ({type(exc).__name__})") from exc
    if token is None or services.users.authenticate(token) is None:
        return {"status": "ready"}  # counts say how big the knowledge base is: not for strangers
    return {"status": "ready", "chunks": chunks, "users": users}
