"""Every quotable sentence of the retrieved chunks, scored against the question.

A sentence's score is its share of the question's terms (alone and with its chunk's headings), its
chunk's retrieval rank, and bonuses for fitting the question's focus: the range holding its number,
the kind of fact wanted, the acronym asked about, a talk track's recommendation for "怎么回应".
Chunks that do not name what the question names are skipped (salience.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answer import ranges
from assistant.answer.counted import states_count
from assistant.answer.fact_kinds import ADVICE_HEADING, SITUATION_HEADING, offers
from assistant.answer.injection import looks_like_injection
from assistant.answer.language import is_latin
from assistant.answer.rendering import answer_units
from assistant.answer.salience import Focus, is_edition, missing_names
from assistant.answer.semantic import Similarity
from assistant.retrieval.search import RetrievedChunk
from assistant.text.glossary import holds
from assistant.text.normalize import normalize_for_matching

# Score bonuses for a sentence that fits the question's focus (the range holding its number, the
# kind of fact it wants); the base score runs 0..1.
QUANTITY_WEIGHT = 0.4
WANT_WEIGHT = 0.15
RESULT_WEIGHT = 0.3  # "效果/results": the outcome figures are the answer, the background is not
ACRONYM_WEIGHT = 0.2
FIGURE_WEIGHT = 0.02  # between equals, the sentence with a figure says more ("等保三级和 27001")
COUNT_WEIGHT = 0.3  # "要几天": a number of days answers, the customer's revenue does not
ADVICE_WEIGHT = 0.3  # "怎么回应": the recommended words are the answer, the situation is not
# Sentences embedded per question at most (a few ms each, more on a busy CPU): the best-ranked
# chunks in the other language. Across languages the meaning only ranks sentences; whether to
# answer is still the chunk-level confidence's call (e5-small's cross-lingual sentence scores are
# too low and too close to tell a right sentence from a wrong one).
MEANING_SENTENCES = 8
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_DIGIT = re.compile(r"\d")
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
    position: int = 0  # the sentence's place in its chunk


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


def quotable_units(chunk: RetrievedChunk) -> list[str]:
    """The chunk's sentences an answer may quote, in order (a Pick's `position` indexes this list)."""
    return [u for u in answer_units(chunk) if len(u) >= 4 and not looks_like_injection(u)]


def heading(chunk: RetrievedChunk) -> str:
    return normalize_for_matching(" ".join(chunk.title_path or [chunk.title])).lower()


def candidates(
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
        section = heading(chunk)
        if focus is not None and not about(focus, chunk, section, alternatives, documents[chunk.doc_id]):
            continue
        if focus is not None and focus.advice and _in_section(chunk, SITUATION_HEADING):
            continue  # "怎么接": the situation restates the question, it is never the answer
        units = quotable_units(chunk)
        meaning = _meanings(focus, chunk, units, similarity, budget)
        for i, sentence in enumerate(units):
            norm = normalize_for_matching(sentence).lower()
            own = coverage(terms, norm, alternatives)
            with_heading = coverage(terms, norm + " " + section, alternatives)
            if meaning is not None:
                sense = meaning[i] if i < len(meaning) else 0.0
                own, with_heading = max(own, sense), max(with_heading, sense)
            score = 0.55 * own + 0.25 * with_heading + 0.2 * chunk.score / top
            if focus is not None:
                score += _fit(focus, norm) + _section_fit(focus, chunk)
            if _DIGIT.search(norm):
                score += FIGURE_WEIGHT
            picks.append(Pick(rank, sentence, score, with_heading, i))
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


def about(
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
    if focus.counted and states_count(focus.counted, norm):
        bonus += COUNT_WEIGHT
    for want in focus.wants:  # each kind of fact asked for and given: a contact's title and number
        if offers(want, norm):
            bonus += RESULT_WEIGHT if want == "result" else WANT_WEIGHT
    return bonus


def _in_section(chunk: RetrievedChunk, kind: re.Pattern[str]) -> bool:
    """Whether the chunk's own section heading is of `kind` (建議說法 reads as 建议说法)."""
    return bool(chunk.title_path) and bool(kind.search(normalize_for_matching(chunk.title_path[-1])))


def _section_fit(focus: Focus, chunk: RetrievedChunk) -> float:
    """For "怎么回应": a talk track's recommended words rank above everything else."""
    return ADVICE_WEIGHT if focus.advice and _in_section(chunk, ADVICE_HEADING) else 0.0
