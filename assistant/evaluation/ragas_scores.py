"""Ragas metrics: string-based ones always (offline), faithfulness and relevancy when an LLM is configured."""

from __future__ import annotations

import logging
import os
import sys
import types
import warnings
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from assistant.config import Settings
from assistant.embedding import Embedder
from assistant.evaluation import metrics

log = logging.getLogger(__name__)


@dataclass
class RagasSample:
    question: str
    answer: str
    contexts: list[str]
    references: list[str]


def _import_ragas() -> Any:
    """Import ragas offline: no analytics, and a stand-in for a module newer langchain-community dropped."""
    # ragas reads this variable itself; without it every metric call phones home.
    os.environ["RAGAS_DO_NOT_TRACK"] = "true"
    name = "langchain_community.chat_models.vertexai"
    if name not in sys.modules:
        try:
            with warnings.catch_warnings():  # langchain-community announces its own sunset on import
                warnings.simplefilter("ignore", DeprecationWarning)
                __import__(name)
        except ImportError:  # ragas 0.4.3 only uses ChatVertexAI in isinstance checks
            shim = types.ModuleType(name)
            shim.ChatVertexAI = type("ChatVertexAI", (), {})  # type: ignore[attr-defined]
            sys.modules[name] = shim
    import ragas.metrics as ragas_metrics

    return ragas_metrics


def _offline_metrics(rm: Any) -> list[Any]:
    # ragas 0.4.3 calls these deprecated in favour of ragas.metrics.collections, which lacks them.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return [rm.NonLLMContextPrecisionWithReference(), rm.NonLLMContextRecall()]


def _llm_metrics(rm: Any, settings: Settings, embedder: Embedder) -> list[Any]:
    from langchain_core.embeddings import Embeddings
    from langchain_openai import ChatOpenAI
    from ragas.embeddings import LangchainEmbeddingsWrapper
    from ragas.llms import LangchainLLMWrapper

    class _OurEmbeddings(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_passages(texts)

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text)

    # Local OpenAI-compatible servers often want no key, but the client insists on one.
    key = settings.llm_api_key or SecretStr("not-needed")
    chat = ChatOpenAI(
        base_url=settings.llm_base_url, model=settings.llm_model, api_key=key, timeout=settings.llm_timeout_s
    )
    llm = LangchainLLMWrapper(chat)
    return [
        rm.Faithfulness(llm=llm),
        rm.ResponseRelevancy(llm=llm, embeddings=LangchainEmbeddingsWrapper(_OurEmbeddings())),
    ]


def ragas_scores(samples: list[RagasSample], settings: Settings, embedder: Embedder) -> dict[str, Any]:
    """Mean score per metric over the samples it applies to; failures are counted, not fatal.

    ragas is the `eval` extra: without it the run goes on and says how to get these scores.
    """
    try:
        rm = _import_ragas()
    except ImportError:
        log.warning("ragas is not installed: pip install 'sales-assistant[eval]' for the ragas scores")
        return {"skipped": "ragas not installed (pip install 'sales-assistant[eval]')"}
    from ragas.dataset_schema import SingleTurnSample

    chosen = _offline_metrics(rm) + (_llm_metrics(rm, settings, embedder) if settings.llm_enabled else [])
    out: dict[str, Any] = {}
    for metric in chosen:
        scores, errors = [], 0
        for s in samples:
            if not s.references or not s.contexts:
                continue
            sample = SingleTurnSample(
                user_input=s.question,
                response=s.answer,
                retrieved_contexts=s.contexts,
                reference_contexts=s.references,
            )
            try:
                scores.append(float(metric.single_turn_score(sample)))
            except Exception as exc:  # one bad sample (or an LLM timeout) must not sink the run
                errors += 1
                log.debug("ragas %s failed: %s", metric.name, exc)
        value = metrics.mean(scores)
        out[metric.name] = None if value is None else round(value, 4)
        if errors:
            out[f"{metric.name}_errors"] = errors
    return out
