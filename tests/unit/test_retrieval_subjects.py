"""A question naming a customer, product or competitor of the knowledge base is about that one: the
glossary gives every spelling of the name, and a source that never names it ranks below one that does."""

from __future__ import annotations

from dataclasses import replace

from assistant.retrieval.subjects import unnamed_documents
from assistant.text.glossary import Glossary, builtin
from tests.unit.test_answer_focus import chunk

KB = Glossary(
    builtin().groups,
    own=[
        ["北辰乳业", "beichen dairy", "beichen"],
        ["太平洋明珠保险", "pacific pearl insurance", "pacific pearl"],
        ["企业版", "enterprise"],
    ],
)
NAMED = chunk("客户背景：北辰乳业是总部位于呼和浩特的乳制品企业。", "客户案例：北辰乳业")
RESULTS = replace(chunk("库存周转天数从 42 天降到 29 天。", "客户案例：北辰乳业", 1), title_path=["成果"])
ANONYMOUS = chunk("某华北乳制品企业：库存周转天数从 42 天降到 29 天。", "可对外引用的客户成果（匿名版）", 2)


def test_the_kb_names_a_question_uses_come_with_every_spelling() -> None:
    assert KB.subjects_in("北辰乳業的庫存周轉天數變化多少？") == [["北辰乳业", "beichen dairy", "beichen"]]
    english = KB.subjects_in("What results did Pacific Pearl Insurance get?")
    assert english == [["太平洋明珠保险", "pacific pearl insurance", "pacific pearl"]]  # one name, not two


def test_editions_and_general_sales_words_are_no_subjects() -> None:
    assert KB.subjects_in("企业版的折扣谁审批？") == []
    assert builtin().subjects_in("增值税专用发票怎么开") == []


def test_a_source_that_never_names_the_subject_is_unnamed() -> None:
    subjects = KB.subjects_in("北辰乳业的库存周转天数变化多少？")
    assert unnamed_documents([ANONYMOUS, NAMED], subjects) == {ANONYMOUS.doc_id}


def test_a_section_without_the_name_counts_with_its_document_and_title() -> None:
    subjects = KB.subjects_in("Beichen Dairy 的库存周转天数变化多少？")
    assert unnamed_documents([RESULTS], subjects) == set()  # the title names it
    untitled = replace(RESULTS, title="客户案例", doc_id="case")
    assert unnamed_documents([untitled], subjects) == {"case"}
    assert unnamed_documents([untitled, replace(NAMED, doc_id="case")], subjects) == set()


def test_a_question_naming_nothing_leaves_every_source_alone() -> None:
    assert unnamed_documents([ANONYMOUS, NAMED], KB.subjects_in("库存周转天数能降多少？")) == set()
