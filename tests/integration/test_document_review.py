"""Two-person publishing through HTTP: a staged version is invisible until a second curator approves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.access import Principal
from ingest.payloads import doc_id_for
from ingest.report import IngestOptions
from tests.integration.test_document_versions import PRICE, PRICE_V1, PRICE_V2, Kb, open_kb

PRICE_V3 = "# Orion price\n\nThe Orion standard edition costs 139 dollars per user per month.\n"
QUESTION = "How much does the Orion standard edition cost per user?"


@pytest.fixture
def reviewed(tmp_path: Path) -> Iterator[tuple[Kb, Path]]:
    """The pricing folder requires review; v1 is approved and live."""
    folder = tmp_path / "kb"
    (folder / "pricing").mkdir(parents=True)
    (folder / "pricing" / "_meta.yaml").write_text("review: required\n", "utf-8")
    for kb in open_kb(tmp_path / "data"):
        ingest(kb, folder, PRICE_V1)
        kb.call("POST", f"/v1/documents/{doc_id_for(PRICE)}/versions/1/approve", "bob")
        yield kb, folder


def ingest(kb: Kb, folder: Path, text: str, by: str = "alice") -> None:
    (folder / PRICE).write_text(text, "utf-8")
    report = kb.services.ingest.ingest([folder], IngestOptions(submitted_by=by))
    assert report.pending_review == [PRICE], report.as_dict()


def live_text(kb: Kb) -> str:
    chunks = kb.services.search.search(QUESTION, Principal.of("r", ["rep"], ["east"]), 3)
    return " ".join(c.text for c in chunks if c.source == PRICE)


def test_a_staged_version_is_invisible_until_a_second_curator_approves(reviewed: tuple[Kb, Path]) -> None:
    kb, folder = reviewed
    doc = doc_id_for(PRICE)
    ingest(kb, folder, PRICE_V2)
    assert "99 dollars" in live_text(kb) and "129" not in live_text(kb)
    assert "129" not in kb.ask("rep", QUESTION)["answer"]
    pending = kb.call("GET", "/v1/documents/pending", "bob")["versions"]
    assert [(v["doc_id"], v["number"], v["submitted_by"]) for v in pending] == [(doc, 2, "alice")]
    kb.call("GET", "/v1/documents/pending", "rep", status=403)
    refused = kb.call("POST", f"/v1/documents/{doc}/versions/2/approve", "alice", status=403)
    assert "another curator" in refused["error"]["message"]
    kb.call("POST", f"/v1/documents/{doc}/versions/2/approve", "rep", status=403)
    approved = kb.call("POST", f"/v1/documents/{doc}/versions/2/approve", "bob")
    assert (approved["state"], approved["reviewed_by"]) == ("live", "bob")
    assert "129" in live_text(kb) and "99 dollars" not in live_text(kb)
    cited = [c for c in kb.ask("rep", QUESTION)["citations"] if c["doc_id"] == doc]
    assert cited and cited[0]["version"] == 2
    kb.call("POST", f"/v1/documents/{doc}/versions/2/approve", "bob", status=409)


def test_rejection_keeps_the_live_version_and_records_the_reason(reviewed: tuple[Kb, Path]) -> None:
    kb, folder = reviewed
    doc = doc_id_for(PRICE)
    ingest(kb, folder, PRICE_V2)
    kb.call("POST", f"/v1/documents/{doc}/versions/2/reject", "bob", status=422, reason="")
    rejected = kb.call("POST", f"/v1/documents/{doc}/versions/2/reject", "bob", reason="价格未经财务确认")
    assert (rejected["state"], rejected["review_note"]) == ("rejected", "价格未经财务确认")
    assert "99 dollars" in live_text(kb)
    assert kb.call("GET", "/v1/documents/pending", "bob")["versions"] == []
    kb.call("POST", f"/v1/documents/{doc}/rollback", "bob", status=409, version=2)
    ingest(kb, folder, PRICE_V3)  # the next change is staged again, the rejected one stays rejected
    kb.call("POST", f"/v1/documents/{doc}/versions/3/approve", "bob")
    assert "139" in live_text(kb)
    states = [
        (v["number"], v["state"]) for v in kb.call("GET", f"/v1/documents/{doc}/versions", "rep")["versions"]
    ]
    assert states == [(3, "live"), (2, "rejected"), (1, "superseded")]


def test_the_whole_kb_can_require_review(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    (folder / "pricing").mkdir(parents=True)
    for kb in open_kb(tmp_path / "data", review_required=True):
        ingest(kb, folder, PRICE_V1)
        assert live_text(kb) == ""
        kb.call("POST", f"/v1/documents/{doc_id_for(PRICE)}/versions/1/approve", "bob")
        assert "99 dollars" in live_text(kb)


def test_a_rejected_file_is_staged_again_only_when_resubmitted(reviewed: tuple[Kb, Path]) -> None:
    kb, folder = reviewed
    doc = doc_id_for(PRICE)
    ingest(kb, folder, PRICE_V2)
    kb.call("POST", f"/v1/documents/{doc}/versions/2/reject", "bob", reason="请先确认价格")
    again = kb.services.ingest.ingest([folder], IngestOptions(submitted_by="alice"))
    assert again.unchanged == [PRICE] and again.pending_review == []  # the manifest saw it
    resubmitted = kb.services.ingest.ingest([folder], IngestOptions(submitted_by="alice", resubmit=True))
    assert resubmitted.pending_review == [PRICE], resubmitted.as_dict()
    pending = kb.call("GET", "/v1/documents/pending", "bob")["versions"]
    assert [(v["number"], v["submitted_by"]) for v in pending] == [(3, "alice")]
    kb.call("POST", f"/v1/documents/{doc}/versions/3/approve", "bob")
    assert "129" in live_text(kb)
    unchanged = kb.services.ingest.ingest([folder], IngestOptions(submitted_by="alice", resubmit=True))
    assert unchanged.unchanged == [PRICE], "a live version is not resubmitted"
