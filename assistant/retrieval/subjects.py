"""Whether a retrieved source is about what the question names.

A question naming a customer, product or competitor of the knowledge base (an entry of its own
glossary, in any spelling) is about that one: a source that never names it (an anonymised reference
list, another customer's case study, the other product's sheet) states at best a neighbour's figures.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from assistant.text.glossary import present
from assistant.text.normalize import normalize_for_matching


class Retrieved(Protocol):
    doc_id: str
    title: str
    title_path: list[str]

    @property
    def text_norm(self) -> str: ...


def unnamed_documents(chunks: Iterable[Retrieved], subjects: list[list[str]]) -> set[str]:
    """The documents (by id) whose title and retrieved chunks hold no spelling of one of `subjects`.

    A document counts as a whole: a case study's "Results" section does not repeat the customer's
    name its title and background give."""
    if not subjects:
        return set()
    texts: dict[str, list[str]] = {}
    for chunk in chunks:
        heading = " ".join([chunk.title, *chunk.title_path])
        texts.setdefault(chunk.doc_id, []).append(f"{heading} {chunk.text_norm}")
    unnamed = set()
    for doc_id, parts in texts.items():
        text = normalize_for_matching(" ".join(parts)).lower()
        if not all(any(present(word, text) for word in spellings) for spellings in subjects):
            unnamed.add(doc_id)
    return unnamed
