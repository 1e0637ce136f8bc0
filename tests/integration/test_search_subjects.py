"""The search ranks a source naming what the question names above one that does not, with the names
taken from the knowledge base's own `_glossary.yaml` as ingest recorded it (real embedded Qdrant)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from assistant.config import Settings
from assistant.services import build_services
from assistant.text.normalize import normalize_for_matching
from tests.unit.test_answer_focus import chunk

NAMED = chunk("北辰乳业上线后，库存周转天数从 42 天降到 29 天。", "客户案例：北辰乳业")
ANONYMOUS = chunk("某华北乳制品企业：库存周转天数从 42 天降到 29 天。", "客户成果（匿名版）", 1)


def test_a_source_naming_the_customer_asked_about_leads_one_that_does_not(
    settings: Settings, tmp_path: Path
) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "case.md").write_text("# 客户案例：北辰乳业\n\n北辰乳业是乳制品企业。\n", encoding="utf-8")
    (kb / "_glossary.yaml").write_text("- [北辰乳业, beichen dairy]\n", encoding="utf-8")
    services = build_services(settings)
    try:
        assert services.ingest.ingest([kb]).failed == []
        for question in (
            "北辰乳業的庫存周轉天數變化多少？",
            "How much did Beichen Dairy cut its inventory days?",
        ):
            # RRF scores: the unnamed source 1st in both lists (1/60 + 1/60), the named one 5th and 6th.
            ranked = [replace(ANONYMOUS, score=2 / 60), replace(NAMED, score=1 / 64 + 1 / 65)]
            services.search.prefer(ranked, normalize_for_matching(question), question.isascii())
            assert ranked[1].score > ranked[0].score, question
    finally:
        services.close()
