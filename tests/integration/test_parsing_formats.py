"""Every supported format parses into blocks and chunks a user would recognise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.errors import IngestError, UnsupportedFormat
from ingest.loaders import SUPPORTED_SUFFIXES, parse_file
from tests.integration.parsing_samples import ROWS, ocr_has_line, write_samples, write_scanned_pdf

# What the seeds' noise looks like: `銷售(shòu)`, `關(guān)係`.
PINYIN = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ ]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-z ]*[)）]")

EXPECTED = {
    ".docx": "知识库应服务于销售团队的实际需求。",
    ".pptx": "报价需要区域总监审批。",
    ".xlsx": "先谈价值再谈价格。",
    ".csv": "支持，提供离线安装包。",
    ".md": "销售平台支持离线部署。",
    ".html": "折扣不超过百分之十五。",
    ".txt": "客户希望降低获客成本。",
    ".eml": "The pilot starts on Monday.",
    ".pdf": "Discounts above 15 percent need approval.",
}


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_samples(tmp_path_factory.mktemp("samples"))


@pytest.mark.parametrize("suffix", sorted(EXPECTED))
def test_each_format_yields_its_text(samples: dict[str, Path], suffix: str) -> None:
    doc = parse_file(samples[suffix])
    chunks = chunk_document(doc, "T")
    assert EXPECTED[suffix] in "\n".join(c.text for c in chunks)


def test_every_supported_suffix_has_a_sample(samples: dict[str, Path]) -> None:
    assert SUPPORTED_SUFFIXES - {".htm"} == set(samples)


def test_spreadsheet_rows_become_chunks_with_fields(samples: dict[str, Path]) -> None:
    chunks = chunk_document(parse_file(samples[".xlsx"]), "销售话术")
    header = ROWS[0]
    assert chunks[0].fields == dict(zip(header, ROWS[1], strict=True))
    assert chunks[1].fields == {"场景": "竞品比较", "话术": "强调本地服务。"}  # empty cells left out
    assert chunks[0].title_path == ["销售话术", "话术"]


def test_word_outline_numbers_and_tables(samples: dict[str, Path]) -> None:
    chunks = chunk_document(parse_file(samples[".docx"]), "销售知识库方案")
    body = next(c for c in chunks if "实际需求" in c.text)
    assert body.title_path == ["销售知识库方案", "一、规划与设计"]
    assert [c.fields.get("场景") for c in chunks if c.fields] == ["客户嫌贵", "竞品比较"]


def test_slides_keep_slide_numbers(samples: dict[str, Path]) -> None:
    chunks = chunk_document(parse_file(samples[".pptx"]), "Deck")
    assert [(c.page, c.title_path[-1]) for c in chunks] == [(1, "线索管理"), (2, "成交管理")]


def test_markdown_front_matter_is_returned_not_indexed(samples: dict[str, Path]) -> None:
    doc = parse_file(samples[".md"])
    assert doc.front_matter == {"title": "笔记", "access_level": "public"}
    assert "access_level" not in doc.text


def test_scanned_pdf_is_read_with_ocr(tmp_path: Path) -> None:
    path, lines = write_scanned_pdf(tmp_path / "scan.pdf")
    doc = parse_file(path)
    assert doc.ocr_used
    assert lines[0] == "销售知识库"  # the Chinese line is the real case
    assert all(ocr_has_line(doc.text, line) for line in lines), doc.text
    assert doc.blocks[0].page == 1


@pytest.mark.parametrize("name", ["x.docx", "x.pptx", "x.xlsx", "x.pdf"])
def test_corrupt_file_is_a_clear_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(IngestError, match=rf"^{path}: not a readable "):
        parse_file(path)


def test_unknown_suffix_is_unsupported(tmp_path: Path) -> None:
    path = tmp_path / "tool.exe"
    path.write_bytes(b"MZ")
    with pytest.raises(UnsupportedFormat, match="format '.exe' is not supported"):
        parse_file(path)


def test_seed_documents_parse_with_structure(seeds_dir: Path) -> None:
    pdf = parse_file(seeds_dir / "crm-handbook.pdf")
    assert not pdf.ocr_used and max(b.page or 0 for b in pdf.blocks) > 10
    assert not PINYIN.search(pdf.text) and "銷售" in pdf.text
    project = chunk_document(parse_file(seeds_dir / "sales-online-project.docx"), "方案")
    assert not any(PINYIN.search(c.text) for c in project)
    paths = {tuple(c.title_path[1:]) for c in project}
    assert ("2.4.3數據安全風險:隱私保護與合規風險",) in paths  # outline number made a heading
    kb = chunk_document(parse_file(seeds_dir / "sales-kb-plan.docx"), "方案")
    assert ["方案", "一、销售知识库的规划与设计", "(一)知识库内容框架的构建"] in [c.title_path for c in kb]
    assert all(len(c.text) <= 450 for c in project + kb)
