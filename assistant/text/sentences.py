"""Sentence splitting for Chinese and latin text, shared by chunking and answer composition."""

from __future__ import annotations

import re

# Chinese sentence ends always split; latin ones only when a space follows (not 3.5, not e.g.x).
_SENTENCE_END = re.compile(r"(?<=[。！？])|(?<=[!?;；])|(?<=[.!?])(?=\s)")


def split_sentences(text: str) -> list[str]:
    """Sentences (ending punctuation kept); newlines are boundaries too."""
    parts = [s.strip() for line in text.splitlines() for s in _SENTENCE_END.split(line)]
    return [p for p in parts if p]
