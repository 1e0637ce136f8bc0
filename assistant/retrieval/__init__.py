"""Principal + query -> hybrid search -> ranked chunks."""

from assistant.retrieval.search import RetrievedChunk, SearchService

__all__ = ["RetrievedChunk", "SearchService"]
