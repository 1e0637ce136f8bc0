"""One evaluation run: a golden set over its knowledge base, every question and leak probe, summarised."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.embedding import Embedder
from assistant.evaluation.documents import DocumentView, load_documents, reference_contexts
from assistant.evaluation.golden import GoldenItem, KnownSet, load_items, load_leak_targets
from assistant.evaluation.kb import build_cached_kb, open_kb
from assistant.evaluation.leaks import run_leak_probes
from assistant.evaluation.query_cache import CachedQueryEmbedder
from assistant.evaluation.questions import QuestionResult, run_question
from assistant.evaluation.ragas_scores import RagasSample, ragas_scores
from assistant.evaluation.summary import summarize

# The fast subset `make test` gates on: answerable questions spread evenly over the set (every k-th,
# so the hard cases at the end count as much as the easy ones at the start and the fast numbers track
# the full ones under the same thresholds), every must-refuse question (a confident answer where the
# KB has none is the costliest failure) and every leak probe, since a leak is never acceptable.
FAST_ANSWERABLE = 25


@dataclass
class EvalRun:
    set_name: str
    kb: Path
    summary: dict[str, Any]
    results: list[QuestionResult]
    leaks: dict[str, Any] = field(default_factory=dict)


def _ragas_samples(results: list[QuestionResult], docs: dict[str, DocumentView]) -> list[RagasSample]:
    """Answerable questions, with the expected sources' fact-bearing chunks as reference contexts."""
    return [
        RagasSample(
            r.item.question,
            r.answer,
            r.contexts,
            reference_contexts(docs, r.item.expected_sources, r.item.key_facts),
        )
        for r in results
        if r.scored
    ]


def fast_subset(items: list[GoldenItem]) -> list[GoldenItem]:
    """About FAST_ANSWERABLE answerable questions, evenly spread, and every must-refuse one, in file order."""
    answerable = [i for i in items if not i.should_refuse]
    stride = max(1, math.ceil(len(answerable) / FAST_ANSWERABLE))
    chosen = {i.id for i in answerable[::stride]}
    return [i for i in items if i.should_refuse or i.id in chosen]


def evaluate_set(
    settings: Settings,
    set_path: Path,
    kb: KnownSet,
    embedder: Embedder,
    fast: bool = False,
    log: Callable[[str], None] = print,
) -> EvalRun:
    """Ingest (or reuse) the set's KB, ask every question and leak probe, and summarise."""
    items = load_items(set_path)
    if fast:
        items = fast_subset(items)
    cache = build_cached_kb(settings, kb.kb, kb.overrides, embedder, log)
    queries = CachedQueryEmbedder.in_folder(embedder, cache.parent)
    services, workdir = open_kb(settings, cache, queries)
    try:
        docs = load_documents(services)
        log(f"{set_path.name}: {len(items)} questions over {len(docs)} documents")
        results = [run_question(services, item, docs) for item in items]
        leaks: dict[str, Any] = {}
        if kb.leak_targets is not None and kb.leak_targets.exists():
            targets = load_leak_targets(kb.leak_targets)
            log(f"probing {len(targets)} leak targets as every role")
            leaks = run_leak_probes(services, targets, docs).as_dict()
        ragas = ragas_scores(_ragas_samples(results, docs), settings, queries)
    finally:
        queries.save()
        services.close()
        shutil.rmtree(workdir, ignore_errors=True)
    summary = summarize(results, leaks, ragas)
    summary.update(
        {
            "set": set_path.name,
            "kb": str(kb.kb),
            "embedder": embedder.model_id,
            "fast": fast,
            "llm": settings.llm_model if settings.llm_enabled else None,
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
    )
    return EvalRun(set_path.name, kb.kb, summary, results, leaks)
