"""`assistant bench --only answers`: the sample KB's own questions through HTTP, each answer embedding its question."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from assistant.bench.kb_answers import bench_ask_kb
from assistant.cli.bench_cmd import SAMPLE_KB, SAMPLE_QUESTIONS
from assistant.config import Settings
from assistant.evaluation.golden import load_items
from assistant.text.normalize import normalize_for_matching
from tests.integration.recording_embedder import RecordingEmbedder


def test_the_sample_kb_questions_are_asked_and_embedded_every_time(
    tmp_path: Path, settings: Settings
) -> None:
    embedders = {"kb_ask": RecordingEmbedder(), "other": RecordingEmbedder()}
    result = bench_ask_kb(settings, SAMPLE_KB, SAMPLE_QUESTIONS, dict(embedders))
    questions = [item.question for item in load_items(SAMPLE_QUESTIONS)]
    assert result["kb_ask_chunks"] > 100 and result["kb_ask_questions"] == len(questions) >= 100
    for prefix, embedder in embedders.items():
        assert result[f"{prefix}_c20_requests"] == 2 * len(questions) and result[f"{prefix}_c20_errors"] == 0
        assert result[f"{prefix}_c20_per_s"] > 0 and result[f"{prefix}_p50_ms"] > 0
        # Asked again 20 at a time, a question is embedded again, as a new question is: never served
        # from the query-vector cache (that would time everything but the model).
        asked = Counter(embedder.queries)
        assert all(asked[normalize_for_matching(q.strip())] >= 3 for q in questions[10:])
