"""Refusal recall, false refusals and answer correctness, on hand-made results worked out by hand.

Refusals are scored apart from answers, so the many answerable questions cannot hide a must-refuse
question answered with confidence.
"""

from __future__ import annotations

import pytest

from assistant.evaluation import metrics
from assistant.evaluation.gate import gate_failures
from assistant.evaluation.golden import GoldenItem
from assistant.evaluation.questions import QuestionResult
from assistant.evaluation.run import FAST_ANSWERABLE, fast_subset
from assistant.evaluation.summary import group_metrics, summarize


def _answerable(qid: str, facts: list[str], wrong: list[str], role: str = "rep") -> GoldenItem:
    return GoldenItem(
        id=qid, question=f"问 {qid}", role=role, expected_sources=["a.md"], key_facts=facts, wrong_facts=wrong
    )


def _refusal(qid: str, kind: str, language: str = "zh-Hans") -> GoldenItem:
    hidden = "secret.docx" if kind == "access" else None
    return GoldenItem.model_validate(
        {
            "id": qid,
            "question": "问",
            "role": "rep",
            "should_refuse": True,
            "refusal_kind": kind,
            "hidden_source": hidden,
            "language": language,
        }
    )


def _result(item: GoldenItem, answer: str, grounded: bool = True) -> QuestionResult:
    found, missing = metrics.facts_found(answer, item.key_facts)
    wrong, _ = metrics.facts_found(answer, item.wrong_facts)
    return QuestionResult(item, ["a.md"], answer, grounded, [], found, missing, True, wrong_facts_found=wrong)


def test_an_answer_with_the_neighbouring_tier_is_wrong_even_with_every_key_fact() -> None:
    item = _answerable("tier", ["陈思远"], ["区域经理审批"])
    assert _result(item, "超过 20% 不超过 30%：销售副总裁陈思远审批 [1]").answer_correct
    both = _result(item, "区域经理审批；销售副总裁陈思远审批 [1]")
    assert both.facts_missing == [] and both.wrong_facts_found == ["区域经理审批"]
    assert not both.answer_correct and not both.passed
    assert not _result(item, "没有找到相关内容", grounded=False).answer_correct


def test_refusal_recall_and_false_refusals_are_counted_apart() -> None:
    results = [
        *(_result(_answerable(f"a{i}", ["30 天"], []), "试用 30 天 [1]") for i in range(8)),
        _result(_answerable("a8", ["30 天"], []), "没有找到", grounded=False),  # a false refusal
        _result(_answerable("a9", ["1,980"], ["1,680"]), "标准版 ¥1,680 [1]"),  # answered, wrong
        _result(_refusal("r-access", "access"), "没有找到", grounded=False),
        _result(_refusal("r-absent-1", "absent"), "华为报价 ¥1,980 [1]"),  # answered: a miss
        _result(_refusal("r-absent-2", "absent", "en"), "Not found", grounded=False),
    ]
    values = group_metrics(results)
    assert (values["answerable"], values["must_refuse"]) == (10, 3)
    assert values["refusal_recall"] == pytest.approx(2 / 3, abs=1e-4)
    assert values["false_refusal_rate"] == 0.1
    assert values["answer_correct"] == 0.8
    summary = summarize(results, {}, {})
    kinds = summary["by_refusal_kind"]
    assert set(kinds) == {"access", "absent"}
    assert kinds["access"]["refusal_recall"] == 1.0 and kinds["absent"]["refusal_recall"] == 0.5
    assert kinds["absent"]["false_refusal_rate"] is None  # no answerable question in that group
    assert summary["by_language"]["en"]["refusal_recall"] == 1.0
    assert summary["refusals_missed"] == ["r-absent-1"]
    assert summary["false_refusals"] == ["a8"] and summary["wrong_answers"] == ["a9"]
    assert next(i for i in summary["items"] if i["id"] == "a9")["wrong_facts_found"] == ["1,680"]


def test_the_gate_bounds_false_refusals_from_above() -> None:
    limits = {"min": {"refusal_recall": 0.9, "answer_correct": 0.85}, "max": {"false_refusal_rate": 0.1}}
    summary = {"refusal_recall": 0.17, "answer_correct": 0.9, "false_refusal_rate": 0.25}
    failures = gate_failures(summary, limits)
    assert [f.split(" = ")[0] for f in failures] == ["refusal_recall", "false_refusal_rate"]


def test_a_must_refuse_question_needs_its_kind_and_access_needs_the_hidden_document() -> None:
    base = {"id": "x", "question": "问", "role": "rep", "should_refuse": True}
    with pytest.raises(ValueError, match="refusal_kind"):
        GoldenItem.model_validate(base)
    with pytest.raises(ValueError, match="hidden_source"):
        GoldenItem.model_validate({**base, "refusal_kind": "access"})
    with pytest.raises(ValueError, match="refusal_kind"):
        GoldenItem.model_validate({"id": "y", "question": "问", "role": "rep", "refusal_kind": "absent"})
    with pytest.raises(ValueError, match="extra"):
        GoldenItem.model_validate({**base, "refusal_kind": "absent", "key_fact": ["typo"]})


def test_the_fast_subset_spreads_over_the_set_and_holds_every_must_refuse_question() -> None:
    items = [_answerable(f"a{i:02}", ["x"], []) for i in range(60)]
    items.insert(3, _refusal("s0", "access"))
    items += [_refusal(f"b{i}", "absent") for i in range(3)]
    chosen = fast_subset(items)
    answerable = [i.id for i in chosen if not i.should_refuse]
    assert answerable == [f"a{i:02}" for i in range(0, 60, 3)]  # 20 of 60, the last ones included
    assert len(answerable) <= FAST_ANSWERABLE
    assert [i.id for i in chosen if i.should_refuse] == ["s0", "b0", "b1", "b2"]
    assert [i.id for i in chosen][:3] == ["a00", "s0", "a03"]  # file order kept
