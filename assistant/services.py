"""Wiring in one place: settings -> the clients and services everything else receives."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy.engine import Engine

from assistant.access import AccessPolicy
from assistant.config import Settings
from assistant.db.engine import build_engine
from assistant.db.versions import VersionStore
from assistant.embedding import Embedder, build_embedder
from assistant.index import VectorIndex, build_index
from assistant.index.sparse import Bm25Encoder
from assistant.retrieval import SearchService
from ingest.lifecycle import DocumentLifecycle
from ingest.manifest import Manifest
from ingest.pipeline import IngestService

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Everything a route, a channel or a CLI command needs. Built once per process."""

    settings: Settings
    policy: AccessPolicy
    embedder: Embedder
    index: VectorIndex
    search: SearchService
    ingest: IngestService
    db: Engine
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def lifecycle(self) -> DocumentLifecycle:
        """Document versions: history, rollback, two-person review."""
        return self.ingest.lifecycle

    # Database-backed stores (assistant/db), built on first use.
    @cached_property
    def users(self) -> Any:
        from assistant.db import UserDirectory

        return UserDirectory(self.db, self.policy)

    @cached_property
    def audit(self) -> Any:
        from assistant.db import AuditLog

        return AuditLog(self.db)

    @cached_property
    def answers(self) -> Any:
        from assistant.db import AnswerStore

        return AnswerStore(self.db)

    @cached_property
    def feedback(self) -> Any:
        from assistant.db import FeedbackStore

        return FeedbackStore(self.db)

    @cached_property
    def channel_policies(self) -> Any:
        from assistant.db import ChannelPolicies

        return ChannelPolicies(self.db)

    @cached_property
    def events(self) -> Any:
        from assistant.db import EventLedger

        return EventLedger(self.db)

    @cached_property
    def assistant(self) -> Any:
        """The answering facade (ask, search, talk tracks, follow-ups) the API and channels share."""
        from assistant.answer.service import build_assistant

        return build_assistant(self)

    def close(self) -> None:
        self.index.close()
        self.ingest.manifest.close()
        self.db.dispose()


def build_services(
    settings: Settings, embedder: Embedder | None = None, check_model: bool = True
) -> Services:
    """Build the knowledge pipeline for these settings. Pass an embedder to share one across builds.

    Raises EmbedderMismatch when the index was built with another model (unless check_model is
    False, which only `assistant ingest --reindex` uses).
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    policy = AccessPolicy.load(settings.policy_file)
    embedder = embedder or build_embedder(settings)
    index = build_index(settings, policy)
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
    lifecycle = DocumentLifecycle(index, VersionStore(db), policy, settings.versions_kept)
    ingest = IngestService(
        index,
        embedder,
        Manifest(settings.manifest_path),
        policy,
        lifecycle,
        review_required=settings.review_required,
        verify_every=settings.verify_every,
        chunk_size=settings.chunk_size,
        chunk_overlap=settings.chunk_overlap,
        ocr_languages=settings.ocr_languages,
        encoder=encoder,
        embed_batch=settings.embed_batch_size,
    )
    search = SearchService(index, embedder, encoder)
    return Services(settings, policy, embedder, index, search, ingest, db)
