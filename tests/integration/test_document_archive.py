"""Archiving through HTTP: stale documents are queued, archived a week later, reported and restored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.access import Principal
from ingest.archive import Archiver
from ingest.pipeline import doc_id_for
from tests.integration.test_document_versions import Kb, open_kb

STALE, CITED, CHECKED = "products/old-promo.md", "products/old-faq.md", "products/old-sheet.md"
DOCS = {
    STALE: "# Old promo\n\nThe Zephyr promo gives ten percent off.\n",
    CITED: "# Old FAQ\n\nZephyr installs in one day.\n",
    CHECKED: "# Old sheet\n\nZephyr supports single sign-on.\n",
    "products/fresh.md": "# Fresh\n\nZephyr has a mobile app.\n",
}
REP = Principal.of("r", ["rep"], ["east"])


@pytest.fixture
def kb(tmp_path: Path) -> Iterator[Kb]:
    for name, text in DOCS.items():
        owner = "---\nowner: rep\nverify_every: 30\n---\n"
        (tmp_path / "kb" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "kb" / name).write_text(owner + text, "utf-8")
    for kb in open_kb(tmp_path / "data"):
        assert kb.services.ingest.ingest([tmp_path / "kb"]).ok
        for name in (STALE, CITED, CHECKED):  # unverified for years
            kb.services.index.update_document(doc_id_for(name), {"verified_at": "2020-01-01"})
        kb.services.answers.save("a1", "rep", "install?", "One day.", [doc_id_for(CITED)])
        yield kb


def found(kb: Kb) -> set[str]:
    return {c.source for c in kb.services.search.search("Zephyr", REP, 10)}


def week_later(kb: Kb) -> Archiver:
    later = dt.date.today() + dt.timedelta(days=7)
    return Archiver(kb.services.lifecycle, kb.services.index, kb.services.answers, today=lambda: later)


def test_stale_documents_are_archived_a_week_after_queueing_and_restored(kb: Kb) -> None:
    first = kb.call("POST", "/v1/documents/lifecycle/run", "admin")
    assert sorted(first["queued"]) == [STALE, CHECKED] and first["archived"] == []
    assert STALE in found(kb), "queued is still live"
    kb.call("POST", f"/v1/documents/{doc_id_for(CHECKED)}/verify", "rep")  # the owner steps in
    assert week_later(kb).run().archived == [STALE]
    assert found(kb) == {CITED, CHECKED, "products/fresh.md"}
    doc = doc_id_for(STALE)
    history = kb.call("GET", f"/v1/documents/{doc}/versions", "alice")["versions"]
    assert [(v["number"], v["state"], v["action"]) for v in history][0] == (2, "archived", "archive")
    assert "ten percent" in kb.call("GET", f"/v1/documents/{doc}/versions/1", "alice")["text"]

    today = dt.date.today()
    quarter = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    report = kb.call("GET", f"/v1/documents/archive/report?quarter={quarter}", "alice")["archived"]
    assert [(r["source"], r["state_now"]) for r in report] == [(STALE, "archived")]
    csv = kb.client.get(
        f"/v1/documents/archive/report?quarter={quarter}&format=csv",
        headers={"Authorization": f"Bearer {kb.tokens['alice']}"},
    )
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "doc_id,source,title,version,archived_at,archived_by,state_now"
    assert STALE in csv.text
    kb.call("GET", "/v1/documents/archive/report?quarter=2026Q9", "alice", status=422)
    kb.call("GET", f"/v1/documents/archive/report?quarter={quarter}", "rep", status=403)

    kb.call("POST", f"/v1/documents/{doc}/restore", "rep", status=403)
    restored = kb.call("POST", f"/v1/documents/{doc}/restore", "alice")
    assert (restored["number"], restored["action"], restored["state"]) == (3, "restore", "live")
    assert STALE in found(kb)
    kb.call("POST", f"/v1/documents/{doc}/restore", "alice", status=409)
