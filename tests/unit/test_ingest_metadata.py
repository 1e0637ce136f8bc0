"""Metadata resolution: sources, precedence, defaults, and errors that name file and field."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from assistant.access import AccessPolicy
from assistant.text.language import detect_language
from ingest.errors import MetadataError
from ingest.loaders import Block, ParsedDocument
from ingest.metadata import is_metadata_file, resolve_metadata


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_sources_merge_strongest_first(tmp_path: Path, policy: AccessPolicy) -> None:
    _write(tmp_path / "_meta.yaml", "access_level: public\nindustry: retail\nowner: root\n")
    _write(tmp_path / "sales" / "_meta.yaml", "access_level: confidential\ngroups: emea\n")
    deck = _write(tmp_path / "sales" / "deck.pptx", "")
    _write(
        tmp_path / "sales" / "deck.pptx.meta.yaml", "title: 渠道打法\nowner: alice\neffective: 2024-01-01\n"
    )
    meta = resolve_metadata(deck, tmp_path, {"access_level": "internal", "doc_type": "playbook"}, policy)
    assert meta.title == "渠道打法"
    assert meta.owner == "alice"  # sidecar beats folder
    assert meta.access_level == "confidential"  # nearest folder beats root folder and CLI
    assert meta.groups == ["emea"]
    assert meta.industry == "retail"  # inherited from the root folder
    assert meta.doc_type == "playbook"  # from the CLI, nothing stronger set it
    assert meta.effective == datetime.date(2024, 1, 1)


def test_front_matter_beats_sidecar(tmp_path: Path, policy: AccessPolicy) -> None:
    doc = _write(tmp_path / "faq.md", "---\ntitle: 常见问题\naccess_level: public\n---\n# 标题\n")
    _write(tmp_path / "faq.md.meta.yaml", "access_level: restricted\n")
    meta = resolve_metadata(doc, tmp_path, {}, policy)
    assert (meta.title, meta.access_level, meta.doc_type) == ("常见问题", "public", "faq")


def test_defaults_come_from_the_document(tmp_path: Path, policy: AccessPolicy) -> None:
    path = _write(tmp_path / "case-studies" / "acme.docx", "")
    parsed = ParsedDocument(
        path, [Block("ACME 案例", kind="title", level=1), Block("這是繁體中文的銷售案例說明。")]
    )
    meta = resolve_metadata(path, tmp_path, {}, policy, parsed=parsed)
    assert (meta.title, meta.doc_type, meta.access_level, meta.groups) == (
        "ACME 案例",
        "case_study",
        "internal",
        [],
    )
    assert meta.language == "zh-Hant"
    assert resolve_metadata(path, tmp_path, {}, policy).title == "acme"


def test_a_copyright_notice_is_never_the_title(tmp_path: Path, policy: AccessPolicy) -> None:
    path = _write(tmp_path / "raw" / "001.txt", "")
    notice = "版權說明:本文檔由用戶提供并上傳,收益歸屬內容提供方,若內容存在侵權,請進行舉報或認領"
    contents = (
        "企業產品銷售與客戶關係管理手冊1.第一章產品銷售基礎與策略1.1產品銷售概述1.2銷售目標設定與分解" * 2
    )
    parsed = ParsedDocument(path, [Block(notice), Block("文檔簡介"), Block(contents)])
    meta = resolve_metadata(path, tmp_path, {}, policy, parsed=parsed)
    assert meta.title == "企業產品銷售與客戶關係管理手冊"
    cover = ParsedDocument(path, [Block("Copyright © 2026 Example Ltd."), Block("Sales Playbook 2026")])
    assert resolve_metadata(path, tmp_path, {}, policy, parsed=cover).title == "Sales Playbook 2026"


def test_bad_access_level_names_file_and_field(tmp_path: Path, policy: AccessPolicy) -> None:
    doc = _write(tmp_path / "sales" / "x.docx", "")
    _write(tmp_path / "sales" / "x.docx.meta.yaml", "access_level: secret\n")
    with pytest.raises(MetadataError) as err:
        resolve_metadata(doc, tmp_path, {}, policy)
    assert str(err.value) == (
        "sales/x.docx.meta.yaml: field 'access_level': 'secret' is not one of public, internal, confidential, restricted"
    )


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("doc_type: brochure\n", "field 'doc_type': 'brochure' is not one of product"),
        ("acess_level: public\n", "field 'acess_level': unknown field"),
        ("effective: someday\n", "field 'effective'"),
        ("talk_track: {persona: CFO, mood: calm}\n", "field 'talk_track.mood': unknown field"),
        ("- just\n- a list\n", "must be a mapping"),
    ],
)
def test_invalid_folder_metadata_is_reported(
    tmp_path: Path, policy: AccessPolicy, yaml_text: str, expected: str
) -> None:
    _write(tmp_path / "_meta.yaml", yaml_text)
    with pytest.raises(MetadataError, match="^_meta.yaml: ") as err:
        resolve_metadata(_write(tmp_path / "a.txt", "hi"), tmp_path, {}, policy)
    assert expected in str(err.value)


def test_talk_track_fields(tmp_path: Path, policy: AccessPolicy) -> None:
    doc = _write(
        tmp_path / "t.md",
        "---\ndoc_type: talk_track\ntalk_track:\n  persona: CFO\n  proof_points: [ROI 6 个月]\n---\n正文\n",
    )
    meta = resolve_metadata(doc, tmp_path, {}, policy)
    assert meta.talk_track is not None and meta.talk_track.proof_points == ["ROI 6 个月"]


def test_metadata_files_are_not_documents() -> None:
    assert is_metadata_file(Path("a/_meta.yaml")) and is_metadata_file(Path("deck.pptx.meta.yaml"))
    assert not is_metadata_file(Path("deck.pptx"))


def test_language_detection() -> None:
    assert detect_language("销售流程线上化方案") == "zh-Hans"
    assert detect_language("銷售流程線上化方案") == "zh-Hant"
    assert detect_language("Pricing and discount policy for partners") == "en"
    assert detect_language("") is None


def test_review_comes_from_the_folder_or_the_document(tmp_path: Path, policy: AccessPolicy) -> None:
    _write(tmp_path / "pricing" / "_meta.yaml", "review: required\n")
    doc = _write(tmp_path / "pricing" / "price.md", "# 报价\n")
    assert resolve_metadata(doc, tmp_path, {}, policy).review == "required"
    own = _write(tmp_path / "faq.md", "---\nreview: required\n---\n# 问答\n")
    assert resolve_metadata(own, tmp_path, {}, policy).review == "required"
    bad = _write(tmp_path / "bad.md", "---\nreview: maybe\n---\n# 问答\n")
    with pytest.raises(MetadataError, match="bad.md.*review"):
        resolve_metadata(bad, tmp_path, {}, policy)
