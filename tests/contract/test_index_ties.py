"""Chunks the engine scores equally rank in the same order however the index happens to store them:
two builds of one knowledge base give the same answers (they did not: eval/README.md, run-to-run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import AccessPolicy
from assistant.index import VectorIndex
from tests.contract.conftest import ADMIN, EMBEDDER, ENCODER, backend_names, open_backend, put

# Rows with the same words and length: equal BM25 and dense scores for any question.
ROW = "版本: 专业版 标准价: 每坐席每年 2,400"
QUESTION = "专业版每坐席多少钱"
DOCS = ["price-sheet", "datasheet", "hk-sheet"]


def _built(name: str, path: Path, policy: AccessPolicy, order: list[str]) -> list[str]:
    index: VectorIndex = open_backend(name, path, policy)
    try:
        index.ensure_model(EMBEDDER.model_id, EMBEDDER.dim)
        for doc_id in order:
            put(index, doc_id, [ROW])
        hits = index.search(ADMIN, EMBEDDER.embed_query(QUESTION), ENCODER.query(QUESTION), 5)
        return [str(h.payload["doc_id"]) for h in hits]
    finally:
        if name == "server":
            index.client.delete_collection(index.collection)  # type: ignore[attr-defined]
        index.close()


@pytest.mark.parametrize("name", backend_names())
def test_equal_scores_rank_the_same_whichever_was_written_first(
    name: str, tmp_path: Path, policy: AccessPolicy
) -> None:
    forward = _built(name, tmp_path / "a", policy, DOCS)
    backward = _built(name, tmp_path / "b", policy, DOCS[::-1])
    assert sorted(forward) == sorted(DOCS)
    assert forward == backward
