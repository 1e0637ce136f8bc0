"""LangChain's own standard retriever suite (langchain-tests) run against KnowledgeBaseRetriever."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import RetrieversIntegrationTests

from assistant.access import AccessPolicy, Principal
from assistant.retrieval.langchain import KnowledgeBaseRetriever
from assistant.retrieval.search import SearchService
from tests.fakes.kb import build_kb

MANAGER = Principal.of("mgr", ["manager"], ["east"])


@pytest.fixture(scope="module")
def kb_search(tmp_path_factory: pytest.TempPathFactory) -> SearchService:
    return build_kb(tmp_path_factory.mktemp("langchain-kb"), AccessPolicy.load())


class TestKnowledgeBaseRetrieverStandard(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _kb(self, kb_search: SearchService) -> None:
        self._search = kb_search

    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return KnowledgeBaseRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"service": self._search, "principal": MANAGER}

    @property
    def retriever_query_example(self) -> str:
        return "云帆CRM 价格 折扣 审批"


def test_invoke_k_overrides_the_default(kb_search: SearchService) -> None:
    retriever = KnowledgeBaseRetriever(service=kb_search, principal=MANAGER)
    assert len(retriever.invoke("云帆CRM 价格", k=1)) == 1
    assert len(retriever.invoke("云帆CRM 价格")) == 5
