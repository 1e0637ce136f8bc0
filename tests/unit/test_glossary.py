"""The glossary: other spellings of the words a question uses, for the keyword query and the answer check."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.text.glossary import CurrentGlossary, Glossary, GlossaryError, GlossaryJson, builtin, holds

GLOSSARY = Glossary([["专票", "增值税专用发票"], ["approve", "approval", "审批"], ["極光BI", "Aurora BI"]])


def test_a_question_gets_the_other_spellings_of_its_words() -> None:
    assert GLOSSARY.expansions("能开专票吗") == ["增值税专用发票"]
    assert GLOSSARY.expansions("Who has to approve it?") == ["approval", "审批"]


def test_latin_words_match_whole_words_only() -> None:
    assert GLOSSARY.expansions("Is there an approver list?") == []


def test_traditional_and_simplified_spell_the_same_entry() -> None:
    assert GLOSSARY.expansions("极光BI 怎么收费") == ["aurora bi"]


def test_a_term_inside_a_glossary_word_is_held_by_its_other_spelling() -> None:
    alternatives = GLOSSARY.alternatives("签约后能开专票吗", ["专票", "签约"])
    assert holds("可以开具增值税专用发票", "专票", alternatives)
    assert not holds("可以开具增值税专用发票", "签约", alternatives)


def test_a_glossary_that_is_not_a_list_of_lists_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "_glossary.yaml"
    path.write_text("专票: 增值税专用发票\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="list of entries"):
        Glossary.from_yaml(path)


def test_the_built_in_sales_words_translate_the_common_terms() -> None:
    assert "审批" in builtin().expansions("Who approves a 12% discount?")
    assert "payment terms" in builtin().expansions("最长账期是多少")


def test_without_a_kb_glossary_the_built_in_words_still_apply(tmp_path: Path) -> None:
    assert "审批" in CurrentGlossary(GlossaryJson(tmp_path / "glossary.json")).current().expansions(
        "Who approves it?"
    )


class _CountingStore(GlossaryJson):
    """The file store, counting how often a reader asks whether it changed."""

    checks = 0

    def stamp(self) -> object:
        self.checks += 1
        return super().stamp()


def test_a_replica_asks_the_store_at_most_once_per_interval_and_sees_its_own_writes_at_once(
    tmp_path: Path,
) -> None:
    store = _CountingStore(tmp_path / "glossary.json")
    glossary = CurrentGlossary(store, check_every_s=3600)
    for _ in range(50):  # fifty questions in a row
        assert "电子签章" not in glossary.current().expansions("电签")
    assert store.checks == 1
    glossary.record(tmp_path / "kb", Glossary([["电签", "电子签章"]]))
    assert "电子签章" in glossary.current().expansions("电签")
