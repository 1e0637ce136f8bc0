"""Document versions through the CLI and HTTP: history, rollback that answers cite, sync removal."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.api import create_app
from assistant.cli.main import app as cli
from assistant.services import Services, build_services
from ingest.pipeline import doc_id_for
from ingest.report import IngestOptions
from tests.integration.api_kb import kb_settings

PRICE = "pricing/orion-price.md"
PRICE_V1 = "# Orion price\n\nThe Orion standard edition costs 99 dollars per user per month.\n"
PRICE_V2 = "# Orion price\n\nThe Orion standard edition costs 129 dollars per user per month.\n"
SECRET = "cases/secret-case.md"
USERS = {
    "rep": (["rep"], ["east"]),
    "alice": (["curator"], ["east"]),
    "bob": (["curator"], ["east"]),
    "admin": (["admin"], []),
}


class Kb:
    def __init__(self, services: Services, client: TestClient, tokens: dict[str, str]) -> None:
        self.services, self.client, self.tokens = services, client, tokens

    def call(self, method: str, url: str, user: str, status: int = 200, **body: Any) -> Any:
        response = self.client.request(
            method, url, json=body or None, headers={"Authorization": f"Bearer {self.tokens[user]}"}
        )
        assert response.status_code == status, response.text
        return response.json()

    def ask(self, user: str, question: str) -> dict[str, Any]:
        return dict(self.call("POST", "/v1/ask", user, question=question))


def open_kb(data: Path, **settings: Any) -> Iterator[Kb]:
    services = build_services(kb_settings(data, rate_limit_per_minute=10_000, **settings))
    tokens = {name: services.users.add_user(name, r, g)[1] for name, (r, g) in USERS.items()}
    with TestClient(create_app(services.settings, services)) as client:
        yield Kb(services, client, tokens)
    services.close()


@pytest.fixture
def two_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Kb, Path]]:
    """v1 and v2 of the price sheet ingested by the CLI as alice, then the service over them."""
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    monkeypatch.chdir(tmp_path)
    kb = tmp_path / "kb"
    (kb / "pricing").mkdir(parents=True)
    (kb / "cases").mkdir()
    (kb / SECRET).write_text("---\naccess_level: confidential\n---\n# Case\n\nSecret rollout.\n", "utf-8")
    for text in (PRICE_V1, PRICE_V2):
        (kb / PRICE).write_text(text, "utf-8")
        result = CliRunner().invoke(cli, ["ingest", str(kb), "--as", "alice", "--json"])
        assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["updated"] == [PRICE]
    yield from ((k, kb) for k in open_kb(tmp_path / "data"))


def test_a_changed_file_is_a_new_live_version_and_the_old_one_is_kept(two_versions: tuple[Kb, Path]) -> None:
    kb, _ = two_versions
    doc = doc_id_for(PRICE)
    versions = kb.call("GET", f"/v1/documents/{doc}/versions", "rep")["versions"]
    assert [(v["number"], v["state"], v["submitted_by"]) for v in versions] == [
        (2, "live", "alice"),
        (1, "superseded", "alice"),
    ]
    assert "129" in versions[0]["diff_summary"] and versions[0]["chunks"] >= 1
    assert "99 dollars" in kb.call("GET", f"/v1/documents/{doc}/versions/1", "rep")["text"]
    answer = kb.ask("rep", "How much does the Orion standard edition cost per user?")
    cited = [c for c in answer["citations"] if c["doc_id"] == doc]
    assert cited and cited[0]["version"] == 2 and "129" in answer["answer"]


def test_rollback_is_a_new_version_with_the_old_text_and_answers_cite_it(
    two_versions: tuple[Kb, Path],
) -> None:
    kb, _ = two_versions
    doc = doc_id_for(PRICE)
    kb.call("POST", f"/v1/documents/{doc}/rollback", "rep", status=403, version=1)
    rolled = kb.call("POST", f"/v1/documents/{doc}/rollback", "bob", version=1)
    assert (rolled["number"], rolled["action"], rolled["submitted_by"]) == (3, "rollback", "bob")
    v3 = kb.call("GET", f"/v1/documents/{doc}/versions/3", "rep")["text"]
    assert v3 == kb.call("GET", f"/v1/documents/{doc}/versions/1", "rep")["text"]
    answer = kb.ask("rep", "How much does the Orion standard edition cost per user?")
    cited = [c for c in answer["citations"] if c["doc_id"] == doc]
    assert cited and {c["version"] for c in cited} == {3}
    assert "99" in answer["answer"] and "129" not in answer["answer"]
    history = kb.call("GET", f"/v1/documents/{doc}/versions", "rep")["versions"]
    assert [v["number"] for v in history] == [3, 2, 1], "history is never rewritten"
    kb.call("POST", f"/v1/documents/{doc}/rollback", "bob", status=409, version=3)
    kb.call("POST", f"/v1/documents/{doc}/rollback", "bob", status=404, version=42)


def test_sync_removal_is_a_version_that_rollback_restores(two_versions: tuple[Kb, Path]) -> None:
    kb, folder = two_versions
    doc = doc_id_for(PRICE)
    (folder / PRICE).unlink()
    report = kb.services.ingest.ingest([folder], IngestOptions(sync=True, submitted_by="alice"))
    assert report.removed == [PRICE]
    latest = kb.call("GET", f"/v1/documents/{doc}/versions", "rep")["versions"][0]
    assert (latest["number"], latest["state"], latest["action"]) == (3, "removed", "remove")
    assert not [c for c in kb.ask("rep", "Orion standard edition cost")["citations"] if c["doc_id"] == doc]
    kb.call("GET", f"/v1/documents/{doc}", "rep", status=404)
    kb.call("POST", f"/v1/documents/{doc}/rollback", "alice", version=2)
    assert kb.call("GET", f"/v1/documents/{doc}", "rep")["version"] == 4


def test_versions_of_a_document_the_reader_may_not_read_are_404(two_versions: tuple[Kb, Path]) -> None:
    kb, _ = two_versions
    doc = doc_id_for(SECRET)
    kb.call("GET", f"/v1/documents/{doc}/versions", "rep", status=404)
    kb.call("GET", f"/v1/documents/{doc}/versions/1", "rep", status=404)
    assert kb.call("GET", f"/v1/documents/{doc}/versions/1", "alice")["text"].endswith("Secret rollout.")


@pytest.fixture
def access_changed(tmp_path: Path) -> Iterator[Kb]:
    """The price sheet's v1 is confidential ("Floor price 700."), its live v2 internal ("List price 990.")."""
    folder = tmp_path / "kb"
    (folder / "pricing").mkdir(parents=True)
    for kb in open_kb(tmp_path / "data"):
        for front, body in (("access_level: confidential", "Floor price 700."), ("", "List price 990.")):
            (folder / PRICE).write_text(f"---\n{front}\n---\n# Orion\n\n{body}\n", "utf-8")
            assert kb.services.ingest.ingest([folder]).ok
        yield kb


def test_a_reader_sees_only_the_versions_they_may_read(access_changed: Kb) -> None:
    kb, doc = access_changed, doc_id_for(PRICE)
    seen = kb.call("GET", f"/v1/documents/{doc}/versions", "rep")["versions"]
    assert [v["number"] for v in seen] == [2]
    assert "700" not in seen[0]["diff_summary"], "a diff must not show what the reader may not read"
    kb.call("GET", f"/v1/documents/{doc}/versions/1", "rep", status=404)
    assert [v["number"] for v in kb.call("GET", f"/v1/documents/{doc}/versions", "alice")["versions"]] == [
        2,
        1,
    ]
