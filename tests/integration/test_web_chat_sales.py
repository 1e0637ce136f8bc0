"""The web chat for reps in a real headless Chromium: talk tracks, follow-up drafts, a conversation
that survives a reload, the cited passage highlighted, and only reader-facing document metadata."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.api_kb import PUBLIC_SOURCE, Api, ServerThread, api, doc_id
from tests.integration.test_web_chat import _sign_in, browser, server

__all__ = ["api", "browser", "server"]
pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", viewport={"width": 1000, "height": 1400})
    yield context
    context.close()


@pytest.fixture
def page(context: Any) -> Any:
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _cards(page: Any) -> list[str]:
    return [c.inner_text() for c in page.locator("#answers > article").all()]


def test_talk_tracks_and_a_follow_up_draft_in_the_chat(api: Api, server: ServerThread, page: Any) -> None:
    _sign_in(page, server, api.tokens["manager"])
    page.click("button.mode[data-mode=talk]")
    page.fill("#situation", "customer says Orion is too expensive")
    page.press("#situation", "Enter")  # Enter sends
    tracks = page.wait_for_selector("article.tracks")
    assert "Orion price objection talk track" in tracks.inner_text() and "bundle price" in tracks.inner_text()
    page.fill("#situation", "customer wants a quantum teleportation plan")
    page.click("#talk-btn")
    none = page.wait_for_selector("article.tracks.not-found")
    assert "No matching talk track for this situation." in none.inner_text()
    assert "Closest general track (not a match)" in none.inner_text()
    assert "Orion price objection talk track" in page.inner_text("article.tracks.not-found .track.closest")

    page.click("button.mode[data-mode=followup]")
    page.fill("#customer", "Retail chain")
    page.fill("#contact", "Ms. Chen")
    page.fill("#sender", "Lei")
    page.fill("#notes", "They asked about Orion alerts and stock-outs. Their boss is hard to please.")
    page.press("#notes", "Enter")
    draft = page.wait_for_selector("article.draft")
    text = page.inner_text("article.draft .draft-text")
    assert text.startswith("Dear Ms. Chen,") and text.rstrip().endswith("Lei")
    assert "hard to please" not in text and "They asked about Orion alerts" not in text
    assert "Subject: Follow-up for Retail chain" in draft.inner_text()
    assert "cut stock-outs by 30 percent" in text and page.locator("article.draft a.marker").count() >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "web-chat-sales.png"), full_page=True)


def test_shift_enter_is_a_new_line_and_the_conversation_survives_a_reload(
    api: Api, server: ServerThread, page: Any
) -> None:
    _sign_in(page, server, api.tokens["rep"])
    page.fill("#question", "How long does Orion deployment take?")
    page.press("#question", "Shift+Enter")
    assert page.locator("#answers > article").count() == 0 and "\n" in page.input_value("#question")
    page.press("#question", "Enter")
    page.wait_for_selector("#answers > article:nth-child(1)")
    page.fill("#question", "Which ERP connector does Orion ship with?")
    page.press("#question", "Enter")
    page.wait_for_selector("#answers > article:nth-child(2)")
    before = _cards(page)
    assert "Which ERP connector" in before[-1]  # newest at the bottom

    page.reload()
    page.wait_for_selector("#answers > article:nth-child(2)")
    assert _cards(page) == before
    page.click("#signout")
    page.wait_for_selector("#signin:not([hidden])")
    _sign_in(page, server, api.tokens["rep"])
    assert page.locator("#answers > article").count() == 0  # signing out forgets the conversation


def test_the_cited_passage_is_highlighted_and_developer_metadata_hidden(
    api: Api, server: ServerThread, page: Any
) -> None:
    _sign_in(page, server, api.tokens["rep"])
    page.fill("#question", "How long does Orion deployment take for a retail chain?")
    page.press("#question", "Enter")
    page.wait_for_selector("article.answer a.source-link").click()
    page.wait_for_url("**/documents/*")
    mark = page.wait_for_selector("mark.cited")
    assert "six weeks" in mark.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "document-highlight.png"))
    meta = page.inner_text("#doc-meta")
    assert "Product" in meta
    for hidden in ("access_level", "internal", doc_id(PUBLIC_SOURCE), "state", "version"):
        assert hidden not in meta


def test_not_found_pages_speak_the_readers_language(api: Api, server: ServerThread, browser: Any) -> None:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    _sign_in(page, server, api.tokens["rep"])
    page.fill("#question", "火星殖民地的量子传送预算是多少？")
    page.press("#question", "Enter")
    answer = page.wait_for_selector("article.answer.not-found")
    assert "知识库中没有找到相关内容" in answer.inner_text() and "couldn't" not in answer.inner_text()
    page.goto(f"{server.url}/documents/0000000000")
    page.wait_for_selector("#doc-title:has-text('找不到文档')")
    context.close()
