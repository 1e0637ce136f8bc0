"""A rep sees nothing of manager-only documents through any endpoint; a manager does."""

from __future__ import annotations

import pytest

from tests.integration.api_kb import PUBLIC_SOURCE, SECRET_MARKER, SECRET_SOURCES, Api, api, doc_id

__all__ = ["api"]

REQUESTS = [
    ("/v1/ask", {"question": "What Orion discount can a manager approve for retail accounts?"}),
    ("/v1/ask", {"question": "Orion discount approval", "stream": True}),
    ("/v1/search", {"query": "Orion discount approval pricing form", "limit": 50}),
    ("/v1/talk-tracks", {"situation": "customer says Orion is too expensive"}),
    ("/v1/follow-ups", {"customer": "Retail chain", "notes": "They asked about Orion alerts and stock-outs"}),
]
SECRET_IDS = [doc_id(s) for s in SECRET_SOURCES]


def _leaks(text: str) -> list[str]:
    found = [SECRET_MARKER] if SECRET_MARKER in text else []
    return found + [i for i in SECRET_IDS if i in text] + [s for s in SECRET_SOURCES if s in text]


@pytest.mark.parametrize(("path", "body"), REQUESTS)
def test_rep_gets_nothing_of_confidential_documents(api: Api, path: str, body: dict[str, object]) -> None:
    response = api.client.post(path, json=body, headers=api.auth("rep"))
    assert response.status_code == 200, response.text
    assert _leaks(response.text) == []


@pytest.mark.parametrize(("path", "body"), REQUESTS)
def test_manager_in_the_group_gets_them(api: Api, path: str, body: dict[str, object]) -> None:
    response = api.client.post(path, json=body, headers=api.auth("manager"))
    assert response.status_code == 200, response.text
    assert SECRET_MARKER in response.text


def test_rep_still_gets_what_reps_may_read(api: Api) -> None:
    response = api.client.post("/v1/search", json={"query": "Orion dashboards"}, headers=api.auth("rep"))
    assert [r["source"] for r in response.json()["results"]] == [PUBLIC_SOURCE]


@pytest.mark.parametrize("source", SECRET_SOURCES)
def test_invisible_document_is_404_not_403(api: Api, source: str) -> None:
    response = api.client.get(f"/v1/documents/{doc_id(source)}", headers=api.auth("rep"))
    assert response.status_code == 404
    assert SECRET_MARKER not in response.text and source not in response.text
    # The same answer as for a document that does not exist at all: existence does not leak.
    missing = api.client.get("/v1/documents/0000000000", headers=api.auth("rep"))
    assert missing.status_code == 404
    assert response.text.replace(doc_id(source), "ID") == missing.text.replace("0000000000", "ID")


def test_document_view_for_a_reader(api: Api) -> None:
    response = api.client.get(f"/v1/documents/{doc_id(SECRET_SOURCES[0])}", headers=api.auth("manager"))
    assert response.status_code == 200, response.text
    doc = response.json()
    assert doc["source"] == SECRET_SOURCES[0]
    assert doc["metadata"]["access_level"] == "confidential"
    assert [c["n"] for c in doc["chunks"]] == sorted(c["n"] for c in doc["chunks"])
    assert SECRET_MARKER in " ".join(c["text"] for c in doc["chunks"])


def test_document_as_html_for_a_browser(api: Api) -> None:
    headers = {**api.auth("rep"), "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    response = api.client.get(f"/v1/documents/{doc_id(PUBLIC_SOURCE)}", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Orion product overview" in response.text and "ERP" in response.text
    meta = response.text.split('id="doc-meta"', 1)[1].split("</dl>", 1)[0]
    assert "产品资料 Product" in meta and "access_level" not in meta and "internal" not in meta
    hidden = api.client.get(f"/v1/documents/{doc_id(SECRET_SOURCES[0])}", headers=headers)
    assert hidden.status_code == 404 and SECRET_MARKER not in hidden.text


def test_document_page_shell_holds_no_content(api: Api) -> None:
    """/documents/{id} is public HTML; its script fetches the content with the signed-in token."""
    response = api.client.get(f"/documents/{doc_id(SECRET_SOURCES[0])}")
    assert response.status_code == 200
    assert SECRET_MARKER not in response.text
    assert "document.js" in response.text
