"""Document versions: history, a version's text, rollback, and two-person review.

Under /v1/documents/...; registered before the document view so `/pending` is not read as an id.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from assistant.access import Principal
from assistant.answer.models import StrictModel
from assistant.answer.pii import mask_pii
from assistant.api.deps import ChannelDep, LocalAdminDep, PrincipalDep, ServicesDep
from assistant.api.errors import ApiError
from assistant.channels.owner_digest import run_lifecycle
from assistant.db.versions import DocumentVersion
from assistant.services import Services
from assistant.text.diff import diff_counts, side_by_side
from ingest.archive import REPORT_FIELDS, archive_report
from ingest.lifecycle import LifecycleError

router = APIRouter(prefix="/v1/documents", tags=["document versions"])

DocId = Annotated[str, Path(min_length=1, max_length=200)]
Number = Annotated[int, Path(ge=1, le=1_000_000)]
NumberQuery = Annotated[int, Query(ge=1, le=1_000_000)]


class VersionList(BaseModel):
    doc_id: str
    versions: list[dict[str, Any]]


class VersionText(BaseModel):
    version: dict[str, Any]
    text: str
    live: int | None  # the live version's number, if the document has one you may read
    latest: int  # the newest version number you may see


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
    """Archiving and the owners' digest now (`assistant lifecycle run` while the service runs); admin only."""
    return run_lifecycle(services)


@router.get("/archive/report", response_model=None)
def archive_report_route(
    services: ServicesDep,
    principal: PrincipalDep,
    quarter: Annotated[str, Query(min_length=6, max_length=6)],
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> dict[str, Any] | Response:
    """Documents archived in a quarter (`2026Q4`), as JSON or CSV (curator/admin)."""
    try:
        services.lifecycle.require_curator(principal)
        rows = archive_report(services.lifecycle.store, quarter)
    except LifecycleError as exc:
        raise _refused(exc) from exc
    except ValueError as exc:
        raise ApiError(422, f"quarter: {exc}") from exc
    if format == "json":
        return {"quarter": quarter.upper(), "archived": rows}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=REPORT_FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    name = f"archive-{quarter.upper()}.csv"
    return Response(
        out.getvalue(), media_type="text/csv", headers={"Content-Disposition": f"attachment; filename={name}"}
    )


@router.post("/{doc_id}/restore")
def restore(doc_id: DocId, services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    """Bring an archived document back into answers, as a new version (curator/admin)."""
    try:
        return services.lifecycle.restore(principal, doc_id).summary()
    except LifecycleError as exc:
        raise _refused(exc) from exc


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
    history = services.lifecycle.history(principal, doc_id)
    services.audit.record(principal.user, channel, "document", f"{found.title} v{number}", [doc_id])
    return VersionText(
        version=found.summary(),
        text=_readable_text(services, principal, found),
        live=next((v.number for v in history if v.state == "live"), None),
        latest=max(v.number for v in history),
    )


@router.get("/{doc_id}/diff")
def diff(
    doc_id: DocId,
    services: ServicesDep,
    principal: PrincipalDep,
    channel: ChannelDep,
    to: NumberQuery,
    since: Annotated[int | None, Query(alias="from", ge=1, le=1_000_000)] = None,
) -> dict[str, Any]:
    """Two versions side by side, by sentence (`from` defaults to the live version); both must be
    versions you may read, or it is 404 like the versions themselves."""
    try:
        older, newer = services.lifecycle.compare(principal, doc_id, to, since)
    except LifecycleError as exc:
        raise _refused(exc) from exc
    before = _readable_text(services, principal, older) if older else ""
    rows = side_by_side(before, _readable_text(services, principal, newer))
    shown = f"{newer.title} v{older.number if older else 0}..v{to}"
    services.audit.record(principal.user, channel, "document", shown, [doc_id])
    return {
        "doc_id": doc_id,
        "from": older.summary() if older else None,
        "to": newer.summary(),
        "counts": diff_counts(rows),
        "rows": [r.as_dict() for r in rows],
    }


def _readable_text(services: Services, principal: Principal, version: DocumentVersion) -> str:
    """A version's text, personal data masked for readers without the `pii` privilege."""
    masked = not services.policy.has_privilege(principal, "pii")
    return mask_pii(version.text) if masked else version.text


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
