"""KnowledgeAssistant: the one facade the HTTP API, the web chat, Slack and WeCom call."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from assistant.access import AccessPolicy, Principal, SearchFilters
from assistant.answer.answers import AnswerComposer, Composed
from assistant.answer.citations import expired_warnings, to_citation
from assistant.answer.follow_up import draft_follow_up
from assistant.answer.language import question_language
from assistant.answer.llm import ChatModel
from assistant.answer.models import (
    AskRequest,
    AskResponse,
    Filters,
    FollowUpRequest,
    FollowUpResponse,
    SearchRequest,
    SearchResponse,
    TalkTrackRequest,
    TalkTrackResponse,
)
from assistant.answer.pii import mask_chunk, mask_pii
from assistant.answer.rep_notes import topics_in
from assistant.answer.sales_wording import phrase
from assistant.answer.salience import load_dictionary
from assistant.answer.semantic import sentence_similarity
from assistant.answer.talk_track_text import to_talk_track
from assistant.answer.talk_tracks import rank_tracks, select_tracks
from assistant.config import Settings
from assistant.curation.curated import CuratedMatch, CuratedService
from assistant.curation.review import ReviewQueue
from assistant.db import AnswerStore, AuditLog, FeedbackStore
from assistant.retrieval.search import RetrievedChunk, SearchService

# Follow-ups quote what a customer may be told: case studies and product facts, not internal playbooks.
FOLLOW_UP_TYPES = ("case_study", "product")
FOLLOW_UP_SOURCES = 12  # a wide pool: proof points must be on topic, quotable and name no one else
TALK_TRACK_POOL = 4  # candidates retrieved per talk track returned, before re-ranking
TALK_TRACK_POOL_MIN = 20  # tracks repeat over chunks: a small pool would miss the named competitor's


def _filters(filters: Filters | None, **extra: tuple[str, ...]) -> SearchFilters:
    data = filters.model_dump(exclude_none=True) if filters else {}
    return SearchFilters.from_mapping({**data, **extra})


def _doc_ids(items: Iterable[Any]) -> list[str]:
    """Each cited or returned document once, in order: what the audit log records."""
    return list(dict.fromkeys(item.doc_id for item in items))


class KnowledgeAssistant:
    """Role-filtered retrieval, PII masking, composing, and the audit trail for every call.

    `audit`, `answers` and `feedback` are the assistant/db stores; None skips them (evaluation, bench).
    """

    def __init__(
        self,
        search: SearchService,
        policy: AccessPolicy,
        settings: Settings,
        audit: AuditLog | None = None,
        answers: AnswerStore | None = None,
        feedback: FeedbackStore | None = None,
        llm: ChatModel | None = None,
        curated: CuratedService | None = None,
        review: ReviewQueue | None = None,
    ) -> None:
        self.searcher = search
        self.policy = policy
        self.settings = settings
        self.audit, self.answers, self.feedback = audit, answers, feedback
        self.llm = llm
        # assistant/curation: live curated answers are tried first; bad answers feed the review queue.
        self.curated, self.review = curated, review
        similarity = sentence_similarity(search.embedder, search.query_vector)
        self.composer = AnswerComposer(
            settings.answer_min_confidence, llm, similarity, glossary=search.glossary_file
        )

    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for (`assistant serve` calls this before
        it takes requests): jieba's dictionary and the BM25 tokenizer's."""
        load_dictionary()
        self.searcher.encoder.load()

    # Retrieval every endpoint shares: the principal's filter inside the index, masking after.
    def _retrieve(
        self, query: str, principal: Principal, limit: int, filters: SearchFilters | None = None
    ) -> list[RetrievedChunk]:
        chunks = self.searcher.search(query, principal, limit, filters)
        return chunks if self._sees_pii(principal) else [mask_chunk(c, query) for c in chunks]

    def _sees_pii(self, principal: Principal) -> bool:
        return self.policy.has_privilege(principal, "pii")

    def _visible(self, principal: Principal, text: str) -> str:
        """Model output is masked too: a model may echo PII from the question or its training."""
        return text if self._sees_pii(principal) else mask_pii(text)

    def _record(self, principal: Principal, channel: str, action: str, question: str, **kw: Any) -> None:
        if self.audit is not None:
            self.audit.record(principal.user, channel, action, question, **kw)

    def ask(self, req: AskRequest, principal: Principal, channel: str = "api") -> AskResponse:
        curated = self._curated(req, principal)
        if curated is not None:
            return self._finish_ask(req, principal, channel, *curated)
        language = question_language(req.question)
        chunks = self._retrieve(req.question, principal, req.top_k, _filters(req.filters))
        return self._finish_ask(
            req, principal, channel, self.composer.compose(req.question, chunks, language)
        )

    def stream_ask(
        self, req: AskRequest, principal: Principal, channel: str = "api"
    ) -> Iterator[dict[str, Any]]:
        """Server-sent events: `delta` {text} pieces, then `done` with the full AskResponse (authoritative)."""
        curated = self._curated(req, principal)
        if curated is not None:
            response = self._finish_ask(req, principal, channel, *curated)
            yield {"event": "delta", "data": {"text": response.answer}}
            yield {"event": "done", "data": response.model_dump(mode="json")}
            return
        language = question_language(req.question)
        chunks = self._retrieve(req.question, principal, req.top_k, _filters(req.filters))
        for item in self.composer.stream(req.question, chunks, language):
            if isinstance(item, Composed):
                response = self._finish_ask(req, principal, channel, item)
                yield {"event": "done", "data": response.model_dump(mode="json")}
            else:
                yield {"event": "delta", "data": {"text": self._visible(principal, item)}}

    def _curated(self, req: AskRequest, principal: Principal) -> tuple[Composed, CuratedMatch] | None:
        """A live curated answer of the same meaning, with its citations the asker may read."""
        if self.curated is None or req.filters is not None:
            return None
        match: CuratedMatch | None = self.curated.match(req.question, principal)
        if match is None:
            return None
        language = question_language(req.question)
        hits = self.curated.cited(principal, match.citations)
        chunks = [self.searcher.to_chunk(hit, req.question) for hit in hits]
        if not self._sees_pii(principal):
            chunks = [mask_chunk(c, req.question) for c in chunks]
        citations = [to_citation(c, i + 1) for i, c in enumerate(chunks)]
        warnings = expired_warnings(citations, language)
        return Composed(match.answer, True, match.similarity, language, citations, warnings), match

    def _finish_ask(
        self,
        req: AskRequest,
        principal: Principal,
        channel: str,
        composed: Composed,
        curated: CuratedMatch | None = None,
    ) -> AskResponse:
        response = AskResponse(
            answer_id=uuid.uuid4().hex,
            answer=self._visible(principal, composed.answer),
            grounded=composed.grounded,
            confidence=composed.confidence,
            language=composed.language,
            citations=composed.citations,
            warnings=composed.warnings,
            curated=curated is not None,
            curated_id=curated.curated_id if curated else None,
            approved_by=curated.approved_by if curated else None,
            approved_at=curated.approved_at if curated else None,
        )
        doc_ids = _doc_ids(response.citations)
        if self.answers is not None:
            self.answers.save(
                response.answer_id, principal.user, req.question, response.answer, doc_ids, channel
            )
        if self.review is not None and curated is None:
            expired = any(c.expired for c in response.citations)
            seen = {"answer_id": response.answer_id, "answer": response.answer, "grounded": response.grounded}
            self.review.observe_answer(
                principal, channel, req.question, {**seen, "doc_ids": doc_ids, "expired": expired}
            )
        extra: dict[str, Any] = {"grounded": response.grounded, "confidence": response.confidence}
        if curated is not None:
            extra["curated_id"] = curated.curated_id
        self._record(
            principal,
            channel,
            "ask",
            req.question,
            doc_ids=doc_ids,
            answer_id=response.answer_id,
            extra=extra,
        )
        return response

    def search(self, req: SearchRequest, principal: Principal, channel: str = "api") -> SearchResponse:
        chunks = self._retrieve(req.query, principal, req.limit, _filters(req.filters))
        results = [to_citation(c, i + 1) for i, c in enumerate(chunks)]
        self._record(principal, channel, "search", req.query, doc_ids=_doc_ids(chunks))
        return SearchResponse(results=results)

    def talk_tracks(
        self, req: TalkTrackRequest, principal: Principal, channel: str = "api"
    ) -> TalkTrackResponse:
        language = question_language(req.situation)
        query = " ".join(filter(None, [req.situation, req.competitor]))
        pool = max(TALK_TRACK_POOL_MIN, req.limit * TALK_TRACK_POOL)
        chunks = self._retrieve(query, principal, pool, SearchFilters(doc_type=("talk_track",)))
        votes = self.feedback.stats_by_doc() if self.feedback is not None else {}
        ranked = rank_tracks(req, chunks, votes, self.searcher.glossary_file.current())
        matching, closest = select_tracks(ranked, req.limit)
        tracks = [to_talk_track(c, language) for c in matching]
        response = TalkTrackResponse(
            talk_tracks=tracks,
            language=language,
            notice=None if tracks else phrase("no_track", language),
            closest=to_talk_track(closest, language) if closest else None,
        )
        shown = [*tracks, *([response.closest] if response.closest else [])]
        doc_ids = _doc_ids(t.citations[0] for t in shown)
        self._record(principal, channel, "talk_tracks", req.situation, doc_ids=doc_ids)
        return response

    def follow_up(self, req: FollowUpRequest, principal: Principal, channel: str = "api") -> FollowUpResponse:
        language = req.language or question_language(req.notes)
        topics = " ".join(f"{t.zh} {t.en}" for t in topics_in(req.notes))
        query = f"{req.customer} {topics} {req.notes}"
        chunks = self._retrieve(query, principal, FOLLOW_UP_SOURCES, SearchFilters(doc_type=FOLLOW_UP_TYPES))
        draft = draft_follow_up(req, chunks, language, self.llm)
        doc_ids = _doc_ids(draft.citations)
        self._record(principal, channel, "follow_up", f"{req.customer}\n{req.notes}", doc_ids=doc_ids)
        return FollowUpResponse(
            subject=draft.subject,
            draft=self._visible(principal, draft.text),
            citations=draft.citations,
            warnings=draft.warnings,
        )
