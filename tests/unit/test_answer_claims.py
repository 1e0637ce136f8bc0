"""The follow-up claim checker: invented figures are flagged, figures from notes or sources are not."""

from __future__ import annotations

from assistant.answer.claims import unsupported_claims


def flagged(draft: str, *evidence: str) -> list[str]:
    return [c.text for c in unsupported_claims(draft, list(evidence))]


def test_an_invented_discount_and_price_are_flagged() -> None:
    draft = "我们可以给您 9 折，标准版只要 ¥999/用户/年。[1]"
    assert flagged(draft, "客户关注价格", "云帆CRM 标准版每用户每年 1200 元。") == ["¥999", "9 折"]


def test_figures_from_the_notes_or_a_source_pass_in_another_spelling() -> None:
    draft = "标准版 ¥1,200/用户/年 [1]，两周内给您报价，3月1日前上线。"
    assert flagged(draft, "两周内报价；2026-03-01 上线", "每用户每年 1200 元") == []


def test_dates_percentages_and_english_deadlines_are_checked() -> None:
    draft = "Efficiency rose 35% [1]. We will go live within 3 weeks, by 2026-04-30."
    assert flagged(draft, "efficiency up 35%", "go-live planned within two weeks") == [
        "2026-04-30",
        "within 3 weeks",
    ]


def test_citation_markers_are_not_numbers() -> None:
    assert flagged("效率提升明显。[2]", "") == []
