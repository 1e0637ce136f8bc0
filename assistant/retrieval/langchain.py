"""A LangChain retriever over the knowledge base, bound to one principal."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.access import Principal, SearchFilters
from assistant.retrieval.search import SearchService


class KnowledgeBaseRetriever(BaseRetriever):
    """Drop-in retriever: role-filtered hybrid search; metadata carries source, title path, score.

    `k` is the number of documents, set on the retriever or per call (`invoke(query, k=1)`).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    service: SearchService
    principal: Principal
    k: int = 5
    filters: SearchFilters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        k = int(kwargs.get("k", self.k))
        chunks = self.service.search(query, self.principal, limit=k, filters=self.filters)
        return [
            Document(
                page_content=c.text,
                id=c.chunk_id,
                metadata={
                    "doc_id": c.doc_id,
                    "title": c.title,
                    "title_path": c.title_path,
                    "source": c.source,
                    "page": c.page,
                    "score": c.score,
                    "doc_type": c.metadata.get("doc_type"),
                    "as_of": c.as_of,
                    "expired": c.expired,
                },
            )
            for c in chunks
        ]
