"""A self-contained HTML report for a curator: summary, charts over time, failed questions first, leaks."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

from assistant.evaluation.questions import QuestionResult
from assistant.evaluation.run import EvalRun
from assistant.evaluation.summary import BREAKDOWNS, METRIC_NAMES

CHARTED = (*METRIC_NAMES, "positive_control_rate")
HISTORY = "history.jsonl"
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}"
    "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top;font-size:13px}th{background:#f3f3f3}"
    ".fail{background:#fdecea}.ok{background:#eef8ee}.charts{display:flex;flex-wrap:wrap;gap:12px}"
    "figure{margin:0}figcaption{font-size:12px;text-align:center}"
)


def _history_entry(run: EvalRun) -> dict[str, Any]:
    keep = (*CHARTED, "leaks", "questions", "set", "fast", "embedder", "at", "ragas")
    return {k: run.summary.get(k) for k in keep}


def append_history(runs: list[EvalRun], folder: Path) -> list[dict[str, Any]]:
    """Add this run to history.jsonl and return the whole history, oldest first."""
    path = folder / HISTORY
    with path.open("a", encoding="utf-8") as f:
        for run in runs:
            f.write(json.dumps(_history_entry(run), ensure_ascii=False) + "\n")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def line_chart(title: str, values: list[float | None], width: int = 260, height: int = 110) -> str:
    """An inline SVG line chart of values in [0, 1], one point per run."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    step = (width - 20) / max(1, len(values) - 1)
    xy = [(10 + i * step, 10 + (1 - v) * (height - 20)) for i, v in points]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in xy)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#2a6"/>' for x, y in xy)
    last = f"{points[-1][1]:.3f}" if points else "n/a"
    return (
        f'<figure><svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">'
        f'<rect width="{width}" height="{height}" fill="#fafafa" stroke="#ddd"/>'
        f'<line x1="10" x2="{width - 10}" y1="10" y2="10" stroke="#eee"/>'
        f'<text x="2" y="14" font-size="9" fill="#999">1</text>'
        f'<text x="2" y="{height - 6}" font-size="9" fill="#999">0</text>'
        f'<polyline fill="none" stroke="#2a6" stroke-width="2" points="{path}"/>{dots}</svg>'
        f"<figcaption>{escape(title)}: {last}</figcaption></figure>"
    )


def _charts(history: list[dict[str, Any]], set_name: str) -> str:
    runs = [h for h in history if h.get("set") == set_name and not h.get("fast")] or [
        h for h in history if h.get("set") == set_name
    ]
    charts = [line_chart(name, [h.get(name) for h in runs]) for name in CHARTED]
    return f'<div class="charts">{"".join(charts)}</div><p>{len(runs)} run(s) in {HISTORY}</p>'


def _summary_table(summary: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><th>{escape(k)}</th><td>{escape(json.dumps(summary.get(k), ensure_ascii=False))}</td></tr>"
        for k in (
            *CHARTED,
            "leaks",
            "leak_attempts",
            "questions",
            "answerable",
            "must_refuse",
            "ragas",
            "embedder",
            "kb",
            "at",
        )
    )
    return f"<table>{rows}</table>"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0%}"


def _breakdown_table(title: str, groups: dict[str, dict[str, Any]]) -> str:
    names = ("questions", "answerable", "must_refuse", *METRIC_NAMES)
    head = "".join(f"<th>{escape(n)}</th>" for n in (title, *names))
    rows = "".join(
        f"<tr><td>{escape(group)}</td>"
        + "".join(f"<td>{values.get(n) if values.get(n) is not None else '–'}</td>" for n in names)
        + "</tr>"
        for group, values in groups.items()
    )
    return f"<table><tr>{head}</tr>{rows}</table>"


def _question_row(r: QuestionResult) -> str:
    cells = [
        r.item.id,
        r.item.question,
        f"{r.item.role} {','.join(r.item.groups)}",
        ", ".join(r.item.expected_sources),
        ", ".join(r.ranked[:5]),
        "yes" if r.hit(5) else "no",
        f"found: {', '.join(r.facts_found)}; missing: {', '.join(r.facts_missing)}",
        f"{'refused' if r.refused else 'answered'} (should "
        + (f"refuse: {r.item.refusal_kind})" if r.item.should_refuse else "answer)"),
        ("correct" if r.answer_correct else "wrong")
        + (f"; wrong facts: {', '.join(r.wrong_facts_found)}" if r.wrong_facts_found else ""),
        r.answer[:300] + ("…" if len(r.answer) > 300 else "") + " " + "; ".join(r.citation_problems),
    ]
    cls = "ok" if r.passed else "fail"
    return f'<tr class="{cls}">' + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>"


def _questions_table(results: list[QuestionResult]) -> str:
    head = "".join(
        f"<th>{h}</th>"
        for h in (
            "id",
            "question",
            "role",
            "expected",
            "got (top 5)",
            "hit@5",
            "facts",
            "refused?",
            "answer_correct",
            "answer",
        )
    )
    rows = "".join(_question_row(r) for r in sorted(results, key=lambda r: r.passed))
    return f"<table><tr>{head}</tr>{rows}</table>"


def _leak_section(leaks: dict[str, Any]) -> str:
    if not leaks:
        return "<p>No leak targets for this set.</p>"
    found = leaks.get("leaks", [])
    head = (
        f"<p>{len(found)} leak(s) in {leaks.get('attempts', 0)} attempts by roles that may not read the "
        f"target; positive controls found the target in {_pct(leaks.get('positive_control_rate'))} of probes.</p>"
    )
    rows = "".join(
        "<tr class='fail'>"
        + "".join(
            f"<td>{escape(str(a[k]))}</td>"
            for k in ("target", "role", "groups", "endpoint", "probe", "canaries", "cited_target")
        )
        + "</tr>"
        for a in found
    )
    notes = "".join(f"<li>{escape(m)}</li>" for m in leaks.get("policy_mismatches", []))
    return head + (f"<table>{rows}</table>" if rows else "") + (f"<ul>{notes}</ul>" if notes else "")


def write_report(runs: list[EvalRun], folder: Path) -> Path:
    """Write report.html (and append history.jsonl) in `folder`; returns the report's path."""
    folder.mkdir(parents=True, exist_ok=True)
    history = append_history(runs, folder)
    body = []
    for run in runs:
        failed = len(run.summary.get("failed_questions", []))
        body += [
            f"<h2>{escape(run.set_name)}: {failed} of {len(run.results)} questions need attention</h2>",
            _summary_table(run.summary),
            *(_breakdown_table(name.removeprefix("by_"), run.summary.get(name, {})) for name in BREAKDOWNS),
            "<h3>Over time</h3>",
            _charts(history, run.set_name),
            "<h3>Leaks</h3>",
            _leak_section(run.leaks),
            "<h3>Questions (failed first)</h3>",
            _questions_table(run.results),
        ]
    html = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Evaluation report</title>"
        f"<style>{STYLE}</style></head><body><h1>Evaluation report</h1>{''.join(body)}</body></html>"
    )
    path = folder / "report.html"
    path.write_text(html, encoding="utf-8")
    return path
