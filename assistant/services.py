"""Wiring in one place: settings -> the clients and services everything else receives."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.engine import Engine

from assistant.access import AccessPolicy
from assistant.answer.llm import ChatModel
from assistant.answer.service import KnowledgeAssistant
from assistant.config import Settings
from assistant.curation.analytics import Analytics
from assistant.curation.curated import CuratedService
from assistant.curation.digest import Digests
from assistant.curation.meaning import Meaning
from assistant.curation.review import ReviewQueue
from assistant.data_dir import secure_data_dir
from assistant.db import (
    AnswerStore,
    AuditLog,
    ChannelPolicies,
    EventLedger,
    FeedbackStore,
    SessionStore,
    UserDirectory,
    VersionStore,
    build_engine,
    build_session_store,
)
from assistant.db.curated import CuratedStore
from assistant.db.digests import DigestSubscriptions
from assistant.db.glossary import build_glossary
from assistant.db.jobs import IngestJobStore
from assistant.db.rate_limits import build_limiter
from assistant.db.review import ReviewStore
from assistant.embedding import Embedder, build_embedder
from assistant.index import VectorIndex, build_index
from assistant.index.sparse import Bm25Encoder
from assistant.rate_limits import RateLimiter
from assistant.retrieval import SearchService
from ingest.lifecycle import DocumentLifecycle
from ingest.manifest import build_manifest
from ingest.pipeline import IngestService

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a route, a channel or a CLI command needs, built once per process by build_services."""

    settings: Settings
    policy: AccessPolicy
    embedder: Embedder
    index: VectorIndex
    search: SearchService
    ingest: IngestService
    db: Engine
    users: UserDirectory
    audit: AuditLog
    answers: AnswerStore
    feedback: FeedbackStore
    channel_policies: ChannelPolicies
    events: EventLedger
    sessions: SessionStore  # web sign-in sessions
    lifecycle: DocumentLifecycle  # document versions: history, rollback, two-person review
    # Curation: curated answers (two-person review), the review queue, analytics.
    curated: CuratedService
    review: ReviewQueue
    analytics: Analytics
    digests: Digests
    # The answering facade (ask, search, talk tracks, follow-ups) the API and channels share.
    assistant: KnowledgeAssistant
    # Requests per person per minute, shared by the API and the chat channels (and, on PostgreSQL,
    # by every replica); failed sign-ins per client address.
    rate_limiter: RateLimiter
    auth_failures: RateLimiter
    jobs: IngestJobStore  # the ingest job table any replica or `assistant worker` takes jobs from

    def close(self) -> None:
        self.index.close()
        self.ingest.manifest.close()
        self.db.dispose()


def build_services(
    settings: Settings,
    embedder: Embedder | None = None,
    check_model: bool = True,
    index: VectorIndex | None = None,
) -> Services:
    """Build everything for these settings. Pass an embedder (or an open index) to share it across builds.

    Raises IndexModelMismatch when the index was built with another model (unless check_model is
    False, which only `assistant ingest --reindex` uses).
    """
    secure_data_dir(settings.data_dir)
    policy = AccessPolicy.load(settings.policy_file)
    embedder = embedder or build_embedder(settings)
    index = index or build_index(settings, policy)
    if check_model:
        try:
            index.check_model(embedder.model_id, embedder.dim)
        except Exception:
            index.close()
            raise
    encoder = Bm25Encoder()
    try:
        db = build_engine(settings.resolved_database_url)
    except Exception:
        index.close()
        raise
    glossary = build_glossary(settings, db)
    lifecycle = DocumentLifecycle(index, VersionStore(db), policy, settings.versions_kept)
    ingest = IngestService(
        index,
        embedder,
        build_manifest(settings, db),
        policy,
        lifecycle,
        review_required=settings.review_required,
        verify_every=settings.verify_every,
        chunk_size=settings.chunk_size,
        chunk_overlap=settings.chunk_overlap,
        ocr_languages=settings.ocr_languages,
        encoder=encoder,
        embed_batch=settings.embed_batch_size,
        glossary=glossary,
        parse_timeout_s=settings.parse_timeout_s,
    )
    search = SearchService(index, embedder, encoder, glossary=glossary)
    audit, answers, feedback = AuditLog(db), AnswerStore(db), FeedbackStore(db)
    users = UserDirectory(db, policy, settings.token_ttl)
    meaning = Meaning(embedder, settings.same_question_similarity, embed=search.query_vector)
    curated_store = CuratedStore(db)
    review = ReviewQueue(ReviewStore(db), meaning, policy, index, users, feedback, curated_store)
    curated = CuratedService(
        curated_store, ingest, encoder, meaning, policy, on_approved=review.on_curated_approved
    )
    analytics = Analytics(audit, feedback, users, meaning, policy)
    assistant = KnowledgeAssistant(
        search,
        policy,
        settings,
        audit=audit,
        answers=answers,
        feedback=feedback,
        llm=ChatModel.from_settings(settings),
        curated=curated,
        review=review,
    )
    return Services(
        settings=settings,
        policy=policy,
        embedder=embedder,
        index=index,
        search=search,
        ingest=ingest,
        db=db,
        users=users,
        audit=audit,
        answers=answers,
        feedback=feedback,
        channel_policies=ChannelPolicies(db),
        events=EventLedger(db, timedelta(seconds=settings.chat_lease_s)),
        sessions=build_session_store(db, settings),
        lifecycle=lifecycle,
        curated=curated,
        review=review,
        analytics=analytics,
        digests=Digests(DigestSubscriptions(db), review, curated, analytics, users, policy),
        assistant=assistant,
        rate_limiter=build_limiter(db, settings.rate_limit_per_minute, "requests"),
        auth_failures=build_limiter(db, settings.auth_failures_per_minute, "auth_failures"),
        jobs=IngestJobStore(db),
    )
