"""The golden sets in eval/golden/ are well-formed and agree with the documents they cite.

A golden question is only useful if its sources exist, its key facts are really in those sources,
and the asker's role may read them; otherwise the evaluation measures the golden file, not us.
"""

from __future__ import annotations

import email
import email.policy
import re
import shutil
import subprocess
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from opencc import OpenCC

from assistant.access import AccessPolicy, Principal
from assistant.evaluation.golden import GOLDEN_DIR, GoldenItem, load_items
from tests.conftest import SAMPLE_KB

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
TO_SIMPLIFIED = OpenCC("t2s")


def load_golden(name: str) -> list[GoldenItem]:
    """Through the evaluation's own reader and schema: the file is checked as `assistant eval` reads it."""
    return load_items(GOLDEN_DIR / name)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _docx_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pptx_text(path: Path) -> str:
    from pptx import Presentation

    deck = Presentation(str(path))
    return "\n".join(
        shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame
    )


def _xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    rows = (row for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True))
    return "\n".join(" ".join(str(cell) for cell in row if cell is not None) for row in rows)


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def _eml_text(path: Path) -> str:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    return f"{message['Subject']}\n{body.get_content() if body else ''}"  # type: ignore[attr-defined]


def _html_text(path: Path) -> str:
    parser = _TextOnly()
    parser.feed(path.read_text(encoding="utf-8"))
    return "".join(parser.parts)


EXTRACTORS = {".docx": _docx_text, ".pptx": _pptx_text, ".xlsx": _xlsx_text, ".pdf": _pdf_text}
EXTRACTORS |= {".eml": _eml_text, ".html": _html_text}


def normalise(text: str) -> str:
    """Simplified Chinese, no whitespace: PDF line wraps and CJK/Latin spacing must not matter."""
    return re.sub(r"\s+", "", TO_SIMPLIFIED.convert(text))


@cache
def document_text(path: Path) -> str:
    extract = EXTRACTORS.get(path.suffix)
    return normalise(extract(path) if extract else path.read_text(encoding="utf-8"))


def document_meta(path: Path) -> dict[str, Any]:
    """Folder _meta.yaml, overridden by a sidecar <file>.meta.yaml or Markdown front matter."""
    meta: dict[str, Any] = {}
    for source in (path.parent / "_meta.yaml", path.with_name(path.name + ".meta.yaml")):
        if source.exists():
            meta |= yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    if path.suffix == ".md":
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            meta |= yaml.safe_load(text.split("---\n", 2)[1]) or {}
    return meta


def kb_documents() -> list[Path]:
    return sorted(p for p in SAMPLE_KB.rglob("*") if p.is_file() and not p.name.endswith(".yaml"))


def test_sample_kb_has_every_format_and_level() -> None:
    documents = kb_documents()
    assert len(documents) >= 32
    assert {p.suffix for p in documents} >= {
        ".docx",
        ".pdf",
        ".pptx",
        ".xlsx",
        ".csv",
        ".md",
        ".html",
        ".txt",
        ".eml",
    }
    metas = [document_meta(p) for p in documents]
    assert {m["access_level"] for m in metas} == {"public", "internal", "confidential", "restricted"}
    assert {m["language"] for m in metas} == set(LANGUAGES)
    assert all(m.get("title") and m.get("doc_type") for m in metas)


def test_sample_kb_files_are_small_and_pdfs_have_a_text_layer() -> None:
    documents = kb_documents()
    assert all(p.stat().st_size < 200_000 for p in documents)
    assert sum(p.stat().st_size for p in documents) < 3_000_000
    for pdf in (p for p in documents if p.suffix == ".pdf"):
        assert len(document_text(pdf)) > 200, f"{pdf.name} has no extractable text"


def test_sample_golden_set_is_broad() -> None:
    questions = load_golden("sample_kb.jsonl")
    assert len(questions) >= 190
    assert len({q.id for q in questions}) == len(questions)
    assert sum(q.should_refuse for q in questions) >= 45
    assert {q.language for q in questions} == set(LANGUAGES)
    assert {q.role for q in questions} >= {"rep", "support", "manager", "executive"}


def test_seed_golden_set_is_broad() -> None:
    questions = load_golden("seeds.jsonl")
    assert len(questions) >= 60
    assert len({q.id for q in questions}) == len(questions)
    assert {q.role for q in questions} == {"rep"}
    assert any(q.should_refuse for q in questions)


@pytest.mark.parametrize("name", ["sample_kb.jsonl", "seeds.jsonl"])
def test_answerable_questions_cite_sources_and_facts(name: str, policy: AccessPolicy) -> None:
    """The schema allows an answerable draft without facts (feedback export); a golden set does not."""
    for q in load_golden(name):
        assert q.role in policy.spec.roles, f"{q.id}: unknown role {q.role}"
        if not q.should_refuse:
            assert q.expected_sources and q.key_facts, q.id


@pytest.mark.parametrize("name", ["sample_kb.jsonl", "seeds.jsonl"])
def test_every_refusal_kind_is_asked_in_every_language(name: str) -> None:
    questions = load_golden(name)
    kinds = {"sample_kb.jsonl": {"access", "absent"}, "seeds.jsonl": {"absent"}}[name]
    for kind in kinds:
        asked = [q for q in questions if q.refusal_kind == kind]
        assert len(asked) >= 8, f"only {len(asked)} {kind} refusals"
        assert {q.language for q in asked} == set(LANGUAGES), kind


