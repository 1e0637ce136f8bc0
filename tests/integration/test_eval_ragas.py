"""Ragas in the evaluation: offline string metrics always; LLM metrics only through the configured endpoint."""

from __future__ import annotations

from assistant.config import Settings
from assistant.embedding.hashing import HashEmbedder
from assistant.evaluation.ragas_scores import RagasSample, ragas_scores
from tests.fakes.openai_server import FakeOpenAI

TRIAL = "新客户可申请 30 天免费试用，试用数据可直接转为正式环境。"
SAMPLES = [
    RagasSample("试用多久？", "可以试用 30 天。[1]", [TRIAL, "云帆客服最少购买 20 个坐席。"], [TRIAL]),
    RagasSample(
        "最少买几个坐席？", "20 个。[1]", ["报销标准：酒店每晚 650 元。"], ["云帆客服最少购买 20 个坐席。"]
    ),
]


def test_offline_metrics_separate_good_and_bad_retrieval() -> None:
    settings = Settings(_env_file=None, embedder="hash")  # type: ignore[call-arg]
    good = ragas_scores(SAMPLES[:1], settings, HashEmbedder())
    bad = ragas_scores(SAMPLES[1:], settings, HashEmbedder())
    assert set(good) == {"non_llm_context_precision_with_reference", "non_llm_context_recall"}
    assert good["non_llm_context_recall"] == 1.0 and bad["non_llm_context_recall"] == 0.0
    assert good["non_llm_context_precision_with_reference"] > bad["non_llm_context_precision_with_reference"]


def test_llm_metrics_go_to_the_configured_endpoint() -> None:
    with FakeOpenAI() as fake:
        fake.reply = '{"question": "试用多久？", "noncommittal": 0}'
        settings = Settings(_env_file=None, embedder="hash", llm_base_url=fake.base_url)  # type: ignore[call-arg]
        scores = ragas_scores(SAMPLES[:1], settings, HashEmbedder())
        assert fake.requests, "the LLM metrics never called the configured endpoint"
    assert scores["answer_relevancy"] is not None
    # The scripted reply is not a statement list, so faithfulness fails: counted, not fatal.
    assert "faithfulness" in scores and (
        scores["faithfulness"] is not None or scores["faithfulness_errors"] == 1
    )
