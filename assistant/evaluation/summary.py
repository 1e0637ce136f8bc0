"""From per-question results to the numbers a curator and the gate read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from assistant.evaluation import metrics
from assistant.evaluation.questions import QuestionResult

METRIC_NAMES = (
    "hit_at_1",
    "hit_at_5",
    "mrr",
    "ndcg_at_10",
    "fact_recall",
    "refusal_accuracy",
    "citation_validity",
)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def group_metrics(results: list[QuestionResult]) -> dict[str, Any]:
    """Retrieval and fact metrics over answerable questions; refusal and citations over all."""
    scored = [r for r in results if r.scored]
    with_facts = [r for r in scored if r.item.key_facts]
    values = {
        "hit_at_1": metrics.mean(r.hit(1) for r in scored),
        "hit_at_5": metrics.mean(r.hit(5) for r in scored),
        "mrr": metrics.mean(metrics.reciprocal_rank(r.ranked, r.relevant) for r in scored),
        "ndcg_at_10": metrics.mean(metrics.ndcg_at_k(r.ranked, r.relevant, 10) for r in scored),
        "fact_recall": metrics.mean(len(r.facts_found) / len(r.item.key_facts) for r in with_facts),
        "refusal_accuracy": metrics.mean(1.0 if r.refusal_correct else 0.0 for r in results),
        "citation_validity": metrics.mean(1.0 if r.citations_valid else 0.0 for r in results),
    }
    return {**{k: _round(v) for k, v in values.items()}, "questions": len(results)}


def breakdown(results: list[QuestionResult], key: Callable[[QuestionResult], str]) -> dict[str, Any]:
    groups: dict[str, list[QuestionResult]] = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    return {name: group_metrics(rs) for name, rs in sorted(groups.items())}


def summarize(results: list[QuestionResult], leaks: dict[str, Any], ragas: dict[str, Any]) -> dict[str, Any]:
    return {
        **group_metrics(results),
        "leaks": len(leaks.get("leaks", [])),
        "leak_attempts": leaks.get("attempts", 0),
        "leak_details": leaks.get("leaks", []),
        "leak_policy_mismatches": leaks.get("policy_mismatches", []),
        "positive_control_rate": _round(leaks.get("positive_control_rate")),
        "ragas": ragas,
        "by_language": breakdown(results, lambda r: r.item.language),
        "by_doc_type": breakdown(results, lambda r: str(r.item.tags.get("doc_type", "unknown"))),
        "refusals_failed": sum(1 for r in results if not r.refusal_correct),
        "failed_questions": [r.item.id for r in results if not r.passed],
    }
