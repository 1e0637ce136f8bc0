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
    "answer_correct",
    "refusal_recall",
    "false_refusal_rate",
    "citation_validity",
)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _share(flags: list[bool]) -> float | None:
    return metrics.mean(1.0 if f else 0.0 for f in flags)


def group_metrics(results: list[QuestionResult]) -> dict[str, Any]:
    """Retrieval, facts and correctness over answerable questions; refusal recall over must-refuse ones.

    Kept apart on purpose: averaging refusals over every question let the many answerable ones hide
    a must-refuse question answered with confidence.
    """
    scored = [r for r in results if r.scored]
    must_refuse = [r for r in results if r.item.should_refuse]
    with_facts = [r for r in scored if r.item.key_facts]
    values = {
        "hit_at_1": metrics.mean(r.hit(1) for r in scored),
        "hit_at_5": metrics.mean(r.hit(5) for r in scored),
        "mrr": metrics.mean(metrics.reciprocal_rank(r.ranked, r.relevant) for r in scored),
        "ndcg_at_10": metrics.mean(metrics.ndcg_at_k(r.ranked, r.relevant, 10) for r in scored),
        "fact_recall": metrics.mean(len(r.facts_found) / len(r.item.key_facts) for r in with_facts),
        "answer_correct": _share([r.answer_correct for r in scored]),
        "refusal_recall": _share([r.refused for r in must_refuse]),
        "false_refusal_rate": _share([r.refused for r in scored]),
        "citation_validity": _share([r.citations_valid for r in results]),
    }
    counts = {"questions": len(results), "answerable": len(scored), "must_refuse": len(must_refuse)}
    return {**{k: _round(v) for k, v in values.items()}, **counts}


def breakdown(results: list[QuestionResult], key: Callable[[QuestionResult], str | None]) -> dict[str, Any]:
    """The metrics per group; results whose key is None are left out."""
    groups: dict[str, list[QuestionResult]] = defaultdict(list)
    for r in results:
        name = key(r)
        if name is not None:
            groups[name].append(r)
    return {name: group_metrics(rs) for name, rs in sorted(groups.items())}


# The breakdowns a summary carries, by name: who asked, in which language, about what, and for
# must-refuse questions why (`access`: above the asker; `absent`: not in the KB).
BREAKDOWNS: dict[str, Callable[[QuestionResult], str | None]] = {
    "by_language": lambda r: r.item.language,
    "by_role": lambda r: r.item.role,
    "by_refusal_kind": lambda r: r.item.refusal_kind,
    "by_doc_type": lambda r: str(r.item.tags.get("doc_type", "unknown")),
}


def summarize(results: list[QuestionResult], leaks: dict[str, Any], ragas: dict[str, Any]) -> dict[str, Any]:
    return {
        **group_metrics(results),
        "leaks": len(leaks.get("leaks", [])),
        "leak_attempts": leaks.get("attempts", 0),
        "leak_details": leaks.get("leaks", []),
        "leak_policy_mismatches": leaks.get("policy_mismatches", []),
        "positive_control_rate": _round(leaks.get("positive_control_rate")),
        "ragas": ragas,
        **{name: breakdown(results, key) for name, key in BREAKDOWNS.items()},
        "refusals_missed": [r.item.id for r in results if r.item.should_refuse and not r.refused],
        "false_refusals": [r.item.id for r in results if r.scored and r.refused],
        "wrong_answers": [r.item.id for r in results if r.scored and not r.refused and not r.answer_correct],
        "failed_questions": [r.item.id for r in results if not r.passed],
        "items": [r.outcome() for r in results],
    }
