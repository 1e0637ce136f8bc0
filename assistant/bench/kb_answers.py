"""`assistant bench`, answers over a real knowledge base: the sample KB's documents and its reps' questions.

The synthetic corpus times the engine at scale, but its answers are pseudo-words: no Chinese to
segment, no glossary, few sentences to weigh. Here the sample KB is ingested into a data dir of the
bench's own and its golden questions are asked through the real app, as reps ask them: all of them
one at a time, then all of them twice more, 20 at a time. The server keeps the vectors of only the
last `VECTORS_KEPT` questions (256 in a service), so a question asked again 200 questions later is
embedded again, like a new question, while the lookups within one answer still share one embedding.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from assistant.bench.answers import CONCURRENCY, WARMUP, ask_summary, local_settings, serving
from assistant.bench.load import drive
from assistant.embedding import Embedder
from assistant.evaluation.golden import load_items
from assistant.services import build_services

VECTORS_KEPT = 2 * CONCURRENCY  # the answers in flight, and as many again


def bench_ask_kb(
    settings: Any, sample_dir: Path, golden: Path, embedders: dict[str, Embedder]
) -> dict[str, Any]:
    """Ingest `sample_dir` once, then per embedder (keyed by its output prefix): `golden`'s questions one
    at a time, then twice over 20 at a time, through HTTP."""
    questions = [item.question for item in load_items(golden)]
    result: dict[str, Any] = {"kb_ask_sample": str(sample_dir), "kb_ask_questions": len(questions)}
    with tempfile.TemporaryDirectory(prefix="assistant-bench-kb-") as tmp:
        local = local_settings(settings, Path(tmp))
        for prefix, embedder in embedders.items():
            services = build_services(local, embedder)
            try:
                if "kb_ask_chunks" not in result:
                    result["kb_ask_chunks"] = services.ingest.ingest([sample_dir]).chunks
                services.search.vectors_kept = VECTORS_KEPT
                with serving(local, services) as (base_url, token):
                    measured = drive(base_url, token, 3 * questions, CONCURRENCY, WARMUP, len(questions))
                result.update(ask_summary(prefix, measured))
            finally:
                services.close()
    return result
