"""A curator's `_glossary.yaml`: a rep's abbreviation or English word finds and is answered from the
document that spells it out, over a real embedded Qdrant."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import Principal
from assistant.answer.models import AskRequest
from assistant.config import Settings
from assistant.services import Services, build_services

REP = Principal.of("rep", ["rep"], ["east"])
INVOICE = "开票说明：签约后由财务部开具 6% 税率的增值税专用发票，发票在 5 个工作日内寄出。"
TRAVEL = "差旅标准：出差住宿每晚上限 450 元，一线城市上限 650 元。"
SIGNING = "签署方式：合同通过电子签章平台签署，用印由销售运营部统一处理。"
FILLER = [
    "续约说明：老客户续约要在到期前 90 天启动，先做使用情况复盘。",
    "演示说明：演示前确认客户的行业和门店数量，准备对应的看板。",
    "培训说明：新员工入职第一周完成产品培训和认证考试。",
]


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    for i, body in enumerate([INVOICE, TRAVEL, SIGNING, *FILLER]):
        (folder / f"doc{i}.md").write_text(f"# 说明 {i}\n\n{body}\n", encoding="utf-8")
    (folder / "_glossary.yaml").write_text("- [电签, 电子签章]\n", encoding="utf-8")
    return folder


@pytest.fixture
def services(settings: Settings, kb: Path) -> Services:
    svc = build_services(settings)
    report = svc.ingest.ingest([kb])
    assert report.failed == []
    yield svc
    svc.close()


def test_an_abbreviation_in_the_kb_glossary_finds_the_full_term(services: Services) -> None:
    assert services.search.search("客户那边能走电签吗", REP, 1)[0].source == "doc2.md"


def test_an_abbreviation_in_the_built_in_words_is_answered_from_the_full_term(services: Services) -> None:
    assert services.search.search("能开专票吗", REP, 1)[0].source == "doc0.md"
    reply = services.assistant.ask(AskRequest(question="签约后能开专票吗？税率多少？"), REP)
    assert reply.grounded and "6%" in reply.answer


def test_the_glossary_file_is_not_a_document(services: Services) -> None:
    assert {e.source for e in services.ingest.manifest.all()} == {f"doc{i}.md" for i in range(6)}


def test_an_english_question_finds_the_chinese_rule_through_the_built_in_words(services: Services) -> None:
    hits = services.search.search("hotel cap per night on a business trip", REP, 1)
    assert hits[0].source == "doc1.md"


def test_a_broken_glossary_is_reported_and_the_documents_still_land(settings: Settings, kb: Path) -> None:
    (kb / "_glossary.yaml").write_text("专票: [增值税专用发票\n", encoding="utf-8")
    svc = build_services(settings)
    try:
        report = svc.ingest.ingest([kb])
        assert [path for path, _ in report.failed] == [str(kb.resolve() / "_glossary.yaml")]
        assert len(svc.ingest.manifest.all()) == 6
    finally:
        svc.close()


def test_removing_the_glossary_takes_its_words_away_on_the_next_ingest(services: Services, kb: Path) -> None:
    assert "电子签章" in services.search.keyword_query("电签")
    (kb / "_glossary.yaml").unlink()
    services.ingest.ingest([kb])
    assert "电子签章" not in services.search.keyword_query("电签")


def test_a_replica_that_did_not_run_the_ingest_uses_the_glossary(
    settings: Settings, kb: Path, database_url: str, tmp_path: Path
) -> None:
    """Server mode: each replica has its own data dir; the database and the Qdrant collection are shared
    (the one in-process collection stands in for the Qdrant server both would reach)."""
    shared = {"qdrant_url": ":memory:", "database_url": database_url}
    worker = build_services(settings.model_copy(update=shared))
    replica = build_services(
        settings.model_copy(update={**shared, "data_dir": tmp_path / "replica"}), index=worker.index
    )
    try:
        assert worker.ingest.ingest([kb]).failed == []
        # 电签 is only in the knowledge base's own `_glossary.yaml`, which the replica never read.
        assert replica.search.search("客户那边能走电签吗", REP, 1)[0].source == "doc2.md"
        reply = replica.assistant.ask(AskRequest(question="合同能走电签吗？"), REP)
        assert reply.grounded and "电子签章" in reply.answer
        assert not list((tmp_path / "replica").glob("glossary*"))  # no file: the database holds it
    finally:
        replica.db.dispose()
        worker.close()
