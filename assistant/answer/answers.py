"""Chunks -> an answer to a question: extractive by default, an LLM when one is configured."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from assistant.answer.citations import expired_warnings, renumber_markers, to_citation
from assistant.answer.extractive import evidence, pick_answer
from assistant.answer.language import in_script, is_chinese, prompt_language
from assistant.answer.llm import ChatModel, build_messages, failure_reason
from assistant.answer.messages import message
from assistant.answer.models import Citation
from assistant.answer.semantic import Similarity
from assistant.retrieval.search import RetrievedChunk
from assistant.text.glossary import CurrentGlossary, Glossary

_CLOSING = "。！？!?.；;…"
_CJK_CLOSING = "。！？；…）」』"


@dataclass
class Composed:
    """An answer before it gets an id: text, citations (1..k), confidence, warnings."""

    answer: str
    grounded: bool
    confidence: float
    language: str
    citations: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def not_found(language: str, confidence: float) -> Composed:
    """One reply for absent and access-hidden content alike, with where to ask instead."""
    text = message("not_found", language) + _space(language) + message("ask_colleague", language)
    return Composed(text, False, confidence, language)


def _space(language: str) -> str:
    return " " if language == "en" else ""


def _join(sentences: list[str]) -> str:
    """One paragraph: Chinese sentences run on, a space only between latin ones."""
    out = ""
    for s in sentences:
        chinese_before = out[-1:] in _CJK_CLOSING or is_chinese(out[-8:])
        out += ("" if not out or chinese_before or is_chinese(s[:8]) else " ") + s
    return out


def cite(sentence: str, n: int) -> str:
    """Attach `[n]` where a reader expects it: before the sentence's closing punctuation (全过程[1]。)."""
    body = sentence.rstrip()
    end = len(body)
    while end and body[end - 1] in _CLOSING:
        end -= 1
    return f"{body[:end]}[{n}]{body[end:]}"


def compose_extractive(
    question: str,
    chunks: list[RetrievedChunk],
    language: str,
    min_confidence: float,
    similarity: Similarity | None = None,
    glossary: Glossary | None = None,
) -> Composed:
    """1-3 source sentences with `[n]` markers, or an honest not-found below `min_confidence`."""
    picks = pick_answer(question, chunks, similarity=similarity, glossary=glossary)
    score = evidence(question, chunks, picks)
    if not picks or score < min_confidence:
        return not_found(language, score)
    ranks = list(dict.fromkeys(p.rank for p in picks))
    sentences = [cite(in_script(p.sentence, language), ranks.index(p.rank) + 1) for p in picks]
    used = {r: " ".join(p.sentence for p in picks if p.rank == r) for r in ranks}
    citations = [to_citation(chunks[r], i + 1, snippet=used[r]) for i, r in enumerate(ranks)]
    text = _join(sentences)
    if language == "en" and all(is_chinese(p.sentence) for p in picks):
        text = message("chinese_only", language) + text
    return Composed(text, True, score, language, citations, expired_warnings(citations, language))


def finish_llm_answer(raw: str, chunks: list[RetrievedChunk], language: str, confidence: float) -> Composed:
    """Model output -> answer: markers to no source dropped, the rest renumbered; no citation = ungrounded."""
    text, order = renumber_markers(raw, len(chunks))
    if language == "zh-Hant":
        text = in_script(text, language)
    citations = [to_citation(chunks[n - 1], i + 1) for i, n in enumerate(order)]
    warnings = expired_warnings(citations, language)
    if not citations:
        warnings.insert(0, message("llm_ungrounded", language))
    return Composed(text, bool(citations), confidence, language, citations, warnings)


class AnswerComposer:
    """Picks the mode: extractive always first (it decides whether there is anything to say)."""

    def __init__(
        self,
        min_confidence: float,
        llm: ChatModel | None = None,
        similarity: Similarity | None = None,
        glossary: CurrentGlossary | None = None,
    ) -> None:
        self.min_confidence = min_confidence
        self.llm = llm
        self.similarity = similarity
        self.glossary = glossary or CurrentGlossary(None)

    def _extractive(self, question: str, chunks: list[RetrievedChunk], language: str) -> Composed:
        return compose_extractive(
            question, chunks, language, self.min_confidence, self.similarity, self.glossary.current()
        )

    def compose(self, question: str, chunks: list[RetrievedChunk], language: str) -> Composed:
        base = self._extractive(question, chunks, language)
        if self.llm is None or not base.grounded:
            return base  # below the evidence bar the model is not asked: nothing to ground it in
        messages = build_messages("answer", prompt_language(language), chunks, question=question)
        try:
            raw = self.llm.complete(messages)
        except Exception as exc:  # timeout, HTTP error, refused connection: the extractive answer stands
            return _with_fallback_warning(base, exc)
        return finish_llm_answer(raw, chunks, language, base.confidence)

    def stream(self, question: str, chunks: list[RetrievedChunk], language: str) -> Iterator[str | Composed]:
        """Text pieces as they come, then the final Composed (whose text is authoritative)."""
        base = self._extractive(question, chunks, language)
        if self.llm is None or not base.grounded:
            yield base.answer
            yield base
            return
        messages = build_messages("answer", prompt_language(language), chunks, question=question)
        pieces: list[str] = []
        try:
            for piece in self.llm.stream(messages):
                pieces.append(piece)
                yield in_script(piece, language) if language == "zh-Hant" else piece
        except Exception as exc:
            fallback = _with_fallback_warning(base, exc)
            yield ("\n\n" if pieces else "") + fallback.answer
            yield fallback
            return
        yield finish_llm_answer("".join(pieces), chunks, language, base.confidence)


def _with_fallback_warning(base: Composed, exc: Exception) -> Composed:
    warning = message("llm_fallback", base.language, reason=failure_reason(exc))
    return replace(base, warnings=[warning, *base.warnings])
