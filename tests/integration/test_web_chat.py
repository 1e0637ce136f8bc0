"""The web chat in a real headless Chromium: sign in, ask, see a cited answer, open the source, vote."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.db import FeedbackStore
from tests.integration.api_kb import SECRET_MARKER, SECRET_SOURCES, Api, ServerThread, api, doc_id, free_port

__all__ = ["api"]
pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def server(api: Api) -> Iterator[ServerThread]:
    with ServerThread(api.app, free_port()) as running:
        yield running


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _sign_in(page: Any, server: ServerThread, token: str) -> None:
    page.goto(server.url + "/")
    page.fill("#token", token)
    page.click("#signin-btn")
    page.wait_for_selector("#chat:not([hidden])")


def test_ask_cite_open_source_and_vote(api: Api, server: ServerThread, page: Any) -> None:
    _sign_in(page, server, api.tokens["rep"])
    assert "rep" in page.inner_text("#whoami")

    page.fill("#question", "How long does Orion deployment take for a retail chain?")
    page.click("#ask-btn")
    answer = page.wait_for_selector("article.answer")
    assert "six weeks" in answer.inner_text()
    assert page.locator("article.answer a.marker").first.inner_text() == "[1]"
    source = page.locator("article.answer a.source-link").first
    assert source.inner_text() == "Orion product overview"
    assert "?version=1#hl=" in (source.get_attribute("href") or "")  # a citation names its version
    answer_id = answer.get_attribute("data-answer-id")

    page.click("article.answer button.vote-up")
    page.wait_for_selector("text=Thanks for the feedback")
    votes = [f for f in FeedbackStore(api.services.db).list() if f.answer_id == answer_id]
    assert [(v.user, v.rating, v.channel) for v in votes] == [("rep", "up", "web")]

    source.click()
    page.wait_for_url("**/documents/*")
    page.locator("#doc-chunks .chunk").first.wait_for()  # a locator, not page JS: the CSP forbids eval
    assert page.inner_text("#doc-title") == "Orion product overview"
    assert "ERP data connector" in page.inner_text("#doc-chunks")
    assert page.is_hidden("#doc-banner")  # the cited version is the live one


def test_signed_in_state_survives_a_reload(api: Api, server: ServerThread, page: Any) -> None:
    _sign_in(page, server, api.tokens["manager"])
    page.reload()
    page.wait_for_selector("#chat:not([hidden])")
    page.click("#signout")
    page.wait_for_selector("#signin:not([hidden])")


def test_bad_token_is_refused(server: ServerThread, page: Any) -> None:
    page.goto(server.url + "/")
    page.fill("#token", "sk_wrong")
    page.click("#signin-btn")
    page.wait_for_selector("#signin-error:has-text('invalid')")
    assert page.is_hidden("#chat")


def test_not_found_answer_and_hidden_document(api: Api, server: ServerThread, page: Any) -> None:
    _sign_in(page, server, api.tokens["rep"])
    page.fill("#question", "quantum teleportation budget for mars colonies")
    page.click("#ask-btn")
    answer = page.wait_for_selector("article.answer")
    assert "not-found" in (answer.get_attribute("class") or "")
    assert "I couldn't find this in the knowledge base." in answer.inner_text()  # the question's language
    assert page.locator("article.answer .sources").count() == 0

    page.goto(f"{server.url}/documents/{doc_id(SECRET_SOURCES[0])}")
    page.wait_for_selector("#doc-title:has-text('Document not found')")
    assert SECRET_MARKER not in page.content() and "找不到" not in page.inner_text("#doc-title")
