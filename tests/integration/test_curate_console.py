"""The curators' console at /curate in a real headless Chromium, with screenshots checked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from assistant.api import create_app
from assistant.services import build_services
from tests.integration.api_kb import (
    PUBLIC_SOURCE,
    Api,
    ServerThread,
    doc_id,
    free_port,
    kb_settings,
    write_kb,
)
from tests.integration.test_web_chat import browser, page

__all__ = ["browser", "page"]
pytestmark = pytest.mark.browser

USERS = {
    "rep": (["rep"], ["east"]),
    "curator_a": (["curator"], ["east"]),
    "curator_b": (["curator"], ["east"]),
}
QUESTION = "公司年会在哪里举办？"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    root = tmp_path_factory.mktemp("console")
    settings = kb_settings(root / "data", rate_limit_per_minute=10_000)
    services = build_services(settings)
    assert services.ingest.ingest([write_kb(root / "kb")]).ok
    tokens = {name: services.users.add_user(name, r, g)[1] for name, (r, g) in USERS.items()}
    with TestClient(create_app(settings, services)) as client:
        yield Api(services, client.app, client, tokens)  # type: ignore[arg-type]
    services.close()


@pytest.fixture(scope="module")
def server(api: Api) -> Iterator[ServerThread]:
    answer = api.client.post("/v1/ask", json={"question": QUESTION}, headers=api.auth("rep")).json()
    assert not answer["grounded"]
    vote = {"answer_id": answer["answer_id"], "rating": "down", "comment": "年会地点没有答出来"}
    assert api.client.post("/v1/feedback", json=vote, headers=api.auth("rep")).status_code == 200
    with ServerThread(api.app, free_port()) as running:
        yield running


def _sign_in(page: Any, server: ServerThread, token: str) -> None:
    page.goto(server.url + "/curate")
    page.fill("#token", token)
    page.click("#signin-btn")
    page.wait_for_selector("#console:not([hidden])")


def _screenshot(page: Any, path: Path) -> None:
    """The shot is a real rendering: page-sized and far from one flat colour."""
    page.screenshot(path=str(path), full_page=True)
    with Image.open(path) as image:
        assert image.width >= 800 and image.height >= 400
        assert len(image.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 50


def test_queue_write_approve_and_analytics(api: Api, server: ServerThread, page: Any, tmp_path: Path) -> None:
    _sign_in(page, server, api.tokens["curator_a"])
    row = page.wait_for_selector(f"#items tr:has-text('{QUESTION}')")
    assert "feedback_down" in row.inner_text()
    row.click()
    page.wait_for_selector("#item:not([hidden])")
    assert "年会地点没有答出来" in page.inner_text("#item-comments")
    assert "rep (rep, api)" in page.inner_text("#item-askers")
    assert page.input_value("#c-groups") == "east"
    page.fill("#c-answer", "年会在上海总部举办。")
    page.fill("#c-citations", doc_id(PUBLIC_SOURCE))
    page.click("#c-submit")
    page.wait_for_selector("#c-result:has-text('pending_review')")
    _screenshot(page, tmp_path / "queue.png")

    page.click("button[data-tab=inbox]")
    page.click("article.pending button.approve")
    page.wait_for_selector("article.pending p.error:has-text('another curator')")
    _screenshot(page, tmp_path / "inbox-own-approval.png")

    page.click("#signout")
    _sign_in(page, server, api.tokens["curator_b"])
    page.click("button[data-tab=inbox]")
    page.click("article.pending button.approve")
    page.wait_for_selector("#pending:has-text('Nothing to approve')")
    page.click("button[data-tab=queue]")
    page.select_option("#f-state", "resolved")
    page.wait_for_selector(f"#items tr:has-text('{QUESTION}')")

    page.click("button[data-tab=analytics]")
    gap = page.wait_for_selector(f"#gaps tr:has-text('{QUESTION}')")
    cells = [td.inner_text() for td in gap.query_selector_all("td")]
    assert cells[1:3] == ["1", "steady"]  # the 👎 on a not-found answer is one question, not two
    assert page.locator("#chart svg rect.bar").count() >= 1
    assert "not found 1" in page.inner_text("#totals")
    _screenshot(page, tmp_path / "analytics.png")
    again = api.client.post("/v1/ask", json={"question": QUESTION}, headers=api.auth("rep")).json()
    assert again["curated"] and again["approved_by"] == "curator_b"


def test_a_rep_cannot_use_the_console(api: Api, server: ServerThread, page: Any) -> None:
    _sign_in(page, server, api.tokens["rep"])
    page.wait_for_selector("#console-error:has-text('curator or admin')")
    assert page.locator("#items tr").count() == 0
