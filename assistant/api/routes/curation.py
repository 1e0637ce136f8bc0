"""Curators: curated answers (two-person review) and the review queue. Curator or admin role only."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from assistant.answer.models import StrictModel
from assistant.api.deps import LocalAdminDep, PrincipalDep, ServicesDep
from assistant.api.errors import ApiError
from assistant.channels.digest import send_digests
from assistant.db.curated import CURATED_STATES, CuratedDraft, ReviewConflict
from assistant.db.review import ITEM_STATES, SIGNAL_KINDS

router = APIRouter(prefix="/v1", tags=["curation"])


class CuratedRequest(StrictModel):
    question: str = Field(min_length=1, max_length=2000)
    answer: str = Field(min_length=1, max_length=8000)
    citations: list[str] = Field(default_factory=list, max_length=20)
    access_level: str = Field(min_length=1, max_length=50)
    groups: list[str] = Field(default_factory=list, max_length=50)
    item_id: int | None = None

    def draft(self) -> CuratedDraft:
        return CuratedDraft(
            question=self.question,
            answer=self.answer,
            citations=tuple(dict.fromkeys(self.citations)),
            access_level=self.access_level,
            groups=tuple(dict.fromkeys(g.strip() for g in self.groups if g.strip())),
            item_id=self.item_id,
        )


class RejectRequest(StrictModel):
    reason: str = Field(min_length=1, max_length=2000)


class ReviewAction(StrictModel):
    action: Literal["assign", "resolve", "dismiss"]
    assignee: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=4000)
    curated_answer_id: int | None = None
    document: str | None = Field(
        default=None, max_length=2000, description="link to the fixed document version"
    )
    resolution: Literal["content_gap"] | None = None


class CuratedList(BaseModel):
    curated_answers: list[dict[str, Any]]


class ReviewList(BaseModel):
    items: list[dict[str, Any]]


@contextmanager
def _curation_errors() -> Iterator[None]:
    """Unknown or invisible records are 404, a wrong state 409, bad input 422; AccessDenied is 403."""
    try:
        yield
    except LookupError as exc:
        raise ApiError(404, str(exc).strip("'\"")) from exc
    except ReviewConflict as exc:
        raise ApiError(409, str(exc)) from exc
    except ValueError as exc:
        raise ApiError(422, str(exc)) from exc


def _check_choice(name: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ApiError(422, f"{name}: expected one of {', '.join(allowed)}")


@router.post("/curated-answers", status_code=201)
def submit_curated(req: CuratedRequest, services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    """Write a curated answer; it is `pending_review` until another curator approves it."""
    with _curation_errors():
        created = services.curated.submit(principal, req.draft())
    return {"id": created.id, "state": created.state}


@router.put("/curated-answers/{curated_id}", status_code=201)
def revise_curated(
    curated_id: int, req: CuratedRequest, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """A new version of a curated answer, reviewed again; the approved version stays live meanwhile."""
    with _curation_errors():
        created = services.curated.submit(principal, req.draft(), revises=curated_id)
    return {"id": created.id, "root_id": created.root_id, "version": created.version, "state": created.state}


@router.post("/curated-answers/{curated_id}/approve")
def approve_curated(curated_id: int, services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    """Approve another curator's answer: it goes live for everyone its level and groups allow."""
    with _curation_errors():
        return dict(services.curated.approve(principal, curated_id).to_dict())


@router.post("/curated-answers/{curated_id}/reject")
def reject_curated(
    curated_id: int, req: RejectRequest, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """Send it back to its author with a reason (shown in GET /v1/curated-answers)."""
    with _curation_errors():
        return dict(services.curated.reject(principal, curated_id, req.reason).to_dict())


@router.post("/curated-answers/{curated_id}/retire")
def retire_curated(curated_id: int, services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    """Take a live answer out of answers at once (on other replicas within seconds); 409 if not live."""
    with _curation_errors():
        return dict(services.curated.retire(principal, curated_id).to_dict())


@router.get("/curated-answers", response_model=CuratedList)
def list_curated(
    services: ServicesDep, principal: PrincipalDep, state: Annotated[str | None, Query(max_length=30)] = None
) -> CuratedList:
    """Curated answers you may read, newest first; `state=pending_review` is the approval inbox."""
    _check_choice("state", state, CURATED_STATES)
    answers = services.curated.list_visible(principal, state)
    return CuratedList(curated_answers=[a.to_dict() for a in answers])


@router.get("/review/items", response_model=ReviewList)
def review_items(
    services: ServicesDep,
    principal: PrincipalDep,
    state: Annotated[str | None, Query(max_length=30)] = None,
    kind: Annotated[str | None, Query(max_length=30)] = None,
) -> ReviewList:
    """The review queue within your groups, most asked first."""
    _check_choice("state", state, ITEM_STATES)
    _check_choice("kind", kind, SIGNAL_KINDS)
    return ReviewList(items=services.review.list(principal, state, kind))


@router.get("/review/items/{item_id}")
def review_item(item_id: int, services: ServicesDep, principal: PrincipalDep) -> dict[str, Any]:
    with _curation_errors():
        return dict(services.review.get(principal, item_id))


@router.post("/review/items/{item_id}")
def act_on_item(
    item_id: int, req: ReviewAction, services: ServicesDep, principal: PrincipalDep
) -> dict[str, Any]:
    """assign (to `assignee`, default you), resolve (curated answer, document link or content gap), dismiss."""
    with _curation_errors():
        return dict(
            services.review.act(
                principal,
                item_id,
                req.action,
                assignee=req.assignee,
                note=req.note,
                curated_answer_id=req.curated_answer_id,
                document=req.document,
                resolution=req.resolution,
            )
        )


@router.post("/review/digest")
def send_digest(services: ServicesDep, _caller: LocalAdminDep) -> dict[str, Any]:
    """Send the daily digest to subscribed curators now (`assistant review digest --send` while serving)."""
    sent = send_digests(services)
    return {"sent": [{"user": d.user.name, "platform": d.platform} for d in sent]}
