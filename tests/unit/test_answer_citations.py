"""Citation markers from a model: bogus numbers dropped, the rest renumbered by first use."""

from __future__ import annotations

from assistant.answer.channel_limits import fit_channel
from assistant.answer.citations import renumber_markers
from assistant.answer.extractive import confidence
from assistant.answer.sentence_scores import query_terms
from assistant.index.schema import RRF_K


def test_markers_pointing_to_no_source_are_dropped() -> None:
    text, order = renumber_markers("价格是 1200 元[3]。另有折扣[9]，见[3, 7]。", available=3)
    assert text == "价格是 1200 元[1]。另有折扣，见[1]。"
    assert order == [3]


def test_wecom_drafts_fit_2048_bytes_with_a_note() -> None:
    text, cut = fit_channel("这是很长的一句话。" * 200, "wecom", "（已截断）")
    assert cut and len(text.encode("utf-8")) <= 2048 and text.endswith("（已截断）")


def test_slack_sections_fit_3000_chars() -> None:
    text, cut = fit_channel("short\n\n" + "x. " * 2000, "slack", "(truncated)")
    assert cut and all(len(s) <= 3000 for s in text.split("\n\n"))


def test_question_words_do_not_count_as_evidence() -> None:
    assert query_terms("云帆CRM的价格是多少？") == {"云帆", "crm", "价格"}
    assert confidence(0.0, 1.0) == 0.0 and confidence(1.0, 2 / 60) == 1.0


def test_markers_sit_before_the_closing_punctuation() -> None:
    from assistant.answer.answers import cite

    assert cite("项目在 8 周内完成上线。", 1) == "项目在 8 周内完成上线[1]。"
    assert cite("Dashboards refresh every 15 minutes.", 2) == "Dashboards refresh every 15 minutes[2]."
    assert cite("标准价: ¥1,980", 3) == "标准价: ¥1,980[3]"


def test_without_a_calibrated_embedder_only_a_chunk_first_in_both_lists_counts_fully() -> None:
    """The fusion counts positions from 0 (fusion.rrf): first in both is 2 / k; first and second less."""
    assert confidence(1.0, 2 / RRF_K) == 1.0
    assert confidence(1.0, 1 / RRF_K + 1 / (RRF_K + 1)) < 1.0
