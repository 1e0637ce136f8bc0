"""A ranked talk track as a rep reads it: natural sentences, the request's script, a note on language."""

from __future__ import annotations

from typing import Any

from assistant.answer.citations import to_citation
from assistant.answer.language import in_script, is_chinese
from assistant.answer.models import TalkTrack
from assistant.answer.sales_wording import INDUSTRY_NAMES, LANGUAGE_NAMES, STAGE_NAMES, named, phrase
from assistant.answer.talk_tracks import Candidate, is_general
from assistant.retrieval.search import RetrievedChunk
from ingest.metadata import detect_language

_CLOSING = "。.!！?？"


def _track_language(chunk: RetrievedChunk, script: str) -> str:
    found = str(chunk.metadata.get("language") or detect_language(script))
    return found if found in LANGUAGE_NAMES else ("zh-Hans" if is_chinese(script) else "en")


def when_to_use(fields: dict[str, Any], language: str) -> str:
    """`客户说…。适用于商务谈判阶段，面向采购经理，零售行业，应对竞品星云CRM。` - no field labels."""
    parts = []
    if fields.get("stage") and not is_general(fields["stage"]):
        parts.append(phrase("stage", language, stage=named(STAGE_NAMES, str(fields["stage"]), language)))
    if fields.get("persona") and not is_general(fields["persona"]):
        parts.append(phrase("persona", language, persona=fields["persona"]))
    if fields.get("industry") and not is_general(fields["industry"]):
        parts.append(
            phrase("industry", language, industry=named(INDUSTRY_NAMES, str(fields["industry"]), language))
        )
    if fields.get("competitor") and not is_general(fields["competitor"]):
        parts.append(phrase("competitor", language, competitor=fields["competitor"]))
    sep = ", " if language == "en" else "，"
    context = phrase("context", language, parts=sep.join(parts)) if parts else ""
    situation = str(fields.get("situation") or "").rstrip(_CLOSING)
    if situation:
        situation += "." if language == "en" and not is_chinese(situation) else "。"
    return in_script(
        (situation + (" " if situation and language == "en" else "") + context).strip(), language
    )


def _script(fields: dict[str, Any], chunk: RetrievedChunk, language: str) -> str:
    """The script field; a track without one is read from its situation and proof points, never raw rows."""
    script = str(fields.get("script") or "")
    if not script and not chunk.metadata.get("fields"):
        script = chunk.text
    return in_script(script, language) if language != "en" else script


def to_talk_track(candidate: Candidate, language: str) -> TalkTrack:
    """The track in the request's script (Simplified/Traditional); a note when its language differs."""
    fields, chunk = candidate.fields, candidate.chunk
    situation = str(fields.get("situation") or "")
    title = (
        chunk.title if not chunk.metadata.get("fields") or not situation else f"{chunk.title}：{situation}"
    )
    script = _script(fields, chunk, language)
    track_language = _track_language(chunk, script)
    differs = (track_language == "en") != (language == "en")
    notes = (
        [phrase("script_language", language, script_language=named(LANGUAGE_NAMES, track_language, language))]
        if differs
        else []
    )
    return TalkTrack(
        title=in_script(title, language),
        when_to_use=when_to_use(fields, language),
        script=script,
        proof_points=[in_script(p, language) for p in fields["proof_points"]],
        citations=[to_citation(chunk, 1, snippet=script[:220])],
        language=track_language,
        relevance=candidate.relevance,
        notes=notes,
    )
