"""Document versions: history, a version's text, rollback, and two-person review.

Under /v1/documents/...; registered before the document view so `/pending` is not read as an id.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from assistant.answer.models import StrictModel
from assistant.answer.pii import mask_pii
from assistant.api.deps import ChannelDep, LocalAdminDep, PrincipalDep, ServicesDep
from assistant.api.errors import ApiError
from assistant.channels.digest import build_digest
from ingest.lifecycle import LifecycleError

router = APIRouter(prefix="/v1/documents", tags=["document versions"])

DocId = Annotated[str, Path(min_length=1, max_length=200)]
Number = Annotated[int, Path(ge=1, le=1_000_000)]


class VersionList(BaseModel):
    doc_id: str
    versions: list[dict[str, Any]]


class VersionText(BaseModel):
    version: dict[str, Any]
    text: str


class RollbackRequest(StrictModel):
    version: int = Field(ge=1, le=1_000_000)


class RejectRequest(StrictModel):
    reason: str = Field(min_length=1, max_length=2000)


def _refused(exc: LifecycleError) -> ApiError:
    return ApiError(exc.status, str(exc))


@router.get("/pending", response_model=VersionList)
def pending(services: ServicesDep, principal: PrincipalDep) -> VersionList:
    """Versions waiting for a second curator (curator/admin), oldest first, across documents."""
    try:
        waiting = services.lifecycle.pending(principal)
    except LifecycleError as exc:
        raise _refused(exc) from exc
    return VersionList(doc_id="*", versions=[v.summary() for v in waiting])


@router.post("/lifecycle/run")
def lifecycle_run(services: ServicesDep, _caller: LocalAdminDep) -> dict[str, Any]:
    """The owners' digest now (`assistant lifecycle run` while the service runs); admin only."""
    return build_digest(services).run().as_dict()


@router.get("/{doc_id}/versions", response_model=VersionList)
def versions(doc_id: DocId, services: ServicesDep, principal: PrincipalDep) -> VersionList:
    """Every version of a document, newest first: number, state, who, when, chunks, what changed."""
    try:
        history = services.lifecycle.history(principal, doc_id)
    except LifecycleError as exc:
        raise _refused(exc) from exc
    return VersionList(doc_id=doc_id, versions=[v.summary() for v in history])


@router.get("/{doc_id}/versions/{number}", response_model=VersionText)
def version_text(
    doc_id: DocId, number: Number, services: ServicesDep, principal: PrincipalDep, channel: ChannelDep
) -> VersionText:
    """One version's text (an answer may cite an old one), to whoever may read the document."""
    try:
        found = services.lifecycle.version(principal, doc_id, number)
    except LifecycleError as exc:
        raise _refused(exc) from exc
    services.audit.record(principal.user, channel, "document", f"{found.title} v{number}", [doc_id])
    masked = not services.policy.has_privilege(principal, "pii")
    return VersionText(version=found.summary(), text=mask_pii(found.text) if masked else found.text)


@router.post("/{doc_id}/rollback")
def rollback(
    doc_id: DocId, req: RollbackRequest, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Make an earlier version live again as a new version (curator/admin)."""
    try:
        return services.lifecycle.rollback(principal, doc_id, req.version).summary()
    except LifecycleError as exc:
        raise _refused(exc) from exc


@router.post("/{doc_id}/verify")
def verify(doc_id: DocId, services: ServicesDep, principal: PrincipalDep) -> dict[str, str]:
    """The document's owner (or a curator) confirms it is still right; clears "unverified"."""
    try:
        return services.lifecycle.verify(principal, doc_id)
    except LifecycleError as exc:
        raise _refused(exc) from exc


@router.post("/{doc_id}/versions/{number}/approve")
def approve(doc_id: DocId, number: Number, services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    """Publish a version waiting for review; the submitter cannot approve their own."""
    try:
        return services.lifecycle.approve(principal, doc_id, number).summary()
    except LifecycleError as exc:
        raise _refused(exc) from exc


@router.post("/{doc_id}/versions/{number}/reject")
def reject(
    doc_id: DocId, number: Number, req: RejectRequest, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Turn a version down with a reason; the live version stays."""
    try:
        return services.lifecycle.reject(principal, doc_id, number, req.reason).summary()
    except LifecycleError as exc:
        raise _refused(exc) from exc
