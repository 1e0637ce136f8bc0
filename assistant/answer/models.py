"""Request and response shapes shared by the HTTP API, the web chat and the chat channels."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Filters(StrictModel):
    doc_type: list[str] | None = None
    product_line: list[str] | None = None
    industry: list[str] | None = None
    sales_stage: list[str] | None = None


class Citation(BaseModel):
    n: int
    doc_id: str
    title: str
    source: str
    snippet: str
    score: float
    as_of: str | None = None
    expired: bool = False
    page: int | None = None
    expires: str | None = None
    version: int | None = None  # the document version the passage came from
    unverified: bool = False  # past its owner's verification interval
    verified_at: str | None = None


class AskRequest(StrictModel):
    question: str = Field(min_length=1, max_length=2000)
    top_k: int = Field(default=5, ge=1, le=20)
    filters: Filters | None = None
    conversation_id: str | None = Field(default=None, max_length=100)
    stream: bool = False


class AskResponse(BaseModel):
    answer_id: str
    answer: str
    grounded: bool
    confidence: float
    language: str
    citations: list[Citation]
    warnings: list[str] = Field(default_factory=list)
    # Set when a live curated answer (reviewed by a second curator) answered the question.
    curated: bool = False
    curated_id: int | None = None
    approved_by: str | None = None
    approved_at: str | None = None


class SearchRequest(StrictModel):
    query: str = Field(min_length=1, max_length=2000)
    limit: int = Field(default=5, ge=1, le=50)
    filters: Filters | None = None


class SearchResponse(BaseModel):
    results: list[Citation]


class TalkTrackRequest(StrictModel):
    situation: str = Field(min_length=1, max_length=2000)
    stage: str | None = Field(default=None, max_length=200)
    industry: str | None = Field(default=None, max_length=200)
    competitor: str | None = Field(default=None, max_length=200, description="Its tracks come first")
    persona: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=3, ge=1, le=10)


class TalkTrack(BaseModel):
    title: str
    when_to_use: str
    script: str
    proof_points: list[str]
    citations: list[Citation]
    language: str = Field(description="The script's language: zh-Hans, zh-Hant or en")
    relevance: float = Field(description="How well the track fits the situation, 0..1")
    notes: list[str] = Field(default_factory=list, description="e.g. the script is in another language")


class TalkTrackResponse(BaseModel):
    talk_tracks: list[TalkTrack] = Field(description="Only tracks that match the situation; may be empty")
    language: str
    notice: str | None = Field(default=None, description="Set when no track matches")
    closest: TalkTrack | None = Field(
        default=None, description="When none match: the closest general track, not a match"
    )


class FollowUpRequest(StrictModel):
    customer: str = Field(min_length=1, max_length=200)
    notes: str = Field(min_length=1, max_length=5000, description="Private: never quoted to the customer")
    contact: str | None = Field(default=None, max_length=100, description="Who the draft greets, e.g. 王总")
    sender: str | None = Field(default=None, max_length=100, description="The sign-off name")
    stage: str | None = None
    channel: Literal["email", "wecom", "slack"] = "email"
    language: Literal["zh-Hans", "zh-Hant", "en"] | None = None


class FollowUpResponse(BaseModel):
    subject: str | None = None  # e-mail drafts only
    draft: str
    citations: list[Citation]
    warnings: list[str]


class FeedbackRequest(StrictModel):
    answer_id: str = Field(min_length=1, max_length=100)
    rating: Literal["up", "down"]
    comment: str | None = Field(default=None, max_length=2000)
