"""The curated-answer lookup runs only while a curated answer is live, and a change is seen at once
here and within the recheck interval on another replica of the same database and index."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.access import Principal
from assistant.answer.models import AskRequest
from assistant.answer.service import KnowledgeAssistant
from assistant.api import create_app
from assistant.curation.curated import CuratedService
from assistant.curation.live import LiveCurated
from assistant.db.curated import CuratedStore
from assistant.db.engine import build_engine
from assistant.services import Services, build_services
from tests.integration.api_kb import Api, kb_settings, write_kb

USERS = {
    "rep": (["rep"], ["east"]),
    "curator_a": (["curator"], ["east"]),
    "curator_b": (["curator"], ["east"]),
}
QUESTION = "上百家门店的连锁店，Orion 部署要多久？"
ANSWER = "上百家门店的连锁店，Orion 部署约需十周。"
REPLICA_CHECK_S = 0.5


class CountingSearch:
    """The real index's `search`, counted: each call is one hybrid query to qdrant-edge."""

    def __init__(self, services: Services) -> None:
        self.real, self.calls = services.index.search, 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        return self.real(*args, **kwargs)


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Api, CountingSearch]]:
    settings = kb_settings(tmp_path / "data", rate_limit_per_minute=10_000)
    services = build_services(settings)
    assert services.ingest.ingest([write_kb(tmp_path / "kb")]).ok
    tokens = {name: services.users.add_user(name, r, g)[1] for name, (r, g) in USERS.items()}
    counting = CountingSearch(services)
    monkeypatch.setattr(services.index, "search", counting)
    with TestClient(create_app(settings, services)) as client:
        yield Api(services, client.app, client, tokens), counting  # type: ignore[arg-type]
    services.close()


def _ask(api: Api, question: str = QUESTION) -> dict[str, Any]:
    response = api.client.post("/v1/ask", json={"question": question}, headers=api.auth("rep"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _approve_one(api: Api) -> int:
    draft = {"question": QUESTION, "answer": ANSWER, "access_level": "internal", "groups": ["east"]}
    written = api.client.post("/v1/curated-answers", json=draft, headers=api.auth("curator_a"))
    assert written.status_code == 201, written.text
    curated_id = int(written.json()["id"])
    approved = api.client.post(f"/v1/curated-answers/{curated_id}/approve", headers=api.auth("curator_b"))
    assert approved.status_code == 200, approved.text
    return curated_id


def _replica(services: Services) -> KnowledgeAssistant:
    """Another process on the same database and index: its own engine and its own live count."""
    store = CuratedStore(build_engine(services.settings.resolved_database_url))
    curated = CuratedService(
        store,
        services.ingest,
        services.curated.encoder,
        services.curated.meaning,
        services.policy,
        live=LiveCurated(store.live_count, check_every_s=REPLICA_CHECK_S),
    )
    return KnowledgeAssistant(services.search, services.policy, services.settings, curated=curated)


def test_no_live_curated_answer_means_one_index_query(api: tuple[Api, CountingSearch]) -> None:
    client, counting = api
    first = _ask(client)
    assert not first["curated"] and counting.calls == 1
    _ask(client, "Orion 的试用期有多长？")
    assert counting.calls == 2


def test_approved_here_is_used_at_once_and_retired_stops_it(api: tuple[Api, CountingSearch]) -> None:
    client, counting = api
    assert not _ask(client)["curated"]
    curated_id = _approve_one(client)
    answered = _ask(client)
    assert answered["curated"] and answered["curated_id"] == curated_id and answered["answer"] == ANSWER
    calls = counting.calls
    _ask(client, "Orion 的试用期有多长？")
    assert counting.calls == calls + 2  # while one is live, the lookup runs (inside the asker's filter)

    retired = client.client.post(f"/v1/curated-answers/{curated_id}/retire", headers=client.auth("curator_b"))
    assert retired.status_code == 200 and retired.json()["state"] == "retired"
    assert not _ask(client)["curated"]
    again = client.client.post(f"/v1/curated-answers/{curated_id}/retire", headers=client.auth("curator_b"))
    assert again.status_code == 409
    calls = counting.calls
    _ask(client)
    assert counting.calls == calls + 1


def test_another_replica_sees_an_approval_within_the_recheck(api: tuple[Api, CountingSearch]) -> None:
    client, _ = api
    replica = _replica(client.services)
    rep = Principal.of("rep", ["rep"], ["east"])
    assert not replica.ask(AskRequest(question=QUESTION), rep, channel="cli").curated
    curated_id = _approve_one(client)
    time.sleep(REPLICA_CHECK_S)
    answered = replica.ask(AskRequest(question=QUESTION), rep, channel="cli")
    assert answered.curated and answered.curated_id == curated_id

    retired = client.client.post(f"/v1/curated-answers/{curated_id}/retire", headers=client.auth("curator_a"))
    assert retired.status_code == 200
    time.sleep(REPLICA_CHECK_S)
    assert not replica.ask(AskRequest(question=QUESTION), rep, channel="cli").curated


def test_an_asker_outside_its_groups_is_not_answered_from_it(api: tuple[Api, CountingSearch]) -> None:
    client, _ = api
    _approve_one(client)
    south = client.services.users.add_user("rep_south", ["rep"], ["south"])[1]
    response = client.client.post(
        "/v1/ask", json={"question": QUESTION}, headers={"Authorization": f"Bearer {south}"}
    )
    assert response.status_code == 200 and not response.json()["curated"]
