"""A server collection is created with the configured shards, replicas and write consistency."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from qdrant_client.http.exceptions import UnexpectedResponse

from assistant.access import AccessPolicy
from assistant.config import Settings
from assistant.index.schema import KEYWORD_INDEXES
from assistant.index.server import ServerIndex
from tests.fakes.qdrant_api import FakeQdrantApi


def test_cluster_collection_gets_shards_replicas_and_write_consistency(tmp_path):
    with FakeQdrantApi() as qdrant:
        settings = Settings(
            data_dir=tmp_path,
            qdrant_url=qdrant.root_url,
            qdrant_collection="kb",
            qdrant_shards=6,
            qdrant_replicas=2,
            qdrant_write_consistency=2,
        )
        ServerIndex.from_settings(settings, AccessPolicy.load()).create(384)
    body = qdrant.created["kb"]
    assert (body["shard_number"], body["replication_factor"], body["write_consistency_factor"]) == (6, 2, 2)
    assert body["vectors"]["dense"]["size"] == 384
    assert sorted(qdrant.payload_indexes["kb"]) == sorted(KEYWORD_INDEXES)


def test_single_server_defaults_one_shard_one_copy(tmp_path):
    with FakeQdrantApi() as qdrant:
        settings = Settings(data_dir=tmp_path, qdrant_url=qdrant.root_url)
        ServerIndex.from_settings(settings, AccessPolicy.load()).create(384)
    body = qdrant.created["sales_kb"]
    assert (body["shard_number"], body["replication_factor"], body["write_consistency_factor"]) == (1, 1, 1)


def test_write_consistency_above_replicas_is_refused_with_a_reason():
    with pytest.raises(ValidationError, match="cannot exceed qdrant_replicas"):
        Settings(qdrant_replicas=2, qdrant_write_consistency=3)
    with pytest.raises(ValidationError):
        Settings(qdrant_shards=0)


def test_a_collection_created_meanwhile_by_another_process_is_used(tmp_path):
    with FakeQdrantApi() as qdrant:
        qdrant.clients = 2
        settings = Settings(data_dir=tmp_path, qdrant_url=qdrant.root_url, qdrant_collection="kb")
        first = ServerIndex.from_settings(settings, AccessPolicy.load())
        second = ServerIndex.from_settings(settings, AccessPolicy.load())
        first.create(384)
        second.create(384)  # lost the race: Qdrant answers "already exists"
        assert len(qdrant.created) == 1


def test_a_refused_creation_is_an_error(tmp_path):
    with FakeQdrantApi() as qdrant:
        qdrant.refuse_create = "Wrong input: shard_number must be positive"
        settings = Settings(data_dir=tmp_path, qdrant_url=qdrant.root_url)
        with pytest.raises(UnexpectedResponse, match="shard_number"):
            ServerIndex.from_settings(settings, AccessPolicy.load()).create(384)
