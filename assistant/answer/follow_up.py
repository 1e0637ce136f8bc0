"""Follow-up drafts: a rep's private notes -> a message to one contact, grounded in quotable sources.

Shape: greeting to the contact; what they care about (topics from the notes, in neutral words);
1-3 cited proof points; one next step (the rep's own commitment when the notes hold one); sign-off.
Email drafts get a subject. Then the checks every draft gets, LLM-written or not: figures in neither
the notes nor a cited source, other customers or people named, notes copied word for word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.answer.channel_limits import fit_channel
from assistant.answer.citations import renumber_markers, to_citation
from assistant.answer.claims import known_claims, supported, unsupported_claims
from assistant.answer.language import in_script, prompt_language
from assistant.answer.llm import ChatModel, build_messages, failure_reason
from assistant.answer.mentions import other_parties
from assistant.answer.messages import message
from assistant.answer.models import Citation, FollowUpRequest
from assistant.answer.proof_points import known_customers, pick_proof_points, quotable
from assistant.answer.rep_notes import commitment, note_sentences, topics_in
from assistant.answer.sales_wording import join_list, phrase
from assistant.retrieval.search import RetrievedChunk

# A notes sentence shorter than this may appear in a draft by chance ("谢谢。"); longer ones may not.
MIN_COPIED_CHARS = 6


@dataclass
class Draft:
    text: str
    citations: list[Citation] = field(default_factory=list)
    used: list[RetrievedChunk] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    subject: str | None = None


def addressees(req: FollowUpRequest) -> list[str]:
    """Who may be named in the draft: the customer first, then the contact and the sender."""
    return [name for name in (req.customer, req.contact, req.sender) if name]


def subject_line(req: FollowUpRequest, language: str) -> str | None:
    """The e-mail subject: the customer and the topics; chat drafts have none."""
    if req.channel != "email":
        return None
    topics = [t.label(language) for t in topics_in(req.notes)]
    if not topics:
        return phrase("subject_plain", language, customer=req.customer)
    return phrase("subject", language, customer=req.customer, topics=join_list(topics, language))


def extractive_draft(
    req: FollowUpRequest, chunks: list[RetrievedChunk], language: str, known: list[str]
) -> Draft:
    """The draft in the module docstring's shape, built from fixed sentences and cited source sentences."""
    topics = topics_in(req.notes)
    points = pick_proof_points(chunks, topics, addressees(req), language, known)
    ranks = list(dict.fromkeys(p.rank for p in points))
    bullet = "· " if req.channel == "wecom" else "- "
    greeting = phrase("greeting", language, contact=req.contact) if req.contact else None
    opening = phrase("thanks", language)
    if topics:
        opening += ("" if language != "en" else " ") + phrase(
            "recap", language, topics=join_list([t.label(language) for t in topics], language)
        )
    parts = [greeting or phrase("greeting_anonymous", language), opening]
    if points:
        lines = [f"{bullet}{p.sentence.rstrip('。.')}[{ranks.index(p.rank) + 1}]" for p in points]
        parts.append(phrase("proof_intro", language) + "\n" + "\n".join(lines))
    step = commitment(req.notes)
    parts.append(
        phrase("next_step_promised", language, step=in_script(step, language))
        if step
        else phrase("next_step_default", language)
    )
    parts.append("\n".join(filter(None, [phrase("sign_off", language), req.sender])))
    used = [chunks[r] for r in ranks]
    snippets = {r: " ".join(p.sentence for p in points if p.rank == r) for r in ranks}
    citations = [to_citation(chunks[r], i + 1, snippet=snippets[r]) for i, r in enumerate(ranks)]
    return Draft("\n\n".join(parts), citations, used)


def llm_draft(llm: ChatModel, req: FollowUpRequest, chunks: list[RetrievedChunk], language: str) -> Draft:
    """The model's draft, markers to no source dropped and the rest renumbered. Raises on LLM failure."""
    messages = build_messages(
        "follow_up",
        prompt_language(language),
        chunks,
        customer=req.customer,
        contact=req.contact or "-",
        sender=req.sender or "-",
        stage=req.stage or "-",
        notes=req.notes,
        channel=req.channel,
    )
    text, order = renumber_markers(llm.complete(messages), len(chunks))
    if language == "zh-Hant":
        text = in_script(text, language)
    used = [chunks[n - 1] for n in order]
    return Draft(text, [to_citation(c, i + 1) for i, c in enumerate(used)], used)


def check_draft(draft: Draft, req: FollowUpRequest, known: list[str], language: str) -> list[str]:
    """Warnings: unsupported or private figures, other parties named, notes copied word for word."""
    public = [req.customer, commitment(req.notes) or "", *(c.text for c in draft.used)]
    in_notes = known_claims([req.notes])
    warnings = [
        # A figure only the private notes hold (a budget guess, a discount ask) is not the rep's promise.
        phrase("private_number", language, claim=claim.text)
        if supported(claim, in_notes)
        else message("unsupported_claim", language, claim=claim.text)
        for claim in unsupported_claims(draft.text, public)
    ]
    warnings += [
        phrase("other_party", language, name=name, customer=req.customer)
        for name in other_parties(draft.text, addressees(req), known)
    ]
    warnings += [
        phrase("notes_copied", language, sentence=sentence)
        for sentence in note_sentences(req.notes)
        if len(sentence.rstrip("。.!！?？;；")) >= MIN_COPIED_CHARS and sentence.rstrip("。.") in draft.text
    ]
    return warnings


def draft_follow_up(
    req: FollowUpRequest, chunks: list[RetrievedChunk], language: str, llm: ChatModel | None = None
) -> Draft:
    """LLM draft when configured (extractive on failure), then the checks and the channel limit."""
    known = known_customers(chunks)
    sources = [c for c in chunks if quotable(c, req.customer)]
    draft = None
    warnings: list[str] = []
    if llm is not None:
        try:
            draft = llm_draft(llm, req, sources, language)
        except Exception as exc:  # the rep still gets a draft
            warnings.append(message("llm_fallback", language, reason=failure_reason(exc)))
    draft = draft or extractive_draft(req, sources, language, known)
    warnings += check_draft(draft, req, known, language)
    draft.text, cut = fit_channel(draft.text, req.channel, message("truncated", language))
    if cut:
        warnings.append(message("truncated", language))
    draft.warnings = warnings + draft.warnings
    draft.subject = subject_line(req, language)
    return draft
