"""OIDC web sign-in over real HTTP against a local provider: sessions, mapping, refusals, audit."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.api import create_app
from assistant.cli.main import app
from tests.integration.api_kb import SECRET_MARKER
from tests.integration.signin_env import SignInEnv, csrf_headers, env

__all__ = ["env"]

SEARCH = {"query": "Orion discount approval pricing form retail", "limit": 50}
# (directory groups, what /v1/search finds): the role x document matrix of the sample KB.
MATRIX = [
    (["sales-east"], {"products/orion-overview.md"}),
    (["sales-south"], {"products/orion-overview.md"}),
    (
        ["managers-east"],
        {
            "products/orion-overview.md",
            "policies/orion-discount.md",
            "cases/orion-retail-case.md",
            "talk-tracks/orion-price-objection.md",
        },
    ),
    (["managers-south"], {"products/orion-overview.md"}),
    (
        ["executives"],
        {
            "products/orion-overview.md",
            "policies/orion-discount.md",
            "cases/orion-retail-case.md",
            "talk-tracks/orion-price-objection.md",
        },
    ),
    ([], set()),  # in no mapped group: public only, and the sample KB has nothing public
]


def _sources(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {r["source"] for r in response.json()["results"]}


@pytest.mark.parametrize(("groups", "expected"), MATRIX)
def test_session_user_sees_what_a_token_user_with_the_same_roles_sees(
    env: SignInEnv, groups: list[str], expected: set[str]
) -> None:
    name = "m-" + ("-".join(groups) or "none")
    browser = env.sign_in(name, groups)
    by_session = _sources(browser.post(env.url + "/v1/search", json=SEARCH, headers=csrf_headers(browser)))
    user = env.services.users.get(name)
    token = env.services.users.new_token(name)
    by_token = _sources(
        httpx.post(env.url + "/v1/search", json=SEARCH, headers={"Authorization": f"Bearer {token}"})
    )
    assert by_session == by_token == expected
    assert user is not None and not user.disabled


def test_first_sign_in_creates_the_user_with_mapped_roles_and_audits_it(env: SignInEnv) -> None:
    browser = env.sign_in("zhang.min", ["managers-east", "unmapped-team"])
    me = browser.get(env.url + "/v1/me").json()
    assert (me["user"], me["roles"], me["groups"]) == ("zhang.min", ["manager"], ["east"])
    entries = env.services.audit.list(user="zhang.min", action="sign_in")
    assert entries and entries[0].extra["created"] is True and entries[0].extra["provider"] == "oidc"


def test_verified_email_links_an_existing_user_and_the_slack_bot_finds_them(env: SignInEnv) -> None:
    env.services.users.add_user("Li Ming", ["support"], email="li.ming@example.com")
    env.idp.sign_in_as("liming", ["sales-east"], email="Li.Ming@example.com")
    browser = env.browser_client()
    browser.get(env.url + "/auth/oidc/login")
    me = browser.get(env.url + "/v1/me").json()
    assert (me["user"], me["roles"], me["groups"]) == ("Li Ming", ["rep"], ["east"])
    assert env.services.users.get("liming") is None  # no second account
    # The Slack bot resolves people by their e-mail: the same user there too.
    assert env.services.users.by_email("li.ming@example.com").name == "Li Ming"


def test_moving_to_another_region_moves_access_at_next_sign_in(env: SignInEnv) -> None:
    east = env.sign_in("wang.fang", ["managers-east"])
    assert SECRET_MARKER in east.post(env.url + "/v1/search", json=SEARCH, headers=csrf_headers(east)).text
    south = env.sign_in("wang.fang", ["managers-south"])
    assert (
        SECRET_MARKER not in south.post(env.url + "/v1/search", json=SEARCH, headers=csrf_headers(south)).text
    )
    assert south.get(env.url + "/v1/me").json()["groups"] == ["south"]
    change = env.services.audit.list(user="wang.fang", action="role_change")[0]
    assert change.extra["before"]["groups"] == ["east"] and change.extra["after"]["groups"] == ["south"]


def _callback_of(env: SignInEnv, browser: httpx.Client) -> str:
    """Start a sign-in and stop at the provider's redirect back (the callback URL with code and state)."""
    to_idp = browser.get(env.url + "/auth/oidc/login", follow_redirects=False)
    back = browser.get(to_idp.headers["location"], follow_redirects=False)
    assert back.status_code == 302
    return back.headers["location"]


def test_tampered_state_is_refused(env: SignInEnv) -> None:
    env.idp.sign_in_as("mallory", ["executives"])
    browser = env.browser_client()
    callback = _callback_of(env, browser)
    query = parse_qs(urlsplit(callback).query)
    forged = f"{env.url}/auth/oidc/callback?code={query['code'][0]}&state=forged-state"
    response = browser.get(forged)
    assert response.status_code == 400 and "state does not match" in response.text
    assert not browser.cookies.get("assistant_session")
    assert env.services.users.get("mallory") is None
    failure = env.services.audit.list(action="sign_in_failed")[0]
    assert "state" in failure.extra["reason"]


def test_callback_replayed_in_another_browser_is_refused(env: SignInEnv) -> None:
    """Login CSRF: a victim's browser must not finish a sign-in the attacker started."""
    env.idp.sign_in_as("attacker", ["executives"])
    callback = _callback_of(env, env.browser_client())
    victim = env.browser_client()
    response = victim.get(callback)
    assert response.status_code == 400 and not victim.cookies.get("assistant_session")


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [("nonce", "nonce"), ("signature", "signature"), ("audience", "aud"), ("expired", "expired")],
)
def test_forged_id_token_is_refused(env: SignInEnv, tamper: str, reason: str) -> None:
    env.idp.sign_in_as("eve", ["executives"])
    env.idp.tamper = tamper
    try:
        browser = env.browser_client()
        response = browser.get(env.url + "/auth/oidc/login")
    finally:
        env.idp.tamper = None
    assert response.status_code == 400 and reason in response.text
    assert not browser.cookies.get("assistant_session")
    assert env.services.users.get("eve") is None
    assert reason in env.services.audit.list(action="sign_in_failed")[0].extra["reason"]


