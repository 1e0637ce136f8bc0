"""Follow-up drafts: a rep's notes -> a message grounded in visible case studies and product facts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.answer.channel_limits import fit_channel
from assistant.answer.citations import renumber_markers, to_citation
from assistant.answer.claims import unsupported_claims
from assistant.answer.extractive import evidence, pick_sentences
from assistant.answer.language import in_script, prompt_language
from assistant.answer.llm import ChatModel, build_messages, failure_reason
from assistant.answer.messages import message
from assistant.answer.models import Citation, FollowUpRequest
from assistant.retrieval.search import RetrievedChunk

MAX_FACTS = 2
_NOTE_SPLIT = re.compile(r"\n+|(?<=[。；;])")


@dataclass
class Draft:
    text: str
    citations: list[Citation] = field(default_factory=list)
    used: list[RetrievedChunk] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _note_points(notes: str) -> list[str]:
    return [p.strip(" -•*·\t") for p in _NOTE_SPLIT.split(notes) if p.strip(" -•*·\t")]


def extractive_draft(
    req: FollowUpRequest, chunks: list[RetrievedChunk], language: str, min_confidence: float
) -> Draft:
    """Greeting, the notes as points, up to two cited facts that match them, a closing line."""
    query = f"{req.customer} {req.notes}"
    picks = pick_sentences(query, chunks, limit=MAX_FACTS)
    if evidence(query, chunks, picks) < min_confidence:
        picks = []
    ranks = list(dict.fromkeys(p.rank for p in picks))
    facts = [f"{in_script(p.sentence, language)}[{ranks.index(p.rank) + 1}]" for p in picks]
    bullet = "- " if req.channel != "wecom" else "· "
    parts = [message("greeting", language, customer=req.customer), message("thanks", language)]
    parts.append("\n".join(bullet + p for p in _note_points(req.notes)))
    if facts:
        parts.append(message("facts", language) + "\n" + "\n".join(bullet + f for f in facts))
    parts.append(message("closing", language))
    used = [chunks[r] for r in ranks]
    citations = [to_citation(c, i + 1) for i, c in enumerate(used)]
    return Draft("\n\n".join(parts), citations, used)


def llm_draft(llm: ChatModel, req: FollowUpRequest, chunks: list[RetrievedChunk], language: str) -> Draft:
    """The model's draft, markers to no source dropped and the rest renumbered. Raises on LLM failure."""
    messages = build_messages(
        "follow_up",
        prompt_language(language),
        chunks,
        customer=req.customer,
        stage=req.stage or "-",
        notes=req.notes,
        channel=req.channel,
    )
    text, order = renumber_markers(llm.complete(messages), len(chunks))
    if language == "zh-Hant":
        text = in_script(text, language)
    used = [chunks[n - 1] for n in order]
    return Draft(text, [to_citation(c, i + 1) for i, c in enumerate(used)], used)


def draft_follow_up(
    req: FollowUpRequest,
    chunks: list[RetrievedChunk],
    language: str,
    min_confidence: float,
    llm: ChatModel | None = None,
) -> Draft:
    """LLM draft when configured (extractive on failure), then the claim check and the channel limit."""
    draft = None
    warnings: list[str] = []
    if llm is not None:
        try:
            draft = llm_draft(llm, req, chunks, language)
        except Exception as exc:  # the rep still gets a draft
            warnings.append(message("llm_fallback", language, reason=failure_reason(exc)))
    draft = draft or extractive_draft(req, chunks, language, min_confidence)
    sources = [c.text for c in draft.used]
    for claim in unsupported_claims(draft.text, [req.notes, req.customer, *sources]):
        warnings.append(message("unsupported_claim", language, claim=claim.text))
    draft.text, cut = fit_channel(draft.text, req.channel, message("truncated", language))
    if cut:
        warnings.append(message("truncated", language))
    draft.warnings = warnings + draft.warnings
    return draft
