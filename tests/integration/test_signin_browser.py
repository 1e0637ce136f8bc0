"""Web sign-in in a real headless Chromium against the local OIDC provider."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.integration.api_kb import SECRET_MARKER
from tests.integration.signin_env import SignInEnv, env
from tests.integration.test_web_chat import browser, page

__all__ = ["browser", "env", "page"]
pytestmark = pytest.mark.browser

QUESTION = "What Orion discount can a manager approve for retail accounts?"


def _sign_in(page: Any, env: SignInEnv) -> None:
    page.goto(env.url + "/")
    page.click("#signin-oidc")
    page.wait_for_selector("#chat:not([hidden])")


def _ask(page: Any) -> str:
    page.fill("#question", QUESTION)
    page.click("#ask-btn")
    return str(page.wait_for_selector("article.answer").inner_text())


def test_sign_in_with_sso_roles_from_the_group_claim(env: SignInEnv, page: Any) -> None:
    env.idp.sign_in_as("chen.jie", ["managers-east"])
    _sign_in(page, env)
    assert page.inner_text("#whoami") == "chen.jie · manager"
    assert "37 percent" in _ask(page)
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["assistant_session"]["httpOnly"] and cookies["assistant_session"]["sameSite"] == "Lax"
    assert "assistant_session" not in page.evaluate("document.cookie")


def test_changed_group_changes_access_on_next_sign_in(env: SignInEnv, page: Any) -> None:
    env.idp.sign_in_as("sun.li", ["managers-east"])
    _sign_in(page, env)
    assert "37 percent" in _ask(page)
    page.click("#signout")
    page.wait_for_selector("#signin:not([hidden])")
    env.idp.sign_in_as("sun.li", ["managers-south"])
    _sign_in(page, env)
    answer = _ask(page)
    assert "37 percent" not in answer and SECRET_MARKER not in answer


def _refused(page: Any, env: SignInEnv, tamper: str) -> str:
    """Try to sign in while the provider (or someone on the way) tampers; the failure page's reason."""
    env.idp.tamper = tamper
    try:
        page.goto(env.url + "/")
        page.click("#signin-oidc")
        page.wait_for_selector("#signin-failed")
    finally:
        env.idp.tamper = None
    return str(page.inner_text("#failure-reason"))


def test_tampered_state_is_refused(env: SignInEnv, page: Any) -> None:
    env.idp.sign_in_as("tamper.tang", ["executives"])
    assert "state does not match" in _refused(page, env, "state")
    assert env.services.users.get("tamper.tang") is None


def test_tampered_nonce_is_refused(env: SignInEnv, page: Any) -> None:
    env.idp.sign_in_as("nonce.niu", ["executives"])
    assert "nonce" in _refused(page, env, "nonce")
    page.goto(env.url + "/")
    page.wait_for_selector("#signin:not([hidden])")
    assert env.services.users.get("nonce.niu") is None


def test_expired_session_is_refused(env: SignInEnv, page: Any) -> None:
    env.idp.sign_in_as("old.ou", ["sales-east"])
    _sign_in(page, env)
    env.age_sessions("old.ou", idle=timedelta(days=1))
    page.reload()
    page.wait_for_selector("#signin:not([hidden])")
    assert "session has ended" in page.inner_text("#signin-error")


def test_csrf_on_a_form_is_refused(env: SignInEnv, page: Any) -> None:
    env.idp.sign_in_as("form.fu", ["sales-east"])
    _sign_in(page, env)
    page.click("#my-sessions")
    page.wait_for_selector("#sessions tr.session")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(i => i.value = 'forged')")
    page.click("#end-all button")
    page.wait_for_selector("#signin-failed")
    assert "CSRF" in page.inner_text("#failure-reason")
    assert len(env.services.sessions.list_for("form.fu")) == 1  # nothing was ended
    page.goto(env.url + "/sessions")
    page.click("#end-all button")
    page.wait_for_selector("#signin:not([hidden])")
    assert env.services.sessions.list_for("form.fu") == []


def test_the_curators_console_uses_the_same_sso_session(env: SignInEnv, page: Any) -> None:
    page.goto(env.url + "/curate")
    page.wait_for_selector("#signin:not([hidden])")
    assert page.is_visible("#signin-oidc")  # the console offers company sign-in, not only a token
    env.idp.sign_in_as("ada.admin", ["it-admins"])
    _sign_in(page, env)
    page.goto(env.url + "/curate")
    page.wait_for_selector("#console:not([hidden])")
    assert page.inner_text("#whoami") == "ada.admin · admin"
    assert page.inner_text("#console-error") == ""