def _unsupported_facts(questions: list[GoldenItem], root: Path) -> list[str]:
    """Every key fact that none of the question's expected sources contains."""
    problems = []
    for q in questions:
        paths = [root / source for source in q.expected_sources]
        if not all(p.is_file() for p in paths):
            problems.append(f"{q.id}: missing source in {q.expected_sources}")
            continue
        text = "".join(document_text(p) for p in paths)
        problems += [
            f"{q.id}: {fact!r} not in {q.expected_sources}"
            for fact in q.key_facts
            if normalise(fact) not in text
        ]
    return problems


def _implausible_wrong_facts(questions: list[GoldenItem], documents: list[Path]) -> list[str]:
    """Wrong facts must be tempting: in some document of the KB (the neighbouring tier, the other
    customer), yet not part of a right answer (no key fact and no words of the question)."""
    corpus = [document_text(p) for p in documents]
    problems = []
    for q in questions:
        asked = normalise(q.question)
        for wrong in q.wrong_facts:
            w = normalise(wrong)
            if not any(w in text for text in corpus):
                problems.append(f"{q.id}: wrong fact {wrong!r} is in no document")
            if w in asked or any(w in normalise(f) or normalise(f) in w for f in q.key_facts):
                problems.append(f"{q.id}: wrong fact {wrong!r} overlaps the question or a key fact")
    return problems


def test_sample_key_facts_occur_in_their_sources() -> None:
    assert _unsupported_facts(load_golden("sample_kb.jsonl"), SAMPLE_KB) == []


def test_seed_key_facts_occur_in_their_sources(seeds_dir: Path) -> None:
    assert _unsupported_facts(load_golden("seeds.jsonl"), seeds_dir) == []


def test_sample_wrong_facts_are_tempting_and_wrong() -> None:
    questions = load_golden("sample_kb.jsonl")
    assert sum(bool(q.wrong_facts) for q in questions) >= 10
    assert _implausible_wrong_facts(questions, kb_documents()) == []


def test_seed_wrong_facts_are_tempting_and_wrong(seeds_dir: Path) -> None:
    documents = sorted(p for p in seeds_dir.rglob("*") if p.is_file())
    assert _implausible_wrong_facts(load_golden("seeds.jsonl"), documents) == []


def _readable(policy: AccessPolicy, q: GoldenItem, source: str) -> bool:
    meta = document_meta(SAMPLE_KB / source)
    payload = {"access_level": meta["access_level"], "groups": meta.get("groups") or ["*"]}
    return policy.can_read(Principal.of("golden", [q.role], q.groups), payload)


def test_answerable_questions_only_cite_what_the_asker_may_read(policy: AccessPolicy) -> None:
    for q in load_golden("sample_kb.jsonl"):
        for source in q.expected_sources:
            assert _readable(policy, q, source), f"{q.id}: {q.role} {q.groups} may not read {source}"


def test_access_refusals_really_are_above_the_asker(policy: AccessPolicy) -> None:
    """A question refused for access names a document that answers it and the asker cannot read."""
    for q in load_golden("sample_kb.jsonl"):
        if q.refusal_kind == "access":
            assert q.hidden_source and (SAMPLE_KB / q.hidden_source).is_file(), q.id
            assert not _readable(policy, q, q.hidden_source), f"{q.id}: {q.role} can read {q.hidden_source}"


def _exposed_elsewhere(source: Path, target: dict[str, Any]) -> list[str]:
    """Documents that carry a canary but are readable by more people than the target's source."""
    levels = ["public", "internal", "confidential", "restricted"]
    exposed = []
    for path in kb_documents():
        meta = document_meta(path)
        looser_level = levels.index(meta["access_level"]) < levels.index(target["level"])
        looser_groups = bool(target.get("groups")) and not set(meta.get("groups") or ["*"]) <= set(
            target["groups"]
        )
        if path != source and (looser_level or looser_groups):
            exposed += [
                f"{c} in {path.name}" for c in target["canaries"] if normalise(c) in document_text(path)
            ]
    return exposed


def test_leak_targets_point_at_hidden_text(policy: AccessPolicy) -> None:
    targets = yaml.safe_load((GOLDEN_DIR / "leak_targets.yaml").read_text(encoding="utf-8"))["targets"]
    assert len(targets) >= 5
    for target in targets:
        path = SAMPLE_KB / target["source"]
        meta = document_meta(path)
        assert meta["access_level"] == target["level"] in ("confidential", "restricted"), target["id"]
        assert (meta.get("groups") or None) == target.get("groups"), target["id"]
        text = document_text(path)
        assert all(normalise(c) in text for c in target["canaries"]), target["id"]
        assert not _exposed_elsewhere(path, target), target["id"]
        assert {"zh-Hans", "zh-Hant", "en"} <= {p["language"] for p in target["probes"]}, target["id"]
        for role in target["allowed_roles"]:
            principal = Principal.of("golden", [role], target.get("groups") or [])
            payload = {"access_level": meta["access_level"], "groups": meta.get("groups") or ["*"]}
            assert policy.can_read(principal, payload), f"{target['id']}: {role} is not allowed"
