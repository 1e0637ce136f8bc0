"""Whether a question asks what to say or do about a situation (its answer is a talk track's advice)."""

from __future__ import annotations

import re

# A question asking what to say or do about a situation: its answer is a talk track's recommendation.
ADVICE = re.compile(
    r"怎么(?:聊|接|回应|回复|应对|回答|说|办|处理|谈)|如何(?:回应|应对|回答|处理)|该怎么|要怎么"
    r"|what should i (?:say|do|answer)|how (?:do|should) (?:i|we) (?:respond|answer|handle|reply)",
    re.I,
)


def asks_for_advice(question: str) -> bool:
    """ "怎么回应", "what should I say": the rep wants words to use, not a fact."""
    return ADVICE.search(question) is not None
