"""Bad input never becomes a 500: every error is JSON {"error": {"code", "message"}}."""

from __future__ import annotations

import pytest

from tests.integration.api_kb import Api, api

__all__ = ["api"]


def _error(response: object, status: int) -> dict[str, str]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return dict(body["error"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"question": ""}, "question"),
        ({"question": "   "}, "question"),
        ({"question": 42}, "question"),
        ({"question": "x" * 2001}, "question"),
        ({"question": "Orion", "top_k": 10**40}, "top_k"),
        ({"question": "Orion", "top_k": "many"}, "top_k"),
        ({"question": "Orion", "top_k": 1e308}, "top_k"),
        ({"question": "Orion", "unknown": 1}, "unknown"),
        ({"question": "Orion", "filters": {"doc_type": "policy", "owner": ["x"]}}, "filters"),
        ({"question": "Orion", "stream": "perhaps"}, "stream"),
        ({}, "question"),
    ],
)
def test_invalid_ask_names_the_field(api: Api, body: object, field: str) -> None:
    error = _error(api.client.post("/v1/ask", json=body, headers=api.auth("rep")), 422)
    assert error["code"] == "invalid_request"
    assert field in error["message"]


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        (b"{not json", 422),
        (b"", 422),
        (b"[1, 2]", 422),
        (b'"question"', 422),
        (b"null", 422),
        (b'{"question": "\xff\xfe"}', 400),  # not UTF-8: the body cannot even be decoded
    ],
)
def test_malformed_bodies_are_client_errors(api: Api, raw: bytes, status: int) -> None:
    headers = {**api.auth("rep"), "Content-Type": "application/json"}
    error = _error(api.client.post("/v1/ask", content=raw, headers=headers), status)
    assert error["message"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/search", {"query": "Orion", "limit": 0}, "limit"),
        ("/v1/search", {"query": ""}, "query"),
        ("/v1/talk-tracks", {"situation": "price", "limit": -1}, "limit"),
        ("/v1/follow-ups", {"customer": "A", "notes": "B", "channel": "fax"}, "channel"),
        ("/v1/feedback", {"answer_id": "x", "rating": "meh"}, "rating"),
        ("/v1/feedback", {"answer_id": "", "rating": "up"}, "answer_id"),
    ],
)
def test_other_endpoints_validate_too(api: Api, path: str, body: object, field: str) -> None:
    error = _error(api.client.post(path, json=body, headers=api.auth("rep")), 422)
    assert field in error["message"]


def test_query_parameters_are_validated(api: Api) -> None:
    for query in ("limit=0", "limit=abc", "limit=99999999999999999999999", "since=yesterday"):
        _error(api.client.get(f"/v1/admin/audit?{query}", headers=api.auth("admin")), 422)


def test_unknown_path_and_wrong_method_are_json(api: Api) -> None:
    assert _error(api.client.get("/v1/nothing-here"), 404)["code"] == "not_found"
    assert _error(api.client.get("/v1/ask", headers=api.auth("rep")), 405)["code"] == "method_not_allowed"


def test_huge_body_is_413(api: Api) -> None:
    body = b'{"question": "' + b"x" * (2 << 20) + b'"}'
    headers = {**api.auth("rep"), "Content-Type": "application/json"}
    assert (
        _error(api.client.post("/v1/ask", content=body, headers=headers), 413)["code"] == "payload_too_large"
    )
