"""Talk tracks through the real API: the named competitor first, only matching tracks, honest when none."""

from __future__ import annotations

from typing import Any

from assistant.db import AnswerStore, FeedbackStore
from tests.integration.api_kb import Api
from tests.integration.sales_kb import sales_api

__all__ = ["sales_api"]


def _tracks(api: Api, **body: Any) -> dict[str, Any]:
    response = api.client.post("/v1/talk-tracks", json=body, headers=api.auth("rep"))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _titles(result: dict[str, Any]) -> list[str]:
    return [t["title"] for t in result["talk_tracks"]]


def test_the_named_competitors_track_comes_first_and_others_never_show(sales_api: Api) -> None:
    result = _tracks(sales_api, situation="客户说价格太贵", competitor="星云CRM")
    titles = _titles(result)
    assert titles[0] == "话术：星云CRM 客户嫌贵"
    assert not any("BlueWhale" in t or "极光BI" in t for t in titles)
    # Without a named competitor the same situation finds the other competitors' tracks too.
    assert any("BlueWhale" in t for t in _titles(_tracks(sales_api, situation="客户说价格太贵", limit=10)))


def test_a_competitor_named_in_the_situation_steers_like_the_field(sales_api: Api) -> None:
    titles = _titles(_tracks(sales_api, situation="客户拿 BlueWhale 的报价说我们价格太贵"))
    assert titles[0] == "话术：BlueWhale 压价" and not any("星云" in t or "极光" in t for t in titles)


def test_stage_and_persona_steer_the_order(sales_api: Api) -> None:
    negotiation = _tracks(sales_api, situation="客户说价格太贵", stage="negotiation", persona="采购经理")
    discovery = _tracks(sales_api, situation="客户说价格太贵", stage="discovery", persona="IT 负责人")
    assert _titles(negotiation)[0] == "话术：价格太贵（谈判）"
    assert _titles(discovery)[0] == "话术：价格太贵（需求挖掘）"


def test_no_matching_track_is_said_with_the_closest_general_one_labelled(sales_api: Api) -> None:
    result = _tracks(sales_api, situation="客户想要一个火箭发射方案")
    assert result["talk_tracks"] == []
    assert result["notice"] == "没有找到与这个场景匹配的话术。"
    closest = result["closest"]
    assert closest is not None and closest["title"] in (
        "话术：价格太贵（谈判）",
        "话术：价格太贵（需求挖掘）",
    )
    assert "星云" not in closest["title"] and "BlueWhale" not in closest["title"]


def test_fields_read_as_sentences_and_a_different_script_language_is_said(sales_api: Api) -> None:
    [first, *_] = _tracks(sales_api, situation="客户说价格太贵", competitor="星云CRM")["talk_tracks"]
    when = first["when_to_use"]
    assert when.startswith("客户在用星云CRM，觉得我们价格太贵。") and "商务谈判阶段" in when
    assert not any(label in when for label in ("situation", "stage", "persona", ":"))
    assert first["notes"] == [] and first["language"] == "zh-Hans"
    english = _tracks(sales_api, situation="外资客户问数据存放在哪里")["talk_tracks"][0]
    assert english["script"].startswith("Your data stays") and english["notes"] == ["这条话术是英文写的。"]


def test_votes_reorder_matching_tracks(sales_api: Api) -> None:
    plain = {"situation": "客户说价格太贵", "limit": 10}
    before = _titles(_tracks(sales_api, **plain))
    loser = next(t for t in _tracks(sales_api, **plain)["talk_tracks"] if t["title"] == before[0])
    doc_id = loser["citations"][0]["doc_id"]
    answers, feedback = AnswerStore(sales_api.services.db), FeedbackStore(sales_api.services.db)
    for i in range(5):
        answers.save(f"vote{i}", f"user{i}", "q", "a", [doc_id])  # people vote on their own answers
        feedback.add(f"vote{i}", f"user{i}", "down")
    after = _titles(_tracks(sales_api, **plain))
    assert after[0] != before[0] and before[0] in after


def test_an_overlong_competitor_is_a_clear_422(sales_api: Api) -> None:
    body = {"situation": "客户说价格太贵", "competitor": "星" * 201}
    response = sales_api.client.post("/v1/talk-tracks", json=body, headers=sales_api.auth("rep"))
    assert response.status_code == 422 and "competitor" in response.text


def test_an_english_situation_finds_the_chinese_tracks_through_the_glossary(sales_api: Api) -> None:
    result = _tracks(sales_api, situation="The customer says Xingyun CRM is cheaper")
    assert _titles(result)[:1] == ["话术：星云CRM 客户嫌贵"] and result["notice"] is None
    assert result["talk_tracks"][0]["notes"] == ["This script is written in Chinese."]
    assert not any("BlueWhale" in t or "极光BI" in t for t in _titles(result))


def test_an_unrelated_english_situation_still_finds_no_chinese_track(sales_api: Api) -> None:
    result = _tracks(sales_api, situation="The customer wants a rocket launch plan")
    assert result["talk_tracks"] == []
    assert result["notice"] == "No matching talk track for this situation."
    assert result["closest"] is not None and "星云" not in result["closest"]["title"]
