"""Break 6: a long question costs no more to match than a capped one, and counts more against the limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.access import Principal
from assistant.api import create_app
from assistant.config import Settings
from assistant.retrieval.search import MAX_QUERY_CHARS
from assistant.services import build_services
from tests.integration.api_kb import DOCS, kb_settings, write_kb
from tests.integration.recording_embedder import RecordingEmbedder


def test_long_question_is_capped_before_embedding_and_matching(settings: Settings, tmp_path: Path) -> None:
    embedder = RecordingEmbedder()
    services = build_services(settings, embedder=embedder)
    try:
        assert services.ingest.ingest([write_kb(tmp_path / "kb")]).ok
        rep = Principal.of("rep", ["rep"], ["east"])
        question = "Orion deployment weeks retail chain? " + "无关的填充内容" * 400
        hits = services.search.search(question, rep, 3)
        assert embedder.queries and all(len(q) <= MAX_QUERY_CHARS for q in embedder.queries)
        assert hits and hits[0].title == "Orion product overview"  # the start of the question still counts
        assert all(len(h.snippet) < 300 for h in hits)
    finally:
        services.close()


@pytest.fixture
def limited(tmp_path: Path) -> Iterator[tuple[TestClient, str]]:
    services = build_services(kb_settings(tmp_path / "data", rate_limit_per_minute=10))
    assert services.ingest.ingest([write_kb(tmp_path / "kb")]).ok
    _, token = services.users.add_user("rep", ["rep"], ["east"])
    with TestClient(create_app(services.settings, services)) as client:
        yield client, token
    services.close()


def test_long_questions_use_more_of_the_rate_limit(limited: tuple[TestClient, str]) -> None:
    client, token = limited
    auth = {"Authorization": f"Bearer {token}"}
    long_question = {"query": "Orion 部署需要多久？" + "请详细说明" * 390}  # ~2,000 characters
    statuses = [client.post("/v1/search", json=long_question, headers=auth).status_code for _ in range(6)]
    assert statuses[0] == 200 and 429 in statuses  # ten short questions would all pass
    assert len(DOCS) > 0
