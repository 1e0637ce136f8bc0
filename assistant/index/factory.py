"""Picks the index backend from settings."""

from __future__ import annotations

from assistant.access import AccessPolicy
from assistant.config import Settings
from assistant.index.base import VectorIndex
from assistant.index.edge import EdgeIndex
from assistant.index.server import ServerIndex
from assistant.index.tuning import PROFILES


def build_index(settings: Settings, policy: AccessPolicy) -> VectorIndex:
    """The server backend when ASSISTANT_QDRANT_URL is set, else the embedded shard."""
    if settings.qdrant_url:
        return ServerIndex.from_settings(settings, policy)
    return EdgeIndex(
        settings.edge_path / settings.qdrant_collection, policy, PROFILES[settings.index_profile]
    )
