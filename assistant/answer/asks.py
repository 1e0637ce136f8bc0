"""Questions that ask several things at once ("备份留多久？RPO和RTO分别是多少？", "签了多少用户，多久全部
上线的？", "a free trial, and for how long?"): each ask gets the sentence that answers it.

The whole question still decides whether to answer (extractive.pick_answer); once it is answered,
each ask is scored on its own, and its best sentence from the chunks the answer already quotes joins
the answer when no earlier ask took it. An ask's sentence must share a word with the ask and give
the kind of fact it wants (a duration for 多久): an ask the evidence does not cover adds nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product

from assistant.answer.fact_kinds import offers
from assistant.answer.salience import Focus, analyse
from assistant.answer.semantic import Similarity
from assistant.answer.sentence_scores import Pick, candidates, coverage, query_terms
from assistant.retrieval.search import RetrievedChunk
from assistant.text.glossary import holds
from assistant.text.normalize import normalize_for_matching

# Clause ends, and English conjunctions that start a new question ("..., and which code ...").
_CLAUSES = re.compile(
    r"[？?；;，,。!！]+|\s+and\s+(?=(?:what|which|how|who|when|where|for how|is|are|can|do|does)\b)",
    re.IGNORECASE,
)
# A clause is an ask when it asks something; a clause that only sets the scene ("客户要 75 天账期")
# belongs to the ask after it.
_ASKING = re.compile(
    r"多少|几|多久|多长|什么|啥|哪|谁|怎么|如何|是否|吗|呢|能否|有没有|是不是|能不能"
    r"|\b(?:what|which|how|who|whom|when|where|why|is|are|can|could|do|does|did)\b",
    re.IGNORECASE,
)
# More than this many sentences reads as a document dump, not an answer.
MAX_ANSWER_SENTENCES = 4
# Sentences per ask considered when the asks share them out (each ask's best few).
OPTIONS = 4


def split_asks(question: str) -> list[str]:
    """The question's asks, each with the scene-setting clauses before it; one item for a single ask."""
    asks: list[str] = []
    scene = ""
    for clause in (c.strip() for c in _CLAUSES.split(question)):
        if not clause:
            continue
        if _ASKING.search(normalize_for_matching(clause).lower()):
            asks.append(f"{scene} {clause}".strip())
            scene = ""
        else:
            scene = f"{scene} {clause}".strip()
    if scene and asks:
        asks[-1] = f"{asks[-1]} {scene}"
    return asks or [question]


def _answers(pick: Pick, ask: _Ask, alternatives: dict[str, list[str]]) -> bool:
    """The sentence shares a word with the ask itself (not only its heading) and gives what it wants."""
    norm = normalize_for_matching(pick.sentence).lower()
    words = [*ask.focus.acronyms, *ask.focus.terms]
    if coverage(ask.terms, norm, alternatives) == 0 and not any(holds(norm, w, alternatives) for w in words):
        return False
    return not ask.focus.wants or any(offers(want, norm) for want in ask.focus.wants)


@dataclass
class _Ask:
    ranked: list[Pick]  # the quoted chunks' sentences, best for this ask first
    terms: set[str]
    focus: Focus


def _asks(
    asks: list[str],
    chunks: list[RetrievedChunk],
    quoted: list[int],
    similarity: Similarity | None,
    alternatives: dict[str, list[str]],
) -> list[_Ask]:
    """Each ask with words of its own, its sentences from the `quoted` chunks scored for it alone."""
    out = []
    for ask in asks:
        terms, focus = query_terms(ask), analyse(ask)
        scored = candidates(terms, [chunks[r] for r in quoted], focus, similarity, alternatives)
        ranked = [
            Pick(quoted[p.rank], p.sentence, p.score, p.coverage, p.position)
            for p in sorted(scored, key=lambda p: p.score, reverse=True)
        ]
        if terms and ranked:
            out.append(_Ask(ranked, terms, focus))
    return out


def complete_asks(
    question: str,
    picks: list[Pick],
    chunks: list[RetrievedChunk],
    similarity: Similarity | None = None,
    alternatives: dict[str, list[str]] | None = None,
) -> list[Pick]:
    """`picks`, plus for each ask of a many-part question the sentence answering it when none does yet.

    A sentence serves one ask only, and the asks share the sentences out so their scores sum highest:
    "多久有效？编号什么格式？" quotes the validity sentence beside the one with the number format.
    """
    alternatives = alternatives or {}
    parts = split_asks(question)
    if len(parts) < 2 or not picks:
        return picks
    # The answer holds at most MAX_ANSWER_SENTENCES sentences, so no more asks than that are shared
    # out: the combinations grow as (OPTIONS + 1) ** asks, and a long question can hold a dozen clauses.
    asks = _asks(
        parts[:MAX_ANSWER_SENTENCES], chunks, sorted({p.rank for p in picks}), similarity, alternatives
    )
    options = [[p for p in a.ranked if _answers(p, a, alternatives)][:OPTIONS] for a in asks]
    best: tuple[float, tuple[Pick | None, ...]] = (0.0, ())
    for combo in product(*[[*o, None] for o in options]):
        said = [p.sentence for p in combo if p is not None]
        if len(said) == len(set(said)):
            best = max(best, (sum(p.score for p in combo if p is not None), combo), key=lambda b: b[0])
    have = {p.sentence for p in picks}
    added = [p for p in best[1] if p is not None and p.sentence not in have]
    return (picks + added)[: max(len(picks), MAX_ANSWER_SENTENCES)]
