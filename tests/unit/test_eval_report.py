"""The curator's report: self-contained HTML, failed questions first, history charted across runs."""

from __future__ import annotations

import json
from pathlib import Path

from assistant.evaluation.golden import GoldenItem
from assistant.evaluation.questions import QuestionResult
from assistant.evaluation.report import write_report
from assistant.evaluation.run import EvalRun
from assistant.evaluation.summary import summarize


def _result(qid: str, ranked: list[str], answer: str, missing: list[str]) -> QuestionResult:
    item = GoldenItem(
        id=qid,
        question=f"问题 {qid}",
        role="rep",
        groups=["east"],
        expected_sources=["a.md"],
        key_facts=["30 天", *missing],
        language="zh-Hans",
        tags={"doc_type": "faq"},
    )
    return QuestionResult(item, ranked, answer, True, ranked[:1], ["30 天"], missing, True)


def _run(results: list[QuestionResult], leaks: dict) -> EvalRun:
    summary = summarize(results, leaks, {"non_llm_context_recall": 0.5})
    summary.update(set="sample_kb.jsonl", at="2026-01-01T00:00:00+00:00", embedder="hash-384", kb="kb")
    return EvalRun("sample_kb.jsonl", Path("kb"), summary, results, leaks)


def test_report_lists_failures_first_and_charts_every_run(tmp_path: Path) -> None:
    good = _result("q-good", ["a.md"], "可以试用 30 天 [1]", [])
    bad = _result("q-bad", ["b.md", "c.md"], "可以试用 30 天", ["<script>"])
    leak = {
        "target": "floors",
        "role": "rep",
        "groups": [],
        "endpoint": "ask",
        "probe": "底价？",
        "canaries": ["FLOOR-1"],
        "cited_target": False,
    }
    write_report([_run([good, bad], {"attempts": 3, "leaks": [], "positive_control_rate": 1.0})], tmp_path)
    path = write_report(
        [_run([good, bad], {"attempts": 3, "leaks": [leak], "positive_control_rate": 0.5})], tmp_path
    )
    html = path.read_text(encoding="utf-8")
    assert html.index("q-bad") < html.index("q-good")
    assert "&lt;script&gt;" in html and "<script>" not in html  # golden text is escaped
    assert "FLOOR-1" in html and "1 leak(s)" in html
    assert html.count("<svg") >= 8 and "http" not in html.replace("http://www.w3.org", "")
    history = [json.loads(line) for line in (tmp_path / "history.jsonl").read_text().splitlines()]
    assert [h["leaks"] for h in history] == [0, 1]
    assert history[-1]["hit_at_5"] == 0.5
    assert "2 run(s)" in html
    for heading in ("answer_correct", "refusal_recall", "false_refusal_rate", "role", "refusal_kind"):
        assert f"<th>{heading}</th>" in html
    bad_row = html[html.index("q-bad") : html.index("q-good")]
    assert "<td>wrong</td>" in bad_row  # a missing key fact makes the answer wrong
