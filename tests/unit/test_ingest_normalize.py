"""Chinese normalisation and boilerplate removal."""

from __future__ import annotations

import json

from opencc import OpenCC

from assistant.text.normalize import normalize_for_matching, strip_pinyin, to_simplified
from ingest.boilerplate import BoilerplateFilter
from tests.conftest import REPO_ROOT, SAMPLE_KB


def test_pinyin_annotations_are_stripped_for_display() -> None:
    assert strip_pinyin("企業銷售(shòu)手冊(cè)") == "企業銷售手冊"
    assert strip_pinyin("客戶關係管理(guǎn lǐ)") == "客戶關係管理"
    assert strip_pinyin("銷售(xiao1 shou4)") == "銷售"
    assert strip_pinyin("實現 (xiàn)盈利") == "實現盈利"


def test_parenthesised_latin_without_tones_is_content() -> None:
    text = "客户生命周期管理(CLM)理论与(SaaS)方案, version (beta)"
    assert strip_pinyin(text) == text


def test_matching_form_is_simplified_halfwidth_and_tidy() -> None:
    text = "企業產品銷售(shòu)與客戶關係   管理　ＣＲＭ１２３"
    assert normalize_for_matching(text) == "企业产品销售与客户关系 管理 CRM123"


def test_matching_form_keeps_chinese_punctuation() -> None:
    assert normalize_for_matching("價格，（二）報價！") == "价格，（二）报价！"


def test_text_without_a_character_to_convert_skips_the_converter_with_the_same_result() -> None:
    lines = [
        line for path in sorted(SAMPLE_KB.rglob("*.md")) for line in path.read_text("utf-8").splitlines()
    ]
    golden = REPO_ROOT / "eval" / "golden" / "sample_kb.jsonl"
    questions = [json.loads(line)["question"] for line in golden.read_text("utf-8").splitlines() if line]
    converter = OpenCC("t2s")
    texts = [*lines, *questions, "Pricing: CNY 1,980 per seat", "銷售與客戶關係", "价格表（企业版）"]
    assert [to_simplified(t) for t in texts] == [converter.convert(t) for t in texts]
    assert to_simplified("銷售與客戶關係") == "销售与客户关系"


def test_boilerplate_lines_repeated_across_documents_are_dropped() -> None:
    notice = "版權說明:本文檔由用戶提供并上傳,若內容存在侵權,請進行舉報或認領"
    docs = [
        [notice, f"第{i}篇的正文内容,介绍销售流程。", "相关文档", f"- 无关文档{i}", f"- 另一个文档{i}"]
        for i in range(4)
    ]
    # The same notice in Simplified script still counts as the same line.
    docs.append(["版权说明:本文档由用户提供并上传,若内容存在侵权,请进行举报或认领", "独有内容", "相关文档"])
    cleaner = BoilerplateFilter().learn(docs)
    assert cleaner.clean(docs[0]) == ["第0篇的正文内容,介绍销售流程。"]
    assert cleaner.clean(docs[4]) == ["独有内容"]


def test_a_single_document_learns_nothing() -> None:
    lines = ["标题", "正文"]
    assert BoilerplateFilter().learn([lines]).clean(lines) == lines


def test_raw_scraped_pages_lose_site_boilerplate(seeds_dir) -> None:  # type: ignore[no-untyped-def]
    pages = [p.read_text(encoding="utf-8").splitlines() for p in sorted((seeds_dir / "raw").glob("*.txt"))]
    cleaner = BoilerplateFilter().learn(pages)
    cleaned = ["\n".join(cleaner.clean(lines)) for lines in pages]
    joined = normalize_for_matching("\n".join(cleaned))
    assert "版权说明:本文档由用户提供并上传" not in joined
    assert "提交评论" not in joined
    assert "销售管理平台应提供销售团队管理功能" in joined  # content survives
