"""Tokens, roles, the rate limit, the audit log and the health probes through the real app."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from assistant.api import create_app
from assistant.rate_limits import SlidingWindowLimiter
from tests.integration.api_kb import Api, api

__all__ = ["api"]

PROTECTED = [
    ("POST", "/v1/ask", {"question": "Orion?"}),
    ("POST", "/v1/search", {"query": "Orion"}),
    ("POST", "/v1/talk-tracks", {"situation": "price"}),
    ("POST", "/v1/follow-ups", {"customer": "A", "notes": "B"}),
    ("POST", "/v1/feedback", {"answer_id": "x", "rating": "up"}),
    ("GET", "/v1/documents/abc", None),
    ("GET", "/v1/admin/audit", None),
    ("GET", "/v1/me", None),
]


@pytest.mark.parametrize(("method", "path", "body"), PROTECTED)
@pytest.mark.parametrize("header", [None, "Bearer sk_not-a-real-token", "Basic dXNlcjpwYXNz", "Bearer "])
def test_no_or_bad_token_is_401(
    api: Api, method: str, path: str, body: dict[str, str] | None, header: str | None
) -> None:
    headers = {"Authorization": header} if header is not None else {}
    response = api.client.request(method, path, json=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"


def test_disabled_and_revoked_tokens_are_401(api: Api) -> None:
    _, token = api.services.users.add_user("leaver", ["rep"], ["east"])
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/v1/me", headers=headers).status_code == 200
    api.services.users.disable("leaver")
    assert api.client.get("/v1/me", headers=headers).status_code == 401
    _, other = api.services.users.add_user("rotated", ["rep"])
    api.services.users.revoke_tokens("rotated")
    assert api.client.get("/v1/me", headers={"Authorization": f"Bearer {other}"}).status_code == 401


def test_audit_is_admin_only(api: Api) -> None:
    for user in ("rep", "manager"):
        response = api.client.get("/v1/admin/audit", headers=api.auth(user))
        assert response.status_code == 403
        assert response.json()["error"] == {
            "code": "forbidden",
            "message": "this endpoint needs the admin role",
        }


def test_admin_sees_who_asked_what(api: Api) -> None:
    question = "Which ERP connector does Orion have?"
    api.client.post("/v1/ask", json={"question": question}, headers=api.auth("rep")).raise_for_status()
    response = api.client.get("/v1/admin/audit?user=rep&action=ask&limit=5", headers=api.auth("admin"))
    assert response.status_code == 200, response.text
    entries = response.json()["entries"]
    assert entries[0]["question"] == question
    assert {e["user"] for e in entries} == {"rep"} and {e["action"] for e in entries} == {"ask"}
    bad = api.client.get("/v1/admin/audit?action=delete", headers=api.auth("admin"))
    assert bad.status_code == 422 and "action" in bad.json()["error"]["message"]


def test_web_chat_calls_are_audited_as_web(api: Api) -> None:
    headers = {**api.auth("rep"), "X-Assistant-Client": "web"}
    api.client.post("/v1/search", json={"query": "web chat probe"}, headers=headers).raise_for_status()
    entries = api.client.get("/v1/admin/audit?user=rep&action=search", headers=api.auth("admin")).json()
    assert entries["entries"][0]["channel"] == "web"


def test_rate_limit_per_user(api: Api) -> None:
    services = replace(api.services, rate_limiter=SlidingWindowLimiter(3))
    limited = create_app(services.settings, services)
    client = TestClient(limited)
    for _ in range(3):
        assert client.get("/v1/me", headers=api.auth("rep")).status_code == 200
    response = client.get("/v1/me", headers=api.auth("rep"))
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response.headers["retry-after"]) <= 60
    # Another user has their own window.
    assert client.get("/v1/me", headers=api.auth("manager")).status_code == 200


def test_health_probes_need_no_token(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    ready = api.client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready"}  # sizes only for a signed-in caller
    body = api.client.get("/readyz", headers=api.auth("rep")).json()
    assert body["status"] == "ready" and body["chunks"] >= 4 and body["users"] >= 3


def test_openapi_documents_the_api(api: Api) -> None:
    paths = api.client.get("/openapi.json").json()["paths"]
    for path in ("/v1/ask", "/v1/search", "/v1/talk-tracks", "/v1/follow-ups", "/v1/feedback"):
        assert path in paths
    assert "/v1/documents/{doc_id}" in paths and "/v1/admin/audit" in paths
    assert api.client.get("/docs").status_code == 404  # off by default (ASSISTANT_API_DOCS)
