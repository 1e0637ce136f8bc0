"""The optional LLM: any OpenAI-compatible endpoint, fed only role-filtered, masked sources."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from assistant.answer.prompts import load_prompt
from assistant.retrieval.search import RetrievedChunk

if TYPE_CHECKING:
    from assistant.config import Settings

Messages = list[tuple[str, str]]


def format_sources(chunks: list[RetrievedChunk]) -> str:
    """Numbered sources `[n] title (as of ...)` + text, in the order citations will use."""
    parts = []
    for n, chunk in enumerate(chunks, start=1):
        dated = f" (as of {chunk.as_of})" if chunk.as_of else ""
        expired = " (expired)" if chunk.expired else ""
        expired += " (unverified)" if chunk.unverified else ""
        heading = " > ".join(chunk.title_path) or chunk.title
        parts.append(f"[{n}] {heading}{dated}{expired}\n{chunk.text}")
    return "\n\n".join(parts)


def build_messages(name: str, language: str, chunks: list[RetrievedChunk], **values: str) -> Messages:
    """System + user messages for prompt `name`, with the untrusted-sources block filled in."""
    _, sources_block = load_prompt("sources", language).render(sources=format_sources(chunks))
    system, user = load_prompt(name, language).render(sources_block=sources_block, **values)
    return [("system", system), ("user", user)]


class ChatModel:
    """A thin wrapper over langchain-openai's ChatOpenAI: one attempt, the configured timeout."""

    def __init__(self, base_url: str, model: str, api_key: str | None, timeout_s: float) -> None:
        from langchain_openai import ChatOpenAI
        from pydantic import SecretStr

        self._client: Any = ChatOpenAI(
            base_url=base_url,
            api_key=SecretStr(api_key or "not-needed"),  # local servers ignore it; the client insists on one
            model=model,
            timeout=timeout_s,
            max_retries=0,
            temperature=0,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> ChatModel | None:
        if not settings.llm_base_url:
            return None
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
        return cls(settings.llm_base_url, settings.llm_model, key, settings.llm_timeout_s)

    def complete(self, messages: Messages) -> str:
        """The whole reply. Raises on timeout, HTTP errors and connection errors."""
        return str(self._client.invoke(messages).content)

    def stream(self, messages: Messages) -> Iterator[str]:
        """The reply's text pieces as they arrive."""
        for piece in self._client.stream(messages):
            if piece.content:
                yield str(piece.content)


def failure_reason(exc: Exception) -> str:
    """A short, secret-free reason for a warning: `timeout`, `HTTP 500`, or the error's class name."""
    name = type(exc).__name__
    if "Timeout" in name:
        return "timeout"
    status = getattr(exc, "status_code", None)
    return f"HTTP {status}" if status else name
