"""The side-by-side diff: rows by sentence, Chinese compared by character, changes marked in place."""

from __future__ import annotations

from assistant.text.diff import diff_counts, inline_parts, side_by_side

OLD = "企业版最少 20 个账号。价格为每人每月 99 元。实施周期两周。\n联系王敏。"
NEW = "企业版最少 20 个账号。价格为每人每月 129 元。实施周期两周。\n联系王敏。\n新增：支持私有部署。"


def test_one_changed_clause_in_a_chinese_paragraph_is_one_changed_row() -> None:
    rows = side_by_side(OLD, NEW)
    assert [(r.kind, r.left, r.right) for r in rows] == [
        ("same", 1, 1),
        ("changed", 2, 2),
        ("same", 3, 3),
        ("same", 4, 4),
        ("added", None, 5),
    ]
    changed = rows[1]
    assert [t for t, c in changed.left_parts if c] == ["99"]
    assert [t for t, c in changed.right_parts if c] == ["129"]
    assert "".join(t for t, _ in changed.right_parts) == "价格为每人每月 129 元。"
    assert diff_counts(rows) == {"added": 1, "removed": 0, "changed": 1, "same": 3}


def test_han_characters_compare_one_by_one_and_latin_words_whole() -> None:
    left, right = inline_parts("试用期为十四天", "试用期为三十天")
    assert [t for t, c in right if c] == ["三"] and [t for t, c in left if c] == ["四"]
    left, right = inline_parts("Orion costs 99 dollars", "Orion costs 129 dollars")
    assert [t for t, c in left if c] == ["99"] and [t for t, c in right if c] == ["129"]


def test_removed_sentences_and_an_empty_side() -> None:
    assert [r.kind for r in side_by_side("一。二。三。", "一。三。")] == ["same", "removed", "same"]
    assert [r.kind for r in side_by_side("", "新文档。第二句。")] == ["added", "added"]
    assert side_by_side("", "") == []
