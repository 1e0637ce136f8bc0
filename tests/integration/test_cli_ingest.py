"""`assistant ingest` and `assistant search` as a curator runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.main import app


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    monkeypatch.chdir(tmp_path)  # no stray .env
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "product.md").write_text(
        "---\naccess_level: public\n---\n# 云帆CRM\n\n云帆CRM 支持线索评分。", "utf-8"
    )
    (kb / "floor.md").write_text(
        "---\naccess_level: restricted\ndoc_type: policy\n---\n# 底价\n\n企业版底价 1180 元。", "utf-8"
    )
    return kb


def test_ingest_then_search_as_roles(cli_env: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(cli_env), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert sorted(report["added"]) == ["floor.md", "product.md"]

    rep = runner.invoke(app, ["search", "企业版底价", "--role", "rep", "--json"])
    assert rep.exit_code == 0, rep.output
    assert "floor.md" not in {r["source"] for r in json.loads(rep.stdout)["results"]}
    boss = runner.invoke(app, ["search", "企业版底价", "--role", "executive", "--json"])
    assert json.loads(boss.stdout)["results"][0]["source"] == "floor.md"

    human = runner.invoke(app, ["search", "线索评分", "--role", "rep"])
    assert "product.md" in human.stdout and "云帆CRM" in human.stdout


def test_failed_file_sets_the_exit_code_and_says_why(cli_env: Path) -> None:
    (cli_env / "broken.pptx").write_bytes(b"garbage")
    result = CliRunner().invoke(app, ["ingest", str(cli_env)])
    assert result.exit_code == 2
    assert "added 2" in result.stdout and "failed 1" in result.stdout
    assert "broken.pptx" in result.stderr


def test_unknown_role_is_a_clear_error(cli_env: Path) -> None:
    CliRunner().invoke(app, ["ingest", str(cli_env)])
    result = CliRunner().invoke(app, ["search", "x", "--role", "ceo"])
    assert result.exit_code == 1 and "unknown role 'ceo'" in result.stderr


def test_every_command_has_help() -> None:
    runner = CliRunner()
    for command in (["ingest"], ["search"], ["users", "add"], ["bench"], ["audit"]):
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout, command
