"""Proof points for a follow-up: outcome sentences from sources a customer may be told, on their topics.

Quotable: product documents, case studies that are public, name no customer, or are the addressee's own.
Another customer's named case study is never quoted, and no sentence naming another party (a person,
a phone number, an e-mail, another customer) is used at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer.claims import extract_claims
from assistant.answer.injection import looks_like_injection
from assistant.answer.language import in_script, is_chinese
from assistant.answer.mentions import case_customer, other_parties
from assistant.answer.rep_notes import Topic
from assistant.retrieval.search import RetrievedChunk
from assistant.text.normalize import normalize_for_matching
from assistant.text.sentences import split_sentences

MAX_PROOF_POINTS = 3
# A proof point is a measured outcome: a figure next to a word of change. Prices are not proof points.
_OUTCOME = re.compile(
    r"\d\s*%|提升|提高|缩短|降低|降到|减少|增长|翻倍|上线|覆盖|"
    r"\b(?:increase|improve|reduce|cut|faster|grew|live in|went live|weeks?)\b",
    re.IGNORECASE,
)
_MIN_CHARS, _MAX_CHARS = 8, 180
_CLAUSE_END = re.compile(r"(?:[，；;]|,(?!\d))\s*")  # not the comma of 30,000


@dataclass(frozen=True)
class ProofPoint:
    rank: int  # index of the chunk it came from
    sentence: str
    figures: frozenset[str]


def known_customers(chunks: list[RetrievedChunk]) -> list[str]:
    """Customers named by the case studies among `chunks` (what the name check looks for)."""
    names = (case_customer(c.title) for c in chunks if c.metadata.get("doc_type") == "case_study")
    return list(dict.fromkeys(n for n in names if n))


def quotable(chunk: RetrievedChunk, customer: str) -> bool:
    """Product facts, and case studies that are public, anonymous, or the addressee's own."""
    kind = chunk.metadata.get("doc_type")
    if kind == "product":
        return True
    if kind != "case_study":
        return False
    if chunk.metadata.get("access_level") == "public" or case_customer(chunk.title) is None:
        return True
    return normalize_for_matching(customer).lower() in normalize_for_matching(chunk.title).lower()


def _units(chunk: RetrievedChunk) -> list[str]:
    """Sentences; a case-study table row reads as one sentence of its values, other rows are skipped.

    A sentence that also states a price gives its clauses without one ("服务费 ¥30,000 起，实施周期为
    6 周上线。" -> "实施周期为 6 周上线。"): the price stays out, the fact next to it may be quoted.
    """
    row = chunk.metadata.get("fields")
    if not row:
        return [unit for sentence in split_sentences(chunk.text) for unit in _without_prices(sentence)]
    if chunk.metadata.get("doc_type") != "case_study":
        return []  # price and spec tables are not proof points
    values = [str(v).strip() for v in row.values() if str(v).strip()]
    return ["，".join(values[:-1]) + "：" + values[-1] + "。"] if len(values) > 1 else values


def _without_prices(sentence: str) -> list[str]:
    if not any(c.kind == "money" for c in extract_claims(sentence)):
        return [sentence]
    clauses = (c.strip() for c in _CLAUSE_END.split(sentence.rstrip("。.!！?？")))
    ending = "." if sentence.rstrip().endswith(".") else "。"
    return [c + ending for c in clauses if c and not any(x.kind == "money" for x in extract_claims(c))]


def _fits_language(sentence: str, language: str) -> bool:
    return is_chinese(sentence) == (language != "en")


def _on_topic(sentence: str, topics: list[Topic]) -> int:
    text = normalize_for_matching(sentence).lower()
    return sum(t.found_in(text) for t in topics)


def pick_proof_points(
    chunks: list[RetrievedChunk],
    topics: list[Topic],
    addressees: list[str],
    language: str,
    known: list[str],
) -> list[ProofPoint]:
    """Up to MAX_PROOF_POINTS outcome sentences, on the notes' topics when there are any, best first.

    `known` are the customers named by every retrieved case study, including the ones not quotable
    here: a sentence naming any of them (but the addressee) is never picked.
    """
    scored: list[tuple[float, ProofPoint]] = []
    for rank, chunk in enumerate(chunks):
        if not quotable(chunk, addressees[0]):
            continue
        for sentence in _units(chunk):
            sentence = sentence.strip(" -•·*")
            if not _MIN_CHARS <= len(sentence) <= _MAX_CHARS or not _fits_language(sentence, language):
                continue
            claims = extract_claims(sentence)
            figures = {c.value for c in claims}
            if not figures or not _OUTCOME.search(sentence) or looks_like_injection(sentence):
                continue
            if any(c.kind == "money" for c in claims):
                continue
            if other_parties(sentence, addressees, known):
                continue
            on_topic = _on_topic(sentence, topics)
            if topics and not on_topic:
                continue
            point = ProofPoint(rank, in_script(sentence, language), frozenset(figures))
            scored.append((on_topic - rank * 0.1, point))
    scored.sort(key=lambda s: s[0], reverse=True)
    picked: list[ProofPoint] = []
    for _, point in scored:
        # The same result quoted from two documents (a figure in common) is one proof point.
        if all(not point.figures & p.figures for p in picked):
            picked.append(point)
    return picked[:MAX_PROOF_POINTS]
