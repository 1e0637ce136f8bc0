"""Chunking follows document structure."""

from __future__ import annotations

from pathlib import Path

from assistant.text.sentences import split_sentences
from ingest.chunking import chunk_document
from ingest.loaders import Block, ParsedDocument


def _doc(blocks: list[Block], name: str = "plan.docx") -> ParsedDocument:
    return ParsedDocument(Path(name), blocks)


def test_sentences_split_on_chinese_and_english_ends() -> None:
    text = "第一句。第二句！Third one. Version 3.5 ships? 结束"
    assert split_sentences(text) == ["第一句。", "第二句！", "Third one.", "Version 3.5 ships?", "结束"]


def test_chunks_carry_their_title_path() -> None:
    doc = _doc(
        [
            Block("一、规划", kind="title", level=1),
            Block("（一）内容框架", kind="title", level=2),
            Block("框架按产品线划分。"),
            Block("二、运营", kind="title", level=1),
            Block("运营需要专职团队。"),
        ]
    )
    chunks = chunk_document(doc, "知识库方案")
    assert [c.title_path for c in chunks] == [
        ["知识库方案", "一、规划", "（一）内容框架"],
        ["知识库方案", "二、运营"],
    ]
    assert chunks[1].text == "运营需要专职团队。"


def test_long_sections_split_at_sentence_ends_with_overlap() -> None:
    sentences = [f"第{i}句讲的是客户分级和跟进节奏的细节内容。" for i in range(60)]
    chunks = chunk_document(_doc([Block("".join(sentences))]), "手册", size=300, overlap=60)
    assert len(chunks) > 3
    assert all(len(c.text) <= 300 for c in chunks)
    assert all(c.text.endswith("。") for c in chunks)
    for before, after in zip(chunks, chunks[1:], strict=False):
        first_of_next = split_sentences(after.text)[0]
        assert first_of_next in before.text  # overlap carries the previous tail forward


def test_each_table_row_is_one_chunk_with_its_fields() -> None:
    rows = [
        {"场景": "客户嫌贵", "话术": "先谈价值再谈价格。"},
        {"场景": "竞品比较", "话术": "强调本地服务。"},
    ]
    blocks = [
        Block("\n".join(f"{k}: {v}" for k, v in r.items()), kind="table_row", sheet="话术", fields=r)
        for r in rows
    ]
    chunks = chunk_document(_doc(blocks, "tracks.xlsx"), "销售话术")
    assert [c.fields for c in chunks] == rows
    assert chunks[0].title_path == ["销售话术", "话术"]


def test_slides_never_share_a_chunk() -> None:
    doc = _doc([Block("第一页内容。", page=1), Block("第二页内容。", page=2)], "deck.pptx")
    assert [(c.page, c.text) for c in chunk_document(doc, "Deck")] == [
        (1, "第一页内容。"),
        (2, "第二页内容。"),
    ]


def test_display_text_drops_pinyin_and_matching_text_is_simplified() -> None:
    chunk = chunk_document(_doc([Block("銷售(shòu)流程線上化。")]), "方案")[0]
    assert chunk.text == "銷售流程線上化。"
    assert chunk.text_norm == "销售流程线上化。"
