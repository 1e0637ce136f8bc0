"""The evaluation's metric functions on hand-made rankings, against values worked out by hand."""

from __future__ import annotations

import math

import pytest

from assistant.evaluation import metrics
from assistant.evaluation.gate import gate_failures


def test_rank_sources_keeps_each_document_at_its_best_rank() -> None:
    chunks = ["a.md", "a.md", "b.pdf", "", "a.md", "c.docx", "b.pdf"]
    assert metrics.rank_sources(chunks) == ["a.md", "b.pdf", "c.docx"]


@pytest.mark.parametrize(
    ("ranked", "k", "expected"),
    [(["x", "y", "rel"], 1, 0.0), (["x", "y", "rel"], 3, 1.0), (["rel"], 1, 1.0), ([], 5, 0.0)],
)
def test_hit_at_k(ranked: list[str], k: int, expected: float) -> None:
    assert metrics.hit_at_k(ranked, {"rel"}, k) == expected


def test_reciprocal_rank_uses_the_first_relevant_document() -> None:
    assert metrics.reciprocal_rank(["x", "rel2", "rel"], {"rel", "rel2"}) == 0.5
    assert metrics.reciprocal_rank(["x", "y"], {"rel"}) == 0.0


def test_ndcg_perfect_partial_and_missing() -> None:
    assert metrics.ndcg_at_k(["a", "b", "x"], {"a", "b"}) == pytest.approx(1.0)
    # One of two relevant documents, at rank 2: (1/log2 3) / (1 + 1/log2 3).
    expected = (1 / math.log2(3)) / (1 + 1 / math.log2(3))
    assert metrics.ndcg_at_k(["x", "a"], {"a", "b"}) == pytest.approx(expected)
    assert metrics.ndcg_at_k(["x", "y"], {"a"}) == 0.0
    # Relevant at rank 11 is outside nDCG@10.
    assert metrics.ndcg_at_k([f"x{i}" for i in range(10)] + ["a"], {"a"}, 10) == 0.0


def test_fact_recall_matches_traditional_answers_and_case() -> None:
    answer = "雲帆客服專業版每席位每年 ¥2,400，支持 SLA 99.9%，最少 20個坐席"
    found, missing = metrics.facts_found(answer, ["云帆客服专业版", "sla 99.9%", "20 个坐席", "智能质检"])
    assert found == ["云帆客服专业版", "sla 99.9%", "20 个坐席"]
    assert missing == ["智能质检"]


def test_fact_recall_ignores_thousands_separators_and_full_width_forms() -> None:
    found, missing = metrics.facts_found(
        "标准价（元/年）: 2400，另有 ＶＩＰ 版 ￥12,000", ["2,400", "vip", "¥12000", "1,980"]
    )
    assert found == ["2,400", "vip", "¥12000"]
    assert missing == ["1,980"]
    assert metrics.normalize("1,2345") == "1,2345"  # not a thousands group: left alone
    assert metrics.normalize("+852 9123 4567") == metrics.normalize("+85291234567")


def test_cited_markers_in_order_of_first_use() -> None:
    assert metrics.cited_markers("价格 [2]，试用 [1][2]，见 [10]") == [2, 1, 10]


def test_gate_names_each_failing_metric_and_any_leak() -> None:
    limits = {"min": {"hit_at_5": 0.9, "mrr": 0.5, "fact_recall": 0.5}, "max": {"leaks": 0}}
    summary = {"hit_at_5": 0.85, "mrr": 0.7, "fact_recall": None, "leaks": 2}
    failures = gate_failures(summary, limits)
    assert len(failures) == 3
    assert any(f.startswith("hit_at_5 = 0.85") for f in failures)
    assert any(f.startswith("fact_recall = None") for f in failures)
    assert any(f.startswith("leaks = 2") for f in failures)
    assert gate_failures({"hit_at_5": 0.95, "mrr": 0.5, "fact_recall": 0.6, "leaks": 0}, limits) == []