def test_idle_session_is_refused(env: SignInEnv) -> None:
    browser = env.sign_in("idle.ivan", ["sales-east"])
    assert browser.get(env.url + "/v1/me").status_code == 200
    env.age_sessions("idle.ivan", idle=timedelta(hours=3))
    response = browser.get(env.url + "/v1/me")
    assert response.status_code == 401 and "session has ended" in response.json()["error"]["message"]


def test_session_past_its_absolute_expiry_is_refused_though_active(env: SignInEnv) -> None:
    browser = env.sign_in("long.liu", ["sales-east"])
    env.age_sessions("long.liu", idle=timedelta(0), past_expiry=True)
    assert browser.get(env.url + "/v1/me").status_code == 401


def test_cookie_write_without_csrf_token_is_refused(env: SignInEnv) -> None:
    browser = env.sign_in("csrf.chen", ["sales-east"])
    refused = browser.post(env.url + "/v1/search", json=SEARCH)
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]
    wrong = browser.post(env.url + "/v1/search", json=SEARCH, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    assert browser.post(env.url + "/v1/search", json=SEARCH, headers=csrf_headers(browser)).status_code == 200


def test_sessions_listed_ended_by_the_person_and_by_an_admin(env: SignInEnv) -> None:
    phone, laptop = env.sign_in("li.na", ["sales-east"]), env.sign_in("li.na", ["sales-east"])
    listed = laptop.get(env.url + "/v1/me/sessions").json()["sessions"]
    assert len(listed) == 2
    ended = laptop.delete(f"{env.url}/v1/me/sessions/{listed[1]['id']}", headers=csrf_headers(laptop))
    assert ended.status_code == 200
    assert len(laptop.get(env.url + "/v1/me/sessions").json()["sessions"]) == 1
    admin = env.sign_in("root.admin", ["it-admins"])
    gone = admin.delete(env.url + "/v1/admin/users/li.na/sessions", headers=csrf_headers(admin))
    assert gone.json() == {"ended": 1}
    assert phone.get(env.url + "/v1/me").status_code == 401
    assert laptop.get(env.url + "/v1/me").status_code == 401
    assert env.services.audit.list(user="li.na", action="session_end")[0].extra["by"] == "root.admin"


def test_signing_in_again_in_the_same_browser_ends_the_old_session(env: SignInEnv) -> None:
    browser = env.sign_in("twice.tian", ["sales-east"])
    first = browser.cookies.get("assistant_session")
    env.idp.sign_in_as("twice.tian", ["sales-east"])
    browser.get(env.url + "/auth/oidc/login")
    assert browser.cookies.get("assistant_session") != first
    assert len(env.services.sessions.list_for("twice.tian")) == 1


def test_sign_out_ends_the_session(env: SignInEnv) -> None:
    browser = env.sign_in("bye.bo", ["sales-east"])
    response = browser.post(env.url + "/auth/logout", headers=csrf_headers(browser))
    assert str(response.url) == env.url + "/"
    assert browser.get(env.url + "/v1/me").status_code == 401
    assert env.services.audit.list(user="bye.bo", action="sign_out")


def test_api_tokens_keep_working_and_need_no_csrf(env: SignInEnv) -> None:
    _user, token = env.services.users.add_user("robot", ["rep"], ["east"])
    response = httpx.post(env.url + "/v1/search", json=SEARCH, headers={"Authorization": f"Bearer {token}"})
    assert _sources(response) == {"products/orion-overview.md"}


def test_cli_lists_and_ends_someones_sessions(
    env: SignInEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    cli_env = {"ASSISTANT_DATA_DIR": str(env.services.settings.data_dir), "ASSISTANT_DATABASE_URL": None}
    browser = env.sign_in("cli.cao", ["sales-east"])
    listed = CliRunner().invoke(app, ["users", "sessions", "cli.cao", "--json"], env=cli_env)
    assert listed.exit_code == 0, listed.output
    assert [s["provider"] for s in json.loads(listed.stdout)] == ["oidc"]
    ended = CliRunner().invoke(app, ["users", "sessions", "cli.cao", "--end"], env=cli_env)
    assert ended.exit_code == 0 and "Ended 1 session(s)" in ended.stdout
    assert browser.get(env.url + "/v1/me").status_code == 401
    assert env.services.audit.list(user="cli.cao", action="session_end")[0].channel == "cli"
    unknown = CliRunner().invoke(app, ["users", "sessions", "nobody.at.all"], env=cli_env)
    assert unknown.exit_code == 1 and "no such user" in unknown.output


def test_disabled_users_session_stops_working(env: SignInEnv) -> None:
    browser = env.sign_in("leaver.lu", ["sales-east"])
    env.services.users.disable("leaver.lu")
    assert browser.get(env.url + "/v1/me").status_code == 401


def test_cookies_are_secure_when_served_over_https(env: SignInEnv) -> None:
    app = create_app(env.services.settings, env.services)
    with TestClient(app, base_url="https://assistant.example.com") as client:
        response = client.get("/auth/oidc/login", follow_redirects=False)
    cookie = response.headers["set-cookie"]
    assert response.status_code == 303 and "Secure" in cookie and "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower()
