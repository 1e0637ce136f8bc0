"""`assistant bench`'s cold ingest runs in a fresh process on an empty data dir of its own."""

from __future__ import annotations

from pathlib import Path

from assistant.bench.ingest import bench_ingest
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
    assert result["ingest_process_s"] > result["ingest_s"] > 0, "the whole child takes longer than its ingest"
    assert "fresh process" in result["ingest_timed"]
    assert not settings.data_dir.exists(), "the configured data dir is never written"
