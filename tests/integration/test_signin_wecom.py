"""WeCom web sign-in against the fake WeCom API: silent inside WeCom, QR on desktop, one identity."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.integration.signin_env import AGENT_ID, CORP_ID, SignInEnv, env

__all__ = ["env"]

WECOM_APP = "Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 wxwork/4.1.20 MicroMessenger/7.0.1"
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0"


def test_a_link_opened_inside_wecom_signs_the_bot_user_in_silently(env: SignInEnv) -> None:
    env.services.users.add_user("Zhao Lei", ["rep"], ["south"], wecom_id="zhaolei")
    env.wecom.member = "zhaolei"
    env.wecom.departments["zhaolei"] = [2]
    browser = env.browser_client(WECOM_APP)
    page = browser.get(env.url + "/documents/some-doc?version=2")
    assert page.status_code == 200 and page.url.path == "/documents/some-doc"
    assert page.url.params.get("version") == "2"  # back at the cited version
    first_hop = page.history[1].headers["location"]
    query = parse_qs(urlsplit(first_hop).query)
    assert first_hop.startswith(env.wecom.oauth_url) and first_hop.endswith("#wechat_redirect")
    assert (query["appid"], query["agentid"], query["scope"]) == ([CORP_ID], [str(AGENT_ID)], ["snsapi_base"])
    me = browser.get(env.url + "/v1/me").json()
    # The same user the WeCom bot answers as, with department 2's grant from the mapping file.
    assert (me["user"], me["roles"], me["groups"]) == ("Zhao Lei", ["manager"], ["east"])
    assert env.services.users.by_wecom_id("zhaolei").name == "Zhao Lei"
    assert [e.extra["provider"] for e in env.services.audit.list(user="Zhao Lei", action="sign_in")] == [
        "wecom"
    ]


def test_desktop_browser_gets_the_qr_login_and_a_new_member_is_created(env: SignInEnv) -> None:
    env.wecom.member = "newbie"
    env.wecom.departments["newbie"] = [3]
    browser = env.browser_client(DESKTOP)
    chat = browser.get(env.url + "/")
    assert "signin-wecom" in chat.text and chat.history == []  # no silent redirect outside WeCom
    done = browser.get(env.url + "/auth/wecom/login")
    qr_hop = done.history[0].headers["location"]
    assert qr_hop.startswith(env.wecom.qr_login_url) and "login_type=CorpApp" in qr_hop
    me = browser.get(env.url + "/v1/me").json()
    assert (me["user"], me["roles"], me["groups"]) == ("newbie", ["rep"], ["south"])
    assert env.services.users.by_wecom_id("newbie") is not None


def test_a_forged_code_is_refused(env: SignInEnv) -> None:
    env.wecom.member = "zhaolei"
    browser = env.browser_client(DESKTOP)
    to_wecom = browser.get(env.url + "/auth/wecom/login", follow_redirects=False)
    state = parse_qs(urlsplit(to_wecom.headers["location"]).query)["state"][0]
    response = browser.get(f"{env.url}/auth/wecom/callback?code=made-up&state={state}")
    assert response.status_code == 400 and "40029" in response.text
    assert not browser.cookies.get("assistant_session")


def test_a_disabled_user_cannot_sign_in(env: SignInEnv) -> None:
    env.services.users.add_user("Gone Guo", ["rep"], wecom_id="gone")
    env.services.users.disable("Gone Guo")
    env.wecom.member = "gone"
    env.wecom.departments["gone"] = [3]
    browser = env.browser_client(DESKTOP)
    response = browser.get(env.url + "/auth/wecom/login")
    assert response.status_code == 400 and "disabled" in response.text
    assert not browser.cookies.get("assistant_session")
