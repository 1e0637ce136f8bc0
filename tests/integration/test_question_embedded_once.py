"""An answer embeds its question once: the semantic check of sentences in the other language reuses the
vector the search just computed (a second embedding cost as much as the search's, on every such answer)."""

from __future__ import annotations

from pathlib import Path

from assistant.access import Principal
from assistant.answer.models import AskRequest
from assistant.config import Settings
from assistant.services import build_services
from assistant.text.normalize import normalize_for_matching
from tests.integration.recording_embedder import RecordingEmbedder

QUESTION = "How long does a standard Yunfan CRM implementation take?"


class CalibratedRecorder(RecordingEmbedder):
    unrelated_similarity = 0.2  # a calibrated model's: the answer compares sentences by meaning

    def __init__(self) -> None:
        super().__init__()
        self.passages: list[str] = []

    def embed_passages(self, texts: list[str]) -> list[list[float]]:
        self.passages.extend(texts)
        return super().embed_passages(texts)


def test_an_english_question_over_chinese_sources_is_embedded_once(
    tmp_path: Path, settings: Settings
) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "implementation.md").write_text(
        "# 云帆CRM 实施\n\n标准实施周期为 6 周上线，包含数据迁移与培训。\n\n实施费用另行报价。\n", "utf-8"
    )
    embedder = CalibratedRecorder()
    services = build_services(settings, embedder)
    try:
        services.ingest.ingest([kb])
        embedder.queries.clear()
        embedder.passages.clear()
        services.assistant.ask(AskRequest(question=QUESTION), Principal.of("rep", ["rep"], ["east"]))
    finally:
        services.close()
    assert embedder.passages, "the Chinese sentences were compared with the question by meaning"
    assert embedder.queries.count(normalize_for_matching(QUESTION)) == 1
