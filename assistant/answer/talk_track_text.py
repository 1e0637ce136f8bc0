"""A ranked talk track as a rep reads it: natural sentences, the request's script, a note on language."""

from __future__ import annotations

from typing import Any

from assistant.answer.citations import to_citation
from assistant.answer.language import in_script, is_chinese
from assistant.answer.models import TalkTrack
from assistant.answer.sales_wording import INDUSTRY_NAMES, LANGUAGE_NAMES, STAGE_NAMES, named, phrase
from assistant.answer.talk_tracks import Candidate, is_general
from assistant.retrieval.search import RetrievedChunk
from assistant.text.language import detect_language

_CLOSING = "。.!！?？"


def _track_language(chunk: RetrievedChunk, script: str) -> str:
    found = str(chunk.metadata.get("language") or detect_language(script))
    return found if found in LANGUAGE_NAMES else ("zh-Hans" if is_chinese(script) else "en")


# Fields that describe when a track applies, and the words their values are said with.
_CONTEXT: tuple[tuple[str, dict[str, tuple[str, str]]], ...] = (
    ("stage", STAGE_NAMES),
    ("persona", {}),
    ("industry", INDUSTRY_NAMES),
    ("competitor", {}),
)


def when_to_use(fields: dict[str, Any], language: str) -> str:
    """`客户说…。适用于商务谈判阶段，面向采购经理，零售行业，应对竞品星云CRM。` - no field labels."""
    parts = [
        phrase(key, language, **{key: named(words, str(fields[key]), language)})
        for key, words in _CONTEXT
        if fields.get(key) and not is_general(fields[key])
    ]
    sep = ", " if language == "en" else "，"
    context = phrase("context", language, parts=sep.join(parts)) if parts else ""
    situation = str(fields.get("situation") or "").rstrip(_CLOSING)
    if situation:
        situation += "." if language == "en" and not is_chinese(situation) else "。"
    joiner = " " if situation.endswith(".") else ""
    return in_script((situation + joiner + context).strip(), language)


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
