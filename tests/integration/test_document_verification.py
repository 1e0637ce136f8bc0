"""Owners verify their documents; an overdue one is flagged in answers and ranks below verified ones."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.access import Principal
from ingest.pipeline import doc_id_for
from tests.integration.test_document_versions import Kb, open_kb

QUESTION = "How long is the Orion onboarding for a retail chain?"
BODY = "# Orion onboarding\n\nThe Orion onboarding for a retail chain takes six weeks with two {}.\n"
DOCS = {
    "products/onboarding-a.md": "---\nowner: rep\nverify_every: 30\n---\n" + BODY.format("trainers"),
    "products/onboarding-b.md": "---\nowner: alice\n---\n" + BODY.format("coaches"),
}
OVERDUE = "products/onboarding-a.md"


@pytest.fixture
def kb(tmp_path: Path) -> Iterator[Kb]:
    folder = tmp_path / "kb"
    for name, text in DOCS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, "utf-8")
    for kb in open_kb(tmp_path / "data"):
        assert kb.services.ingest.ingest([folder]).ok
        # Verified 31 days ago, with a 30-day interval: overdue.
        kb.services.index.update_document(doc_id_for(OVERDUE), {"verified_at": "2000-01-01"})
        yield kb


def test_overdue_document_is_flagged_and_ranks_below_a_verified_twin(kb: Kb) -> None:
    chunks = kb.services.search.search(QUESTION, Principal.of("r", ["rep"], ["east"]), 5)
    assert [c.source for c in chunks[:2]] == ["products/onboarding-b.md", OVERDUE]
    assert chunks[1].unverified and not chunks[0].unverified
    answer = kb.ask("rep", "Which Orion onboarding takes six weeks for a retail chain? onboarding-a")
    flagged = [c for c in answer["citations"] if c["unverified"]]
    assert flagged, answer
    for citation in flagged:
        assert citation["doc_id"] == doc_id_for(OVERDUE) and citation["verified_at"] == "2000-01-01"
        assert any(f"[{citation['n']}]" in w and "verified" in w for w in answer["warnings"])
    view = kb.call("GET", f"/v1/documents/{doc_id_for(OVERDUE)}", "rep")
    assert view["unverified"] is True and view["metadata"]["owner"] == "rep"


def test_the_owner_or_a_curator_verifies(kb: Kb) -> None:
    overdue = doc_id_for(OVERDUE)
    kb.call("POST", f"/v1/documents/{doc_id_for('products/onboarding-b.md')}/verify", "rep", status=403)
    done = kb.call("POST", f"/v1/documents/{overdue}/verify", "rep")  # rep owns it
    assert done["verified_by"] == "rep" and done["verified_at"] > "2000-01-01"
    assert kb.call("GET", f"/v1/documents/{overdue}", "rep")["unverified"] is False
    chunks = kb.services.search.search(QUESTION, Principal.of("r", ["rep"], ["east"]), 5)
    assert not any(c.unverified for c in chunks)
    assert kb.call("POST", f"/v1/documents/{overdue}/verify", "bob")["verified_by"] == "bob"
    kb.call("POST", "/v1/documents/nope/verify", "bob", status=404)


def test_default_interval_comes_from_the_doc_type(kb: Kb) -> None:
    view = kb.call("GET", f"/v1/documents/{doc_id_for('products/onboarding-b.md')}", "rep")
    assert view["metadata"]["verify_every"] == 180 and view["unverified"] is False
