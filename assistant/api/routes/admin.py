"""Admin endpoints: the audit log, and the local CLI hand-off (ingest jobs, search as a role)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from assistant.access import Principal, SearchFilters
from assistant.answer.models import StrictModel
from assistant.api.deps import LOCAL_ADMIN, AdminDep, LocalAdminDep, ServicesDep
from assistant.api.errors import ApiError
from ingest.jobs import IngestJobs
from ingest.report import IngestOptions

router = APIRouter(prefix="/v1/admin", tags=["admin"])


class AuditPage(BaseModel):
    entries: list[dict[str, Any]]


class IngestJobRequest(StrictModel):
    paths: list[str] = Field(min_length=1, max_length=1000)
    overrides: dict[str, Any] = Field(default_factory=dict)
    sync: bool = False
    reindex: bool = False
    resubmit: bool = False  # stage again documents whose last version was rejected
    # Who is behind a CLI hand-off (`--as NAME`); an admin user's own token always names that user.
    submitted_by: str | None = Field(default=None, min_length=1, max_length=200)


class AdminSearchRequest(StrictModel):
    query: str = Field(min_length=1, max_length=2000)
    roles: list[str] = Field(min_length=1, max_length=20)
    groups: list[str] = Field(default_factory=list, max_length=100)
    limit: int = Field(default=5, ge=1, le=50)
    filters: dict[str, Any] | None = None


def _jobs(request: Request) -> IngestJobs:
    jobs: IngestJobs = request.app.state.jobs
    return jobs


@router.get("/audit", response_model=AuditPage)
def audit(
    services: ServicesDep,
    _admin: AdminDep,
    user: Annotated[str | None, Query(max_length=200)] = None,
    action: Annotated[str | None, Query(max_length=50)] = None,
    since: datetime | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditPage:
    """Who asked what, newest first (admin role only)."""
    try:
        entries = services.audit.list(limit=limit, user=user or None, action=action or None, since=since)
    except ValueError as exc:  # unknown action name
        raise ApiError(422, f"action: {exc}") from exc
    return AuditPage(entries=[e.to_dict() for e in entries])


def allowed_ingest_paths(raw: list[str], roots: list[Path] | None) -> list[str]:
    """Absolute paths only; under one of `roots` unless `roots` is None (the local CLI hand-off).

    An empty or relative path would be read from the server's working directory, and an admin
    token is not a licence to read any file on the host.
    """
    paths = []
    for text in raw:
        if not text.strip() or not Path(text).is_absolute():
            raise ApiError(422, f"paths: {text!r} is not an absolute path")
        path = Path(text).resolve()
        if roots is not None:
            _check_inside(text, path, roots)
        paths.append(str(path))
    return paths


def _check_inside(text: str, path: Path, roots: list[Path]) -> None:
    """403 unless `path`, and whatever a link under it leads to, is inside one of the roots."""
    where = ", ".join(map(str, roots)) or "none configured"

    def inside(p: Path) -> bool:
        return any(p.is_relative_to(root) for root in roots)

    if not inside(path):
        raise ApiError(403, f"paths: {text!r} is outside ASSISTANT_INGEST_ROOTS ({where})")
    links = (p for p in path.rglob("*") if p.is_symlink()) if path.is_dir() else iter(())
    for link in links:
        if not inside(link.resolve()):
            raise ApiError(403, f"paths: {str(link)!r} links outside ASSISTANT_INGEST_ROOTS ({where})")


@router.post("/ingest")
def submit_ingest(
    req: IngestJobRequest, request: Request, services: ServicesDep, caller: LocalAdminDep
) -> dict[str, Any]:
    """Queue an ingest of absolute paths under ASSISTANT_INGEST_ROOTS; poll GET /v1/admin/jobs/{job_id}.

    The job is recorded in the database; the embedded service runs it itself, in server mode any
    replica or `assistant worker` takes it.
    """
    roots = None if caller == LOCAL_ADMIN else services.settings.ingest_roots
    paths = allowed_ingest_paths(req.paths, roots)
    by = req.submitted_by if caller == LOCAL_ADMIN and req.submitted_by else caller
    options = IngestOptions(
        overrides=req.overrides, sync=req.sync, reindex=req.reindex, submitted_by=by, resubmit=req.resubmit
    )
    return _jobs(request).submit(paths, options).as_dict()


@router.get("/jobs/{job_id}")
@router.get("/ingest/{job_id}")
def ingest_status(job_id: str, request: Request, _caller: LocalAdminDep) -> dict[str, Any]:
    """Status (queued, running, done, failed), worker, attempts, progress, then the report or error."""
    job = _jobs(request).get(job_id)
    if job is None:
        raise ApiError(404, f"unknown ingest job {job_id!r}")
    return job.as_dict()


@router.post("/search")
def search_as(req: AdminSearchRequest, services: ServicesDep, _caller: LocalAdminDep) -> dict[str, Any]:
    """What a person with these roles and groups would find (`assistant search` while serving)."""
    try:
        for role in req.roles:
            services.policy.check_role(role)
        filters = SearchFilters.from_mapping(req.filters)
    except (ValueError, TypeError) as exc:
        raise ApiError(422, str(exc)) from exc
    principal = Principal.of("cli", req.roles, req.groups)
    return {
        "results": [c.as_dict() for c in services.search.search(req.query, principal, req.limit, filters)]
    }
