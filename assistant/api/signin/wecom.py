"""WeCom web sign-in (企业微信网页授权 / 扫码登录): a one-time code -> the member's userid."""

from __future__ import annotations

from urllib.parse import urlencode

from assistant.api.signin.oidc import SignInError
from assistant.channels.base import DeliveryError
from assistant.channels.wecom.client import WeComClient

# WeCom's user agent inside its app (desktop and mobile) carries this marker.
WECOM_BROWSER_MARKER = "wxwork"


def inside_wecom(user_agent: str) -> bool:
    return WECOM_BROWSER_MARKER in user_agent.lower()


class WeComSignIn:
    """Links to WeCom's authorize page (inside WeCom) or QR login (desktop), and the code lookup."""

    def __init__(self, client: WeComClient, oauth_url: str, qr_login_url: str) -> None:
        self.client = client
        self.oauth_url = oauth_url
        self.qr_login_url = qr_login_url

    def link(self, redirect_uri: str, state: str, user_agent: str) -> str:
        """Inside WeCom: silent authorize (snsapi_base). Elsewhere: the QR-code login page."""
        if inside_wecom(user_agent):
            query = {
                "appid": self.client.corp_id,
                "redirect_uri": redirect_uri,
                "response_type": "code",
                "scope": "snsapi_base",
                "state": state,
                "agentid": str(self.client.agent_id),
            }
            return f"{self.oauth_url}?{urlencode(query)}#wechat_redirect"
        query = {
            "login_type": "CorpApp",
            "appid": self.client.corp_id,
            "agentid": str(self.client.agent_id),
            "redirect_uri": redirect_uri,
            "state": state,
        }
        return f"{self.qr_login_url}?{urlencode(query)}"

    def member(self, code: str) -> tuple[str, list[str]]:
        """The userid behind the code (`auth/getuserinfo`) and their department ids (`user/get`)."""
        try:
            data = self.client.call("auth/getuserinfo", {"code": code}, method="GET")
        except DeliveryError as exc:
            raise SignInError(f"WeCom refused the sign-in code ({exc})") from exc
        user_id = str(data.get("userid") or data.get("UserId") or "")
        if not user_id:
            raise SignInError("this WeCom account is not a member of the company")
        try:
            departments = self.client.user_departments(user_id)
        except DeliveryError as exc:
            raise SignInError(f"could not read the member's departments from WeCom ({exc})") from exc
        return user_id, departments
