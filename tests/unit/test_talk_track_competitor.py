"""A competitor named in another language steers talk tracks through the glossary's spellings."""

from __future__ import annotations

from assistant.answer.models import TalkTrackRequest
from assistant.answer.talk_tracks import rank_tracks
from assistant.retrieval.search import RetrievedChunk
from assistant.text.glossary import Glossary

GLOSSARY = Glossary([["星云crm", "xingyun crm", "xingyun"], ["蓝鲸客服", "bluewhale service", "bluewhale"]])


def _track(title: str, competitor: str, relevance: float) -> RetrievedChunk:
    fields = {"situation": "客户说我们价格太贵", "competitor": competitor, "script": "先算总拥有成本。"}
    meta = {"doc_type": "talk_track", "fields": fields}
    text = "客户说我们价格太贵。先算总拥有成本。"
    return RetrievedChunk(
        title, title, 1.0, text, text, title, [title], f"{title}.md", None, meta, relevance=relevance
    )


TRACKS = [
    _track("蓝鲸压价", "蓝鲸客服", 0.6),
    _track("星云嫌贵", "星云CRM", 0.3),
    _track("通用嫌贵", "无", 0.4),
]


def _tiers(req: TalkTrackRequest) -> list[tuple[str, int]]:
    return [(c.chunk.title, c.tier) for c in rank_tracks(req, TRACKS, {}, GLOSSARY)]


def test_an_english_situation_naming_the_competitor_puts_its_chinese_track_first() -> None:
    ranked = _tiers(TalkTrackRequest(situation="The customer says Xingyun CRM is cheaper"))
    assert ranked == [("星云嫌贵", 0), ("通用嫌贵", 1), ("蓝鲸压价", 2)]


def test_the_competitor_field_in_english_matches_a_chinese_track() -> None:
    ranked = _tiers(TalkTrackRequest(situation="客户说我们价格太贵", competitor="BlueWhale"))
    assert ranked[0] == ("蓝鲸压价", 0) and ("星云嫌贵", 2) in ranked


def test_without_a_glossary_an_english_name_steers_nothing() -> None:
    req = TalkTrackRequest(situation="The customer says Xingyun CRM is cheaper")
    assert all(c.tier == 1 for c in rank_tracks(req, TRACKS, {})[:2])
