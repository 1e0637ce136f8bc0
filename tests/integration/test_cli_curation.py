"""`assistant review ...` and `assistant curated ...` on a real database and index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.access import Principal
from assistant.answer.models import AskRequest
from assistant.cli.main import app as cli
from assistant.services import build_services
from tests.integration.api_kb import PUBLIC_SOURCE, doc_id, kb_settings, write_kb

QUESTION = "公司年会在哪里举办？"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    services = build_services(kb_settings(tmp_path / "data"))
    assert services.ingest.ingest([write_kb(tmp_path / "kb")]).ok
    for name, roles in {"author": ["curator"], "reviewer": ["curator"], "rep": ["rep"]}.items():
        services.users.add_user(name, roles, ["east"])
    services.assistant.ask(AskRequest(question=QUESTION), Principal.of("rep", ["rep"], ["east"]))
    services.close()
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    return tmp_path / "data"


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_a_curator_works_the_queue_from_the_shell(data_dir: Path) -> None:
    [item] = json.loads(run("review", "list", "--as", "author", "--json"))
    assert item["question"] == QUESTION and item["kinds"] == ["not_found"]
    assert "rep (rep, api)" in run("review", "show", str(item["id"]), "--as", "author")
    assert "-> reviewer" in run("review", "assign", str(item["id"]), "--as", "author", "--to", "reviewer")
    added = run(
        "curated",
        "add",
        "--as",
        "author",
        "--question",
        QUESTION,
        "--answer",
        "年会在上海总部举办。",
        "--access-level",
        "internal",
        "--cite",
        doc_id(PUBLIC_SOURCE),
        "--item",
        str(item["id"]),
    )
    assert "[pending_review]" in added
    assert "another curator" in run("curated", "approve", "1", "--as", "author", code=1)
    assert "[approved by reviewer]" in run("curated", "approve", "1", "--as", "reviewer")
    assert "resolution: curated_answer 1" in run("review", "show", str(item["id"]), "--as", "reviewer")
    run(
        "curated",
        "add",
        "--as",
        "reviewer",
        "--question",
        "年会几点开始？",
        "--answer",
        "晚上七点。",
        "--access-level",
        "internal",
    )
    assert "(时间未定)" in run("curated", "reject", "2", "--as", "author", "--reason", "时间未定")
    listed = json.loads(run("curated", "list", "--as", "author", "--json"))
    assert [(c["id"], c["state"]) for c in listed] == [(2, "rejected"), (1, "approved")]
    assert "curator or admin" in run("review", "list", "--as", "rep", code=1)
    assert "no enabled user" in run("review", "list", "--as", "ghost", code=1)
    run("review", "resolve", str(item["id"]), "--as", "author", "--gap", code=1)  # already resolved
    assert "[retired] (retired by author)" in run("curated", "retire", "1", "--as", "author")
    assert "not approved" in run("curated", "retire", "1", "--as", "author", code=1)
