"""`assistant eval`: golden sets through the real services; metrics, leak probes, report, gate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.access import AccessPolicy
from assistant.cli.context import ServiceRunning, load_settings, open_services
from assistant.cli.database import fail
from assistant.config import Settings
from assistant.db import AnswerStore, FeedbackStore, UserDirectory, build_engine
from assistant.db.curated import APPROVED, CuratedStore
from assistant.embedding import build_embedder
from assistant.evaluation.curated import (
    CURATED_SET,
    check_items,
    curated_items,
    gate_lines,
    write_curated_set,
)
from assistant.evaluation.feedback_export import draft_items
from assistant.evaluation.gate import gate_failures, thresholds_for
from assistant.evaluation.golden import GOLDEN_DIR, KNOWN_SETS, KnownSet, known_set
from assistant.evaluation.report import write_report
from assistant.evaluation.run import EvalRun, evaluate_set
from assistant.evaluation.summary import METRIC_NAMES
from ingest.manifest import build_manifest

DEFAULT_SET = GOLDEN_DIR / "sample_kb.jsonl"

eval_app = typer.Typer(help="Evaluate answers and retrieval against golden sets.", no_args_is_help=False)


def _log(message: str) -> None:
    typer.echo(message, err=True)


def _sets(set_files: list[Path] | None, run_all: bool, kb: Path | None) -> list[tuple[Path, KnownSet]]:
    paths = [GOLDEN_DIR / name for name in KNOWN_SETS] if run_all else (set_files or [DEFAULT_SET])
    chosen = []
    for path in paths:
        if not path.exists():
            fail(f"no golden set at {path}")
        known = known_set(path)
        if kb is not None:
            known = KnownSet(kb, known.overrides if known else {}, known.leak_targets if known else None)
        if known is None:
            fail(f"which knowledge base does {path.name} test? pass --kb DIR")
        if not known.kb.is_dir():
            fail(f"knowledge base folder {known.kb} does not exist")
        chosen.append((path, known))
    return chosen


def _print_summary(run: EvalRun) -> None:
    s = run.summary
    typer.secho(f"{run.set_name} ({s['questions']} questions, {s['embedder']})", bold=True)
    for name in (*METRIC_NAMES, "positive_control_rate", "leaks"):
        typer.echo(f"  {name:22} {s.get(name)}")
    typer.echo(f"  {'ragas':22} {json.dumps(s['ragas'])}")
    for kind, values in s["by_refusal_kind"].items():
        typer.echo(f"  {'refusal_recall/' + kind:22} {values['refusal_recall']} of {values['must_refuse']}")
    for r in run.results:
        if not r.passed:
            typer.echo(
                f"  FAIL {r.item.id} [{r.item.role}] {r.item.question[:50]} -> got {r.ranked[:3]} "
                f"missing {r.facts_missing} wrong {r.wrong_facts_found} refused={r.refused} "
                f"{r.citation_problems}"
            )


def _gate(runs: list[EvalRun]) -> list[str]:
    failures = []
    for run in runs:
        failures += [f"{run.set_name}: {f}" for f in gate_failures(run.summary, thresholds_for(run.set_name))]
    return failures


def run_eval(
    ctx: typer.Context,
    set_file: Annotated[
        list[Path] | None, typer.Option("--set", help="Golden set JSONL (repeatable)")
    ] = None,
    run_all: Annotated[bool, typer.Option("--all", help="Every golden set in eval/golden")] = False,
    kb: Annotated[Path | None, typer.Option(help="Knowledge base folder (default: the set's own)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as one JSON object")] = False,
    report: Annotated[Path | None, typer.Option(help="Write report.html and history.jsonl here")] = None,
    fast: Annotated[
        bool,
        typer.Option(
            help="~25 answerable questions spread over the set + every must-refuse one + every leak probe"
        ),
    ] = False,
    gate: Annotated[bool, typer.Option(help="Exit 1 if a metric is below eval/thresholds.yaml")] = False,
) -> None:
    """Run golden sets through ask/search/talk tracks/follow-ups on a freshly ingested KB and score them."""
    if ctx.invoked_subcommand is not None:
        return
    settings = load_settings()
    chosen = _sets(set_file, run_all, kb)
    embedder = build_embedder(settings)
    runs = [evaluate_set(settings, path, known, embedder, fast, _log) for path, known in chosen]
    if report is not None:
        typer.echo(f"report: {write_report(runs, report)}", err=True)
    failures = _gate(runs) + (_curated_gate(settings) if gate else [])
    if as_json:
        out: dict[str, Any] = runs[0].summary if len(runs) == 1 else {"sets": [r.summary for r in runs]}
        typer.echo(json.dumps({**out, "gate_failures": failures}, ensure_ascii=False, indent=2))
    else:
        for run in runs:
            _print_summary(run)
    if gate and failures:
        for line in failures:
            typer.secho(f"GATE: {line}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


def _has_curated(settings: Settings) -> bool:
    engine = build_engine(settings.resolved_database_url)
    try:
        return bool(CuratedStore(engine).list(APPROVED))
    finally:
        engine.dispose()


def _curated_gate(settings: Settings, export: Path | None = None) -> list[str]:
    """Every approved curated answer, asked again on the configured index, must come back curated."""
    if not _has_curated(settings):
        _log("curated: no approved curated answers to check")
        return []
    try:
        with open_services(settings) as services:
            items = curated_items(services)
            if export is not None:
                _log(f"wrote {len(items)} curated golden item(s) to {write_curated_set(items, export)}")
            checks = check_items(services, items)
    except ServiceRunning:
        return ["curated: not checked, a running service holds the index; stop it and run again"]
    _log(f"curated: {sum(c.passed for c in checks)}/{len(checks)} answered from their curated answer")
    return gate_lines(checks)


def eval_curated(
    gate: Annotated[
        bool, typer.Option(help="Exit 1 if an approved curated answer is not given back")
    ] = False,
    export: Annotated[Path, typer.Option(help="Write the golden items here")] = CURATED_SET,
) -> None:
    """Approved curated answers as golden items (exported to eval/golden/curated.jsonl), checked on the index."""
    failures = _curated_gate(load_settings(), export)
    for line in failures:
        typer.secho(f"GATE: {line}" if gate else line, fg=typer.colors.RED, err=True)
    if gate and failures:
        raise typer.Exit(1)


def export_feedback(
    out: Annotated[Path | None, typer.Option(help="Write JSONL here (default: stdout)")] = None,
) -> None:
    """Export 👎 answers as draft golden items (review them, add key_facts, append to a set)."""
    settings = load_settings()
    engine = build_engine(settings.resolved_database_url)
    # The same manifest build_services opens; read-only use, so a running service is no obstacle.
    manifest = build_manifest(settings, engine)
    try:
        users = UserDirectory(engine, AccessPolicy.load(settings.policy_file))

        def source_of(doc_id: str) -> str | None:
            entry = manifest.get(doc_id)
            return entry.source if entry else None

        items = draft_items(FeedbackStore(engine), AnswerStore(engine), users, source_of)
    finally:
        manifest.close()
        engine.dispose()
    lines = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
    if out is None:
        typer.echo(lines, nl=False)
    else:
        out.write_text(lines, encoding="utf-8")
        typer.echo(f"wrote {len(items)} draft item(s) to {out}", err=True)


def register(app: typer.Typer) -> None:
    eval_app.callback(invoke_without_command=True)(run_eval)
    eval_app.command("export-feedback")(export_feedback)
    eval_app.command("curated")(eval_curated)
    app.add_typer(eval_app, name="eval")
