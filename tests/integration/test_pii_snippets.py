"""Break 2: a phone number cut by the snippet window is still masked (mask the chunk, then cut)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.access import Principal
from assistant.answer.models import AskRequest, SearchRequest
from assistant.config import Settings
from assistant.retrieval.search import build_snippet
from assistant.services import build_services

PHONE = "13812345678"
QUERY = "云帆 续约 联系人"


def _text_cutting_the_phone() -> str:
    """A chunk whose best snippet window ends inside the phone number (found, not hand-placed)."""
    for pad in range(0, 400):
        text = "其他说明。" * 10 + "云帆续约联系人" + "。" * pad + f"手机 {PHONE} 备注" + "无关内容。" * 30
        snippet = build_snippet(text, QUERY)
        if PHONE not in snippet and any(PHONE[:n] in snippet for n in range(4, 11)):
            return text
    raise AssertionError("no placement cuts the phone number")


@pytest.fixture
def rep_and_services(settings: Settings, tmp_path: Path) -> object:
    kb = tmp_path / "kb"
    kb.mkdir()
    body = _text_cutting_the_phone()
    (kb / "renewal.md").write_text(
        f"---\ntitle: 云帆续约\naccess_level: internal\n---\n# 续约\n\n{body}\n", encoding="utf-8"
    )
    services = build_services(settings.model_copy(update={"chunk_size": 2000}))
    assert services.ingest.ingest([kb]).ok
    yield services
    services.close()


def _digit_runs(text: str) -> list[str]:
    return re.findall(r"\d{5,}", text)


def test_search_and_ask_never_show_part_of_a_phone_number(rep_and_services: object) -> None:
    services = rep_and_services
    rep = Principal.of("rep", ["rep"], ["east"])
    found = services.assistant.search(SearchRequest(query=QUERY), rep)  # type: ignore[attr-defined]
    assert found.results
    snippets = " ".join(c.snippet for c in found.results)
    assert not [run for run in _digit_runs(snippets) if run in PHONE], snippets
    answer = services.assistant.ask(AskRequest(question=QUERY), rep)  # type: ignore[attr-defined]
    shown = answer.answer + " ".join(c.snippet for c in answer.citations)
    assert not [run for run in _digit_runs(shown) if run in PHONE], shown
