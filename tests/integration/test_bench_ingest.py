"""`assistant bench`'s cold ingest runs in a fresh process on an empty data dir of its own."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.bench.ingest import bench_ingest
from assistant.cli.main import app
from assistant.config import Settings


def test_cold_ingest_is_measured_in_a_child_and_leaves_the_data_dir_alone(
    settings: Settings, tmp_path: Path
) -> None:
    kb = tmp_path / "kb"  # a CSV: no unstructured to import, the test stays quick
    kb.mkdir()
    (kb / "faq.csv").write_text(
        "问题,回答\n能私有化部署吗,可以，需要三台服务器\n能试用吗,可以试用 30 天\n", "utf-8"
    )
    result = bench_ingest(settings, kb)
    assert result["ingest_chunks"] == 2 and result["ingest_failed"] == 0
    assert result["ingest_chunks_per_s"] > 0 and result["ingest_chunks_per_cpu_s"] > 0
    assert result["ingest_warm_chunks_per_s"] > 0, "the warm figure is its own field"
    assert result["ingest_process_s"] > result["ingest_s"] > 0, "the whole child takes longer than its ingest"
    assert "fresh process" in result["ingest_timed"]
    assert not settings.data_dir.exists(), "the configured data dir is never written"


def test_bench_only_ingest_runs_that_part_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    monkeypatch.chdir(tmp_path)  # no stray .env
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "faq.csv").write_text("问题,回答\n能试用吗,可以试用 30 天\n", "utf-8")
    runner = CliRunner()
    done = runner.invoke(app, ["bench", "--only", "ingest", "--sample", str(kb), "--json"])
    assert done.exit_code == 0, done.output
    result = json.loads(done.stdout[done.stdout.index("{") :])
    assert result["bench_parts"] == ["ingest"] and result["ingest_chunks"] == 1
    assert "search_p95_ms" not in result and "embed_chunks_per_s" not in result
    wrong = runner.invoke(app, ["bench", "--only", "ingest,nothing"])
    assert wrong.exit_code != 0 and "unknown part" in wrong.output
