"""The answering facade over a real embedded index and real SQLite stores, extractive mode (no LLM)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import AccessPolicy, Principal
from assistant.answer.models import AskRequest, FollowUpRequest, SearchRequest, TalkTrackRequest
from assistant.answer.service import KnowledgeAssistant
from assistant.config import Settings
from assistant.db import AnswerStore, AuditLog, FeedbackStore, build_engine
from assistant.retrieval.search import SearchService
from tests.fakes.kb import FACTS, build_kb

REP = Principal.of("rita", ["rep"], ["west"])
MANAGER = Principal.of("max", ["manager"], ["east"])


@pytest.fixture
def stores(tmp_path: Path) -> dict[str, object]:
    engine = build_engine(f"sqlite:///{tmp_path / 'a.db'}")
    return {"audit": AuditLog(engine), "answers": AnswerStore(engine), "feedback": FeedbackStore(engine)}


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory, policy: AccessPolicy) -> SearchService:
    """One read-only index per module: building it is the slow part."""
    return build_kb(tmp_path_factory.mktemp("kb"), policy)


@pytest.fixture
def assistant(
    tmp_path: Path, policy: AccessPolicy, kb: SearchService, stores: dict[str, object]
) -> KnowledgeAssistant:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    return KnowledgeAssistant(kb, policy, settings, **stores)


def test_answer_cites_the_sentence_holding_the_fact(assistant: KnowledgeAssistant) -> None:
    r = assistant.ask(AskRequest(question="云帆CRM 标准版多少钱？"), REP)
    assert r.grounded and r.language == "zh-Hans"
    assert FACTS["price"] in r.answer and "[1]" in r.answer
    assert FACTS["price"] in r.citations[0].snippet and r.citations[0].doc_id == "crm-price"
    assert r.citations[0].as_of == "2026-01-01"


def test_rep_never_sees_a_confidential_fact_or_its_citation(assistant: KnowledgeAssistant) -> None:
    question = "云帆CRM 最低折扣是多少？"
    rep = assistant.ask(AskRequest(question=question), REP)
    assert FACTS["confidential"] not in rep.answer
    assert all(c.doc_id != "floor-price" for c in rep.citations)
    found = assistant.search(SearchRequest(query=question, limit=20), REP).results
    assert all(c.doc_id != "floor-price" for c in found)
    manager = assistant.ask(AskRequest(question=question), MANAGER)
    assert FACTS["confidential"] in manager.answer


def test_group_scoped_documents_stay_in_their_group(assistant: KnowledgeAssistant) -> None:
    question = "华东区 Q2 目标是多少？"
    assert not assistant.ask(AskRequest(question=question), REP).grounded
    assert FACTS["east"] in assistant.ask(AskRequest(question=question), MANAGER).answer


def test_unanswerable_question_is_refused_honestly(assistant: KnowledgeAssistant) -> None:
    zh = assistant.ask(AskRequest(question="公司年会在哪里举办？"), MANAGER)
    assert (zh.grounded, zh.citations) == (False, [])
    assert (
        zh.answer == "知识库中没有找到相关内容。如果你认为应该有答案，可以请主管或负责该主题的同事帮忙确认。"
    )
    en = assistant.ask(AskRequest(question="How do I bake sourdough bread?"), MANAGER)
    assert not en.grounded and en.answer.startswith("I couldn't find this in the knowledge base. If you")


def test_access_hidden_answer_reads_exactly_like_absent_content(assistant: KnowledgeAssistant) -> None:
    hidden = assistant.ask(AskRequest(question="云帆CRM 的底价是多少？"), REP)
    absent = assistant.ask(AskRequest(question="华为的 CRM 报价是多少？"), REP)
    assert FACTS["confidential"] not in hidden.answer and not hidden.citations
    assert (hidden.grounded, hidden.answer) == (absent.grounded, absent.answer) == (False, absent.answer)
    assert "同事" in hidden.answer


def test_answers_follow_the_question_language_and_script(assistant: KnowledgeAssistant) -> None:
    en = assistant.ask(AskRequest(question="Which databases does Yunfan BI connect to?"), REP)
    assert en.language == "en" and "PostgreSQL" in en.answer
    hant = assistant.ask(AskRequest(question="雲帆CRM 標準版多少錢？"), REP)
    assert hant.language == "zh-Hant" and "1200 元" in hant.answer and "標準版" in hant.answer


def test_expired_source_is_flagged_with_its_date(assistant: KnowledgeAssistant) -> None:
    r = assistant.ask(AskRequest(question="双十一促销有什么优惠？"), REP)
    expired = [c for c in r.citations if c.expired]
    assert expired and expired[0].expires == "2024-12-31"
    assert any(f"[{expired[0].n}]" in w and "2024-12-31" in w for w in r.warnings)


def test_pii_is_masked_for_a_rep_but_not_for_a_manager(assistant: KnowledgeAssistant) -> None:
    question = "汇通银行的客户联系人手机和邮箱是什么？"
    rep = assistant.ask(AskRequest(question=question), REP)
    assert "138****5678" in rep.answer and FACTS["phone"] not in rep.answer
    assert "zhang.san@" not in rep.answer + "".join(c.snippet for c in rep.citations)
    found = assistant.search(SearchRequest(query=question, limit=10), REP).results
    assert found and not any(FACTS["phone"] in c.snippet for c in found)
    manager = assistant.ask(AskRequest(question=question), MANAGER)
    assert FACTS["phone"] in manager.answer


def test_every_call_is_audited_and_answers_are_stored(
    assistant: KnowledgeAssistant, stores: dict[str, object]
) -> None:
    r = assistant.ask(AskRequest(question="云帆CRM 标准版多少钱？"), REP, channel="slack")
    assistant.search(SearchRequest(query="汇通银行"), REP)
    entries = stores["audit"].list()  # type: ignore[attr-defined]
    ask = next(e for e in entries if e.action == "ask")
    assert (ask.user, ask.channel, ask.answer_id) == ("rita", "slack", r.answer_id)
    assert "crm-price" in ask.doc_ids and {e.action for e in entries} == {"ask", "search"}
    assert stores["answers"].get(r.answer_id).answer == r.answer  # type: ignore[attr-defined]


def test_stream_without_llm_sends_the_answer_then_done(assistant: KnowledgeAssistant) -> None:
    events = list(assistant.stream_ask(AskRequest(question="云帆CRM 标准版多少钱？"), REP))
    assert [e["event"] for e in events] == ["delta", "done"]
    assert events[0]["data"]["text"] == events[1]["data"]["answer"]


def test_talk_tracks_read_front_matter_and_chinese_table_columns(assistant: KnowledgeAssistant) -> None:
    tracks = assistant.talk_tracks(
        TalkTrackRequest(situation="客户担心数据安全", industry="金融"), REP
    ).talk_tracks
    security = next(t for t in tracks if "数据安全" in t.when_to_use)
    assert "等保三级" in security.script and security.proof_points == ["等保三级", "ISO 27001"]
    price = assistant.talk_tracks(TalkTrackRequest(situation="客户说价格太贵", stage="negotiation"), REP)
    first = price.talk_tracks[0]
    assert first.citations[0].doc_id in ("tt-price", "tt-library") and first.proof_points


def test_talk_track_for_the_named_competitor_comes_first(assistant: KnowledgeAssistant) -> None:
    req = TalkTrackRequest(situation="price too high 价格太贵", competitor="Xingyun CRM", persona="CFO")
    first = assistant.talk_tracks(req, REP).talk_tracks[0]
    assert "Xingyun CRM" in first.when_to_use and "CFO" in first.when_to_use


def test_follow_up_cites_the_customers_own_case_and_fits_wecom(assistant: KnowledgeAssistant) -> None:
    promised = FollowUpRequest(
        customer="汇通银行", contact="张经理", notes="我答应给 9 折。", channel="wecom"
    )
    draft = assistant.follow_up(promised, REP)
    assert draft.draft.startswith("张经理，您好！") and "9 折" in draft.draft  # the rep's own commitment
    notes = "客户关注跟进效率。我答应" + "尽快安排上线演示和培训，" * 150
    long = assistant.follow_up(FollowUpRequest(customer="汇通银行", notes=notes, channel="wecom"), REP)
    assert len(long.draft.encode("utf-8")) <= 2048 and "（内容过长，已截断）" in long.warnings
    clean = assistant.follow_up(FollowUpRequest(customer="汇通银行", notes="客户关注跟进效率。"), REP)
    assert "35%" in clean.draft and clean.citations[0].doc_id == "huitong-case" and clean.warnings == []
    assert "138****5678" not in clean.draft and "13812345678" not in clean.draft
