"""GET /v1/documents/{id}/diff through HTTP: aligned rows, and only versions the caller may read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.payloads import doc_id_for
from ingest.report import IngestOptions
from tests.integration.test_document_review import ingest, reviewed
from tests.integration.test_document_versions import PRICE, PRICE_V2, Kb, access_changed, open_kb

__all__ = ["access_changed", "reviewed"]


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


def test_a_version_the_caller_may_not_read_is_never_quoted(access_changed: Kb) -> None:
    kb = access_changed
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


MATRIX_USERS = {
    "rep_east": (["rep"], ["east"]),
    "manager_east": (["manager"], ["east"]),
    "manager_west": (["manager"], ["west"]),
    "curator_east": (["curator"], ["east"]),
    "curator_west": (["curator"], ["west"]),
    "executive_west": (["executive"], ["west"]),
}
EAST_SECRET = "cases/east-floor.md"  # confidential, group east; v1 and v2 live in turn
EAST_PENDING = "pricing/east-price.md"  # internal, group east; v2 waiting for review


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kb]:
    root = tmp_path_factory.mktemp("diff-matrix")
    folder = root / "kb"
    (folder / "cases").mkdir(parents=True)
    (folder / "pricing").mkdir()
    (folder / "pricing" / "_meta.yaml").write_text("review: required\n", "utf-8")
    for kb in open_kb(root / "data"):
        for name, (roles, groups) in MATRIX_USERS.items():
            kb.tokens[name] = kb.services.users.add_user(name, roles, groups)[1]
        for floor, price in ((650, 99), (700, 129)):
            front = "---\naccess_level: {}\ngroups: [east]\n---\n"
            (folder / EAST_SECRET).write_text(
                front.format("confidential") + f"# Floor\n\n底价 {floor} 元。\n", "utf-8"
            )
            (folder / EAST_PENDING).write_text(
                front.format("internal") + f"# Price\n\n每人每月 {price} 元。\n", "utf-8"
            )
            assert kb.services.ingest.ingest([folder], IngestOptions(submitted_by="alice")).ok
            if price == 99:
                kb.call("POST", f"/v1/documents/{doc_id_for(EAST_PENDING)}/versions/1/approve", "bob")
        yield kb


@pytest.mark.parametrize(
    ("user", "reads_secret", "reads_pending"),
    [
        ("rep_east", False, False),  # confidential: no; pending: not a curator
        ("manager_east", True, False),
        ("manager_west", False, False),  # not in the group
        ("curator_east", True, True),
        ("curator_west", False, False),
        ("executive_west", True, False),  # all groups, but not a curator
        ("admin", True, True),  # open_kb's admin
    ],
)
def test_the_diff_follows_the_role_and_group_matrix(
    matrix: Kb, user: str, reads_secret: bool, reads_pending: bool
) -> None:
    for source, number, allowed, hidden in (
        (EAST_SECRET, "to=2&from=1", reads_secret, "650"),
        (EAST_PENDING, "to=2", reads_pending, "129"),
    ):
        response = matrix.client.get(
            f"/v1/documents/{doc_id_for(source)}/diff?{number}", headers=_auth(matrix, user)
        )
        assert response.status_code == (200 if allowed else 404), (user, source, response.text)
        assert (hidden in response.text) == allowed
