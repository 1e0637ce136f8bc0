"""Follow-up drafts through the real API: what a customer would read, and what must never reach them."""

from __future__ import annotations

import re
from typing import Any

from tests.integration.api_kb import Api
from tests.integration.sales_kb import HIDDEN, sales_api

__all__ = ["sales_api"]

NOTES = (
    "客户问续约能不能打85折。老板比较难搞，预算大概50万。关心上线周期和会员复购。我答应下周三前发送续约方案。"
)
OTHER_CUSTOMER = ("鲜达超市", "李明辉", "13812345678", "138****5678", "liminghui", "汇丰源")


def _draft(api: Api, user: str = "rep", **body: Any) -> dict[str, Any]:
    response = api.client.post("/v1/follow-ups", json=body, headers=api.auth(user))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def _note_sentences(notes: str) -> list[str]:
    return [s for s in re.split(r"[。！？.!?]", notes) if len(s.strip()) >= 4]


def test_email_draft_greets_the_contact_and_keeps_the_notes_private(sales_api: Api) -> None:
    body = {"customer": "华锐精密", "contact": "陈总", "sender": "王磊", "notes": NOTES, "channel": "email"}
    result = _draft(sales_api, **body)
    draft = result["draft"]
    assert draft.startswith("陈总，您好！") and draft.endswith("王磊")
    assert result["subject"] == "华锐精密：关于上线周期、会员复购和续约与扩容安排的跟进"
    for sentence in _note_sentences(NOTES):
        assert sentence not in draft
    for remark in ("85", "折", "难搞", "50万", "预算"):
        assert remark not in draft + result["subject"]
    assert "下周三前发送续约方案" in draft  # the rep's own commitment is the next step
    assert result["warnings"] == []


def test_proof_points_are_cited_and_never_another_customers_details(sales_api: Api) -> None:
    body = {"customer": "华锐精密", "contact": "陈总", "notes": NOTES, "channel": "email"}
    result = _draft(sales_api, **body)
    points = [line for line in result["draft"].splitlines() if line.startswith("- ")]
    assert 1 <= len(points) <= 3 and all(re.search(r"\[\d\]$", p) for p in points)
    assert len(result["citations"]) == len({re.search(r"\[(\d)\]", p).group(1) for p in points})  # type: ignore[union-attr]
    assert "会员复购率提升 18%" in result["draft"]  # from the anonymised public reference
    for detail in (*OTHER_CUSTOMER, HIDDEN):
        assert detail not in result["draft"]
    manager = _draft(sales_api, user="manager", **body)  # may read the confidential case, still not quoted
    assert not any(detail in manager["draft"] for detail in (*OTHER_CUSTOMER, HIDDEN))


def test_the_addressees_own_case_may_be_quoted_but_not_its_contacts_phone(sales_api: Api) -> None:
    body = {
        "customer": "鲜达超市",
        "contact": "李总",
        "notes": "关心会员复购和上线周期。",
        "channel": "wecom",
    }
    result = _draft(sales_api, **body)
    assert result["subject"] is None and result["draft"].startswith("李总，您好！")
    assert "13812345678" not in result["draft"] and "138****5678" not in result["draft"]


def test_english_and_traditional_drafts(sales_api: Api) -> None:
    english = _draft(
        sales_api,
        customer="Pacific Pearl",
        contact="Ms. Chen",
        sender="Lei Wang",
        notes="They care about the implementation timeline. Boss is hard to please.",
    )
    assert english["draft"].startswith("Dear Ms. Chen,") and english["draft"].endswith("Lei Wang")
    assert english["subject"] == "Follow-up for Pacific Pearl: implementation timeline"
    assert "goes live in 6 weeks[1]" in english["draft"] and "hard to please" not in english["draft"]
    assert not re.search(r"[\u4e00-\u9fff]", english["draft"])
    hant = _draft(
        sales_api, customer="美好藥局", contact="林副總", notes="關心會員回購。", language="zh-Hant"
    )
    assert (
        hant["draft"].startswith("林副總，您好！") and "感謝" in hant["draft"] and "感谢" not in hant["draft"]
    )


def test_wecom_draft_fits_the_message_limit(sales_api: Api) -> None:
    notes = "客户关注上线周期和会员复购。" * 200 + "我答应周五前给报价单。"
    result = _draft(sales_api, customer="华锐精密", notes=notes, channel="wecom")
    assert len(result["draft"].encode("utf-8")) <= 2048 and result["draft"].startswith("您好！")


def test_contact_too_long_is_a_clear_422(sales_api: Api) -> None:
    response = sales_api.client.post(
        "/v1/follow-ups",
        json={"customer": "华锐精密", "notes": "关心上线周期", "contact": "王" * 101},
        headers=sales_api.auth("rep"),
    )
    assert response.status_code == 422 and "contact" in response.text
