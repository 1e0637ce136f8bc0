"""Citations: chunk -> Citation, `[n]` markers checked and renumbered, expired and unverified sources flagged."""

from __future__ import annotations

import re

from assistant.answer.messages import message
from assistant.answer.models import Citation
from assistant.retrieval.search import RetrievedChunk

# `[1]`, `[1, 3]`, `[1][2]`, full-width `［1］`; a model may write any of them.
_MARKER = re.compile(r"\s?[\[［](\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)[\]］]")


def to_citation(chunk: RetrievedChunk, n: int, snippet: str | None = None) -> Citation:
    """The citation numbered `n` for a chunk; `snippet` overrides the search window (the sentence used)."""
    expires = chunk.metadata.get("expires")
    return Citation(
        n=n,
        doc_id=chunk.doc_id,
        title=chunk.title,
        source=chunk.source,
        snippet=snippet or chunk.snippet,
        score=round(chunk.score, 6),
        as_of=chunk.as_of,
        expired=chunk.expired,
        page=chunk.page,
        expires=str(expires) if expires else None,
        version=chunk.version,
        unverified=chunk.unverified,
        verified_at=str(chunk.metadata["verified_at"]) if chunk.metadata.get("verified_at") else None,
    )


def renumber_markers(text: str, available: int) -> tuple[str, list[int]]:
    """Drop markers that point to no source (outside 1..available); renumber the rest 1..k by first use.

    Returns the new text and the original numbers in their new order (new n = index + 1).
    """
    order: list[int] = []

    def replace(match: re.Match[str]) -> str:
        kept = []
        for raw in re.split(r"\s*[,，、]\s*", match.group(1)):
            n = int(raw)
            if 1 <= n <= available:
                if n not in order:
                    order.append(n)
                kept.append(order.index(n) + 1)
        return "".join(f"[{k}]" for k in dict.fromkeys(kept))

    return _MARKER.sub(replace, text).strip(), order


def expired_warnings(citations: list[Citation], language: str) -> list[str]:
    """One warning per cited source that has expired or is unverified, naming its number and date."""
    expired = [
        message("expired", language, n=c.n, date=c.expires or c.as_of or "?") for c in citations if c.expired
    ]
    unverified = [
        message("unverified", language, n=c.n, date=c.verified_at or "?") for c in citations if c.unverified
    ]
    return expired + unverified
