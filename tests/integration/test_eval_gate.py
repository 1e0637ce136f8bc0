"""The evaluation gate on the fast subset: real embedder, real index, every leak probe.

Deselect with `-m "not slow"`. The index is cached under data/eval-cache, so only the first run
(or a run after the sample KB or the embedder changed) pays for ingest.
"""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.embedding import build_embedder
from assistant.evaluation.gate import gate_failures, thresholds_for
from assistant.evaluation.golden import GOLDEN_DIR, known_set
from assistant.evaluation.run import evaluate_set
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def test_fast_eval_passes_the_gate() -> None:
    settings = Settings(_env_file=None, data_dir=REPO_ROOT / "data")  # type: ignore[call-arg]
    golden = GOLDEN_DIR / "sample_kb.jsonl"
    kb = known_set(golden)
    assert kb is not None and kb.kb.is_dir()
    run = evaluate_set(settings, golden, kb, build_embedder(settings), fast=True, log=lambda _m: None)
    assert run.summary["questions"] >= 20
    assert run.summary["leak_attempts"] > 0  # the probes really ran
    failures = gate_failures(run.summary, thresholds_for(golden.name))
    failed = [r.as_dict() for r in run.results if not r.passed]
    assert not failures, f"{failures}\nleaks: {run.leaks.get('leaks')}\nfailed questions: {failed}"
