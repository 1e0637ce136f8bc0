"""Document versions in the curators' console and the old-version document view, in a real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.access import Principal
from assistant.api import create_app
from assistant.services import build_services
from ingest.pipeline import doc_id_for
from ingest.report import IngestOptions
from tests.integration.api_kb import Api, ServerThread, free_port, kb_settings
from tests.integration.test_curate_console import _screenshot, _sign_in
from tests.integration.test_web_chat import browser, page

__all__ = ["browser", "page"]
pytestmark = pytest.mark.browser

USERS = {
    "rep": (["rep"], ["east"]),
    "alice": (["curator"], ["east"]),
    "bob": (["curator"], ["east"]),
    "carol": (["curator"], ["east"]),
}
# Ten sentences of which v2 changes one: the unchanged run after it is folded in the diff.
FACTS = ["企业版最少 20 个账号。", "标准版每人每月 {price} 元。", "实施周期两周。", "提供 7×24 小时客服。",
         "支持私有部署。", "数据存储在国内机房。", "年付享九折。", "合同期一年起。", "可开增值税专用发票。"]  # fmt: skip
XINGYUN = "pricing/xingyun.md"  # review required: approved from the diff page
ORION = "pricing/orion.md"  # review required: rejected
NOVA = "pricing/nova.md"  # review required: rejected by carol while bob looks at it
GUIDE = "products/guide.md"  # rolled back from the history
MANUAL = "products/manual.md"  # its old version opened from a citation
SECRET = "products/secret.md"  # confidential: a rep may not read any version


def _price_sheet(name: str, price: int) -> str:
    return f"# {name} 报价\n\n" + "".join(FACTS).format(price=price) + "\n"


def _write(kb: Path, round_: int) -> None:
    v2 = round_ == 2
    texts = {
        XINGYUN: _price_sheet("星云CRM", 129 if v2 else 99),
        ORION: _price_sheet("Orion", 159 if v2 else 119),
        NOVA: _price_sheet("Nova", 89 if v2 else 79),
        GUIDE: "# 部署指南\n\n" + ("部署需要三周。" if v2 else "部署需要两周。") + "上线前培训一天。\n",
        MANUAL: "# 使用手册\n\n" + ("登录后点击设置。" if v2 else "登录后点击右上角头像。") + "\n",
        SECRET: "---\naccess_level: confidential\n---\n# 底价\n\n"
        + ("底价 700 元。" if v2 else "底价 650 元。")
        + "\n",
    }
    for source, text in texts.items():
        (kb / source).write_text(text, "utf-8")


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """v1 of every document live (the price sheets approved by bob), then v2 of each submitted by alice."""
    root = tmp_path_factory.mktemp("versions")
    kb = root / "kb"
    (kb / "pricing").mkdir(parents=True)
    (kb / "products").mkdir()
    (kb / "pricing" / "_meta.yaml").write_text("review: required\n", "utf-8")
    settings = kb_settings(root / "data", rate_limit_per_minute=10_000)
    services = build_services(settings)
    tokens = {name: services.users.add_user(name, r, g)[1] for name, (r, g) in USERS.items()}
    for round_ in (1, 2):
        _write(kb, round_)
        report = services.ingest.ingest([kb], IngestOptions(submitted_by="alice"))
        assert sorted(report.pending_review) == [NOVA, ORION, XINGYUN], report.as_dict()
        if round_ == 1:
            bob = Principal.of("bob", ["curator"], ["east"])
            for source in (NOVA, ORION, XINGYUN):
                services.lifecycle.approve(bob, doc_id_for(source), 1)
    with TestClient(create_app(settings, services)) as client:
        yield Api(services, client.app, client, tokens)  # type: ignore[arg-type]
    services.close()


@pytest.fixture(scope="module")
def server(api: Api) -> Iterator[ServerThread]:
    with ServerThread(api.app, free_port()) as running:
        yield running


def _rep_reads(api: Api, source: str) -> str:
    response = api.client.get(f"/v1/documents/{doc_id_for(source)}", headers=api.auth("rep"))
    assert response.status_code == 200, response.text
    return " ".join(c["text"] for c in response.json()["chunks"])


def _open_pending(page: Any, source: str) -> None:
    page.click("button[data-tab=documents]")
    page.click(f"#pending-docs tr[data-doc-id='{doc_id_for(source)}']")
    page.wait_for_selector("#diff:not([hidden]) #diff-rows tr")


def test_a_second_curator_approves_from_the_diff_and_reps_get_the_new_text(
    api: Api, server: ServerThread, page: Any, tmp_path: Path
) -> None:
    _sign_in(page, server, api.tokens["alice"])
    _open_pending(page, XINGYUN)
    changed = page.locator("#diff-rows tr.changed")
    assert changed.count() == 1
    assert changed.locator("td.old del").inner_text() == "99"
    assert changed.locator("td.new ins").inner_text() == "129"
    assert "标准版每人每月 129 元。" in changed.locator("td.new").inner_text()  # sentences, not bytes
    assert "v1 live" in page.inner_text("#diff-left") and "v2 pending_review" in page.inner_text(
        "#diff-right"
    )
    fold = page.locator("#diff-rows tr.fold")
    assert "5 句未改变" in fold.inner_text()
    assert page.is_disabled("#approve-version")  # alice submitted it
    assert "another curator must approve it" in page.inner_text("#review-note")
    _screenshot(page, tmp_path / "diff-own-version.png")
    fold.click()
    page.wait_for_selector("#diff-rows tr.same:has-text('可开增值税专用发票')")
    assert page.locator("#diff-rows tr.fold").count() == 0

    page.click("#signout")
    _sign_in(page, server, api.tokens["bob"])
    _open_pending(page, XINGYUN)
    page.click("#approve-version")
    page.wait_for_selector("#diff-meta:has-text('v2 → live')")
    page.wait_for_selector(f"#pending-docs tr[data-doc-id='{doc_id_for(XINGYUN)}']", state="detached")
    _screenshot(page, tmp_path / "diff-approved.png")
    assert "129" in _rep_reads(api, XINGYUN) and "99" not in _rep_reads(api, XINGYUN)


def test_a_rejection_needs_a_reason_and_keeps_v1_live(
    api: Api, server: ServerThread, page: Any, tmp_path: Path
) -> None:
    _sign_in(page, server, api.tokens["bob"])
    _open_pending(page, ORION)
    page.click("#reject-version")
    page.wait_for_selector("#diff-result:has-text('A reason is required')")
    page.fill("#reject-reason", "价格未经财务确认")
    page.click("#reject-version")
    page.wait_for_selector("#diff-meta:has-text('v2 → rejected: 价格未经财务确认')")
    _screenshot(page, tmp_path / "diff-rejected.png")
    assert "119" in _rep_reads(api, ORION) and "159" not in _rep_reads(api, ORION)


def test_a_refusal_of_the_api_is_shown_on_the_diff_page(api: Api, server: ServerThread, page: Any) -> None:
    _sign_in(page, server, api.tokens["bob"])
    _open_pending(page, NOVA)
    doc = doc_id_for(NOVA)
    turned_down = api.client.post(
        f"/v1/documents/{doc}/versions/2/reject", json={"reason": "重复"}, headers=api.auth("carol")
    )
    assert turned_down.status_code == 200, turned_down.text
    page.click("#approve-version")  # bob's page still offers it
    page.wait_for_selector("#diff-result:has-text('version 2 is rejected, not waiting for review')")
    assert "79" in _rep_reads(api, NOVA)


def test_compare_two_versions_and_roll_back_from_the_history(
    api: Api, server: ServerThread, page: Any, tmp_path: Path
) -> None:
    _sign_in(page, server, api.tokens["bob"])
    page.goto(
        f"{server.url}/documents/{doc_id_for(GUIDE)}"
    )  # a curator goes from the document to its history
    page.click("#doc-history")
    page.wait_for_selector("#versions tr[data-version='1']")
    assert [r.inner_text() for r in page.locator("#versions td.state").all()] == ["live", "superseded"]
    page.click("#compare")
    changed = page.locator("#diff-rows tr.changed")
    changed.wait_for()
    assert (changed.locator("del").inner_text(), changed.locator("ins").inner_text()) == ("两", "三")

    page.click("#versions tr[data-version='1'] button.rollback")
    page.wait_for_selector("#versions .confirm:has-text('Roll back to v1?')")
    assert "两周" not in _rep_reads(api, GUIDE)  # nothing happens before the confirmation
    page.click("#versions button.confirm-rollback")
    page.wait_for_selector("#history-result:has-text('v3 已上线 is live')")
    assert page.is_hidden("#diff")  # the diff showed v2 as live: no longer true
    assert [r.inner_text() for r in page.locator("#versions td.state").all()] == [
        "live",
        "superseded",
        "superseded",
    ]
    _screenshot(page, tmp_path / "history-rollback.png")
    assert "部署需要两周" in _rep_reads(api, GUIDE)
    page.fill("#h-doc", doc_id_for(MANUAL))  # any document by its id
    page.click("#history-form button[type=submit]")
    page.wait_for_selector("#history-title:has-text('使用手册')")


def _sign_in_chat(page: Any, server: ServerThread, token: str) -> None:
    page.goto(server.url + "/")
    page.fill("#token", token)
    page.click("#signin-btn")
    page.wait_for_selector("#chat:not([hidden])")


def test_a_cited_old_version_opens_with_a_banner_to_the_live_one(
    api: Api, server: ServerThread, page: Any, tmp_path: Path
) -> None:
    _sign_in_chat(page, server, api.tokens["rep"])
    page.goto(f"{server.url}/documents/{doc_id_for(MANUAL)}?version=1#hl=右上角头像")
    page.wait_for_selector("#doc-banner:not([hidden])")
    assert "Version 1 of 2 — not the live version" in page.inner_text("#doc-banner")
    assert page.inner_text("#doc-chunks mark.cited") == "右上角头像"
    page.wait_for_selector("#whoami:not([hidden])")  # /v1/me answered: the history link was decided
    assert page.is_hidden("#doc-history")  # the history link is for curators
    _screenshot(page, tmp_path / "old-version.png")
    page.click("#doc-banner a.live-link")
    page.wait_for_selector("#doc-chunks:has-text('登录后点击设置')")
    assert page.is_hidden("#doc-banner") and "右上角" not in page.inner_text("#doc-chunks")

    page.goto(f"{server.url}/documents/{doc_id_for(MANUAL)}?version=2")  # still live: the plain view
    page.wait_for_selector("#doc-chunks:has-text('登录后点击设置')")
    assert page.is_hidden("#doc-banner")
    page.goto(f"{server.url}/documents/{doc_id_for(SECRET)}?version=1")
    page.wait_for_selector("#doc-title:has-text('Document not found')")
    assert "650" not in page.content()
