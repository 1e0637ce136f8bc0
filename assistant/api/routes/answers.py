"""Ask, search, talk tracks, follow-ups and feedback: identity -> Principal -> services.assistant."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from assistant.answer.models import (
    AskRequest,
    AskResponse,
    FeedbackRequest,
    FollowUpRequest,
    FollowUpResponse,
    SearchRequest,
    SearchResponse,
    TalkTrackRequest,
    TalkTrackResponse,
)
from assistant.api.deps import ChannelDep, PrincipalDep, ServicesDep
from assistant.api.errors import ApiError
from assistant.api.streaming import event_stream, wants_stream

router = APIRouter(prefix="/v1", tags=["answers"])

_SSE_DOC: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/event-stream": {}}, "description": "AskResponse, or events when streaming"}
}


class Me(BaseModel):
    user: str
    roles: list[str]
    groups: list[str]


class FeedbackResponse(BaseModel):
    answer_id: str
    rating: str
    recorded: bool = True


@router.get("/me", response_model=Me)
def me(principal: PrincipalDep) -> Me:
    """Who is calling, by API token or web session (the web chat shows it after sign-in)."""
    return Me(user=principal.user, roles=sorted(principal.roles), groups=sorted(principal.groups))


@router.post("/ask", response_model=AskResponse, responses=_SSE_DOC)
async def ask(
    req: AskRequest, request: Request, services: ServicesDep, principal: PrincipalDep, channel: ChannelDep
) -> Any:
    """A grounded answer with numbered citations; `stream: true` or `Accept: text/event-stream` streams it."""
    # The answer runs on a worker thread; the route itself is async, so FastAPI checks the response
    # on the event loop instead of handing it to another thread (the busiest route: one switch less).
    if wants_stream(request, req.stream):
        events = iter(services.assistant.stream_ask(req, principal, channel))
        return await run_in_threadpool(event_stream, events)
    return await run_in_threadpool(services.assistant.ask, req, principal, channel)


@router.post("/search", response_model=SearchResponse)
def search(req: SearchRequest, services: ServicesDep, principal: PrincipalDep, channel: ChannelDep) -> Any:
    """Passages this user may read, best first."""
    return services.assistant.search(req, principal, channel)


@router.post("/talk-tracks", response_model=TalkTrackResponse)
def talk_tracks(
    req: TalkTrackRequest, services: ServicesDep, principal: PrincipalDep, channel: ChannelDep
) -> Any:
    """Talk tracks for a sales situation, each with its sources."""
    return services.assistant.talk_tracks(req, principal, channel)


@router.post("/follow-ups", response_model=FollowUpResponse)
def follow_ups(
    req: FollowUpRequest, services: ServicesDep, principal: PrincipalDep, channel: ChannelDep
) -> Any:
    """A follow-up message draft for a customer, grounded in the knowledge base."""
    return services.assistant.follow_up(req, principal, channel)


@router.post("/feedback", response_model=FeedbackResponse)
def feedback(
    req: FeedbackRequest, services: ServicesDep, principal: PrincipalDep, channel: ChannelDep
) -> FeedbackResponse:
    """Thumbs up/down on one of your own answers; voting again replaces your vote. A 👎 goes to the curators."""
    try:  # someone else's answer reads as unknown (the owner rule is in the feedback store)
        services.review.record_vote(req.answer_id, principal.user, req.rating, req.comment, channel)
    except ValueError as exc:
        raise ApiError(404, str(exc)) from exc
    return FeedbackResponse(answer_id=req.answer_id, rating=req.rating)
