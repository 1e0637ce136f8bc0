"""Asking, streaming and feedback through the real app."""

from __future__ import annotations

import json

from assistant.db import FeedbackStore
from tests.integration.api_kb import PUBLIC_SOURCE, Api, api, doc_id

__all__ = ["api"]


def _ask(api: Api, user: str, question: str) -> dict[str, object]:
    response = api.client.post("/v1/ask", json={"question": question}, headers=api.auth(user))
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_answer_cites_its_source(api: Api) -> None:
    answer = _ask(api, "rep", "How long does Orion deployment take for a retail chain?")
    assert answer["grounded"] is True
    assert "[1]" in str(answer["answer"])
    citations = answer["citations"]
    assert isinstance(citations, list)
    assert citations[0]["doc_id"] == doc_id(PUBLIC_SOURCE)
    assert citations[0]["n"] == 1


def test_stream_sends_deltas_then_the_full_answer(api: Api) -> None:
    body = {"question": "How long does Orion deployment take?"}
    headers = {**api.auth("rep"), "Accept": "text/event-stream"}
    with api.client.stream("POST", "/v1/ask", json=body, headers=headers) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    events = []
    for block in raw.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    assert events[-1][0] == "done"
    assert [name for name, _ in events[:-1]] and all(name == "delta" for name, _ in events[:-1])
    done = events[-1][1]
    assert done["grounded"] is True and done["citations"][0]["doc_id"] == doc_id(PUBLIC_SOURCE)
    assert "".join(d["text"] for _, d in events[:-1]).strip() == done["answer"].strip()


def test_feedback_round_trip(api: Api) -> None:
    answer = _ask(api, "rep", "What does Orion ship with?")
    body = {"answer_id": answer["answer_id"], "rating": "up", "comment": "useful"}
    response = api.client.post("/v1/feedback", json=body, headers=api.auth("rep"))
    assert response.status_code == 200, response.text
    assert response.json() == {"answer_id": answer["answer_id"], "rating": "up", "recorded": True}
    # Voting again replaces the vote.
    body["rating"] = "down"
    api.client.post("/v1/feedback", json=body, headers=api.auth("rep")).raise_for_status()
    votes = [f for f in FeedbackStore(api.services.db).list() if f.answer_id == answer["answer_id"]]
    assert [(v.user, v.rating, v.comment) for v in votes] == [("rep", "down", "useful")]


def test_feedback_on_unknown_or_someone_elses_answer_is_404(api: Api) -> None:
    unknown = api.client.post(
        "/v1/feedback", json={"answer_id": "nope", "rating": "up"}, headers=api.auth("rep")
    )
    assert unknown.status_code == 404
    assert "nope" in unknown.json()["error"]["message"]
    answer = _ask(api, "manager", "What does Orion ship with?")
    other = api.client.post(
        "/v1/feedback", json={"answer_id": answer["answer_id"], "rating": "down"}, headers=api.auth("rep")
    )
    assert other.status_code == 404


def test_me_names_the_token_owner(api: Api) -> None:
    response = api.client.get("/v1/me", headers=api.auth("manager"))
    assert response.json() == {"user": "manager", "roles": ["manager"], "groups": ["east"]}
