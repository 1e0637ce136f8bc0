"""GET /v1/documents/{id}/diff through HTTP: aligned rows, and only versions the caller may read."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import doc_id_for
from tests.integration.test_document_review import ingest, reviewed
from tests.integration.test_document_versions import PRICE, PRICE_V2, Kb, open_kb

__all__ = ["reviewed"]


def changed(body: dict[str, object]) -> list[tuple[str, str]]:
    """(old, new) changed pieces of each changed row, joined by "|"."""
    rows = body["rows"]
    assert isinstance(rows, list)
    return [
        (
            "|".join(t for t, c in r["left_parts"] if c),
            "|".join(t for t, c in r["right_parts"] if c),
        )
        for r in rows
        if r["kind"] == "changed"
    ]


def test_a_curator_diffs_a_pending_version_against_the_live_one(reviewed: tuple[Kb, Path]) -> None:
    kb, folder = reviewed
    doc = doc_id_for(PRICE)
    ingest(kb, folder, PRICE_V2)
    body = kb.call("GET", f"/v1/documents/{doc}/diff?to=2", "bob")
    assert (body["from"]["number"], body["from"]["state"]) == (1, "live")
    assert (body["to"]["number"], body["to"]["state"]) == (2, "pending_review")
    assert changed(body) == [("99", "129")]
    assert [r["kind"] for r in body["rows"]] == ["same", "changed"]
    assert body["counts"] == {"added": 0, "removed": 0, "changed": 1, "same": 1}


def test_nobody_but_curators_sees_a_version_no_second_person_approved(reviewed: tuple[Kb, Path]) -> None:
    kb, folder = reviewed
    doc = doc_id_for(PRICE)
    ingest(kb, folder, PRICE_V2)
    for url in (f"/v1/documents/{doc}/diff?to=2", f"/v1/documents/{doc}/diff?to=1&from=2"):
        kb.call("GET", url, "rep", status=404)
    kb.call("GET", f"/v1/documents/{doc}/versions/2", "rep", status=404)
    listed = kb.call("GET", f"/v1/documents/{doc}/versions", "rep")["versions"]
    assert [(v["number"], v["diff_summary"]) for v in listed] == [(2, ""), (1, listed[1]["diff_summary"])]
    kb.call("POST", f"/v1/documents/{doc}/versions/2/approve", "bob")
    body = kb.call("GET", f"/v1/documents/{doc}/diff?to=2&from=1", "rep")
    assert changed(body) == [("99", "129")]


def test_a_version_the_caller_may_not_read_is_never_quoted(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    (folder / "pricing").mkdir(parents=True)
    for kb in open_kb(tmp_path / "data"):
        for front, body in (("access_level: confidential", "Floor price 700."), ("", "List price 990.")):
            (folder / PRICE).write_text(f"---\n{front}\n---\n# Orion\n\n{body}\n", "utf-8")
            assert kb.services.ingest.ingest([folder]).ok
        doc = doc_id_for(PRICE)
        refused = kb.client.get(f"/v1/documents/{doc}/diff?to=2&from=1", headers=_auth(kb, "rep"))
        assert refused.status_code == 404 and "700" not in refused.text
        alone = kb.call("GET", f"/v1/documents/{doc}/diff?to=2", "rep")  # v2 is live: nothing to compare
        assert alone["from"] is None and "700" not in str(alone)
        assert [r["kind"] for r in alone["rows"]] == ["added", "added"]
        for reader in ("alice", "admin"):
            assert changed(kb.call("GET", f"/v1/documents/{doc}/diff?to=2&from=1", reader)) == [
                ("Floor|700", "List|990")
            ]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 422),
        ("?to=0", 422),
        ("?to=abc", 422),
        ("?to=2&from=-1", 422),
        ("?to=9", 404),
        ("?to=1&from=9", 404),
    ],
)
def test_a_malformed_or_unknown_diff_request_is_a_4xx(
    reviewed: tuple[Kb, Path], query: str, status: int
) -> None:
    kb, _ = reviewed
    kb.call("GET", f"/v1/documents/{doc_id_for(PRICE)}/diff{query}", "bob", status=status)
    kb.call("GET", "/v1/documents/no-such-doc/diff?to=1", "admin", status=404)


def _auth(kb: Kb, user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {kb.tokens[user]}"}
